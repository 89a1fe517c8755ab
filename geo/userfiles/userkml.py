"""KML read with the standard library's XML parser (expat), in one pass, for
``geo.userfiles.userdata`` (which checks size and encoding before, and coordinates after).

A user's file reaches nothing but itself: expat reads the text given and nothing else, a
document declaring any entity (the way to XXE and to entity expansion) is refused, and links,
network links and styles are not followed. The root element must be ``kml`` (an OGR VRT or WFS
document, GML or any other XML is refused).

The work is bounded before parsing and while parsing: the placemarks and the coordinate
tuples are counted in the text first (``MAX_FEATURES``, ``MAX_VERTICES``), and counted again
as they are read, as are the distinct property names (``MAX_PROPERTY_NAMES``); reading
stops at the first limit passed. One pass over the text reads every folder, so a file of
many folders costs what a file of one does.

What a placemark gives, as GDAL's LIBKML driver named it: ``id`` (its attribute), ``Name``,
``description``, ``timestamp`` (``TimeStamp/when``), ``begin`` and ``end`` (``TimeSpan``),
and each ``ExtendedData`` value under its own name (``Data/value``, and ``SchemaData``'s
``SimpleData``, a number where its ``Schema`` says ``int`` or ``double``), text as written,
without the white space around it. Its geometry: ``Point``, ``LineString``, ``LinearRing``,
``Polygon`` (with its inner rings), ``gx:Track`` and any of them in ``MultiGeometry`` or
``gx:MultiTrack``, at any depth; a geometry that cannot be built (a line of one position, a
ring of three, coordinates that are not numbers) skips its placemark with a sentence.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field

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
    too_many_features,
    too_many_names,
    too_many_vertices,
)

#: Elements whose text is read.
_TEXT = {"name", "description", "when", "begin", "end", "value", "SimpleData", "coordinates"}
_INTEGER_TYPES = {"int", "uint", "short", "ushort"}
_FLOAT_TYPES = {"float", "double"}
_PLACEMARK = re.compile(r"<(?:[\w.-]+:)?Placemark[\s>/]")
_COORDINATES = re.compile(r"<(?:[\w.-]+:)?coordinates(?:\s[^>]*)?>([^<]*)")
_GX_COORD = re.compile(r"<(?:[\w.-]+:)?coord[\s>]")


class _Stop(Exception):
    """Reading ends: the file is refused with ``error``."""

    def __init__(self, error: UserDataError):
        super().__init__(str(error))
        self.error = error


class BadGeometry(Exception):
    """A placemark's geometry that cannot be built; the message says why."""


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def precount(text: str) -> tuple[int, int]:
    """The placemarks and coordinate tuples in a KML text, counted before it is parsed."""
    tuples = sum(len(block.split()) for block in _COORDINATES.findall(text))
    return len(_PLACEMARK.findall(text)), tuples + len(_GX_COORD.findall(text))


def coordinates(text: str) -> np.ndarray:
    """The (n, 2) longitudes and latitudes of a KML ``coordinates`` text: tuples
    ``lon,lat[,alt]`` apart by white space (white space after a comma is forgiven)."""
    tokens = text.split()
    if not tokens:
        return np.empty((0, 2))
    commas = {token.count(",") for token in tokens}
    if len(commas) > 1 or not commas <= {1, 2}:
        tokens = re.sub(r"\s*,\s*", ",", text.strip()).split()
        commas = {token.count(",") for token in tokens}
    try:
        if commas in ({1}, {2}):
            values = np.array(",".join(tokens).split(","), dtype=float)
            return values.reshape(len(tokens), -1)[:, :2]
        if commas <= {1, 2}:
            return np.array([token.split(",")[:2] for token in tokens], dtype=float)
    except ValueError:
        pass
    bad = next(
        (t for t in tokens if t.count(",") not in (1, 2) or not _numbers(t.split(",")[:2])),
        tokens[0],
    )
    raise BadGeometry(
        _("has coordinates {value} that are not longitude,latitude numbers").format(value=echo(bad))
    )


def _numbers(texts: list[str]) -> bool:
    try:
        [float(t) for t in texts]
    except ValueError:
        return False
    return True


def _value(text: str, kind: str | None) -> object:
    """A SimpleData value by its Schema's type: a number where it is one, else the text."""
    try:
        if kind in _INTEGER_TYPES:
            return int(text)
        if kind in _FLOAT_TYPES:
            return float(text)
    except ValueError:
        pass
    return text


