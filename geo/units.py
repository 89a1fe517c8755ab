"""Distances as values with a unit, parsed from what people type.

A distance travels through the engine as a geopy ``Distance`` (``.m``, ``.km``, ``.miles``)
or as a float whose name carries its unit (``radius_m``); never as a bare number.
"""

from __future__ import annotations

import math
import re

from geopy.distance import Distance

_UNITS = {"m": "meters", "km": "kilometers", "mi": "miles"}
_PATTERN = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z]*)\s*$")


class DistanceError(ValueError):
    """A distance someone typed that the engine does not accept; the message is one
    sentence naming the value, what is accepted and an example."""


def distance(value: float, unit: str) -> Distance:
    """``distance(12, "mi")`` -> a geopy Distance."""
    return Distance(**{_UNITS[unit]: value})


def describe(d: Distance, unit: str) -> str:
    """A short human form: ``describe(d, "mi")`` -> ``"12 mi"``."""
    value = {"m": d.m, "km": d.km, "mi": d.miles}[unit]
    return f"{value:.4g} {unit}"


def parse_distance(text: str, *, what: str, low: Distance, high: Distance, example: str) -> Distance:
    """Parse ``"12mi"``, ``"19.3km"`` or ``"500m"`` and check it lies in [low, high].

    Raises DistanceError with one sentence otherwise (no unit, negative, NaN, out of range,
    garbage)."""
    accepted = (
        f"{what} takes a distance with a unit (m, km or mi) from {describe(low, 'km')} to "
        f"{describe(high, 'km')} ({describe(low, 'mi')} to {describe(high, 'mi')}), e.g. {example}"
    )
    match = _PATTERN.match(str(text))
    if not match:
        raise DistanceError(f"{what} {text!r} is not a distance: {accepted}.")
    number, unit = match.groups()
    if not unit:
        raise DistanceError(f"{what} {text!r} has no unit: {accepted}.")
    if unit.lower() not in _UNITS:
        raise DistanceError(f"{what} {text!r} has an unknown unit {unit!r}: {accepted}.")
    value = float(number)
    if not math.isfinite(value):
        raise DistanceError(f"{what} {text!r} is not a finite number: {accepted}.")
    result = distance(value, unit.lower())
    # A hair of tolerance so that "160.934km" is accepted as 100 mi.
    if not (low.m * (1 - 1e-9) <= result.m <= high.m * (1 + 1e-6)):
        raise DistanceError(f"{what} {text!r} is out of range: {accepted}.")
    return result
