"""A user's own features drawn on the map: one layer, its own legend entry, and a popup per
feature with its own properties and the answers (zone, country, distances).

Every text from the user's file reaches the page through ``geo.core.escape.html_text`` (keys and
values alike), and the drawing data travels as JSON (the app's map component's data), so no
property can end a script or run as code. Points are small circles, lines and areas are
drawn in one colour not used by the zones (Okabe–Ito yellow, #F0E442, outlined in black).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence

import shapely

from geo import i18n
from geo.core.escape import html_text
from geo.core.units import length_text
from geo.engine.classify import Row
from geo.i18n import _, ngettext

STYLE = {"color": "#000000", "weight": 1.5, "fillColor": "#F0E442", "fillOpacity": 0.8}
#: Properties shown in a popup, and the longest value shown.
MAX_PROPERTIES, MAX_VALUE_CHARS = 12, 200
#: Coordinates drawn to 5 decimals (about 1 m).
DECIMALS = 5


def _text(value: object) -> str:
    text = "" if value is None else str(value)
    return html_text(text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…")


def popup_html(row: Row) -> str:
    """The user's own properties, then the answers; every value escaped."""
    props = row.feature.properties
    parts = [f'<div style="max-width:320px;font-size:13px"><b>{_text(row.feature.where)}</b>']
    for key, value in itertools.islice(props.items(), MAX_PROPERTIES):  # not all 1,000
        parts.append(f"<div><i>{_text(key)}</i>: {_text(value)}</div>")
    if len(props) > MAX_PROPERTIES:
        more = (
            len(props) - MAX_PROPERTIES
        )  # the sentences are the catalogue's; only values are escaped
        parts.append(
            "<div><small>{}</small></div>".format(
                ngettext(
                    "{count} more property in the download",
                    "{count} more properties in the download",
                    more,
                ).format(count=more)
            )
        )
    parts.append(
        f"<hr style='margin:4px 0'><div><b>{_text(row.zone_name)}</b> "
        f"({_text(_(row.country))})</div>"
    )
    parts.append(
        "<div>{}</div>".format(
            _("To the border: {distance}").format(distance=_text(length_text(row.to_border)))
        )
    )
    parts.append(
        "<div>{}</div></div>".format(
            _("To Kharkiv's centre: {distance}").format(distance=_text(length_text(row.to_kharkiv)))
        )
    )
    return "".join(parts)


def _label(row: Row) -> str:
    for key in ("name", "Name", "NAME", "title", "label"):
        if row.feature.properties.get(key) not in (None, ""):
            return _text(row.feature.properties[key])
    return _text(row.feature.where)


def feature_collection(rows: Sequence[Row]) -> dict:
    """The rows as GeoJSON for drawing, each with its escaped popup and label."""
    features = []
    for row in rows:
        geometry = shapely.transform(row.feature.geometry, lambda xy: xy.round(DECIMALS))
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(shapely.to_geojson(geometry)),
                "properties": {"popup": popup_html(row), "label": _label(row)},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def legend_entry(title: str, count: int) -> dict:
    """The layer's line in the map's legend (the same shape as ``mapview.legend_entries``)."""
    label = ngettext("{title} ({count} feature)", "{title} ({count} features)", count)
    return {
        "label": label.format(title=title, count=i18n.number(count)),
        "color": STYLE["color"],
        "border": "solid",
        "weight": 1,
        "fill": STYLE["fillColor"],
    }


def features(rows: Sequence[Row]) -> dict:
    """The layer as data for the app's map component (``pages/shared/mapcomponent.js``), which
    draws points as small circles and lines and areas in :data:`STYLE`, each feature with its
    popup and its label (both escaped here)."""
    return {"data": feature_collection(rows), "style": dict(STYLE)}