@dataclass
class _Placemark:
    number: int
    folder: int  # which folder (or document) holds it
    props: dict = field(default_factory=dict)
    #: The geometries being read: a list for each open MultiGeometry, the outer one first.
    parts: list = field(default_factory=lambda: [[]])
    outer: np.ndarray | None = None  # the outer ring of the polygon being read
    holes: list = field(default_factory=list)  # and its inner rings
    track: list = field(default_factory=list)  # the positions of the gx:Track being read
    bad: str | None = None


class _Reader:
    def __init__(self, shown: str):
        self.shown = shown
        self.stack: list[str] = []
        self.chars: list[str] = []
        self.folders: list[str] = []  # each folder's (or document's) name, by number
        self.open_folders: list[int] = []
        self.schemas: dict[str, dict[str, str]] = {}
        self.schema: dict[str, str] | None = None
        self.schema_data: dict[str, str] = {}
        self.data_name: str | None = None
        self.simple_name: str | None = None
        self.placemark: _Placemark | None = None
        self.done: list[_Placemark] = []
        self.shapes: list = []
        self.names: set[str] = set()
        self.count = 0
        self.vertices = 0

    # ----------------------------------------------------------------- the parser's calls

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if not self.stack and local != "kml":
            raise _Stop(
                UserDataError(
                    _("{file} is not {format}: {accepted}.").format(
                        file=self.shown, format="KML", accepted=accepted()
                    )
                )
            )
        self.stack.append(local)
        if local in _TEXT or local == "coord":
            self.chars = []
        if local in ("Folder", "Document"):
            self.open_folders.append(len(self.folders))
            self.folders.append("")
        elif local == "Schema":
            self.schema = self.schemas.setdefault(attrs.get("id", ""), {})
        elif local == "SimpleField" and self.schema is not None:
            self.schema[attrs.get("name", "")] = attrs.get("type", "string")
        elif local == "Placemark" and self.placemark is None:
            self.count += 1
            if self.count > MAX_FEATURES:
                raise _Stop(too_many_features(self.shown))
            folder = self.open_folders[-1] if self.open_folders else -1
            self.placemark = _Placemark(self.count, folder)
            if "id" in attrs:
                self._property("id", attrs["id"])
        elif self.placemark is not None:
            self._start_in_placemark(local, attrs)

    def _start_in_placemark(self, local: str, attrs: dict[str, str]) -> None:
        mark = self.placemark
        if local in ("MultiGeometry", "MultiTrack"):
            mark.parts.append([])
        elif local == "Polygon":
            mark.outer, mark.holes = None, []
        elif local == "Track":
            mark.track = []
        elif local == "SchemaData":
            self.schema_data = self.schemas.get(attrs.get("schemaUrl", "").lstrip("#"), {})
        elif local == "Data":
            self.data_name = attrs.get("name")
        elif local == "SimpleData":
            self.simple_name = attrs.get("name")

    def text(self, data: str) -> None:
        if self.stack and (self.stack[-1] in _TEXT or self.stack[-1] == "coord"):
            self.chars.append(data)

    def end(self, name: str) -> None:
        local = self.stack.pop()
        parent = self.stack[-1] if self.stack else ""
        mark = self.placemark
        if local in ("Folder", "Document"):
            self.open_folders.pop()
        elif local == "Schema":
            self.schema = None
        elif local == "name" and parent in ("Folder", "Document") and self.open_folders:
            self.folders[self.open_folders[-1]] = "".join(self.chars).strip()
        elif mark is None:
            return
        elif local == "Placemark":
            self._finish(mark)
        elif mark.bad is None:
            try:
                self._end_in_placemark(local, parent, mark)
            except BadGeometry as bad:
                mark.bad = str(bad)

    def _end_in_placemark(self, local: str, parent: str, mark: _Placemark) -> None:
        text = "".join(self.chars).strip() if local in _TEXT or local == "coord" else ""
        if local == "name" and parent == "Placemark":
            self._property("Name", text)
        elif local == "description" and parent == "Placemark":
            self._property("description", text)
        elif local == "when" and parent == "TimeStamp":
            self._property("timestamp", text)
        elif local in ("begin", "end") and parent == "TimeSpan":
            self._property(local, text)
        elif local == "value" and parent == "Data" and self.data_name is not None:
            self._property(self.data_name, text)
        elif local == "SimpleData" and self.simple_name is not None:
            self._property(self.simple_name, _value(text, self.schema_data.get(self.simple_name)))
        elif local == "coordinates":
            self._coordinates(coordinates(text), parent, mark)
        elif local == "coord" and parent == "Track":
            xy = text.split()[:2]
            if len(xy) < 2 or not _numbers(xy):
                raise BadGeometry(
                    _("has coordinates {value} that are not longitude,latitude numbers").format(
                        value=echo(text)
                    )
                )
            self._count(1)
            mark.track.append([float(xy[0]), float(xy[1])])
        elif local == "Track":
            self._add(mark, _line(np.array(mark.track).reshape(-1, 2)))
        elif local == "Polygon":
            if mark.outer is not None:
                self._add(mark, shapely.polygons(mark.outer, holes=mark.holes or None))
        elif local in ("MultiGeometry", "MultiTrack"):
            inner = mark.parts.pop()
            self._add(mark, shapely.geometrycollections(inner))

    def _coordinates(self, xy: np.ndarray, parent: str, mark: _Placemark) -> None:
        self._count(len(xy))
        if parent == "Point":
            if len(xy):
                self._add(mark, shapely.points(xy[0]))
        elif parent == "LineString":
            self._add(mark, _line(xy))
        elif parent == "LinearRing" and self.stack[-2] == "outerBoundaryIs":
            mark.outer = _ring(xy, 1)
        elif parent == "LinearRing" and self.stack[-2] == "innerBoundaryIs":
            mark.holes.append(_ring(xy, len(mark.holes) + 2))
        elif parent == "LinearRing":  # a ring by itself: the line it draws
            self._add(mark, _line(xy))

    def _count(self, n: int) -> None:
        self.vertices += n
        if self.vertices > MAX_VERTICES:
            raise _Stop(too_many_vertices(self.shown))

    def _add(self, mark: _Placemark, geom: shapely.Geometry) -> None:
        mark.parts[-1].append(geom)

    def _property(self, key: str, value: object) -> None:
        if key not in self.names:
            self.names.add(key)
            if len(self.names) > MAX_PROPERTY_NAMES:
                raise _Stop(too_many_names(self.shown))
        self.placemark.props[key] = value

    def _finish(self, mark: _Placemark) -> None:
        self.placemark = None
        self.done.append(mark)

    # ----------------------------------------------------------------- the result

    def features(self, notes: Notes) -> list:
        holding = {mark.folder for mark in self.done}
        found = []
        for mark in self.done:
            if len(holding) > 1:
                layer = self.folders[mark.folder] if mark.folder >= 0 else ""
                where = _("feature {number} (layer {layer})").format(
                    number=mark.number, layer=echo(layer)
                )
            else:
                where = _("feature {number}").format(number=mark.number)
            if mark.bad is not None:
                notes.add(where, mark.bad, skip=True)
                continue
            parts = mark.parts[0]
            geom = (
                None
                if not parts
                else parts[0]
                if len(parts) == 1
                else shapely.geometrycollections(parts)
            )
            found.append((geom, mark.props, where))
        return found


