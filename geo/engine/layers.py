"""The layer registry: everything the program knows about each layer, in one entry.

An entry (:class:`LayerSpec`) gives a layer's key (the ``layer`` value of the GeoJSON export
and the name in the URL's ``layers=``), its title, its legend sentence as a template over R
and D, its style, the figure it carries, and the sentence "what is here?" says of a point
inside it. The geometry, the map, the export, the figures, the click answer, the URL state
and the About page all iterate :data:`REGISTRY`. Adding a layer is one entry here plus its
geometry function in ``geo.engine.zones``. Its texts are English, marked ``N_``, and translated where
shown (``_(spec.title)``, ``spec.text(spec.legend, values)``): the built layers hold no text.

Templates may use ``{R}``, ``{D}``, ``{REACH}`` (the deep-strike reach), ``{GAP}`` (Kharkiv's
centre to the border), ``{CLAIM}`` (the article's figure), and for the stage of the policy
``{STAGE}`` (its date), ``{WHEN}`` ("on 30 May 2024"), ``{ORIGIN}`` (the line the zones are
measured from), ``{DEEP_RANGE}`` (how far the prohibited zone runs) and ``{KURSK}`` (the note
on the unmeasured Kursk Oblast permission, or nothing).

:func:`build` makes every layer for one :class:`~geo.engine.zones.Params`: its metric geometry, its
drawing, its lon/lat geometry and its measured figure, each made once.

The path of a distance, D for example, from the sidebar to the drawn zone, and the one cache
on it:

1. The sidebar's number and unit become a ``Distance`` (``pages.shared.viewstate``; the URL's
   ``depth=80km`` the same way) and the view's :class:`~geo.engine.zones.Params` holds it as
   that value, checked against its range once, where ``Params`` is made.
2. :func:`layers` answers from the engine's one cache (``_KEPT``, a bounded
   :class:`geo.core.cache.Kept`): the same ``Layers`` again for the same ``Params``, and each
   layer kept by what it depends on (``LayerSpec.depends``, :func:`dependence`), so a new D
   rebuilds the zones that D shapes and nothing else (the border once, the ring and the band
   once per R, the zones once per D and stage).
3. The layer's geometry function (``geo.engine.zones``) takes ``params.depth.m``: the one
   change of form into metres; the buffers of a line, which several layers share, are
   remembered by the ground the layers stand on (``Ground.buffer``, keyed by the line and the
   distance in metres), part of the same build.
4. The drawing (``Layer.drawing``), the lon/lat geometry and the figure are made once per layer
   and kept on it.

The border source (``Params.source``, the sidebar's choice, the URL's ``source=``) takes the
same path: every layer stands on the ground of its source (``zones.ground(source)``), so the
source is part of every layer's key, whatever else the layer depends on. The app keeps only what it renders from the layers (the map's base and the
   overlay's script, ``pages.shared.ui``), never the layers themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import shapely
from geopy.distance import Distance

from geo.core import geodesy
from geo.core.cache import Kept
from geo.core.units import Area, describe, distance, length_text, setting_text
from geo.data import display
from geo.engine import stages, zones
from geo.engine.zones import Ground, Params, Shape
from geo.i18n import N_, _, ngettext, number

#: "Kharkiv, which is 12 miles from the Russian border" (the article, paragraph 3).
ARTICLE_CLAIM = distance(12, "mi")


@dataclass(frozen=True)
class Figure:
    """A layer's figure: its ``facts --json`` key, its label in tables, length or area."""

    key: str
    label: str
    kind: str  # "length" or "area"

    @property
    def prop(self) -> str:
        """The property that carries it in the GeoJSON export."""
        return "length_km" if self.kind == "length" else "area_km2"


@dataclass(frozen=True)
class LayerSpec:
    key: str
    title: str
    legend: str
    style: Mapping[str, object]
    geometry: Callable[[Ground, Params], Shape] | None
    figure: Figure | None = None
    #: What "what is here?" says of a point inside this area (areas only).
    here: str | None = None
    #: A short name of the area, for headings.
    area_name: str | None = None
    #: The hover text, when it is not "title: legend".
    tooltip: str | None = None
    #: The ``layer`` value in the GeoJSON export, when it is not the key.
    feature: str = ""
    #: Legend swatch outline: "solid", "dashed" or "dotted" (the style's dash, in words).
    outline: str = "solid"
    #: The fields of ``Params`` the geometry depends on besides the border source (every layer
    #: depends on it); none: built once per process and source.
    depends: frozenset[str] = frozenset()

    def __post_init__(self):
        object.__setattr__(self, "style", MappingProxyType(dict(self.style)))
        object.__setattr__(self, "depends", frozenset(self.depends))
        unknown = self.depends - set(Params.__dataclass_fields__)
        if unknown:
            raise ValueError(
                f"layer {self.key!r} depends on {sorted(unknown)}, which Params does not have"
            )
        if not self.feature:
            object.__setattr__(self, "feature", self.key)

    def text(self, template: str, values: Mapping[str, str]) -> str:
        """A template of the entry (``legend``, ``here``, ``tooltip``) in the current language, filled."""
        return _(template).format(**values)


