"""The stages of the policy and the sanctuary, checked against independent measurement:
point-in-polygon tests on the country polygons, geopy geodesics, and an area integral over
an ellipsoidal grid written out here (not the engine's buffers, projection or areas)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest
import shapely
from geopy.distance import geodesic

from geo.engine import facts, layers, stages, zones
from pages.shared import viewstate
from tests.measure import (
    boundary_samples,
    distance_to_line_m,
    haversine_m,
    interior_samples,
    line_points,
)
from tests.scopes import shared

TOLERANCE = 0.005
WGS84_A, WGS84_F = 6_378_137.0, 1 / 298.257223563
E2 = WGS84_F * (2 - WGS84_F)
# Typed from the project's fact sheet, not imported: the stage dates.
MAY_30, JUNE_20, BEFORE, NOVEMBER = "2024-05-30", "2024-06-20", "2024-05-29", "2024-11-17"


def params(stage_id: str, depth_km: float = 80) -> zones.Params:
    return zones.Params(
        depth=zones.parse_depth(f"{depth_km}km"), stage=stages.parse_stage(stage_id)
    )


@pytest.fixture(scope=shared("module"))
def built():
    return {sid: layers.layers(params(sid)) for sid in (BEFORE, MAY_30, JUNE_20)}


def test_the_default_everywhere_is_the_articles_moment():
    assert zones.Params().stage.id == MAY_30
    assert viewstate.DEFAULT.params.stage.id == MAY_30


def test_june_permits_everything_may_did(built):
    may, june = (
        built[MAY_30].geometry("counterfire_zone"),
        built[JUNE_20].geometry("counterfire_zone"),
    )
    # Equal up to the engine's 20 m line simplification: 2e-4 degrees is at most 22 m here.
    assert june.buffer(2e-4).covers(may)
    assert june.area > 2 * may.area
    assert built[BEFORE].geometry("counterfire_zone").is_empty


def test_each_permitted_area_is_in_russia_and_not_in_ukraine(built, region):
    for sid in (MAY_30, JUNE_20):
        for lon, lat in interior_samples(built[sid].geometry("counterfire_zone"), 40, seed=5):
            point = shapely.Point(lon, lat)
            assert region.russia.covers(point) and not region.ukraine.contains(point)


def test_the_whole_border_zone_reaches_no_further_than_d_from_the_border(built, border_points):
    zone = built[JUNE_20].geometry("counterfire_zone")
    reach = [
        distance_to_line_m(lat, lon, border_points)
        for lon, lat in boundary_samples(zone, 80, seed=3)
    ]
    assert max(reach) <= 80_000 * (1 + TOLERANCE)
    assert max(reach) >= 80_000 * (1 - TOLERANCE)  # and it does reach out to D


# --------------------------------------------------------------------------- the sanctuary by grid


def _cell_areas(lats: np.ndarray, dlat: float, dlon: float) -> np.ndarray:
    """Area (m²) of a dlat × dlon cell centred at each latitude on the WGS84 ellipsoid:
    M(φ)·N(φ)·cos φ·Δφ·Δλ, with the meridian and prime-vertical radii of curvature."""
    phi = np.radians(lats)
    w = 1 - E2 * np.sin(phi) ** 2
    m = WGS84_A * (1 - E2) / w**1.5
    n = WGS84_A / np.sqrt(w)
    return m * n * np.cos(phi) * math.radians(dlat) * math.radians(dlon)


def _distance_to(
    points_lonlat: np.ndarray, lats: np.ndarray, lons: np.ndarray, edge_m: float
) -> np.ndarray:
    """Whether each grid point lies within ``edge_m`` of a line given as dense (lon, lat)
    points: a haversine distance decides, except within 3 km of the edge, where geopy's
    geodesic to the nearest samples decides."""
    inside = np.zeros(len(lats), dtype=bool)
    for start in range(0, len(lats), 2000):
        sl = slice(start, start + 2000)
        d = haversine_m(
            lats[sl, None], lons[sl, None], points_lonlat[None, :, 1], points_lonlat[None, :, 0]
        )
        nearest = d.min(axis=1)
        inside[sl] = nearest <= edge_m
        for k in np.flatnonzero(np.abs(nearest - edge_m) < 3_000):
            row = d[k]
            candidates = np.argsort(row)[:6]
            lat, lon = lats[start + k], lons[start + k]
            true = min(
                geodesic((lat, lon), (points_lonlat[c, 1], points_lonlat[c, 0])).m
                for c in candidates
            )
            inside[start + k] = true <= edge_m
    return inside


@pytest.fixture(scope=shared("module"))
def grid(region, built):
    """Grid points in Russia within 300 km of the border, with their cell areas and whether
    each lies within 80 km of the Kharkiv sector and of the whole border."""
    dlat, dlon = 0.05, 0.07
    lat_axis = np.arange(43.0 + dlat / 2, 56.5, dlat)
    lon_axis = np.arange(29.0 + dlon / 2, 46.0, dlon)
    lons, lats = (a.ravel() for a in np.meshgrid(lon_axis, lat_axis))
    in_russia = shapely.contains_xy(region.russia, lons, lats)
    lats, lons = lats[in_russia], lons[in_russia]
    coarse_border = line_points(region.border, 0.02)  # about 2 km apart
    coarse_sector = line_points(built[MAY_30].geometry("kharkiv_sector"), 0.02)
    in_reach = _distance_to(coarse_border, lats, lons, 300_000)
    lats, lons = lats[in_reach], lons[in_reach]
    return {
        "area": _cell_areas(lats, dlat, dlon),
        "near_sector": _distance_to(coarse_sector, lats, lons, 80_000),
        "near_border": _distance_to(coarse_border, lats, lons, 80_000),
    }


def test_the_reach_and_the_sanctuary_match_a_grid_integral_within_one_percent(grid, built):
    reach_m2 = grid["area"].sum()
    expected = {
        BEFORE: reach_m2,
        MAY_30: reach_m2 - grid["area"][grid["near_sector"]].sum(),
        JUNE_20: reach_m2 - grid["area"][grid["near_border"]].sum(),
    }
    for sid, area in expected.items():
        measured = built[sid]["sanctuary"].measure.m2
        assert measured == pytest.approx(area, rel=0.01), sid
    rows = {row.stage.id: row for row in facts.stage_figures(params(MAY_30))}
    assert rows[MAY_30].reach.m2 == pytest.approx(reach_m2, rel=0.01)
    assert rows[JUNE_20].sanctuary.m2 == pytest.approx(expected[JUNE_20], rel=0.01)


def test_shares_lie_between_zero_and_one_and_grow_over_the_stages():
    rows = facts.stage_figures(params(MAY_30))
    measured = [row.permitted_share for row in rows if row.permitted is not None]
    assert [row.stage.id for row in rows] == [BEFORE, MAY_30, JUNE_20, NOVEMBER]
    assert all(0 <= share <= 1 for share in measured)
    assert measured == sorted(measured) and measured[0] == 0 and measured[-1] > measured[1] > 0
    november = rows[-1]
    assert (
        november.permitted is None
        and november.sanctuary is None
        and november.permitted_share is None
    )


def test_a_stage_changes_only_what_depends_on_it(built):
    may, june = built[MAY_30], built[JUNE_20]
    for key in ("border_band", "kharkiv_ring", "border", "kharkiv_sector"):
        assert shapely.equals_exact(may.geometry(key), june.geometry(key), tolerance=0), key


# --------------------------------------------------------------------------- links and terminal


@pytest.mark.parametrize("bad", ["2025-01-01", "june", "", "2024-06-20x", "٢٠٢٤-٠٦-٢٠"])
def test_a_link_with_an_unknown_stage_warns_and_falls_back(bad):
    view, warnings = viewstate.from_query({"stage": bad, "depth": "100km"})
    assert view.params.stage.id == MAY_30
    assert view.depth.km == pytest.approx(100)
    assert len(warnings) == 1 and "stage" in warnings[0] and "2024-06-20" in warnings[0]


def test_a_link_with_a_stage_round_trips():
    view, warnings = viewstate.from_query({"stage": JUNE_20})
    assert not warnings and view.params.stage.id == JUNE_20
    assert viewstate.to_query(view)["stage"] == JUNE_20
    assert "S2024-06-20" in viewstate.file_name(view, "map", "html")


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )


def test_the_terminal_rejects_an_unknown_stage_in_one_sentence():
    result = run("facts", "--stage", "2024-13-01")
    assert result.returncode == 2
    assert (
        result.stderr.count("\n") == 1
        and "2024-13-01" in result.stderr
        and "2024-06-20" in result.stderr
    )


def test_facts_json_lists_the_stages_with_their_areas_and_shares():
    result = run("facts", "--json", "--stage", JUNE_20)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["stage"] == JUNE_20
    rows = {row["id"]: row for row in figures["stages"]}
    assert list(rows) == [BEFORE, MAY_30, JUNE_20, NOVEMBER]
    for row in rows.values():
        assert set(row) >= {
            "id",
            "date",
            "permitted_area_km2",
            "sanctuary_area_km2",
            "permitted_share",
        }
    june = rows[JUNE_20]
    assert june["permitted_area_km2"] == pytest.approx(
        figures["counterfire_zone_area_km2"], rel=1e-6
    )
    assert june["permitted_area_km2"] + june["sanctuary_area_km2"] == pytest.approx(
        rows[BEFORE]["sanctuary_area_km2"], rel=1e-3
    )
    assert rows[NOVEMBER]["permitted_share"] is None


def test_an_unknown_stage_is_named_beside_the_four_the_policy_had():
    with pytest.raises(stages.StageError) as err:
        stages.parse_stage("2025-01-01")
    assert str(err.value) == (
        "stage '2025-01-01' is not a stage of the policy: stage takes one of 2024-05-29, "
        "2024-05-30, 2024-06-20, 2024-11-17, e.g. 2024-06-20."
    )
