"""The folium map: parameters in, ``folium.Map`` out.

Every layer sits in its own FeatureGroup listed in the layer control. Colours are from the
Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), and each
zone differs in its outline too (solid, dashed, dotted), so the legend reads in greyscale.
All text reaches the page escaped: popups are rendered by an autoescaping Jinja template,
tooltips and the legend are escaped or set as text.

Drawn geometry is simplified by at most ``DISPLAY_TOLERANCE_M`` (country outlines by
``COUNTRY_TOLERANCE_M``), in the regional projection, to keep the page light; every figure
is measured on the full geometry.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache

import folium
import folium.plugins
import jinja2
import numpy as np
import shapely
from branca.element import MacroElement
from folium.template import Template

from geo import geodesy, places
from geo.data import region
from geo.facts import facts
from geo.zones import Layers

DISPLAY_TOLERANCE_M = 150.0
#: Islands and lakes smaller than this are left out of the drawing (not of the figures).
DISPLAY_MIN_AREA_M2 = 25e6
#: Coarser simplification for the country outlines and for the minimap's outlines.
COUNTRY_TOLERANCE_M = 500.0
MINIMAP_TOLERANCE_M = 5_000.0
BASEMAPS = ("osm", "none")
MAP_TITLE = "Kharkiv, May 2024: where U.S. weapons could strike back"
OPENING_VIEW = {"location": (50.1, 37.0), "zoom_start": 7}

#: key -> (legend label, style). Okabe–Ito colours; outlines differ by dash pattern.
STYLES = {
    "deep_strike_zone": (
        "Still prohibited: Russia from D to 300 km (ATACMS reach) of the Kharkiv sector",
        {"color": "#D55E00", "weight": 2, "dashArray": "10 6", "fillColor": "#D55E00", "fillOpacity": 0.15},
    ),
    "counterfire_zone": (
        "Counterfire zone: Russia within D of the Kharkiv sector",
        {"color": "#0072B2", "weight": 2.5, "fillColor": "#0072B2", "fillOpacity": 0.3},
    ),
    "border_band": (
        "Ukraine within R of the Russian border",
        {"color": "#E69F00", "weight": 2, "dashArray": "2 5", "fillColor": "#E69F00", "fillOpacity": 0.35},
    ),
    "kharkiv_ring": (
        "Circle of radius R around Kharkiv's centre",
        {"color": "#009E73", "weight": 3, "dashArray": "12 4 2 4", "fill": False},
    ),
    "border": ("Russia–Ukraine land border", {"color": "#000000", "weight": 2.5}),
    "kharkiv_sector": (
        "Kharkiv sector: the border of Kharkiv Oblast with Russia",
        {"color": "#CC79A7", "weight": 7, "opacity": 0.9},
    ),
    "kharkiv_to_border": (
        "Shortest distance from Kharkiv's centre to the border",
        {"color": "#000000", "weight": 2, "dashArray": "4 4"},
    ),
}
LAYER_TITLES = {
    "deep_strike_zone": "Prohibited deep strikes",
    "counterfire_zone": "Counterfire zone",
    "border_band": "Border band (R)",
    "kharkiv_ring": "Ring around Kharkiv (R)",
    "border": "Land border",
    "kharkiv_sector": "Kharkiv sector",
    "kharkiv_to_border": "Kharkiv to border",
    "places": "Places",
}
COUNTRY_STYLE = {
    "osm": {"color": "#555555", "weight": 1, "fill": False},
    "none": {"color": "#777777", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 1.0},
}
NONE_BACKGROUND = "#cfe0ec"

CITY_LABEL = (
    '<div class="kharkiv-city-label" style="font:bold 14px/1.2 sans-serif;color:#222;white-space:nowrap;'
    'text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff">{name}</div>'
)

_env = jinja2.Environment(autoescape=True)
POPUP = _env.from_string(
    """<div style="max-width:320px;font-size:14px">
