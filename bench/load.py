"""Load test: many readers on the map page at once, against a Streamlit server it starts itself.

    python bench/load.py [--sessions 10,20,40,80] [--browsers 10] [--depth 150] [--distinct-depths]
    python bench/load.py --cluster 2 --sessions 80 [--kill-one]

For each N in ``--sessions`` a fresh ``streamlit run app.py`` (headless, localhost only, on a
free port) is warmed with one session, then N sessions open the map page at the same moment.
They speak Streamlit's own protocol over its websocket (``/_stcore/stream``), the way the
browser does, with no browser: each waits for the map (the app's map component and its
data), then changes the counterfire depth D (the "D in km" input) and waits for the redrawn
map. Reported per N:
sessions that got the map, time to map and time to the redrawn map (p50/p95), errors, the
server's CPU seconds and memory (RSS) before and after, and MiB per extra session.

``--browsers K`` opens K real headless Chromium pages (Playwright, Debian's chromium; every
request not to this machine is blocked) on the map page at once, times until Leaflet has
drawn the zone polygons in the page (the app's map component draws in the page itself), then
types a new D into the sidebar and times until the drawn zones change.

``--cluster R`` starts R replicas of the app and Debian's nginx with ``deploy/nginx.conf``
in front of them (its upstream servers, listen address and temporary folders pointed at this
machine, nothing else changed: :func:`local_nginx_conf`), all on 127.0.0.1, and drives the
sessions through nginx: each opens the page, ``/_stcore/health`` and ``/_stcore/host-config``
first, keeps the cookies they set (nginx's sticky cookie among them) and sends them with its
WebSocket, as a browser does. nginx says which replica answered in its ``X-Replica`` header.
``--kill-one`` stops (SIGKILL) the replica that has sent the most maps once half the sessions
have the map; its sessions reconnect through nginx, as Streamlit's frontend does, and run the
page again on another replica. Besides the table it prints ``per replica: A, B`` (sessions
whose first map came from each replica) and ``sticky: K/N`` (sessions whose every request
went to one replica while that replica lived), and the goals of the cluster.

Not part of ``make test``: ``make load`` runs it, ``make load-cluster`` the cluster run.
Everything is bounded: per-session timeouts, a global deadline, and the servers (and nginx)
are stopped at the end, also on an error or Ctrl-C.

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
- The map is a ``bidi_component`` element (Streamlit's custom components v2) of the app's
  component ``kharkiv_border_map`` whose ``json`` is its data: the base the browser keeps
  drawn (``"base"``, with folium's script, ``L.map(``, and an ``"id"``) and the overlay of the
  zones drawn over it (``"overlay"``): a new D changes only the latter.
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
import shutil
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
MAP_COMPONENT = "kharkiv_border_map"
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

#: Goals: at N = GOAL_SESSIONS the times; at N = ALL_SERVED_SESSIONS every session served
#: without an error; for the browser run, the map's p95 as a ratio to the empty page's p95
#: (the same number of pages at once, timed in the same run).
GOAL_SESSIONS, ALL_SERVED_SESSIONS = 40, 80
GOAL_MAP_P95_S, GOAL_CHANGE_P95_S, GOAL_MIB_PER_SESSION = 3.0, 2.0, 5.0
GOAL_BROWSER_RATIO = 1.3


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
        self.spawn()
        self.wait_ready()

    def spawn(self) -> None:
        """Start the process without waiting for it (several replicas start side by side)."""
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

    def wait_ready(self) -> None:
        """Wait until /_stcore/health answers 200 (bounded by START_TIMEOUT_S)."""
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

    def kill(self) -> None:
        """Lose the replica: SIGKILL, as a crashed machine or an out-of-memory kill would."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT_S)

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
            elif what == "bidi_component":
                fingerprint = map_fingerprint(element.bidi_component)
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
    """A hash of the drawn map when ``component`` is the app's map component, else None."""
    if component.component_name != MAP_COMPONENT:
        return None
    try:
        data = json.loads(component.json)
    except ValueError:
        return None
    base = data.get("base") if isinstance(data, dict) else None
    if not isinstance(base, dict) or "L.map(" not in str(base.get("script", "")):
        return None
    # A new R, D or stage changes only the overlay the map keeps drawn.
    drawn = f"{base.get('id')}\0{json.dumps(data.get('overlay'), sort_keys=True)}"
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
                changes = depth_change(session, new_depth, args)
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


