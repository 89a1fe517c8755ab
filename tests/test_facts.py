"""The figures of one view, as the command line, the story and the site state them: each
checked against a measurement made here with another library."""

from __future__ import annotations

import pyproj
import pytest

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
    with pytest.raises(StopIteration):
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
        assert km == km_again == "km"
        # The article names Kyiv; Belgorod is context the map adds.
        assert named == {"Kyiv": "yes", "Belgorod": "context"}[name]
    # Countries are label points: no distances, said in words.
    assert places["Russia"] == ["—", "—", "yes", "(label", "point,", "not", "measured)"]