<b>{{ name }}</b>{% if not named %} <i>(context, not named in the article)</i>{% endif %}<br>
<span>{{ note }}</span>
{% if quote %}<blockquote style="margin:6px 0;padding-left:8px;border-left:3px solid #999">
&ldquo;{{ quote }}&rdquo;<br><small>article, paragraph {{ paragraph }}</small></blockquote>{% endif %}
{% if kind == 'city' %}<div>To Kharkiv: {{ "%.1f"|format(to_kharkiv) }} km
({{ "%.1f"|format(to_kharkiv / 1.609344) }} mi)</div>
<div>To the border: {{ "%.1f"|format(to_border) }} km ({{ "%.1f"|format(to_border / 1.609344) }} mi)</div>
{% else %}<div><small>Label point for the country name.</small></div>{% endif %}
<div><small>{{ lat }}, {{ lon }}</small></div></div>"""
)


class Legend(MacroElement):
    """A Leaflet control listing each layer's colour and meaning. Its entries travel as
    JSON and are written with ``textContent``, so nothing in them is read as HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "kharkiv-legend");
                div.style.cssText = "background:rgba(255,255,255,0.92);padding:6px 8px;"
                    + "font:13px/1.35 sans-serif;border-radius:4px;max-width:330px;"
                    + "box-shadow:0 1px 4px rgba(0,0,0,0.4)";
                var heading = L.DomUtil.create("div", "", div);
                heading.style.cssText = "font-weight:bold;font-size:14px";
                heading.textContent = {{ this.heading|tojson }};
                var title = L.DomUtil.create("div", "", div);
                title.style.fontWeight = "bold";
                title.textContent = {{ this.title|tojson }};
                {{ this.entries|tojson }}.forEach(function (e) {
                    var row = L.DomUtil.create("div", "", div);
                    row.style.cssText = "display:flex;align-items:center;margin:2px 0";
                    var swatch = L.DomUtil.create("span", "", row);
                    swatch.style.cssText = "flex:0 0 26px;height:12px;margin-right:6px;"
                        + "border:" + e.weight + "px " + e.border + " " + e.color + ";"
                        + "background:" + e.fill;
                    var text = L.DomUtil.create("span", "", row);
                    text.textContent = e.label;
                });
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, heading: str, title: str, entries: list[dict]):
        super().__init__()
        self._name = "Legend"
        self.heading = heading
        self.title = title
        self.entries = entries


class Background(MacroElement):
    """The map's plain background colour (the sea and the world beyond the data) for the
    tile-free basemap."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.getContainer().style.background = {{ this.colour|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, colour: str):
        super().__init__()
        self._name = "Background"
        self.colour = colour


class OutlineMiniMap(folium.plugins.MiniMap):
    """The MiniMap plugin drawing the country outlines instead of tiles, for the tile-free
    basemap (the plugin accepts any Leaflet layer)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_layer = L.geoJson({{ this.outline|tojson }},
                {style: function () { return {{ this.style|tojson }}; }});
            var {{ this.get_name() }} = new L.Control.MiniMap(
                {{ this.get_name() }}_layer, {{ this.options|tojavascript }});
            {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, outline: dict, style: dict, **kwargs):
        super().__init__(**kwargs)
        self.outline = outline
        self.style = style


def _display(geom: shapely.Geometry, tolerance_m: float = DISPLAY_TOLERANCE_M, *, in_metres: bool = False) -> dict:
    """GeoJSON geometry for drawing: simplified in metres, rounded to 1e-5 degrees."""
    if geom.is_empty:
        return {"type": "GeometryCollection", "geometries": []}
    metric = geom if in_metres else geodesy.to_metres(geom)
    metric = drop_small(metric, max((10 * tolerance_m) ** 2, DISPLAY_MIN_AREA_M2))
    simple = geodesy.to_degrees(metric.simplify(tolerance_m))
    rounded = shapely.transform(simple, lambda xy: np.round(xy, 5))
    return json.loads(shapely.to_geojson(rounded))


def drop_small(geom_m: shapely.Geometry, min_area_m2: float) -> shapely.Geometry:
    """For drawing only: the polygons without the islands and holes (lakes, in the land-only
    source) smaller than ``min_area_m2``. Lines pass through unchanged."""
    parts = shapely.get_parts(geom_m)
    if not len(parts) or parts[0].geom_type != "Polygon":
        return geom_m
    kept = []
    for part in parts[shapely.area(parts) >= min_area_m2]:
        rings = shapely.get_rings(part)
        holes = rings[1:][shapely.area(shapely.polygons(rings[1:])) >= min_area_m2]
        kept.append(shapely.Polygon(rings[0], holes))
    return shapely.MultiPolygon(kept) if kept else shapely.Polygon()


