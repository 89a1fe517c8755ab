"""The figures of one view, as the command line, the story and the site state them: each
checked against a measurement made here with another library."""

from __future__ import annotations

import contextlib
import io
import json
import re

import pyproj
import pytest

from geo.cli import program
from geo.engine import facts, layers, zones
from tests.scopes import shared

#: The WGS84 ellipsoid, through PROJ's geodesic (geo.engine.facts measures with geopy's).
GEOD = pyproj.Geod(ellps="WGS84")

#: City centres as GeoNames gives them (CC BY 4.0; ../shared/FACTS.md quotes them).
KHARKIV = (49.98177, 36.25475)
CITIES = {"Kyiv": (50.45466, 30.5238), "Belgorod": (50.60343, 36.58091)}


@pytest.fixture(scope=shared("module"))
def built():
    return layers.layers(zones.Params())


@pytest.mark.parametrize("name", sorted(CITIES))
def test_a_citys_distance_to_kharkiv_is_the_ellipsoids(built, name):
    lat, lon = CITIES[name]
    _az, _back, metres = GEOD.inv(KHARKIV[1], KHARKIV[0], lon, lat)
    stated = facts.figures(built).place(name).to_kharkiv
    assert stated.km == pytest.approx(metres / 1000, abs=0.01)


def test_a_place_the_data_lacks_is_not_given_another_places_figures(built):
    figures = facts.figures(built)
    assert figures.place("Kyiv") is not figures.place("Belgorod")
    with pytest.raises(KeyError):
        figures.place("Atlantis")


def test_figure_values_are_rounded_as_facts_json_promises():
    assert facts.figure_value(facts.Distance(meters=12_345.6789)) == 12.346
    assert facts.figure_value(facts.Area(1_234_567_890.0)) == 1234.6


def test_the_places_table_gives_each_citys_distances_and_whether_the_article_names_it(built):
    lines = facts.as_table(facts.figures(built)).splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Place")))
    assert lines[start - 1] == ""  # a blank line between the figures and the places
    assert lines[start].split() == ["Place", "to", "Kharkiv", "to", "border", "in", "article"]
    assert lines[start].index("to Kharkiv") + len("to Kharkiv") == 34 + 1 + 12
    places = {line[:34].strip(): line[34:].split() for line in lines[start + 1 :]}
    for name, (lat, lon) in CITIES.items():
        _az, _back, metres = GEOD.inv(KHARKIV[1], KHARKIV[0], lon, lat)
        to_kharkiv, km, _to_border, km_again, named = places[name]
        assert float(to_kharkiv) == pytest.approx(metres / 1000, abs=0.06)
        assert re.fullmatch(r"[\d,]+\.\d", to_kharkiv) and re.fullmatch(r"[\d,]+\.\d", _to_border)
        assert km == km_again == "km"
        # The article names Kyiv; Belgorod is context the map adds.
        assert named == {"Kyiv": "yes", "Belgorod": "context"}[name]
    # Countries are label points: no distances, said in words.
    assert places["Russia"] == ["—", "—", "yes", "(label", "point,", "not", "measured)"]


#: ``facts --json``'s keys: public surface (docs/cli.md), unchanged from release to release.
TOP_KEYS = [
    "radius_m", "depth_m", "border_length_km", "kharkiv_sector_length_km",
    "kharkiv_to_border_km", "border_band_area_km2", "counterfire_zone_area_km2",
    "deep_strike_zone_area_km2", "sanctuary_area_km2", "kharkiv_to_border_mi",
    "article_claim_mi", "stage", "source", "places", "stages", "sources",
]  # fmt: skip
PLACE_KEYS = [
    "name", "lat", "lon", "kind", "named_in_article", "note", "quote", "paragraph",
    "distance_to_kharkiv_km", "distance_to_border_km",
]  # fmt: skip
STAGE_KEYS = [
    "id", "date", "label", "title", "source", "permitted_area_km2", "sanctuary_area_km2",
    "reach_area_km2", "permitted_share", "measured",
]  # fmt: skip


