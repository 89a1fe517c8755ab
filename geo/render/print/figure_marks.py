"""What ``geo.render.print.figure`` draws, in the web map's styles: the country outlines (filled light), each
shown layer in its colours and line patterns, the places (filled: named in the article;
hollow: context) with their names and the country names at their label points, a scale bar
in km and mi, a north arrow, and the legend: the sentences of ``geo.engine.layers.REGISTRY`` filled
in for R and D, each with its measured figure.

Every geometry is in the regional AEQD projection (metres, ``geo.core.geodesy``). Styles come from
``geo.engine.layers.REGISTRY`` as Leaflet options: weights and ``dashArray`` are CSS pixels, drawn
here as points (1 px = 0.75 pt, CSS's own ratio) with round caps and joins, as Leaflet draws
them. Sizes of marks are given in points (``pt``: metres per point on the map), so a figure
keeps its proportions at any pixel size.
"""

from __future__ import annotations

import math
import textwrap
from functools import lru_cache

import shapely
import shapely.ops
from matplotlib import patheffects
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path

from geo.core import geodesy
from geo.core.cache import once_per
from geo.core.units import area_text, distance, length_text, symbol
from geo.data import display, source
from geo.data.borders import region
from geo.engine import layers as registry
from geo.engine import places
from geo.engine.layers import Layers
from geo.i18n import _, pgettext, plain
from geo.render.web.mapview import COUNTRY_STYLE

PT_PER_PX = 0.75
HALO = [patheffects.withStroke(linewidth=3, foreground="white")]
#: The scale bar's thickness in points (the tests find it in the picture by it).
BAR_PT = 3.5
#: Legend type sizes tried, largest first, until the legend fits its box.
LEGEND_SIZES = (12.5, 11.5, 10.5, 9.5, 8.5)
COUNTRIES = ("RUS", "UKR", "BLR", "MDA")


