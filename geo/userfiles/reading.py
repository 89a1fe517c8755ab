"""What every reader of people's files shares: the formats and limits, the one-sentence error
for a file that cannot be used at all, and the notes kept about one file (its messages and
the count of skipped features). ``geo.userfiles.userdata`` reads a file with
``geo.userfiles.usercsv`` or ``geo.userfiles.usergdal``; all three use these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geo import i18n
from geo.i18n import _, ngettext

MAX_BYTES = 20_000_000
MAX_FEATURES = 50_000
#: Messages kept per file; the rest are counted in a last sentence.
MAX_MESSAGES = 40
FORMATS = {"geojson": "GeoJSON", "kml": "KML", "csv": "CSV"}


def accepted() -> str:
    """What the reader takes, for messages (in the current language)."""
    return _(
        "GeoJSON (.geojson, .json), KML (.kml) or CSV with latitude and longitude columns (.csv), "
        "UTF-8, up to {size} MB and {count} features"
    ).format(size=i18n.number(MAX_BYTES / 1e6), count=i18n.number(MAX_FEATURES))


class UserDataError(ValueError):
    """A file that cannot be used at all; the message is one sentence naming the file and
    what is accepted."""


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
