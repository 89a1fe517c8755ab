"""Classifying many features at once: for each of a user's points, lines and areas, the zone
it lies in, its country, and its geodesic distances to the border and to Kharkiv's centre.

How each answer is measured (one set of layers, ``geo.engine.layers``):

* **Zone of a point**: the first area of ``layers.AREAS`` (registry order) that covers it,
  else ``"ukraine"``/``"russia"``, else ``"elsewhere"``: the rule of ``layers.classify``, run
  as one ``shapely.intersects_xy`` per area over all points (``intersects_xy`` rather than
  ``contains_xy`` so that a point on an edge counts as inside, as ``covers`` does there).
* **Shares of a line or an area**: the fraction of its length (line) or area (polygon) in
  each zone, the zones taken in the same order with each one's overlap with earlier ones
  removed, so shares add up to 1. Measured in the regional AEQD projection (metres,
  ``geo.core.geodesy``): a share is a ratio within one feature, and the projection's scale varies
  by under 0.15 % across the region, so a share is off by less than 0.15 % of itself. Its
  ``zone`` is the zone with the largest share. An area is cut with each zone in turn; a line
  is measured segment by segment (:func:`line_shares`), which gives the same shares at a
  cost in proportion to its segments.
* **Distance to the border**: from the nearest point of the feature to the land border,
  all vectorised, piece by piece (``geo.engine.pieces``: each point, each segment of a line or
  a ring, cut into parts of at most 5 km, so that the cost follows the vertices, not the
  vertices times the border's segments near them). A grid of distances to the border
  shortlists the pieces that may be nearest; an STRtree of the border's segments (in AEQD
  metres) gives the nearest segment of each, then every segment within that distance plus
  twice the projection's stretch
  (ρ/R)²/6 (ρ: the farthest the feature reaches from the projection's centre); on each, the
  nearest point in AEQD (``shapely.shortest_line``) is measured geodesically (pyproj
  ``Geod.inv``, WGS84) and the shortest kept. Each is the length of a real path to the
  border, so the answer never understates the shortest one; it overstates it only by the
  gap between the AEQD and the geodesic foot point on one segment, a second-order amount,
  well under a metre (the tests hold it to 1 m above, 5 m either side of, geopy's distance
  to the border sampled every 50 m).
* **Distance to Kharkiv's centre**: geodesic, from the nearest point of the feature (the
  point itself for a point), found the same way.
* **Country**: Ukraine, Russia (without Crimea), Belarus or Moldova as the region's polygons
  draw them, else ``"other"``; for a line or an area, the country of a point on its surface
  (``shapely.point_on_surface``); its shares tell when it crosses a border.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from geopy.distance import Distance

from geo import i18n
from geo.core import geodesy
from geo.core.budget import Budget, BudgetExceeded, give_back_memory
from geo.core.units import KM_PER_MI, Area, echo
from geo.engine import places, query
from geo.engine.layers import AREAS, Layers
from geo.engine.pieces import largest, pieces, shapes, smallest
from geo.i18n import N_, _
from geo.userfiles import userdata
from geo.userfiles.userdata import Feature, UserData, UserDataError

#: Every zone a feature can be in, in the order they are tried.
ZONES = tuple(spec.key for spec in AREAS) + ("ukraine", "russia", "elsewhere")
COUNTRIES = (
    ("UKR", N_("Ukraine")),
    ("RUS", N_("Russia")),
    ("BLR", N_("Belarus")),
    ("MDA", N_("Moldova")),
)
EARTH_RADIUS_M = 6_371_008.8
#: The prefix of every answer added to a user's feature, so none replaces the user's own.
PREFIX = "km_"
#: A cell a spreadsheet may run as a formula: one starting with a tab or a carriage return, or
#: whose first character after any white space and control characters is =, +, - or @ (or
#: their full-width forms), unless it is a plain number. Such a cell is written with a leading
#: apostrophe, which spreadsheets read as "text".
_FORMULA = re.compile(
    r"[\t\r]|[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]"
)
_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


@dataclass(frozen=True)
class Row:
    """The answers for one feature."""

    feature: Feature
    lat: float  # the point, or a point on the surface of a line or an area
    lon: float
    zone: str  # a key of ZONES
    shares: Mapping[
        str, float
    ]  # zone -> share of the feature's length or area (a point: 1.0 in its zone)
    country: str  # "Ukraine", "Russia", "Belarus", "Moldova" or "other"
    border_m: float  # geodesic metres to the border: use ``to_border``
    border_point: tuple[float, float]  # (lat, lon) of the nearest border point
    kharkiv_m: float  # geodesic metres to Kharkiv's centre: use ``to_kharkiv``
    size: Distance | Area | None  # geodesic length of a line, area of an area, None for a point

    # Distances made when asked for: 20,000 up front cost a third of classifying 10,000 points.
    @property
    def to_border(self) -> Distance:
        return Distance(meters=self.border_m)

    @property
    def to_kharkiv(self) -> Distance:
        return Distance(meters=self.kharkiv_m)

    @property
    def zone_name(self) -> str:
        return query.area_name(self.zone)

    @property
    def kind(self) -> str:
        """``"point"``, ``"line"`` or ``"area"`` (the feature's, known from its size)."""
        return (
            "point" if self.size is None else "line" if isinstance(self.size, Distance) else "area"
        )


@lru_cache(maxsize=2)
def _border_segments(border_m: shapely.Geometry) -> tuple[shapely.STRtree, np.ndarray]:
    coords = shapely.get_coordinates(border_m)
    segments = shapely.linestrings(np.stack([coords[:-1], coords[1:]], axis=1))
    return shapely.STRtree(segments), segments


@dataclass(frozen=True)
class Metric:
    """Features in the regional AEQD projection, metres: lines and areas as geometries (None
    for the others), points as coordinates only (a MultiPoint of a million points is 150 MB
    in GEOS, and as much again for a projected copy; its coordinates are 16 MB)."""

    geoms: np.ndarray  # (n,): a line's or an area's geometry, else None
    points: np.ndarray  # (p, 2): the x, y of every point of the points and MultiPoints
    point_of: np.ndarray  # (p,): the feature of each, ascending

    @classmethod
    def of(cls, geoms: np.ndarray) -> Metric:
        """Lon/lat geometries in AEQD metres."""
        pointy = shapely.get_dimensions(geoms) == 0
        metric = np.empty(len(geoms), dtype=object)
        if (~pointy).any():
            metric[~pointy] = geodesy.to_metres(geoms[~pointy])
        xy, of = shapely.get_coordinates(geoms[pointy], return_index=True)
        return cls(metric, geodesy.metres_xy(xy), np.flatnonzero(pointy)[of])

    def bounds(self) -> np.ndarray:
        """Each feature's box (n, 4) in metres."""
        box = np.full((len(self.geoms), 4), np.nan)
        shaped = ~shapely.is_missing(self.geoms)
        box[shaped] = shapely.bounds(self.geoms[shaped])
        if len(self.points):
            starts = np.r_[0, np.flatnonzero(self.point_of[1:] != self.point_of[:-1]) + 1]
            at = self.point_of[starts]
            for k, (column, reduce) in enumerate(
                [(0, np.minimum), (1, np.minimum), (0, np.maximum), (1, np.maximum)]
            ):
                box[at, k] = reduce.reduceat(self.points[:, column], starts)
        return box


def _geodesic_ends(lines_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic lengths (m) of two-point AEQD lines between their ends, and the ends' lon/lat (n, 2, 2)."""
    ends = geodesy.degrees_xy(shapely.get_coordinates(lines_m)).reshape(-1, 2, 2)
    _az, _back, dist = geodesy.WGS84.inv(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])
    return np.asarray(dist, dtype=float), ends


#: The grid of distances to the border that shortlists pieces: its cells (m), and how far it
#: reaches beyond the border's box (m).
GRID_M = 5_000.0
GRID_MARGIN_M = 300_000.0


@dataclass(frozen=True)
class _Grid:
    """The distance (m) to the border from the centre of each cell of a grid."""

    x0: float
    y0: float
    distance: np.ndarray  # (rows, columns)

    def bounds(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds of the distance to the border from each point (n, 2): the
        distance from its cell's centre, give or take the way to it (the distance to the
        border changes by no more than the distance moved)."""
        rows, columns = self.distance.shape
        j = np.clip(np.floor((xy[:, 0] - self.x0) / GRID_M), 0, columns - 1).astype(int)
        i = np.clip(np.floor((xy[:, 1] - self.y0) / GRID_M), 0, rows - 1).astype(int)
        centre = np.column_stack([self.x0 + (j + 0.5) * GRID_M, self.y0 + (i + 0.5) * GRID_M])
        away = np.hypot(*(xy - centre).T)
        return self.distance[i, j] - away, self.distance[i, j] + away


@lru_cache(maxsize=2)
def _border_grid(border_m: shapely.Geometry) -> _Grid:
    """The grid for the border's box widened by GRID_MARGIN_M (about 90,000 cells, made
    once: 0.7 s), each cell's distance found with the border's STRtree."""
    tree, segments = _border_segments(border_m)
    x0, y0, x1, y1 = np.array(shapely.bounds(border_m)) + [-1, -1, 1, 1] * np.array(GRID_MARGIN_M)
    xs = np.arange(x0, x1, GRID_M) + GRID_M / 2
    ys = np.arange(y0, y1, GRID_M) + GRID_M / 2
    centres = shapely.points(*np.meshgrid(xs, ys))
    inputs, found = tree.query_nearest(centres.ravel(), all_matches=False)
    distance = np.empty(centres.size)
    distance[inputs] = shapely.distance(centres.ravel()[inputs], segments[found])
    return _Grid(float(x0), float(y0), distance.reshape(centres.shape))


#: Pieces measured at once (memory; the budget is checked between batches).
PIECES_AT_ONCE = 20_000


def to_border_m(
    metric: Metric, border_m: shapely.Geometry, budget: Budget | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic distance (m) from each AEQD geometry to the border, and the border points
    reached as (lon, lat) rows (see the module docstring for the bound). Measured piece by
    piece (``geo.engine.pieces``): the nearest border segment of each, then, for the pieces of
    a geometry within its bound of the nearest, every border segment within it. An area that
    holds a whole piece of the border without its rings meeting it is at 0 from it."""
    budget = budget or Budget(None)
    tree, segments = _border_segments(border_m)
    grid = _border_grid(border_m)
    count, cut = len(metric.geoms), pieces(metric.geoms, metric.points, metric.point_of)
    runs = range(0, cut.count, PIECES_AT_ONCE)

    def parts(at: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A run's parts, the piece of each, and a lower bound of each one's distance."""
        budget.check()
        ends, of = cut.parts(at, at + PIECES_AT_ONCE)
        low, _high = grid.bounds(ends.mean(axis=1))
        return ends, of, low - np.hypot(*(ends[:, 1] - ends[:, 0]).T) / 2

    # Only the parts that may be a geometry's nearest are looked up in the tree (10 µs or
    # more each): those whose lower bound on the grid is within the least upper bound of any
    # piece of the same geometry.
    high = np.full(cut.count, np.inf)
    for at in runs:
        ends, of, _low = parts(at)
        high[at : at + PIECES_AT_ONCE] = smallest(
            grid.bounds(ends.mean(axis=1))[1], of - at, min(PIECES_AT_ONCE, cut.count - at)
        )[0]
    upper = largest(cut.per_geometry(high, count, "min")[cut.owner], cut.distinct, cut.count)
    near = np.full(cut.count, np.inf)
    for at in runs:
        ends, of, low = parts(at)
        maybe = low <= upper[of]
        found_shapes = shapes(ends[maybe])
        inputs, found = tree.query_nearest(found_shapes, all_matches=False)
        dist = shapely.distance(found_shapes[inputs], segments[found])
        run = min(PIECES_AT_ONCE, cut.count - at)  # a piece's parts are all in its run
        near[at : at + run] = smallest(dist, of[maybe][inputs] - at, run)[0]
    nearest = cut.per_geometry(near, count, "min")
    # Every segment the projection's stretch could make the geodesically nearest one.
    box = np.abs(metric.bounds())
    reach = np.hypot(box[:, [0, 2]].max(axis=1), box[:, [1, 3]].max(axis=1)) / EARTH_RADIUS_M
    bound = largest((nearest * (1 + reach**2 / 3) + 1.0)[cut.owner], cut.distinct, cut.count)
    found_dist, found_end, found_piece = [], [], []
    for at in runs:
        ends, of, low = parts(at)
        close = low <= bound[of]
        close_shapes = shapes(ends[close])
        mine, other = tree.query(close_shapes, predicate="dwithin", distance=bound[of[close]])
        dist, reached = _geodesic_ends(shapely.shortest_line(close_shapes[mine], segments[other]))
        found_dist.append(dist)
        found_end.append(reached[:, 1])
        found_piece.append(of[close][mine])
    dist, reached = np.concatenate(found_dist), np.concatenate(found_end)
    per_piece, at_piece = smallest(dist, np.concatenate(found_piece), cut.count)
    best_dist, at = smallest(per_piece[cut.distinct], cut.owner, count)
    best_end = reached[at_piece[cut.distinct[at]]] if len(reached) else np.zeros((count, 2))
    # An area that holds a whole piece of the border without its rings meeting it.
    areas = np.flatnonzero(shapely.get_dimensions(metric.geoms) == 2)
    starts = shapely.get_coordinates(shapely.get_point(shapely.get_parts(border_m), 0))
    for x, y in starts:
        inside = areas[shapely.contains_xy(metric.geoms[areas], x, y)]
        best_dist[inside] = 0.0
        best_end[inside] = geodesy.degrees_xy(np.array([[x, y]]))[0]
    return best_dist, best_end


def to_point_m(metric: Metric, lat: float, lon: float) -> np.ndarray:
    """Geodesic distance (m) from the nearest point of each feature, in AEQD, to one place."""
    target = geodesy.metres_xy(np.array([[lon, lat]]))
    dist = np.empty(len(metric.geoms))
    shaped = np.flatnonzero(~shapely.is_missing(metric.geoms))
    line = shapely.shortest_line(metric.geoms[shaped], shapely.points(target[0]))
    dist[shaped] = _geodesic_ends(line)[0]
    if len(metric.points):
        away = np.hypot(*(metric.points - target).T)
        nearest, at = smallest(away, metric.point_of, len(metric.geoms))
        features = np.flatnonzero(np.isfinite(nearest))
        lon_lat = geodesy.degrees_xy(metric.points[at[features]])
        _az, _back, length = geodesy.WGS84.inv(
            lon_lat[:, 0], lon_lat[:, 1], np.full(len(features), lon), np.full(len(features), lat)
        )
        dist[features] = length
    return dist


def point_zones(layers: Layers, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The zone of each point, as ``layers.classify`` decides it, one array operation per zone."""
    reg = layers.ground.region
    zone = np.full(len(lon), "elsewhere", dtype=object)
    unset = np.ones(len(lon), dtype=bool)
    tests = [(spec.key, layers.geometry(spec.key)) for spec in AREAS] + [
        ("ukraine", reg.ukraine),
        ("russia", reg.russia),
    ]
    for key, geom in tests:
        hit = unset & shapely.intersects_xy(geom, lon, lat)
        zone[hit] = key
        unset &= ~hit
    return zone


def countries(layers: Layers, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    found = np.full(len(lon), N_("other"), dtype=object)
    for code, name in COUNTRIES:
        found[shapely.intersects_xy(layers.ground.region.country(code), lon, lat)] = name
    return found


def _zones_m(layers: Layers) -> list[tuple[str, shapely.Geometry]]:
    """The zones in the order they are tried, in AEQD metres."""
    reg = layers.ground.region
    return [(spec.key, layers[spec.key].metric) for spec in AREAS] + [
        ("ukraine", reg.ukraine_m),
        ("russia", reg.russia_m),
    ]


def _as_shares(measured: np.ndarray, total: np.ndarray) -> list[dict[str, float]]:
    """Rows of (feature, zone) amounts as each feature's shares, in the order of ZONES."""
    return [
        {
            key: float(measured[i, k] / total[i]) if total[i] > 0 else 0.0
            for k, key in enumerate(ZONES)
        }
        for i in range(len(total))
    ]


def zone_shares(
    layers: Layers, geoms_m: np.ndarray, budget: Budget | None = None
) -> list[dict[str, float]]:
    """Each line's or area's share of its length or area in each zone (AEQD, see above)."""
    if not len(geoms_m):
        return []
    if shapely.get_dimensions(geoms_m[0]) == 1:
        return line_shares(layers, geoms_m, budget)
    box = shapely.total_bounds(geoms_m)
    total = shapely.area(geoms_m)
    remaining, measured = geoms_m, np.zeros((len(geoms_m), len(ZONES)))
    for k, (_key, zone) in enumerate(_zones_m(layers)):
        local = shapely.clip_by_rect(zone, *box)
        measured[:, k] = shapely.area(shapely.intersection(remaining, local))
        remaining = shapely.difference(remaining, local)
    measured[:, -1] = shapely.area(remaining)
    return _as_shares(measured, total)


def crossings(segments: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Where each segment (n, 2, 2) meets its edge ((2n, 2): two rows per edge), as fractions
    of the way along the segment, two per pair, in [0, 1]: the point where they cross (twice),
    or, for an edge lying along the segment, the two ends of their overlap. Arithmetic on
    arrays: GEOS's intersection of two segments is an overlay, 20 µs a pair."""
    p, r = segments[:, 0], segments[:, 1] - segments[:, 0]
    q0, q1 = edges[0::2], edges[1::2]
    s = q1 - q0
    cross = r[:, 0] * s[:, 1] - r[:, 1] * s[:, 0]
    rr = (r * r).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = q0 - p
        at = (d[:, 0] * s[:, 1] - d[:, 1] * s[:, 0]) / cross
        ends = np.stack([(d * r).sum(axis=1), ((q1 - p) * r).sum(axis=1)], axis=1) / rr[:, None]
    parallel = np.abs(cross) <= 1e-12 * np.sqrt(rr * (s * s).sum(axis=1))
    out = np.where(parallel[:, None], ends, at[:, None].repeat(2, axis=1))
    return np.clip(np.nan_to_num(out, nan=0.0), 0.0, 1.0).ravel()


def line_shares(
    layers: Layers, lines_m: np.ndarray, budget: Budget | None = None
) -> list[dict[str, float]]:
    """Each line's share of its length in each zone, piece by piece (``geo.engine.pieces``):
    every segment is cut where it crosses a zone's edge (an STRtree of the edges finds them,
    :func:`crossings` says where), and each piece's length goes to the first zone that covers
    its midpoint, as a point's zone is decided.

    The same shares as cutting the whole line with each zone in turn, at a cost in proportion
    to its segments; cutting the whole line nodes it with itself first, and a line that runs
    back over itself (a zig-zag of 50,000 vertices: 400 KB) then has every segment meeting
    every other (GEOS ran out of memory)."""
    budget = budget or Budget(None)
    cut = pieces(lines_m)
    margin = 1_000.0  # metres: no segment lies on the edge of the box the zones are cut to
    xmin, ymin, xmax, ymax = shapely.total_bounds(lines_m)
    zones = [
        shapely.clip_by_rect(zone, xmin - margin, ymin - margin, xmax + margin, ymax + margin)
        for _key, zone in _zones_m(layers)
    ]
    boundaries = np.array([shapely.boundary(zone) for zone in zones], dtype=object)
    edges = shapely.linestrings(pieces(boundaries).unique)
    tree = shapely.STRtree(edges)
    for zone in zones:
        shapely.prepare(zone)
    per_piece = np.zeros((cut.count, len(ZONES)))
    for at in range(0, cut.count, PIECES_AT_ONCE):
        budget.check()
        ends, of = cut.parts(at, at + PIECES_AT_ONCE)
        lengths, run = _part_zones(ends, tree, edges, zones), min(PIECES_AT_ONCE, cut.count - at)
        for k in range(len(ZONES)):
            per_piece[at : at + run, k] = np.bincount(of - at, weights=lengths[:, k], minlength=run)
    return _as_shares(cut.per_geometry(per_piece, len(lines_m), "sum"), shapely.length(lines_m))


def _part_zones(ends: np.ndarray, tree, edges: np.ndarray, zones: list) -> np.ndarray:
    """The length (m) of each part (n, 2, 2) in each zone, in the order of ZONES."""
    start, step = ends[:, 0], ends[:, 1] - ends[:, 0]
    seglen = np.hypot(step[:, 0], step[:, 1])
    which, edge = tree.query(shapely.linestrings(ends), predicate="intersects")
    cut, cut_at = which.repeat(2), crossings(ends[which], shapely.get_coordinates(edges[edge]))
    n = len(ends)
    seg = np.concatenate([np.arange(n), np.arange(n), cut])
    along = np.concatenate([np.zeros(n), np.ones(n), cut_at])
    order = np.lexsort((along, seg))
    seg, along = seg[order], along[order]
    same = seg[1:] == seg[:-1]
    piece_seg, t0, t1 = seg[:-1][same], along[:-1][same], along[1:][same]
    length = (t1 - t0) * seglen[piece_seg]
    keep = length > 0
    piece_seg, length, middle = piece_seg[keep], length[keep], ((t0 + t1) / 2)[keep]
    x = start[piece_seg, 0] + middle * step[piece_seg, 0]
    y = start[piece_seg, 1] + middle * step[piece_seg, 1]
    zone_of = np.full(len(piece_seg), len(ZONES) - 1)  # elsewhere
    unset = np.ones(len(piece_seg), dtype=bool)
    for k, zone in enumerate(zones):
        hit = unset & shapely.intersects_xy(zone, x, y)
        zone_of[hit] = k
        unset &= ~hit
    return np.bincount(
        piece_seg * len(ZONES) + zone_of, weights=length, minlength=n * len(ZONES)
    ).reshape(n, len(ZONES))


def classify(
    features: UserData | Sequence[Feature], layers: Layers, budget: Budget | None = None
) -> tuple[Row, ...]:
    """The answers for every feature, in the features' order. ``budget``, when given, is
    checked between the steps (``geo.core.budget``)."""
    budget = budget or Budget(None)
    feats = list(features.features if isinstance(features, UserData) else features)
    if not feats:
        return ()
    geoms = np.array([f.geometry for f in feats], dtype=object)
    dims = shapely.get_dimensions(geoms)
    simple_point = shapely.get_type_id(geoms) == 0
    where = np.where(simple_point, geoms, shapely.point_on_surface(geoms))
    lon, lat = shapely.get_x(where), shapely.get_y(where)
    metric = Metric.of(geoms)
    geoms_m = metric.geoms
    home = places.kharkiv()
    budget.check()
    border_m, border_at = to_border_m(metric, layers.ground.region.border_m, budget)
    budget.check()
    kharkiv_m = to_point_m(metric, home.lat, home.lon)
    zone = point_zones(layers, lon, lat)
    country = countries(layers, lon, lat)
    shares: dict[int, dict[str, float]] = {}
    for dim in (1, 2):  # lines, then areas: each group measured by its own measure
        budget.check()
        index = np.flatnonzero(dims == dim)
        shares.update(zip(index.tolist(), zone_shares(layers, geoms_m[index], budget)))
    budget.check()
    rows = []
    columns = (
        lat.tolist(),
        lon.tolist(),
        zone.tolist(),
        country.tolist(),
        border_m.tolist(),
        border_at[:, 1].tolist(),
        border_at[:, 0].tolist(),
        kharkiv_m.tolist(),
    )
    for i, (la, lo, zo, co, bm, blat, blon, km) in enumerate(zip(*columns)):
        feature, share, size = feats[i], shares.get(i), None
        if share is None:  # a point, or points: the zone of the point on its surface
            share = {zo: 1.0}
        else:
            zo = max(ZONES, key=share.__getitem__)
            size = (
                Distance(meters=geodesy.length_m(feature.geometry))
                if dims[i] == 1
                else Area(geodesy.area_m2(feature.geometry))
            )
        rows.append(Row(feature, la, lo, zo, share, co, bm, (blat, blon), km, size))
    return tuple(rows)


#: The seconds the app gives reading and classifying one upload: the limits of
#: ``geo.userfiles.reading`` make any file they allow take a few (``bench/files.py``).
UPLOAD_SECONDS = 30.0


def read_and_classify(
    source: bytes | Path,
    name: str,
    layers: Layers | Callable[[], Layers],
    seconds: float | None = None,
    **options,
) -> tuple[UserData, tuple[Row, ...]]:
    """A user's file read (its bytes, or a path: ``userdata.read_path``) and classified,
    within ``seconds`` when given; ``layers`` may be a function that builds them, called
    once the file has been read (a bad file costs no build)."" Every way it can fail is one sentence, a UserDataError:
    the file's own, or that the time was spent, or that GEOS or the memory gave out. The
    memory the work used is handed back to the system when it ends (the app's sessions
    would otherwise each keep what their largest upload once needed)."""
    budget, shown = Budget(seconds), echo(name)
    try:
        if isinstance(source, bytes):
            found = userdata.read(source, name, budget=budget, **options)
        else:
            found = userdata.read_path(source, budget=budget, **options)
        give_back_memory()  # what parsing needed (a JSON document: 100 MB a million points)
        built = layers() if callable(layers) else layers
        return found, classify(found, built, budget=budget)
    except BudgetExceeded:
        raise UserDataError(
            _(
                "Reading and classifying {file} took over {seconds} s, the most this server "
                "gives one file: split it, or simplify its shapes."
            ).format(file=shown, seconds=i18n.number(seconds))
        ) from None
    except MemoryError:
        raise UserDataError(
            _(
                "{file} needs more memory than is free here: split it, or simplify its shapes."
            ).format(file=shown)
        ) from None
    except shapely.errors.GEOSException as err:
        raise UserDataError(
            _(
                "{file} could not be measured: the geometry library failed ({detail}); "
                "simplify its shapes."
            ).format(file=shown, detail=echo(str(err)))
        ) from None
    finally:
        give_back_memory()


# --------------------------------------------------------------------------- writing the answers


def answers(row: Row, layers: Layers) -> dict[str, object]:
    """The answers for one row as ``km_``-prefixed values (named by :func:`answers_header`):
    numbers rounded, distances in km and mi."""
    size, params = row.size, layers.params
    values = (
        row.feature.where,
        row.kind,
        round(row.lat, 6),
        round(row.lon, 6),
        row.zone,
        row.zone_name,
        _(row.country),  # its name in the current language, as zone_name
        round(row.border_m / 1000, 3),
        round(row.border_m / 1000 / KM_PER_MI, 3),
        round(row.kharkiv_m / 1000, 3),
        round(row.kharkiv_m / 1000 / KM_PER_MI, 3),
        round(size.km, 3) if isinstance(size, Distance) else None,
        round(size.km2, 3) if isinstance(size, Area) else None,
        *[round(row.shares.get(key, 0.0), 4) for key in ZONES],
        round(params.radius.km, 3),
        round(params.depth.km, 3),
        params.stage.id,
    )
    return dict(zip(answers_header(), values))


def own_names(rows: Sequence[Row]) -> dict[str, str]:
    """The name each of the users' property names is written under: its own, or, for one an
    answer has, ``<name> (own)`` (``<name> (own 2)``, ... when that is a property's name too),
    so that no two columns share a name and no value is lost."""
    keys = dict.fromkeys(key for row in rows for key in row.feature.properties)
    taken = set(answers_header())
    used = taken | set(keys)
    names = {}
    for key in keys:
        name, n = key, 1
        if key in taken:
            name = f"{key} (own)"
            while name in used:
                n += 1
                name = f"{key} (own {n})"
            used.add(name)
        names[key] = name
    return names


def _plain(value):
    """A value JSON can hold: non-finite numbers as text."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, float) and not math.isfinite(value) else value


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet shows it and does not run: with a leading apostrophe when it
    could be read as a formula (see ``_FORMULA``)."""
    return "'" + text if _FORMULA.match(text) and not _NUMBER.match(text) else text


def _cell(value) -> str:
    """A CSV cell: lists and objects as JSON, text made safe for spreadsheets."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return safe_text(value) if isinstance(value, str) else str(value)


def to_csv(rows: Sequence[Row], layers: Layers) -> str:
    """One line per feature: the answers (``km_`` columns), then the feature's own properties
    (named by :func:`own_names`). Every cell and every column name is made safe for
    spreadsheets (:func:`safe_text`); lines end in CRLF, and every cell holding a CR or an LF
    is quoted (RFC 4180), so no value starts a row of its own. A row is the answers and a
    copy of one table of empty cells filled with the feature's own values: in proportion to
    the table, however few properties each feature has."""
    first = list(answers_header())
    names = own_names(rows)
    empty = dict.fromkeys(names.values(), "")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_text(name) for name in first + list(empty)])
    for row in rows:
        answer = [safe_text(v) if type(v) is str else v for v in answers(row, layers).values()]
        own = empty.copy()
        own.update(
            (names[k], v if type(v) is str and v[:1].isalnum() else _cell(v))  # the most, quickly
            for k, v in row.feature.properties.items()
        )
        writer.writerow(answer + list(own.values()))  # numbers as str() writes them, None empty
    return out.getvalue()


@lru_cache(maxsize=1)
def answers_header() -> tuple[str, ...]:
    """The ``km_`` columns, in order (what ``to_csv`` writes first, even for no rows)."""
    keys = (
        [
            "feature",
            "kind",
            "lat",
            "lon",
            "zone",
            "zone_name",
            "country",
            "to_border_km",
            "to_border_mi",
            "to_kharkiv_km",
            "to_kharkiv_mi",
            "length_km",
            "area_km2",
        ]
        + [f"share_{k}" for k in ZONES]
        + ["radius_km", "depth_km", "stage"]
    )
    return tuple(PREFIX + k for k in keys)


def to_geojson(rows: Sequence[Row], layers: Layers) -> str:
    """An RFC 7946 FeatureCollection: each feature's geometry (WGS84, polygons wound
    counter-clockwise), its own properties (named by :func:`own_names`) and the ``km_``
    answers. The geometries are written by GEOS, all at once, and put in as text."""
    names = own_names(rows)
    geometries = np.array([row.feature.geometry for row in rows], dtype=object)
    written = shapely.to_geojson(shapely.orient_polygons(geometries, exterior_cw=False))
    features = []
    for row, geometry in zip(rows, written.tolist()):
        props = {
            **{names[k]: _plain(v) for k, v in row.feature.properties.items()},
            **answers(row, layers),
        }
        text = json.dumps(props, ensure_ascii=False, allow_nan=False)
        features.append(f'{{"type": "Feature", "properties": {text}, "geometry": {geometry}}}')
    return '{"type": "FeatureCollection", "features": [' + ", ".join(features) + "]}"


def answer_properties(row: Row, layers: Layers, names: Mapping[str, str]) -> dict[str, object]:
    """A feature's own properties (under the names ``names``, from :func:`own_names` of all the
    rows) and its answers, as ``to_geojson`` writes them: what a GeoPackage of the answers
    holds (``geo.render.gis``)."""
    own = {names[k]: _plain(v) for k, v in row.feature.properties.items()}
    return {**own, **answers(row, layers)}
