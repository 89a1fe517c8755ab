"""Load test: many readers on the map page at once, against a Streamlit server it starts itself.

    python bench/load.py [--sessions 10,20,40,80] [--browsers 10] [--depth 150] [--distinct-depths]

For each N in ``--sessions`` a fresh ``streamlit run app.py`` (headless, localhost only, on a
free port) is warmed with one session, then N sessions open the map page at the same moment.
They speak Streamlit's own protocol over its websocket (``/_stcore/stream``), the way the
browser does, with no browser: each waits for the streamlit-folium map, then changes the
counterfire depth D (the "D in km" input) and waits for the redrawn map. Reported per N:
sessions that got the map, time to map and time to the redrawn map (p50/p95), errors, the
server's CPU seconds and memory (RSS) before and after, and MiB per extra session.

``--browsers K`` opens K real headless Chromium pages (Playwright, Debian's chromium; every
request not to this machine is blocked) on the map page at once, times until Leaflet has
drawn the zone polygons inside the component frame, then types a new D into the sidebar
and times until the drawn zones change.

Not part of ``make test``: ``make load`` runs it. Everything is bounded: per-session
timeouts, a global deadline, and the server is stopped at the end, also on an error or Ctrl-C.

How a browser session looks on the wire (read from streamlit's sources; kept here so the
script can be maintained when Streamlit changes):

- The websocket is ``ws://host:port/_stcore/stream`` with the subprotocol list
  ``["streamlit", <xsrf token or "PLACEHOLDER_AUTH_TOKEN">, <last session id, on reconnect>]``;
  the server selects ``streamlit``. Every frame is binary protobuf: BackMsg up, ForwardMsg down.
- On connect the browser sends ``BackMsg.rerun_script`` (a ``ClientState``) with the URL's
  ``query_string``, ``page_script_hash`` (empty: the server picks the page from ``page_name``,
  also empty for the main page), the ``widget_states`` it holds (none yet) and
  ``cached_message_hashes`` (the hashes of cacheable messages it keeps).
- Each run starts with ``ForwardMsg.new_session`` (its ``page_script_hash`` is the page's),
  then ``delta`` messages (``new_element`` / ``add_block`` at ``metadata.delta_path``),
  ``page_info_changed`` when the app writes ``st.query_params`` (the browser puts that
  query string in the address bar and sends it with the next rerun), and ends with
  ``script_finished``. A message the client said it has cached comes as ``ref_hash``.
- Widgets carry their id in the element (``number_input.id`` etc.); a keyed widget's id ends
  in ``-<key>`` (``...-w_depth``). A widget change is another ``rerun_script`` with the same
  query string and page hash and every widget's current value in ``widget_states``
  (``double_value`` for a number input, ``string_value`` for a selectbox or radio,
  ``bool_value`` for a checkbox or toggle); the changed widget carries its new value.
- The map is a ``component_instance`` element of component ``streamlit_folium.st_folium``
  whose ``json_args`` hold the Leaflet map script (``"script"``, with ``L.map(``) and the
  script of the zones drawn over it (``"feature_group"``): a new D changes only the latter.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import hashlib
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 10
CLOSED_SETTLE_S = 2.0  # after the sessions close, before the server's memory is read again
DEPTH_KEY, PRESET_KEY = "w_depth", "w_preset"
MAP_COMPONENT = "st_folium"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Goals, checked at N = GOAL_SESSIONS and for the browser run.
GOAL_SESSIONS = 40
GOAL_MAP_P95_S, GOAL_CHANGE_P95_S, GOAL_MIB_PER_SESSION = 5.0, 3.0, 5.0
GOAL_BROWSER_P95_S = 12.0


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the server gets SIGTERM if this script dies without stopping it."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    """``streamlit run app.py`` (or another ``script`` in ``cwd``) on a free localhost port,
    and its CPU time and memory."""

    def __init__(self, log_dir: Path, script: str = "app.py", cwd: Path = ROOT):
        self.script, self.cwd = script, cwd
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        self.log_path = log_dir / f"streamlit-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            k: v for k, v in os.environ.items() if k != "KHARKIV_MAP_ASSETS"
        }  # serve <repo>/static
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            self.script,
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--browser.serverAddress",
            "localhost",
            "--server.fileWatcherType",
            "none",
        ]
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            command,
            cwd=self.cwd,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"`streamlit run {self.script}` did not start on port {self.port} "
                    f"(exit code {self.process.poll()}); log: {self.log_path}\n{self.log_tail()}"
                )
            time.sleep(0.25)

    def log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "".join(self.log_path.read_text(errors="replace").splitlines(True)[-lines:])
        return ""

    def cpu_s(self) -> float:
        """User + system CPU seconds of the server process (all its threads)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=STOP_TIMEOUT_S)
        self._log.close()