def _line(xy: np.ndarray) -> shapely.Geometry:
    if len(xy) == 1:
        raise BadGeometry(_("is a line of one position; a line needs at least two"))
    return shapely.linestrings(xy) if len(xy) else shapely.LineString()


def _ring(xy: np.ndarray, index: int) -> np.ndarray:
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
    return xy


def _no_entities(*_args) -> None:
    raise _Stop(None)


def read_features(text: str, notes: Notes) -> tuple[list, str | None]:
    """(geometry, properties, where) for each placemark of a KML text; KML is WGS84."""
    shown = notes.name
    placemarks, tuples = precount(text)
    if placemarks > MAX_FEATURES:
        raise too_many_features(shown, placemarks)
    if tuples > MAX_VERTICES:
        raise too_many_vertices(shown)
    reader = _Reader(shown)
    parser = xml.parsers.expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    parser.EntityDeclHandler = _no_entities
    try:
        parser.Parse(text, True)
    except _Stop as stop:
        if stop.error is None:
            raise UserDataError(
                _(
                    "{file} declares XML entities, which this map does not read: save it "
                    "without a DOCTYPE, as KML is written."
                ).format(file=shown)
            ) from None
        raise stop.error from None
    except xml.parsers.expat.ExpatError as err:
        raise UserDataError(
            _("{file} is not readable {format} ({why}): {accepted}.").format(
                file=shown,
                format="KML",
                accepted=accepted(),
                why=_("an XML error at line {line}, column {column}: {detail}").format(
                    line=err.lineno,
                    column=err.offset + 1,
                    detail=xml.parsers.expat.errors.messages[err.code],
                ),
            )
        ) from None
    return reader.features(notes), None
