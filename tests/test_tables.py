"""The figures as tables and CSV: every value traced to facts or to geopy."""

import csv
import io
from itertools import combinations

import pytest
from geopy.distance import geodesic

from geo import facts, places, tables, zones
from geo.facts import TABLE


@pytest.fixture(scope="module")
def figures():
    return facts.facts(zones.layers(zones.Params()))


def test_claim_beside_measurement(figures):
    (row,) = tables.claims(figures)
    assert row["The article says"] == "12 miles (19.3 km)"
    assert row["Measured"].startswith(f"{figures['kharkiv_to_border_km']:,.1f} km")
    assert row["Measured ÷ claimed"] == pytest.approx(figures["kharkiv_to_border_km"] / 19.312128, abs=0.005)


def test_figure_rows_give_metres_in_km(figures):
    rows = {r["Figure"] + r["Unit"]: r["Value"] for r in tables.figure_rows(figures)}
    assert rows["Radius R (band and ring)km"] == pytest.approx(19.312, abs=1e-3)
    assert rows["Counterfire depth Dkm"] == 80
    assert len(rows) == len(TABLE)


def test_city_distances_are_geodesic_and_cover_every_pair():
    cities = [p for p in places.places() if p.kind == "city"]
    rows = tables.city_distances()
    assert len(rows) == len(cities) * (len(cities) - 1) // 2
    by_pair = {(r["From"], r["To"]): r["Distance (km)"] for r in rows}
    for a, b in combinations(cities, 2):
        assert by_pair[(a.name, b.name)] == pytest.approx(geodesic((a.lat, a.lon), (b.lat, b.lon)).km, abs=0.05)
    assert [r["Distance (km)"] for r in rows] == sorted(r["Distance (km)"] for r in rows)


def test_csv_has_one_value_per_row_with_the_parameters(figures):
    rows = list(csv.DictReader(io.StringIO(tables.csv_text(figures))))
    assert rows[0].keys() == {"item", "measure", "value", "unit", "radius_m", "depth_m"}
    assert {r["radius_m"] for r in rows} == {str(figures["radius_m"])}
    assert {r["depth_m"] for r in rows} == {str(figures["depth_m"])}
    values = {r["measure"]: float(r["value"]) for r in rows[: len(TABLE)]}
    assert values["kharkiv_to_border_km"] == figures["kharkiv_to_border_km"]
    assert len(rows) == len(TABLE) + 2 * len(figures["places"]) + len(tables.city_distances())
