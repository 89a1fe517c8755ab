"""Classifying many features: zones, shares, countries and distances, each checked against
an independent measurement (geopy geodesics, point-in-polygon on the country polygons, a
grid estimate for shares); the writers; and the time for 10,000 points."""

import csv
import io
import json

import numpy as np
import pyproj
import pytest
import shapely
from geopy.distance import geodesic

from geo.core import geodesy
from geo.core.units import distance
from geo.engine import classify, layers, stages, zones
from geo.userfiles import userdata
from geo.userfiles.userdata import Feature
from tests.measure import distance_to_line_m, haversine_m, line_points
from tests.scopes import shared

KHARKIV = (49.98177, 36.25475)  # lat, lon
BELGOROD = (50.60343, 36.58091)
#: Points closer than this (metres) to a zone's edge, by independent measurement, judge nothing.
EDGE_M = 1_500


def params(radius="12mi", depth="80km", stage=stages.DEFAULT):
    r, d = (distance(float(v[:-2]), v[-2:]) for v in (radius, depth))
    return zones.Params(radius=r, depth=d, stage=stage)


@pytest.fixture(scope=shared("module"))
def built():
    return layers.layers(params())


@pytest.fixture(scope=shared("module"))
def region():
    return zones.ground().region


@pytest.fixture(scope=shared("module"))
def border_pts(region):
    return line_points(region.border)


@pytest.fixture(scope=shared("module"))
def sector_pts(built):
    return line_points(built.geometry("kharkiv_sector"))


def points(*latlons) -> list[Feature]:
    return [
        Feature(shapely.Point(lon, lat), {"name": str(i)}, f"line {i + 2}")
        for i, (lat, lon) in enumerate(latlons)
    ]


@pytest.fixture(scope=shared("module"))
def across(built, region):
    """The Kharkiv sector's midpoint and the bearing from it straight into Russia."""
    sector = built.geometry("kharkiv_sector")
    a, mid, b = (sector.interpolate(f, normalized=True) for f in (0.49, 0.5, 0.51))
    along, _, _ = geodesy.WGS84.inv(a.x, a.y, b.x, b.y)
    for bearing in (along + 90, along - 90):
        probe = geodesic(kilometers=10).destination((mid.y, mid.x), bearing)
        if region.russia.covers(shapely.Point(probe.longitude, probe.latitude)):
            return (mid.y, mid.x), bearing % 360
    pytest.fail("neither side of the sector's midpoint is Russia")


def offset(start, bearing, km):
    p = geodesic(kilometers=km).destination(start, bearing)
    return p.latitude, p.longitude


# --------------------------------------------------------------------------- points with known membership


def test_ten_km_into_russia_is_in_the_counterfire_zone_at_80_km_not_at_5_km(
    across, region, sector_pts
):
    start, bearing = across
    lat, lon = offset(start, bearing, 10)
    assert region.russia.covers(shapely.Point(lon, lat))
    gap = distance_to_line_m(lat, lon, sector_pts)
    assert 5_000 + EDGE_M < gap < 80_000 - EDGE_M
    (deep,) = classify.classify(points((lat, lon)), layers.layers(params(depth="80km")))
    (near,) = classify.classify(points((lat, lon)), layers.layers(params(depth="5km")))
    assert deep.zone == "counterfire_zone" and deep.country == "Russia"
    assert near.zone == "deep_strike_zone"


def test_thirty_km_into_ukraine_is_in_the_band_at_20_mi_not_at_12_mi(across, region, border_pts):
    start, bearing = across
    lat, lon = offset(start, bearing + 180, 30)
    assert region.ukraine.covers(shapely.Point(lon, lat))
    gap = distance_to_line_m(lat, lon, border_pts)
    assert distance(12, "mi").m + EDGE_M < gap < distance(20, "mi").m - EDGE_M
    (wide,) = classify.classify(points((lat, lon)), layers.layers(params(radius="20mi")))
    (narrow,) = classify.classify(points((lat, lon)), layers.layers(params(radius="12mi")))
    assert wide.zone == "border_band" and narrow.zone == "ukraine" and wide.country == "Ukraine"
    assert wide.to_border.m == pytest.approx(gap, abs=5)


@pytest.mark.parametrize(
    "p",
    [
        params(),
        params("40km", "150km"),
        params(stage=stages.BY_ID["2024-06-20"]),
        params(stage=stages.BY_ID["2024-05-29"]),
    ],
)
def test_points_are_zoned_as_layers_classify_zones_them(p):
    built = layers.layers(p)
    rng = np.random.default_rng(3)
    lats, lons = rng.uniform(45.0, 54.0, 600), rng.uniform(28.0, 42.0, 600)
    rows = classify.classify(points(*zip(lats, lons)), built)
    assert [r.zone for r in rows] == [layers.classify(built, la, lo) for la, lo in zip(lats, lons)]


