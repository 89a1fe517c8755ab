"""GeoJSON read from its own text with the standard ``json`` module, for
``geo.userfiles.userdata`` (which checks size and encoding before, and coordinates after).

A user's file reaches nothing but itself: nothing but the text given is parsed, and no
library that can follow a link or open a file sees it. A ``crs`` member anywhere in the file
must be a name such as ``EPSG:32637`` (or the 2008 form ``{"type": "EPSG", ...}``), never a
link or URL; the top-level one is the file's CRS, given to pyproj (which refuses a code it
does not know).

The work is bounded before the text is parsed: the coordinate positions are counted in the
text (every array that begins with a number: each position, and any such array among the
properties, so the count never falls short) against ``MAX_VERTICES``. After parsing, the
features are counted against ``MAX_FEATURES`` and the distinct property names against
``MAX_PROPERTY_NAMES`` before any geometry is built. Each geometry is built by itself, from
arrays (``shapely.points``, ``linestrings``, ``polygons``...), so a bad one (a ring that is not
closed, a line of one position, a position that is no pair of numbers) skips that feature
with a sentence, and the rest load.

Properties come back as plain Python values: strings, numbers, booleans, lists of those; an
object, or a list holding objects or lists, as its JSON text; ``null`` and NaN are dropped. A
feature's ``id`` is kept as the property ``id`` unless the properties have their own.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import shapely

from geo.core.units import echo
from geo.i18n import _
from geo.userfiles.reading import (
    MAX_FEATURES,
    MAX_PROPERTY_NAMES,
    MAX_VERTICES,
    Notes,
    UserDataError,
    accepted,
    clean_text,
    too_many_features,
    too_many_names,
    too_many_vertices,
)

#: The values of a GeoJSON object's ``type`` that are read.
GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
GEOJSON_TYPES = {"FeatureCollection", "Feature"} | GEOMETRY_TYPES
#: A CRS given by name: an EPSG or OGC code, as ``EPSG:32637``, ``urn:ogc:def:crs:EPSG::32637``
#: or ``OGC:CRS84``. Anything else (a link object, a URL, a file name) is refused.
CRS_NAME = re.compile(
    r"(?:EPSG|OGC|CRS):[A-Za-z0-9.]+|urn:ogc:def:crs:(?:EPSG|OGC|CRS)::?[A-Za-z0-9.]*:?[A-Za-z0-9.]+",
    re.IGNORECASE,
)
#: An array that begins with white space and a number (JSON's, or Python's NaN and Infinity).
_SPACED_POSITION = re.compile(r"\[\s+[-0-9NI]")


class _CrsLink(Exception):
    """A GeoJSON ``crs`` member that is not a plain name (its value, for the message)."""

    def __init__(self, value: object):
        super().__init__(value)
        self.value = value


class BadGeometry(Exception):
    """A feature's geometry that cannot be built; the message says why, in the reader's words."""


def _crs_is_a_name(crs: object) -> bool:
    """Whether a GeoJSON ``crs`` member names a CRS by code: ``{"type": "name", "properties":
    {"name": "EPSG:32637"}}`` or the 2008 form ``{"type": "EPSG", "properties": {"code": 32637}}``."""
    if not isinstance(crs, dict) or not isinstance(crs.get("properties"), dict):
        return False
    props = crs["properties"]
    if crs.get("type") == "EPSG":
        return type(props.get("code")) is int
    name = props.get("name")
    return (
        crs.get("type") == "name" and isinstance(name, str) and CRS_NAME.fullmatch(name) is not None
    )


def _crs_checked(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object as a dict, its ``crs`` member (if any) checked to be a CRS name."""
    for key, value in pairs:
        if key == "crs" and value is not None and not _crs_is_a_name(value):
            props = value.get("properties") if isinstance(value, dict) else None
            name = props.get("name") if isinstance(props, dict) else None
            raise _CrsLink(name if isinstance(name, str) else value)
    return dict(pairs)


def crs_of(value: dict) -> str | None:
    """The CRS a GeoJSON object's top-level ``crs`` member names (already checked), or None."""
    crs = value.get("crs")
    if not isinstance(crs, dict):
        return None
    props = crs["properties"]
    return f"EPSG:{props['code']}" if crs.get("type") == "EPSG" else props["name"]


def count_positions(text: str) -> int:
    """How many arrays in ``text`` begin with a number: at least the positions it holds.
    Counted with ``str.count`` (a regular expression only for arrays that open with white
    space), a tenth of a second for 20 MB."""
    brackets = text.count("[")
    if brackets <= MAX_VERTICES:  # the quick bound: no more arrays than brackets
        return brackets
    count = sum(text.count("[" + first) for first in "-0123456789NI")
    if any(space in text for space in ("[ ", "[\n", "[\r", "[\t")):
        count += sum(1 for _match in _SPACED_POSITION.finditer(text))
    return count


def _unreadable(shown: str, why: str) -> UserDataError:
    return UserDataError(
        _("{file} is not readable {format} ({why}): {accepted}.").format(
            file=shown, format="GeoJSON", why=why, accepted=accepted()
        )
    )


