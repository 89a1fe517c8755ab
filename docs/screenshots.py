"""The README's three pictures: the Map page, the Classroom page and a figure from the CLI.

    .venv/bin/python docs/screenshots.py [--out docs/images]

Writes ``map.png`` and ``classroom.png`` (the app in headless Chromium, 1280 × 800) and
``figure.png`` (``kharkiv-map figure``, 1280 × 720) into ``docs/images/``.

The app is started here with ``streamlit run app.py`` on a free localhost port, headless, the
way ``bench/load.py`` and ``tests/test_app_browser.py`` start it, and stopped at the end (also
on an error or Ctrl-C). The pages open with ``?basemap=none``, and every request that is not
to this machine is aborted, so no map tile or other file is fetched from the internet. Needs
what ``make setup`` installs (the map's scripts in ``static/vendor/``, Playwright) and
Debian's ``chromium``; the server's log is left in ``build/`` (gitignored).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1280, "height": 800}
FIGURE_SIZE = "1280x720"
START_TIMEOUT_S = 90
DRAW_TIMEOUT_MS = 60_000
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: (file, URL path and query): the pages as a newcomer first sees them, without tiles. The
#: Classroom opens on step 4, the counterfire zone.
PAGES = (
    ("map.png", "/?basemap=none"),
    ("classroom.png", "/Classroom?basemap=none&step=4"),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in LOCAL_HOSTS


def chromium() -> str:
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    sys.exit("docs/screenshots.py: no Chromium found (Debian: apt-get install chromium)")


def code_env() -> dict[str, str]:
    """This checkout's code first on the path, and the map's scripts served from its static/."""
    env = {k: v for k, v in os.environ.items() if k != "KHARKIV_MAP_ASSETS"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.setdefault("KHARKIV_MAP_LANG", "en")
    return env


@contextlib.contextmanager
def streamlit_server(log_path: Path):
    """``streamlit run app.py`` on a free localhost port; yields its URL and stops it after."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        # A set address also stops Streamlit looking up the machine's public IP on the internet.
        "--browser.serverAddress",
        "localhost",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    url = f"http://localhost:{port}"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=code_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                with (
                    contextlib.suppress(OSError),
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply,
                ):
                    if reply.status == 200:
                        break
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"`streamlit run app.py` did not start on port {port} "
                        f"(exit code {server.poll()}); log: {log_path}"
                    )
                time.sleep(0.3)
            yield url
        finally:
            if server.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(server.pid, signal.SIGKILL)
                    server.wait(timeout=10)


def wait_for_map(page) -> None:
    """Until Leaflet has drawn the zones and markers in the app's map component (in the page
    itself), and the tiles and fonts have had a moment."""
    page.wait_for_function(
        """() => { const host = document.querySelector('.kharkiv-map-host');
                   return Boolean(host && host.leafletMap && host.leafletMap._loaded
                                  && host.querySelectorAll('path').length > 8); }""",
        timeout=DRAW_TIMEOUT_MS,
    )


def app_pictures(out: Path, log_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    with streamlit_server(log_dir / "screenshots-streamlit.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            for name, path in PAGES:
                context = browser.new_context(viewport=VIEWPORT)
                blocked: list[str] = []

                def route(r, blocked=blocked):
                    if is_local(r.request.url):
                        r.continue_()
                    else:
                        blocked.append(r.request.url)
                        r.abort()

                context.route("**/*", route)
                page = context.new_page()
                page.goto(url + path, wait_until="domcontentloaded")
                wait_for_map(page)
                page.wait_for_timeout(1000)  # Streamlit's last elements and fonts
                page.screenshot(path=str(out / name))
                context.close()
                print(
                    f"{out / name}: {VIEWPORT['width']}x{VIEWPORT['height']}, "
                    f"{(out / name).stat().st_size // 1024} KiB ({len(blocked)} requests off "
                    f"this machine blocked)"
                )
        finally:
            browser.close()


def figure_picture(out: Path) -> None:
    """``kharkiv-map figure`` (as ``python -m geo``, so this checkout's code draws it)."""
    target = out / "figure.png"
    subprocess.run(
        [sys.executable, "-m", "geo", "figure", "--out", str(target), "--size", FIGURE_SIZE],
        cwd=ROOT,
        env=code_env(),
        check=True,
    )
    print(f"{target}: {FIGURE_SIZE}, {target.stat().st_size // 1024} KiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "docs" / "images",
        help="the folder to write map.png, classroom.png and figure.png into (default docs/images)",
    )
    args = parser.parse_args(argv)
    if not (ROOT / "static" / "vendor" / "leaflet" / "leaflet.js").is_file():
        sys.exit(
            "docs/screenshots.py: Leaflet is not installed in static/vendor/: run `make setup` "
            "first"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    figure_picture(args.out)
    log_dir = ROOT / "build"  # gitignored; the server's log stays there for a failed run
    log_dir.mkdir(exist_ok=True)
    app_pictures(args.out, log_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
