"""The map in words: what a view draws and what it measures, as plain sentences.

A screen reader cannot read a map; it can read this. :func:`describe` says, in a few short
paragraphs, what the view is (the stage of the policy, R and D), what each shown layer is
(its legend sentence from ``geo.engine.layers.REGISTRY``, filled with the view's values, and how it
is drawn: colour *and* line pattern, the way the legend tells them apart), the key figures
(Kharkiv's centre to the border beside the article's 12 miles, and each shown layer's
measured length or area), and the places marked. Layers that are not shown are not named.

The app shows it under the map, the exported page carries it as text a screen reader
reaches (``geo.render.web.elements.Description``), and a static figure can use it as its alt text.

Distances are written with ``radius_unit`` first (the unit the view shows R in); areas in
square kilometres and square miles, in words, because "km²" is read aloud unevenly. Every
figure is one the layers measured when they were built (geodesic, WGS84): nothing is
measured here. The sentences are written in the current language.
"""

from __future__ import annotations

from collections.abc import Iterable

from geopy.distance import Distance

from geo.core.units import Area, length_text
from geo.data.source import DEFAULT as DEFAULT_SOURCE
from geo.engine import layers as registry
from geo.engine.facts import place_figures
from geo.engine.layers import Layers, LayerSpec
from geo.i18n import _, ngettext, number, pgettext

#: The Okabe–Ito colours of the registry in everyday words (the Classroom's words too).
COLOUR_NAMES = {
    "#000000": "black",
    "#CC79A7": "pink",
    "#009E73": "green",
    "#E69F00": "orange",
    "#0072B2": "blue",
    "#D55E00": "orange-red",
    "#555555": "grey",
}
KM2_PER_SQ_MI = 2.589988110336
RADIUS_UNITS = ("mi", "km")


def colour_words(colour: str) -> str:
    """A colour of the registry in the current language (as ``{colour}`` in the drawing
    words below takes it)."""
    return {
        "black": pgettext("colour", "black"),
        "pink": pgettext("colour", "pink"),
        "green": pgettext("colour", "green"),
        "orange": pgettext("colour", "orange"),
        "blue": pgettext("colour", "blue"),
        "orange-red": pgettext("colour", "orange-red"),
        "grey": pgettext("colour", "grey"),
    }.get(COLOUR_NAMES.get(colour.upper(), ""), "")


def pattern_words(pattern: str, of: str) -> str:
    """A line pattern (``solid``, ``dashed``, ``dotted``) in the current language, said of an
    ``"outline"`` or a ``"line"`` (a translation may inflect it differently)."""
    if of == "outline":
        return {
            "solid": pgettext("outline", "solid"),
            "dashed": pgettext("outline", "dashed"),
            "dotted": pgettext("outline", "dotted"),
        }[pattern]
    return {
        "solid": pgettext("line", "solid"),
        "dashed": pgettext("line", "dashed"),
        "dotted": pgettext("line", "dotted"),
    }[pattern]


def _check(layers: Layers, shown, radius_unit: str) -> set[str]:
    if not isinstance(layers, Layers):
        raise TypeError(
            f"layers must be geo.engine.layers.Layers (from geo.engine.layers.layers(Params())), "
            f"not {type(layers).__name__}"
        )
    if radius_unit not in RADIUS_UNITS:
        raise ValueError(
            f"radius_unit {radius_unit!r} is not one of {', '.join(RADIUS_UNITS)}, e.g. 'mi'"
        )
    visible = set(registry.KEYS) if shown is None else set(shown)
    unknown = visible - set(registry.KEYS)
    if unknown:
        raise ValueError(
            f"unknown layers {', '.join(sorted(map(str, unknown)))}: shown takes keys of "
            f"geo.engine.layers.REGISTRY ({', '.join(registry.KEYS)}), e.g. {{'border', 'places'}}"
        )
    return visible


