"""The folium map: built layers in, ``folium.Map`` out.

Every layer of ``geo.engine.layers.REGISTRY`` sits in its own FeatureGroup listed in the layer
control, drawn from the drawing geometry the layer was built with (no projection, no
measuring, no JSON parsing here). Colours, outlines and legend sentences come from the
registry. All text reaches the page through ``geo.core.escape.html_text`` or as JSON written with
``textContent``, in the current language (``geo.i18n``), made here for each map: nothing kept
with the built layers holds text.

The app draws a map in two parts, so that a change of R, D or the stage redraws only what
changed: :func:`build_map` with ``base=True`` (the same for every set of parameters: kept in
the browser) and :func:`overlay` (the layers drawn from R, D and the stage, and the sentences
about them). An exported page is one whole map (``base=False``).
"""

from __future__ import annotations

import folium
import folium.plugins

from geo.core.escape import html_text
from geo.core.units import length_text
from geo.data import display, source
from geo.engine import layers as registry
from geo.engine.facts import PlaceFigures, place_figures
from geo.engine.layers import Layers
from geo.i18n import N_, _, decimal_sign, pgettext
from geo.narrative import describe
from geo.render.web.elements import (
    Background,
    Description,
    DrawnShape,
    FocusAndPrint,
    GeometryDecoder,
    LayerGroup,
    LeanMap,
    OutlineMiniMap,
    Outlines,
    Panes,
    PlacePopup,
    SmallScreens,
    ZoomControl,
)
from geo.render.web.legend import Legend, ViewText

#: The map's title, in English (``_(MAP_TITLE)`` where shown).
MAP_TITLE = N_("Kharkiv, May 2024: where U.S. weapons could strike back")
OPENING_VIEW = {"location": (50.1, 37.0), "zoom_start": 7}
COUNTRY_STYLE = {
    "osm": {"color": "#555555", "weight": 1, "fill": False},
    "none": {"color": "#777777", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 1.0},
}
NONE_BACKGROUND = "#cfe0ec"
#: The layers drawn from R, D or the stage (each names what it depends on), bottom first, and
#: the others. All of the first lie under all of the second (``geo.engine.layers.GEOMETRIC``'s order).
PARAMETRIC = tuple(spec for spec in registry.GEOMETRIC if spec.depends)
FIXED = tuple(spec for spec in registry.GEOMETRIC if not spec.depends)
#: Leaflet panes under its overlay pane (400), where the lines and places are drawn: the
#: country outlines at the bottom, then the areas drawn from R, D and the stage, so that areas
#: added later (the app's overlay) still lie under the lines and places (``geo.render.web.elements.Panes``).
OUTLINES_PANE, ZONES_PANE = ("kharkivOutlines", 380), ("kharkivZones", 390)

CITY_LABEL = (
    '<div class="kharkiv-city-label" style="font:bold 14px/1.2 '
    "sans-serif;color:#222;white-space:nowrap;"
    'text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff">{name}</div>'
)
COUNTRY_LABEL = (
    '<div class="kharkiv-country-label" style="font:bold 18px sans-serif;color:#333;'
    'text-shadow:0 0 3px #fff;white-space:nowrap">{name}</div>'
)


#: The basemaps: OpenStreetMap tiles, or none (a plain background; works offline).
BASEMAPS = ("osm", "none")


def popup_html(row: PlaceFigures) -> str:
    """A place's popup: name, note, quote and distances, every value through ``html_text``. The
    quote stays in English; the line under it says so in another language."""
    place, e = row.place, html_text
    parts = [f'<div style="max-width:320px;font-size:14px"><b>{e(place.label)}</b>']
    if not place.named_in_article:
        parts.append(" <i>" + e(_("(context, not named in the article)")) + "</i>")
    parts.append(f"<br><span>{e(_(place.note))}</span>")
    if place.quote:
        source = _("article, paragraph {paragraph}").format(paragraph=place.paragraph)
        parts.append(
            '<blockquote style="margin:6px 0;padding-left:8px;border-left:3px solid #999">'
            f"&ldquo;{e(place.quote)}&rdquo;<br><small>{e(source)}</small></blockquote>"
        )
    if row.to_kharkiv is not None:
        to_kharkiv = _("To Kharkiv: {distance}").format(distance=length_text(row.to_kharkiv))
        to_border = _("To the border: {distance}").format(distance=length_text(row.to_border))
        parts.append(f"<div>{e(to_kharkiv)}</div><div>{e(to_border)}</div>")
    else:
        parts.append("<div><small>" + e(_("Label point for the country name.")) + "</small></div>")
    lat, lon = (str(value).replace(".", decimal_sign()) for value in (place.lat, place.lon))
    where = pgettext("coordinates", "{lat}, {lon}").format(lat=lat, lon=lon)
    parts.append(f"<div><small>{e(where)}</small></div></div>")
    return "".join(parts)


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def legend_entries(values: dict[str, str], blank: set[str] = frozenset()) -> list[dict]:
    """One legend row per layer (drawing order, places last), from the registry; the rows of
    the layers in ``blank`` without their sentence (for ``geo.render.web.legend.ViewText`` to write)."""
    entries = []
    for spec in (*registry.GEOMETRIC, registry.BY_KEY["places"]):
        style = spec.style
        filled = style.get("fill", True) and "fillColor" in style
        entries.append(
            {
                "key": spec.key,
                "label": "" if spec.key in blank else spec.text(spec.legend, values),
                "color": style["color"],
                "border": spec.outline,
                "weight": min(3, int(style["weight"])),
                "fill": _rgba(style["fillColor"], style.get("fillOpacity", 0.2))
                if filled
                else "transparent",
            }
        )
    return entries


