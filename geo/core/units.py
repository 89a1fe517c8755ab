"""Distances and areas as values with a unit, parsed from what people type and written for
people in one place.

A distance travels through the engine as a geopy ``Distance`` (hashable, comparable, answers
``.m``, ``.km``, ``.miles``) and an area as an :class:`Area`; each becomes a number only where
text, CSV or JSON is written (``length_text``, ``area_text``, ``round_km`` ...).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from geopy.distance import Distance

from geo.i18n import _, decimal_sign, npgettext, number, pgettext, plain
from geo.i18n.quote import shown

KM_PER_MI = 1.609344
_UNITS = {"m": "meters", "km": "kilometers", "mi": "miles"}
_PATTERN = re.compile(
    r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z]*)\s*$", re.ASCII
)


class DistanceError(ValueError):
    """A distance someone typed that the engine does not accept; the message is one
    sentence naming the value, what is accepted and an example."""


@dataclass(frozen=True, order=True)
class Area:
    """An area on the ellipsoid, in square metres."""

    m2: float

    @property
    def km2(self) -> float:
        return self.m2 / 1e6

    def __add__(self, other: Area) -> Area:
        return Area(self.m2 + other.m2)

    def __sub__(self, other: Area) -> Area:
        return Area(self.m2 - other.m2)


def distance(value: float, unit: str) -> Distance:
    """``distance(12, "mi")`` -> a geopy Distance."""
    return Distance(**{_UNITS[unit]: value})


def in_unit(d: Distance, unit: str) -> float:
    return {"m": d.m, "km": d.km, "mi": d.miles}[unit]


def symbol(unit: str, written: str = "") -> str:
    """A unit's symbol in the current language: ``km`` / ``км``. Ukrainian writes the mile
    as a word that agrees with the number before it (``written``, as shown): 1 миля, 2 милі,
    12 миль, and a fraction takes the genitive singular, 21,5 милі."""
    if unit == "mi":
        whole = re.sub(r"\D", "", written)
        # A fraction agrees as 2 does in Ukrainian ("few": милі); so does a number not given.
        n = 2 if decimal_sign() in written or not whole else int(whole)
        return npgettext("unit", "mi", "mi", n)
    return {
        "m": pgettext("unit", "m"),
        "km": pgettext("unit", "km"),
        "km2": pgettext("unit", "km²"),
    }[unit]


def describe(d: Distance, unit: str) -> str:
    """A short human form with up to four significant digits: ``describe(d, "mi")`` -> ``"12 mi"``."""
    text = plain(in_unit(d, unit), 4)
    return f"{text} {symbol(unit, text)}"


def length_text(d: Distance, first: str = "km", digits: int = 1) -> str:
    """The one way the project writes a distance for people: ``34.6 km (21.5 mi)``
    (``34,6 км (21,5 милі)`` in Ukrainian).

    ``first`` is the unit written first (``"km"`` or ``"mi"``); the other follows in brackets."""
    other = "mi" if first == "km" else "km"
    a, b = number(in_unit(d, first), digits), number(in_unit(d, other), digits)
    return f"{a} {symbol(first, a)} ({b} {symbol(other, b)})"


def setting_text(d: Distance, first: str = "km") -> str:
    """A parameter someone set, without trailing zeros: ``12 mi (19.31 km)``."""
    other = "mi" if first == "km" else "km"
    return f"{describe(d, first)} ({describe(d, other)})"


def area_text(a: Area) -> str:
    """``23,294 km²`` (``23 294 км²``)."""
    return f"{number(a.km2, 0)} {symbol('km2')}"


def echo(text: object) -> str:
    """A value quoted back in a message, cut to a short prefix (``geo.core.quote.shown``):
    ``'12mi;rm -rf'``."""
    return repr(shown(text))


def _ascii_digits(text: str) -> str:
    """Decimal digits of any script (Arabic-Indic, full-width ...) as ASCII digits, and
    full-width letters as ASCII letters: what a person typed as "١٢mi" or "１２ｍｉ" means 12 mi.
    Characters that are numbers but no decimal digit (superscript ², fractions, circled
    numbers) stay as they are, so they are refused, as ``float`` refuses them."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
        elif ch.isdecimal():
            out.append(str(unicodedata.decimal(ch)))
        elif ch.isnumeric():
            out.append(ch)
        else:
            out.append(unicodedata.normalize("NFKC", ch))
    return "".join(out)


def unit_of(text: str) -> str:
    """The unit a distance was typed in (``"12 MI"`` -> ``"mi"``), or ``""``."""
    match = _PATTERN.match(_ascii_digits(str(text)))
    return match.group(2).lower() if match else ""


def parse_distance(
    text: str, *, what: str, low: Distance, high: Distance, example: str
) -> Distance:
    """Parse ``"12mi"``, ``"19.3km"`` or ``"500m"`` and check it lies in [low, high].

    Raises DistanceError with one sentence otherwise (no unit, negative, NaN, out of range,
    garbage). Digits of other scripts read as the digits they are.

    >>> parse_distance("١٢mi", what="radius", low=distance(1, "mi"), high=distance(100, "mi"), example="12mi").miles
    12.0
    """

    def refuse(message: str, **more) -> DistanceError:
        accepted = _(
            "{what} takes a distance with a unit (m, km or mi) from {low_km} to {high_km} "
            "({low_mi} to {high_mi}), e.g. {example}"
        ).format(
            what=what,
            low_km=describe(low, "km"),
            high_km=describe(high, "km"),
            low_mi=describe(low, "mi"),
            high_mi=describe(high, "mi"),
            example=example,
        )
        return DistanceError(message.format(what=what, value=echo(text), accepted=accepted, **more))

    match = _PATTERN.match(_ascii_digits(str(text)))
    if not match:
        raise refuse(_("{what} {value} is not a distance: {accepted}."))
    digits, unit = match.groups()
    if not unit:
        raise refuse(_("{what} {value} has no unit: {accepted}."))
    if unit.lower() not in _UNITS:
        raise refuse(_("{what} {value} has an unknown unit {unit}: {accepted}."), unit=echo(unit))
    value = float(digits)
    if not math.isfinite(value):
        raise refuse(_("{what} {value} is not a finite number: {accepted}."))
    result = distance(value, unit.lower())
    # A hair of tolerance so that "160.934km" is accepted as 100 mi.
    if not (low.m * (1 - 1e-9) <= result.m <= high.m * (1 + 1e-6)):
        raise refuse(_("{what} {value} is out of range: {accepted}."))
    return result
