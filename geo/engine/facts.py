"""The measured figures, with the parameters they were measured for.

:class:`Figures` carries distances and areas as values (geopy ``Distance``, ``units.Area``);
they become rounded numbers only in :func:`to_json` and in text (:func:`as_table`).

Lengths and areas are those each layer measured when it was built (geodesic on the WGS84
ellipsoid, ``geo.core.geodesy``); distances from a place to the border are geodesic to the border
line (``zones.to_border``), and to Kharkiv geopy's ``geodesic``. Country label points are
where a name is written, not places, so they get no distances.

The same figures from each border source (:func:`source_figures`, ``geo.data.source``) for
the default view show which of them depend on the choice of a source: a border drawn at a
smaller scale follows fewer bends, so it is shorter, and distances to it move by up to its
error, while the areas cut by it move much less (:data:`PUBLISHED_LENGTHS` are the published
lengths to hold them against).

Text for people (:func:`rows`, :func:`as_table`, :func:`stages_table`) is in the current
language; JSON (:func:`to_json`, :func:`stages_json`, :func:`sources_json`) is the same in
every language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from geopy.distance import Distance, geodesic

from geo import i18n
from geo.core import geodesy
from geo.core.cache import once_per
from geo.core.units import Area, area_text, distance, length_text, setting_text, symbol
from geo.data import source as sources
from geo.engine import layers as registry
from geo.engine import places, stages, zones
from geo.engine.layers import ARTICLE_CLAIM, Layers
from geo.i18n import N_, _, number, percent

#: The figures each border source gives for the default view (``facts --json``'s ``sources``),
#: by their ``facts --json`` key; ``permitted_share`` is the default stage's.
SOURCE_FIGURES = (
    "border_length_km",
    "kharkiv_sector_length_km",
    "kharkiv_to_border_km",
    "counterfire_zone_area_km2",
    "deep_strike_zone_area_km2",
    "sanctuary_area_km2",
)


@dataclass(frozen=True)
class Published:
    """A length published elsewhere, to hold the measured ones against: the value, who
    published it (as published) and a note on how far reports agree (translated where shown)."""

    value: Distance
    source: str
    note: str = ""


#: Published lengths by ``facts --json`` key (the project's fact sheet). The border's is the
#: land border (plus 321 km at sea); other sources give 1,925.8 km or "almost 1,960 km".
PUBLISHED_LENGTHS: Mapping[str, Published] = {
    "border_length_km": Published(
        distance(1974, "km"),
        "State Border Service of Ukraine",
        N_("land border; others give 1,925.8 km or almost 1,960 km"),
    ),
    "kharkiv_sector_length_km": Published(
        distance(270, "km"),
        "Ukraine's Deputy Interior Minister, 2018",
        N_("the oblast's governor said about 300 km in 2015; reports differ"),
    ),
}


@dataclass(frozen=True)
class PlaceFigures:
    place: places.Place
    to_kharkiv: Distance | None  # None for a country label point
    to_border: Distance | None


@dataclass(frozen=True, eq=False)
class Figures:
    params: zones.Params
    #: Each layer's measured length or area, by layer key.
    measures: Mapping[str, Distance | Area]
    kharkiv_to_border: Distance
    places: tuple[PlaceFigures, ...]
    article_claim: Distance = ARTICLE_CLAIM

    def measure(self, key: str) -> Distance | Area:
        return self.measures[key]

    def place(self, name: str) -> PlaceFigures:
        """The figures of the place named ``name``; KeyError for a place the data lacks."""
        for row in self.places:
            if row.place.name == name:
                return row
        raise KeyError(name)


@dataclass(frozen=True)
class StageFigures:
    """One stage of the policy, measured for a depth D: the Russian territory within ATACMS
    reach (300 km) of the land border that it permitted U.S. weapons to strike (the
    counterfire zone), what it left off-limits (the sanctuary), and the permitted share of
    the reach. ``None`` where a stage's permission is not measured (the Kursk Oblast limit
    of 17 November 2024, whose bounds the data lacks)."""

    stage: stages.Stage
    permitted: Area | None
    sanctuary: Area | None
    reach: Area

    @property
    def permitted_share(self) -> float | None:
        return None if self.permitted is None else self.permitted.m2 / self.reach.m2


def _area(geom_m) -> Area:
    return Area(geodesy.area_m2(geodesy.to_degrees(geom_m)))


def stage_figures(
    params: zones.Params, ground: zones.Ground | None = None
) -> tuple[StageFigures, ...]:
    """Every stage measured for the depth in ``params``. The counterfire zone of each stage
    lies inside the reach (D ≤ 300 km, and the Kharkiv sector is part of the border), so the
    sanctuary's area is the reach's less the permitted area.

    Only what differs is measured: the reach's area once per ground (it depends on no
    parameter), nothing for a stage that permitted no counterfire (zero) or whose permission is
    not measured, and each zone through the engine's cache on the project's ground (the zone
    the map already built for this stage is not built again)."""
    custom = ground is not None
    ground = ground or zones.ground(params.source)
    reach = ground.reach_area()
    rows = []
    for stage in stages.STAGES:
        if stage.kursk_unmeasured:
            rows.append(StageFigures(stage, None, None, reach))
            continue
        if stage.origin is None:
            permitted = Area(0.0)
        elif custom:
            permitted = _area(zones.counterfire_zone(ground, replace(params, stage=stage)).metric)
        else:
            permitted = registry.layer(
                "counterfire_zone", replace(params, stage=stage), drawn=False
            ).measure
        rows.append(StageFigures(stage, permitted, reach - permitted, reach))
    return tuple(rows)


@once_per
def place_figures(source: str = sources.DEFAULT) -> tuple[PlaceFigures, ...]:
    """Every place's distances, to a border source's border; they depend on no other parameter,
    so are measured once per source."""
    home = places.kharkiv()
    rows = []
    for place in places.places():
        if place.kind != "city":
            rows.append(PlaceFigures(place, None, None))
            continue
        to_border, _point = zones.to_border(place.lat, place.lon, source)
        to_kharkiv = Distance(kilometers=geodesic((home.lat, home.lon), (place.lat, place.lon)).km)
        rows.append(PlaceFigures(place, to_kharkiv, to_border))
    return tuple(rows)


def figures(built: Layers) -> Figures:
    """The figures of one set of layers (no measuring: the layers carry their figures)."""
    measures = {spec.key: built[spec.key].measure for spec in registry.REGISTRY if spec.figure}
    return Figures(
        built.params, measures, built.kharkiv_to_border, place_figures(built.params.source)
    )


def _km(value: Distance | None, digits: int = 3) -> float | None:
    return None if value is None else round(value.km, digits)


def to_json(f: Figures) -> dict:
    """Every figure as JSON-ready numbers, units in the key names (``kharkiv-map facts --json``)."""
    out: dict = {"radius_m": round(f.params.radius.m, 3), "depth_m": round(f.params.depth.m, 3)}
    for spec in registry.REGISTRY:
        if spec.figure:
            value = f.measure(spec.key)
            out[spec.figure.key] = (
                round(value.km, 3) if spec.figure.kind == "length" else round(value.km2, 1)
            )
    out["kharkiv_to_border_mi"] = round(f.kharkiv_to_border.miles, 3)
    out["article_claim_mi"] = round(f.article_claim.miles, 3)
    out["stage"] = f.params.stage.id
    out["source"] = f.params.source
    out["places"] = [
        {
            "name": row.place.name,
            "lat": row.place.lat,
            "lon": row.place.lon,
            "kind": row.place.kind,
            "named_in_article": row.place.named_in_article,
            "note": row.place.note,
            "quote": row.place.quote,
            "paragraph": row.place.paragraph,
            "distance_to_kharkiv_km": _km(row.to_kharkiv),
            "distance_to_border_km": _km(row.to_border),
        }
        for row in f.places
    ]
    return out


def stages_json(rows: tuple[StageFigures, ...]) -> list[dict]:
    """The stages as ``facts --json`` lists them, in English whatever the language."""

    def km2(a: Area | None):
        return None if a is None else round(a.km2, 1)

    with i18n.language(i18n.DEFAULT):
        return [
            {
                "id": row.stage.id,
                "date": row.stage.date,
                "label": row.stage.label,
                "title": row.stage.title,
                "source": row.stage.source,
                "permitted_area_km2": km2(row.permitted),
                "sanctuary_area_km2": km2(row.sanctuary),
                "reach_area_km2": km2(row.reach),
                "permitted_share": None
                if row.permitted_share is None
                else round(row.permitted_share, 4),
                "measured": row.permitted is not None,
            }
            for row in rows
        ]


@dataclass(frozen=True)
class SourceFigures:
    """One border source's figures for one view (the default view, unless asked otherwise):
    each of :data:`SOURCE_FIGURES` by its key, and the stage's permitted share of the reach."""

    source: sources.BorderSource
    params: zones.Params
    measures: Mapping[str, Distance | Area]
    permitted_share: float | None

    def measure(self, key: str) -> Distance | Area:
        return self.measures[key]


