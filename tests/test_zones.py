"""Every layer's geometry checked against independent measurement: geopy geodesics, grid areas
on the ellipsoid and point-in-polygon tests against the country polygons. The expected
figures are typed here from FACTS.md, never imported from the engine."""

import numpy as np
import pytest
import shapely
import shapely.ops
from geopy.distance import Distance, geodesic

from geo.core.units import distance
from geo.engine import layers as registry
from geo.engine import places, zones
from tests.measure import (
    boundary_samples,
    cell_areas_m2,
    distance_to_line_m,
    grid,
    interior_samples,
    line_points,
    nearest_m,
)
from tests.scopes import shared

TOLERANCE = 0.005  # the engine promises true distances to within 0.5 %
KHARKIV = (49.98177, 36.25475)  # GeoNames 706483, from FACTS.md
#: FACTS.md: Kharkiv Oblast meets Belgorod Oblast between these tripoints, ±1 km (lat, lon).
FACTS_TRIPOINTS = ((50.357, 35.618), (49.925, 38.063))
#: FACTS.md: ATACMS reach, to which the prohibited zone runs.
ATACMS_M = 300_000


def params(radius: str = "12mi", depth: str = "80km") -> zones.Params:
    return zones.Params(zones.parse_radius(radius), zones.parse_depth(depth))


@pytest.fixture(scope=shared("module"))
def wide():
    return registry.layers(params("40km", "150km"))


# --------------------------------------------------------------------------- the sector


def test_kharkiv_sector_ends_at_the_two_oblast_tripoints(default):
    sector = default.geometry("kharkiv_sector")
    ends = sorted([sector.coords[0], sector.coords[-1]])  # west end first
    for (lat, lon), (x, y) in zip(FACTS_TRIPOINTS, ends):
        assert geodesic((lat, lon), (y, x)).km < 1.0


def test_the_sector_is_cut_where_the_border_passes_the_tripoints(region):
    """The sector built from any two points is the border between their nearest border points."""
    border_m = region.border_m
    sector = zones.kharkiv_sector_m(border_m)
    from geo.core import geodesy

    for lat, lon in FACTS_TRIPOINTS:
        end = geodesy.to_metres(shapely.Point(lon, lat))
        assert (
            min(
                shapely.Point(sector.coords[0]).distance(end),
                shapely.Point(sector.coords[-1]).distance(end),
            )
            < 1_000
        )


def test_kharkiv_sector_lies_on_the_border_and_is_about_300_km(default, border_points):
    sector = default.geometry("kharkiv_sector")
    for lon, lat in line_points(sector, 0.05):
        assert distance_to_line_m(lat, lon, border_points) < 60
    # FACTS.md: 270 km or "about 300 km", as reported; the measured line follows every bend.
    assert 250 < default["kharkiv_sector"].measure.km < 320


# --------------------------------------------------------------------------- Kharkiv


def test_ring_radius_is_true_within_half_a_percent(default, wide):
    for built in (default, wide):
        radius = built.params.radius.m
        ring = shapely.segmentize(
            built.geometry("kharkiv_ring").exterior, 0.001
        )  # includes mid-chord points
        for lon, lat in shapely.get_coordinates(ring)[::7]:
            assert geodesic(KHARKIV, (lat, lon)).m == pytest.approx(radius, rel=TOLERANCE)


def test_ring_is_centred_on_kharkiv_as_the_gazetteer_has_it():
    kharkiv = places.kharkiv()
    assert (kharkiv.lat, kharkiv.lon) == pytest.approx(KHARKIV, abs=1e-4)


def test_kharkiv_to_border_is_the_shortest_geodesic(default, border_points):
    measured = distance_to_line_m(*KHARKIV, border_points)
    assert default.kharkiv_to_border.m == pytest.approx(measured, rel=0.001)
    assert 33_000 < measured < 35_500  # FACTS.md: roughly 33–35 km, not 12 miles
    (x0, y0), (x1, y1) = default.geometry("kharkiv_to_border").coords
    assert (y0, x0) == pytest.approx(KHARKIV, abs=1e-4)
    assert geodesic((y0, x0), (y1, x1)).m == pytest.approx(measured, rel=0.001)
    assert distance_to_line_m(y1, x1, border_points) < 60  # it ends on the border


