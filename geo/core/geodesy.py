"""Measuring on the WGS84 ellipsoid: the one projection the engine buffers in, geodesic
lengths, areas and distances.

Geographic assumptions, all made here:

* Coordinates are WGS84 longitude/latitude (EPSG:4326), as in the border data.
* Buffers are built in an azimuthal equidistant projection (AEQD) centred on
  ``REGION_CENTRE`` (50.0 N, 37.0 E, near the middle of the Russia–Ukraine land border). AEQD
  keeps distances from its centre exact; a distance that does not pass through the centre
  is stretched by about (ρ/R)²/6, ρ being the distance from the centre. Every border point
  the engine buffers lies within about 600 km of the centre, so a buffer of radius r is
  true to within 0.15 % (0.5 % is the engine's promise; tests measure it with geopy).
* Lengths, areas and point distances are geodesic on the ellipsoid (pyproj ``Geod``, the
  same Karney algorithms as geopy's ``geodesic``), never in degrees and never in the
  projection.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

#: Centre of the buffering projection: (latitude, longitude) in degrees.
REGION_CENTRE = (50.0, 37.0)

WGS84 = pyproj.Geod(ellps="WGS84")


def aeqd_proj4() -> str:
    """The regional AEQD projection as a PROJ string."""
    lat0, lon0 = REGION_CENTRE
    return f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m +no_defs"


@lru_cache(maxsize=1)
def _transformers() -> tuple[pyproj.Transformer, pyproj.Transformer]:
    aeqd = pyproj.CRS.from_proj4(aeqd_proj4())
    wgs84 = pyproj.CRS.from_epsg(4326)
    forward = pyproj.Transformer.from_crs(wgs84, aeqd, always_xy=True)
    inverse = pyproj.Transformer.from_crs(aeqd, wgs84, always_xy=True)
    return forward, inverse


def metres_xy(xy: np.ndarray) -> np.ndarray:
    """Longitudes and latitudes (n, 2) -> the regional AEQD projection's x, y (n, 2), in metres:
    arrays only, no geometry made (a MultiPoint of a million points is 150 MB in GEOS)."""
    forward, _ = _transformers()
    return np.column_stack(forward.transform(xy[:, 0], xy[:, 1])) if len(xy) else xy.reshape(0, 2)


def degrees_xy(xy: np.ndarray) -> np.ndarray:
    """The regional AEQD projection's x, y (n, 2) -> longitudes and latitudes (n, 2)."""
    _, inverse = _transformers()
    return np.column_stack(inverse.transform(xy[:, 0], xy[:, 1])) if len(xy) else xy.reshape(0, 2)


def to_metres(geom: BaseGeometry) -> BaseGeometry:
    """Longitude/latitude geometry -> the regional AEQD projection, in metres."""
    forward, _ = _transformers()
    return shapely.transform(
        geom, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))
    )


def to_degrees(geom: BaseGeometry) -> BaseGeometry:
    """Regional AEQD geometry in metres -> longitude/latitude."""
    _, inverse = _transformers()
    return shapely.transform(
        geom, lambda xy: np.column_stack(inverse.transform(xy[:, 0], xy[:, 1]))
    )


def length_m(geom: BaseGeometry) -> float:
    """Geodesic length of a lon/lat line (or polygon boundary), in metres."""
    if geom.is_empty:
        return 0.0
    return float(WGS84.geometry_length(geom))


def area_m2(geom: BaseGeometry) -> float:
    """Geodesic area of a lon/lat polygon, in square metres (always positive).

    pyproj sums the signed areas of the rings, so the rings are oriented first (outer rings
    counter-clockwise, holes clockwise): a valid polygon may have its rings either way round."""
    if geom.is_empty:
        return 0.0
    area, _ = WGS84.geometry_area_perimeter(shapely.orient_polygons(geom))
    return abs(float(area))


def metric_area_m2(geom_m: BaseGeometry) -> float:
    """Geodesic area of a polygon given in the regional projection (unprojected first)."""
    return area_m2(to_degrees(geom_m))


def distances_m(lat: float, lon: float, lats, lons) -> np.ndarray:
    """Geodesic distances from one point to many, in metres (vectorised)."""
    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    _, _, dist = WGS84.inv(np.full_like(lons, lon), np.full_like(lats, lat), lons, lats)
    return np.asarray(dist, dtype=float)


def spherical_distances_m(lat: float, lon: float, lats, lons) -> np.ndarray:
    """Great-circle (haversine) distances on the mean-radius sphere, in metres: only a fast
    first cut; the ellipsoidal distance differs by up to about 0.6 %."""
    p1, p2 = np.radians(lat), np.radians(np.asarray(lats, dtype=float))
    dp, dl = p2 - p1, np.radians(np.asarray(lons, dtype=float) - lon)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def geodesic_circle(
    lat: float, lon: float, radius_m: float, vertices: int = 256
) -> shapely.Polygon:
    """The true circle of ``radius_m`` around a point: every vertex is the geodesic
    destination at that distance on an evenly spaced azimuth."""
    azimuths = np.linspace(0.0, 360.0, vertices, endpoint=False)
    lons, lats, _ = WGS84.fwd(
        np.full(vertices, lon), np.full(vertices, lat), azimuths, np.full(vertices, radius_m)
    )
    return shapely.Polygon(np.column_stack([lons, lats]))
