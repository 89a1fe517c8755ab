"""The About text is written from the engine's constants: change one and the text follows."""

import pytest

from geo import about, assets, build_data, facts, geodesy, zones


@pytest.fixture(scope="module")
def text():
    figures = facts.facts(zones.layers(zones.Params()))
    return "\n".join(f"{heading}\n{body}" for heading, body in about.sections(figures))


def test_attribution_and_licences(text):
    for must in ("© [OpenStreetMap contributors]", "Open Database License (ODbL) 1.0",
                 f"{build_data.PACKAGE} {build_data.VERSION}", "GeoNames", "CC BY 4.0", "BSD-2-Clause"):
        assert must in text, must
    for bundle in assets.BUNDLES.values():
        assert bundle.spec in text


def test_assumptions_come_from_the_constants(text):
    west, south, east, north = build_data.REGION
    assert f"longitudes {west:g}–{east:g}° E and latitudes {south:g}–{north:g}° N" in text
    for lat, lon in zones.SECTOR_ENDS:
        assert f"{lat:g}° N, {lon:g}° E" in text
    lat0, lon0 = geodesy.REGION_CENTRE
    assert f"centred on {lat0:g}° N, {lon0:g}° E" in text
    assert f"{zones.DEEP_STRIKE_REACH.km:g} km" in text and f"{zones.DEPTH_DEFAULT.km:g} km" in text
    for name in zones.DEPTH_PRESETS:
        assert name in text
    assert "68/262" in text


def test_limits_say_what_the_map_is_not_and_measure_the_claim(text):
    assert "not an official map" in text
    assert "12 miles" in text and "34.6 km (21.5 mi)" in text


def test_text_follows_a_changed_constant(monkeypatch):
    monkeypatch.setattr(geodesy, "REGION_CENTRE", (51.0, 38.0))
    assert "centred on 51° N, 38° E" in about.projection()
