"""The map in words: what a view draws and what it measures, as plain sentences.

A screen reader cannot read a map; it can read this. :func:`describe` says, in a few short
paragraphs, what the view is (the stage of the policy, R and D), what each shown layer is
(its legend sentence from ``geo.layers.REGISTRY``, filled with the view's values, and how it
is drawn: colour *and* line pattern, the way the legend tells them apart), the key figures
(Kharkiv's centre to the border beside the article's 12 miles, and each shown layer's
measured length or area), and the places marked. Layers that are not shown are not named.

The app shows it under the map, the exported page carries it as text a screen reader
reaches (``geo.elements.Description``), and a static figure can use it as its alt text.

Distances are written with ``radius_unit`` first (the unit the view shows R in); areas in
square kilometres and square miles, in words, because "km²" is read aloud unevenly. Every
figure is one the layers measured when they were built (geodesic, WGS84): nothing is
measured here.
"""

from __future__ import annotations

from collections.abc import Iterable

from geopy.distance import Distance

from geo import layers as registry
from geo.facts import place_figures
from geo.layers import Layers, LayerSpec
from geo.units import Area, length_text

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


def _check(layers: Layers, shown, radius_unit: str) -> set[str]:
    if not isinstance(layers, Layers):
        raise TypeError(f"layers must be geo.layers.Layers (from geo.layers.layers(Params())), "
                        f"not {type(layers).__name__}")
    if radius_unit not in RADIUS_UNITS:
        raise ValueError(f"radius_unit {radius_unit!r} is not one of {', '.join(RADIUS_UNITS)}, e.g. 'mi'")
    visible = set(registry.KEYS) if shown is None else set(shown)
    unknown = visible - set(registry.KEYS)
    if unknown:
        raise ValueError(f"unknown layers {', '.join(sorted(map(str, unknown)))}: shown takes keys of "
                         f"geo.layers.REGISTRY ({', '.join(registry.KEYS)}), e.g. {{'border', 'places'}}")
    return visible


def drawing_words(spec: LayerSpec) -> str:
    """How a layer looks, in words: ``"a blue area with a solid outline"``.

    Colour and line pattern together, as the legend shows them, so the words work for a
    reader who cannot tell the colours apart."""
    style = spec.style
    colour = COLOUR_NAMES.get(str(style["color"]).upper(), "")
    pattern = spec.outline  # "solid", "dashed" or "dotted", as the legend draws it
    if spec.geometry is None:
        return f"{colour} circles, each with its name".strip()
    if style.get("fill", True) and "fillColor" in style:
        return _a(f"{colour} shaded area with a {pattern} outline")
    return _a(f"{pattern} {colour} line")


def _a(words: str) -> str:
    words = " ".join(words.split())
    return ("an " if words[0] in "aeiou" else "a ") + words


def area_words(area: Area) -> str:
    """``23,294 square kilometres (8,994 square miles)``."""
    return f"{area.km2:,.0f} square kilometres ({area.km2 / KM2_PER_SQ_MI:,.0f} square miles)"


def overview(layers: Layers, radius_unit: str = "mi") -> str:
    """The view: the place, the stage of the policy, R and D."""
    stage, values = layers.params.stage, layers.values(radius_unit)
    return (f"A map of the Russia–Ukraine border around Kharkiv, in north-east Ukraine, as the U.S. "
            f"policy stood at this stage: {stage.label}, {stage.title[0].lower()}{stage.title[1:]}. "
            f"{stage.description} Source: {stage.source}. The distances set: R = {values['R']}, D = {values['D']}.")


def layer_sentence(layers: Layers, spec: LayerSpec, values: dict[str, str]) -> str:
    """One shown layer: its legend sentence, then how it is drawn (or that it is empty)."""
    sentence = spec.text(spec.legend, values)
    if spec.geometry is not None and layers[spec.key].metric.is_empty:
        return f"{sentence}: empty for these distances, so nothing is drawn."
    return f"{sentence}; drawn as {drawing_words(spec)}."


