"""CSV with latitude and longitude columns, read with the standard ``csv`` module for
``geo.userdata`` (which checks size and encoding before, and coordinates after).

The delimiter is sniffed among ``,`` ``;`` and tab. The coordinate columns are found by their
header (``LAT_NAMES``, ``LON_NAMES``, case-insensitive) or named by the caller. With ``;`` or
tab as delimiter a decimal comma (``50,0``) is read as a decimal point. Every other column is
kept as a string property, as written.
"""

from __future__ import annotations

import csv
import math
import re

import shapely

from geo.units import echo
from geo.userdata import MAX_FEATURES, UserDataError

LAT_NAMES = ("lat", "latitude", "y", "breite", "широта")
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "länge", "довгота", "долгота")
DELIMITERS = ",;\t"
_DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+\s*$")
NAMES_HINT = ("name them lat and lon (or latitude/longitude, y/x, breite/länge, широта/довгота), "
              "or pass lat_column= and lon_column=")


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = text.splitlines()[0]
        return max(DELIMITERS, key=header.count)


def _column(header: list[str], wanted: str | None, names: tuple[str, ...], what: str, shown: str) -> int:
    folded = [h.strip().casefold() for h in header]
    if wanted is not None:
        if wanted.strip().casefold() not in folded:
            raise UserDataError(f"{shown} has no column {echo(wanted)} for the {what}: its header is "
                         f"{echo(', '.join(header))}.")
        return folded.index(wanted.strip().casefold())
    for name in names:
        if name in folded:
            return folded.index(name)
    raise UserDataError(f"{shown} has no {what} column: its header is {echo(', '.join(header))}; {NAMES_HINT}.")


def number(text: str, delimiter: str) -> float | None:
    """A coordinate as written, or None; a decimal comma is read where ``,`` is not the delimiter."""
    if delimiter != "," and _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def read_rows(text: str, notes, *, lat_column: str | None = None, lon_column: str | None = None) -> list:
    """(point, properties, where) for each data row; bad rows reported in ``notes``."""
    shown = notes.name
    delimiter = _delimiter(text)
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    try:
        header = next(reader)
        rows = []
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
            if len(rows) > MAX_FEATURES:
                raise UserDataError(f"{shown} has more than {MAX_FEATURES:,} rows, over the limit: split it.")
    except csv.Error as err:
        raise UserDataError(f"{shown} is not readable CSV (line {reader.line_num}: {err}); give a comma-, "
                     "semicolon- or tab-separated file with a header row.") from None
    header = [h.strip() for h in header]
    folded = [h.casefold() for h in header]
    twice = sorted({h for h, f in zip(header, folded) if folded.count(f) > 1})
    if twice:
        raise UserDataError(f"{shown} has the column{'s' if len(twice) > 1 else ''} {', '.join(map(echo, twice))} more "
                     "than once in its header; give each column its own name.")
    ilat = _column(header, lat_column, LAT_NAMES, "latitude", shown)
    ilon = _column(header, lon_column, LON_NAMES, "longitude", shown)
    if not rows:
        raise UserDataError(f"{shown} has a header but no rows: give one row per place, with its latitude and longitude.")
    found = []
    for line, row in rows:
        where = f"line {line}"
        if len(row) != len(header):
            notes.add(where, f"has {len(row)} fields where the header has {len(header)}", skip=True)
            continue
        lat, lon = number(row[ilat], delimiter), number(row[ilon], delimiter)
        if lat is None or lon is None:
            bad = row[ilat] if lat is None else row[ilon]
            notes.add(where, f"has {echo(bad)} where a number of degrees belongs (e.g. 50.0)", skip=True)
            continue
        if not (math.isfinite(lat) and math.isfinite(lon)):
            notes.add(where, "has a coordinate that is not a finite number (NaN or infinite)", skip=True)
            continue
        props = {h: cell for i, (h, cell) in enumerate(zip(header, row)) if i not in (ilat, ilon)}
        found.append((shapely.Point(lon, lat), props, where))
    return found
