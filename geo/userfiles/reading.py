"""What every reader of people's files shares: the formats and limits, the one-sentence error
for a file that cannot be used at all, and the notes kept about one file (its messages and
the count of skipped features). ``geo.userfiles.userdata`` reads a file with
``geo.userfiles.usergeojson``, ``geo.userfiles.userkml`` or ``geo.userfiles.usercsv``; all
use these.

The limits bound the work a file can cause, whatever its shape: the size (``MAX_BYTES``) is
checked before anything is read, the feature count (``MAX_FEATURES``), the vertex count
(``MAX_VERTICES``) and the count of distinct property names or CSV columns
(``MAX_PROPERTY_NAMES``) before any geometry is built. With them, every step of reading,
classifying and writing costs in proportion to the file (``bench/files.py`` measures it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo import i18n
from geo.i18n import _, ngettext

MAX_BYTES = 20_000_000
MAX_FEATURES = 50_000
#: Coordinate positions in all the features of a file.
MAX_VERTICES = 1_000_000
#: Distinct property names in a file (a CSV's columns): each becomes a column of the answers,
#: so the answers' table has at most MAX_FEATURES rows of this many cells.
MAX_PROPERTY_NAMES = 1_000
#: Messages kept per file; the rest are counted in a last sentence.
MAX_MESSAGES = 40
FORMATS = {"geojson": "GeoJSON", "kml": "KML", "csv": "CSV"}


def accepted() -> str:
    """What the reader takes, for messages (in the current language)."""
    return _(
        "GeoJSON (.geojson, .json), KML (.kml) or CSV with latitude and longitude columns (.csv), "
        "UTF-8, up to {size} MB, {count} features and {vertices} vertices"
    ).format(
        size=i18n.number(MAX_BYTES / 1e6),
        count=i18n.number(MAX_FEATURES),
        vertices=i18n.number(MAX_VERTICES),
    )


class UserDataError(ValueError):
    """A file that cannot be used at all; the message is one sentence naming the file and
    what is accepted."""


def too_many_features(shown: str, count: int | None = None) -> UserDataError:
    """The feature limit, with the count when it is known (else "more than")."""
    if count is None:
        text = _("{file} has more than {limit} features, over the limit: split it.")
    else:
        text = _("{file} has {count} features, over the limit of {limit}: split it.")
    return UserDataError(
        text.format(file=shown, count=i18n.number(count or 0), limit=i18n.number(MAX_FEATURES))
    )


def too_many_vertices(shown: str) -> UserDataError:
    return UserDataError(
        _(
            "{file} has more than {limit} vertices (coordinate positions) in all, over the "
            "limit: split it, or simplify its shapes."
        ).format(file=shown, limit=i18n.number(MAX_VERTICES))
    )


def too_many_names(shown: str) -> UserDataError:
    return UserDataError(
        _(
            "{file} has more than {limit} different property names or columns, over the "
            "limit: keep the ones you need."
        ).format(file=shown, limit=i18n.number(MAX_PROPERTY_NAMES))
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with each lone surrogate (which JSON's ``\\ud800`` escapes can give, and no
    file can hold) as U+FFFD, so that what is read can always be written back as UTF-8."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


@dataclass
class Notes:
    """The sentences about one file, kept up to MAX_MESSAGES, and the count of skipped features."""

    name: str
    messages: list[str] = field(default_factory=list)
    skipped: int = 0
    dropped: int = 0

    def add(self, where: str, text: str, skip: bool = False) -> None:
        self.skipped += skip
        if len(self.messages) < MAX_MESSAGES:
            line = _("{file}, {where}: {text}; skipped.") if skip else _("{file}, {where}: {text}.")
            self.messages.append(line.format(file=self.name, where=where, text=text))
        else:
            self.dropped += 1

    def done(self) -> tuple[str, ...]:
        more = ngettext(
            "{file}: {count} more message like this is not shown.",
            "{file}: {count} more messages like these are not shown.",
            self.dropped,
        )
        return tuple(
            self.messages
            + [more.format(file=self.name, count=i18n.number(self.dropped))] * bool(self.dropped)
        )