@pytest.mark.parametrize(
    "where,country",
    [
        (KHARKIV, "Ukraine"),
        (BELGOROD, "Russia"),
        ((53.9, 27.567), "Belarus"),
        ((47.00902, 28.85938), "Moldova"),
        ((52.23, 21.01), "other"),
        ((44.6, 33.52), "Ukraine"),
    ],
)  # Sevastopol: Crimea is Ukraine
def test_countries(built, where, country):
    assert classify.classify(points(where), built)[0].country == country


# --------------------------------------------------------------------------- distances


def nearest_sample_m(lat, lon, pts):
    """geopy's geodesic to the nearest of the samples, every sample within the sphere's
    0.6 % of the haversine minimum measured (a few nearest are not enough far away)."""
    rough = haversine_m(lat, lon, pts[:, 1], pts[:, 0])
    shortlist = np.flatnonzero(rough <= rough.min() * 1.012 + 100)
    return min(geodesic((lat, lon), (pts[k, 1], pts[k, 0])).m for k in shortlist)


def test_distance_to_the_border_within_a_metre_of_geopy(built):
    # The border as the engine draws it between its vertices (straight in the regional
    # projection; some segments are 12 km long), sampled every 50 m; measured with geopy.
    samples = zones.border_samples()
    rng = np.random.default_rng(11)
    near = samples[rng.choice(len(samples), 60)] + rng.uniform(-1.5, 1.5, (60, 2))
    far = np.column_stack([rng.uniform(24, 45, 20), rng.uniform(44, 56, 20)])
    xy = np.concatenate([near, far])
    rows = classify.classify(points(*zip(xy[:, 1], xy[:, 0])), built)
    for row in rows:
        reference = nearest_sample_m(
            row.lat, row.lon, samples
        )  # overstates by (25 m)² / 2d at most
        assert reference - 25**2 / (2 * reference) - 0.01 <= row.to_border.m <= reference + 1
        lat, lon = row.border_point
        assert geodesic((row.lat, row.lon), (lat, lon)).m == pytest.approx(
            row.to_border.m, abs=0.01
        )
        assert row.to_border.m == pytest.approx(zones.to_border(row.lat, row.lon)[0].m, abs=2)


def test_distance_to_kharkiv_is_geodesic(built):
    rng = np.random.default_rng(5)
    where = list(zip(rng.uniform(44, 56, 50), rng.uniform(20, 46, 50))) + [(38.89511, -77.03637)]
    for row in classify.classify(points(*where), built):
        assert row.to_kharkiv.m == pytest.approx(geodesic((row.lat, row.lon), KHARKIV).m, abs=0.01)


def test_distances_of_an_area_are_from_its_nearest_point(built):
    square = shapely.box(36.6, 50.1, 37.0, 50.4)  # north-east of Kharkiv, across the border
    home = shapely.box(36.0, 49.8, 36.5, 50.1)  # around Kharkiv
    rows = classify.classify(
        [Feature(square, {}, "feature 1"), Feature(home, {}, "feature 2")], built
    )
    ring = shapely.get_coordinates(shapely.segmentize(square.exterior, 0.0005))
    nearest = min(geodesic((y, x), KHARKIV).m for x, y in ring)
    assert rows[0].to_kharkiv.m == pytest.approx(nearest, abs=5)
    assert rows[0].to_border.m == 0 and rows[1].to_kharkiv.m == 0
    assert rows[0].size.km2 == pytest.approx(geodesy.area_m2(square) / 1e6)


# --------------------------------------------------------------------------- shares


def grid_shares(built, polygon, n=150):
    """Each zone's share of a polygon from a grid of cell centres weighted by cos(latitude)."""
    minx, miny, maxx, maxy = polygon.bounds
    xs, ys = np.meshgrid(np.linspace(minx, maxx, n), np.linspace(miny, maxy, n))
    xs, ys = xs.ravel(), ys.ravel()
    inside = shapely.contains_xy(polygon, xs, ys)
    xs, ys = xs[inside], ys[inside]
    weight = np.cos(np.radians(ys))
    zone = np.array([layers.classify(built, y, x) for x, y in zip(xs, ys)])
    return {key: float(weight[zone == key].sum() / weight.sum()) for key in classify.ZONES}