def parse(text: str, shown: str) -> dict:
    """The GeoJSON object of ``text``, its positions counted first and every ``crs`` member
    checked to be a name; a text that is not a JSON object of a GeoJSON type is refused."""
    if not text.lstrip().startswith(("{", "[")):  # not JSON at all: XML, say
        raise UserDataError(
            _("{file} is not {format}: {accepted}.").format(
                file=shown, format="GeoJSON", accepted=accepted()
            )
        )
    if count_positions(text) > MAX_VERTICES:
        raise too_many_vertices(shown)
    try:
        value = json.loads(text, object_pairs_hook=_crs_checked)
    except _CrsLink as link:
        raise UserDataError(
            _(
                "{file} gives its CRS as {crs}, a link or URL, which this map does not follow: "
                "name the CRS (e.g. EPSG:32637) or give WGS84 longitude/latitude."
            ).format(
                file=shown,
                crs=echo(
                    json.dumps(link.value, ensure_ascii=False)
                    if not isinstance(link.value, str)
                    else link.value
                ),
            )
        ) from None
    except json.JSONDecodeError as err:
        raise _unreadable(
            shown,
            _("a JSON syntax error at line {line}, column {column}: {detail}").format(
                line=err.lineno, column=err.colno, detail=err.msg
            ),
        ) from None
    except (ValueError, RecursionError):  # a number of over 4,300 digits; nesting too deep
        raise _unreadable(shown, _("a number too long or arrays nested too deeply")) from None
    if not isinstance(value, dict) or value.get("type") not in GEOJSON_TYPES:
        found = value.get("type") if isinstance(value, dict) else None
        raise _unreadable(
            shown, _("its type is {type}, not one of GeoJSON's").format(type=echo(found))
        )
    return value


def read_features(text: str, notes: Notes) -> tuple[list, str | None]:
    """(geometry, properties, where) for each feature of a GeoJSON text, and its CRS."""
    shown = notes.name
    value = parse(text, shown)
    kind = value["type"]
    if kind == "FeatureCollection":
        items = value.get("features")
        if not isinstance(items, list):
            raise _unreadable(shown, _("its features member is not a list"))
    elif kind == "Feature":
        items = [value]
    else:
        items = [{"type": "Feature", "geometry": value}]
    if len(items) > MAX_FEATURES:
        raise too_many_features(shown, len(items))
    names: set[str] = set()
    props_of = []
    for item in items:
        props_of.append(properties(item) if isinstance(item, dict) else {})
        names.update(props_of[-1])
        if len(names) > MAX_PROPERTY_NAMES:
            raise too_many_names(shown)
    found = []
    for number, (item, props) in enumerate(zip(items, props_of), 1):
        where = _("feature {number}").format(number=number)
        if not isinstance(item, dict):
            notes.add(where, _("is not a GeoJSON object"), skip=True)
            continue
        try:
            geom = geometry(item.get("geometry"))
        except BadGeometry as bad:
            notes.add(where, str(bad), skip=True)
            continue
        except RecursionError:
            notes.add(where, _("has geometry collections nested too deeply"), skip=True)
            continue
        found.append((geom, props, where))
    return found, crs_of(value)


# --------------------------------------------------------------------------- properties


def _plain(value: object) -> object:
    """A property value as kept: a string, number or boolean, a list of those, or JSON text."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list) and all(
        v is None or isinstance(v, (str, int, float, bool)) for v in value
    ):
        return [clean_text(v) if isinstance(v, str) else v for v in value]
    if isinstance(value, (list, dict)):
        return clean_text(json.dumps(value, ensure_ascii=False))
    return value


def properties(item: dict) -> dict[str, object]:
    """A feature's properties as plain values, ``null`` and NaN dropped, its ``id`` kept."""
    given = item.get("properties")
    props = {
        clean_text(str(key)): _plain(value)
        for key, value in (given.items() if isinstance(given, dict) else ())
        if value is not None and not (isinstance(value, float) and math.isnan(value))
    }
    ident = item.get("id")
    if isinstance(ident, (str, int, float)) and not isinstance(ident, bool) and "id" not in props:
        props["id"] = _plain(ident)
    return props


# --------------------------------------------------------------------------- geometry


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def positions(coords: object) -> np.ndarray:
    """An (n, 2) array of the x, y of a list of GeoJSON positions (a third value and more
    dropped). Raises BadGeometry naming the first that is no list of two or more numbers."""
    if not isinstance(coords, list):
        raise BadGeometry(_("has coordinates that are not a list of positions"))
    if not coords:
        return np.empty((0, 2))
    try:
        xy = np.asarray(coords)
    except (ValueError, OverflowError):  # positions of different lengths
        xy = None
    if xy is not None and xy.ndim == 2 and xy.shape[1] >= 2 and xy.dtype.kind in "if":
        return xy[:, :2].astype(float)
    out = np.empty((len(coords), 2))
    for index, position in enumerate(coords):
        if not (
            isinstance(position, list)
            and len(position) >= 2
            and _number(position[0])
            and _number(position[1])
        ):
            raise BadGeometry(
                _("has a position {value} (number {index}) that is not two or more numbers").format(
                    value=echo(json.dumps(position, ensure_ascii=False)), index=index + 1
                )
            )
        try:
            out[index] = float(position[0]), float(position[1])
        except OverflowError:
            out[index] = math.inf, math.inf
    return out


