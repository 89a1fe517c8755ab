"""What a view of the map is: R, D, the layers shown and the basemap, and its form in a URL.

The app keeps the view in the page's query string so that a copied link reproduces it::

    ?radius=12mi&depth=80km&layers=all&basemap=osm

* ``radius``: R, a distance with its unit (``12mi``, ``19.3km``), within ``zones.RADIUS_RANGE``.
  The unit it is written in (mi or km; m reads as km) is the unit the app shows it in.
* ``depth``: D, a distance with its unit, within ``zones.DEPTH_RANGE``; shown in km.
* ``layers``: the layers shown, comma-separated keys of ``geo.engine.layers.REGISTRY``, or ``all`` / ``none``.
* ``basemap``: one of ``BASEMAPS``.
* ``stage``: the stage of the policy, by its date (``geo.engine.stages``); default 2024-05-30.
* ``lang``: the language of the interface, ``en`` (the default) or ``uk`` (``geo.i18n``).
* ``source``: the border data every figure and shape is measured on, ``osm`` (the default) or
  ``naturalearth`` (``geo.data.source``); written only when it is not the default, so a
  default link reads as before.

Reading a query never fails: each missing value takes its default, and each bad one takes
its default *and* adds one sentence to the warnings, naming the value and what is accepted.
Other parameters are left alone (pages may add their own, such as ``step``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from geopy.distance import Distance

from geo import i18n
from geo.core.units import DistanceError, distance, echo, in_unit, setting_text, unit_of
from geo.data import source as sources
from geo.engine import stages, zones
from geo.engine.layers import KEYS as LAYER_KEYS
from geo.engine.zones import Params
from geo.i18n import _
from geo.render.web.mapview import BASEMAPS

#: The units R may be shown in, and the one D is shown in.
RADIUS_UNITS = ("mi", "km")
DEPTH_UNIT = "km"

#: The query parameters this module reads and writes.
QUERY_KEYS = ("radius", "depth", "layers", "basemap", "stage", "lang", "source")
ALL, NONE = "all", "none"
#: Significant digits kept when a distance is written into a link.
LINK_DIGITS = 8
#: A longer query value is refused without being quoted back.
MAX_VALUE_CHARS = 200


@dataclass(frozen=True)
class ViewState:
    """One view of the map. Hashable, so it can key a cache; ``params`` is what the geometry
    depends on, the rest only changes what is drawn."""

    params: Params = Params()
    radius_unit: str = "mi"
    layers: frozenset[str] = field(default_factory=lambda: frozenset(LAYER_KEYS))
    basemap: str = BASEMAPS[0]
    #: The interface's language (a key of ``geo.i18n.LANGUAGES``).
    lang: str = i18n.DEFAULT

    def __post_init__(self):
        if self.radius_unit not in RADIUS_UNITS:
            raise ValueError(
                f"radius_unit {self.radius_unit!r} is not one of {', '.join(RADIUS_UNITS)}"
            )
        unknown = set(self.layers) - set(LAYER_KEYS)
        if unknown:
            raise ValueError(f"unknown layers {sorted(unknown)}; known: {', '.join(LAYER_KEYS)}")
        if self.basemap not in BASEMAPS:
            raise ValueError(f"basemap {self.basemap!r} is not one of {', '.join(BASEMAPS)}")
        if self.lang not in i18n.LANGUAGES:
            raise ValueError(f"lang {self.lang!r} is not one of {', '.join(i18n.LANGUAGES)}")
        object.__setattr__(self, "layers", frozenset(self.layers))

    @property
    def radius(self) -> Distance:
        return self.params.radius

    @property
    def depth(self) -> Distance:
        return self.params.depth

    @property
    def source(self) -> str:
        """The border source's id (``geo.data.source``)."""
        return self.params.source

    def shown(self) -> set[str]:
        """The layers shown, as ``mapview.build_map`` takes them."""
        return set(self.layers)

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)


DEFAULT = ViewState()


def distance_text(d: Distance, unit: str) -> str:
    """``12mi``, ``19.3121km``: a distance as written in a link (no space, up to
    ``LINK_DIGITS`` significant digits)."""
    value = {"mi": d.miles, "km": d.km, "m": d.m}[unit]
    return f"{value:.{LINK_DIGITS}g}{unit}"


def label(d: Distance, unit: str) -> str:
    """A distance for people, in the view's unit and the other: ``12 mi (19.31 km)``."""
    return setting_text(d, unit)


def to_query(view: ViewState) -> dict[str, str]:
    """The view as query parameters (every key in ``QUERY_KEYS``; ``lang`` only when it is
    not English and ``source`` only when it is not the default, so a default link stays short
    and reads as before)."""
    if view.layers == frozenset(LAYER_KEYS):
        layers = ALL
    elif not view.layers:
        layers = NONE
    else:
        layers = ",".join(key for key in LAYER_KEYS if key in view.layers)
    query = {
        "radius": distance_text(view.radius, view.radius_unit),
        "depth": distance_text(view.depth, DEPTH_UNIT),
        "layers": layers,
        "basemap": view.basemap,
        "stage": view.params.stage.id,
    }
    if view.lang != i18n.DEFAULT:
        query["lang"] = view.lang
    if view.source != sources.DEFAULT:
        query["source"] = view.source
    return query


