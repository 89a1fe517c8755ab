"""The figures as tables and CSV: every value traced to the layers' figures or to geopy."""

import csv
import io
from itertools import combinations

import pytest
from geopy.distance import geodesic

from geo import i18n
from geo.engine import facts, places
from geo.engine import layers as registry
from geo.narrative import tables
from tests.measure import distance_to_line_m
from tests.scopes import shared

KHARKIV = (49.98177, 36.25475)  # GeoNames 706483, from FACTS.md
MILE_KM = 1.609344


@pytest.fixture(scope=shared("module"))
def figures(default):
    return facts.figures(default)


def test_claim_beside_measurement(figures, border_points):
    (row,) = tables.claims(figures)
    measured = distance_to_line_m(*KHARKIV, border_points) / 1000
    assert row["The article says"] == f"12 miles ({12 * MILE_KM:.1f} km)"
    assert row["Measured"].startswith(f"{measured:.1f} km ({measured / MILE_KM:.1f} mi)")
    assert float(row["Measured ÷ claimed"]) == pytest.approx(measured / (12 * MILE_KM), abs=0.006)
    with i18n.language("uk"):  # the ratio is text written the reader's way: a decimal comma
        (uk,) = tables.claims(figures)
    assert list(uk.values())[-1] == row["Measured ÷ claimed"].replace(".", ",")


def test_figure_rows_give_each_figure_as_text(figures, default):
    rows = {r["Figure"]: r["Value"] for r in tables.figure_rows(figures)}
    assert rows["Radius R (band and ring)"] == f"12 mi ({12 * MILE_KM:.4g} km)"
    assert rows["Counterfire depth D"] == f"80 km ({80 / MILE_KM:.4g} mi)"
    assert rows["The article's figure"] == f"12 mi ({12 * MILE_KM:.4g} km)"
    for spec in registry.REGISTRY:
        if spec.figure:
            value = default[spec.key].measure
            if spec.figure.kind == "area":
                assert rows[spec.figure.label] == f"{value.m2 / 1e6:,.0f} km²"
            else:
                assert (
                    rows[spec.figure.label]
                    == f"{value.m / 1000:,.1f} km ({value.m / 1000 / MILE_KM:,.1f} mi)"
                )
    assert rows["Stage of the policy"].startswith("30 May 2024")  # FACTS.md: the article's moment
    assert rows["Border data"] == "OpenStreetMap (npm @geo-maps/countries-land-100m@0.6.0)"
    assert len(rows) == sum(1 for spec in registry.REGISTRY if spec.figure) + 5


def test_place_rows_measure_cities_and_leave_labels_blank(figures, border_points):
    rows = {r["Place"]: r for r in tables.place_rows(figures)}
    assert {p.name for p in places.places()} == set(rows)
    kyiv = rows["Kyiv"]
    assert kyiv["To Kharkiv (km)"] == pytest.approx(
        geodesic(KHARKIV, (kyiv["Latitude"], kyiv["Longitude"])).km, abs=0.051
    )
    belgorod = rows["Belgorod"]
    assert belgorod["In the article"] == "context" and kyiv["In the article"] == "yes"
    assert belgorod["To the border (km)"] == pytest.approx(
        distance_to_line_m(belgorod["Latitude"], belgorod["Longitude"], border_points) / 1000,
        abs=0.1,
    )
    assert (
        rows["Russia"]["To Kharkiv (km)"] is None and rows["Russia"]["To the border (km)"] is None
    )


def test_city_distances_are_geodesic_and_cover_every_pair():
    cities = [p for p in places.places() if p.kind == "city"]
    rows = tables.city_distances()
    assert len(rows) == len(cities) * (len(cities) - 1) // 2
    by_pair = {(r["From"], r["To"]): r["Distance (km)"] for r in rows}
    for a, b in combinations(cities, 2):
        assert by_pair[(a.name, b.name)] == pytest.approx(
            geodesic((a.lat, a.lon), (b.lat, b.lon)).km, abs=0.05
        )
    assert [r["Distance (km)"] for r in rows] == sorted(r["Distance (km)"] for r in rows)


def test_csv_has_one_value_per_row_with_the_parameters(figures, default, border_points):
    rows = list(csv.DictReader(io.StringIO(tables.csv_text(figures))))
    assert rows[0].keys() == {"item", "measure", "value", "unit", "radius_m", "depth_m"}
    assert {r["radius_m"] for r in rows} == {str(round(12 * MILE_KM * 1000, 3))}
    assert {r["depth_m"] for r in rows} == {"80000.0"}
    values = {
        r["measure"]: float(r["value"]) for r in rows if r["measure"] != "distance_to_kharkiv_km"
    }
    assert values["radius_km"] == pytest.approx(12 * MILE_KM, abs=1e-4) and values["depth_km"] == 80
    assert values["kharkiv_to_border_km"] == pytest.approx(
        distance_to_line_m(*KHARKIV, border_points) / 1000, abs=0.03
    )
    assert values["counterfire_zone_area_km2"] == pytest.approx(
        default["counterfire_zone"].measure.km2, abs=0.05
    )
    assert values["article_claim_mi"] == 12
    cities = sum(1 for p in places.places() if p.kind == "city")
    assert len(rows) == 3 + sum(1 for spec in registry.REGISTRY if spec.figure) + 2 * cities + len(
        tables.city_distances()
    )


def test_the_sources_side_by_side_give_each_figure_its_relative_difference():
    spread = facts.every_source()
    rows = tables.source_rows(spread)
    osm, ne = spread
    assert [row["Figure"] for row in rows][-1] == "Share of the reach permitted"
    for row, key in zip(rows, facts.SOURCE_FIGURES):
        expected = facts.relative_difference(ne.measure(key), osm.measure(key))
        assert row["Natural Earth 1:10m vs OpenStreetMap"] == tables.signed_percent(expected)
    assert rows[0]["Published"].startswith("1,974 km")
    assert rows[1]["Published"].startswith("270 km")
    assert tables.signed_percent(-0.2212) == "−22.1%" and tables.signed_percent(0.0031) == "+0.3%"