#: One point of a MultiPoint in WKB: byte order, type, x, y.
_WKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])


def multipoint(xy: np.ndarray) -> shapely.Geometry:
    """The MultiPoint of (n, 2) coordinates, made from its WKB: no Python object per point
    (twice as fast as ``shapely.multipoints`` for a million, with a third of its memory)."""
    points = np.empty(len(xy), dtype=_WKB_POINT)
    points["order"], points["type"], points["x"], points["y"] = 1, 1, xy[:, 0], xy[:, 1]
    head = np.array([1], dtype="u1").tobytes() + np.array([4, len(xy)], dtype="<u4").tobytes()
    return shapely.from_wkb(head + points.tobytes())


def _point(coords: object) -> shapely.Geometry:
    if coords == []:
        return shapely.Point()
    xy = positions([coords])
    return shapely.points(xy[0])


def _line(coords: object) -> shapely.Geometry:
    return _line_of(positions(coords))


def _line_of(xy: np.ndarray) -> shapely.Geometry:
    if len(xy) == 1:
        raise BadGeometry(_("is a line of one position; a line needs at least two"))
    return shapely.linestrings(xy) if len(xy) else shapely.LineString()


def _polygon(rings: object) -> shapely.Geometry:
    if not isinstance(rings, list):
        raise BadGeometry(_("has coordinates that are not a list of rings"))
    arrays = []
    for index, ring in enumerate(rings, 1):
        xy = positions(ring)
        if len(xy) < 4:
            raise BadGeometry(
                _(
                    "has a ring (number {index}) of {count} positions; a ring needs at least four"
                ).format(index=index, count=len(xy))
            )
        if not (xy[0] == xy[-1]).all():
            raise BadGeometry(
                _(
                    "has a ring (number {index}) that is not closed: its first and last "
                    "positions differ"
                ).format(index=index)
            )
        arrays.append(xy)
    if not arrays:
        return shapely.Polygon()
    return shapely.polygons(arrays[0], holes=arrays[1:] or None)


def _each(coords: object, build) -> list[shapely.Geometry]:
    if not isinstance(coords, list):
        raise BadGeometry(_("has coordinates that are not a list"))
    return [build(part) for part in coords]


def _parts(collection: dict) -> list:
    parts = collection.get("geometries")
    if not isinstance(parts, list):
        raise BadGeometry(_("is a geometry collection without a list of geometries"))
    return parts


def _members(collection: dict) -> list[shapely.Geometry]:
    """The geometries of a collection and of every collection in it, in order, in one list:
    the collection is built once however deeply collections nest in it (building each level
    would copy every geometry below it once per level: 300 levels around 20,000 points took
    2.7 s). Collections are flattened on reading anyway (``geo.userfiles.userdata``)."""
    found, stack, end = [], [iter(_parts(collection))], object()
    while stack:
        part = next(stack[-1], end)
        if part is end:
            stack.pop()
        elif isinstance(part, dict) and part.get("type") == "GeometryCollection":
            stack.append(iter(_parts(part)))
        elif (built := geometry(part)) is not None:
            found.append(built)
    return found


def geometry(obj: object) -> shapely.Geometry | None:
    """The shapely geometry of a GeoJSON geometry object, None for ``null``. Raises
    BadGeometry with the reason it cannot be built."""
    if obj is None:
        return None
    if not isinstance(obj, dict) or obj.get("type") not in GEOMETRY_TYPES:
        found = obj.get("type") if isinstance(obj, dict) else obj
        raise BadGeometry(
            _("has a geometry of type {type}, not one of GeoJSON's").format(
                type=echo(json.dumps(found, ensure_ascii=False)[:80])
            )
        )
    kind = obj["type"]
    if kind == "GeometryCollection":
        return shapely.geometrycollections(_members(obj))
    if kind == "MultiPoint":  # the lists are freed as soon as they are read (a million: 100 MB)
        xy = positions(obj.pop("coordinates", None))
        return multipoint(xy)
    if kind == "LineString":
        xy = positions(obj.pop("coordinates", None))
        return _line_of(xy)
    coords = obj.pop("coordinates", None)
    if kind == "Point":
        return _point(coords)
    if kind == "MultiLineString":
        lines = _each(coords, _line)
        return shapely.multilinestrings(lines) if lines else shapely.MultiLineString()
    if kind == "Polygon":
        return _polygon(coords)
    polygons = _each(coords, _polygon)
    return shapely.multipolygons(polygons) if polygons else shapely.MultiPolygon()
