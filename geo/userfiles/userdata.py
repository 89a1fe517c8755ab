"""Reading people's own files: GeoJSON, KML, and CSV with latitude and longitude columns.

Each format is read from the bytes in memory by the standard library, in one pass that reaches
nothing outside the file and costs in proportion to it: GeoJSON by ``json``
(``geo.userfiles.usergeojson``), KML by expat (``geo.userfiles.userkml``), CSV by ``csv``
(``geo.userfiles.usercsv``). Nothing is written to disk.

What comes back (:class:`UserData`) holds the features that could be used, each a valid 2-D lon/lat
(WGS84) geometry with its properties as given (strings and numbers, *not* escaped: whatever draws
them passes them through ``geo.core.escape.html_text``), the count of skipped features and one sentence
per problem. A file that cannot be used at all raises :class:`UserDataError`, one sentence naming
the file and what is accepted.

Checks, in order: a regular file (:func:`read_path`: no device, pipe or folder) and its size
(``MAX_BYTES``) before anything is read; text encoding (UTF-8, with or without a byte-order mark;
a UTF-16 mark or an encoding declared in KML's XML header or passed as ``encoding=`` is
honoured if it is an encoding of text, nothing is guessed); the feature, vertex and property-name
limits (``geo.userfiles.reading``) before any geometry is built; then per feature: a geometry
that can be built (else the feature is skipped and named), finite coordinates within ±180/±90,
collections flattened (a collection mixing points, lines and areas becomes one feature per kind),
invalid geometry repaired with ``shapely.make_valid`` unless its edges cross one another at more
than ``REPAIR_CROSSINGS`` places (the repair costs in proportion to them; a bow-tie of n vertices
can have n²/4). A declared CRS
other than WGS84 is reprojected with pyproj; coordinates far outside degree ranges in a file that
declares no other CRS are refused as an undeclared projection. A file whose every point lies outside
the data region (``geo.data.source.REGION``) but inside it once latitude and longitude are exchanged
is reported as swapped (see :func:`check_swapped`).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import numpy as np
import pyproj
import shapely

from geo import i18n
from geo.core import files
from geo.core.budget import Budget
from geo.core.files import os_reason
from geo.core.units import echo
from geo.data.source import REGION
from geo.i18n import N_, _
from geo.userfiles import usercsv, usergeojson, userkml
from geo.userfiles.reading import (
    FORMATS,
    MAX_BYTES,
    Notes,
    UserDataError,
    accepted,
    clean_text,
)

EXTENSIONS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".kml": "kml",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}
WGS84 = pyproj.CRS.from_epsg(4326)
KINDS = {0: "point", 1: "line", 2: "area"}
#: Codecs Python counts as text encodings that no text file is written in: they unescape
#: (and can give lone surrogates), or refuse everything.
NOT_FILE_ENCODINGS = {"undefined", "unicode_escape", "raw_unicode_escape", "punycode", "idna"}
#: The kinds as people read them (``KINDS`` are the values written into the answers).
KIND_NAMES = {0: N_("point"), 1: N_("line"), 2: N_("area")}
KIND_PLURALS = {0: N_("points"), 1: N_("lines"), 2: N_("areas")}
MULTI = {0: shapely.MultiPoint, 1: shapely.MultiLineString, 2: shapely.MultiPolygon}


def _g(value: float) -> str:
    """A coordinate with up to six significant digits, with the language's decimal sign."""
    return f"{value:.6g}".replace(".", i18n.decimal_sign())


def _mixed(dims: list[int]) -> str:  # "points and lines": the kinds a collection mixes
    return reduce(
        lambda kinds, kind: _("{kinds} and {kind}").format(kinds=kinds, kind=kind),
        [_(KIND_PLURALS[d]) for d in dims],
    )


@dataclass(frozen=True)
class Feature:
    geometry: (
        shapely.Geometry
    )  # lon/lat, WGS84, valid, 2-D: (Multi)Point, (Multi)LineString or (Multi)Polygon
    properties: Mapping[str, object]
    where: str  # "feature 3", "line 7": where it is in the file, for messages and tables

    @property
    def kind(self) -> str:
        """``"point"``, ``"line"`` or ``"area"``."""
        return KINDS[int(shapely.get_dimensions(self.geometry))]