def test_area_shares_across_the_counterfire_edge_match_a_grid_estimate(built, across):
    start, bearing = across
    lat, lon = offset(start, bearing, 80)
    square = shapely.box(lon - 0.35, lat - 0.22, lon + 0.35, lat + 0.22)  # about 50 km across
    (row,) = classify.classify([Feature(square, {}, "feature 1")], built)
    expected = grid_shares(built, square)
    assert expected["counterfire_zone"] > 0.15 and expected["deep_strike_zone"] > 0.15
    for key in classify.ZONES:
        assert row.shares[key] == pytest.approx(expected[key], abs=0.01), key
    assert sum(row.shares.values()) == pytest.approx(1)
    assert row.zone == max(expected, key=expected.get)


def test_line_shares_match_points_along_it(built):
    line = shapely.LineString([KHARKIV[::-1], BELGOROD[::-1]])
    (row,) = classify.classify([Feature(line, {}, "feature 1")], built)
    xy = shapely.get_coordinates(shapely.segmentize(line, 0.0002))
    zone = classify.point_zones(built, xy[:, 0], xy[:, 1])
    for key in classify.ZONES:
        assert row.shares[key] == pytest.approx(np.mean(zone == key), abs=0.01), key
    assert {"ukraine", "border_band", "counterfire_zone"} <= {
        k for k, v in row.shares.items() if v > 0
    }
    assert row.size.km == pytest.approx(geodesic(KHARKIV, BELGOROD).km, rel=1e-6)


# --------------------------------------------------------------------------- writers


@pytest.fixture(scope=shared("module"))
def sample(built):
    text = (
        b'name,lat,lon,km_zone,note\nKharkiv,49.98177,36.25475,mine,=HYPERLINK("x")\n'
        b"Belgorod,50.60343,36.58091,,<script>alert(1)</script> ${alert(1)} `x`\n"
    )
    data = userdata.read(text, "mine.csv")
    ring = [(36.0, 50.0), (36.0, 50.3), (36.5, 50.3), (36.5, 50.0), (36.0, 50.0)]  # clockwise
    feats = list(data.features) + [
        Feature(shapely.Polygon(ring), {"n": 1.5, "big": float("inf")}, "feature 3")
    ]
    return classify.classify(feats, built)


def test_csv_writer(built, sample):
    table = list(csv.DictReader(io.StringIO(classify.to_csv(sample, built))))
    assert list(table[0])[: len(classify.answers_header())] == list(classify.answers_header())
    assert (
        table[0]["name"] == "Kharkiv"
        and table[0]["km_zone"] == "ukraine"
        and table[0]["km_zone (own)"] == "mine"
    )
    assert float(table[0]["km_to_kharkiv_km"]) == pytest.approx(0, abs=1e-3)
    assert table[0]["note"] == '\'=HYPERLINK("x")'  # not run as a formula
    assert (
        table[1]["note"] == "<script>alert(1)</script> ${alert(1)} `x`"
    )  # as given; escaped where drawn
    assert table[2]["km_kind"] == "area" and float(table[2]["km_area_km2"]) > 0
    assert table[0]["km_depth_km"] == "80.0" and table[0]["km_stage"] == stages.DEFAULT.id


def test_geojson_writer_is_rfc7946(built, sample):
    doc = json.loads(classify.to_geojson(sample, built))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    props = doc["features"][0]["properties"]
    assert (
        props["name"] == "Kharkiv"
        and props["km_zone (own)"] == "mine"
        and props["km_zone"] == "ukraine"
    )
    assert all(feature["type"] == "Feature" for feature in doc["features"])
    area = shapely.geometry.shape(doc["features"][2]["geometry"])
    assert area.exterior.is_ccw
    assert doc["features"][2]["properties"]["big"] == "inf"
    assert doc["features"][2]["properties"]["n"] == 1.5  # a finite number stays a number
    assert doc["features"][1]["properties"]["note"].startswith("<script>")


def test_a_geopackage_row_holds_what_the_geojson_feature_holds(built, sample):
    # geo.render.gis writes answer_properties into a GeoPackage; an analyst comparing the two
    # downloads sees the same names and values, own properties renamed the same way.
    doc = json.loads(classify.to_geojson(sample, built))
    names = classify.own_names(sample)
    for row, feature in zip(sample, doc["features"], strict=True):
        assert classify.answer_properties(row, built, names) == feature["properties"]
    first = classify.answer_properties(sample[0], built, names)
    assert first["km_zone"] == "ukraine" and first["km_zone (own)"] == "mine"


