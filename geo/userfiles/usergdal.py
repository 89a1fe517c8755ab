"""GeoJSON and KML read by GDAL through pyogrio, for ``geo.userfiles.userdata`` (which checks size and
encoding before, and coordinates after).

pyogrio hands GDAL the bytes as an in-memory ``/vsimem/`` file, so nothing is written to
disk. A user's file reaches nothing but itself: GDAL can open far more than GeoJSON and KML
(an OGR VRT or WFS document names other files and URLs, a GeoJSON ``crs`` may be a link to
fetch), and it picks its driver from the content, so the content is checked here before
GDAL sees it (:func:`check_content`): a GeoJSON text must be a JSON object of a GeoJSON type
whose every ``crs`` is a name such as ``EPSG:32637``, never a link or URL; a KML text must
have ``kml`` as its root element. After GDAL has opened the bytes, only its GeoJSON, LIBKML
and KML drivers are accepted. GDAL's own ways out are switched off for these reads as well
(:data:`CONFINED`: remote ``/vsicurl/`` files, schema downloads, external KML styles, remote
resources pointing at local files). The feature count is read with ``pyogrio.read_info``
before any feature is. Every layer (a KML folder) is read. Properties come back as plain
Python values: strings, numbers, lists; LIBKML's styling fields are dropped.
"""

from __future__ import annotations

import json
import math
import re
import warnings

import numpy as np
import shapely

from geo import i18n
from geo.core.units import echo
from geo.i18n import _
from geo.userfiles.reading import FORMATS, MAX_FEATURES, Notes, UserDataError, accepted

DRIVERS = {"geojson": {"GeoJSON"}, "kml": {"LIBKML", "KML"}}
#: LIBKML's styling fields, dropped from a placemark's properties.
KML_STYLE_FIELDS = {"tessellate", "extrude", "visibility", "drawOrder", "icon", "altitudeMode"}
#: The values of a GeoJSON object's ``type`` that GDAL's GeoJSON driver reads as such.
GEOJSON_TYPES = {
    "FeatureCollection",
    "Feature",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
#: A CRS given by name: an EPSG or OGC code, as ``EPSG:32637``, ``urn:ogc:def:crs:EPSG::32637``
#: or ``OGC:CRS84``. Anything else (a link object, a URL, a file name) is refused before GDAL,
#: which would fetch or open it.
CRS_NAME = re.compile(
    r"(?:EPSG|OGC|CRS):[A-Za-z0-9.]+|urn:ogc:def:crs:(?:EPSG|OGC|CRS)::?[A-Za-z0-9.]*:?[A-Za-z0-9.]+",
    re.IGNORECASE,
)
#: GDAL configuration for reading users' bytes: nothing outside them is fetched or opened.
#: ``/vsicurl/`` takes only names ending in an extension no URL has; GML and WFS schemas are
#: not downloaded; LIBKML resolves no external style; a remote resource may not name a local file.
CONFINED = {
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".kharkiv-map-no-remote-files",
    "GML_DOWNLOAD_SCHEMA": "NO",
    "GML_DOWNLOAD_WFS_SCHEMA": "NO",
    "LIBKML_EXTERNAL_STYLE": "NO",
    "LIBKML_RESOLVE_STYLE": "NO",
    "GDAL_ALLOW_REMOTE_RESOURCE_TO_ACCESS_LOCAL_FILE": "NO",
    "CPL_ALLOW_VSISTDIN": "NO",
}
#: What may stand before a KML document's root element: an XML declaration, comments,
#: processing instructions, a document type declaration, white space.
_XML_PROLOGUE = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.DOTALL)
_KML_ROOT = re.compile(r"\s*<(?:[A-Za-z_][\w.-]*:)?kml[\s/>]")


def _gdal_detail(err: Exception) -> str:
    text = re.sub(r"'?/vsimem/\S+'?", "the file", str(err)).split(";")[0].strip()
    return text[:160] + ("…" if len(text) > 160 else "")


class _CrsLink(Exception):
    """A GeoJSON ``crs`` member that is not a plain name (its value, for the message)."""

    def __init__(self, value: object):
        super().__init__(value)
        self.value = value


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


