"""The engine's measuring functions against geopy's geodesics and the grid areas of
tests/measure.py, on small shapes where the answer is known."""

import numpy as np
import pytest
import shapely
from geopy.distance import geodesic

from geo.core import geodesy
from tests.measure import grid_area_m2, haversine_m, line_length_m

#: FACTS.md / README: the buffering projection is centred near the middle of the border.
CENTRE = (50.0, 37.0)
KHARKIV = (49.98177, 36.25475)


def test_the_projection_is_centred_on_50_n_37_e():
    assert geodesy.REGION_CENTRE == CENTRE
    x, y = shapely.get_coordinates(geodesy.to_metres(shapely.Point(CENTRE[1], CENTRE[0])))[0]
    assert (x, y) == pytest.approx((0, 0), abs=1e-6)


@pytest.mark.parametrize("lat, lon", [KHARKIV, (52.5, 33.0), (47.5, 40.0), (50.0, 30.0)])
def test_distances_from_the_centre_are_true_and_north_is_up(lat, lon):
    """Azimuthal equidistant: a point's distance from the origin is its geodesic distance."""
    x, y = shapely.get_coordinates(geodesy.to_metres(shapely.Point(lon, lat)))[0]
    assert np.hypot(x, y) == pytest.approx(geodesic(CENTRE, (lat, lon)).m, rel=1e-9)
    assert np.sign(x) == np.sign(lon - CENTRE[1]) or abs(lon - CENTRE[1]) < 1e-9
    if abs(lon - CENTRE[1]) < 0.5:
        assert np.sign(y) == np.sign(lat - CENTRE[0])


def test_metres_and_degrees_are_inverse():
    line = shapely.LineString([(36.25475, 49.98177), (38.063, 49.925), (35.618, 50.357)])
    back = geodesy.to_degrees(geodesy.to_metres(line))
    assert np.abs(shapely.get_coordinates(back) - shapely.get_coordinates(line)).max() < 1e-9
    assert geodesy.to_metres(line).length == pytest.approx(
        sum(geodesic(a[::-1], b[::-1]).m for a, b in zip(line.coords[:-1], line.coords[1:])),
        rel=2e-3,
    )


def test_length_is_the_sum_of_the_geodesics():
    line = shapely.LineString([(36.25475, 49.98177), (37.0, 50.5), (38.063, 49.925)])
    assert geodesy.length_m(line) == pytest.approx(line_length_m(line), rel=1e-9)
    multi = shapely.MultiLineString([line, shapely.LineString([(30, 50), (31, 50)])])
    assert geodesy.length_m(multi) == pytest.approx(line_length_m(multi), rel=1e-9)
    assert geodesy.length_m(shapely.LineString()) == 0.0


def test_area_is_the_ellipsoidal_area_whatever_the_ring_direction():
    square = shapely.box(36.0, 49.5, 37.0, 50.5)
    expected = grid_area_m2(square, 0.005)
    assert geodesy.area_m2(square) == pytest.approx(expected, rel=1e-3)
    assert geodesy.area_m2(shapely.Polygon(square.exterior.coords[::-1])) == pytest.approx(
        expected, rel=1e-3
    )
    assert geodesy.area_m2(shapely.Polygon()) == 0.0
    # A hole running against its shell, as GEOS writes every polygon it makes: subtracted.
    lake = shapely.box(36.4, 49.9, 36.6, 50.1)
    holed = shapely.orient_polygons(shapely.Polygon(square.exterior, [lake.exterior]))
    assert geodesy.area_m2(holed) == pytest.approx(expected - grid_area_m2(lake, 0.005), rel=1e-3)


def test_area_does_not_depend_on_the_direction_of_a_hole():
    square, lake = shapely.box(36.0, 49.5, 37.0, 50.5), shapely.box(36.4, 49.9, 36.6, 50.1)
    same_way = shapely.Polygon(square.exterior, [lake.exterior])  # both rings counter-clockwise
    assert same_way.is_valid
    assert geodesy.area_m2(same_way) == pytest.approx(
        grid_area_m2(square, 0.005) - grid_area_m2(lake, 0.005), rel=1e-3
    )


def test_distances_to_many_points_are_geodesic():
    lats, lons = [50.60343, 50.45466, 38.89511], [36.58091, 30.5238, -77.03637]
    got = geodesy.distances_m(*KHARKIV, lats, lons)
    assert got.shape == (3,)
    for d, lat, lon in zip(got, lats, lons):
        assert d == pytest.approx(geodesic(KHARKIV, (lat, lon)).m, rel=1e-9)


def test_the_spherical_first_cut_is_a_haversine_within_its_promise():
    lats, lons = (
        np.array([50.60343, 50.45466, 47.0, 52.0]),
        np.array([36.58091, 30.5238, 28.86, 41.0]),
    )
    rough = geodesy.spherical_distances_m(*KHARKIV, lats, lons)
    assert rough == pytest.approx(haversine_m(*KHARKIV, lats, lons), rel=1e-12)
    for d, lat, lon in zip(rough, lats, lons):
        assert d == pytest.approx(geodesic(KHARKIV, (lat, lon)).m, rel=0.006)
    assert geodesy.spherical_distances_m(50.0, 36.0, [50.0], [36.0])[0] == 0.0


@pytest.mark.parametrize("radius_m", [1_609.344, 19_312.128, 160_934.4])
def test_a_geodesic_circle_has_every_vertex_at_the_radius(radius_m):
    ring = geodesy.geodesic_circle(*KHARKIV, radius_m)
    coords = shapely.get_coordinates(ring.exterior)
    assert len(coords) == 257 and ring.is_valid
    for lon, lat in coords[::8]:
        assert geodesic(KHARKIV, (lat, lon)).m == pytest.approx(radius_m, rel=1e-9)
    # Evenly spaced azimuths, starting due north.
    assert coords[0][0] == pytest.approx(KHARKIV[1], abs=1e-9) and coords[0][1] > KHARKIV[0]
    quarter = coords[64]
    assert quarter[1] == pytest.approx(KHARKIV[0], abs=0.01 * radius_m / 100_000 + 0.01)
    assert quarter[0] > KHARKIV[1]
    assert (
        len(shapely.get_coordinates(geodesy.geodesic_circle(*KHARKIV, radius_m, vertices=16))) == 17
    )


def test_whole_degrees_are_measured_as_the_points_they_are():
    """Integer coordinates (a list of ints) must not truncate the point measured from."""
    got = geodesy.distances_m(49.98177, 36.25475, [50], [36])
    assert got[0] == pytest.approx(geodesic(KHARKIV, (50, 36)).m, rel=1e-9)
    assert geodesy.spherical_distances_m(49.98177, 36.25475, [50], [36])[0] == pytest.approx(
        haversine_m(*KHARKIV, np.array([50.0]), np.array([36.0]))[0], rel=1e-12
    )


def test_the_first_cut_survives_rounding_at_the_antipode():
    """sin² + cos·cos·sin² can round to just above 1 for nearly antipodal points."""
    lat = 18.020000000000003
    d = geodesy.spherical_distances_m(lat, 0.0, [-lat], [180.0])[0]
    assert np.isfinite(d) and d == pytest.approx(np.pi * 6_371_008.8, rel=1e-9)
