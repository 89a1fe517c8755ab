"""Reading people's own files: GeoJSON, KML, and CSV with latitude and longitude columns.

GeoJSON and KML are read by GDAL through pyogrio (``geo.userfiles.usergdal``: the GeoJSON, LIBKML or KML
driver only), straight from the bytes in memory (pyogrio hands GDAL an in-memory ``/vsimem/`` file;
nothing is written to disk); CSV by the standard ``csv`` module (``geo.userfiles.usercsv``).

What comes back (:class:`UserData`) holds the features that could be used, each a valid 2-D lon/lat
(WGS84) geometry with its properties as given (strings and numbers, *not* escaped: whatever draws
them passes them through ``geo.core.escape.html_text``), the count of skipped features and one sentence
per problem. A file that cannot be used at all raises :class:`UserDataError`, one sentence naming
the file and what is accepted.

Checks, in order: size (``MAX_BYTES``) before anything is read; text encoding (UTF-8, with or
without a byte-order mark; a UTF-16 mark or an encoding declared in KML's XML header or passed as
``encoding=`` is honoured, nothing is guessed); the feature count (``MAX_FEATURES``, from
``pyogrio.read_info`` before the features are read); then per feature: a geometry present, finite
coordinates within ±180/±90, collections flattened (a collection mixing points, lines and areas
becomes one feature per kind), invalid geometry repaired with ``shapely.make_valid``. A declared CRS
other than WGS84 is reprojected with pyproj; coordinates far outside degree ranges in a file that
declares no other CRS are refused as an undeclared projection. A file whose every point lies outside
the data region (``geo.data.source.REGION``) but inside it once latitude and longitude are exchanged
is reported as swapped (see :func:`check_swapped`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import numpy as np
import pyproj
import shapely

from geo import i18n
from geo.core.files import os_reason
from geo.core.units import echo
from geo.data.source import REGION
from geo.i18n import N_, _
from geo.userfiles import usercsv, usergdal
from geo.userfiles.reading import FORMATS, MAX_BYTES, Notes, UserDataError, accepted

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
    """:func:`read` for a file on disk, its size checked before it is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise UserDataError(
            _("{file} cannot be read ({why}); give a readable file: {accepted}.").format(
                file=echo(str(path)), why=os_reason(err), accepted=accepted()
            )
        ) from None
    _check_size(path.name, size)
    return read(path.read_bytes(), path.name, **options)


def read(
    data: bytes,
    name: str,
    *,
    format: str | None = None,
    encoding: str | None = None,
    lat_column: str | None = None,
    lon_column: str | None = None,
    crs: str | None = None,
) -> UserData:
    """The usable features of one file, from its bytes. ``name`` is the file's name (its
    extension picks the format unless ``format`` is given); ``lat_column``/``lon_column``
    name a CSV's coordinate columns and ``crs`` the CRS of its x/y columns (default WGS84).
    Raises UserDataError for a file that cannot be used at all."""
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
    if not text.strip():
        raise UserDataError(
            _("{file} is empty: give {accepted}.").format(file=shown, accepted=accepted())
        )
    notes = Notes(shown)

    if fmt == "csv":
        shapes, source_crs = (
            usercsv.read_rows(text, notes, lat_column=lat_column, lon_column=lon_column),
            crs,
        )
    else:
        shapes, source_crs = usergdal.read_features(text, fmt, notes)
    shapes = reproject(shapes, source_crs, shown, notes)
    check_degrees(shapes, shown)
    features = [f for geom, props, where in shapes for f in _features(geom, props, where, notes)]
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


def decode(data: bytes, shown: str, encoding: str | None, fmt: str) -> str:
    """The file's text: UTF-8 (a byte-order mark is dropped), a UTF-16 file with its mark,
    the encoding a KML file declares, or ``encoding`` when given. Never guessed."""
    if encoding is None and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    if encoding is None and fmt == "kml":
        declared = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.:-]+)[\"']", data[:200])
        encoding = declared.group(1).decode("ascii") if declared else None
    try:
        text = data.decode(encoding or "utf-8-sig")
    except LookupError:
        raise UserDataError(
            _(
                "{file} names an encoding {encoding} that Python does not know; save it as UTF-8."
            ).format(file=shown, encoding=echo(encoding))
        ) from None
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
    return text.lstrip("\ufeff")


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
            ).format(file=shown, x=i18n.number(x), y=i18n.number(y))
        )


def _parts(geom: shapely.Geometry) -> list[shapely.Geometry]:
    """The simple parts of a geometry, however deeply collections nest."""
    parts = list(shapely.get_parts(geom))
    while any(
        p.geom_type == "GeometryCollection" or p.geom_type.startswith("Multi") for p in parts
    ):
        parts = [q for p in parts for q in shapely.get_parts(p)]
    return [p for p in parts if not p.is_empty]


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
    by_kind: dict[int, list] = {}
    for part in parts:
        by_kind.setdefault(int(shapely.get_dimensions(part)), []).append(part)
    if len(by_kind) > 1:
        notes.add(
            where,
            _("mixes {kinds}; it is kept as one feature for each").format(
                kinds=_mixed(sorted(by_kind))
            ),
        )
    out = []
    for dim, group in sorted(by_kind.items()):
        label = (
            where
            if len(by_kind) == 1
            else _("{where} ({kinds})").format(where=where, kinds=_(KIND_PLURALS[dim]))
        )
        one = group[0] if len(group) == 1 else MULTI[dim](group)
        if not one.is_valid:
            reason = shapely.is_valid_reason(one)
            fixed = [p for p in _parts(shapely.make_valid(one)) if shapely.get_dimensions(p) == dim]
            if not fixed:
                notes.add(
                    label,
                    _("is not a valid {kind} ({reason}) and cannot be repaired").format(
                        kind=_(KIND_NAMES[dim]), reason=reason
                    ),
                    skip=True,
                )
                continue
            notes.add(
                label,
                _("was not valid ({reason}) and was repaired with shapely.make_valid").format(
                    reason=reason
                ),
            )
            one = (
                fixed[0]
                if len(fixed) == 1
                else shapely.union_all(fixed)
                if dim == 2
                else MULTI[dim](fixed)
            )
        out.append(Feature(one, dict(props), label))
    return out


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
