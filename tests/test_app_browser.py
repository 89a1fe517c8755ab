"""The app in a real browser: `streamlit run app.py` on a free local port, opened in headless
Chromium with every request off this machine blocked (``offline_page``). The map must draw
from the app's own files, answer a click, redraw for a new depth, and export an HTML page
that works on its own."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from geo.engine import layers as registry
from geo.engine import places
from geo.render.web import assets
from tests.measure import distance_to_line_m, line_points

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 90
DRAW_TIMEOUT_MS = 90_000
COLOURS = {spec.key: spec.style["color"] for spec in registry.GEOMETRIC}
KHARKIV = (49.98177, 36.25475)  # GeoNames 706483, from FACTS.md
CITIES = sum(1 for p in places.places() if p.kind == "city")
LABELS = sum(1 for p in places.places() if p.kind == "country")

#: What Leaflet has drawn in the map frame: polygons (with an SVG path) by outline colour,
#: their bounds, and the markers.
DRAWN = """() => {
    const out = {polygons: {}, bounds: {}, circles: 0, labels: 0, names: 0};
    window.map.eachLayer(layer => {
        if (layer instanceof L.CircleMarker) { if (layer._path) out.circles++; }
        else if (layer instanceof L.Marker) {
            if (layer._icon && layer._icon.querySelector(".kharkiv-country-label")) out.labels++;
            if (layer._icon && layer._icon.querySelector(".kharkiv-city-label")) out.names++;
        }
        else if (layer instanceof L.Polygon && layer._path && layer._path.getAttribute("d")) {
            const colour = layer.options.color;
            out.polygons[colour] = (out.polygons[colour] || 0) + 1;
            const b = layer.getBounds();
            out.bounds[colour] = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()];
        }
    });
    return out;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(artifacts, log_name: str = "streamlit.log"):
    """`streamlit run app.py` on a free port, newly started; yields its URL."""
    if not assets.status()["leaflet"]:
        pytest.fail(f"Leaflet is not installed in {assets.vendor_dir()}: {assets.INSTALL_HINT}")
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k != assets.ENV_VAR
    }  # Streamlit serves <repo>/static
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
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
        "--server.fileWatcherType",
        "none",
    ]
    log = open(artifacts / log_name, "w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"`streamlit run app.py` did not start on port {port} (exit code "
                    f"{server.poll()})"
                )
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def app_url(artifacts):
    """One server for the module's tests."""
    with streamlit_server(artifacts) as url:
        yield url


def map_frame(page, previous=None):
    """The streamlit-folium frame, once Leaflet has drawn the zones and markers in it (a new
    frame, not ``previous``, when the map is being redrawn)."""
    deadline = time.monotonic() + DRAW_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            if (
                "streamlit_folium" in frame.url
                and frame is not previous
                and not frame.is_detached()
            ):
                try:
                    frame.wait_for_function(
                        "() => window.map && window.map._loaded && "
                        "document.querySelectorAll('path').length > 8",
                        timeout=DRAW_TIMEOUT_MS,
                    )
                    return frame
                except Exception:  # the frame went away during a rerun: look again
                    pass
        page.wait_for_timeout(250)
    pytest.fail("the streamlit-folium map never drew")


def click_on_map(page, frame, lat: float, lon: float) -> None:
    """Click where Leaflet draws (lat, lon), once the opening view has been set."""
    before = None
    while True:  # streamlit-folium sets the opening view after the map has loaded: let it settle
        now = frame.evaluate(
            "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
        )
        if now == before:
            break
        before = now
        page.wait_for_timeout(400)
    # A click focuses the map's frame, and the browser scrolls a frame it focuses fully into
    # view: bring it into view first, so the page does not move between aiming and clicking.
    page.locator("iframe[title='streamlit_folium.st_folium']").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    point = frame.evaluate(f"""() => {{
        const p = window.map.latLngToContainerPoint([{lat}, {lon}]);
        const r = window.map.getContainer().getBoundingClientRect();
        return {{x: r.left + p.x, y: r.top + p.y}};
    }}""")
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def answer(page, *expected: str) -> str:
    """The "What is here?" column's text once it contains every one of ``expected`` (the
    answer arrives as several elements: wait for the last one too)."""
    column = page.locator("[data-testid='stColumn']").filter(has_text="What is here?")
    for text in expected:
        column.get_by_text(text, exact=False).first.wait_for(timeout=DRAW_TIMEOUT_MS)
    return column.inner_text()


def test_the_map_draws_offline_with_zones_and_markers(app_url, offline_page, artifacts):
    page = offline_page
    sent = []  # messages from the browser to the app: a rerun is one
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    page.goto(f"{app_url}/?basemap=none")
    frame = map_frame(page)
    drawn = frame.evaluate(DRAWN)
    for key in ("counterfire_zone", "deep_strike_zone", "border_band", "kharkiv_ring"):
        assert drawn["polygons"].get(COLOURS[key]) == 1, key
    assert drawn["circles"] == CITIES and drawn["labels"] == LABELS and drawn["names"] == CITIES
    # Leaflet came from this app, not a CDN.
    assert frame.evaluate(
        "() => [...document.scripts].map(s => s.src).filter(s => s.includes('leaflet.js'))"
    ) == [f"{app_url}/app/static/vendor/leaflet/leaflet.js"]
    assert page.blocked == [], page.blocked  # no tiles, no usage statistics, no fonts, no CDN
    assert not page.errors, page.errors
    assert "depth=80km" in page.url and "radius=12mi" in page.url
    page.screenshot(path=str(artifacts / "app-map.png"))

    # Panning and zooming stay in the browser: the page is not run again.
    page.wait_for_timeout(1000)
    before = len(sent)
    view = "() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]"
    opening = frame.evaluate(view)
    assert opening[0] != 9  # so that the zoom below is a change
    frame.evaluate("() => { window.map.setZoom(9); window.map.panBy([120, 80]); }")
    page.wait_for_timeout(800)  # a press during the zoom animation would be a click, not a drag
    zoomed = frame.evaluate(view)
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    page.mouse.move(box["x"] + 300, box["y"] + 300)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 250, steps=5)
    page.mouse.up()
    page.wait_for_timeout(1500)
    assert len(sent) == before
    dragged = frame.evaluate(view)
    assert zoomed[0] == dragged[0] == 9
    # Dragging the map 100 px left and 50 px up moves the view east and south: at zoom 9 a
    # 100 px pull is about 0.27° of longitude. How far exactly varies from run to run (Leaflet
    # starts a drag only past its click tolerance, and its inertia carries on after the release),
    # so what is checked is that the drag happened, in its direction, in the browser alone.
    assert dragged[2] - zoomed[2] > 0.15 and zoomed[1] - dragged[1] > 0.005