class Layer:
    """One built layer: its entry, its geometry in metres and its drawing (compact, simplified:
    ``geo.data.display``); its geometry in lon/lat and its measured figure (``None`` for a layer
    without one), made once and kept (``build_layer`` makes them while building)."""

    def __init__(
        self,
        spec: LayerSpec,
        metric: shapely.Geometry | Callable[[], shapely.Geometry],
        drawing: str | None = None,
        degrees: shapely.Geometry | None = None,
        measure: Distance | Area | None = None,
    ):
        self.spec, self._degrees = spec, degrees
        self._make = metric if callable(metric) else None  # the geometry, made on first use
        # Given values stand in for what the cached properties below would make.
        given = (
            ("metric", None if callable(metric) else metric),
            ("drawing", drawing),
            ("measure", measure),
        )
        self.__dict__.update({k: v for k, v in given if v is not None})

    @cached_property
    def metric(self) -> shapely.Geometry:
        return self._make()

    @cached_property
    def drawing(self) -> str:
        return display.drawing(self.metric)

    @cached_property
    def geometry(self) -> shapely.Geometry:
        geometry = self._degrees if self._degrees is not None else geodesy.to_degrees(self.metric)
        shapely.prepare(geometry)
        return geometry

    @cached_property
    def measure(self) -> Distance | Area | None:
        figure = self.spec.figure
        if figure is None:
            return None
        if figure.kind == "length":
            return Distance(meters=geodesy.length_m(self.geometry))
        return Area(geodesy.area_m2(self.geometry))


def build_layer(spec: LayerSpec, ground: Ground, params: Params, drawn: bool = True) -> Layer:
    """One layer: its geometry, its drawing (``drawn``: else on first use) and its figure, all
    made here, so that drawing (whose text description states the figures) and answering
    neither project nor measure. An area the geometry function knew is not measured again."""
    shape = spec.geometry(ground, params)
    known = shape.area if spec.figure is not None and spec.figure.kind == "area" else None
    made = Layer(
        spec, shape.later if shape.metric is None else shape.metric, None, shape.degrees, known
    )
    if drawn:
        made.drawing  # noqa: B018 -- made now, inside the build
    made.measure  # noqa: B018 -- made now, inside the build, and kept
    return made