def machine_busy_s() -> float:
    """CPU seconds all cores have spent busy since boot (/proc/stat), to see what else ran."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf(
            "SC_CLK_TCK"
        )  # less idle and iowait
    return float("nan")


def own_cpu_s() -> float:
    times = os.times()
    return times.user + times.system


# --------------------------------------------------------------------------- results


@dataclasses.dataclass
class Result:
    map_s: float | None = None
    change_s: float | None = None
    error: str | None = None


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p95 of 10 values is the largest)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def fmt_s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


# --------------------------------------------------------------------------- protocol sessions


class ProtocolError(Exception):
    pass


class Session:
    """One browser tab, as Streamlit's frontend speaks to the server."""

    def __init__(self, ws, proto):
        self.ws, self.proto = ws, proto
        self.page_hash = ""
        self.query_string = ""
        self.elements: dict[tuple[int, ...], object] = {}  # this run's elements by delta path
        self.cache: dict[
            str, object
        ] = {}  # cacheable ForwardMsgs by hash, as the browser keeps them
        self.maps: list[tuple[float, str]] = []  # (arrival, fingerprint) of each map received
        self.finished = 0  # script_finished messages received
        self.problems: list[str] = []

    async def rerun(self, widget_states=()) -> None:
        msg = self.proto.BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash
        state.widget_states.widgets.extend(widget_states)
        state.cached_message_hashes.extend(self.cache)
        await self.ws.send(msg.SerializeToString())

    async def until(self, done, deadline: float, what: str) -> None:
        """Read ForwardMsgs until ``done()`` holds."""
        while not done():
            if self.problems:
                raise ProtocolError(self.problems[0])
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"timed out waiting for {what}")
            try:
                data = await asyncio.wait_for(self.ws.recv(), remaining)
            except TimeoutError:
                raise TimeoutError(f"timed out waiting for {what}") from None
            self.handle(data, time.monotonic())
        if self.problems:
            raise ProtocolError(self.problems[0])

    def handle(self, data: bytes, now: float) -> None:
        msg = self.proto.ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                self.problems.append(
                    f"the server referred to a message this client never had ({msg.ref_hash})"
                )
                return
            full = self.proto.ForwardMsg()
            full.CopyFrom(cached)
            full.metadata.CopyFrom(msg.metadata)
            msg, kind = full, full.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = msg
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
            self.elements.clear()
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "script_finished":
            self.finished += 1
            if msg.script_finished == self.proto.ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self.problems.append("the page did not compile")
        elif kind == "page_not_found":
            self.problems.append("page not found")
        elif (
            kind == "session_event"
            and msg.session_event.WhichOneof("type") == "script_compilation_exception"
        ):
            self.problems.append("the page did not compile")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            self.elements[tuple(msg.metadata.delta_path)] = element
            what = element.WhichOneof("type")
            if what == "exception":
                self.problems.append(
                    f"exception in the app: {element.exception.type}: {element.exception.message}"
                )
            elif what == "alert" and element.alert.format == self.proto.ERROR:
                self.problems.append(f"error shown: {element.alert.body[:120]}")
            elif what == "component_instance":
                fingerprint = map_fingerprint(element.component_instance)
                if fingerprint:
                    self.maps.append((now, fingerprint))

    def widget(self, key: str):
        """(kind, proto) of this run's widget whose key is ``key``."""
        for element in self.elements.values():
            kind = element.WhichOneof("type")
            widget = getattr(element, kind)
            if getattr(widget, "id", "").endswith(f"-{key}"):
                return kind, widget
        raise ProtocolError(f"no widget with key {key!r} on the page")

    def widget_states(self, changes: dict[str, object]) -> list:
        """Every widget's value, as the browser holds them, with ``changes`` (by id) applied."""
        states = []
        for element in self.elements.values():
            kind = element.WhichOneof("type")
            widget = getattr(element, kind)
            state = self.proto.WidgetState(id=getattr(widget, "id", ""))
            value = changes.get(state.id)
            if kind == "number_input":
                current = (
                    value
                    if value is not None
                    else (widget.value if widget.HasField("value") else widget.default)
                )
                if widget.data_type == self.proto.NumberInput.INT:
                    state.int_value = int(current)
                else:
                    state.double_value = float(current)
            elif kind in ("selectbox", "radio"):
                if value is not None:
                    state.string_value = value
                elif widget.HasField("raw_value"):
                    state.string_value = widget.raw_value
                elif widget.HasField("default") and widget.options:
                    state.string_value = widget.options[widget.default]
                else:
                    continue
            elif kind == "checkbox":
                state.bool_value = (
                    bool(value)
                    if value is not None
                    else (widget.value if widget.set_value else widget.default)
                )
            else:
                continue  # buttons send nothing until pressed; the map sends nothing until clicked
            states.append(state)
        return states