def test_with_the_osm_basemap_only_tiles_leave_the_machine(app_url, offline_page):
    page = offline_page
    page.goto(app_url)
    map_frame(page)
    page.wait_for_timeout(500)
    assert page.blocked, "the OpenStreetMap basemap asked for no tiles"
    assert {re.sub(r"^https://([^/]+)/.*", r"\1", url) for url in page.blocked} == {
        "tile.openstreetmap.org"
    }


#: Inside the map frame: the counterfire zone's bounds, once it is drawn once (the old one gone).
COUNTERFIRE_BOUNDS = f"""() => {{
    const found = [];
    window.map.eachLayer(layer => {{
        if (layer instanceof L.Polygon && layer._path && layer.options.color === "{COLOURS["counterfire_zone"]}") {{
            const b = layer.getBounds(); found.push([b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]);
        }}
    }});
    return found.length === 1 ? found[0] : null;
}}"""


def test_a_new_depth_redraws_the_counterfire_zone_in_the_same_map(app_url, offline_page):
    page = offline_page
    page.goto(f"{app_url}/?basemap=none")
    frame = map_frame(page)
    south, west, north, east = frame.evaluate(COUNTERFIRE_BOUNDS)
    frame.evaluate(
        "() => { window.map.setView([50.3, 36.8], 8, {animate: false}); window.kept = true; }"
    )
    legend = frame.inner_text(".kharkiv-legend")
    assert "D = 80 km" in legend and "within D = 80 km of the Kharkiv sector" in legend
    field = page.get_by_label("D in km (5–300)")
    field.fill("150")
    field.press("Enter")
    page.wait_for_url(re.compile(r"depth=150km"), timeout=DRAW_TIMEOUT_MS)
    # 70 km deeper into Russia: the zone reaches about 0.6° further north.
    frame.wait_for_function(
        f"() => {{ const b = ({COUNTERFIRE_BOUNDS})(); return b && b[2] > {north + 0.4}; }}",
        timeout=DRAW_TIMEOUT_MS,
    )
    wider = frame.evaluate(COUNTERFIRE_BOUNDS)
    assert wider[2] > north + 0.4 and wider[3] > east + 0.4
    # The same map, redrawn in place: the frame, its script's state and the reader's view are kept.
    assert not frame.is_detached() and frame.evaluate("() => window.kept") is True
    zoom, lat = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter().lat]")
    assert zoom == 8 and lat == pytest.approx(50.3, abs=0.01)
    drawn = frame.evaluate(DRAWN)
    for key in ("counterfire_zone", "deep_strike_zone", "border_band", "kharkiv_ring"):
        assert drawn["polygons"].get(COLOURS[key]) == 1, key  # the old zones are gone
    # The pointer reaches the new zone through the panes above it (its tooltip, its click).
    on_top = frame.evaluate("""() => {
        const p = window.map.latLngToContainerPoint([50.75, 37.3]);
        const r = window.map.getContainer().getBoundingClientRect();
        const top = document.elementFromPoint(r.left + p.x, r.top + p.y);
        return top && top.getAttribute("stroke");
    }""")
    assert on_top == COLOURS["counterfire_zone"]
    # The legend and the text description speak of the new zones.
    legend = frame.inner_text(".kharkiv-legend")
    assert "D = 150 km" in legend and "within D = 150 km of the Kharkiv sector" in legend
    assert "80 km" not in legend
    note = frame.evaluate("() => document.querySelector('.kharkiv-description').textContent")
    assert "D = 150 km" in note and "D = 80 km" not in note
    assert page.blocked == [] and not page.errors, (page.blocked, page.errors)