def check_content(text: str, fmt: str, shown: str) -> None:
    """Refuse, before GDAL sees it, a text that is not what its format says or that points
    outside itself: GeoJSON that is no JSON object of a GeoJSON type, or any of whose ``crs``
    members is a link or URL rather than a name; KML whose root element is not ``kml`` (an
    OGR VRT or WFS document, GML, any other XML)."""
    what = FORMATS[fmt]
    if fmt == "geojson":
        if not text.lstrip().startswith(("{", "[")):  # not JSON at all: XML, say
            raise UserDataError(
                _("{file} is not {format}: {accepted}.").format(
                    file=shown, format=what, accepted=accepted()
                )
            )
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
        except (ValueError, RecursionError) as err:
            raise UserDataError(
                _("{file} is not readable {format} ({why}): {accepted}.").format(
                    file=shown, format=what, why=_gdal_detail(err), accepted=accepted()
                )
            ) from None
        if not isinstance(value, dict) or value.get("type") not in GEOJSON_TYPES:
            found = value.get("type") if isinstance(value, dict) else None
            raise UserDataError(
                _("{file} is not readable {format} ({why}): {accepted}.").format(
                    file=shown,
                    format=what,
                    accepted=accepted(),
                    why=_("its type is {type}, not one of GeoJSON's").format(type=echo(found)),
                )
            )
        return
    position = 0
    while (part := _XML_PROLOGUE.match(text, position)) and part.end() > position:
        position = part.end()
    if not _KML_ROOT.match(text, position):
        raise UserDataError(
            _("{file} is not {format}: {accepted}.").format(
                file=shown, format=what, accepted=accepted()
            )
        )


def read_features(text: str, fmt: str, notes: Notes) -> tuple[list, str | None]:
    """(geometry, properties, where) for each feature of a GeoJSON or KML text, and its CRS."""
    import pyogrio
    import pyogrio.raw

    shown = notes.name
    check_content(text, fmt, shown)
    pyogrio.set_gdal_config_options(CONFINED)
    if fmt == "kml":  # the text is Unicode now: tell GDAL so
        text = re.sub(
            r"^\s*<\?xml[^>]*\?>", '<?xml version="1.0" encoding="UTF-8"?>', text, count=1
        )
    data = text.encode("utf-8")
    what = FORMATS[fmt]
    found, crs, count = [], None, 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layers = list(pyogrio.list_layers(data)[:, 0])
            infos = [
                pyogrio.read_info(data, layer=i, force_feature_count=True)
                for i in range(len(layers))
            ]
            drivers = {info["driver"] for info in infos}
            if not infos or not drivers <= DRIVERS[fmt]:
                raise UserDataError(
                    _("{file} is not {format}: {accepted}.").format(
                        file=shown, format=what, accepted=accepted()
                    )
                )
            count = sum(max(int(info["features"]), 0) for info in infos)
            if count > MAX_FEATURES:
                raise UserDataError(
                    _("{file} has {count} features, over the limit of {limit}: split it.").format(
                        file=shown, count=i18n.number(count), limit=i18n.number(MAX_FEATURES)
                    )
                )
            crs = next((info["crs"] for info in infos if info["crs"]), None)
            for index, (layer, info) in enumerate(zip(layers, infos)):
                meta, _fids, wkb, columns = pyogrio.raw.read(
                    data, layer=index, datetime_as_string=True
                )
                names, integer = (
                    list(meta["fields"]),
                    [t.startswith("OFTInteger") for t in meta["ogr_types"]],
                )
                for i, blob in enumerate(wkb):
                    where = (
                        _("feature {number} (layer {layer})")
                        if len(layers) > 1
                        else _("feature {number}")
                    ).format(number=len(found) + 1, layer=echo(layer))
                    props = {
                        n: _value(col[i], whole)
                        for n, col, whole in zip(names, columns, integer)
                        if not (info["driver"] != "GeoJSON" and n in KML_STYLE_FIELDS)
                    }
                    props = {k: v for k, v in props.items() if v is not None}
                    found.append((None if blob is None else shapely.from_wkb(blob), props, where))
    except UserDataError:
        raise
    except Exception as err:  # GDAL reports malformed input through several exception types
        raise UserDataError(
            _("{file} is not readable {format} ({why}): {accepted}.").format(
                file=shown, format=what, why=_gdal_detail(err), accepted=accepted()
            )
        ) from None
    return found, crs


def _value(value, whole: bool = False):
    """A property value as plain Python: None for missing, lists for arrays, an integer
    field's value as an int (pyogrio gives floats for an integer column with gaps)."""
    if isinstance(value, np.ndarray):
        return [_value(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bytes):
        return value.hex()
    return int(value) if whole and isinstance(value, float) and value.is_integer() else value
