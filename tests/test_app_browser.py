"""The app in a real browser: `streamlit run app.py` on a free local port, opened in headless
Chromium with every request off this machine blocked (``offline_page``). The map must draw
in the page itself (the app's own component, no iframe) from the app's own files, answer a
click, redraw for a new depth in the same Leaflet map, and export an HTML page that works on
its own; on a phone the sidebar must leave the page free and the map fill its width."""

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

#: The Leaflet map the app's map component drew in the page (pages/shared/mapcomponent.js).
MAP = "document.querySelector('.kharkiv-map-host').leafletMap"
#: What Leaflet has drawn in the map: polygons (with an SVG path) by outline colour, their
#: bounds, and the markers.
DRAWN = f"""() => {{
    const out = {{polygons: {{}}, bounds: {{}}, circles: 0, labels: 0, names: 0}};
    {MAP}.eachLayer(layer => {{
        if (layer instanceof L.CircleMarker) {{ if (layer._path) out.circles++; }}
        else if (layer instanceof L.Marker) {{
            if (layer._icon && layer._icon.querySelector(".kharkiv-country-label")) out.labels++;
            if (layer._icon && layer._icon.querySelector(".kharkiv-city-label")) out.names++;
        }}
        else if (layer instanceof L.Polygon && layer._path && layer._path.getAttribute("d")) {{
            const colour = layer.options.color;
            out.polygons[colour] = (out.polygons[colour] || 0) + 1;
            const b = layer.getBounds();
            out.bounds[colour] = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()];
        }}
    }});
    return out;
}}"""


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


#: The map component has drawn the map: Leaflet loaded, the map made, zones and markers drawn.
DRAWN_READY = """() => {
    const host = document.querySelector('.kharkiv-map-host');
    return Boolean(host && host.leafletMap && host.leafletMap._loaded
                   && host.querySelectorAll('path').length > 8);
}"""


def map_drawn(page) -> None:
    """Wait until the map is drawn in the page itself: in the main document, no iframe."""
    page.wait_for_function(DRAWN_READY, timeout=DRAW_TIMEOUT_MS)
    assert page.locator("iframe").count() == 0
    assert page.locator(".kharkiv-map-host .folium-map.leaflet-container").count() == 1


def click_on_map(page, lat: float, lon: float) -> None:
    """Click where Leaflet draws (lat, lon)."""
    page.locator(".kharkiv-map-host").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    point = page.evaluate(f"""() => {{
        const p = {MAP}.latLngToContainerPoint([{lat}, {lon}]);
        const r = {MAP}.getContainer().getBoundingClientRect();
        return {{x: r.left + p.x, y: r.top + p.y}};
    }}""")
    page.mouse.click(point["x"], point["y"])


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
    map_drawn(page)
    drawn = page.evaluate(DRAWN)
    for key in ("counterfire_zone", "deep_strike_zone", "border_band", "kharkiv_ring"):
        assert drawn["polygons"].get(COLOURS[key]) == 1, key
    assert drawn["circles"] == CITIES and drawn["labels"] == LABELS and drawn["names"] == CITIES
    # Leaflet came from this app, not a CDN, once, into the page itself.
    assert page.evaluate(
        "() => [...document.scripts].map(s => s.src).filter(s => s.includes('leaflet.js'))"
    ) == [f"{app_url}/app/static/vendor/leaflet/leaflet.js"]
    assert page.blocked == [], page.blocked  # no tiles, no usage statistics, no fonts, no CDN
    assert not page.errors, page.errors
    assert "depth=80km" in page.url and "radius=12mi" in page.url
    # The text description is linked to the map in the same document.
    container = page.locator(".kharkiv-map-host .folium-map")
    note = page.locator(f"#{container.get_attribute('aria-describedby')}")
    assert "the article says 12 miles" in note.text_content()
    page.screenshot(path=str(artifacts / "app-map.png"))

    # Panning, zooming and hovering stay in the browser: the page is not run again.
    page.wait_for_timeout(1000)
    before = len(sent)
    view = f"() => [{MAP}.getZoom(), {MAP}.getCenter().lat, {MAP}.getCenter().lng]"
    opening = page.evaluate(view)
    assert opening[0] != 9  # so that the zoom below is a change
    page.evaluate(f"() => {{ {MAP}.setZoom(9); {MAP}.panBy([120, 80]); }}")
    page.wait_for_timeout(800)  # a press during the zoom animation would be a click, not a drag
    zoomed = page.evaluate(view)
    box = container.bounding_box()
    page.mouse.move(box["x"] + 300, box["y"] + 300)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 250, steps=5)
    page.mouse.up()
    page.mouse.move(box["x"] + 250, box["y"] + 200, steps=5)  # hovering the zones: tooltips only
    page.wait_for_timeout(1500)
    assert len(sent) == before
    dragged = page.evaluate(view)
    assert zoomed[0] == dragged[0] == 9
    # Dragging the map 100 px left and 50 px up moves the view east and south: at zoom 9 a
    # 100 px pull is about 0.27° of longitude. How far exactly varies from run to run (Leaflet
    # starts a drag only past its click tolerance, and its inertia carries on after the release),
    # so what is checked is that the drag happened, in its direction, in the browser alone.
    assert dragged[2] - zoomed[2] > 0.15 and zoomed[1] - dragged[1] > 0.005


