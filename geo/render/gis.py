"""The layers, and a user's classified features, as files for GIS tools, written through GDAL
(pyogrio): a GeoPackage for QGIS and the like, a KML for Google Earth, and GeoJSON as
``geo.render.web.export`` writes it.

    layers_file(layers, ".gpkg" | ".kml" | ".geojson") -> bytes
    answers_gpkg(rows, layers) -> bytes

* **GeoPackage**: EPSG:4326 (WGS84 longitude/latitude), one table per layer, named as the
  GeoJSON export's ``layer`` values (``border``, ``kharkiv_sector``, …, ``place``), each feature
  with the parameters and its figure as columns (the GeoJSON export's properties); the
  attribution and every figure are the file's metadata. The geometry is the GeoJSON export's
  (rounded to 1e-6 degrees).
* **KML**: one folder of placemarks, each layer and place named in the current language, its
  legend sentence as the description, and styled like the map (colour, line width, fill and its
  opacity; KML has no dashes; places keep Google Earth's pin, their labels black when the
  article names them), with the same columns as extended data. Written by GDAL's LIBKML
  driver from an ``OGR_STYLE`` column (GDAL's feature style string; it stays in the extended
  data too).

GDAL writes to a file: each is written in a private temporary folder and its bytes handed
back, so that ``geo.core.files.write_all`` writes every output of a command together, or none.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely

from geo import i18n
from geo.core import files
from geo.engine import classify
from geo.engine import layers as registry
from geo.engine.layers import Layers
from geo.i18n import _
from geo.render.web import export

#: The endings ``layers_file`` writes, and the format of each.
LAYER_FORMATS = {".geojson": "geojson", ".gpkg": "gpkg", ".kml": "kml"}
CRS = "EPSG:4326"
#: A file GDAL wrote is read back up to this size (far above the layers' few MB).
MAX_BYTES = 512 << 20
#: Column names a GeoPackage keeps for itself (compared without case, as SQLite does).
RESERVED = {"fid", "geom"}


def layers_file(layers: Layers, ending: str) -> bytes:
    """The layers and places in the format of a file ending (a key of :data:`LAYER_FORMATS`)."""
    kind = LAYER_FORMATS[ending.lower()]
    if kind == "geojson":
        return export.geojson_text(layers).encode("utf-8")
    return layers_gpkg(layers) if kind == "gpkg" else layers_kml(layers)


def layers_gpkg(layers: Layers) -> bytes:
    """A GeoPackage with one table per layer (see the module's docstring)."""
    tables: dict[str, list[export.Record]] = {}
    for record in export.records(layers):
        tables.setdefault(record.properties["layer"], []).append(record)
    metadata = {
        "attribution": export.attribution(layers.params.source),
        "facts": json.dumps(export.facts(layers), ensure_ascii=False, separators=(",", ":")),
    }
    with i18n.language(i18n.DEFAULT):  # the file's own text is English, as its columns
        values = layers.values()
        described = {spec.key: spec.text(spec.legend, values) for spec in registry.REGISTRY}
    writes = []
    for name, records in tables.items():
        spec = records[0].spec
        writes.append(
            (
                name,
                [_single_kind(r.geometry) for r in records],
                [r.properties for r in records],
                {"IDENTIFIER": spec.key, "DESCRIPTION": described[spec.key]},
            )
        )
    return _written("layers.gpkg", "GPKG", writes, dataset_metadata=metadata)


def layers_kml(layers: Layers) -> bytes:
    """A KML of every layer and place, styled like the map (see the module's docstring)."""
    values = layers.values()
    geometries, rows = [], []
    for record in export.records(layers):
        spec, props = record.spec, record.properties
        if record.place is not None:
            name = record.place.label
            description = _(record.place.note)
            style = _point_style(record.place.named_in_article)
        else:
            name = _(spec.title)
            description = spec.text(spec.legend, values)
            style = _style(spec.style)
        geometries.append(record.geometry)
        rows.append({"name": name, "description": description, "OGR_STYLE": style, **props})
    title = export.attribution(layers.params.source)
    return _written(
        "layers.kml",
        "LIBKML",
        [
            (
                "kharkiv_map",
                geometries,
                rows,
                {"NAME": _("Kharkiv border map"), "DESCRIPTION": title},
            )
        ],
    )


def answers_gpkg(rows: Sequence[classify.Row], layers: Layers) -> bytes:
    """A user's features with the answers (``km_`` columns, as ``classify.to_geojson`` writes
    them) and their own properties, one table ``answers`` of any geometry type, EPSG:4326."""
    geometries = [row.feature.geometry for row in rows]
    names = classify.own_names(rows)
    props = [classify.answer_properties(row, layers, names) for row in rows]
    columns = [*names.values(), *classify.answers_header()]
    return _written(
        "answers.gpkg",
        "GPKG",
        [("answers", geometries, props, {"DESCRIPTION": "km_: the Kharkiv border map's answers"})],
        geometry_type="Unknown",
        columns=list(columns),
    )


# --------------------------------------------------------------------------- writing through GDAL


def _single_kind(geom: shapely.Geometry) -> shapely.Geometry:
    """Polygons as MultiPolygons, so that every area of a table has one type."""
    return shapely.MultiPolygon([geom]) if geom.geom_type == "Polygon" else geom


def _colour(hex_colour: str, opacity: float = 1.0) -> str:
    """``#0072B2`` and an opacity as GDAL's ``#RRGGBBAA``."""
    return f"{hex_colour.upper()}{round(255 * opacity):02X}"


def _style(style: Mapping[str, object]) -> str:
    """A layer's map style as a GDAL feature style string (pen; brush where the map fills)."""
    pen = f"PEN(c:{_colour(str(style['color']), float(style.get('opacity', 1.0)))},w:{style['weight']}px)"
    if "fillColor" in style and style.get("fill", True):
        fill = _colour(str(style["fillColor"]), float(style.get("fillOpacity", 0.2)))
    else:
        fill = "#00000000"  # an outline only (the ring); KML would fill a polygon white
    return f"{pen};BRUSH(fc:{fill})"


def _point_style(named: bool) -> str:
    """A place's label: black when the article names it, grey for context. Its icon is Google
    Earth's own pin: a GDAL symbol needs an icon's address, and the file links to nothing."""
    return f"LABEL(c:{'#000000FF' if named else '#555555FF'})"


def _kind(value) -> str:
    """What a GeoPackage column of this value would be: bool, int (64 bits), float, or text."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if abs(value) < 2**63 else "text"
    if isinstance(value, float):
        return "float" if math.isfinite(value) else "text"
    return "text"


def _column(values: list) -> tuple[np.ndarray, np.ndarray | None]:
    """One column of values (None: null) as pyogrio takes it: typed by what it holds (booleans,
    whole numbers, numbers, else text; lists and objects as JSON text), with a mask of nulls."""
    kinds = {_kind(v) for v in values if v is not None}
    null = np.array([v is None for v in values], dtype=bool)
    mask = null if null.any() else None
    if kinds == {"bool"}:
        return np.array([bool(v) for v in values], dtype=bool), mask
    if kinds == {"int"}:
        return np.array([v or 0 for v in values], dtype=np.int64), mask
    if kinds == {"int", "float"} or kinds == {"float"}:
        return np.array([0.0 if v is None else float(v) for v in values]), mask
    return np.array([None if v is None else _text(v) for v in values], dtype=object), None


def _text(value) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _names(columns: Iterable[str]) -> list[str]:
    """Column names a GeoPackage accepts: unique without case (SQLite compares them so), and
    none of its own (``fid``, ``geom``): a clash gets `` (2)``, `` (3)`` … added."""
    taken, out = set(RESERVED), []
    for column in columns:
        name, n = column, 1
        while name.lower() in taken:
            n += 1
            name = f"{column} ({n})"
        taken.add(name.lower())
        out.append(name)
    return out


def _written(
    filename: str,
    driver: str,
    tables: list[tuple[str, list, list[dict], dict]],
    *,
    geometry_type: str | None = None,
    columns: list[str] | None = None,
    dataset_metadata: dict | None = None,
) -> bytes:
    """The bytes of a file GDAL writes with ``driver``: each table (name, geometries, rows of
    properties, layer creation options) in turn, in a private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="kharkiv-gis-") as folder:
        path = Path(folder) / filename
        for i, (name, geometries, rows, options) in enumerate(tables):
            keys = (
                columns if columns is not None else list(dict.fromkeys(k for r in rows for k in r))
            )
            data, masks = (
                zip(*(_column([r.get(k) for r in rows]) for k in keys)) if keys else ((), ())
            )
            kind = geometry_type or _geometry_type(geometries)
            pyogrio.raw.write(
                str(path),
                _wkb(geometries, driver),
                list(data),
                _names(keys),
                field_mask=list(masks) if any(m is not None for m in masks) else None,
                layer=name,
                driver=driver,
                geometry_type=kind,
                crs=CRS,
                encoding="UTF-8" if driver != "GPKG" else None,
                dataset_metadata=dataset_metadata if i == 0 and driver == "GPKG" else None,
                layer_options=options,
            )
        return files.read_regular(path, MAX_BYTES)


def _wkb(geometries: list, driver: str) -> np.ndarray:
    """The geometries as 2D WKB; an empty one (the prohibited zone once D reaches 300 km) as
    no geometry in a KML, which has no empty shapes."""
    wkb = shapely.to_wkb(np.array(geometries, dtype=object), output_dimension=2)
    if driver == "LIBKML":
        wkb[shapely.is_empty(np.array(geometries, dtype=object))] = None
    return wkb


def _geometry_type(geometries: list) -> str:
    kinds = {g.geom_type for g in geometries}
    return kinds.pop() if len(kinds) == 1 else "Unknown"