def _feature(geom: shapely.Geometry, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": _display(geom)}


@lru_cache(maxsize=16)
def _drawn_layers(layers: Layers) -> str:
    """Every layer's drawing GeoJSON (JSON text keyed by layer), simplified once per set of
    layers: a map of the same layers with other layers shown or another basemap does no
    geometric work. Text, so that no caller can change the cached copy."""
    return json.dumps({key: _feature(getattr(layers, key), layer=key) for key in Layers.NAMES})


@lru_cache(maxsize=16)
def _place_figures(layers: Layers) -> str:
    """The places' measured figures (JSON text keyed by name), measured once per set of layers."""
    return json.dumps({row["name"]: row for row in facts(layers)["places"]})


@lru_cache(maxsize=4)
def country_outlines(tolerance_m: float) -> str:
    """The four countries as a GeoJSON FeatureCollection (text), simplified for drawing.
    The same for every parameter set, so built once per process."""
    reg = region()
    features = []
    for code, name in (("RUS", "Russia"), ("UKR", "Ukraine"), ("BLR", "Belarus"), ("MDA", "Moldova")):
        geom = reg.country(code)
        metric = {"RUS": reg.russia_m, "UKR": reg.ukraine_m}.get(code)
        shape = _display(metric, tolerance_m, in_metres=True) if metric is not None else _display(geom, tolerance_m)
        features.append({"type": "Feature", "properties": {"name": name}, "geometry": shape})
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))


def _style_fn(style: dict):
    return lambda _feature: style


def _legend_entries(layers: Layers) -> list[dict]:
    entries = []
    for key in Layers.NAMES:
        label, style = STYLES[key]
        label = label.replace(" R ", f" R = {_both(layers.params.radius)} ").replace(
            " D ", f" D = {layers.params.depth.km:.0f} km "
        )
        dash = style.get("dashArray")
        border = "solid" if not dash else ("dotted" if dash.startswith("2 ") else "dashed")
        fill = style.get("fillColor") if style.get("fill", True) and "fillColor" in style else "transparent"
        if fill != "transparent":
            fill = _rgba(fill, style.get("fillOpacity", 0.2))
        entries.append({"label": label, "color": style["color"], "border": border,
                         "weight": min(3, int(style["weight"])), "fill": fill})
    entries.append({"label": "Place named in the article (hollow: context)", "color": "#000000",
                    "border": "solid", "weight": 2, "fill": "#000000"})
    return entries


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _both(d) -> str:
    return f"{d.miles:.4g} mi / {d.km:.4g} km"


def _layer_tooltips(layers: Layers) -> dict[str, str]:
    p = layers.params
    gap = layers.kharkiv_to_border_distance
    return {
        "deep_strike_zone": f"Still prohibited: Russia {p.depth.km:.0f}–300 km from the Kharkiv sector",
        "counterfire_zone": f"Counterfire zone: Russia within {p.depth.km:.0f} km of the Kharkiv sector",
        "border_band": f"Ukraine within {_both(p.radius)} of the border",
        "kharkiv_ring": f"{_both(p.radius)} from Kharkiv's centre",
        "border": "Russia–Ukraine land border",
        "kharkiv_sector": "Kharkiv sector of the border",
        "kharkiv_to_border": f"Kharkiv centre to the border: {gap.km:.1f} km ({gap.miles:.1f} mi); "
        "the article says 12 miles",
    }


