"""Independent measurement for the tests: geopy's geodesic, and a plain numpy haversine used
only to shortlist candidates before geopy measures them. Nothing here uses the engine's
projection or buffers."""

from __future__ import annotations

import numpy as np
import shapely
from geopy.distance import geodesic

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat, lon, lats, lons) -> np.ndarray:
    p1, p2 = np.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lons) - np.radians(lon)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def line_points(line: shapely.Geometry, step_deg: float = 0.0005) -> np.ndarray:
    """(lon, lat) points along a line no more than ``step_deg`` apart (about 50 m)."""
    return shapely.get_coordinates(shapely.segmentize(line, step_deg))


def distance_to_line_m(lat: float, lon: float, points: np.ndarray) -> float:
    """Geodesic distance (geopy) from a point to the nearest of ``points`` (lon, lat)."""
    rough = haversine_m(lat, lon, points[:, 1], points[:, 0])
    shortlist = np.argsort(rough)[:8]
    return min(geodesic((lat, lon), (points[k, 1], points[k, 0])).m for k in shortlist)


def boundary_samples(geom: shapely.Geometry, count: int, seed: int = 1) -> np.ndarray:
    """``count`` (lon, lat) vertices of a polygon's boundary, chosen at random."""
    coords = shapely.get_coordinates(geom.boundary)
    rng = np.random.default_rng(seed)
    return coords[rng.choice(len(coords), size=min(count, len(coords)), replace=False)]


def interior_samples(geom: shapely.Geometry, count: int, seed: int = 2) -> np.ndarray:
    """Random (lon, lat) points inside a polygon."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = geom.bounds
    found = []
    shapely.prepare(geom)
    while len(found) < count:
        xy = np.column_stack(
            [rng.uniform(minx, maxx, 4 * count), rng.uniform(miny, maxy, 4 * count)]
        )
        inside = shapely.contains_xy(geom, xy[:, 0], xy[:, 1])
        found.extend(xy[inside])
    return np.array(found[:count])


# --------------------------------------------------------------------------- areas on a grid

#: WGS84, by definition (semi-major axis in metres, flattening).
WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563


def _authalic_q(lat_deg: np.ndarray) -> np.ndarray:
    """The authalic-latitude function q(φ) of the WGS84 ellipsoid (Snyder, Map Projections: A
    Working Manual, eq. 3-12)."""
    e2 = WGS84_F * (2 - WGS84_F)
    e = np.sqrt(e2)
    s = np.sin(np.radians(lat_deg))
    return (1 - e2) * (s / (1 - e2 * s * s) - np.log((1 - e * s) / (1 + e * s)) / (2 * e))


def cell_areas_m2(lats: np.ndarray, step_deg: float) -> np.ndarray:
    """Exact ellipsoidal area of the ``step_deg`` × ``step_deg`` cell centred on each latitude:
    a²·Δλ·(q(φ₂) − q(φ₁))/2."""
    half = step_deg / 2
    return (
        WGS84_A**2
        * np.radians(step_deg)
        * (_authalic_q(lats + half) - _authalic_q(lats - half))
        / 2
    )


def grid(
    bounds: tuple[float, float, float, float], step_deg: float
) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres (lons, lats) of a regular grid over (min lon, min lat, max lon, max lat)."""
    west, south, east, north = bounds
    lons, lats = np.meshgrid(
        np.arange(west + step_deg / 2, east, step_deg),
        np.arange(south + step_deg / 2, north, step_deg),
    )
    return lons.ravel(), lats.ravel()


def grid_area_m2(geom: shapely.Geometry, step_deg: float = 0.02) -> float:
    """A polygon's area on the ellipsoid, counted cell by cell on a grid of lon/lat cells
    (each cell whose centre the polygon covers counts whole): independent of pyproj's
    geodesic area, good to about a percent for shapes tens of kilometres across."""
    lons, lats = grid(geom.bounds, step_deg)
    inside = shapely.contains_xy(geom, lons, lats)
    return float(cell_areas_m2(lats[inside], step_deg).sum())


def nearest_m(
    lons: np.ndarray, lats: np.ndarray, points: np.ndarray, chunk: int = 2_000
) -> np.ndarray:
    """Haversine distance (sphere, metres) from each (lon, lat) to the nearest of ``points``:
    a fast first cut, within about 0.6 % of the geodesic."""
    out = np.empty(len(lons))
    for i in range(0, len(lons), chunk):
        d = haversine_m(
            lats[i : i + chunk, None],
            lons[i : i + chunk, None],
            points[None, :, 1],
            points[None, :, 0],
        )
        out[i : i + chunk] = d.min(axis=1)
    return out


def line_length_m(line: shapely.Geometry) -> float:
    """A line's length as the sum of geopy geodesics between its vertices."""
    total = 0.0
    for part in shapely.get_parts(line):
        coords = shapely.get_coordinates(part)
        total += sum(
            geodesic((a[1], a[0]), (b[1], b[0])).m for a, b in zip(coords[:-1], coords[1:])
        )
    return total