def source_figures(source: str, params: zones.Params = zones.Params()) -> SourceFigures:
    """The figures of :data:`SOURCE_FIGURES` from one border source, for ``params`` with that
    source. Each comes from a layer of the engine's cache (no set of layers is built for it),
    the permitted share from the stage's figures."""
    asked = replace(params, source=source)
    keys = set(SOURCE_FIGURES)
    measures = {
        spec.figure.key: registry.layer(spec.key, asked, drawn=False).measure
        for spec in registry.REGISTRY
        if spec.figure is not None and spec.figure.key in keys
    }
    row = next(row for row in stage_figures(asked) if row.stage == asked.stage)
    return SourceFigures(sources.BY_ID[source], asked, measures, row.permitted_share)


def every_source(params: zones.Params = zones.Params()) -> tuple[SourceFigures, ...]:
    """:func:`source_figures` of every border source, in ``geo.data.source.SOURCES`` order."""
    return tuple(source_figures(src.id, params) for src in sources.SOURCES)


def figure_value(value: Distance | Area) -> float:
    """A figure as ``facts --json`` writes it: km to 3 decimals, km² to 1."""
    return round(value.km, 3) if isinstance(value, Distance) else round(value.km2, 1)


def sources_json(rows: tuple[SourceFigures, ...]) -> list[dict]:
    """The sources as ``facts --json`` lists them: each one's id, name, licence, package and
    version, and its figures."""
    return [
        {
            "id": row.source.id,
            "name": row.source.name,
            "licence": row.source.licence,
            "package": row.source.package,
            "version": row.source.version,
            **{key: figure_value(row.measure(key)) for key in SOURCE_FIGURES},
            "permitted_share": None
            if row.permitted_share is None
            else round(row.permitted_share, 4),
        }
        for row in rows
    ]


