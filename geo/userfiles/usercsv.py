"""CSV with latitude and longitude columns, read with the standard ``csv`` module for
``geo.userfiles.userdata`` (which checks size and encoding before, and coordinates after).

The delimiter is sniffed among ``,`` ``;`` and tab from the first lines. The coordinate
columns are found by their header (``LAT_NAMES``, ``LON_NAMES``, case-insensitive) or named by
the caller; they must be two different columns. With ``;`` or tab as delimiter a decimal comma
(``50,0``) is read as a decimal point. Every other column is kept as a string property, as
written.

Rows end where CSV says they do, at CR or LF (or both) outside quotes, never at the other line
separators Python's ``str.splitlines`` knows (U+2028, U+2029, NEL, VT, FF, FS, GS, RS), which
are data. A field may be as long as the file (the ``csv`` module's own limit of 131,072
characters is raised to the size limit). The header is read first, and a file of more than
``MAX_PROPERTY_NAMES`` columns is refused before any other row is.
"""

from __future__ import annotations

import collections
import csv
import io
import itertools
import math
import re
from collections.abc import Iterator, Mapping

import shapely

from geo import i18n
from geo.core.units import echo
from geo.i18n import _, ngettext
from geo.userfiles.reading import MAX_BYTES, MAX_FEATURES, MAX_PROPERTY_NAMES, UserDataError

LAT_NAMES = ("lat", "latitude", "y", "breite", "широта")
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "länge", "довгота", "долгота")
DELIMITERS = ",;\t"
_DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+\s*$")
#: How much of the file the delimiter is sniffed from (its first lines, up to this many characters).
SNIFF_CHARS = 65_536

# A field may be as long as a file may be: raised once for the process, never lowered (a
# lower limit set back while another session's file is being read would break that reading).
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))


class Cells(Mapping):
    """A row's cells by column name, as a read-only mapping that shares its file's header:
    a dict of its own for each row of a 1,000-column file would take 36 KB a row (360 MB for
    a file of 20 MB), a list of the cells takes 8 KB."""

    __slots__ = ("_cells", "_index")

    def __init__(self, index: Mapping[str, int], cells: list[str]):
        self._index, self._cells = index, cells

    def __getitem__(self, key: str) -> str:
        return self._cells[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return repr(dict(self))


def lines(text: str) -> io.StringIO:
    """The text as lines that end only at CR, LF or CRLF, as CSV rows do."""
    return io.StringIO(text, newline="")


def _delimiter(text: str) -> str:
    sample = "".join(itertools.islice(lines(text[:SNIFF_CHARS]), 20))
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = next(lines(sample), "")
        return max(DELIMITERS, key=header.count)


def _column(
    header: list[str], wanted: str | None, names: tuple[str, ...], latitude: bool, shown: str
) -> int:
    """The index of the latitude (``latitude``) or longitude column: the one named ``wanted``, else the
    first of ``names`` in the header."""
    folded = [h.strip().casefold() for h in header]
    found = echo(", ".join(header))
    if wanted is not None:
        if wanted.strip().casefold() not in folded:
            message = (
                _("{file} has no column {column} for the latitude: its header is {header}.")
                if latitude
                else _("{file} has no column {column} for the longitude: its header is {header}.")
            )
            raise UserDataError(message.format(file=shown, column=echo(wanted), header=found))
        return folded.index(wanted.strip().casefold())
    for name in names:
        if name in folded:
            return folded.index(name)
    message = (
        _("{file} has no latitude column: its header is {header}; {hint}.")
        if latitude
        else _("{file} has no longitude column: its header is {header}; {hint}.")
    )
    raise UserDataError(message.format(file=shown, header=found, hint=names_hint()))


def names_hint() -> str:
    """How to name the coordinate columns, for messages."""
    return _(
        "name them lat and lon (or latitude/longitude, y/x, breite/länge, широта/довгота), "
        "or pass lat_column= and lon_column="
    )


def number(text: str, delimiter: str) -> float | None:
    """A coordinate as written, or None; a decimal comma is read where ``,`` is not the delimiter."""
    if delimiter != "," and _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def read_rows(
    text: str, notes, *, lat_column: str | None = None, lon_column: str | None = None
) -> list:
    """(point, properties, where) for each data row; bad rows reported in ``notes``."""
    shown = notes.name
    delimiter = _delimiter(text)
    reader = csv.reader(lines(text), delimiter=delimiter)
    try:
        header = next(reader)
        if len(header) > MAX_PROPERTY_NAMES:
            raise UserDataError(
                _(
                    "{file} has {count} columns, over the limit of {limit}: keep the columns "
                    "you need."
                ).format(
                    file=shown,
                    count=i18n.number(len(header)),
                    limit=i18n.number(MAX_PROPERTY_NAMES),
                )
            )
        rows, first = [], reader.line_num + 1  # a row is named by the line it starts on
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((first, row))
            first = reader.line_num + 1
            if len(rows) > MAX_FEATURES:
                raise UserDataError(
                    _("{file} has more than {limit} rows, over the limit: split it.").format(
                        file=shown, limit=i18n.number(MAX_FEATURES)
                    )
                )
    except csv.Error as err:
        raise UserDataError(
            _(
                "{file} is not readable CSV (line {line}: {why}); give a comma-, semicolon- or "
                "tab-separated file with a header row."
            ).format(file=shown, line=reader.line_num, why=err)
        ) from None
    header = [h.strip() for h in header]
    folded = [h.casefold() for h in header]
    counts = collections.Counter(folded)
    twice = sorted({h for h, f in zip(header, folded) if counts[f] > 1})
    if twice:
        raise UserDataError(
            ngettext(
                "{file} has the column {columns} more than once in its header; give each "
                "column its own name.",
                "{file} has the columns {columns} more than once in its header; give each "
                "column its own name.",
                len(twice),
            ).format(file=shown, columns=", ".join(map(echo, twice)))
        )
    ilat = _column(header, lat_column, LAT_NAMES, True, shown)
    ilon = _column(header, lon_column, LON_NAMES, False, shown)
    if ilat == ilon:
        raise UserDataError(
            _(
                "{file}: the latitude and the longitude are both read from the column {column}; "
                "name two different columns."
            ).format(file=shown, column=echo(header[ilat]))
        )
    if not rows:
        raise UserDataError(
            _(
                "{file} has a header but no rows: give one row per place, with its latitude and "
                "longitude."
            ).format(file=shown)
        )
    found = []
    kept = {h: i for i, h in enumerate(header) if i not in (ilat, ilon)}
    for line, row in rows:
        where = _("line {number}").format(number=line)
        if len(row) != len(header):
            notes.add(
                where,
                ngettext(
                    "has {count} field where the header has {expected}",
                    "has {count} fields where the header has {expected}",
                    len(row),
                ).format(count=len(row), expected=len(header)),
                skip=True,
            )
            continue
        lat, lon = number(row[ilat], delimiter), number(row[ilon], delimiter)
        if lat is None or lon is None:
            bad = row[ilat] if lat is None else row[ilon]
            notes.add(
                where,
                _("has {value} where a number of degrees belongs (e.g. 50.0)").format(
                    value=echo(bad)
                ),
                skip=True,
            )
            continue
        if not (math.isfinite(lat) and math.isfinite(lon)):
            notes.add(
                where,
                _("has a coordinate that is not a finite number (NaN or infinite)"),
                skip=True,
            )
            continue
        found.append((shapely.Point(lon, lat), Cells(kept, row), where))
    return found