def map_fingerprint(component) -> str | None:
    """A hash of the drawn map when ``component`` is the streamlit-folium map, else None."""
    if MAP_COMPONENT not in component.component_name:
        return None
    try:
        args = json.loads(component.json_args)
    except ValueError:
        return None
    script = args.get("script") if isinstance(args, dict) else None
    if not isinstance(script, str) or "L.map(" not in script:
        return None
    # A new R, D or stage changes only the overlay the map keeps drawn ("feature_group").
    drawn = "\0".join(str(args.get(k, "")) for k in ("script", "header", "html", "feature_group"))
    return hashlib.sha1(drawn.encode()).hexdigest()


class Proto:
    """Streamlit's protobuf classes, imported once."""

    def __init__(self):
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.proto.NumberInput_pb2 import NumberInput
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        self.BackMsg, self.ForwardMsg, self.NumberInput, self.WidgetState = (
            BackMsg,
            ForwardMsg,
            NumberInput,
            WidgetState,
        )
        self.ERROR = Alert.ERROR


async def protocol_session(
    server: Server,
    proto: Proto,
    new_depth: float | None,
    args,
    delay_s: float,
    start: asyncio.Event,
    arrived,
    release: asyncio.Event,
    deadline: float,
) -> Result:
    """Open the map page and wait for the map; change D and wait for the redrawn map; then
    call ``arrived()`` and hold the session open until ``release`` is set (so the server's
    memory is measured with every session still connected)."""
    from websockets.asyncio.client import connect

    result, signalled = Result(), False

    def signal_once() -> None:
        nonlocal signalled
        if not signalled:
            signalled = True
            arrived()

    await start.wait()
    await asyncio.sleep(delay_s)
    phase = "connecting"
    try:
        began = time.monotonic()
        async with connect(
            f"ws://127.0.0.1:{server.port}/_stcore/stream",
            subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
            origin=server.url,
            max_size=None,
            open_timeout=args.timeout,
            ping_interval=None,
            close_timeout=2,
        ) as ws:
            session = Session(ws, proto)
            session.query_string = args.query
            phase = "the map"
            await session.rerun()
            limit = min(began + args.timeout, deadline)
            await session.until(lambda: session.maps, limit, "the map")
            result.map_s = session.maps[0][0] - began
            await session.until(lambda: session.finished >= 1, limit, "the first run to finish")
            if new_depth is not None:
                phase = "the redrawn map"
                if args.change == "preset":
                    _, preset = session.widget(PRESET_KEY)
                    option = next(
                        (o for o in preset.options if re.search(rf"\b{new_depth:g} km\b", o)), None
                    )
                    if option is None:
                        raise ProtocolError(
                            f"no D preset of {new_depth:g} km in {list(preset.options)}"
                        )
                    changes = {preset.id: option}
                else:
                    _, depth = session.widget(DEPTH_KEY)
                    changes = {depth.id: new_depth}
                first, seen, finished = session.maps[0][1], len(session.maps), session.finished
                changed_at = time.monotonic()
                await session.rerun(session.widget_states(changes))
                limit = min(changed_at + args.timeout, deadline)
                await session.until(
                    lambda: any(f != first for _, f in session.maps[seen:]),
                    limit,
                    "the redrawn map",
                )
                result.change_s = next(t for t, f in session.maps[seen:] if f != first) - changed_at
                await session.until(
                    lambda: session.finished > finished, limit, "the second run to finish"
                )
            phase = "holding"
            signal_once()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(release.wait(), max(0.0, deadline - time.monotonic()))
    except (TimeoutError, ProtocolError) as err:
        result.error = str(err)
    except Exception as err:  # refused or dropped connection, a bad frame: this session's error
        result.error = f"{phase}: {type(err).__name__}: {err}"
    finally:
        signal_once()
    return result


