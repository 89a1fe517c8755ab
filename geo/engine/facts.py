"""The measured figures, with the parameters they were measured for.

:class:`Figures` carries distances and areas as values (geopy ``Distance``, ``units.Area``);
they become rounded numbers only in :func:`to_json` and in text (:func:`as_table`).

Lengths and areas are those each layer measured when it was built (geodesic on the WGS84
ellipsoid, ``geo.core.geodesy``); distances from a place to the border are geodesic to the border
line (``zones.to_border``), and to Kharkiv geopy's ``geodesic``. Country label points are
where a name is written, not places, so they get no distances.

Text for people (:func:`rows`, :func:`as_table`, :func:`stages_table`) is in the current
language; JSON (:func:`to_json`, :func:`stages_json`) is the same in every language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from geopy.distance import Distance, geodesic

from geo import i18n
from geo.core import geodesy
from geo.core.units import Area, area_text, length_text, setting_text, symbol
from geo.engine import layers as registry
from geo.engine import places, stages, zones
from geo.engine.layers import ARTICLE_CLAIM, Layers
from geo.i18n import _, number, percent


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
        return next(row for row in self.places if row.place.name == name)


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
    ground = ground or zones.ground()
    reach = ground.reach_area()
    rows = []
    for stage in stages.STAGES:
        if stage.kursk_unmeasured:
            rows.append(StageFigures(stage, None, None, reach))
            continue
        if stage.origin is None:
            permitted = Area(0.0)
        elif custom:
            permitted = _area(
                zones.counterfire_zone(
                    ground, zones.Params(params.radius, params.depth, stage)
                ).metric
            )
        else:
            permitted = registry.layer(
                "counterfire_zone", zones.Params(params.radius, params.depth, stage), drawn=False
            ).measure
        rows.append(StageFigures(stage, permitted, reach - permitted, reach))
    return tuple(rows)


@lru_cache(maxsize=1)
def place_figures() -> tuple[PlaceFigures, ...]:
    """Every place's distances; they depend on no parameter, so are measured once."""
    home = places.kharkiv()
    rows = []
    for place in places.places():
        if place.kind != "city":
            rows.append(PlaceFigures(place, None, None))
            continue
        to_border, _point = zones.to_border(place.lat, place.lon)
        to_kharkiv = Distance(kilometers=geodesic((home.lat, home.lon), (place.lat, place.lon)).km)
        rows.append(PlaceFigures(place, to_kharkiv, to_border))
    return tuple(rows)


def figures(built: Layers) -> Figures:
    """The figures of one set of layers (no measuring: the layers carry their figures)."""
    measures = {spec.key: built[spec.key].measure for spec in registry.REGISTRY if spec.figure}
    return Figures(built.params, measures, built.kharkiv_to_border, place_figures())


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


def rows(f: Figures, radius_unit: str = "mi") -> list[tuple[str, str]]:
    """(label, value as text) for every figure, parameters first, in the current language."""
    out = [
        (_("Stage of the policy"), f"{f.params.stage.label}: {_(f.params.stage.title)}"),
        (_("Radius R (band and ring)"), setting_text(f.params.radius, radius_unit)),
        (_("Counterfire depth D"), setting_text(f.params.depth, "km")),
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