# Okabe–Ito colours (distinguishable with the common colour-vision deficiencies); each zone
# differs in its outline too (solid, dashed, dotted), so the legend reads in greyscale.
#: Every layer, in the order the app lists them; the map draws them in reverse, so lines lie
#: on areas and the places on top.
REGISTRY: tuple[LayerSpec, ...] = (
    LayerSpec(
        "places",
        N_("Places"),
        N_("Place named in the article (hollow: context)"),
        {"color": "#000000", "weight": 2, "fillColor": "#000000", "fillOpacity": 1.0},
        None,
        feature="place",
    ),
    LayerSpec(
        "border",
        N_("Land border"),
        N_("Russia–Ukraine land border"),
        {"color": "#000000", "weight": 2.5},
        zones.border,
        figure=Figure("border_length_km", N_("Russia–Ukraine land border"), "length"),
    ),
    LayerSpec(
        "kharkiv_sector",
        N_("Kharkiv sector"),
        N_("Kharkiv sector: the border of Kharkiv Oblast with Russia"),
        {"color": "#CC79A7", "weight": 7, "opacity": 0.9},
        zones.kharkiv_sector,
        figure=Figure("kharkiv_sector_length_km", N_("Kharkiv sector of the border"), "length"),
    ),
    LayerSpec(
        "kharkiv_to_border",
        N_("Kharkiv to border"),
        N_("Shortest distance from Kharkiv's centre to the border"),
        {"color": "#000000", "weight": 2, "dashArray": "4 4"},
        zones.kharkiv_to_border,
        figure=Figure("kharkiv_to_border_km", N_("Kharkiv centre to the border"), "length"),
        tooltip=N_("Kharkiv centre to the border: {GAP}; the article says {CLAIM}"),
        outline="dashed",
    ),
    LayerSpec(
        "kharkiv_ring",
        N_("Ring around Kharkiv (R)"),
        N_("Circle of radius R = {R} around Kharkiv's centre"),
        {"color": "#009E73", "weight": 3, "dashArray": "12 4 2 4", "fill": False},
        zones.kharkiv_ring,
        tooltip=N_("{R} from Kharkiv's centre"),
        outline="dashed",
        depends={"radius"},
    ),
    LayerSpec(
        "border_band",
        N_("Border band (R)"),
        N_("Ukraine within R = {R} of the Russian border"),
        {
            "color": "#E69F00",
            "weight": 2,
            "dashArray": "2 5",
            "fillColor": "#E69F00",
            "fillOpacity": 0.35,
        },
        zones.border_band,
        figure=Figure("border_band_area_km2", N_("Ukraine within R of the border"), "area"),
        here=N_("Ukraine, within R = {R} of the Russian border."),
        area_name=N_("Ukraine within R of the border"),
        outline="dotted",
        depends={"radius"},
    ),
    LayerSpec(
        "counterfire_zone",
        N_("Counterfire zone"),
        N_("Counterfire zone: Russia within D = {D} of {ORIGIN}"),
        {"color": "#0072B2", "weight": 2.5, "fillColor": "#0072B2", "fillOpacity": 0.3},
        zones.counterfire_zone,
        figure=Figure(
            "counterfire_zone_area_km2", N_("Counterfire zone (Russia within D)"), "area"
        ),
        here=N_(
            "Russia, inside the counterfire zone: within D = {D} of {ORIGIN}, where the permission "
            "reported {WHEN} let Ukraine strike back with U.S. weapons."
        ),
        area_name=N_("Counterfire zone (Russia)"),
        depends={"depth", "stage"},
    ),
    LayerSpec(
        "deep_strike_zone",
        N_("Prohibited deep strikes"),
        N_("Still prohibited: Russia {DEEP_RANGE} (ATACMS reach) of {ORIGIN}{KURSK}"),
        {
            "color": "#D55E00",
            "weight": 2,
            "dashArray": "10 6",
            "fillColor": "#D55E00",
            "fillOpacity": 0.15,
        },
        zones.deep_strike_zone,
        figure=Figure(
            "deep_strike_zone_area_km2", N_("Still prohibited (Russia from D to 300 km)"), "area"
        ),
        here=N_(
            "Russia, in the prohibited deep-strike zone: {DEEP_RANGE} (ATACMS reach) of {ORIGIN}, "
            "where long-range U.S. weapons stayed off-limits{KURSK}."
        ),
        area_name=N_("Prohibited deep-strike zone (Russia)"),
        outline="dashed",
        depends={"depth", "stage"},
    ),
    LayerSpec(
        "sanctuary",
        N_("Sanctuary (in reach, off-limits)"),
        N_("Sanctuary: Russia within {REACH} of the land border still off-limits {WHEN}{KURSK}"),
        {
            "color": "#555555",
            "weight": 1.5,
            "dashArray": "1 4",
            "fillColor": "#999999",
            "fillOpacity": 0.12,
        },
        zones.sanctuary,
        figure=Figure(
            "sanctuary_area_km2",
            N_("Sanctuary (Russia within 300 km of the border, off-limits)"),
            "area",
        ),
        here=N_(
            "Russia, in the sanctuary: within {REACH} (ATACMS reach) of the land border, but "
            "off-limits to "
            "U.S. weapons {WHEN}{KURSK}."
        ),
        area_name=N_("Sanctuary (Russia, in reach but off-limits)"),
        outline="dotted",
        depends={"depth", "stage"},
    ),
)

BY_KEY: Mapping[str, LayerSpec] = MappingProxyType({spec.key: spec for spec in REGISTRY})
#: Every key, in the app's order (what ``?layers=all`` means).
KEYS = tuple(spec.key for spec in REGISTRY)
#: The layers with geometry, in drawing order (bottom first).
GEOMETRIC = tuple(spec for spec in reversed(REGISTRY) if spec.geometry is not None)
#: The areas "what is here?" can name, in the order it tries them.
AREAS = tuple(spec for spec in REGISTRY if spec.here)