@dataclasses.dataclass
class Round:
    n: int
    results: list[Result]
    cpu_s: float
    rss_before: float
    rss_after: float
    wall_s: float
    rss_closed: float = float("nan")
    machine_s: float = float("nan")  # busy CPU seconds of the whole machine during the round
    own_s: float = float("nan")  # of this script
    blocked: int = 0
    js_errors: int = 0

    @property
    def maps(self) -> list[float]:
        return [r.map_s for r in self.results if r.map_s is not None]

    @property
    def changes(self) -> list[float]:
        return [r.change_s for r in self.results if r.change_s is not None]

    @property
    def errors(self) -> list[str]:
        return [r.error for r in self.results if r.error]

    @property
    def mib_per_session(self) -> float:
        return (self.rss_after - self.rss_before) / self.n


async def hold_all(server: Server, n: int, make_task, deadline: float, spread_s: float) -> Round:
    """Start N sessions at once (or spread over ``spread_s``), read the server's CPU time and
    memory when each has finished or failed (before any is closed), then close them."""
    start, release = asyncio.Event(), asyncio.Event()
    count = 0

    def arrived() -> None:
        nonlocal count
        count += 1

    tasks = [
        asyncio.create_task(make_task(i, spread_s * i / n, start, arrived, release))
        for i in range(n)
    ]
    rss0, cpu0, machine0, own0 = server.rss_mib(), server.cpu_s(), machine_busy_s(), own_cpu_s()
    began = time.monotonic()
    start.set()
    try:
        while count < n and time.monotonic() < deadline and not all(t.done() for t in tasks):
            await asyncio.sleep(0.05)
        wall = time.monotonic() - began
        cpu1, rss1, machine1, own1 = server.cpu_s(), server.rss_mib(), machine_busy_s(), own_cpu_s()
    finally:
        release.set()
    results = await asyncio.gather(*tasks)
    await asyncio.sleep(CLOSED_SETTLE_S)
    return Round(
        n,
        list(results),
        cpu1 - cpu0,
        rss0,
        rss1,
        wall,
        rss_closed=server.rss_mib(),
        machine_s=machine1 - machine0,
        own_s=own1 - own0,
    )


async def warm_up(server: Server, proto: Proto, args) -> None:
    """One session that loads the map (the data and the default layers), then leaves."""
    start, release = asyncio.Event(), asyncio.Event()
    start.set()
    release.set()
    warm_args = argparse.Namespace(**{**vars(args), "timeout": START_TIMEOUT_S})
    result = await protocol_session(
        server,
        proto,
        None,
        warm_args,
        0.0,
        start,
        lambda: None,
        release,
        time.monotonic() + START_TIMEOUT_S,
    )
    if result.error:
        raise RuntimeError(f"the warm-up session failed: {result.error}\n{server.log_tail()}")
    await asyncio.sleep(1.0)  # let the server drop the closed session


async def protocol_round(server: Server, n: int, args, deadline: float) -> Round:
    proto = Proto()
    await warm_up(server, proto, args)
    depths = session_depths(n, args)

    def make_task(i, delay, start, arrived, release):
        return protocol_session(
            server, proto, depths[i], args, delay, start, arrived, release, deadline
        )

    return await hold_all(server, n, make_task, deadline, args.ramp)