@pytest.mark.parametrize("lat, lon", [KHARKIV, (50.60343, 36.58091), (48.0, 33.0), (52.5, 41.0)])
def test_to_border_measures_any_point(lat, lon, border_points):
    gap, (blat, blon) = zones.to_border(lat, lon)
    measured = distance_to_line_m(lat, lon, border_points)
    assert gap.m == pytest.approx(measured, rel=1e-3, abs=30)
    assert geodesic((lat, lon), (blat, blon)).m == pytest.approx(gap.m, rel=1e-6, abs=0.01)
    assert distance_to_line_m(blat, blon, border_points) < 60


def test_nearest_on_border_takes_the_geodesic_nearest_of_the_samples():
    # Three samples due east of a point at 50 N 30 E; the nearest is the middle one.
    samples = np.array([[30.5, 50.0], [30.2, 50.0], [30.9, 50.0], [29.0, 55.0]])
    gap, (lat, lon) = zones.nearest_on_border(samples, 50.0, 30.0)
    assert (lat, lon) == (50.0, 30.2)
    assert gap.m == pytest.approx(geodesic((50.0, 30.0), (50.0, 30.2)).m, rel=1e-9)


def test_ground_is_made_once(default):
    # Once per process (other tests may clear the cache, so the session fixture's ground is
    # compared by value).
    assert zones.ground() is zones.ground()
    assert zones.ground().kharkiv_gap == default.ground.kharkiv_gap
    g = default.ground
    assert g.kharkiv == places.kharkiv()
    assert g.kharkiv_gap == default.kharkiv_to_border


# --------------------------------------------------------------------------- the band and the zones


def test_border_band_is_ukraine_within_r_of_the_border(default, wide, region, border_points):
    for built in (default, wide):
        radius = built.params.radius.m
        band = built.geometry("border_band")
        for lon, lat in interior_samples(band, 40):
            assert region.ukraine.covers(shapely.Point(lon, lat))
            assert distance_to_line_m(lat, lon, border_points) <= radius * (1 + TOLERANCE)
        # Each edge vertex is either on Ukraine's own outline or at distance R from the border.
        at_r = 0
        for lon, lat in boundary_samples(band, 60):
            on_outline = region.ukraine.boundary.distance(shapely.Point(lon, lat)) < 1e-4
            if not on_outline:
                assert distance_to_line_m(lat, lon, border_points) == pytest.approx(
                    radius, rel=TOLERANCE
                )
                at_r += 1
        assert at_r >= 10


def test_counterfire_zone_is_russia_within_depth_of_the_sector(
    default, wide, region, sector_points
):
    for built in (default, wide):
        depth = built.params.depth.m
        zone = built.geometry("counterfire_zone")
        for lon, lat in interior_samples(zone, 40):
            p = shapely.Point(lon, lat)
            assert region.russia.covers(p) and not region.ukraine.contains(p)
            assert distance_to_line_m(lat, lon, sector_points) <= depth * (1 + TOLERANCE)
        reach = [
            distance_to_line_m(lat, lon, sector_points) for lon, lat in boundary_samples(zone, 80)
        ]
        assert max(reach) <= depth * (1 + TOLERANCE)
        assert max(reach) >= depth * (1 - TOLERANCE)  # it does reach out to D