@dataclass(frozen=True)
class UserData:
    name: str
    format: str  # "geojson", "kml" or "csv"
    features: tuple[Feature, ...]
    skipped: int
    messages: tuple[str, ...]


def read_path(path: str | Path, **options) -> UserData:
    """:func:`read` for a file on disk: a regular file only (a device such as /dev/zero, a
    pipe that would wait forever, or a folder is refused without being read), its size checked
    before it is read (``geo.core.files.read_regular``)."""
    path = Path(path)
    shown = echo(str(path))
    try:
        info = os.stat(path)
    except OSError as err:
        raise UserDataError(
            _("{file} cannot be read ({why}); give a readable file: {accepted}.").format(
                file=shown, why=os_reason(err), accepted=accepted()
            )
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise UserDataError(
            _(
                "{file} is not a regular file (a folder, device or pipe); give a file: {accepted}."
            ).format(file=shown, accepted=accepted())
        )
    _check_size(path.name, info.st_size)
    try:
        data = files.read_regular(path, MAX_BYTES)
    except files.ReadError as err:
        raise UserDataError(
            _("{file} {reason}; give a readable file: {accepted}.").format(
                file=shown, reason=err.reason, accepted=accepted()
            )
        ) from None
    return read(data, path.name, **options)


def read(
    data: bytes,
    name: str,
    *,
    format: str | None = None,
    encoding: str | None = None,
    lat_column: str | None = None,
    lon_column: str | None = None,
    crs: str | None = None,
    budget: Budget | None = None,
) -> UserData:
    """The usable features of one file, from its bytes. ``name`` is the file's name (its
    extension picks the format unless ``format`` is given); ``lat_column``/``lon_column``
    name a CSV's coordinate columns and ``crs`` the CRS of its x/y columns (default WGS84).
    ``budget``, when given, is checked between the steps (``geo.core.budget``).
    Raises UserDataError for a file that cannot be used at all."""
    budget = budget or Budget(None)
    shown = echo(name)
    _check_size(shown, len(data))
    suffix = Path(str(name)).suffix.lower()
    fmt = format or EXTENSIONS.get(suffix) or (None if suffix else _sniff(data))
    if fmt not in FORMATS:
        raise UserDataError(
            _("{file} is not in a format this map reads: {accepted}.").format(
                file=shown, accepted=accepted()
            )
        )
    text = decode(data, shown, encoding, fmt)
    del data
    if not text.strip():
        raise UserDataError(
            _("{file} is empty: give {accepted}.").format(file=shown, accepted=accepted())
        )
    notes = Notes(shown)
    budget.check()
    if fmt == "csv":
        shapes, source_crs = (
            usercsv.read_rows(text, notes, lat_column=lat_column, lon_column=lon_column),
            crs,
        )
    elif fmt == "kml":
        shapes, source_crs = userkml.read_features(text, notes)
    else:
        shapes, source_crs = usergeojson.read_features(text, notes)
    del text
    budget.check()
    shapes = reproject(shapes, source_crs, shown, notes)
    check_degrees(shapes, shown)
    budget.check()
    features = usable(shapes, notes, budget)
    check_swapped(
        [f.geometry for f in features], shown, fmt, notes, named=bool(lat_column or lon_column)
    )
    return UserData(str(name), fmt, tuple(features), notes.skipped, notes.done())


def _check_size(shown: str, size: int) -> None:
    if size > MAX_BYTES:
        raise UserDataError(
            _(
                "{file} is {size} MB, over the limit of {limit} MB: split it, or simplify its "
                "shapes."
            ).format(
                file=shown, size=i18n.number(size / 1e6, 1), limit=i18n.number(MAX_BYTES / 1e6)
            )
        )


def _sniff(data: bytes) -> str:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "geojson" if head.startswith(b"{") else "kml" if head.startswith(b"<") else "csv"


def text_codec(encoding: str, shown: str) -> str:
    """The codec's name for ``encoding``, checked to be an encoding of text files: one Python
    knows, that decodes bytes to text (not ``rot13``, ``base64``: ``str.encode`` refuses those)
    and that is not an escape or a refusal (``NOT_FILE_ENCODINGS``)."""
    try:
        name = codecs.lookup(encoding).name
    except (LookupError, ValueError, TypeError):
        raise UserDataError(
            _(
                "{file} names an encoding {encoding} that Python does not know; save it as UTF-8."
            ).format(file=shown, encoding=echo(encoding))
        ) from None
    refused = name.replace("-", "_") in NOT_FILE_ENCODINGS
    try:
        refused = refused or not isinstance("".encode(name), bytes)
    except LookupError:  # a codec from bytes to bytes, or text to text
        refused = True
    if refused:
        raise UserDataError(
            _(
                "{file}: {encoding} is not an encoding of text files; save the file as UTF-8, "
                "or name its encoding (e.g. cp1251)."
            ).format(file=shown, encoding=echo(encoding))
        )
    return name


def decode(data: bytes, shown: str, encoding: str | None, fmt: str) -> str:
    """The file's text: UTF-8 (a byte-order mark is dropped), a UTF-16 file with its mark,
    the encoding a KML file declares, or ``encoding`` when given. Never guessed; an encoding
    given or declared must be one of text files (:func:`text_codec`). A lone surrogate that
    a decoder gives becomes U+FFFD."""
    if encoding is None and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    if encoding is None and fmt == "kml":
        declared = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.:-]+)[\"']", data[:200])
        encoding = declared.group(1).decode("ascii") if declared else None
    codec = text_codec(encoding, shown) if encoding is not None else "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        raise UserDataError(
            _(
                "{file} is not {encoding} text (byte {byte} at position {position} cannot be "
                "decoded); "
                "save it as UTF-8, or name its encoding (e.g. encoding='cp1251')."
            ).format(
                file=shown,
                encoding=encoding or "UTF-8",
                byte=f"0x{data[err.start]:02X}",
                position=i18n.number(err.start),
            )
        ) from None
    except (UnicodeError, ValueError, LookupError):  # a codec that fails in its own way
        raise UserDataError(
            _("{file} cannot be decoded as {encoding}; save it as UTF-8.").format(
                file=shown, encoding=echo(encoding)
            )
        ) from None
    return clean_text(text.lstrip("\ufeff"))