def session_depths(n: int, args) -> list[float]:
    """The new D of each session: all the same, or with ``--distinct-depths`` one each
    (100, 102.5, 105 ... km), so every session asks for layers nobody has built."""
    if not args.distinct_depths:
        return [args.depth] * n
    return [100 + (2.5 * i) % 200 for i in range(n)]


# --------------------------------------------------------------------------- real browsers

#: Inside the streamlit-folium frame: the outlines of the polygons Leaflet has drawn (None
#: before the map has loaded), so a redraw with another D shows as different bounds.
DRAWN_POLYGONS = """() => {
    if (!window.map || !window.map._loaded || typeof L === "undefined") return null;
    const out = [];
    window.map.eachLayer(layer => {
        if (layer instanceof L.Polygon && layer._path && layer._path.getAttribute("d")) {
            const b = layer.getBounds();
            out.push([b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(x => x.toFixed(4)).join(","));
        }
    });
    return out.sort();
}"""
MIN_POLYGONS = 2


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in LOCAL_HOSTS


async def drawn_map(page, previous: list[str] | None, deadline: float, what: str) -> list[str]:
    """The polygons drawn in the map frame once there are zones (other ones than ``previous``)."""
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url or frame.is_detached():
                continue
            try:
                drawn = await asyncio.wait_for(
                    frame.evaluate(DRAWN_POLYGONS), max(0.1, deadline - time.monotonic())
                )
            except Exception:  # the frame went away in a rerun, or is still loading: look again
                continue
            # A redraw counts once it shows every zone the first map showed, with other outlines.
            if drawn and len(drawn) >= max(MIN_POLYGONS, len(previous or ())) and drawn != previous:
                return drawn
        await asyncio.sleep(0.1)
    raise TimeoutError(f"timed out waiting for {what}")


async def browser_session(
    browser,
    server: Server,
    new_depth: float,
    args,
    delay_s: float,
    start,
    arrived,
    release,
    deadline: float,
    counters: dict,
) -> Result:
    """One Chromium page (its own context: its own cache and cookies) on the map page."""
    result, context, phase = Result(), None, "opening the page"
    try:
        context = await browser.new_context(viewport={"width": 1400, "height": 900})

        async def route(request_route):
            if is_local(request_route.request.url):
                await request_route.continue_()
            else:
                counters["blocked"] += 1
                await request_route.abort()

        await context.route("**/*", route)
        page = await context.new_page()
        page.on(
            "pageerror", lambda err: counters.__setitem__("js_errors", counters["js_errors"] + 1)
        )
        await start.wait()
        await asyncio.sleep(delay_s)
        phase = "the map"
        began = time.monotonic()
        query = f"?{args.query}" if args.query else ""
        await page.goto(f"{server.url}/{query}", wait_until="commit", timeout=args.timeout * 1000)
        drawn = await drawn_map(page, None, min(began + args.timeout, deadline), "the map")
        result.map_s = time.monotonic() - began
        phase = "the redrawn map"
        field = page.get_by_label(re.compile(r"^D in km"))
        await field.fill(f"{new_depth:g}", timeout=args.timeout * 1000)
        changed_at = time.monotonic()
        await field.press("Enter")
        await drawn_map(page, drawn, min(changed_at + args.timeout, deadline), "the redrawn map")
        result.change_s = time.monotonic() - changed_at
        arrived()
        arrived = lambda: None  # noqa: E731
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(release.wait(), max(0.0, deadline - time.monotonic()))
    except Exception as err:
        message = (
            str(err) if isinstance(err, TimeoutError) else f"{phase}: {type(err).__name__}: {err}"
        )
        result.error = (message.splitlines() or [""])[0]
    finally:
        arrived()
        if context is not None:
            with contextlib.suppress(Exception):
                await context.close()
    return result