def test_deep_strike_zone_starts_at_depth_and_ends_at_300_km(default, wide, region, sector_points):
    for built in (default, wide):
        depth = built.params.depth.m
        zone = built.geometry("deep_strike_zone")
        reach = [
            distance_to_line_m(lat, lon, sector_points) for lon, lat in boundary_samples(zone, 120)
        ]
        assert min(reach) >= depth * (1 - TOLERANCE)
        assert min(reach) <= depth * (1 + TOLERANCE)  # its inner edge is at D
        assert max(reach) <= ATACMS_M * (1 + TOLERANCE)
        assert max(reach) >= ATACMS_M * (1 - TOLERANCE)
        for lon, lat in interior_samples(zone, 30):
            p = shapely.Point(lon, lat)
            assert region.russia.covers(p) and not region.ukraine.contains(p)


def test_zones_do_not_overlap(default, wide):
    for built in (default, wide):
        counterfire, deep = built.geometry("counterfire_zone"), built.geometry("deep_strike_zone")
        assert shapely.intersection(counterfire, deep).area < 1e-6 * counterfire.area


def _outer_edge(built, region, count=300):
    """Points evenly spaced along the counterfire zone's edge, inside Russia and away from
    the country outlines (where the edge is the outline, not D)."""
    rings = shapely.get_parts(
        shapely.get_exterior_ring(shapely.get_parts(built.geometry("counterfire_zone")))
    )
    ring = max(rings, key=lambda r: r.length)
    points = shapely.line_interpolate_point(
        ring, np.linspace(0, 1, count, endpoint=False), normalized=True
    )
    outlines = shapely.union(region.russia.boundary, region.ukraine.boundary)
    far = ~shapely.dwithin(outlines, points, 0.03)  # about 2–3 km
    return shapely.get_coordinates(points[far])


def test_the_zones_meet_at_d_with_no_gap(default, wide, region, sector_points):
    """Along the counterfire zone's outer edge (at D from the sector), the prohibited zone
    begins: every edge point is within a kilometre of it."""
    for built in (default, wide):
        deep = built.geometry("deep_strike_zone")
        edge = _outer_edge(built, region)
        assert len(edge) >= 30
        for lon, lat in edge:
            assert distance_to_line_m(lat, lon, sector_points) == pytest.approx(
                built.params.depth.m, rel=TOLERANCE
            )
            point = shapely.Point(lon, lat)
            if deep.covers(point):
                continue
            near = shapely.ops.nearest_points(deep, point)[0]
            assert geodesic((lat, lon), (near.y, near.x)).m < 1_000, (lat, lon)


@pytest.fixture(scope=shared("module"))
def reach_grid(region, sector_points):
    """Russia within 300 km of the sector, measured on a 0.04° grid of exact ellipsoidal
    cells: (lons, lats, cell areas, in reach), without the engine's buffers."""
    step = 0.04
    lons, lats = grid((31.5, 46.5, 43.5, 54.0), step)
    russia = shapely.contains_xy(region.russia, lons, lats) & ~shapely.contains_xy(
        region.ukraine, lons, lats
    )
    lons, lats = lons[russia], lats[russia]
    coarse = np.vstack([sector_points[::10], sector_points[-1:]])  # about 500 m apart
    rough = nearest_m(lons, lats, coarse)
    within = rough <= ATACMS_M
    # The sphere is off by up to 0.6 %: measure the cells near 300 km with geopy.
    unsure = np.flatnonzero(np.abs(rough - ATACMS_M) < 0.008 * ATACMS_M + 600)
    for k in unsure:
        within[k] = distance_to_line_m(lats[k], lons[k], sector_points) <= ATACMS_M
    return lons, lats, cell_areas_m2(lats, step), within


@pytest.mark.parametrize("depth", ["80km", "150km"])
def test_the_zones_fill_the_300_km_reach(depth, reach_grid):
    """Counterfire plus prohibited zone is Russia within 300 km of the sector: same cells,
    same area (measured independently on the grid)."""
    built = registry.layers(params(depth=depth))
    lons, lats, areas, within = reach_grid
    union = shapely.union(built.geometry("counterfire_zone"), built.geometry("deep_strike_zone"))
    covered = shapely.contains_xy(union, lons, lats)
    expected = areas[within].sum()
    assert 150e9 < expected < 260e9  # sanity of the independent figure itself
    assert areas[within & ~covered].sum() < 0.005 * expected  # no gap anywhere in reach
    assert areas[covered & ~within].sum() < 0.005 * expected  # nothing beyond reach
    measured = built["counterfire_zone"].measure.m2 + built["deep_strike_zone"].measure.m2
    assert measured == pytest.approx(expected, rel=0.01)