def depth_change(session: Session, new_depth: float, args) -> dict[str, object]:
    """The widget change that sets D to ``new_depth`` (``{widget id: value}``), in the "D in
    km" input or, with ``--change preset``, the preset selectbox."""
    if args.change == "preset":
        _, preset = session.widget(PRESET_KEY)
        option = next((o for o in preset.options if re.search(rf"\b{new_depth:g} km\b", o)), None)
        if option is None:
            raise ProtocolError(f"no D preset of {new_depth:g} km in {list(preset.options)}")
        return {preset.id: option}
    _, depth = session.widget(DEPTH_KEY)
    return {depth.id: new_depth}


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
    empty_p95: float | None = None  # the yardstick of a browser round: the empty page's p95

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

#: In the page: the outlines of the polygons Leaflet has drawn in the app's map component (None
#: before the map has loaded), so a redraw with another D shows as different bounds.
DRAWN_POLYGONS = """() => {
    const host = document.querySelector(".kharkiv-map-host");
    const map = host && host.leafletMap;
    if (!map || !map._loaded || typeof L === "undefined") return null;
    const out = [];
    map.eachLayer(layer => {
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


async def offline_context(browser):
    """A browser context of a desktop's size in which every request off this machine fails."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    await context.route("**/*", lambda r: r.continue_() if is_local(r.request.url) else r.abort())
    return context


async def drawn_map(page, previous: list[str] | None, deadline: float, what: str) -> list[str]:
    """The polygons drawn in the map once there are zones (other ones than ``previous``)."""
    while time.monotonic() < deadline:
        try:
            drawn = await asyncio.wait_for(
                page.evaluate(DRAWN_POLYGONS), max(0.1, deadline - time.monotonic())
            )
        except Exception:  # the page is still loading, or navigating: look again
            drawn = None
        # A redraw counts once it shows every zone the first map showed, with other outlines.
        if drawn and len(drawn) >= max(MIN_POLYGONS, len(previous or ())) and drawn != previous:
            return drawn
        await asyncio.sleep(0.05)
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
        context = await offline_context(browser)
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
    """The yardstick round, and the map's p95 as a ratio to it (kept on ``map_round``)."""
    folder = Path(tempfile.mkdtemp(prefix="kharkiv-empty-"))
    (folder / "empty.py").write_text(EMPTY_PAGE)
    server = Server(log_dir, "empty.py", folder)
    try:
        server.start()
        times = asyncio.run(empty_round(server, k, args))
    finally:
        server.stop()
    empty95, map95 = percentile(times, 95), percentile(map_round.maps, 95)
    map_round.empty_p95 = empty95
    ratio = f"{map95 / empty95:.2f}x" if empty95 and map95 else "-"
    return [
        f"Yardstick: the empty Streamlit page, {k} pages at once: p50 "
        f"{fmt_s(percentile(times, 50))} s, "
        f"p95 {fmt_s(empty95)} s; the map's p95 is {ratio} the empty page's."
    ]


# --------------------------------------------------------------------------- the cluster

NGINX_CONF = ROOT / "deploy" / "nginx.conf"
#: The response header deploy/nginx.conf adds: the replicas tried, the last one answered.
REPLICA_HEADER = "X-Replica"
#: nginx's temporary folders, moved under the run's own folder (Debian's are /var/lib/nginx).
NGINX_TEMP_PATHS = (
    "client_body_temp_path",
    "proxy_temp_path",
    "fastcgi_temp_path",
    "uwsgi_temp_path",
    "scgi_temp_path",
)
#: A session that lost its replica reconnects at most this often, this long apart (Streamlit's
#: frontend waits, asks /_stcore/health until it answers, then opens a new WebSocket).
MAX_RECONNECTS, RECONNECT_PAUSE_S = 5, 1.0
HTTP_TIMEOUT_S = 30.0