async def browser_round(server: Server, k: int, args, deadline: float) -> Round:
    from playwright.async_api import async_playwright

    await warm_up(server, Proto(), args)
    counters = {"blocked": 0, "js_errors": 0}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            depths = session_depths(k, args)

            def make_task(i, delay, start, arrived, release):
                return browser_session(
                    browser,
                    server,
                    depths[i],
                    args,
                    delay,
                    start,
                    arrived,
                    release,
                    deadline,
                    counters,
                )

            result = await hold_all(server, k, make_task, deadline, args.ramp)
        finally:
            await browser.close()
    result.blocked, result.js_errors = counters["blocked"], counters["js_errors"]
    return result


#: The yardstick page: Streamlit with a title and a line, served and opened the same way.
EMPTY_PAGE = 'import streamlit as st\n\nst.title("Empty page")\nst.write("A line of text.")\n'


async def empty_round(server: Server, k: int, args) -> list[float]:
    """The same K Chromium pages at once on the empty page: seconds until its line shows, each
    (the yardstick of the browser round: what the browsers cost for any Streamlit page here)."""
    from playwright.async_api import async_playwright

    async def one(browser) -> float:
        context = await browser.new_context(viewport={"width": 1400, "height": 900})
        await context.route(
            "**/*", lambda r: r.continue_() if is_local(r.request.url) else r.abort()
        )
        try:
            page = await context.new_page()
            began = time.monotonic()
            await page.goto(server.url, wait_until="commit", timeout=args.timeout * 1000)
            await page.get_by_text("A line of text.").wait_for(timeout=args.timeout * 1000)
            return time.monotonic() - began
        finally:
            await context.close()

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            await one(browser)  # the server's first page, as warm_up does for the map
            return list(await asyncio.gather(*(one(browser) for _ in range(k))))
        finally:
            await browser.close()


def empty_yardstick(k: int, args, log_dir: Path, map_round: Round) -> list[str]:
    """The yardstick round, and the map's p95 as a ratio to it."""
    folder = Path(tempfile.mkdtemp(prefix="kharkiv-empty-"))
    (folder / "empty.py").write_text(EMPTY_PAGE)
    server = Server(log_dir, "empty.py", folder)
    try:
        server.start()
        times = asyncio.run(empty_round(server, k, args))
    finally:
        server.stop()
    empty95, map95 = percentile(times, 95), percentile(map_round.maps, 95)
    ratio = f"{map95 / empty95:.2f}x" if empty95 and map95 else "-"
    return [
        f"Yardstick: the empty Streamlit page, {k} pages at once: p50 "
        f"{fmt_s(percentile(times, 50))} s, "
        f"p95 {fmt_s(empty95)} s; the map's p95 is {ratio} the empty page's."
    ]


# --------------------------------------------------------------------------- report

HEADER = (
    f"{'N':>4} {'got map':>8} {'map p50':>8} {'map p95':>8} {'chg p50':>8} {'chg p95':>8} "
    f"{'errors':>6} "
    f"{'CPU s':>7} {'RSS MiB before/with N/closed':>28} {'MiB/sess':>8} {'wall s':>7}"
)


def row(r: Round) -> str:
    rss = f"{r.rss_before:.0f} / {r.rss_after:.0f} / {r.rss_closed:.0f}"
    return (
        f"{r.n:>4} {f'{len(r.maps)}/{r.n}':>8} {fmt_s(percentile(r.maps, 50)):>8} "
        f"{fmt_s(percentile(r.maps, 95)):>8} {fmt_s(percentile(r.changes, 50)):>8} "
        f"{fmt_s(percentile(r.changes, 95)):>8} {len(r.errors):>6} {r.cpu_s:>7.1f} {rss:>28} "
        f"{r.mib_per_session:>8.2f} {r.wall_s:>7.1f}"
    )


def cpu_line(r: Round, others: str) -> str:
    cores = os.cpu_count() or 1
    rest = r.machine_s - r.cpu_s - r.own_s
    return (
        f"     machine CPU busy {r.machine_s:.0f} s of {r.wall_s * cores:.0f} s ({cores} cores x "
        f"wall): "
        f"server {r.cpu_s:.0f} s, this script {r.own_s:.0f} s, {others} {rest:.0f} s"
    )