def tooltip(spec: registry.LayerSpec, values: dict[str, str]) -> str:
    if spec.tooltip:
        return spec.text(spec.tooltip, values)
    return f"{_(spec.title)}: {spec.text(spec.legend, values)}"


def build_map(
    layers: Layers,
    basemap: str = "osm",
    show: set[str] | None = None,
    *,
    layer_control: bool = True,
    radius_unit: str = "mi",
    extra_legend: tuple[dict, ...] = (),
    base: bool = False,
    legend_folded: bool = False,
) -> folium.Map:
    """The whole map for one set of layers.

    ``basemap``: "osm" (OpenStreetMap tiles) or "none" (a plain background drawn from the
    embedded borders; needs no network). ``show``: the layer keys shown at first (all when
    None); hidden layers stay in the layer control. ``layer_control=False`` leaves the
    control out, for a host page that switches layers itself. An empty layer (the
    prohibited zone once D reaches 300 km) keeps its place in the control but draws nothing.
    ``extra_legend``: legend rows for layers the caller adds (a user's own file).
    ``legend_folded``: the legend starts folded behind its button on every screen (it always
    does on a small one).

    ``base=True``: only what does not depend on R, D or the stage (the same map for every
    ``Params``), for a host page that keeps it drawn and adds :func:`overlay` on top: the
    layers of :data:`PARAMETRIC`, the legend's sentences about them and the text description
    are left out (empty), for the overlay to draw and write."""
    if basemap not in BASEMAPS:
        raise ValueError(f"basemap {basemap!r} is not one of {', '.join(BASEMAPS)}")
    visible = set(registry.KEYS) if show is None else set(show)
    values = layers.values(radius_unit)
    m = LeanMap(tiles=None, control_scale=True, zoom_control=False, **OPENING_VIEW)
    ZoomControl(_("Zoom in"), _("Zoom out")).add_to(m)
    GeometryDecoder().add_to(m)
    credit = _(
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    )
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False, attr=credit).add_to(
            m
        )
    else:
        Background(NONE_BACKGROUND).add_to(m)
    Panes((OUTLINES_PANE, ZONES_PANE)).add_to(m)
    border_source = layers.params.source
    Outlines(
        display.country_outlines(display.COUNTRY_TOLERANCE_M, border_source),
        COUNTRY_STYLE[basemap],
        pane=OUTLINES_PANE[0],
        attribution=html_text(_(source.BY_ID[border_source].borders_credit)),
    ).add_to(m)

    for spec in FIXED if base else registry.GEOMETRIC:
        layer_group(spec.key, layers, values, show=spec.key in visible).add_to(m)
    _add_places(m, "places" in visible, border_source)

    title = _(MAP_TITLE)
    entries = legend_entries(values, blank={spec.key for spec in PARAMETRIC} if base else set())
    Legend(
        title,
        "" if base else values_line(values),
        entries + list(extra_legend),
        folded=legend_folded,
    ).add_to(m)
    Description(title, () if base else describe.paragraphs(layers, visible, radius_unit)).add_to(m)
    FocusAndPrint().add_to(m)
    control = folium.LayerControl(collapsed=False) if layer_control else None
    if control is not None:
        control.add_to(m)
    # After the layer control: it folds the control on a small screen.
    SmallScreens(control).add_to(m)
    folium.plugins.Fullscreen(
        position="topleft", title=_("Full Screen"), title_cancel=_("Exit Full Screen")
    ).add_to(m)
    minimap = {
        "toggle_display": True,
        "zoom_level_offset": -5,
        "strings": {"hideText": _("Hide MiniMap"), "showText": _("Show MiniMap")},
    }
    if basemap == "osm":
        folium.plugins.MiniMap(folium.TileLayer("OpenStreetMap", attr=credit), **minimap).add_to(m)
    else:
        OutlineMiniMap(
            display.country_outlines(display.MINIMAP_TOLERANCE_M, border_source),
            COUNTRY_STYLE["none"],
            **minimap,
        ).add_to(m)
    return m