def test_answers_keep_six_decimals_of_a_position_and_write_text_as_it_is(built):
    # Six decimals of a degree are about 0.1 m: a place's position comes back where it was.
    feats = [
        Feature(
            shapely.Point(36.123456789, 49.987654321),
            {"name": "Харків", "tags": ["а", 1], "empty": None},
            "p",
        )
    ]
    rows = classify.classify(feats, built)
    answer = classify.answers(rows[0], built)
    assert (answer["km_lat"], answer["km_lon"]) == (49.987654, 36.123457)
    text = classify.to_geojson(rows, built)
    assert '"name": "Харків"' in text  # UTF-8 as written, not \u escapes
    assert json.loads(text)["features"][0]["properties"]["tags"] == ["а", 1]
    table = classify.to_csv(rows, built)
    assert table.endswith("\r\n") and table.count("\r\n") == 2  # a header and one row, CRLF
    row = next(csv.DictReader(io.StringIO(table)))
    assert row["name"] == "Харків" and row["tags"] == '["а", 1]' and row["km_lat"] == "49.987654"
    assert row["empty"] == ""  # no value, an empty cell


def test_every_answer_is_measured_and_rounded_as_the_columns_say(built, sample, border_pts, region):
    # Each km_ column against a measurement made here: distances to the border along the
    # border's own points (spherical, within the ellipsoid's 0.5 %), to Kharkiv along PROJ's
    # geodesic, the area on PROJ's ellipsoid; miles as kilometres over 1.609344; each rounded to
    # the decimals its name promises (3 for km and mi, 4 for shares, 6 for degrees).
    geod = pyproj.Geod(ellps="WGS84")
    for row in sample:
        answer = classify.answers(row, built)
        assert list(answer) == list(classify.answers_header())
        lat, lon = answer["km_lat"], answer["km_lon"]
        assert (lat, lon) == (round(row.lat, 6), round(row.lon, 6))
        if row.feature.geometry.geom_type == "Point":
            assert answer["km_to_border_km"] == pytest.approx(
                distance_to_line_m(lat, lon, border_pts) / 1000, rel=0.005, abs=0.05
            )
            _az, _back, metres = geod.inv(36.25475, 49.98177, lon, lat)
            assert answer["km_to_kharkiv_km"] == pytest.approx(metres / 1000, abs=0.002)
            assert answer[f"km_share_{row.zone}"] == 1  # a point lies in one zone
        else:  # the area reaches over the border
            assert row.feature.geometry.intersects(region.border)
            assert answer["km_to_border_km"] == 0
        for what in ("to_border", "to_kharkiv"):
            km, mi = answer[f"km_{what}_km"], answer[f"km_{what}_mi"]
            assert mi == pytest.approx(km / 1.609344, abs=0.001)
            assert km == round(km, 3) and mi == round(mi, 3)
        shares = [answer[f"km_share_{key}"] for key in classify.ZONES]
        assert sum(shares) == pytest.approx(1, abs=1e-3)
        assert all(0 <= share <= 1 and share == round(share, 4) for share in shares)
        assert answer["km_country"] == row.country and answer["km_zone"] == row.zone
        assert answer["km_radius_km"] == 19.312  # 12 mi
        assert answer["km_depth_km"] == 80.0 and answer["km_stage"] == built.params.stage.id
    kharkiv, belgorod, area = (classify.answers(row, built) for row in sample)
    assert kharkiv["km_zone"] == "ukraine" and belgorod["km_country"] == "Russia"
    assert kharkiv["km_length_km"] is None and kharkiv["km_area_km2"] is None
    ring = [(36.0, 50.0), (36.0, 50.3), (36.5, 50.3), (36.5, 50.0), (36.0, 50.0)]
    km2 = abs(geod.geometry_area_perimeter(shapely.Polygon(ring))[0]) / 1e6
    assert area["km_area_km2"] == pytest.approx(km2, abs=0.002)
    # The area lies on both sides of the border: its shares are parts, to 4 decimals.
    parts = [area[f"km_share_{key}"] for key in classify.ZONES if 0 < area[f"km_share_{key}"] < 1]
    assert len(parts) >= 2 and any(part != round(part, 2) for part in parts)
    assert area["km_area_km2"] == round(area["km_area_km2"], 3) and area["km_length_km"] is None
    line = Feature(shapely.LineString([(36.0, 50.0), (36.3, 50.1)]), {}, "a line")
    (row,) = classify.classify([line], built)
    answer = classify.answers(row, built)
    _az, _back, metres = geod.inv(36.0, 50.0, 36.3, 50.1)
    assert answer["km_length_km"] == pytest.approx(metres / 1000, rel=1e-3)
    assert answer["km_length_km"] == round(answer["km_length_km"], 3)
    assert answer["km_area_km2"] is None


def test_nothing_to_classify(built):
    assert classify.classify([], built) == ()
    assert classify.to_csv((), built) == ",".join(classify.answers_header()) + "\r\n"