def test_a_depth_of_300_km_leaves_nothing_prohibited_in_reach():
    built = registry.build(params(depth="300km"))
    assert built.geometry("deep_strike_zone").is_empty
    assert built["deep_strike_zone"].measure.m2 == 0
    assert not built.geometry("counterfire_zone").is_empty


def test_at_300_km_the_zones_areas_come_from_the_stored_reach_and_agree_with_measuring():
    """At D = 300 km the counterfire zone is the stored reach of the sector, and the
    sanctuary's area is the two reaches' difference: the same as measuring the shapes."""
    from geo.core import geodesy

    built = registry.build(params(depth="300km"))
    for key in ("counterfire_zone", "sanctuary"):
        measured = geodesy.area_m2(built.geometry(key))
        assert built[key].measure.m2 == pytest.approx(measured, rel=1e-4), key
    cut = shapely.intersection(
        built.ground.reach("sector"), built.ground.buffer("sector", 300_000.0)
    )
    assert (
        shapely.symmetric_difference(cut, built["counterfire_zone"].metric).area < 1e-6 * cut.area
    )


def test_a_deeper_zone_contains_a_shallower_one(default, wide):
    for key in ("counterfire_zone", "border_band"):
        small, large = default.geometry(key), wide.geometry(key)
        assert shapely.difference(small, large).area < 1e-6 * small.area, key
    shallow, deep = default.geometry("deep_strike_zone"), wide.geometry("deep_strike_zone")
    assert shapely.difference(deep, shallow).area < 1e-6 * deep.area


def test_buffer_line_is_the_buffer_of_the_whole_line(region):
    line = zones.kharkiv_sector_m(region.border_m)
    pieces = zones.buffer_line(line, 10_000)
    whole = line.buffer(10_000, quad_segs=zones.QUAD_SEGS)
    assert shapely.symmetric_difference(pieces, whole).area < 0.002 * whole.area


def test_clip_to_is_an_intersection(region):
    square = shapely.box(-50_000, -50_000, 50_000, 50_000)
    clipped = zones.clip_to(region.russia_m, square)
    assert (
        shapely.symmetric_difference(clipped, shapely.intersection(region.russia_m, square)).area
        < 1.0
    )
    assert zones.clip_to(region.russia_m, shapely.Polygon()).is_empty


# --------------------------------------------------------------------------- parameters


def test_params_default_to_the_article_and_the_gmlrs_reach():
    p = zones.Params()
    assert p.radius.miles == pytest.approx(12)  # the article's 12 miles
    assert p.depth.km == pytest.approx(80)  # FACTS.md: GMLRS, as widely quoted


@pytest.mark.parametrize(
    "radius, depth",
    [
        (distance(1, "mi"), distance(5, "km")),
        (distance(100, "mi"), distance(300, "km")),
        (distance(160.9344, "km"), distance(300_000, "m")),
        (distance(1609.344, "m"), distance(80, "km")),
    ],
)
def test_params_accept_the_ends_of_the_ranges(radius, depth):
    p = zones.Params(radius, depth)
    assert (p.radius, p.depth) == (radius, depth)