def relative_difference(value: Distance | Area, reference: Distance | Area) -> float | None:
    """``value`` over ``reference`` less one (``-0.221`` is 22.1 % less); None for a zero
    reference."""
    size = (lambda v: v.m) if isinstance(reference, Distance) else (lambda v: v.m2)
    return None if size(reference) == 0 else size(value) / size(reference) - 1


def _source_text(source_id: str) -> str:
    """``Natural Earth 1:10m (npm world-atlas@2.0.2)``: a border source for people."""
    src = sources.BY_ID[source_id]
    return f"{src.name} (npm {src.spec})"


def rows(f: Figures, radius_unit: str = "mi") -> list[tuple[str, str]]:
    """(label, value as text) for every figure, parameters first, in the current language."""
    out = [
        (_("Stage of the policy"), f"{f.params.stage.label}: {_(f.params.stage.title)}"),
        (_("Radius R (band and ring)"), setting_text(f.params.radius, radius_unit)),
        (_("Counterfire depth D"), setting_text(f.params.depth, "km")),
        (_("Border data"), _source_text(f.params.source)),
    ]
    for spec in registry.REGISTRY:
        if spec.figure:
            value = f.measure(spec.key)
            out.append(
                (
                    _(spec.figure.label),
                    length_text(value) if isinstance(value, Distance) else area_text(value),
                )
            )
    out.append((_("The article's figure"), setting_text(f.article_claim, "mi")))
    return out


def as_table(f: Figures) -> str:
    """The figures as aligned plain text for a terminal."""
    table = rows(f)
    width = max(len(label) for label, _value in table)
    lines = [f"{label:<{width}}  {value}" for label, value in table]
    head = (_("Place"), _("to Kharkiv"), _("to border"), _("in article"))
    lines += ["", f"{head[0]:<34} {head[1]:>12} {head[2]:>12}  {head[3]}"]
    km = symbol("km")
    for row in f.places:
        named = _("yes") if row.place.named_in_article else _("context")
        if row.to_kharkiv is None:
            lines.append(
                f"{row.place.label:<34} {'—':>12} {'—':>12}  "
                + _("{named} (label point, not measured)").format(named=named)
            )
        else:
            lines.append(
                f"{row.place.label:<34} {number(row.to_kharkiv.km, 1):>9} {km} "
                f"{number(row.to_border.km, 1):>9} {km}  {named}"
            )
    return "\n".join(lines)


def stages_table(rows: tuple[StageFigures, ...]) -> str:
    """The stages as aligned plain text: permitted area, sanctuary and permitted share."""
    head = (_("Stage"), _("permitted"), _("sanctuary"), _("share"))
    lines = [f"{head[0]:<20} {head[1]:>14} {head[2]:>14} {head[3]:>8}"]
    for row in rows:
        if row.permitted is None:
            unmeasured = _("not measured")
            lines.append(
                f"{row.stage.label:<20} {unmeasured:>14} {unmeasured:>14} {'—':>8}  "
                f"({_(stages.KURSK_NOTE)})"
            )
        else:
            lines.append(
                f"{row.stage.label:<20} {area_text(row.permitted):>14} "
                f"{area_text(row.sanctuary):>14} "
                f"{percent(row.permitted_share, 1):>8}"
            )
    # The published words stay in English (a translation says so beside them).
    lines.append(
        _(
            "Sanctuary: Russia within 300 km of the land border ({area}) left off-limits. "
            'Published: {source}, "{quote}" (measured differently).'
        ).format(
            area=area_text(rows[0].reach),
            source=stages.PUBLISHED_SOURCE,
            quote=stages.PUBLISHED_QUOTE,
        )
    )
    return "\n".join(lines)


def document(figures, rows) -> dict:
    """What ``kharkiv-map facts --json`` prints (and the static site's ``facts.json``): the
    figures of one view, the stages' figures, and the default view from each border source."""
    return {
        **to_json(figures),
        "stages": stages_json(rows),
        "sources": sources_json(every_source()),
    }