def drawing_words(spec: LayerSpec) -> str:
    """How a layer looks, in words: ``"a blue area with a solid outline"``.

    Colour and line pattern together, as the legend shows them, so the words work for a
    reader who cannot tell the colours apart."""
    style = spec.style
    colour = colour_words(str(style["color"]))
    if spec.geometry is None:
        return _("{colour} circles, each with its name").format(colour=colour).strip()
    if style.get("fill", True) and "fillColor" in style:
        return _a(
            _("{colour} shaded area with a {pattern} outline").format(
                colour=colour, pattern=pattern_words(spec.outline, "outline")
            )
        )
    return _a(
        _("{pattern} {colour} line").format(
            colour=colour, pattern=pattern_words(spec.outline, "line")
        )
    )


def _a(words: str) -> str:
    """``words`` after the indefinite article, where the language has one (``a``/``an``)."""
    words = " ".join(words.split())
    return (_("an {words}") if words[0] in "aeiou" else _("a {words}")).format(words=words)


def area_words(area: Area) -> str:
    """``23,294 square kilometres (8,994 square miles)``."""
    km2, mi2 = round(area.km2), round(area.km2 / KM2_PER_SQ_MI)
    return (
        ngettext("{count} square kilometre", "{count} square kilometres", km2).format(
            count=number(km2)
        )
        + " ("
        + ngettext("{count} square mile", "{count} square miles", mi2).format(count=number(mi2))
        + ")"
    )


def overview(layers: Layers, radius_unit: str = "mi") -> str:
    """The view: the place, the stage of the policy, R and D."""
    stage, values = layers.params.stage, layers.values(radius_unit)
    title = _(stage.title)
    # Lower-case only a first word that is not an acronym ("ATACMS allowed …" stays).
    first = title.split(" ", 1)[0]
    title = title if first.isupper() else title[:1].lower() + title[1:]
    return _(
        "A map of the Russia–Ukraine border around Kharkiv, in north-east Ukraine, as the U.S. "
        "policy stood "
        "at this stage: {stage}, {title}. {description} Source: {source}. The distances set: R = "
        "{R}, D = {D}."
    ).format(
        stage=stage.label,
        title=title,
        description=_(stage.description),
        source=stage.source,
        R=values["R"],
        D=values["D"],
    )


def layer_sentence(layers: Layers, spec: LayerSpec, values: dict[str, str]) -> str:
    """One shown layer: its legend sentence, then how it is drawn (or that it is empty)."""
    sentence = spec.text(spec.legend, values)
    if spec.geometry is not None and layers[spec.key].metric.is_empty:
        return _("{sentence}: empty for these distances, so nothing is drawn.").format(
            sentence=sentence
        )
    return _("{sentence}; drawn as {drawing}.").format(
        sentence=sentence, drawing=drawing_words(spec)
    )


def drawn(layers: Layers, visible: set[str], radius_unit: str = "mi") -> str:
    """What is drawn: each shown layer, in the app's order."""
    values = layers.values(radius_unit)
    specs = [spec for spec in registry.REGISTRY if spec.key in visible]
    if not specs:
        return _("No layer is shown: the map has only the countries' outlines.")
    total = len(registry.REGISTRY)
    if len(specs) == total:
        head = _("It shows every one of the {total} layers.").format(total=total)
    else:
        head = _("It shows {count} of the {total} layers.").format(count=len(specs), total=total)
    return head + " " + " ".join(layer_sentence(layers, spec, values) for spec in specs)


def _measure_sentence(spec: LayerSpec, value: Distance | Area, radius_unit: str) -> str:
    if isinstance(value, Distance):
        return _("{label}: {length} long.").format(
            label=_(spec.figure.label), length=length_text(value, radius_unit)
        )
    return _("{label}: {area}.").format(label=_(spec.figure.label), area=area_words(value))