def test_with_the_osm_basemap_only_tiles_leave_the_machine(app_url, offline_page):
    page = offline_page
    page.goto(app_url)
    map_drawn(page)
    page.wait_for_timeout(500)
    assert page.blocked, "the OpenStreetMap basemap asked for no tiles"
    assert {re.sub(r"^https://([^/]+)/.*", r"\1", url) for url in page.blocked} == {
        "tile.openstreetmap.org"
    }


#: The counterfire zone's bounds, once it is drawn once (the old one gone).
COUNTERFIRE_BOUNDS = f"""() => {{
    const found = [];
    {MAP}.eachLayer(layer => {{
        if (layer instanceof L.Polygon && layer._path && layer.options.color === "{COLOURS["counterfire_zone"]}") {{
            const b = layer.getBounds(); found.push([b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]);
        }}
    }});
    return found.length === 1 ? found[0] : null;
}}"""


def test_three_new_depths_redraw_the_counterfire_zone_in_the_same_map(app_url, offline_page):
    page = offline_page
    page.goto(f"{app_url}/?basemap=none")
    map_drawn(page)
    north = page.evaluate(COUNTERFIRE_BOUNDS)[2]
    page.evaluate(
        f"() => {{ {MAP}.setView([50.3, 36.8], 8, {{animate: false}}); window.kept = {MAP}; }}"
    )
    legend = page.inner_text(".kharkiv-legend")
    assert "D = 80 km" in legend and "within D = 80 km of the Kharkiv sector" in legend
    # Each depth reaches further north than 80 km does: about 0.6° for 150 km.
    for depth, further in ((150, 0.4), (120, 0.2), (200, 0.8)):
        field = page.get_by_label("D in km (5–300)")
        field.fill(str(depth))
        field.press("Enter")
        page.wait_for_url(re.compile(rf"depth={depth}km"), timeout=DRAW_TIMEOUT_MS)
        page.wait_for_function(
            f"""() => {{ const b = ({COUNTERFIRE_BOUNDS})();
                       return b && Math.abs(b[2] - {north + further}) < 0.35
                              && document.querySelector('.kharkiv-legend-values').textContent
                                 .includes('D = {depth} km'); }}""",
            timeout=DRAW_TIMEOUT_MS,
        )
        # The same Leaflet map, redrawn in place: the map and the reader's view are kept.
        assert page.evaluate(f"() => window.kept === {MAP}") is True
        zoom, lat = page.evaluate(f"() => [{MAP}.getZoom(), {MAP}.getCenter().lat]")
        assert zoom == 8 and lat == pytest.approx(50.3, abs=0.01)
        drawn = page.evaluate(DRAWN)
        for key in ("counterfire_zone", "deep_strike_zone", "border_band", "kharkiv_ring"):
            assert drawn["polygons"].get(COLOURS[key]) == 1, key  # the old zones are gone
        # The legend and the text description speak of the new zones.
        legend = page.inner_text(".kharkiv-legend")
        assert f"D = {depth} km" in legend
        assert f"within D = {depth} km of the Kharkiv sector" in legend and "80 km" not in legend
        note = page.evaluate("() => document.querySelector('.kharkiv-description').textContent")
        assert f"D = {depth} km" in note and "D = 80 km" not in note
    # The pointer reaches the new zone through the panes above it (its tooltip, its click).
    on_top = page.evaluate(f"""() => {{
        const p = {MAP}.latLngToContainerPoint([50.75, 37.3]);
        const r = {MAP}.getContainer().getBoundingClientRect();
        const top = document.elementFromPoint(r.left + p.x, r.top + p.y);
        return top && top.getAttribute("stroke");
    }}""")
    assert on_top == COLOURS["counterfire_zone"]
    # Leaflet and its plugins were loaded once, for the tab, not once per change.
    assert page.evaluate("() => document.querySelectorAll('script[src*=\"/vendor/\"]').length") == 3
    assert page.blocked == [] and not page.errors, (page.blocked, page.errors)


