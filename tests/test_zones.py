"""Every layer checked against independent measurement: geopy geodesics and point-in-polygon
tests against the country polygons."""

import pytest
import shapely
from geopy.distance import geodesic

from geo import places, zones
from tests.measure import boundary_samples, distance_to_line_m, interior_samples, line_points

TOLERANCE = 0.005  # the engine promises true distances to within 0.5 %
KHARKIV = (49.98177, 36.25475)  # GeoNames 706483, from FACTS.md


@pytest.fixture(scope="module")
def wide():
    return zones.build(zones.Params(radius_m=zones.parse_radius("40km").m, depth_m=zones.parse_depth("150km").m))


def test_kharkiv_sector_ends_at_the_two_oblast_tripoints(default):
    # FACTS.md: about 50.357 N 35.618 E and 49.925 N 38.063 E, ±1 km.
    ends = [default.kharkiv_sector.coords[0], default.kharkiv_sector.coords[-1]]
    for (lat, lon), (x, y) in zip(((50.357, 35.618), (49.925, 38.063)), ends):
        assert geodesic((lat, lon), (y, x)).km < 1.0


def test_kharkiv_sector_lies_on_the_border(default, border_points):
    for lon, lat in line_points(default.kharkiv_sector, 0.05):
        assert distance_to_line_m(lat, lon, border_points) < 60


def test_ring_radius_is_true_within_half_a_percent(default, wide):
    for layers in (default, wide):
        radius = layers.params.radius_m
        ring = shapely.segmentize(layers.kharkiv_ring.exterior, 0.001)  # includes mid-chord points
        for lon, lat in shapely.get_coordinates(ring)[::7]:
            assert geodesic(KHARKIV, (lat, lon)).m == pytest.approx(radius, rel=TOLERANCE)


def test_ring_is_centred_on_kharkiv_as_the_gazetteer_has_it():
    kharkiv = places.kharkiv()
    assert (kharkiv.lat, kharkiv.lon) == pytest.approx(KHARKIV, abs=1e-4)


def test_kharkiv_to_border_is_the_shortest_geodesic(default, border_points):
    measured = distance_to_line_m(*KHARKIV, border_points)
    assert default.kharkiv_to_border_distance.m == pytest.approx(measured, rel=0.001)
    assert 33_000 < measured < 35_500  # FACTS.md: roughly 33–35 km, not 12 miles
    (x0, y0), (x1, y1) = default.kharkiv_to_border.coords
    assert geodesic((y0, x0), (y1, x1)).m == pytest.approx(measured, rel=0.001)


def test_border_band_is_ukraine_within_r_of_the_border(default, wide, region, border_points):
    for layers in (default, wide):
        radius = layers.params.radius_m
        band = layers.border_band
        for lon, lat in interior_samples(band, 40):
            assert region.ukraine.covers(shapely.Point(lon, lat))
            assert distance_to_line_m(lat, lon, border_points) <= radius * (1 + TOLERANCE)
        # Each edge vertex is either on Ukraine's own outline or at distance R from the border.
        for lon, lat in boundary_samples(band, 60):
            on_outline = region.ukraine.boundary.distance(shapely.Point(lon, lat)) < 1e-4
            if not on_outline:
                assert distance_to_line_m(lat, lon, border_points) == pytest.approx(radius, rel=TOLERANCE)


def test_counterfire_zone_is_russia_within_depth_of_the_sector(default, wide, region, sector_points):
    for layers in (default, wide):
        depth = layers.params.depth_m
        zone = layers.counterfire_zone
        for lon, lat in interior_samples(zone, 40):
            p = shapely.Point(lon, lat)
            assert region.russia.covers(p) and not region.ukraine.contains(p)
            assert distance_to_line_m(lat, lon, sector_points) <= depth * (1 + TOLERANCE)
        reach = [distance_to_line_m(lat, lon, sector_points) for lon, lat in boundary_samples(zone, 80)]
        assert max(reach) <= depth * (1 + TOLERANCE)
        assert max(reach) >= depth * (1 - TOLERANCE)  # it does reach out to D


def test_deep_strike_zone_starts_at_depth_and_ends_at_300_km(default, region, sector_points):
    depth = default.params.depth_m
    zone = default.deep_strike_zone
    reach = [distance_to_line_m(lat, lon, sector_points) for lon, lat in boundary_samples(zone, 120)]
    assert min(reach) >= depth * (1 - TOLERANCE)
    assert max(reach) <= 300_000 * (1 + TOLERANCE)
    assert max(reach) >= 300_000 * (1 - TOLERANCE)
    for lon, lat in interior_samples(zone, 30):
        p = shapely.Point(lon, lat)
        assert region.russia.covers(p) and not region.ukraine.contains(p)


def test_zones_do_not_overlap_and_fill_the_300_km_reach(default):
    overlap = shapely.intersection(default.counterfire_zone, default.deep_strike_zone)
    assert overlap.area < 1e-6 * default.counterfire_zone.area


def test_a_depth_of_300_km_leaves_nothing_prohibited_in_reach():
    layers = zones.build(zones.Params(depth_m=300_000))
    assert layers.deep_strike_zone.is_empty


def test_a_deeper_zone_contains_a_shallower_one(default, wide):
    assert wide.counterfire_zone.buffer(1e-6).covers(default.counterfire_zone)


def test_build_is_pure(default):
    again = zones.build(zones.Params())
    for key in zones.Layers.NAMES:
        assert shapely.equals_exact(getattr(again, key), getattr(default, key), tolerance=0)


def test_classify_sorts_points_into_the_right_area(default):
    assert zones.classify(default, 50.20, 36.60) == "band"  # ~10 km inside Ukraine near the border
    assert zones.classify(default, 50.60343, 36.58091) == "counterfire"  # Belgorod
    assert zones.classify(default, 51.73, 36.19) == "deep_strike"  # Kursk, ~150 km from the sector
    assert zones.classify(default, 50.45466, 30.5238) == "ukraine"  # Kyiv
    assert zones.classify(default, 40.0, 0.0) == "elsewhere"


def test_params_outside_the_range_are_refused():
    with pytest.raises(ValueError, match="depth"):
        zones.build(zones.Params(depth_m=400_000))
