"""The measured figures as tables: rows for a screen, and one CSV file.

Everything here is arithmetic on ``facts.Figures`` plus geodesic distances between the
places (geopy's ``geodesic`` on WGS84); no geometry is built. Numbers are rounded here, where
they are written.

The rows for a screen are in the current language, column names included (a reader takes a
row's values in order); the CSV file is the same in every language: its columns, items and
units are data.
"""

from __future__ import annotations

import csv
import io
from itertools import combinations

from geopy.distance import Distance, geodesic

from geo.core.units import area_text, length_text, symbol
from geo.engine import layers as registry
from geo.engine import places
from geo.engine.facts import (
    PUBLISHED_LENGTHS,
    SOURCE_FIGURES,
    Figures,
    SourceFigures,
    StageFigures,
    relative_difference,
    rows,
)
from geo.engine.stages import KURSK_NOTE
from geo.i18n import _, number, percent


def claims(f: Figures) -> list[dict]:
    """The article's figure beside the measurement."""
    said = registry.template_values(f.params)["CLAIM"]
    return [
        {
            _("What"): _("Kharkiv to the Russian border"),
            _("The article says"): f"{said} ({number(f.article_claim.km, 1)} {symbol('km')})",
            _("Measured"): _("{distance}, city centre to the nearest border point").format(
                distance=length_text(f.kharkiv_to_border)
            ),
            _("Measured ÷ claimed"): number(f.kharkiv_to_border.m / f.article_claim.m, 2),
        }
    ]


def figure_rows(f: Figures) -> list[dict]:
    """Each figure as text, parameters first."""
    return [{_("Figure"): label, _("Value"): value} for label, value in rows(f)]


def place_rows(f: Figures) -> list[dict]:
    """Each place with its distances to Kharkiv's centre and to the border (none for a
    country's label point)."""
    return [
        {
            _("Place"): row.place.label,
            _("In the article"): _("yes") if row.place.named_in_article else _("context"),
            _("To Kharkiv (km)"): None if row.to_kharkiv is None else round(row.to_kharkiv.km, 1),
            _("To the border (km)"): None if row.to_border is None else round(row.to_border.km, 1),
            _("Latitude"): row.place.lat,
            _("Longitude"): row.place.lon,
        }
        for row in f.places
    ]


def stage_rows(stage_rows: tuple[StageFigures, ...]) -> list[dict]:
    """One row per stage: its date, what it permitted, the sanctuary it left, the share (the
    source as published, in English)."""

    def area(a):
        return (
            area_text(a) if a is not None else _("not measured ({note})").format(note=_(KURSK_NOTE))
        )

    return [
        {
            _("Stage"): row.stage.label,
            _("What was reported"): _(row.stage.title),
            _("Permitted (within 300 km)"): area(row.permitted),
            _("Sanctuary (off-limits)"): area(row.sanctuary),
            _("Permitted share"): "—"
            if row.permitted_share is None
            else percent(row.permitted_share, 1),
            _("Source"): row.stage.source,
        }
        for row in stage_rows
    ]


def signed_percent(share: float | None, digits: int = 1) -> str:
    """A relative difference as a signed percentage: ``−22.1%``, ``+0.3%`` (``—`` for none)."""
    if share is None:
        return "—"
    sign = "+" if share > 0 else "−" if share < 0 else "±"
    return sign + percent(abs(share), digits)