def test_a_click_on_the_map_and_on_a_marker_gives_an_answer(app_url, offline_page, artifacts):
    page = offline_page
    page.goto(f"{app_url}/?basemap=none")
    map_drawn(page)
    click_on_map(page, 50.75, 37.3)  # inside the counterfire zone, away from markers
    said = answer(page, "Counterfire zone (Russia)", "To Kharkiv's centre:")
    assert "To the border:" in said and "To Kharkiv's centre:" in said and "50.7" in said
    kharkiv = places.kharkiv()
    # Kharkiv in the middle of the map, clear of the legend (panning does not rerun the page).
    page.evaluate(f"() => {MAP}.setView([{kharkiv.lat}, {kharkiv.lon}], 8, {{animate: false}})")
    click_on_map(page, kharkiv.lat, kharkiv.lon)
    said = answer(page, "12 miles from the Russian border", "To Kharkiv's centre:")
    # The marker's popup shows its quote too (set without jQuery, which the page has not).
    popup = page.locator(".kharkiv-map-host .leaflet-popup-content")
    assert "12 miles from the Russian border" in popup.inner_text()
    assert page.evaluate("() => typeof window.jQuery") == "undefined"
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


def legend_covers(page, lat: float, lon: float) -> bool:
    """Whether the map's legend is what lies on top at (lat, lon) on the map."""
    return page.evaluate(f"""() => {{
        const p = {MAP}.latLngToContainerPoint([{lat}, {lon}]);
        const r = {MAP}.getContainer().getBoundingClientRect();
        const top = document.elementFromPoint(r.left + p.x, r.top + p.y);
        return Boolean(top && top.closest(".kharkiv-legend"));
    }}""")


def test_the_opening_view_shows_kharkiv_clear_of_the_legend(app_url, offline_page):
    page = offline_page
    page.goto(f"{app_url}/?basemap=none")
    map_drawn(page)
    page.locator(".kharkiv-map-host").scroll_into_view_if_needed()
    kharkiv = places.kharkiv()
    assert not legend_covers(
        page, 50.6, 37.6
    )  # the check itself: a point in the open sees no legend
    assert not legend_covers(page, kharkiv.lat, kharkiv.lon)