def reproject(shapes: list, crs: str | None, shown: str, notes: Notes) -> list:
    """Geometries in a declared CRS other than WGS84 moved to WGS84 lon/lat with pyproj."""
    if not crs:
        return shapes
    try:
        source = pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError:
        raise UserDataError(
            _(
                "{file} declares a CRS {crs} that pyproj does not know; give WGS84 "
                "longitude/latitude (EPSG:4326) or an EPSG code."
            ).format(file=shown, crs=echo(crs))
        ) from None
    if source.to_2d().equals(WGS84, ignore_axis_order=True):  # EPSG:4979 (3-D) and OGC:CRS84 too
        return shapes
    move = pyproj.Transformer.from_crs(source, WGS84, always_xy=True)
    notes.messages.append(
        _("{file}: coordinates in {crs_name} ({crs}) were reprojected to WGS84.").format(
            file=shown, crs_name=source.name, crs=echo(crs)
        )
    )
    out = []
    for geom, props, where in shapes:
        if geom is not None:
            geom = shapely.transform(
                geom, lambda xy: np.column_stack(move.transform(xy[:, 0], xy[:, 1]))
            )
        out.append((geom, props, where))
    return out


def check_degrees(shapes: list, shown: str) -> None:
    """Refuse a file none of whose coordinates are degrees: a projection it does not declare."""
    coords = [shapely.get_coordinates(g) for g, _props, _where in shapes if g is not None]
    xy = np.concatenate(coords) if coords else np.empty((0, 2))
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) and ((np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)).all():
        x, y = xy[0]
        raise UserDataError(
            _(
                "{file} has coordinates such as ({x}, {y}), far outside longitude ±180 and "
                "latitude ±90: "
                "they look projected, in a CRS the file does not declare; give WGS84 degrees, or "
                "declare "
                "the CRS (GeoJSON's crs member, or crs='EPSG:32637' for a CSV)."
            ).format(file=shown, x=_projected(x), y=_projected(y))
        )


def _projected(value: float) -> str:
    """A projected coordinate as people read metres (``4,000,000``), or, beyond any projection's
    range, cut to six significant digits (``1e+308``, not 309 digits)."""
    return i18n.number(value) if abs(value) < 1e9 else _g(value)