def error_summary(r: Round) -> list[str]:
    counts: dict[str, int] = {}
    for error in r.errors:
        counts[error] = counts.get(error, 0) + 1
    return [
        f"     {count} x {error}"
        for error, count in sorted(counts.items(), key=lambda kv: -kv[1])[:5]
    ]


def check(label: str, ok: bool, measured: str, goal: str) -> str:
    return f"  [{'PASS' if ok else 'FAIL'}] {label}: {measured} (goal {goal})"


def goals_for_sessions(r: Round) -> list[str]:
    p95, c95 = percentile(r.maps, 95), percentile(r.changes, 95)
    return [
        f"Goals at N = {r.n}:",
        check("all sessions get the map", len(r.maps) == r.n, f"{len(r.maps)}/{r.n}", "all"),
        check(
            "time to map p95",
            p95 is not None and p95 <= GOAL_MAP_P95_S,
            f"{fmt_s(p95)} s",
            f"<= {GOAL_MAP_P95_S:g} s",
        ),
        check(
            "redrawn map after the change p95",
            c95 is not None and c95 <= GOAL_CHANGE_P95_S,
            f"{fmt_s(c95)} s",
            f"<= {GOAL_CHANGE_P95_S:g} s",
        ),
        check("errors", not r.errors, str(len(r.errors)), "0"),
        check(
            "server memory per extra session",
            r.mib_per_session <= GOAL_MIB_PER_SESSION,
            f"{r.mib_per_session:.2f} MiB",
            f"<= {GOAL_MIB_PER_SESSION:g} MiB",
        ),
    ]


def goals_for_browsers(r: Round) -> list[str]:
    p95, c95 = percentile(r.maps, 95), percentile(r.changes, 95)
    return [
        f"Goals for {r.n} browsers:",
        check("all pages draw the map", len(r.maps) == r.n, f"{len(r.maps)}/{r.n}", "all"),
        check(
            "map drawn p95",
            p95 is not None and p95 <= GOAL_BROWSER_P95_S,
            f"{fmt_s(p95)} s",
            f"<= {GOAL_BROWSER_P95_S:g} s",
        ),
        check(
            "zones redrawn after the change p95",
            c95 is not None and c95 <= GOAL_BROWSER_P95_S,
            f"{fmt_s(c95)} s",
            f"<= {GOAL_BROWSER_P95_S:g} s",
        ),
        check("errors", not r.errors, str(len(r.errors)), "0"),
    ]


# --------------------------------------------------------------------------- main


def session_counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        counts = []
    if not counts or any(not 1 <= n <= 500 for n in counts):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give whole numbers from 1 to 500, e.g. 10,20,40,80"
        )
    return counts


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sessions",
        type=session_counts,
        default=None,
        help="protocol-level rounds, N concurrent sessions each (default 10,20,40,80; "
        "none when only --browsers is given)",
    )
    parser.add_argument(
        "--browsers", type=int, default=0, help="also a round of K real Chromium pages (e.g. 10)"
    )
    parser.add_argument(
        "--depth",
        type=float,
        default=150.0,
        help="the new D in km each session changes to (default 150)",
    )
    parser.add_argument(
        "--distinct-depths",
        action="store_true",
        help="each session picks its own D (100, 102.5, ... km): no session finds its layers "
        "cached",
    )
    parser.add_argument(
        "--change",
        choices=("input", "preset"),
        default="input",
        help="protocol sessions change D in the 'D in km' input (default) or the preset selectbox",
    )
    parser.add_argument(
        "--query",
        default="",
        help="query string of the page opened, e.g. basemap=none (default none)",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=0.0,
        help="spread the session starts over this many seconds (default 0: all at once)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds each session may wait for each map (default 120)",
    )
    parser.add_argument(
        "--deadline", type=float, default=900.0, help="seconds for the whole run (default 900)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a goal is missed"
    )
    parser.add_argument(
        "--chromium",
        default="/usr/bin/chromium",
        help="Chromium for --browsers (default /usr/bin/chromium)",
    )
    args = parser.parse_args(argv)
    if args.sessions is None:
        args.sessions = [] if args.browsers else [10, 20, 40, 80]
    if not 0 <= args.browsers <= 50:
        parser.error("--browsers takes 0 to 50 pages")
    if not 5 <= args.depth <= 300 or args.depth == 80:
        parser.error("--depth takes 5 to 300 km, other than the opening 80 km")
    if args.change == "preset" and args.distinct_depths:
        parser.error(
            "--distinct-depths needs --change input (the presets are only 70, 80 and 150 km)"
        )
    if args.timeout <= 0 or args.deadline <= 0 or args.ramp < 0:
        parser.error("--timeout and --deadline must be positive, --ramp not negative")
    if args.browsers and not Path(args.chromium).exists():
        parser.error(
            f"no Chromium at {args.chromium} (apt-get install chromium, or --chromium PATH)"
        )
    return args