@pytest.mark.parametrize("path, ready", [("Classroom", "Step 1 of 6"), ("Your_data", None)])
def test_the_classroom_and_your_data_draw_the_map_in_the_page(
    app_url, offline_page, points_file, path, ready
):
    page = offline_page
    page.goto(f"{app_url}/{path}?basemap=none")
    if ready is None:
        page.wait_for_selector(
            "[data-testid='stFileUploaderDropzoneInput']", state="attached", timeout=DRAW_TIMEOUT_MS
        )
        page.set_input_files("[data-testid='stFileUploaderDropzoneInput']", str(points_file))
    map_drawn(page)
    if path == "Classroom":  # the next step redraws its zones in the same map, moved to its view
        view = f"() => [{MAP}.getCenter().lat, {MAP}.getCenter().lng, {MAP}.getZoom()].join()"
        first = page.evaluate(view)
        page.get_by_role("button", name="Next →").click()
        page.get_by_text("Step 2 of 6").wait_for(timeout=DRAW_TIMEOUT_MS)
        page.wait_for_function(f"() => ({view})() !== {first!r}", timeout=DRAW_TIMEOUT_MS)
        map_drawn(page)
    else:
        page.wait_for_function(
            f"""() => {{ let n = 0; {MAP}.eachLayer(l => {{
                if (l instanceof L.CircleMarker && l.options.fillColor === '#F0E442') n++; }});
                return n === 3; }}""",
            timeout=DRAW_TIMEOUT_MS,
        )
    assert page.blocked == [] and not page.errors, (page.blocked, page.errors)


@pytest.fixture(scope="module")
def points_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("points") / "three.csv"
    path.write_text("name,lat,lon\nA,50.0,36.2\nB,50.5,37.0\nC,49.5,35.5\n", encoding="utf-8")
    return path


#: The screens the app is tried on: a phone (touch) and a laptop.
SCREENS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 3,
    },
    "laptop": {"viewport": {"width": 1440, "height": 900}},
}
#: What a finger taps on the map page: the map's controls, the legend's button, the button that
#: opens the sidebar, and on the page its buttons (help marks included), the expanders'
#: headings and the toggles.
TAP_TARGETS = (
    ".kharkiv-map-host .leaflet-bar a, .kharkiv-legend-toggle, [data-testid=stExpandSidebarButton], "
    "[data-testid=stMain] button, [data-testid=stMain] summary, [data-testid=stMain] [data-testid=stCheckbox] label"
)
#: The width and height of each visible tap target, with a short name.
TARGET_SIZES = f"""() => [...document.querySelectorAll("{TAP_TARGETS}")]
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
    .map(e => {{ const r = e.getBoundingClientRect();
                 return [e.className || e.getAttribute("data-testid") || e.tagName,
                         r.width, r.height]; }})"""


@pytest.mark.parametrize("screen", SCREENS)
def test_the_map_page_works_on_a_phone_and_on_a_laptop(app_url, browser, artifacts, screen):
    from tests.conftest import offline

    context = browser.new_context(**SCREENS[screen])
    try:
        page = offline(context)
        page.goto(f"{app_url}/?basemap=none")
        map_drawn(page)
        page.wait_for_timeout(500)
        width = page.viewport_size["width"]
        sidebar = page.get_by_test_id("stSidebar")
        box = page.locator(".kharkiv-map-host").bounding_box()
        assert box["height"] >= 300
        legend_body = page.locator(".kharkiv-legend-body")
        toggle = page.locator(".kharkiv-legend-toggle")
        if screen == "phone":
            # The sidebar starts closed: nothing covers the page.
            assert sidebar.get_attribute("data-collapsed") == "true"
            assert sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 0
            # The map across the screen (less the page's margins), at a usable height.
            assert box["width"] >= width - 48 and box["height"] <= 844
            # The legend folds behind a button that opens it.
            assert toggle.is_visible() and not legend_body.is_visible()
            assert toggle.get_attribute("aria-expanded") == "false"
            toggle.tap()
            assert legend_body.is_visible() and toggle.get_attribute("aria-expanded") == "true"
            small = [t for t in page.evaluate(TARGET_SIZES) if min(t[1], t[2]) < 44]
            assert small == [], small
            assert len(page.evaluate(TARGET_SIZES)) >= 8  # the map's four, the sidebar's, help …
        else:
            assert sidebar.get_attribute("data-collapsed") == "false"
            assert sidebar.bounding_box()["x"] == 0 and sidebar.bounding_box()["width"] >= 240
            # The legend starts open, its button there to fold it.
            assert legend_body.is_visible() and toggle.get_attribute("aria-expanded") == "true"
            assert box["width"] >= 600
        page.screenshot(path=str(artifacts / f"app-{screen}.png"))
        assert page.blocked == [] and not page.errors, (page.blocked, page.errors)
    finally:
        context.close()


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
