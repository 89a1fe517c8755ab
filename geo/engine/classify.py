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
  ``zone`` is the zone with the largest share.
* **Distance to the border**: from the nearest point of the feature to the land border,
  all vectorised. An STRtree of the border's segments (in AEQD metres) gives the nearest
  segment, then every segment within that distance plus twice the projection's stretch
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from geopy.distance import Distance

from geo.core import geodesy
from geo.core.units import KM_PER_MI, Area
from geo.engine import places, query
from geo.engine.layers import AREAS, Layers
from geo.i18n import N_, _
from geo.userfiles.userdata import Feature, UserData

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


def _xy(convert, xy: np.ndarray) -> np.ndarray:
    """Coordinates (n, 2) through ``geodesy.to_metres`` or ``to_degrees`` as one MultiPoint:
    one transform call, without rebuilding n geometries."""
    return shapely.get_coordinates(convert(shapely.multipoints(xy))) if len(xy) else xy


def _to_metres(geoms: np.ndarray) -> np.ndarray:
    """Lon/lat geometries in AEQD metres; points made directly from their projected coordinates."""
    points_only = (shapely.get_type_id(geoms) == 0).all()
    return (
        shapely.points(_xy(geodesy.to_metres, shapely.get_coordinates(geoms)))
        if points_only
        else geodesy.to_metres(geoms)
    )


def _geodesic_ends(lines_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic lengths (m) of two-point AEQD lines between their ends, and the ends' lon/lat (n, 2, 2)."""
    ends = _xy(geodesy.to_degrees, shapely.get_coordinates(lines_m)).reshape(-1, 2, 2)
    _az, _back, dist = geodesy.WGS84.inv(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])
    return np.asarray(dist, dtype=float), ends


def to_border_m(geoms_m: np.ndarray, border_m: shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic distance (m) from each AEQD geometry to the border, and the border points
    reached as (lon, lat) rows (see the module docstring for the bound)."""
    tree, segments = _border_segments(border_m)
    inputs, found = tree.query_nearest(geoms_m, all_matches=False)
    nearest = np.empty(len(geoms_m))
    nearest[inputs] = shapely.distance(geoms_m[inputs], segments[found])
    # Every segment the projection's stretch could make the geodesically nearest one.
    box = np.abs(shapely.bounds(geoms_m))
    reach = np.hypot(box[:, [0, 2]].max(axis=1), box[:, [1, 3]].max(axis=1)) / EARTH_RADIUS_M
    pairs = tree.query(geoms_m, predicate="dwithin", distance=nearest * (1 + reach**2 / 3) + 1.0)
    dist, ends = _geodesic_ends(shapely.shortest_line(geoms_m[pairs[0]], segments[pairs[1]]))
    order = np.lexsort((dist, pairs[0]))  # by input, shortest first
    first = order[np.r_[True, pairs[0][order][1:] != pairs[0][order][:-1]]]
    best_dist, best_end = np.empty(len(geoms_m)), np.empty((len(geoms_m), 2))
    best_dist[pairs[0][first]], best_end[pairs[0][first]] = dist[first], ends[first, 1]
    return best_dist, best_end


def to_point_m(geoms_m: np.ndarray, lat: float, lon: float) -> np.ndarray:
    """Geodesic distance (m) from the nearest point of each AEQD geometry to one place."""
    target = geodesy.to_metres(shapely.Point(lon, lat))
    dist, _ends = _geodesic_ends(shapely.shortest_line(geoms_m, target))
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


def zone_shares(layers: Layers, geoms_m: np.ndarray) -> list[dict[str, float]]:
    """Each line's or area's share of its length or area in each zone (AEQD, see above)."""
    if not len(geoms_m):
        return []
    reg = layers.ground.region
    measure = shapely.area if shapely.get_dimensions(geoms_m[0]) == 2 else shapely.length
    box = shapely.total_bounds(geoms_m)
    zones = [(spec.key, layers[spec.key].metric) for spec in AREAS] + [
        ("ukraine", reg.ukraine_m),
        ("russia", reg.russia_m),
    ]
    total = measure(geoms_m)
    remaining, shares = geoms_m, {}
    for key, zone in zones:
        local = shapely.clip_by_rect(zone, *box)
        shares[key] = measure(shapely.intersection(remaining, local))
        remaining = shapely.difference(remaining, local)
    shares["elsewhere"] = measure(remaining)
    return [
        {key: float(shares[key][i] / total[i]) if total[i] > 0 else 0.0 for key in ZONES}
        for i in range(len(geoms_m))
    ]


def classify(features: UserData | Sequence[Feature], layers: Layers) -> tuple[Row, ...]:
    """The answers for every feature, in the features' order."""
    feats = list(features.features if isinstance(features, UserData) else features)
    if not feats:
        return ()
    geoms = np.array([f.geometry for f in feats], dtype=object)
    dims = shapely.get_dimensions(geoms)
    simple_point = shapely.get_type_id(geoms) == 0
    where = np.where(simple_point, geoms, shapely.point_on_surface(geoms))
    lon, lat = shapely.get_x(where), shapely.get_y(where)
    geoms_m = _to_metres(geoms)
    home = places.kharkiv()
    border_m, border_at = to_border_m(geoms_m, layers.ground.region.border_m)
    kharkiv_m = to_point_m(geoms_m, home.lat, home.lon)
    zone = point_zones(layers, lon, lat)
    country = countries(layers, lon, lat)
    shares: dict[int, dict[str, float]] = {}
    for dim in (1, 2):  # lines, then areas: each group measured by its own measure
        index = np.flatnonzero(dims == dim)
        shares.update(zip(index.tolist(), zone_shares(layers, geoms_m[index])))
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
        own.update((names[k], _cell(v)) for k, v in row.feature.properties.items())
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