def overlay(
    layers: Layers, show: set[str] | None = None, radius_unit: str = "mi"
) -> folium.FeatureGroup:
    """What a base map (``build_map(..., base=True)``) lacks for one view, as one group to add
    on top of it: the shown layers of :data:`PARAMETRIC` (drawn as :func:`build_map` draws
    them, bottom first) and the view's sentences (``geo.render.web.legend.ViewText``: the legend's
    values line and rows, the text description)."""
    visible = set(registry.KEYS) if show is None else set(show)
    values = layers.values(radius_unit)
    group = folium.FeatureGroup(control=False)
    for spec in PARAMETRIC:
        if spec.key in visible:
            _draw(spec, layers, values, group)
    labels = {spec.key: spec.text(spec.legend, values) for spec in PARAMETRIC}
    ViewText(values_line(values), labels, describe.paragraphs(layers, visible, radius_unit)).add_to(
        group
    )
    return group


def values_line(values: dict[str, str]) -> str:
    """The legend's line under its heading: ``R = 12 mi (19.31 km), D = 80 km``."""
    return f"R = {values['R']}, D = {values['D']}"


def layer_group(
    key: str,
    layers: Layers,
    values: dict[str, str] | None = None,
    *,
    show: bool = True,
    control: bool = True,
) -> LayerGroup:
    """The group drawing one layer of ``layers`` (a key of :data:`geo.engine.layers.GEOMETRIC`),
    named in the layer control by its title; ``values``: ``layers.values(radius_unit)``."""
    spec = registry.BY_KEY[key]
    group = LayerGroup(key, _(spec.title), show=show, control=control)
    _draw(spec, layers, layers.values() if values is None else values, group)
    return group


def layer_groups(m: folium.Map) -> dict[str, LayerGroup]:
    """The groups :func:`build_map` drew on ``m``, by layer key (places included)."""
    return {
        child.key: child
        for child in getattr(m, "_children", {}).values()
        if isinstance(child, LayerGroup)
    }


def _draw(
    spec: registry.LayerSpec, layers: Layers, values: dict[str, str], group: folium.FeatureGroup
) -> None:
    """A layer's drawing into ``group`` (nothing for an empty layer); those drawn from R, D or
    the stage in their pane."""
    layer = layers[spec.key]
    if not layer.metric.is_empty:
        pane = ZONES_PANE[0] if spec.depends else None
        DrawnShape(layer.drawing, dict(spec.style), tooltip(spec, values), pane).add_to(group)


def _add_places(m: folium.Map, show: bool, border_source: str = source.DEFAULT) -> None:
    spec = registry.BY_KEY["places"]
    group = LayerGroup(spec.key, _(spec.title), show=show)
    for row in place_figures(border_source):
        place = row.place
        popup = PlacePopup(popup_html(row), max_width=340)
        tip = folium.Tooltip(html_text(place.label))
        if place.kind == "country":
            icon = folium.DivIcon(
                html=COUNTRY_LABEL.format(name=html_text(place.label)),
                icon_size=(120, 24),
                icon_anchor=(60, 12),
            )
            folium.Marker((place.lat, place.lon), icon=icon, popup=popup, tooltip=tip).add_to(group)
            continue
        folium.CircleMarker(
            (place.lat, place.lon),
            radius=7,
            weight=2,
            color="#000000",
            fill=True,
            fill_color="#000000" if place.named_in_article else "#ffffff",
            fill_opacity=1.0,
            popup=popup,
            tooltip=tip,
        ).add_to(group)
        # The name beside the marker, so a projected map reads without hovering. Not
        # clickable, nor a stop for the Tab key: clicks go to the marker or the map.
        label = folium.DivIcon(
            html=CITY_LABEL.format(name=html_text(place.label)),
            icon_size=(220, 18),
            icon_anchor=(-10, 9),
        )
        folium.Marker((place.lat, place.lon), icon=label, interactive=False, keyboard=False).add_to(
            group
        )
    group.add_to(m)
