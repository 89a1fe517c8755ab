"""Geometry for drawing: simplified in metres, small islands and lakes left out, rounded, and
written in a compact encoding the page decodes.

The drawing error bound, for every layer drawn from its full geometry: each drawn line lies
within ``DRAWING_ERROR_M`` (100 m) of the full geometry, and the full geometry within it of
the drawing (the Hausdorff distance), because

* the shape is simplified by at most ``DISPLAY_TOLERANCE_M`` (90 m) in the regional AEQD
  projection, which stretches no distance in the region by more than 0.5 % (``geo.core.geodesy``):
  at most 90.5 m on the ground;
* coordinates are then rounded to ``DECIMALS`` (4) decimal degrees: at most 0.5e-4° of
  latitude (5.6 m) and of longitude (3.6 m at 50° N), together at most 6.7 m;

so at most 97.2 m. Islands and holes (lakes, in the land-only source) under
``DISPLAY_MIN_AREA_M2`` are not drawn, and are outside the bound; every figure is measured
on the full geometry. Country outlines are background, not measured shapes: they are drawn
coarser (``COUNTRY_TOLERANCE_M``, the minimap's ``MINIMAP_TOLERANCE_M``), simplified once
when the data is built, with the edges two countries share kept shared
(``data/display.geojson``, ``geo.tools.rebuild``).

The compact encoding (:func:`encode`) is a GeoJSON geometry in which every ring or line is
one flat list of integers: the first point's longitude and latitude in units of
``10**-DECIMALS`` degree, then each next point as its difference from the one before.
``DECODER_JS`` turns it back into GeoJSON in the page; :func:`decode` does so in Python.
"""

from __future__ import annotations

import json

import numpy as np
import shapely

from geo.core import geodesy
from geo.core.cache import once_per
from geo.data.source import DEFAULT

#: The bound every drawn layer keeps to (see the module's docstring).
DRAWING_ERROR_M = 100.0
DISPLAY_TOLERANCE_M = 90.0
#: Islands and lakes smaller than this are left out of the drawing (not of the figures).
DISPLAY_MIN_AREA_M2 = 25e6
#: Coarser simplification for the country outlines and for the minimap's outlines.
COUNTRY_TOLERANCE_M = 1_000.0
MINIMAP_TOLERANCE_M = 5_000.0
DECIMALS = 4
SCALE = 10**DECIMALS
#: The largest rounding error of a drawn point, in metres (at 50° N; see the docstring).
ROUNDING_ERROR_M = 6.7
EMPTY = '{"type":"GeometryCollection","geometries":[]}'
COUNTRIES = (("RUS", "Russia"), ("UKR", "Ukraine"), ("BLR", "Belarus"), ("MDA", "Moldova"))

#: Defines ``kharkivGeometry(g)``: a compact geometry (or a FeatureCollection of them) back
#: to GeoJSON. Written for this project; the inverse of :func:`encode`.
DECODER_JS = """function kharkivGeometry(g) {
    function line(a) {
        var out = new Array(a.length / 2), x = 0, y = 0;
        for (var i = 0; i < a.length; i += 2) { x += a[i]; y += a[i + 1]; out[i / 2] = [x / %(scale)d, y / %(scale)d]; }
        return out;
    }
    function walk(a) { return typeof a[0] === "number" ? line(a) : a.map(walk); }
    if (g.type === "FeatureCollection") {
        return {type: g.type, features: g.features.map(function (f) {
            return {type: "Feature", properties: f.properties, geometry: kharkivGeometry(f.geometry)}; })};
    }
    return g.coordinates ? {type: g.type, coordinates: walk(g.coordinates)} : g;
}""" % {"scale": SCALE}


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


def _line(coords: np.ndarray, closed: bool) -> str | None:
    """One ring or line as delta-encoded integers; None when rounding collapses it."""
    ints = np.round(coords[:, :2] * SCALE).astype(np.int64)
    keep = np.ones(len(ints), dtype=bool)
    keep[1:] = np.any(ints[1:] != ints[:-1], axis=1)
    ints = ints[keep]
    if len(ints) < (4 if closed else 2):
        return None
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return "[" + ",".join(map(str, deltas.ravel().tolist())) + "]"


def _polygon(poly: shapely.Polygon) -> str | None:
    rings = [_line(shapely.get_coordinates(r), True) for r in shapely.get_rings(poly)]
    if not rings or rings[0] is None:
        return None
    return "[" + ",".join(r for r in rings if r is not None) + "]"


