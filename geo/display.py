"""Geometry for drawing: simplified in metres, small islands and lakes left out, rounded.

Drawn shapes are simplified by at most ``DISPLAY_TOLERANCE_M`` (country outlines by
``COUNTRY_TOLERANCE_M``) in the regional projection, to keep the page light, and their
coordinates rounded to ``DECIMALS`` decimal degrees (about 1 m); every figure is measured on
the full geometry. Islands and holes (lakes, in the land-only source) under
``DISPLAY_MIN_AREA_M2`` are not drawn.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import shapely

from geo import geodesy
from geo.data import region

DISPLAY_TOLERANCE_M = 150.0
#: Islands and lakes smaller than this are left out of the drawing (not of the figures).
DISPLAY_MIN_AREA_M2 = 25e6
#: Coarser simplification for the country outlines and for the minimap's outlines.
COUNTRY_TOLERANCE_M = 500.0
MINIMAP_TOLERANCE_M = 5_000.0
DECIMALS = 5
EMPTY = '{"type":"GeometryCollection","geometries":[]}'


def drop_small(geom_m: shapely.Geometry, min_area_m2: float) -> shapely.Geometry:
    """For drawing only: the polygons without the islands and holes (lakes, in the land-only
    source) smaller than ``min_area_m2``. Lines pass through unchanged."""
    parts = shapely.get_parts(geom_m)
    if not len(parts) or parts[0].geom_type != "Polygon":
        return geom_m
    kept = []
    for part in parts[shapely.area(parts) >= min_area_m2]:
        rings = shapely.get_rings(part)
        holes = rings[1:][shapely.area(shapely.polygons(rings[1:])) >= min_area_m2]
        kept.append(shapely.Polygon(rings[0], holes))
    return shapely.MultiPolygon(kept) if kept else shapely.Polygon()


def drawing(metric: shapely.Geometry, tolerance_m: float = DISPLAY_TOLERANCE_M) -> str:
    """GeoJSON geometry text (lon/lat) for drawing a shape given in metres."""
    if metric.is_empty:
        return EMPTY
    metric = drop_small(metric, max((10 * tolerance_m) ** 2, DISPLAY_MIN_AREA_M2))
    simple = geodesy.to_degrees(metric.simplify(tolerance_m))
    rounded = shapely.transform(simple, lambda xy: np.round(xy, DECIMALS))
    return shapely.to_geojson(rounded)


COUNTRIES = (("RUS", "Russia"), ("UKR", "Ukraine"), ("BLR", "Belarus"), ("MDA", "Moldova"))


def _metric_country(code: str) -> shapely.Geometry:
    reg = region()
    projected = {"RUS": reg.russia_m, "UKR": reg.ukraine_m}  # already projected at load
    return projected[code] if code in projected else geodesy.to_metres(reg.country(code))


@lru_cache(maxsize=4)
def country_outlines(tolerance_m: float) -> str:
    """The four countries as a GeoJSON FeatureCollection (text), simplified for drawing.
    The same for every parameter set, so built once per process per tolerance."""
    features = (
        '{"type":"Feature","properties":{"name":%s},"geometry":%s}' % (json.dumps(name), drawing(_metric_country(code), tolerance_m))
        for code, name in COUNTRIES
    )
    return '{"type":"FeatureCollection","features":[%s]}' % ",".join(features)