def test_a_click_on_the_map_and_on_a_marker_gives_an_answer(app_url, offline_page, artifacts):
    page = offline_page
    page.goto(f"{app_url}/?basemap=none")
    frame = map_frame(page)
    click_on_map(page, frame, 50.75, 37.3)  # inside the counterfire zone, away from markers
    said = answer(page, "Counterfire zone (Russia)", "To Kharkiv's centre:")
    assert "To the border:" in said and "To Kharkiv's centre:" in said and "50.7" in said
    kharkiv = places.kharkiv()
    # Kharkiv in the middle of the map, clear of the legend (panning does not rerun the page).
    frame.evaluate(
        f"() => window.map.setView([{kharkiv.lat}, {kharkiv.lon}], 8, {{animate: false}})"
    )
    click_on_map(page, frame, kharkiv.lat, kharkiv.lon)
    said = answer(page, "12 miles from the Russian border", "To Kharkiv's centre:")
    from geo.data.borders import region

    gap = (
        distance_to_line_m(*KHARKIV, line_points(region().border)) / 1000
    )  # measured here, with geopy
    found = re.search(r"To the border: ([\d.]+) km \(([\d.]+) mi\)", said)
    assert found, said
    assert float(found.group(1)) == pytest.approx(gap, abs=0.06)
    assert float(found.group(2)) == pytest.approx(gap / 1.609344, abs=0.06)
    page.screenshot(path=str(artifacts / "app-answer.png"))
    assert page.blocked == [] and not page.errors