@pytest.mark.parametrize(
    "radius, depth, what",
    [
        (distance(0.99, "mi"), distance(80, "km"), "radius"),
        (distance(100.01, "mi"), distance(80, "km"), "radius"),
        (distance(12, "mi"), distance(4.99, "km"), "depth"),
        (distance(12, "mi"), distance(300.01, "km"), "depth"),
        (distance(12, "mi"), distance(400, "km"), "depth"),
    ],
)
def test_params_outside_the_ranges_are_refused(radius, depth, what):
    with pytest.raises(ValueError) as err:
        zones.Params(radius, depth)
    message = str(err.value)
    assert message.startswith(what)
    assert ("1.609–160.9 km" if what == "radius" else "5–300 km") in message


@pytest.mark.parametrize("radius, depth", [(12, distance(80, "km")), (distance(12, "mi"), 80_000)])
def test_params_want_distances_not_numbers(radius, depth):
    with pytest.raises(TypeError, match="geopy Distance"):
        zones.Params(radius, depth)


def test_params_are_values_that_key_a_cache():
    assert zones.Params() == zones.Params(distance(12, "mi"), distance(80, "km"))
    assert hash(zones.Params()) == hash(zones.Params(Distance(miles=12), Distance(kilometers=80)))
    assert zones.Params() != zones.Params(depth=distance(81, "km"))


def test_the_presets_are_the_published_reaches():
    # FACTS.md: GMLRS about 70 km, 80 km as widely quoted, ER-GMLRS about 150 km; ATACMS 300 km.
    assert sorted(round(d.km) for d in zones.DEPTH_PRESETS.values()) == [70, 80, 150]
    assert zones.DEEP_STRIKE_REACH.km == pytest.approx(ATACMS_M / 1000)
    assert (zones.DEPTH_RANGE[0].km, zones.DEPTH_RANGE[1].km) == pytest.approx((5, 300))
    assert (zones.RADIUS_RANGE[0].miles, zones.RADIUS_RANGE[1].miles) == pytest.approx((1, 100))


# --------------------------------------------------------------------------- the stages

# FACTS.md: before 30 May 2024 nothing across the border; 30 May the Kharkiv region; 20 June
# "anywhere that Russian forces are coming across the border".
BEFORE, MAY_30, JUNE_20 = "2024-05-29", "2024-05-30", "2024-06-20"


@pytest.fixture(scope=shared("module"))
def staged():
    from geo.engine import stages

    return {
        sid: registry.layers(zones.Params(stage=stages.BY_ID[sid]))
        for sid in (BEFORE, MAY_30, JUNE_20)
    }


def test_before_30_may_nothing_was_permitted_and_all_in_reach_was_prohibited(
    staged, region, sector_points
):
    before, may = staged[BEFORE], staged[MAY_30]
    assert before.geometry("counterfire_zone").is_empty
    deep = before.geometry("deep_strike_zone")
    assert not deep.is_empty
    # Everything within 300 km of the sector, counterfire zone included, was off-limits.
    union = shapely.union(may.geometry("counterfire_zone"), may.geometry("deep_strike_zone"))
    assert shapely.symmetric_difference(deep, union).area < 1e-4 * deep.area
    lon, lat = interior_samples(may.geometry("counterfire_zone"), 1)[0]
    assert (
        deep.covers(shapely.Point(lon, lat))
        and distance_to_line_m(lat, lon, sector_points) < 80_000
    )
    assert before.geometry("sanctuary").covers(before.geometry("deep_strike_zone").buffer(-1e-3))


def test_from_20_june_the_zone_runs_along_the_whole_border(staged, region, border_points):
    may, june = (
        staged[MAY_30].geometry("counterfire_zone"),
        staged[JUNE_20].geometry("counterfire_zone"),
    )
    assert june.area > 2 * may.area and shapely.difference(may, june).area < 1e-4 * may.area
    sudzha = (51.19, 35.27)  # Kursk Oblast, by the border, far from the Kharkiv sector
    assert distance_to_line_m(*sudzha, border_points) < 30_000
    assert june.covers(shapely.Point(sudzha[1], sudzha[0])) and not may.covers(
        shapely.Point(sudzha[1], sudzha[0])
    )
    for lon, lat in boundary_samples(june, 60, seed=4):
        if region.russia.boundary.distance(shapely.Point(lon, lat)) > 0.02:
            assert distance_to_line_m(lat, lon, border_points) == pytest.approx(
                80_000, rel=TOLERANCE
            )
    # The prohibited zone then runs from D to 300 km of the whole border, and holds Kursk.
    kursk = shapely.Point(36.19, 51.73)
    assert staged[JUNE_20].geometry("deep_strike_zone").covers(kursk)


