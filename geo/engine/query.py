"""What is here? The answer for a point someone clicked, and for a place marker.

For a point: its coordinates, the geodesic distance to the Russia–Ukraine land border (to
the border line sampled every ``zones.BORDER_SAMPLE_M``, see ``zones.nearest_on_border``)
and to Kharkiv's centre (geopy's ``geodesic``, WGS84), and which area it lies in, as
``layers.classify`` decides it for the current R and D, said in one sentence.

A country marker is a label point (see ``geo.engine.places``), not a place measured from, so its
answer carries the quote but no distances.

Every sentence is written in the current language when the answer is made (the layers hold
no text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from geopy.distance import Distance, geodesic

from geo.engine import layers as registry
from geo.engine import places, zones
from geo.engine.layers import Layers
from geo.i18n import N_, _, number, pgettext

#: What is said of a point in no area of the registry: the rest of each country, or neither.
OTHER_SENTENCES = {
    "ukraine": N_("Ukraine, more than R = {R} from the Russian border."),
    "russia": N_(
        "Russia, beyond the reach of the map's zones: more than {REACH} from the land border."
    ),
    "elsewhere": N_("Neither Ukraine nor Russia as this map draws them ({WHERE})."),
}
OTHER_NAMES = {
    "ukraine": N_("Ukraine, beyond R"),
    "russia": N_("Russia, beyond the zones' reach"),
    "elsewhere": N_("Elsewhere"),
}
#: The neighbours a point outside both countries may be in, as ``{WHERE}`` says it.
NEIGHBOURS = (("BLR", N_("in Belarus")), ("MDA", N_("in Moldova")))


def area_name(area: str) -> str:
    """A short name for what ``layers.classify`` answered, for headings, in the current language."""
    spec = registry.BY_KEY.get(area)
    return _(spec.area_name if spec is not None else OTHER_NAMES[area])


class PointError(ValueError):
    """Coordinates that are not a point on Earth; the message is one sentence."""


@dataclass(frozen=True)
class Answer:
    """What is at one point, for one set of layers."""

    lat: float
    lon: float
    area: str  # what layers.classify says: an area's layer key, or "ukraine", "russia", "elsewhere"
    sentence: str
    to_border: Distance
    border_point: tuple[float, float]  # (lat, lon) of the nearest border point
    to_kharkiv: Distance

    @property
    def coordinates(self) -> str:
        return coordinates_text(self.lat, self.lon)


@dataclass(frozen=True)
class PlaceAnswer:
    """A place marker: the place, and the answer for its point (None for a country label)."""

    place: places.Place
    answer: Answer | None


def coordinates_text(lat: float, lon: float) -> str:
    """``49.98177° N, 36.25475° E`` (``49,98177° пн. ш., 36,25475° сх. д.``)."""
    north = pgettext("latitude", "N") if lat >= 0 else pgettext("latitude", "S")
    east = pgettext("longitude", "E") if lon >= 0 else pgettext("longitude", "W")
    return f"{number(abs(lat), 5)}° {north}, {number(abs(lon), 5)}° {east}"


def normalise(lat, lon) -> tuple[float, float]:
    """(lat, lon) as finite floats, longitude wrapped into [-180, 180) (a map panned round
    the world reports longitudes beyond ±180). Raises PointError otherwise."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise PointError(
            _(
                "({lat}, {lon}) is not a point: give latitude and longitude in degrees, "
                "e.g. 50.0, 36.3."
            ).format(lat=repr(lat), lon=repr(lon))
        ) from None
    if not (math.isfinite(lat) and math.isfinite(lon)) or not -90 <= lat <= 90:
        raise PointError(
            _(
                "({lat}, {lon}) is not a point on Earth: latitude runs from -90 to 90 "
                "degrees and both must be finite, e.g. 50.0, 36.3."
            ).format(lat=lat, lon=lon)
        )
    return lat, (lon if -180.0 <= lon < 180.0 else (lon + 180.0) % 360.0 - 180.0)


def _where(layers: Layers, lat: float, lon: float) -> str:
    reg = layers.ground.region
    for code, where in NEIGHBOURS:
        if reg.country(code).covers(shapely.Point(lon, lat)):
            return _(where)
    return _("the sea, another country, or beyond the map's data")


def area_sentence(area: str, layers: Layers, lat: float, lon: float) -> str:
    """What is said of a point in ``area``, in the current language."""
    spec = registry.BY_KEY.get(area)
    template = spec.here if spec is not None else OTHER_SENTENCES[area]
    values = layers.values()
    values["WHERE"] = _where(layers, lat, lon) if area == "elsewhere" else ""
    return _(template).format(**values)


def what_is_here(layers: Layers, lat, lon) -> Answer:
    """The answer for one point. Raises PointError for coordinates that are not a point."""
    lat, lon = normalise(lat, lon)
    area = registry.classify(layers, lat, lon)
    to_border, border_point = zones.to_border(lat, lon, layers.params.source)
    home = places.kharkiv()
    return Answer(
        lat=lat,
        lon=lon,
        area=area,
        sentence=area_sentence(area, layers, lat, lon),
        to_border=to_border,
        border_point=border_point,
        to_kharkiv=Distance(kilometers=geodesic((lat, lon), (home.lat, home.lon)).km),
    )


def place_named(name: str | None) -> places.Place | None:
    """The place whose marker shows ``name`` (its tooltip, in the current language or in
    English), or None."""
    if not name:
        return None
    wanted = name.strip()
    return next((p for p in places.places() if wanted in (p.name, p.label)), None)


def about_place(layers: Layers, place: places.Place) -> PlaceAnswer:
    """A place marker's answer: measured from the place, unless it is a country label."""
    answer = what_is_here(layers, place.lat, place.lon) if place.kind == "city" else None
    return PlaceAnswer(place, answer)
