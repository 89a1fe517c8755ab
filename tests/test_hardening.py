"""Regression tests for reported breakages, each named after its case: a bad link, a huge
value, text that could run as script, ring orientation, digits of other scripts."""

from __future__ import annotations

import dataclasses
import http.server
import json
import os
import subprocess
import sys
import threading
from functools import partial

import numpy as np
import pytest

from geo.core.units import DistanceError
from geo.engine import facts, layers, places, zones
from geo.narrative import story
from geo.render.web import export
from pages.shared import viewstate

PAYLOAD = '${window.__pwned = 1}`;window.__pwned=2;`</script><img src=x onerror="window.__pwned=3">'


# --------------------------------------------------------------------------- case 1: the story step


@pytest.mark.parametrize(
    "asked", ["\u00b2", "\u0663", "\uff12", "9" * 5000, "1e3", "-1", "+2", " ", "0"]
)
def test_case_1_a_step_that_is_no_ascii_number_warns_and_opens_step_1(asked):
    number, warning = story.step_from_query(asked, 6)
    assert number == 1
    assert warning is not None and "step takes a number from 1 to 6" in warning
    assert len(warning) < 300  # a 5,000-digit value is not echoed whole


def test_case_1_a_good_step_still_opens():
    assert story.step_from_query(" 3 ", 6) == (3, None)


# --------------------------------------------------------------------------- case 8: long values


def test_case_8_a_huge_value_is_cut_in_the_message():
    with pytest.raises(DistanceError) as err:
        zones.parse_radius("9" * 100_000)
    assert len(str(err.value)) < 400 and "9" * 61 not in str(err.value)


def test_case_8_the_terminal_prints_one_short_line_for_a_huge_radius():
    result = subprocess.run(
        [sys.executable, "-m", "geo", "facts", "--radius", "9" * 100_000 + "mi"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 500


def test_case_8_a_huge_link_value_is_cut_in_the_warning():
    _, warnings = viewstate.from_query({"layers": "x" * 150, "stage": "y" * 150})
    assert len(warnings) == 2 and all(len(w) < 500 for w in warnings)


# --------------------------------------------------------------------------- case 15: RFC 7946 rings


def _signed_area(ring: list) -> float:
    xy = np.asarray(ring, dtype=float)
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def test_case_15_exported_outer_rings_are_counter_clockwise_and_holes_clockwise():
    collection = json.loads(export.geojson_text(layers.layers(zones.Params())))
    outer = holes = 0
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = {
            "Polygon": [geometry.get("coordinates")],
            "MultiPolygon": geometry.get("coordinates"),
        }.get(geometry["type"], [])
        for polygon in polygons:
            assert _signed_area(polygon[0]) > 0, feature["properties"]["layer"]
            outer += 1
            for hole in polygon[1:]:
                assert _signed_area(hole) < 0, feature["properties"]["layer"]
                holes += 1
    assert outer > 3 and holes > 0  # the land-only source has lakes: holes exist to check


# --------------------------------------------------------------------------- case 16: other digits


@pytest.mark.parametrize(
    "text", ["\u0661\u0662mi", "\uff11\uff12mi", "\uff11\uff12\uff4d\uff49", "\u09e7\u09e8mi"]
)
def test_case_16_digits_of_other_scripts_read_as_miles_and_stay_miles(text):
    view, warnings = viewstate.from_query({"radius": text})
    assert not warnings
    assert view.radius.miles == pytest.approx(12)
    assert view.radius_unit == "mi"
    assert viewstate.to_query(view)["radius"] == "12mi"


# --------------------------------------------------------------------------- case 14: script in text


@pytest.fixture
def payload_place(monkeypatch):
    """The gazetteer's places with a payload in one name, note and quote."""
    original = places.places()
    bad = dataclasses.replace(
        original[-1], name="Vovchansk " + PAYLOAD, note=PAYLOAD, quote=PAYLOAD, paragraph=1
    )
    monkeypatch.setattr(places, "places", lambda: (*original[:-1], bad))
    facts.place_figures.cache_clear()
    yield bad
    facts.place_figures.cache_clear()


def test_case_14_payloads_reach_the_page_only_as_escaped_text(payload_place):
    page, _ = export.map_html(layers.build(zones.Params()), "none")
    assert "${window" not in page and "`;window" not in page and 'onerror="window' not in page


@pytest.mark.browser
def test_case_14_payloads_in_the_exported_page_do_not_run(payload_place, offline_page, tmp_path):
    page, _ = export.map_html(layers.build(zones.Params()), "none")
    (tmp_path / "map.html").write_text(page, encoding="utf-8")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        browser_page = offline_page
        browser_page.goto(f"http://127.0.0.1:{server.server_address[1]}/map.html")
        browser_page.wait_for_selector(".leaflet-overlay-pane path", timeout=20_000)
        marker = browser_page.locator(".kharkiv-city-label", has_text="Vovchansk")
        assert PAYLOAD in marker.inner_text()  # the label shows the text as written
        # Every popup's content was built when the page loaded (folium sets it from a template
        # literal); open the payload's to read it.
        texts = browser_page.evaluate("""() => Object.values(window)
            .filter(v => v && typeof v.getPopup === "function" && v.getPopup())
            .map(v => v.getPopup().getContent())
            .map(c => typeof c === "string" ? c : c.textContent)""")
        assert any(PAYLOAD in text for text in texts)
        assert browser_page.evaluate("() => window.__pwned") is None
        assert not browser_page.errors
    finally:
        server.shutdown()