def nginx_path() -> str | None:
    """nginx on PATH, or Debian's /usr/sbin/nginx (not on a user's PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def local_nginx_conf(text: str, replica_ports: list[int], port: int, folder: Path) -> str:
    """``deploy/nginx.conf`` made to run on this machine, every other directive kept as it is.

    Three things change: the ``server`` lines of ``upstream streamlit`` become one per local
    replica (``127.0.0.1:<port>`` with the first line's parameters: ``max_fails`` ...), the
    ``listen`` line becomes ``127.0.0.1:<port>``, and nginx's temporary folders go under
    ``folder`` (added at the top of the ``http`` block). The pid file and the start-up error
    log are given on nginx's command line. Raises ValueError when the file no longer has the
    lines this replaces.
    """
    upstream = re.search(r"(upstream\s+streamlit\s*\{)([^}]*)\}", text)
    if upstream is None:
        raise ValueError(
            f"{NGINX_CONF.name} has no `upstream streamlit {{...}}` block to point "
            "at the local replicas."
        )
    replaced = []

    def local_servers(line: re.Match) -> str:
        """The first ``server`` line becomes the local ones (same parameters); the others go."""
        replaced.append(line)
        indent, parameters = line.group(1), line.group(2)
        if len(replaced) > 1:
            return ""
        return "".join(f"{indent}server 127.0.0.1:{p}{parameters};\n" for p in replica_ports)

    body = re.sub(
        r"^([ \t]*)server[ \t]+\S+([^;\n]*);[ \t]*\n",
        local_servers,
        upstream.group(2),
        flags=re.MULTILINE,
    )
    if not replaced:
        raise ValueError(f"{NGINX_CONF.name}'s upstream block has no `server` line to replace.")
    text = text[: upstream.start(2)] + body + text[upstream.end(2) :]
    text, listens = re.subn(
        r"^([ \t]*)listen[ \t]+[^;\n]+;",
        rf"\g<1>listen 127.0.0.1:{port};",
        text,
        flags=re.MULTILINE,
    )
    if listens != 1:
        raise ValueError(f"{NGINX_CONF.name} should have one `listen` line, not {listens}.")
    temp = "".join(
        f"    {name} {folder / name.removesuffix('_temp_path')};\n" for name in NGINX_TEMP_PATHS
    )
    text, https = re.subn(
        r"^http\s*\{[ \t]*\n", lambda m: m.group(0) + temp, text, flags=re.MULTILINE
    )
    if https != 1:
        raise ValueError(f"{NGINX_CONF.name} should have one `http {{` block, not {https}.")
    return text


def last_replica(header: str | None) -> str:
    """The address that answered, from ``$upstream_addr`` ("a, b" when a was tried first)."""
    return (header or "").split(",")[-1].strip()


class LoadBalancer:
    """nginx with ``deploy/nginx.conf`` in front of ``replicas``, on a free localhost port, as a
    child process (no daemon, its pid file, logs and temporary folders in a folder of its own)."""

    def __init__(self, log_dir: Path, replicas: list[Server], nginx: str):
        self.replicas, self.nginx = replicas, nginx
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="nginx-", dir=log_dir))
        self.log_path = self.folder / "nginx.log"
        self.names = {f"127.0.0.1:{s.port}": chr(ord("A") + i) for i, s in enumerate(replicas)}
        self.process: subprocess.Popen | None = None

    def replica(self, header: str | None) -> str:
        """The replica's name (A, B ...) from the X-Replica header, or "?" without one."""
        return self.names.get(last_replica(header), "?")

    def start(self) -> None:
        conf = self.folder / "nginx.conf"
        conf.write_text(
            local_nginx_conf(
                NGINX_CONF.read_text(), [s.port for s in self.replicas], self.port, self.folder
            )
        )
        command = [
            self.nginx,
            "-p",
            f"{self.folder}/",
            "-c",
            str(conf),
            "-e",
            "stderr",
            "-g",
            f"daemon off; pid {self.folder / 'nginx.pid'};",
        ]
        self._log = open(self.log_path, "a")  # noqa: SIM115 (closed in stop(); nginx appends too)
        self.process = subprocess.Popen(
            command,
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
                    f"nginx did not start on port {self.port} (exit code "
                    f"{self.process.poll()}); log: {self.log_path}\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "".join(self.log_path.read_text(errors="replace").splitlines(True)[-lines:])
        return ""

    def stop(self) -> None:
        """Fast shutdown (SIGTERM: the master stops its workers), SIGKILL if it lingers."""
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
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # a worker left behind, if any
        self._log.close()


async def http_get(
    port: int, path: str, cookies: dict[str, str], timeout: float = HTTP_TIMEOUT_S
) -> tuple[int, dict[str, list[str]]]:
    """GET ``path`` from 127.0.0.1:``port`` with ``cookies``, as a browser would (HTTP/1.1, one
    connection per request); the status and the headers (lower-case names, every value).
    The cookies the response sets are added to ``cookies``."""

    async def exchange() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            lines = [
                f"GET {path} HTTP/1.1",
                f"Host: 127.0.0.1:{port}",
                "Accept: */*",
                "Connection: close",
            ]
            if cookies:
                lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            head = await reader.readuntil(b"\r\n\r\n")
            await reader.read()  # the body, to the end of the connection
            return head
        finally:
            writer.close()

    head = await asyncio.wait_for(exchange(), timeout)
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in header_lines:
        name, colon, value = line.partition(":")
        if colon:
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    for cookie in headers.get("set-cookie", []):
        name, _, value = cookie.split(";", 1)[0].partition("=")
        if name.strip():
            cookies[name.strip()] = value.strip()
    return int(status_line.split()[1]), headers


@dataclasses.dataclass
class Visit:
    """One request of a session through the balancer: when it was answered, what it was, and
    the replica that answered it."""

    at: float
    what: str
    replica: str


@dataclasses.dataclass
class ClusterResult(Result):
    visits: list[Visit] = dataclasses.field(default_factory=list)
    map_replica: str | None = None  # the replica that sent the session its first map
    lost_at: float | None = None  # when the session's replica was lost under it
    again_s: float | None = None  # from then until the map came again, from another replica

    @property
    def final_replica(self) -> str | None:
        """The replica of the session's last WebSocket."""
        return next((v.replica for v in reversed(self.visits) if v.what == "/_stcore/stream"), None)


class Outage:
    """``--kill-one``: the maps each replica has sent, and which replica was stopped, when.

    ``stop`` is called with the replica to stop the moment the sessions have received
    ``threshold`` maps, from the session that received the last of them (the maps arrive in
    a burst, so a task that polled for the count would see it late)."""

    def __init__(self, threshold: float = math.inf, stop=None):
        self.maps: dict[str, int] = {}
        self.threshold, self._stop = threshold, stop
        self.stopped: str | None = None
        self.at: float | None = None
        self.maps_then = 0  # maps received when the replica was stopped

    def got_map(self, replica: str) -> None:
        self.maps[replica] = self.maps.get(replica, 0) + 1
        if self.stopped is None and self._stop and sum(self.maps.values()) >= self.threshold:
            busiest = max(sorted(self.maps), key=self.maps.__getitem__)
            self.stopped, self.at = busiest, time.monotonic()
            self.maps_then = sum(self.maps.values())
            self._stop(busiest)

    def lost(self, replica: str | None) -> bool:
        return replica is not None and replica == self.stopped


class ReplicaLost(Exception):
    """The session's WebSocket closed under it."""


async def cluster_session(
    lb: LoadBalancer,
    proto: Proto,
    new_depth: float | None,
    args,
    delay_s: float,
    start: asyncio.Event,
    holding: dict[int, str],
    index: int,
    release: asyncio.Event,
    deadline: float,
    outage: Outage,
) -> ClusterResult:
    """One browser tab through the balancer: the page and the calls Streamlit's frontend makes
    before its WebSocket (with the cookies they set), then the WebSocket, the map, the change
    of D and the redrawn map, as :func:`protocol_session`. While it holds, it is in
    ``holding`` (index -> replica). When its replica is lost, it does what the frontend does:
    waits, asks /_stcore/health, opens a new WebSocket (nginx sends it to another replica) and
    runs the page again with the widget values it holds."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidHandshake, WebSocketException

    result, cookies = ClusterResult(), {}
    await start.wait()
    await asyncio.sleep(delay_s)
    began, phase = time.monotonic(), "the page"
    states: list = []  # the widget values the tab holds and sends with every run
    query, changed_at, replica = args.query, None, None

    async def get(path: str) -> None:
        status, headers = await http_get(lb.port, path, cookies)
        result.visits.append(
            Visit(
                time.monotonic(),
                path,
                lb.replica((headers.get(REPLICA_HEADER.lower()) or [None])[0]),
            )
        )
        if status != 200:
            raise ProtocolError(f"{path} answered HTTP {status} through nginx")

    async def one_connection() -> None:
        nonlocal phase, states, query, changed_at, replica
        phase = "connecting"
        async with connect(
            f"ws://127.0.0.1:{lb.port}/_stcore/stream",
            subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
            origin=lb.url,
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
            proxy=None,
            max_size=None,
            open_timeout=args.timeout,
            ping_interval=None,
            close_timeout=2,
        ) as ws:
            replica = lb.replica(ws.response.headers.get(REPLICA_HEADER))
            result.visits.append(Visit(time.monotonic(), "/_stcore/stream", replica))
            session = Session(ws, proto)
            session.query_string = query
            phase = "the map"
            await session.rerun(states)
            limit = min(time.monotonic() + args.timeout, deadline)
            await session.until(lambda: session.maps, limit, "the map")
            arrived_at = session.maps[0][0]
            if result.map_s is None:
                result.map_s, result.map_replica = arrived_at - began, replica
                outage.got_map(replica)
            if result.lost_at is not None and result.again_s is None:
                result.again_s = arrived_at - result.lost_at
            if changed_at is not None and result.change_s is None:
                result.change_s = arrived_at - changed_at  # the new D, sent before the loss
            await session.until(lambda: session.finished >= 1, limit, "the first run to finish")
            if new_depth is not None and changed_at is None:
                phase = "the redrawn map"
                changes = depth_change(session, new_depth, args)
                first, seen, finished = session.maps[0][1], len(session.maps), session.finished
                states = session.widget_states(changes)
                changed_at = time.monotonic()
                await session.rerun(states)
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
            query = session.query_string
            phase = "holding"
            holding[index] = replica
            try:
                waiting = {
                    asyncio.ensure_future(release.wait()),
                    asyncio.ensure_future(ws.wait_closed()),
                }
                _, pending = await asyncio.wait(
                    waiting,
                    timeout=max(0.0, deadline - time.monotonic()),
                    return_when=asyncio.FIRST_COMPLETED,
                )
                for task in pending:
                    task.cancel()
                if not release.is_set() and ws.close_code is not None:
                    raise ReplicaLost(f"the WebSocket closed ({ws.close_code})")
            finally:
                holding.pop(index, None)

    try:
        for path in ("/", "/_stcore/health", "/_stcore/host-config"):
            await get(path)
        for attempt in range(MAX_RECONNECTS + 1):
            try:
                await one_connection()
                break
            except (ReplicaLost, WebSocketException, OSError, EOFError) as err:
                handshake = isinstance(err, InvalidHandshake)
                if attempt == MAX_RECONNECTS or not outage.lost(replica):
                    raise
                if result.lost_at is None:
                    result.lost_at = time.monotonic()
                await asyncio.sleep(RECONNECT_PAUSE_S * (2 if handshake else 1))
                await get("/_stcore/health")
    except (TimeoutError, ProtocolError) as err:
        result.error = str(err)
    except Exception as err:  # refused or dropped connection, a bad frame: this session's error
        result.error = f"{phase}: {type(err).__name__}: {err}"
    return result


def sticky(result: ClusterResult, outage: Outage) -> bool:
    """Every request of the session went to one replica while that replica lived: its visits
    are one replica's, or one replica's and then, once that one was stopped, another's."""
    replicas = [v.replica for v in result.visits]
    if not replicas or "?" in replicas:
        return False
    switches = [i for i in range(1, len(replicas)) if replicas[i] != replicas[i - 1]]
    if not switches:
        return True
    first = switches[0]
    return (
        len(switches) == 1
        and outage.lost(replicas[0])
        and outage.at is not None
        and result.visits[first].at >= outage.at
    )


@dataclasses.dataclass
class ReplicaStats:
    name: str
    port: int
    rss_before: float
    rss_with: float = float("nan")  # with every session holding (nan: stopped by then)
    rss_closed: float = float("nan")
    cpu_s: float = 0.0
    stopped: bool = False


@dataclasses.dataclass
class ClusterRound(Round):
    replicas: list[ReplicaStats] = dataclasses.field(default_factory=list)
    outage: Outage | None = None

    @property
    def per_replica(self) -> list[int]:
        """Sessions whose first map came from each replica."""
        return [sum(r.map_replica == s.name for r in self.results) for s in self.replicas]

    @property
    def sticky(self) -> int:
        return sum(sticky(r, self.outage) for r in self.results)

    @property
    def lost(self) -> list[ClusterResult]:
        return [r for r in self.results if r.lost_at is not None]


async def cluster_round(lb: LoadBalancer, n: int, args, deadline: float) -> ClusterRound:
    """Warm each replica (one session straight to it), then N sessions at once through nginx;
    with ``--kill-one``, once half of them have the map, stop the replica that has sent the
    most maps (the most sessions to move). The replicas' CPU time and memory are read when
    every session holds its map, as in :func:`hold_all`."""
    proto = Proto()
    await asyncio.gather(*(warm_up(server, proto, args) for server in lb.replicas))
    stats = [
        ReplicaStats(lb.names[f"127.0.0.1:{s.port}"], s.port, s.rss_mib()) for s in lb.replicas
    ]
    cpu0 = [s.cpu_s() for s in lb.replicas]
    start, release, holding = asyncio.Event(), asyncio.Event(), {}

    def stop(name: str) -> None:
        i = next(i for i, s in enumerate(stats) if s.name == name)
        stats[i].cpu_s = lb.replicas[i].cpu_s() - cpu0[i]
        lb.replicas[i].kill()
        stats[i].stopped = True

    depths = session_depths(n, args)
    outage = Outage(n / 2, stop) if args.kill_one else Outage()

    def session(i: int):
        delay = args.ramp * i / n
        return cluster_session(
            lb, proto, depths[i], args, delay, start, holding, i, release, deadline, outage
        )

    tasks = [asyncio.create_task(session(i)) for i in range(n)]
    machine0, own0 = machine_busy_s(), own_cpu_s()
    began = time.monotonic()
    start.set()
    try:
        while time.monotonic() < deadline and not all(t.done() for t in tasks):
            done = sum(t.done() for t in tasks)
            held = sum(not outage.lost(replica) for replica in holding.values())
            if held + done >= n and (not args.kill_one or outage.stopped is not None):
                break
            await asyncio.sleep(0.05)
        wall = time.monotonic() - began
        for i, (server, s) in enumerate(zip(lb.replicas, stats)):
            if not s.stopped:
                s.cpu_s, s.rss_with = server.cpu_s() - cpu0[i], server.rss_mib()
        machine1, own1 = machine_busy_s(), own_cpu_s()
    finally:
        release.set()
    results = await asyncio.gather(*tasks)
    await asyncio.sleep(CLOSED_SETTLE_S)
    for server, s in zip(lb.replicas, stats):
        if not s.stopped:
            s.rss_closed = server.rss_mib()
    alive = [s for s in stats if not s.stopped]
    return ClusterRound(
        n,
        list(results),
        sum(s.cpu_s for s in stats),
        sum(s.rss_before for s in alive),
        sum(s.rss_with for s in alive),
        wall,
        rss_closed=sum(s.rss_closed for s in alive),
        machine_s=machine1 - machine0,
        own_s=own1 - own0,
        replicas=stats,
        outage=outage,
    )


def run_cluster_round(n: int, args, deadline: float, log_dir: Path) -> ClusterRound:
    """Start ``--cluster`` replicas side by side and nginx in front of them, run the round, and
    stop them all, also on an error."""
    servers = [Server(log_dir) for _ in range(args.cluster)]
    lb = LoadBalancer(log_dir, servers, args.nginx)
    try:
        for server in servers:
            server.spawn()
        for server in servers:
            server.wait_ready()
        lb.start()
        return asyncio.run(cluster_round(lb, n, args, deadline))
    finally:
        lb.stop()
        for server in servers:
            server.stop()


def cluster_lines(r: ClusterRound) -> list[str]:
    """Below the table's row: each replica, the sessions moved, and the per replica and
    sticky lines."""
    lines = []
    for s in r.replicas:
        if s.stopped:
            memory = f"RSS before {s.rss_before:.0f} MiB; stopped (SIGKILL)"
        else:
            held = sum(x.final_replica == s.name for x in r.results)
            each = f"{(s.rss_with - s.rss_before) / held:.2f}" if held else "-"
            memory = (
                f"RSS before/with sessions/closed {s.rss_before:.0f} / {s.rss_with:.0f} / "
                f"{s.rss_closed:.0f} MiB, {held} sessions on it at the end, {each} MiB each"
            )
        lines.append(f"     replica {s.name} (127.0.0.1:{s.port}): {memory}, CPU {s.cpu_s:.1f} s")
    outage = r.outage
    if outage is not None and outage.stopped is not None:
        again = [x.again_s for x in r.lost if x.again_s is not None]
        lines.append(
            f"     replica {outage.stopped} stopped once {outage.maps_then} "
            f"sessions had the map; {len(r.lost)} sessions lost it, {len(again)} got the "
            f"map again from another replica (p50 {fmt_s(percentile(again, 50))} s, "
            f"p95 {fmt_s(percentile(again, 95))} s after the loss)"
        )
    lines.append(
        f"per replica: {', '.join(str(k) for k in r.per_replica)} (sessions whose first "
        f"map came from {', '.join(s.name for s in r.replicas)})"
    )
    lines.append(f"sticky: {r.sticky}/{r.n}")
    return lines


def goals_for_cluster(r: ClusterRound) -> list[str]:
    quarter = math.ceil(r.n / 4)
    per = r.per_replica
    lines = [
        f"Goals for {r.n} sessions through nginx and {len(r.replicas)} replicas:",
        check("all sessions get the map", len(r.maps) == r.n, f"{len(r.maps)}/{r.n}", "all"),
        check("errors", not r.errors, str(len(r.errors)), "0"),
        check(
            "every replica served at least a quarter of the sessions",
            min(per) >= quarter,
            ", ".join(str(k) for k in per),
            f">= {quarter} each",
        ),
        check(
            "every session sticky while its replica lived",
            r.sticky == r.n,
            f"{r.sticky}/{r.n}",
            "all",
        ),
    ]
    if r.outage is not None and r.outage.stopped is not None:
        again = sum(x.again_s is not None for x in r.lost)
        lines.append(
            check(
                "sessions on the stopped replica got the map again from another",
                again == len(r.lost) and bool(r.lost),
                f"{again}/{len(r.lost)}",
                "all, at least one",
            )
        )
    lines.append(
        check(
            "memory per extra session on the replicas left",
            r.mib_per_session <= GOAL_MIB_PER_SESSION,
            f"{r.mib_per_session:.2f} MiB",
            f"<= {GOAL_MIB_PER_SESSION:g} MiB",
        )
    )
    p95 = percentile(r.maps, 95)
    lines.append(
        f"  (time to map p95 {fmt_s(p95)} s: the {GOAL_MAP_P95_S:g} s goal is for "
        f"{GOAL_SESSIONS} sessions on one process; here the replicas share "
        f"{os.cpu_count()} cores)"
    )
    return lines


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
    if r.n != GOAL_SESSIONS:  # ALL_SERVED_SESSIONS: every one served, none with an error
        return [
            f"Goals at N = {r.n}:",
            check("all sessions get the map", len(r.maps) == r.n, f"{len(r.maps)}/{r.n}", "all"),
            check("errors", not r.errors, str(len(r.errors)), "0"),
        ]
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
    p95, empty = percentile(r.maps, 95), r.empty_p95
    ratio = p95 / empty if p95 and empty else None
    return [
        f"Goals for {r.n} browsers:",
        check("all pages draw the map", len(r.maps) == r.n, f"{len(r.maps)}/{r.n}", "all"),
        check(
            "map drawn p95, as a ratio to the empty page's p95",
            ratio is not None and ratio <= GOAL_BROWSER_RATIO,
            "-" if ratio is None else f"{ratio:.2f}x ({fmt_s(p95)} s / {fmt_s(empty)} s)",
            f"<= {GOAL_BROWSER_RATIO:g}x",
        ),
        check(
            "zones redrawn after the change, all pages",
            len(r.changes) == r.n,
            f"{len(r.changes)}/{r.n}, p95 {fmt_s(percentile(r.changes, 95))} s",
            "all",
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
    parser.add_argument(
        "--cluster",
        type=int,
        default=0,
        metavar="R",
        help="R replicas of the app behind nginx with deploy/nginx.conf, the "
        "sessions through nginx (e.g. 2; default: one server, no nginx)",
    )
    parser.add_argument(
        "--kill-one",
        action="store_true",
        help="with --cluster: stop (SIGKILL) the replica that has sent the most "
        "maps once half the sessions have the map",
    )
    parser.add_argument(
        "--nginx",
        default=None,
        help="nginx for --cluster (default: nginx on PATH, or /usr/sbin/nginx)",
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
    if args.cluster:
        if not 2 <= args.cluster <= 8:
            parser.error(f"--cluster takes 2 to 8 replicas, not {args.cluster} (e.g. --cluster 2)")
        if args.browsers:
            parser.error("--cluster runs protocol-level sessions only: leave out --browsers")
        args.nginx = args.nginx or nginx_path()
        if args.nginx is None or not os.access(args.nginx, os.X_OK):
            parser.error(
                "--cluster needs nginx, and none was found (apt-get install nginx, or --nginx PATH)"
            )
    elif args.kill_one:
        parser.error("--kill-one needs --cluster (e.g. --cluster 2 --kill-one)")
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
        + (cluster_description(args) if args.cluster else "")
    )


def cluster_description(args) -> str:
    stop = (
        " Once half the sessions have the map, the replica that has sent the most maps is "
        "stopped (SIGKILL); its sessions reconnect through nginx, as the browser does."
        if args.kill_one
        else ""
    )
    return (
        f"\nCluster: nginx ({args.nginx}) with {NGINX_CONF.relative_to(ROOT)} in front of "
        f"{args.cluster} replicas, all on 127.0.0.1; each session first opens the page, "
        "/_stcore/health and /_stcore/host-config through nginx, keeping the cookies they "
        f"set.{stop} CPU s is the replicas' together; RSS and MiB/sess are those of the "
        "replicas left at the end."
    )


def run_round(kind: str, n: int, args, deadline: float, log_dir: Path) -> Round:
    if args.cluster:
        return run_cluster_round(n, args, deadline, log_dir)
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
            if args.cluster:
                title += f", through nginx to {args.cluster} replicas"
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
                if isinstance(result, ClusterRound):
                    print("\n".join(cluster_lines(result)), flush=True)
                    lines = goals_for_cluster(result)
                    print("\n".join(lines), flush=True)
                    failed |= args.strict and any("[FAIL]" in line for line in lines)
                if kind == "browsers":
                    print(
                        f"     requests off this machine blocked: {result.blocked}; "
                        f"script errors in the pages: {result.js_errors}",
                        flush=True,
                    )
                    print("\n".join(empty_yardstick(n, args, log_dir, result)), flush=True)
            goal_rounds = (
                [r for r in rounds if r.n in (GOAL_SESSIONS, ALL_SERVED_SESSIONS)]
                if kind == "sessions"
                else rounds[:1]
            )
            for goal_round in [] if args.cluster else goal_rounds:
                lines = (
                    goals_for_sessions(goal_round)
                    if kind == "sessions"
                    else goals_for_browsers(goal_round)
                )
                print("\n" + "\n".join(lines), flush=True)
                failed |= args.strict and any("[FAIL]" in line for line in lines)
    except KeyboardInterrupt:
        print("\ninterrupted: the servers have been stopped", file=sys.stderr)
        return 130
    print(f"\nserver logs: {log_dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