def _parts(geom: shapely.Geometry) -> np.ndarray:
    """The simple, non-empty parts of a geometry, however deeply collections nest: each
    collection is opened once, as arrays (a MultiPoint of 400,000 points is not a Python loop)."""
    level, found = np.array([geom], dtype=object), []
    while len(level):
        multi = shapely.get_type_id(level) >= 4  # MultiPoint, ..., GeometryCollection
        found.append(level[~multi])
        level = shapely.get_parts(level[multi])
    parts = np.concatenate(found)
    return parts[~shapely.is_empty(parts)]


#: The most places at which an invalid geometry's edges may cross one another for it to be
#: repaired: ``make_valid`` takes about 50 µs for each (measured: 100,000 in 4.9 s).
REPAIR_CROSSINGS = 10_000
#: Areas of more vertices than this are checked for tangles before their validity is.
TANGLE_CHECK_VERTICES = 10_000
#: How many pairs of edges whose boxes overlap :func:`tangled` takes at once (memory), and
#: looks at in all before leaving the rest to GEOS (which, for edges that cross or overlap
#: rarely, checks a long edge against many short ones faster).
_PAIRS_AT_ONCE = 1_000_000
_PAIRS_AT_MOST = 20_000_000


def _cross(o: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a[:, 0] - o[:, 0]) * (b[:, 1] - o[:, 1]) - (a[:, 1] - o[:, 1]) * (b[:, 0] - o[:, 0])


def _within(p: np.ndarray, q0: np.ndarray, q1: np.ndarray) -> np.ndarray:
    return (
        (np.minimum(q0[:, 0], q1[:, 0]) <= p[:, 0])
        & (p[:, 0] <= np.maximum(q0[:, 0], q1[:, 0]))
        & (np.minimum(q0[:, 1], q1[:, 1]) <= p[:, 1])
        & (p[:, 1] <= np.maximum(q0[:, 1], q1[:, 1]))
    )


def segments_meet(a0, a1, b0, b1) -> np.ndarray:
    """Whether each segment a0-a1 meets b0-b1 (crosses, touches or overlaps), by the signs of
    cross products, for arrays of (n, 2) ends."""
    d1, d2 = _cross(b0, b1, a0), _cross(b0, b1, a1)
    d3, d4 = _cross(a0, a1, b0), _cross(a0, a1, b1)
    proper = (d1 * d2 < 0) & (d3 * d4 < 0)
    return (
        proper
        | (d1 == 0) & _within(a0, b0, b1)
        | (d2 == 0) & _within(a1, b0, b1)
        | (d3 == 0) & _within(b0, a0, a1)
        | (d4 == 0) & _within(b1, a0, a1)
    )


def tangled(geom: shapely.Geometry, limit: int) -> bool:
    """Whether the edges of ``geom``'s rings and lines meet one another at more than
    ``limit`` places besides the vertex two neighbours share: what repairing it would cost
    (``make_valid`` nodes every such place; a ring going back and forth across itself has
    about n² of them).

    Counted a few edges at a time, in a random order (fixed by the number of edges, so the
    same file gives the same answer): an STRtree gives the edges whose boxes overlap theirs,
    and the signs of cross products say which of them they meet. The number at a time grows
    while the pairs found stay few. It stops once ``limit`` is passed, or after
    ``_PAIRS_AT_MOST`` pairs (then answering no): time and memory in proportion to the
    vertices, whatever the places there are to count."""
    rings = shapely.get_rings(_parts(geom)) if shapely.get_dimensions(geom) == 2 else geom
    xy, owner = shapely.get_coordinates(rings, return_index=True)
    same = (owner[1:] == owner[:-1]) & (xy[1:] != xy[:-1]).any(axis=1)  # no edge of no length
    starts, ends = xy[:-1][same], xy[1:][same]
    n = len(starts)
    if n < 4:
        return False
    ring = owner[:-1][same]
    # A pair of edges that follow one another in a ring meet at their shared vertex; so do a
    # ring's last and first edges. Edges are numbered along the rings, so these are pairs
    # whose numbers differ by 1 within a ring, or by the ring's length less 1.
    first = np.searchsorted(ring, ring, side="left")
    length = np.bincount(ring)[ring]
    tree = shapely.STRtree(shapely.linestrings(np.stack([starts, ends], axis=1)))
    order = np.random.default_rng(n).permutation(n)
    met, looked, at, step = 0, 0, 0, 1
    while at < n and looked < _PAIRS_AT_MOST:
        chunk = order[at : at + step]
        mine, other = tree.query(tree.geometries[chunk])
        mine = chunk[mine]
        gap = np.abs(mine - other)
        neighbours = (ring[mine] == ring[other]) & (
            (gap <= 1) | (gap == length[mine] - 1) & (np.minimum(mine, other) == first[mine])
        )
        mine, other = mine[~neighbours], other[~neighbours]
        for b in range(0, len(mine), _PAIRS_AT_ONCE):
            i, j = mine[b : b + _PAIRS_AT_ONCE], other[b : b + _PAIRS_AT_ONCE]
            met += int(segments_meet(starts[i], ends[i], starts[j], ends[j]).sum())
            if met > 2 * limit:  # each place is met from both of its edges
                return True
        looked += len(neighbours)
        at += len(chunk)
        per_edge = len(neighbours) / len(chunk)
        step = int(max(1, min(2 * step, _PAIRS_AT_ONCE / max(per_edge, 1.0))))
    return False