def encode(geom: shapely.Geometry) -> str:
    """The compact encoding of a lon/lat geometry (see the module's docstring), as JSON text.

    >>> encode(shapely.LineString([(36.25475, 49.98177), (36.3, 50.0)]))
    '{"type":"LineString","coordinates":[362548,499818,452,182]}'
    >>> decode(encode(shapely.LineString([(36.25475, 49.98177), (36.3, 50.0)]))).wkt
    'LINESTRING (36.2548 49.9818, 36.3 50)'
    """
    kind = geom.geom_type
    if geom.is_empty:
        return EMPTY
    if kind in ("LineString", "MultiLineString"):
        lines = [_line(shapely.get_coordinates(p), False) for p in shapely.get_parts(geom)]
        lines = [line for line in lines if line is not None]
        if not lines:
            return EMPTY
        body = lines[0] if kind == "LineString" else "[" + ",".join(lines) + "]"
    elif kind in ("Polygon", "MultiPolygon"):
        polys = [p for p in map(_polygon, shapely.get_parts(geom)) if p is not None]
        if not polys:
            return EMPTY
        kind, body = "MultiPolygon", "[" + ",".join(polys) + "]"
    else:
        raise ValueError(f"cannot encode a {kind} for drawing (lines and polygons only)")
    return f'{{"type":"{kind}","coordinates":{body}}}'


def decode(text: str) -> shapely.Geometry:
    """The geometry a compact encoding stands for (what ``DECODER_JS`` draws), for tests."""
    g = json.loads(text)

    def walk(a):
        if a and isinstance(a[0], int):
            return (np.cumsum(np.array(a, dtype=np.int64).reshape(-1, 2), axis=0) / SCALE).tolist()
        return [walk(x) for x in a]

    if "coordinates" in g:
        g = {"type": g["type"], "coordinates": walk(g["coordinates"])}
    return shapely.from_geojson(json.dumps(g))


def drawing(metric: shapely.Geometry, tolerance_m: float = DISPLAY_TOLERANCE_M) -> str:
    """The compact drawing (lon/lat) of a shape given in metres: small parts left out,
    simplified by ``tolerance_m``, rounded to ``DECIMALS``."""
    if metric.is_empty:
        return EMPTY
    metric = drop_small(metric, max((10 * tolerance_m) ** 2, DISPLAY_MIN_AREA_M2))
    return encode(geodesy.to_degrees(metric.simplify(tolerance_m)))


def drawing_error_m(metric: shapely.Geometry, drawn: str) -> float:
    """How far a drawing (compact text) strays from the full shape in metres (regional
    projection): the Hausdorff distance between their outlines, with the parts too small to
    be drawn left out of the full shape. The bound in this module's docstring is on this."""
    full = drop_small(metric, DISPLAY_MIN_AREA_M2)
    shape = geodesy.to_metres(decode(drawn))
    if full.is_empty or shape.is_empty:
        return 0.0 if full.is_empty and shape.is_empty else float("inf")
    if full.geom_type.endswith("Polygon"):
        full, shape = full.boundary, shape.boundary
    return float(shapely.hausdorff_distance(full, shape, densify=0.25))


def simplified_countries(
    countries_deg: dict[str, shapely.Geometry], tolerance_m: float
) -> dict[str, shapely.Geometry]:
    """The countries (lon/lat) simplified together by ``tolerance_m`` in the regional
    projection, so the edge two countries share stays one edge (``shapely.coverage_simplify``);
    small islands and lakes are left out first, and the small overlaps of the source (up to a
    few km² along Belarus) resolved in ``COUNTRIES`` order, so the shapes form a coverage.
    Run when the data is built, never per map."""
    taken = None
    metric = {}
    for code, _ in COUNTRIES:
        geom = drop_small(
            geodesy.to_metres(countries_deg[code]),
            max((10 * tolerance_m) ** 2, DISPLAY_MIN_AREA_M2),
        )
        if taken is not None:
            geom = drop_small(
                shapely.make_valid(geom.difference(taken)),
                max((10 * tolerance_m) ** 2, DISPLAY_MIN_AREA_M2),
            )
        taken = geom if taken is None else shapely.union(taken, geom)
        metric[code] = geom
    simple = shapely.coverage_simplify(np.array(list(metric.values()), dtype=object), tolerance_m)
    return {code: geodesy.to_degrees(geom) for code, geom in zip(metric, simple)}


@once_per
def country_outlines(tolerance_m: float, source: str = DEFAULT) -> str:
    """The four countries of a border source as a compact FeatureCollection (text), from its
    display file (``data/display.geojson``, simplified when the data was built). The same for
    every parameter set."""
    from geo.data.borders import display_outlines

    shapes = display_outlines(tolerance_m, source)
    features = (
        f'{{"type":"Feature","properties":{{"name":{json.dumps(name)}}},"geometry":{encode(shapes[code])}}}'
        for code, name in COUNTRIES
    )
    return '{{"type":"FeatureCollection","features":[{}]}}'.format(",".join(features))