def build_map(layers: Layers, basemap: str = "osm", show: set[str] | None = None, *,
              layer_control: bool = True) -> folium.Map:
    """The whole map for one set of layers.

    ``basemap``: "osm" (OpenStreetMap tiles) or "none" (a plain background drawn from the
    embedded borders; needs no network). ``show``: the layer keys shown at first (all when
    None); hidden layers stay in the layer control. ``layer_control=False`` leaves the
    control out, for a host page that switches layers itself. An empty layer (the
    prohibited zone once D reaches 300 km) keeps its place in the control but draws nothing."""
    if basemap not in BASEMAPS:
        raise ValueError(f"basemap {basemap!r} is not one of {', '.join(BASEMAPS)}")
    visible = set(Layers.NAMES) | {"places"} if show is None else set(show)
    m = folium.Map(tiles=None, control_scale=True, **OPENING_VIEW)
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
    else:
        Background(NONE_BACKGROUND).add_to(m)

    folium.GeoJson(
        json.loads(country_outlines(COUNTRY_TOLERANCE_M)), name="Countries", style_function=_style_fn(COUNTRY_STYLE[basemap]),
        control=False, interactive=False,
    ).add_to(m)

    tooltips = _layer_tooltips(layers)
    drawn = json.loads(_drawn_layers(layers))
    for key in Layers.NAMES:
        group = folium.FeatureGroup(name=LAYER_TITLES[key], show=key in visible)
        if not getattr(layers, key).is_empty:
            folium.GeoJson(
                drawn[key],
                name=key,
                style_function=_style_fn(STYLES[key][1]),
                tooltip=folium.Tooltip(html.escape(tooltips[key]), sticky=True),
            ).add_to(group)
        group.add_to(m)

    _add_places(m, layers, "places" in visible)

    Legend(MAP_TITLE, f"R = {_both(layers.params.radius)}, D = {layers.params.depth.km:.0f} km",
           _legend_entries(layers)).add_to(m)
    if layer_control:
        folium.LayerControl(collapsed=False).add_to(m)
    folium.plugins.Fullscreen(position="topleft").add_to(m)
    m.add_child(folium.plugins.MeasureControl(position="topleft", primary_length_unit="kilometers",
                                              secondary_length_unit="miles",
                                              primary_area_unit="sqkilometers"))
    if basemap == "osm":
        folium.plugins.MiniMap(toggle_display=True, zoom_level_offset=-5).add_to(m)
    else:
        OutlineMiniMap(json.loads(country_outlines(MINIMAP_TOLERANCE_M)), COUNTRY_STYLE["none"], toggle_display=True,
                       zoom_level_offset=-5).add_to(m)
    return m


def _add_places(m: folium.Map, layers: Layers, show: bool) -> None:
    group = folium.FeatureGroup(name=LAYER_TITLES["places"], show=show)
    by_name = json.loads(_place_figures(layers))
    for place in places.places():
        row = by_name[place.name]
        popup = folium.Popup(
            POPUP.render(
                name=place.name, named=place.named_in_article, note=place.note, quote=place.quote,
                paragraph=place.paragraph, kind=place.kind, lat=place.lat, lon=place.lon,
                to_kharkiv=row["distance_to_kharkiv_km"], to_border=row["distance_to_border_km"],
            ),
            max_width=340,
        )
        tooltip = folium.Tooltip(html.escape(place.name))
        if place.kind == "country":
            label = html.escape(place.name)
            icon = folium.DivIcon(
                html=f'<div class="kharkiv-country-label" style="font:bold 18px sans-serif;'
                f'color:#333;text-shadow:0 0 3px #fff;white-space:nowrap">{label}</div>',
                icon_size=(120, 24), icon_anchor=(60, 12),
            )
            folium.Marker((place.lat, place.lon), icon=icon, popup=popup, tooltip=tooltip).add_to(group)
        else:
            folium.CircleMarker(
                (place.lat, place.lon), radius=7, weight=2, color="#000000",
                fill=True, fill_color="#000000" if place.named_in_article else "#ffffff",
                fill_opacity=1.0, popup=popup, tooltip=tooltip,
            ).add_to(group)
            # The name beside the marker, so a projected map reads without hovering. Not
            # clickable: clicks go to the marker or the map.
            label = folium.DivIcon(html=CITY_LABEL.format(name=html.escape(place.name)),
                                   icon_size=(220, 18), icon_anchor=(-10, 9))
            folium.Marker((place.lat, place.lon), icon=label, interactive=False).add_to(group)
    group.add_to(m)