@pytest.fixture(scope=shared("module"))
def document() -> dict:
    """``kharkiv-map facts --json --depth 100km``, the command's ``main`` in this process."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert program.main(["facts", "--json", "--depth", "100km"]) == 0
    return json.loads(out.getvalue())


def decimals(value: float) -> int:
    return len(repr(value).partition(".")[2].rstrip("0")) if "e" not in repr(value) else 99


def test_facts_json_keeps_its_keys_and_the_decimals_each_promises(document):
    assert list(document) == TOP_KEYS
    assert document["radius_m"] == 19_312.128 and document["depth_m"] == 100_000.0  # 12 mi
    assert document["stage"] == "2024-05-30" and document["source"] == "osm"
    assert document["article_claim_mi"] == 12.0
    assert document["kharkiv_to_border_mi"] == pytest.approx(
        document["kharkiv_to_border_km"] / 1.609344, abs=0.001
    )
    for key in TOP_KEYS:
        if key.endswith(("_km", "_mi")):
            assert decimals(document[key]) <= 3, key
        elif key.endswith("_km2"):
            assert decimals(document[key]) <= 1, key
    # Lengths stay in km (a border of about 2,000 km), areas in km² (tens of thousands).
    assert 1500 < document["border_length_km"] < 2500
    assert 10_000 < document["counterfire_zone_area_km2"] < 100_000
    for place in document["places"]:
        assert list(place) == PLACE_KEYS
        if place["kind"] == "city":
            _az, _back, metres = GEOD.inv(KHARKIV[1], KHARKIV[0], place["lon"], place["lat"])
            assert place["distance_to_kharkiv_km"] == pytest.approx(metres / 1000, abs=0.01)
            assert decimals(place["distance_to_kharkiv_km"]) <= 3
            assert decimals(place["distance_to_border_km"]) <= 3
            assert place["distance_to_border_km"] > 0
        else:
            assert place["distance_to_kharkiv_km"] is place["distance_to_border_km"] is None
    kyiv = next(place for place in document["places"] if place["name"] == "Kyiv")
    assert kyiv["named_in_article"] is True and kyiv["quote"] and kyiv["paragraph"] >= 1
    for stage in document["stages"]:
        assert list(stage) == STAGE_KEYS
        assert isinstance(stage["title"], str) and stage["date"].startswith("2024-")
        if stage["measured"]:
            permitted, sanctuary = stage["permitted_area_km2"], stage["sanctuary_area_km2"]
            assert permitted + sanctuary == pytest.approx(stage["reach_area_km2"], abs=0.15)
            assert all(decimals(v) <= 1 for v in (permitted, sanctuary, stage["reach_area_km2"]))
        else:
            assert stage["permitted_area_km2"] is stage["permitted_share"] is None
    # The 30 May stage's permitted area is the view's counterfire zone, at D = 100 km.
    may = next(stage for stage in document["stages"] if stage["id"] == "2024-05-30")
    assert may["permitted_area_km2"] == document["counterfire_zone_area_km2"]
    assert may["reach_area_km2"] > 400_000  # Russia within 300 km of the border


def test_the_stages_table_gives_each_stages_areas_and_share(built):
    rows = facts.stage_figures(built.params)
    lines = facts.stages_table(rows).splitlines()
    assert lines[0].split() == ["Stage", "permitted", "sanctuary", "share"]
    assert lines[0].index("permitted") + len("permitted") == 20 + 1 + 14
    assert lines[0].index("sanctuary") + len("sanctuary") == 20 + 1 + 14 + 1 + 14
    by_label = {line[:20].strip(): line[20:] for line in lines[1:-1]}
    for row in rows:
        cells = by_label[row.stage.label]
        if row.permitted is None:  # the Kursk stage: no bounds to measure
            assert cells.split()[:5] == ["not", "measured", "not", "measured", "—"]
            assert cells.endswith("(reportedly limited to Kursk Oblast; bounds not drawn)")
            continue
        permitted, sanctuary, share = cells.replace(" km²", "").split()
        assert int(permitted.replace(",", "")) == round(row.permitted.km2)
        assert int(sanctuary.replace(",", "")) == round(row.sanctuary.km2)
        # The share, to one decimal of a per cent, of the two areas measured here.
        assert share == f"{100 * row.permitted.m2 / row.reach.m2:.1f}%"
    reach = f"{round(rows[0].reach.km2):,} km²"
    assert lines[-1] == (
        f"Sanctuary: Russia within 300 km of the land border ({reach}) left off-limits. "
        "Published: ISW, Russian Offensive Campaign Assessment, 9–10 June 2024, "
        '"reduced the size of Russia\'s ground sanctuary by at most 16%" (measured differently).'
    )


def test_the_view_rows_name_the_stage_and_both_units():
    rows = dict(facts.rows(facts.figures(layers.layers(zones.Params()))))
    assert rows["Stage of the policy"] == "30 May 2024: Counterfire from the Kharkiv sector"
    assert rows["Counterfire depth D"] == "80 km (49.71 mi)"  # 80 / 1.609344 = 49.710
    assert rows["Radius R (band and ring)"] == "12 mi (19.31 km)"


def test_a_relative_difference_is_the_quotient_less_one():
    km = facts.Distance
    assert facts.relative_difference(km(kilometers=78), km(kilometers=100)) == pytest.approx(-0.22)
    assert facts.relative_difference(km(kilometers=150), km(kilometers=100)) == pytest.approx(0.5)
    assert facts.relative_difference(facts.Area(3e6), facts.Area(2e6)) == pytest.approx(0.5)
    assert facts.relative_difference(km(kilometers=5), km(kilometers=0)) is None
    assert facts.relative_difference(facts.Area(5), facts.Area(0)) is None


def test_a_ground_given_is_measured_as_the_projects_own(built):
    # A caller's ground (here the project's own, passed in) is measured directly, not through
    # the engine's cache: the figures agree with the cached ones to a square kilometre.
    given = facts.stage_figures(built.params, ground=zones.ground())
    cached = facts.stage_figures(built.params)
    for mine, theirs in zip(given, cached, strict=True):
        assert mine.stage == theirs.stage and mine.reach == theirs.reach
        if theirs.permitted is None:
            assert mine.permitted is None and mine.sanctuary is None
        else:
            assert mine.permitted.km2 == pytest.approx(theirs.permitted.km2, abs=1)
    assert any(row.permitted is not None and row.permitted.km2 > 10_000 for row in given)


def test_each_sources_figures_are_for_the_view_asked():
    asked = zones.Params(depth=zones.parse_depth("100km"))
    rows = facts.every_source(asked)
    assert [row.params.source for row in rows] == ["osm", "naturalearth"]
    assert all(row.params.depth.km == pytest.approx(100) for row in rows)
    default = facts.source_figures("osm")
    deeper = next(row for row in rows if row.source.id == "osm")
    assert (
        deeper.measure("counterfire_zone_area_km2").km2
        > default.measure("counterfire_zone_area_km2").km2
    )