def test_the_exported_html_opens_as_a_working_map(app_url, offline_page, artifacts, tmp_path):
    page = offline_page
    page.goto(f"{app_url}/Export?basemap=none&depth=150km")
    button = page.get_by_role("button", name=re.compile("Download the map"))
    button.wait_for(timeout=DRAW_TIMEOUT_MS)
    with page.expect_download(timeout=DRAW_TIMEOUT_MS) as download:
        button.click()
    assert download.value.suggested_filename == "kharkiv-map_R12mi_D150km_none.html"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    with page.expect_download(timeout=DRAW_TIMEOUT_MS) as download:
        page.get_by_role("button", name=re.compile(r"Download the layers \(GeoJSON")).click()
    assert download.value.suggested_filename == "kharkiv-layers_R12mi_D150km.geojson"
    layers = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert layers["type"] == "FeatureCollection" and layers["parameters"]["depth_km"] == 150

    page.goto(saved.as_uri())
    page.wait_for_function(
        "() => window.L && document.querySelector('.leaflet-container') "
        "&& document.querySelectorAll('path.leaflet-interactive').length > 8",
        timeout=DRAW_TIMEOUT_MS,
    )
    assert "D = 150 km" in page.inner_text(".kharkiv-legend")
    assert page.locator(".leaflet-control-layers").count() == 1  # the file keeps its layer control
    page.screenshot(path=str(artifacts / "export-map.png"))
    assert page.blocked == [], page.blocked
    assert not page.errors, page.errors


def legend_covers(frame, lat: float, lon: float) -> bool:
    """Whether the map's legend is what lies on top at (lat, lon) in the map's frame."""
    return frame.evaluate(f"""() => {{
        const p = window.map.latLngToContainerPoint([{lat}, {lon}]);
        const r = window.map.getContainer().getBoundingClientRect();
        const top = document.elementFromPoint(r.left + p.x, r.top + p.y);
        return Boolean(top && top.closest(".kharkiv-legend"));
    }}""")


def test_the_opening_view_shows_kharkiv_clear_of_the_legend(app_url, offline_page):
    page = offline_page
    page.goto(f"{app_url}/?basemap=none")
    frame = map_frame(page)
    page.wait_for_timeout(1500)  # streamlit-folium sets the opening view once the map has loaded
    kharkiv = places.kharkiv()
    assert not legend_covers(
        frame, 50.6, 37.6
    )  # the check itself: a point in the open sees no legend
    assert not legend_covers(frame, kharkiv.lat, kharkiv.lon)


@pytest.mark.parametrize(
    "link, heading, kept",
    [
        ("Facts?depth=150km", "Facts: what the map measures", "depth=150km"),
        ("Classroom?step=3", "The 12-mile band", "step=3"),
        ("Your_data?stage=2024-06-20", "Your own places and areas", "stage=2024-06-20"),
    ],
)
def test_a_link_to_a_page_works_as_the_first_visit_to_a_new_server(
    artifacts, offline_page, link, heading, kept
):
    page = offline_page
    with streamlit_server(artifacts, "streamlit-first-visit.log") as url:
        page.goto(f"{url}/{link}")
        shown = page.get_by_text(heading).or_(page.get_by_text("Page not found"))
        shown.first.wait_for(timeout=DRAW_TIMEOUT_MS)
        page.wait_for_timeout(1000)
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_role("heading", name=heading).count() == 1
        assert kept in page.url
        # Drawn inside app.py's frame: its page title and its navigation, not the pages/ folder's.
        assert page.title().endswith("Kharkiv border map"), page.title()
        assert page.get_by_test_id("stSidebarNav").get_by_text("About").count() == 1