def template_values(
    params: Params, radius_unit: str = "mi", gap: Distance | None = None
) -> dict[str, str]:
    """What the templates' names stand for, for one set of parameters, in the current language
    (made for each drawing, never kept with the layers)."""
    stage, claim = params.stage, round(ARTICLE_CLAIM.miles)
    reach, depth = describe(zones.DEEP_STRIKE_REACH, "km"), describe(params.depth, "km")
    return {
        "R": setting_text(params.radius, radius_unit),
        "D": depth,
        "REACH": reach,
        "GAP": "" if gap is None else length_text(gap),
        "CLAIM": ngettext("{count} mile", "{count} miles", claim).format(count=number(claim)),
        "STAGE": stage.label,
        "WHEN": stage.when,
        # After "of" ("within D of {ORIGIN}"): a translation writes the case its sentences need.
        "ORIGIN": _("the whole land border")
        if stage.origin == "border"
        else _("the Kharkiv sector"),
        "DEEP_RANGE": (
            _("from D = {depth} to {reach}").format(depth=depth, reach=reach)
            if stage.origin
            else _("within {reach}").format(reach=reach)
        ),
        "KURSK": " " + _("(ATACMS use {note})").format(note=_(stages.KURSK_NOTE))
        if stage.kursk_unmeasured
        else "",
    }


@dataclass(frozen=True, eq=False)
class Layers:
    """Every layer for one set of parameters, by key, with what they were built from."""

    params: Params
    ground: Ground
    by_key: Mapping[str, Layer] = field(repr=False)

    def __getitem__(self, key: str) -> Layer:
        return self.by_key[key]

    def geometry(self, key: str) -> shapely.Geometry:
        return self.by_key[key].geometry

    @property
    def kharkiv_to_border(self) -> Distance:
        return self.ground.kharkiv_gap

    def values(self, radius_unit: str = "mi") -> dict[str, str]:
        return template_values(self.params, radius_unit, self.kharkiv_to_border)


#: How many built layers and sets of layers the engine keeps (least recently used go first).
KEPT = 64
_KEPT = Kept(KEPT)


def dependence(spec: LayerSpec, params: Params) -> tuple:
    """What a layer built for ``params`` is keyed by: its key, the border source (the ground
    it stands on) and the fields it depends on."""
    fields = ("source", *sorted(spec.depends - {"source"}))
    return (spec.key, *((name, getattr(params, name)) for name in fields))


def layer(key: str, params: Params = Params(), drawn: bool = True) -> Layer:
    """One layer for ``params`` on the project's ground of its source, from the engine's cache
    (``drawn``: with its drawing made, else made on first use)."""
    spec = BY_KEY[key]
    made = _KEPT.get(
        dependence(spec, params),
        lambda: build_layer(spec, zones.ground(params.source), params, drawn),
    )
    if drawn:
        made.drawing  # noqa: B018 -- made now, if the layer was first built undrawn
    return made


def build(params: Params = Params(), ground: Ground | None = None, drawn: bool = True) -> Layers:
    """Every layer for one set of parameters. Pure: the same inputs give the same layers. On
    the project's ground (``ground=None``) a layer already built for the fields it depends on
    is reused; a given ground builds every layer afresh. ``drawn=False``: drawings on first use
    (figures alone need none)."""
    if ground is None:
        built = {spec.key: layer(spec.key, params, drawn) for spec in GEOMETRIC}
        ground = zones.ground(params.source)
    else:
        built = {spec.key: build_layer(spec, ground, params, drawn) for spec in GEOMETRIC}
    return Layers(params, ground, MappingProxyType(built))


def forget() -> None:
    """Empty the engine's cache and the grounds with what they remember (tests that count
    what a build does); a ground is made again, from the data already read, on next use."""
    _KEPT.clear()
    zones.ground.cache_clear()


def layers(params: Params = Params()) -> Layers:
    """``build`` on the project's ground, the same object again for the same parameters."""
    return _KEPT.get(("layers", params), lambda: build(params))


def classify(built: Layers, lat: float, lon: float) -> str:
    """Which area a point is in: the key of the first area in :data:`AREAS` that covers it,
    else ``"ukraine"`` / ``"russia"`` for the rest of each country (within the data region),
    else ``"elsewhere"``."""
    point = shapely.Point(lon, lat)
    for spec in AREAS:
        if built.geometry(spec.key).covers(point):
            return spec.key
    reg = built.ground.region
    if reg.ukraine.covers(point):
        return "ukraine"
    if reg.russia.covers(point):
        return "russia"
    return "elsewhere"