def clipped(geom: shapely.Geometry, extent, mpp: float) -> shapely.Geometry:
    """For drawing: clipped a little beyond the view, simplified to half a pixel, islands and
    lakes under 20 pixels across (or under 25 km², as on the web map) left out."""
    x0, y0, x1, y1 = extent
    pad = 0.05 * (x1 - x0)
    local = shapely.clip_by_rect(geom, x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    return display.drop_small(
        local.simplify(mpp / 2), max(display.DISPLAY_MIN_AREA_M2, (20 * mpp) ** 2)
    )


def path(geom: shapely.Geometry) -> Path:
    """A matplotlib path of every ring (holes included) or line of a geometry."""
    paths = []
    for part in shapely.get_parts(geom):
        for ring in shapely.get_rings(part) if part.geom_type == "Polygon" else [part]:
            coords = shapely.get_coordinates(ring)
            if len(coords) >= 2:
                paths.append(Path(coords, [Path.MOVETO] + [Path.LINETO] * (len(coords) - 1)))
    return Path.make_compound_path(*paths) if paths else Path([(0.0, 0.0)], [Path.MOVETO])


def style(leaflet) -> dict:
    """Leaflet path options as matplotlib patch options: ``"10 6"`` px dashes become (7.5, 4.5)
    pt; a polygon fills with ``fillColor`` at ``fillOpacity`` unless ``fill`` is false."""
    dashes = [float(n) * PT_PER_PX for n in str(leaflet.get("dashArray", "")).split()]
    filled = leaflet.get("fill", True) and "fillColor" in leaflet
    return {
        "facecolor": to_rgba(leaflet["fillColor"], leaflet.get("fillOpacity", 0.2))
        if filled
        else "none",
        "edgecolor": to_rgba(leaflet["color"], leaflet.get("opacity", 1.0)),
        "linewidth": float(leaflet["weight"]) * PT_PER_PX,
        "linestyle": (0, dashes) if dashes else "solid",
        "capstyle": "round",
        "joinstyle": "round",
    }


def draw_layer(ax, spec: registry.LayerSpec, metric: shapely.Geometry, extent, mpp: float) -> None:
    ax.add_patch(PathPatch(path(clipped(metric, extent, mpp)), **style(spec.style)))


@once_per
def countries(border_source: str = source.DEFAULT) -> dict[str, shapely.Geometry]:
    """The four countries of a border source, in metres."""
    reg = region(border_source)
    return {
        "RUS": reg.russia_m,
        "UKR": reg.ukraine_m,
        "BLR": geodesy.to_metres(reg.belarus),
        "MDA": geodesy.to_metres(reg.moldova),
    }


def draw_countries(ax, extent, mpp: float, border_source: str = source.DEFAULT) -> None:
    """The countries of a border source filled light, as on the web map without a basemap."""
    look = COUNTRY_STYLE["none"]
    for geom in countries(border_source).values():
        ax.add_patch(
            PathPatch(
                path(clipped(geom, extent, mpp)),
                facecolor=look["fillColor"],
                edgecolor=look["color"],
                linewidth=1.5 * look["weight"] * PT_PER_PX,
                joinstyle="round",
            )
        )


def inset(extent, fraction: float):
    x0, y0, x1, y1 = extent
    dx, dy = fraction * (x1 - x0), fraction * (y1 - y0)
    return x0 + dx, y0 + dy, x1 - dx, y1 - dy


def _inside(extent, point: shapely.Point, fraction: float) -> bool:
    x0, y0, x1, y1 = inset(extent, fraction)
    return x0 < point.x < x1 and y0 < point.y < y1


def draw_places(ax, extent, border_source: str = source.DEFAULT) -> None:
    """City markers (filled: named in the article; hollow: context) with their names; country
    names at their label points, or, for a country whose label point is out of view, at the
    point of its visible part farthest from its edges and from the markers."""
    cities = []
    for place in places.places():
        point = geodesy.to_metres(shapely.Point(place.lon, place.lat))
        if place.kind != "city" or not _inside(extent, point, 0.02):
            continue
        cities.append(point)
        ax.plot(
            [point.x],
            [point.y],
            marker="o",
            markersize=14 * PT_PER_PX,
            markeredgewidth=2 * PT_PER_PX,
            markeredgecolor="black",
            markerfacecolor="black" if place.named_in_article else "white",
            zorder=10,
        )
        label(
            ax,
            (point.x, point.y),
            _(place.name),
            (8, 0),
            va="center",
            size=14,
            weight="bold",
            color="#222222",
            zorder=11,
        )
    keep_off = (
        shapely.MultiPoint(cities).buffer(0.15 * (extent[2] - extent[0]))
        if cities
        else shapely.Polygon()
    )
    for place in (p for p in places.places() if p.kind == "country"):
        code = next(code for code, name in display.COUNTRIES if name == place.name)
        point = geodesy.to_metres(shapely.Point(place.lon, place.lat))
        if not _inside(extent, point, 0.1):
            room = (
                countries(border_source)[code]
                .intersection(shapely.box(*inset(extent, 0.12)))
                .difference(keep_off)
            )
            parts = [p for p in shapely.get_parts(room) if p.geom_type == "Polygon"]
            if not parts:
                continue
            point = shapely.ops.polylabel(max(parts, key=lambda p: p.area), tolerance=1000.0)
        label(
            ax,
            (point.x, point.y),
            _(place.name).upper(),
            size=17,
            weight="bold",
            color="#555555",
            ha="center",
            va="center",
            zorder=9,
        )


def label(ax, xy, text: str, offset=(0, 0), **font) -> None:
    """Text on the map with a white halo. The halo is a copy drawn as outlines (path effects
    turn text into paths); the text on top stays text in SVG and PDF."""
    for look in ({"color": "white", "path_effects": HALO}, {}):
        ax.annotate(
            text,
            xy,
            xytext=offset,
            textcoords="offset points",
            annotation_clip=True,
            **{**font, **look},
        )


def round_length(value: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ not above ``value``."""
    power = 10 ** math.floor(math.log10(value))
    return max(step * power for step in (1, 2, 5) if step * power <= value)


def draw_scale_bars(ax, extent, pt: float):
    """Two solid bars at the bottom left, a round number of km over a round number of mi, each
    about a fifth of the map's width, on a white box. Returns ((Distance, label), ...)."""
    x0, y0, x1, _y1 = extent
    target = 0.22 * (x1 - x0)
    bars = (
        distance(round_length(target / 1000), "km"),
        distance(round_length(target / 1609.344), "mi"),
    )
    written = tuple(
        (plain(value), unit) for value, unit in ((bars[0].km, "km"), (bars[1].miles, "mi"))
    )
    labels = tuple(f"{text} {symbol(unit, text)}" for text, unit in written)
    left, base, gap = x0 + 16 * pt, y0 + 16 * pt, 13 * pt
    ax.add_patch(
        Rectangle(
            (left - 7 * pt, base - 7 * pt),
            max(b.m for b in bars) + 55 * pt,
            gap + BAR_PT * pt + 14 * pt,
            facecolor="white",
            edgecolor="#777777",
            linewidth=0.75,
            alpha=0.9,
            zorder=12,
        )
    )
    for i, (bar, label) in enumerate(zip(bars, labels)):
        y = base + (1 - i) * gap
        ax.add_patch(
            Rectangle((left, y), bar.m, BAR_PT * pt, facecolor="black", edgecolor="none", zorder=13)
        )
        ax.text(left + bar.m + 5 * pt, y + BAR_PT * pt / 2, label, size=13, va="center", zorder=13)
    return tuple(zip(bars, labels))


def draw_north_arrow(ax, extent, pt: float) -> None:
    """An arrow to true north at the top right of the map: in AEQD, north turns away from "up"
    with the distance from the central meridian (about 0.6° at Kharkiv)."""
    x0, y0, x1, y1 = extent
    base = shapely.Point(x1 - 24 * pt, y1 - 60 * pt)
    lonlat = geodesy.to_degrees(base)
    ahead = geodesy.to_metres(shapely.Point(lonlat.x, lonlat.y + 0.05))
    angle = math.atan2(ahead.x - base.x, ahead.y - base.y)
    tip = (base.x + 30 * pt * math.sin(angle), base.y + 30 * pt * math.cos(angle))
    ax.annotate(
        "",
        xy=tip,
        xytext=(base.x, base.y),
        zorder=12,
        arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.45", "lw": 3, "color": "black"},
    )
    label(
        ax,
        tip,
        pgettext("north arrow", "N"),
        size=18,
        weight="bold",
        ha="center",
        va="bottom",
        zorder=12,
    )


def _handle(spec: registry.LayerSpec):
    """A legend swatch: a marker for the places, a line for a line or an unfilled area, else a patch."""
    if spec.key == "places":
        return Line2D([], [], linestyle="none", marker="o", markersize=10, color="black")
    options = style(spec.style)
    if (spec.figure and spec.figure.kind == "length") or options["facecolor"] == "none":
        return Line2D(
            [],
            [],
            color=options["edgecolor"],
            linewidth=options["linewidth"],
            linestyle=options["linestyle"],
            dash_capstyle="round",
        )
    return Patch(**options)


def draw_legend(ax, layers: Layers, visible: set[str], values: dict[str, str]) -> None:
    """The shown layers' legend sentences (the registry's, filled in for R and D), each with its
    measured figure, in the app's order, in the largest type that fits the legend's box."""
    ax.set_axis_off()
    entries = []
    for spec in registry.REGISTRY:
        if spec.key not in visible or (spec.geometry and layers[spec.key].metric.is_empty):
            continue
        text = spec.text(spec.legend, values)
        if spec.figure:
            value = layers[spec.key].measure
            text += " — " + (area_text(value) if spec.figure.kind == "area" else length_text(value))
        entries.append((_handle(spec), text))
    if not entries:
        return
    renderer = ax.figure.canvas.get_renderer()
    room = ax.get_window_extent(renderer)
    handles, texts = zip(*entries)
    for size in LEGEND_SIZES:
        # Lines as long as the box allows, measured as drawn (Cyrillic runs wider than Latin).
        chars = int((room.width * 72 / ax.figure.dpi - 4 * size) / (0.56 * size))
        while True:
            legend = ax.legend(
                list(handles),
                [textwrap.fill(t, chars) for t in texts],
                loc="upper left",
                frameon=False,
                fontsize=size,
                handlelength=2.6,
                handleheight=1.4,
                labelspacing=0.7,
                borderaxespad=0,
                borderpad=0,
                title=_("Legend"),
                alignment="left",
                title_fontproperties={"size": size + 1.5, "weight": "bold"},
            )
            drawn = legend.get_window_extent(renderer)
            if drawn.x1 <= room.x1 or chars <= 20:
                break
            chars = int(chars * 0.93)
        if drawn.height <= room.height:
            break


@lru_cache(maxsize=1)
def data_box() -> tuple[float, float, float, float]:
    """The largest upright box (metres) inside the data's extent (``geo.data.source.REGION``)."""
    west, south, east, north = source.REGION
    edge = {
        side: shapely.get_coordinates(geodesy.to_metres(shapely.LineString(ends).segmentize(0.1)))
        for side, ends in (
            ("w", [(west, south), (west, north)]),
            ("e", [(east, south), (east, north)]),
            ("s", [(west, south), (east, south)]),
            ("n", [(west, north), (east, north)]),
        )
    }
    return (
        edge["w"][:, 0].max(),
        edge["s"][:, 1].max(),
        edge["e"][:, 0].min(),
        edge["n"][:, 1].min(),
    )


def within_data(extent) -> tuple[float, float, float, float]:
    """The view moved (not resized) to lie within the data where it fits, so that no edge of the
    data extract shows as a coast."""
    out, inner = list(extent), data_box()
    for i in (0, 1):
        lo, hi, a, b = inner[i], inner[i + 2], extent[i], extent[i + 2]
        if b - a <= hi - lo:
            shift = max(lo - a, 0.0) + min(hi - b, 0.0)
            out[i], out[i + 2] = a + shift, b + shift
    return tuple(out)