def test_the_sanctuary_is_the_reach_of_the_border_less_the_counterfire_zone(staged, border_points):
    for sid in (MAY_30, JUNE_20):
        built = staged[sid]
        sanctuary, zone = built.geometry("sanctuary"), built.geometry("counterfire_zone")
        assert shapely.intersection(sanctuary, zone).area < 1e-6 * sanctuary.area
        for lon, lat in interior_samples(sanctuary, 15, seed=8):
            assert distance_to_line_m(lat, lon, border_points) <= ATACMS_M * (1 + TOLERANCE)
    reach = shapely.union(staged[BEFORE].geometry("sanctuary"), shapely.Polygon())
    for sid in (MAY_30, JUNE_20):
        total = shapely.union(
            staged[sid].geometry("sanctuary"), staged[sid].geometry("counterfire_zone")
        )
        assert shapely.symmetric_difference(total, reach).area < 1e-4 * reach.area, sid


def test_the_ground_remembers_its_recent_buffers():
    g = zones.ground()
    fresh = zones.Ground(g.region, g.sector_m, g.kharkiv, g.kharkiv_gap, g.kharkiv_nearest)
    first = fresh.buffer("sector", 10_000)
    assert fresh.buffer("sector", 10_000) is first  # remembered
    assert fresh.buffer("sector", 10_000.0) is first
    assert fresh.reach("sector") is fresh.reach("sector")
    assert fresh.line("border") is g.region.border_m and fresh.line("sector") is g.sector_m
    made = []
    for k in range(zones.BUFFERS_KEPT):
        fresh._remember(("test", k), lambda k=k: made.append(k) or k)
    assert (
        fresh._remember(("test", zones.BUFFERS_KEPT - 1), lambda: "again") == zones.BUFFERS_KEPT - 1
    )  # kept
    assert fresh._remember(("test", 1), lambda: "again") == 1  # the last BUFFERS_KEPT are kept
    assert fresh.buffer("sector", 10_000) is not first  # the oldest was let go


@pytest.mark.parametrize("stage", ["2024-06-20", None, 3])
def test_params_want_a_stage_of_the_policy(stage):
    with pytest.raises(TypeError) as err:
        zones.Params(stage=stage)
    assert str(err.value) == f"stage must be a geo.engine.stages.Stage, not {type(stage).__name__}"


def test_a_number_for_a_distance_is_named_in_the_error():
    with pytest.raises(TypeError) as err:
        zones.Params(radius=12)
    assert str(err.value) == "radius must be a geopy Distance, not int"


def test_from_20_june_the_prohibited_zone_is_measured_from_the_whole_border(
    staged, border_points, sector_points
):
    bryansk = (
        53.25,
        34.37,
    )  # measured here: within 300 km of the border, beyond 300 km of the sector
    assert distance_to_line_m(*bryansk, border_points) < ATACMS_M * 0.9
    assert distance_to_line_m(*bryansk, sector_points) > ATACMS_M * 1.02
    point = shapely.Point(bryansk[1], bryansk[0])
    assert staged[JUNE_20].geometry("deep_strike_zone").covers(point)
    assert not staged[MAY_30].geometry("deep_strike_zone").covers(point)


def test_from_20_june_the_zones_still_do_not_overlap(staged):
    zone, deep = (
        staged[JUNE_20].geometry("counterfire_zone"),
        staged[JUNE_20].geometry("deep_strike_zone"),
    )
    assert shapely.intersection(zone, deep).area < 1e-6 * zone.area