def _last(value) -> str:
    """A query value as one string: the last of repeated values (as browsers do)."""
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def _as_linked(d: Distance, unit: str) -> Distance:
    """``d`` as its link writes it: rounded to LINK_DIGITS significant digits in ``unit``."""
    return distance(float(f"{in_unit(d, unit):.{LINK_DIGITS}g}"), unit)


def _unit_of(text: str) -> str:
    return "mi" if unit_of(text) == "mi" else "km"


def _layers(text: str) -> frozenset[str]:
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    if words == [ALL]:
        return frozenset(LAYER_KEYS)
    if words in ([NONE], []):
        return frozenset()
    unknown = [w for w in words if w not in LAYER_KEYS]
    if unknown:
        raise ValueError(
            _(
                "layers {value} names {unknown}, which the map does not have: layers takes "
                "'{all}', '{none}' or a "
                "comma-separated list of {keys}, e.g. places,border,counterfire_zone."
            ).format(
                value=echo(text),
                unknown=", ".join(map(echo, unknown[:5])),
                all=ALL,
                none=NONE,
                keys=", ".join(LAYER_KEYS),
            )
        )
    return frozenset(words)


def _basemap(text: str) -> str:
    value = text.strip().lower()
    if value not in BASEMAPS:
        raise ValueError(
            _(
                "basemap {value} is not one of {choices}: basemap takes {first} or {second}, "
                "e.g. basemap={first}."
            ).format(
                value=echo(text), choices=", ".join(BASEMAPS), first=BASEMAPS[0], second=BASEMAPS[1]
            )
        )
    return value


def from_query(query: Mapping[str, object]) -> tuple[ViewState, list[str]]:
    """Read a view from query parameters: (view, warnings).

    Never raises. A missing value takes its default silently; a bad one takes its default
    and adds one warning sentence naming the value, what is accepted and an example, and
    saying that the default is used instead."""
    values = {}
    warnings = []

    def attempt(key: str, read, default_text: str):
        if key not in query:
            return
        text = _last(query[key])
        try:
            if len(text) > MAX_VALUE_CHARS:
                raise ValueError(
                    _(
                        "{key} is {length} characters long, which is no {key} this map takes "
                        "(e.g. {key}={default})"
                    ).format(key=key, length=len(text), default=default_text)
                )
            read(text)
        except (DistanceError, ValueError) as err:
            message = str(err).rstrip(".")
            warnings.append(
                _("{message}; using {key}={default} instead.").format(
                    message=message, key=key, default=default_text
                )
            )

    # Each distance is kept as the link writes it back (LINK_DIGITS in the unit it is shown
    # in), so reading a view's own link gives the same view: "3.2mi" as a depth is 5.1499008 km.
    def radius(text: str):
        unit = _unit_of(text)
        values["radius"], values["radius_unit"] = _as_linked(zones.parse_radius(text), unit), unit

    def depth(text: str):
        values["depth"] = _as_linked(zones.parse_depth(text), DEPTH_UNIT)

    def layers(text: str):
        values["layers"] = _layers(text)

    def basemap(text: str):
        values["basemap"] = _basemap(text)

    def stage(text: str):
        values["stage"] = stages.parse_stage(text)

    def lang(text: str):
        values["lang"] = i18n.parse_language(text)

    def source(text: str):
        values["source"] = sources.parse_source(text).id

    defaults = {**to_query(DEFAULT), "lang": i18n.DEFAULT, "source": sources.DEFAULT}
    for key, read in (
        ("radius", radius),
        ("depth", depth),
        ("layers", layers),
        ("basemap", basemap),
        ("stage", stage),
        ("lang", lang),
        ("source", source),
    ):
        attempt(key, read, defaults[key])
    params = Params(
        values.pop("radius", zones.RADIUS_DEFAULT),
        values.pop("depth", zones.DEPTH_DEFAULT),
        values.pop("stage", stages.DEFAULT),
        values.pop("source", sources.DEFAULT),
    )
    return ViewState(params=params, **values), warnings


def file_name(view: ViewState, what: str, ext: str, *, basemap: bool = False) -> str:
    """A download's name carrying the parameters: ``kharkiv-map_R12mi_D80km_osm.html`` (and
    the stage and the border source when they are not the defaults:
    ``kharkiv-map_R12mi_D80km_S2024-06-20_naturalearth_osm.html``)."""
    q = to_query(view)
    parts = [f"kharkiv-{what}", f"R{q['radius']}", f"D{q['depth']}"]
    if view.params.stage != stages.DEFAULT:
        parts.append(f"S{q['stage']}")
    if view.source != sources.DEFAULT:
        parts.append(view.source)
    parts += [view.basemap] if basemap else []
    return "_".join(parts) + f".{ext}"
