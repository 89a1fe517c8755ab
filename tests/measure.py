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
        xy = np.column_stack([rng.uniform(minx, maxx, 4 * count), rng.uniform(miny, maxy, 4 * count)])
        inside = shapely.contains_xy(geom, xy[:, 0], xy[:, 1])
        found.extend(xy[inside])
    return np.array(found[:count])
