"""GeoJSON and KML read by GDAL through pyogrio, for ``geo.userdata`` (which checks size and
encoding before, and coordinates after).

pyogrio hands GDAL the bytes as an in-memory ``/vsimem/`` file, so nothing is written to
disk. Only GDAL's GeoJSON, LIBKML and KML drivers are accepted, whatever else GDAL could
open from the same bytes; the feature count is read with ``pyogrio.read_info`` before any
feature is. Every layer (a KML folder) is read. Properties come back as plain Python values:
strings, numbers, lists; LIBKML's styling fields are dropped.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import shapely

from geo import i18n
from geo.i18n import _
from geo.units import echo
from geo.userdata import FORMATS, MAX_FEATURES, Notes, UserDataError, accepted

DRIVERS = {"geojson": {"GeoJSON"}, "kml": {"LIBKML", "KML"}}
#: LIBKML's styling fields, dropped from a placemark's properties.
KML_STYLE_FIELDS = {"tessellate", "extrude", "visibility", "drawOrder", "icon", "altitudeMode"}


def _gdal_detail(err: Exception) -> str:
    text = re.sub(r"'?/vsimem/\S+'?", "the file", str(err)).split(";")[0].strip()
    return text[:160] + ("…" if len(text) > 160 else "")


def read_features(text: str, fmt: str, notes: Notes) -> tuple[list, str | None]:
    """(geometry, properties, where) for each feature of a GeoJSON or KML text, and its CRS."""
    import pyogrio
    import pyogrio.raw

    shown = notes.name
    if fmt == "kml":  # the text is Unicode now: tell GDAL so
        text = re.sub(r"^\s*<\?xml[^>]*\?>", '<?xml version="1.0" encoding="UTF-8"?>', text, count=1)
    data = text.encode("utf-8")
    what = FORMATS[fmt]
    found, crs, count = [], None, 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layers = list(pyogrio.list_layers(data)[:, 0])
            infos = [pyogrio.read_info(data, layer=i, force_feature_count=True) for i in range(len(layers))]
            drivers = {info["driver"] for info in infos}
            if not infos or not drivers <= DRIVERS[fmt]:
                raise UserDataError(_("{file} is not {format}: {accepted}.").format(file=shown, format=what,
                                                                                      accepted=accepted()))
            count = sum(max(int(info["features"]), 0) for info in infos)
            if count > MAX_FEATURES:
                raise UserDataError(_("{file} has {count} features, over the limit of {limit}: split it.")
                                    .format(file=shown, count=i18n.number(count), limit=i18n.number(MAX_FEATURES)))
            crs = next((info["crs"] for info in infos if info["crs"]), None)
            for index, (layer, info) in enumerate(zip(layers, infos)):
                meta, _fids, wkb, columns = pyogrio.raw.read(data, layer=index, datetime_as_string=True)
                names, integer = list(meta["fields"]), [t.startswith("OFTInteger") for t in meta["ogr_types"]]
                for i, blob in enumerate(wkb):
                    where = (_("feature {number} (layer {layer})") if len(layers) > 1 else _("feature {number}")).format(
                        number=len(found) + 1, layer=echo(layer))
                    props = {n: _value(col[i], whole) for n, col, whole in zip(names, columns, integer)
                             if not (info["driver"] != "GeoJSON" and n in KML_STYLE_FIELDS)}
                    props = {k: v for k, v in props.items() if v is not None}
                    found.append((None if blob is None else shapely.from_wkb(blob), props, where))
    except UserDataError:
        raise
    except Exception as err:  # GDAL reports malformed input through several exception types
        raise UserDataError(_("{file} is not readable {format} ({why}): {accepted}.")
                            .format(file=shown, format=what, why=_gdal_detail(err), accepted=accepted())) from None
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