def usable(shapes: list, notes: Notes, budget: Budget) -> list[Feature]:
    """The features of every (geometry, properties, where), in order. The plain ones (a
    valid point, line or area, or the Multi form of one, all its coordinates finite and in
    range) are found with one array operation per test; the rest are taken one at a time
    (:func:`_features`), each problem reported."""
    if not shapes:
        return []
    given = np.empty(len(shapes), dtype=object)
    given[:] = [geom for geom, _props, _where in shapes]
    flat, has_z = given.copy(), shapely.has_z(given)
    flat[has_z] = shapely.force_2d(given[has_z])  # no copy of what is already flat
    xy, owner = shapely.get_coordinates(flat, return_index=True)
    bad = ~np.isfinite(xy).all(axis=1) | (np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)
    with np.errstate(invalid="ignore"):
        plain = (
            ~shapely.is_missing(flat)
            & ~shapely.is_empty(flat)
            & (np.bincount(owner[bad], minlength=len(flat)) == 0)
            & (shapely.get_type_id(flat) < 7)  # no GeometryCollection
            & ~_large_area(flat)  # checked one at a time, for tangles first
        )
        plain[plain] = shapely.is_valid(flat[plain])
    out = []
    for index, (geom, props, where) in enumerate(shapes):
        if plain[index]:
            out.append(Feature(flat[index], props, where))
        else:
            out += _features(geom, props, where, notes)
        if index % 1024 == 0:
            budget.check()
    return out


def _features(geom, props: dict, where: str, notes: Notes) -> list[Feature]:
    """The features one geometry gives: none (reported), one, or one per kind for a mixed collection."""
    if geom is None or geom.is_empty:
        notes.add(where, _("has no geometry (a point, line or polygon is needed)"), skip=True)
        return []
    geom = shapely.force_2d(geom)
    xy = shapely.get_coordinates(geom)
    if not np.isfinite(xy).all():
        notes.add(
            where, _("has a coordinate that is not a finite number (NaN or infinite)"), skip=True
        )
        return []
    bad = (np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)
    if bad.any():
        x, y = xy[np.argmax(bad)]
        notes.add(
            where,
            _(
                "has a point at longitude {x}, latitude {y}, out of range (longitude runs from "
                "-180 to "
                "180 and latitude from -90 to 90 degrees)"
            ).format(x=_g(x), y=_g(y)),
            skip=True,
        )
        return []
    parts = _parts(geom)
    dims = shapely.get_dimensions(parts)
    kinds = sorted(set(dims.tolist()))
    if len(kinds) > 1:
        notes.add(
            where,
            _("mixes {kinds}; it is kept as one feature for each").format(kinds=_mixed(kinds)),
        )
    out = []
    for dim in kinds:
        group = parts[dims == dim]
        label = (
            where
            if len(kinds) == 1
            else _("{where} ({kinds})").format(where=where, kinds=_(KIND_PLURALS[dim]))
        )
        if len(group) == 1:
            one = group[0]
        elif shapely.get_type_id(geom) == 4 + dim and shapely.get_num_geometries(geom) == len(
            group
        ):
            one = geom  # already the Multi geometry of these parts
        else:
            one = MULTI[dim](group)
        checked = bool(_large_area(one))
        if checked and tangled(one, limit=REPAIR_CROSSINGS):
            notes.add(
                label,
                _(
                    "is an area whose edges cross one another at more than {count} places, "
                    "too many to check or repair"
                ).format(count=i18n.number(REPAIR_CROSSINGS)),
                skip=True,
            )
            continue
        if not one.is_valid:
            one = _repaired(one, dim, label, notes, checked)
            if one is None:
                continue
        out.append(Feature(one, dict(props), label))
    return out


