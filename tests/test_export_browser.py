"""The exported page, opened in headless Chromium with every non-local request blocked,
draws the borders, the band, the ring, both zones and the markers, and its popups work; on a
phone it opens with the map clear of its controls."""

from __future__ import annotations

import http.server
import threading
from functools import partial

import pytest

from geo.engine import layers as registry
from geo.engine import zones
from geo.render.web import export, mapview
from pages.shared import viewstate
from tests import phone

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    layers = registry.layers(zones.Params())
    for basemap in mapview.BASEMAPS:
        page, notices = export.map_html(layers, basemap)
        assert notices == []
        (folder / f"{basemap}.html").write_text(page, encoding="utf-8")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


#: Every path the map draws, in any of its panes (the zones lie in their own, under the lines).
MAP_PATHS = ".folium-map > .leaflet-map-pane path"


def _stroke_colours(page) -> list[str]:
    return page.eval_on_selector_all(
        MAP_PATHS, "els => els.map(e => (e.getAttribute('stroke') || '').toLowerCase())"
    )


@pytest.mark.parametrize("basemap", viewstate.BASEMAPS)
def test_exported_page_draws_every_layer_offline(served, offline_page, artifacts, basemap):
    page = offline_page
    page.goto(f"{served}/{basemap}.html")
    page.wait_for_selector(MAP_PATHS, timeout=20_000)
    colours = _stroke_colours(page)
    for spec in registry.GEOMETRIC:
        assert spec.style["color"].lower() in colours, spec.key
    # Circle markers for the cities, labels for the countries.
    assert page.locator(".leaflet-interactive").count() > len(registry.GEOMETRIC)
    assert page.locator(".kharkiv-country-label").count() == 2
    assert page.locator(".kharkiv-legend").count() == 1
    assert page.locator(".leaflet-control-layers").count() == 1
    assert page.locator(".leaflet-control-scale").count() == 1
    for plugin in (".leaflet-control-zoom-fullscreen", ".leaflet-control-minimap"):
        assert page.locator(plugin).count() == 1, plugin
    # No measuring tool (the scale bar stands in for it), and no jQuery.
    assert page.locator(".leaflet-control-measure").count() == 0
    assert page.evaluate("() => typeof window.jQuery") == "undefined"
    assert page.errors == []
    blocked = [u for u in page.blocked if "tile.openstreetmap.org" not in u]
    assert blocked == []  # only map tiles may come from the internet
    if basemap == "none":
        assert page.blocked == []
    page.screenshot(path=str(artifacts / f"export-{basemap}.png"))


def test_marker_popup_opens_with_quote_and_distances(served, offline_page):
    page = offline_page
    page.goto(f"{served}/none.html")
    page.wait_for_selector(".kharkiv-country-label")
    page.locator(".kharkiv-country-label", has_text="Russia").click()
    popup = page.wait_for_selector(".leaflet-popup-content", timeout=5_000)
    text = popup.inner_text()
    assert "deep inside Russia" in text and "paragraph 5" in text
    page.keyboard.press("Escape")
    # Kharkiv's circle marker: open it through Leaflet's own API, as a click would.
    page.evaluate(
        """() => { for (const k in window) { const v = window[k];
            if (v && v.getLatLng && v.openPopup && v.getTooltip && v.getTooltip()
                && v.getTooltip().getContent().includes('Kharkiv')) { v.openPopup(); return; } } }"""
    )
    text = page.wait_for_selector(".leaflet-popup-content:has-text('12 miles')").inner_text()
    assert "To the border: 34" in text


@pytest.mark.parametrize("basemap", viewstate.BASEMAPS)
def test_on_a_phone_the_page_opens_with_the_map_clear_and_big_controls(served, browser, basemap):
    """At 390 × 844 the legend and the layer list start folded behind their buttons, the
    controls cover at most 30 % of the map, each is a 44-pixel tap target and the text is 16
    px at least; the legend's button unfolds it."""
    with phone.phone_page(browser) as page:
        page.goto(f"{served}/{basemap}.html")
        page.wait_for_selector(MAP_PATHS, timeout=20_000)
        cover = page.evaluate(phone.COVER, ".folium-map")
        assert cover["share"] <= phone.MAX_COVER, cover
        toggle = page.locator(".kharkiv-legend-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.locator(".leaflet-control-layers-expanded").count() == 0
        assert page.locator(".leaflet-control-minimap").is_hidden()
        controls = ".folium-map > .leaflet-control-container"
        assert phone.small_targets(page, controls) == []
        assert phone.small_text(page, ".folium-map") == []
        toggle.tap()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert "Counterfire zone: Russia within D = 80 km" in page.inner_text(".kharkiv-legend")
        assert phone.small_text(page, ".kharkiv-legend") == []
        page.locator(".leaflet-control-layers-toggle").tap()
        assert page.locator(".leaflet-control-layers-expanded").count() == 1
        assert phone.small_targets(page, ".leaflet-control-layers") == []
        assert page.errors == []
        if basemap == "none":
            assert page.blocked == []