def describe(args) -> str:
    import streamlit

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    depth = "a D of its own (100-297.5 km)" if args.distinct_depths else f"D = {args.depth:g} km"
    how = "the preset selectbox" if args.change == "preset" else "the 'D in km' input"
    return (
        f"Streamlit {streamlit.__version__}, {os.cpu_count()} cores, load average {load} at the "
        f"start.\n"
        f"Each session opens the map page{f' ?{args.query}' if args.query else ''}, waits for "
        f"the map, "
        f"then sets {depth} ({how}) and waits for the redrawn map.\n"
        f"Times in seconds; p95 is nearest-rank; CPU s and RSS are the server process's during "
        f"the round; "
        f"MiB/sess = (RSS with N - RSS before) / N, read with every session still connected; "
        f"'closed' is read {CLOSED_SETTLE_S:g} s after they have all closed."
    )


def run_round(kind: str, n: int, args, deadline: float, log_dir: Path) -> Round:
    server = Server(log_dir)
    try:
        server.start()
        coroutine = (
            protocol_round(server, n, args, deadline)
            if kind == "sessions"
            else browser_round(server, n, args, deadline)
        )
        return asyncio.run(coroutine)
    finally:
        server.stop()


def main(argv=None) -> int:
    args = parse_args(argv)
    deadline = time.monotonic() + args.deadline

    def stop_on_sigterm(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_sigterm)
    print(describe(args), flush=True)
    log_dir = Path(tempfile.mkdtemp(prefix="kharkiv-load-"))
    failed = False
    try:
        for kind, counts in (
            ("sessions", args.sessions),
            ("browsers", [args.browsers] if args.browsers else []),
        ):
            if not counts:
                continue
            title = (
                "Protocol-level sessions (websocket, no browser)"
                if kind == "sessions"
                else "Real headless Chromium pages"
            )
            print(f"\n{title}\n{HEADER}", flush=True)
            rounds = []
            for n in counts:
                if time.monotonic() > deadline:
                    print(
                        f"{n:>4} skipped: the --deadline of {args.deadline:g} s has passed",
                        flush=True,
                    )
                    failed = True
                    continue
                try:
                    result = run_round(kind, n, args, deadline, log_dir)
                except RuntimeError as err:
                    print(f"{n:>4} failed: {err}", flush=True)
                    failed = True
                    continue
                rounds.append(result)
                print(row(result), flush=True)
                print(
                    cpu_line(
                        result,
                        "other processes" if kind == "sessions" else "Chromium and other processes",
                    ),
                    flush=True,
                )
                for line in error_summary(result):
                    print(line, flush=True)
                if kind == "browsers":
                    print(
                        f"     requests off this machine blocked: {result.blocked}; "
                        f"script errors in the pages: {result.js_errors}",
                        flush=True,
                    )
                    print("\n".join(empty_yardstick(n, args, log_dir, result)), flush=True)
            goal_round = (
                next((r for r in rounds if r.n == GOAL_SESSIONS), None)
                if kind == "sessions"
                else (rounds[0] if rounds else None)
            )
            if goal_round is not None:
                lines = (
                    goals_for_sessions(goal_round)
                    if kind == "sessions"
                    else goals_for_browsers(goal_round)
                )
                print("\n" + "\n".join(lines), flush=True)
                failed |= args.strict and any("[FAIL]" in line for line in lines)
    except KeyboardInterrupt:
        print("\ninterrupted: the server has been stopped", file=sys.stderr)
        return 130
    print(f"\nserver logs: {log_dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