def source_rows(sources: tuple[SourceFigures, ...]) -> list[dict]:
    """One row per figure of :data:`~geo.engine.facts.SOURCE_FIGURES` and the permitted share:
    each source's value, how far each other source's is from the first's, and the published
    figure where there is one (its publisher as published, in English)."""
    first, others = sources[0], sources[1:]
    labels = {spec.figure.key: spec.figure.label for spec in registry.REGISTRY if spec.figure}
    table = []
    for key in SOURCE_FIGURES:
        row = {_("Figure"): _(labels[key])}
        for figures in sources:
            value = figures.measure(key)
            row[figures.source.name] = (
                length_text(value) if isinstance(value, Distance) else area_text(value)
            )
        for figures in others:
            row[
                _("{other} vs {first}").format(other=figures.source.name, first=first.source.name)
            ] = signed_percent(relative_difference(figures.measure(key), first.measure(key)))
        published = PUBLISHED_LENGTHS.get(key)
        row[_("Published")] = (
            "—"
            if published is None
            else _("{value}: {source}; {note}").format(
                value=length_text(published.value, digits=0),
                source=published.source,
                note=_(published.note),
            )
        )
        table.append(row)
    share = {_("Figure"): _("Share of the reach permitted")}
    for figures in sources:
        share[figures.source.name] = (
            "—" if figures.permitted_share is None else percent(figures.permitted_share, 2)
        )
    for figures in others:
        share[
            _("{other} vs {first}").format(other=figures.source.name, first=first.source.name)
        ] = (
            "—"
            if figures.permitted_share is None or not first.permitted_share
            else signed_percent(figures.permitted_share / first.permitted_share - 1)
        )
    share[_("Published")] = "—"
    table.append(share)
    return table


def city_pairs() -> list[tuple[places.Place, places.Place, Distance]]:
    """Geodesic distance between every two city places (country labels are not places one
    measures from), nearest pairs first."""
    cities = [p for p in places.places() if p.kind == "city"]
    pairs = [
        (a, b, Distance(kilometers=geodesic((a.lat, a.lon), (b.lat, b.lon)).km))
        for a, b in combinations(cities, 2)
    ]
    return sorted(pairs, key=lambda pair: pair[2])


def city_distances() -> list[dict]:
    return [
        {_("From"): a.label, _("To"): b.label, _("Distance (km)"): round(d.km, 1)}
        for a, b, d in city_pairs()
    ]


def csv_text(f: Figures) -> str:
    """Every figure, place distance and city-to-city distance as one long-format CSV: one
    value per row, with R and D (in metres) on every row."""
    params = {"radius_m": round(f.params.radius.m, 3), "depth_m": round(f.params.depth.m, 3)}
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=["item", "measure", "value", "unit", *params], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerow(
        {
            "item": "Radius R",
            "measure": "radius_km",
            "value": round(f.params.radius.km, 4),
            "unit": "km",
            **params,
        }
    )
    writer.writerow(
        {
            "item": "Counterfire depth D",
            "measure": "depth_km",
            "value": round(f.params.depth.km, 4),
            "unit": "km",
            **params,
        }
    )
    for spec in registry.REGISTRY:
        if spec.figure:
            value = f.measure(spec.key)
            number = round(value.km, 3) if spec.figure.kind == "length" else round(value.km2, 1)
            unit = "km" if spec.figure.kind == "length" else "km²"
            writer.writerow(
                {
                    "item": spec.figure.label,
                    "measure": spec.figure.key,
                    "value": number,
                    "unit": unit,
                    **params,
                }
            )
    writer.writerow(
        {
            "item": "The article's figure",
            "measure": "article_claim_mi",
            "value": round(f.article_claim.miles, 3),
            "unit": "mi",
            **params,
        }
    )
    for row in f.places:
        for measure, value in (
            ("distance_to_kharkiv_km", row.to_kharkiv),
            ("distance_to_border_km", row.to_border),
        ):
            if value is not None:
                writer.writerow(
                    {
                        "item": row.place.name,
                        "measure": measure,
                        "value": round(value.km, 3),
                        "unit": "km",
                        **params,
                    }
                )
    for a, b, d in city_pairs():
        writer.writerow(
            {
                "item": f"{a.name} – {b.name}",
                "measure": "geodesic_distance_km",
                "value": round(d.km, 1),
                "unit": "km",
                **params,
            }
        )
    return out.getvalue()