def key_figures(layers: Layers, visible: set[str], radius_unit: str = "mi") -> str:
    """Kharkiv's centre to the border beside the article's 12 miles (always: it is the
    article's claim), then each shown layer's measured length or area."""
    gap, claim = layers.kharkiv_to_border, registry.ARTICLE_CLAIM
    difference = Distance(kilometers=abs(gap.km - claim.km))
    if claim < gap:
        sentence = _(
            "Measured from Kharkiv's centre, the nearest point of the Russian border is {gap} "
            "away; "
            "the article says {claim}, {difference} less than measured."
        )
    else:
        sentence = _(
            "Measured from Kharkiv's centre, the nearest point of the Russian border is {gap} "
            "away; "
            "the article says {claim}, {difference} more than measured."
        )
    parts = [
        sentence.format(
            gap=length_text(gap, radius_unit),
            claim=layers.values(radius_unit)["CLAIM"],
            difference=length_text(difference, radius_unit),
        )
    ]
    measured = [
        _measure_sentence(spec, layers[spec.key].measure, radius_unit)
        for spec in registry.REGISTRY
        if spec.key in visible
        and spec.figure
        and spec.key != "kharkiv_to_border"
        and not layers[spec.key].metric.is_empty
    ]
    if measured:
        parts.append(
            _("Measured on the WGS84 ellipsoid: {figures}").format(figures=" ".join(measured))
        )
    return " ".join(parts)


def places_marked(radius_unit: str = "mi", border_source: str = DEFAULT_SOURCE) -> str:
    """The places on the map, each with its distance to a border source's border (what its
    popup says)."""
    cities, countries = [], []
    for row in place_figures(border_source):
        place = row.place
        if row.to_border is None:
            countries.append(place.label)
            continue
        distance = length_text(row.to_border, radius_unit)
        if place.named_in_article:
            cities.append(
                _("{place}: {distance} from the border").format(
                    place=place.label, distance=distance
                )
            )
        else:
            cities.append(
                _("{place}: {distance} from the border, context, not named in the article").format(
                    place=place.label, distance=distance
                )
            )
    text = _("Places marked: {places}.").format(places="; ".join(cities))
    if len(countries) == 2:
        text += " " + _("The names {first} and {second} label the two countries.").format(
            first=countries[0], second=countries[1]
        )
    return text


def paragraphs(
    layers: Layers, shown: Iterable[str] | None = None, radius_unit: str = "mi"
) -> tuple[str, ...]:
    """The description's paragraphs: the view, what is drawn, the key figures, and the
    places when they are shown. ``shown``: layer keys (None: all)."""
    visible = _check(layers, shown, radius_unit)
    out = [
        overview(layers, radius_unit),
        drawn(layers, visible, radius_unit),
        key_figures(layers, visible, radius_unit),
    ]
    if "places" in visible:
        out.append(places_marked(radius_unit, layers.params.source))
    return tuple(out)


def describe(layers: Layers, shown: Iterable[str] | None = None, radius_unit: str = "mi") -> str:
    """The map of one view in plain sentences, paragraphs separated by a blank line.

    ``layers``: ``geo.engine.layers.layers(Params)``; ``shown``: the layer keys drawn (None: all);
    ``radius_unit``: ``"mi"`` or ``"km"``, the unit distances are written in first.

    >>> from geo.engine.layers import layers, Params
    >>> text = describe(layers(Params()), {"border", "counterfire_zone"})
    >>> "Counterfire zone: Russia within D = 80 km of the Kharkiv sector; drawn as a blue" in text
    True
    >>> "Sanctuary" in text  # not shown, not named
    False
    >>> describe(layers(Params()), {"borders"})
    Traceback (most recent call last):
    ValueError: unknown layers borders: shown takes keys of geo.engine.layers.REGISTRY (places, border, kharkiv_sector, kharkiv_to_border, kharkiv_ring, border_band, counterfire_zone, deep_strike_zone, sanctuary), e.g. {'border', 'places'}
    """
    return "\n\n".join(paragraphs(layers, shown, radius_unit))
