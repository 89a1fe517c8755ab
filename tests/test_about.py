"""The About text is written from the engine's constants: change one and the text follows."""

import pytest

from geo.core import geodesy
from geo.engine import facts, zones
from geo.engine import layers as registry
from geo.narrative import about
from geo.render.web import assets
from geo.tools import rebuild as build_data
from tests.measure import distance_to_line_m

KHARKIV = (49.98177, 36.25475)  # GeoNames 706483, from FACTS.md
#: FACTS.md: the Kharkiv sector's ends, the oblast tripoints (lat, lon).
FACTS_TRIPOINTS = ((50.357, 35.618), (49.925, 38.063))


@pytest.fixture(scope="module")
def text():
    figures = facts.figures(registry.layers(zones.Params()))
    return "\n".join(f"{heading}\n{body}" for heading, body in about.sections(figures))


def test_attribution_and_licences(text):
    for must in (
        "© [OpenStreetMap contributors]",
        "Open Database License (ODbL) 1.0",
        f"{build_data.PACKAGE} {build_data.VERSION}",
        "GeoNames",
        "CC BY 4.0",
        "BSD-2-Clause",
    ):
        assert must in text, must
    from geo.narrative import about

    for bundle in assets.BUNDLES.values():
        assert (bundle.spec in text) == (bundle.name in about.MAP_BUNDLES), bundle.name


def test_assumptions_come_from_the_constants(text):
    west, south, east, north = build_data.REGION
    assert f"longitudes {west:g}–{east:g}° E and latitudes {south:g}–{north:g}° N" in text
    for lat, lon in FACTS_TRIPOINTS:
        assert f"{lat:g}° N, {lon:g}° E" in text
    lat0, lon0 = geodesy.REGION_CENTRE
    assert f"centred on {lat0:g}° N, {lon0:g}° E" in text
    assert f"{zones.DEEP_STRIKE_REACH.km:g} km" in text and f"{zones.DEPTH_DEFAULT.km:g} km" in text
    for name in zones.DEPTH_PRESETS:
        assert name in text
    assert "68/262" in text


def test_limits_say_what_the_map_is_not_and_measure_the_claim(text, border_points):
    assert "not an official map" in text
    gap = distance_to_line_m(*KHARKIV, border_points) / 1000
    assert "12 miles" in text and f"{gap:.1f} km ({gap / 1.609344:.1f} mi)" in text


def test_text_follows_a_changed_constant(monkeypatch):
    monkeypatch.setattr(geodesy, "REGION_CENTRE", (51.0, 38.0))
    assert "centred on 51° N, 38° E" in about.projection()


def test_text_follows_a_changed_sector(monkeypatch):
    monkeypatch.setattr(zones, "SECTOR_ENDS", ((51.5, 35.5), (49.5, 38.5)))
    assert "51.5° N, 35.5° E" in about.assumptions() and "49.5° N, 38.5° E" in about.assumptions()


def test_the_map_code_listed_is_the_code_the_map_loads():
    import re

    from geo.engine import layers
    from geo.narrative import about
    from geo.render.web import assets, mapview

    html, _ = assets.render_html(mapview.build_map(layers.layers(), "none"), "static")
    loaded = set(re.findall(r"/app/static/vendor/([a-z]+)/", html))
    assert loaded == set(about.MAP_BUNDLES)


def test_about_explains_the_two_sources_with_their_measured_spread(text):
    """Why lengths move with a map's scale and areas much less, with the figures measured
    from both sources; and the assumption made about Natural Earth's Crimea."""
    spread = facts.every_source()
    osm, ne = (row.measure("border_length_km") for row in spread)
    assert "Two border sources, and why their figures differ" in text
    assert "Lengths move with a map's scale" in text and "Areas move much less" in text
    assert f"{osm.km:,.1f} km" in text and f"{ne.km:,.1f} km" in text
    assert "1,974 km" in text  # the published length, FACTS.md
    assert "Natural Earth's edition draws Crimea inside Russia's polygon only" in text
    assert "world-atlas 2.0.2" in text and "public domain" in text