def _large_area(geoms):
    """Whether each geometry is an area of more than ``TANGLE_CHECK_VERTICES`` vertices, whose
    validity is checked only once :func:`tangled` says its edges meet at few places: GEOS's
    own check takes time in proportion to the square of the edges that overlap (a million
    vertices going back and forth over four edges: over a minute)."""
    return (shapely.get_dimensions(geoms) == 2) & (
        shapely.get_num_coordinates(geoms) > TANGLE_CHECK_VERTICES
    )


def _repaired(one: shapely.Geometry, dim: int, label: str, notes: Notes, checked: bool = False):
    """An invalid geometry repaired with ``shapely.make_valid`` (reported), or None (reported)
    when it cannot be, or when its edges cross one another at more than ``REPAIR_CROSSINGS``
    places. An area is repaired by GEOS's "structure" method (the union of its outer rings
    less its holes: linear in the crossings, where the "linework" method takes 45 times as
    long on a ring of a million vertices); lines and points by "linework"."""
    reason = shapely.is_valid_reason(one)
    if not checked and tangled(one, limit=REPAIR_CROSSINGS):
        notes.add(
            label,
            _(
                "is not a valid {kind} ({reason}), and its edges cross one another at more than "
                "{count} places, too many to repair"
            ).format(kind=_(KIND_NAMES[dim]), reason=reason, count=i18n.number(REPAIR_CROSSINGS)),
            skip=True,
        )
        return None
    method = "structure" if dim == 2 else "linework"
    fixed = _parts(shapely.make_valid(one, method=method))
    fixed = fixed[shapely.get_dimensions(fixed) == dim]
    if not len(fixed):
        notes.add(
            label,
            _("is not a valid {kind} ({reason}) and cannot be repaired").format(
                kind=_(KIND_NAMES[dim]), reason=reason
            ),
            skip=True,
        )
        return None
    notes.add(
        label,
        _("was not valid ({reason}) and was repaired with shapely.make_valid").format(
            reason=reason
        ),
    )
    return fixed[0] if len(fixed) == 1 else MULTI[dim](fixed)  # parts of one valid geometry


def check_swapped(geoms: list, shown: str, fmt: str, notes: Notes, named: bool) -> None:
    """Every point outside the data region but inside it once lat and lon are exchanged:
    refused for a CSV whose columns were found by their names (naming them decides), else
    loaded as written, with a warning."""
    if not geoms:
        return
    xy = np.concatenate([shapely.get_coordinates(g) for g in geoms])
    west, south, east, north = REGION

    inside = lambda x, y: (x >= west) & (x <= east) & (y >= south) & (y <= north)  # noqa: E731
    if inside(xy[:, 0], xy[:, 1]).any() or not inside(xy[:, 1], xy[:, 0]).all():
        return
    said = _(
        "every point lies outside the map's region (lon {west}–{east} E, lat {south}–{north} N) "
        "but inside it "
        "with latitude and longitude exchanged"
    ).format(west=_g(west), east=_g(east), south=_g(south), north=_g(north))
    if fmt == "csv" and not named:
        raise UserDataError(
            _(
                "{file} looks like latitude and longitude are swapped: {said}; name the columns "
                "with "
                "lat_column= and lon_column= (or fix the header)."
            ).format(file=shown, said=said)
        )
    order = (
        _("GeoJSON and KML write longitude first") if fmt != "csv" else _("the columns were named")
    )
    notes.messages.insert(
        0,
        _(
            "{file}: latitude and longitude may be swapped: {said}; {order}, so the file was "
            "loaded as written."
        ).format(file=shown, said=said, order=order),
    )