def drawn(layers: Layers, visible: set[str], radius_unit: str = "mi") -> str:
    """What is drawn: each shown layer, in the app's order."""
    values = layers.values(radius_unit)
    specs = [spec for spec in registry.REGISTRY if spec.key in visible]
    if not specs:
        return "No layer is shown: the map has only the countries' outlines."
    total = len(registry.REGISTRY)
    count = "every one of the" if len(specs) == total else f"{len(specs)} of the"
    head = f"It shows {count} {total} layers. " if len(specs) > 1 else f"It shows 1 of the {total} layers. "
    return head + " ".join(layer_sentence(layers, spec, values) for spec in specs)


def _measure_sentence(spec: LayerSpec, value: Distance | Area, radius_unit: str) -> str:
    if isinstance(value, Distance):
        return f"{spec.figure.label}: {length_text(value, radius_unit)} long."
    return f"{spec.figure.label}: {area_words(value)}."


def key_figures(layers: Layers, visible: set[str], radius_unit: str = "mi") -> str:
    """Kharkiv's centre to the border beside the article's 12 miles (always: it is the
    article's claim), then each shown layer's measured length or area."""
    gap, claim = layers.kharkiv_to_border, registry.ARTICLE_CLAIM
    difference = Distance(kilometers=abs(gap.km - claim.km))
    relation = "less" if claim < gap else "more"
    parts = [
        f"Measured from Kharkiv's centre, the nearest point of the Russian border is "
        f"{length_text(gap, radius_unit)} away; the article says {claim.miles:g} miles, "
        f"{length_text(difference, radius_unit)} {relation} than measured."
    ]
    measured = [
        _measure_sentence(spec, layers[spec.key].measure, radius_unit)
        for spec in registry.REGISTRY
        if spec.key in visible and spec.figure and spec.key != "kharkiv_to_border"
        and not layers[spec.key].metric.is_empty
    ]
    if measured:
        parts.append("Measured on the WGS84 ellipsoid: " + " ".join(measured))
    return " ".join(parts)


def places_marked(radius_unit: str = "mi") -> str:
    """The places on the map, each with its distance to the border (what its popup says)."""
    cities, countries = [], []
    for row in place_figures():
        place = row.place
        if row.to_border is None:
            countries.append(place.name)
            continue
        context = "" if place.named_in_article else ", context, not named in the article"
        cities.append(f"{place.name}: {length_text(row.to_border, radius_unit)} from the border{context}")
    text = f"Places marked: {'; '.join(cities)}."
    if countries:
        text += f" The names {' and '.join(countries)} label the two countries."
    return text


def paragraphs(layers: Layers, shown: Iterable[str] | None = None, radius_unit: str = "mi") -> tuple[str, ...]:
    """The description's paragraphs: the view, what is drawn, the key figures, and the
    places when they are shown. ``shown``: layer keys (None: all)."""
    visible = _check(layers, shown, radius_unit)
    out = [overview(layers, radius_unit), drawn(layers, visible, radius_unit),
           key_figures(layers, visible, radius_unit)]
    if "places" in visible:
        out.append(places_marked(radius_unit))
    return tuple(out)


def describe(layers: Layers, shown: Iterable[str] | None = None, radius_unit: str = "mi") -> str:
    """The map of one view in plain sentences, paragraphs separated by a blank line.

    ``layers``: ``geo.layers.layers(Params)``; ``shown``: the layer keys drawn (None: all);
    ``radius_unit``: ``"mi"`` or ``"km"``, the unit distances are written in first.

    >>> from geo.layers import layers, Params
    >>> text = describe(layers(Params()), {"border", "counterfire_zone"})
    >>> "Counterfire zone: Russia within D = 80 km of the Kharkiv sector; drawn as a blue" in text
    True
    >>> "Sanctuary" in text  # not shown, not named
    False
    >>> describe(layers(Params()), {"borders"})
    Traceback (most recent call last):
    ValueError: unknown layers borders: shown takes keys of geo.layers.REGISTRY (places, border, kharkiv_sector, kharkiv_to_border, kharkiv_ring, border_band, counterfire_zone, deep_strike_zone, sanctuary), e.g. {'border', 'places'}
    """
    return "\n\n".join(paragraphs(layers, shown, radius_unit))
