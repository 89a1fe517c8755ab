"""The geometry of the map's layers: one pure function per layer, from the ground (the border
data and the fixed places) and the two distances R and D.

Each function returns a :class:`Shape`: the geometry in the regional AEQD projection
(metres), and where it was made on the ellipsoid directly, in longitude/latitude too.
``geo.engine.layers`` lists the layers, calls these functions and keeps what they return.

Assumptions, all made here:

* The ground is one border source's (``Params.source``, ``geo.data.source``): its border, its
  countries and the zones' stored geometry made from them. Every layer stands on it, so each
  is built and kept per source; the sources share every other assumption below.
* The Kharkiv sector is the border between the two tripoints where Kharkiv Oblast meets
  Belgorod Oblast (``SECTOR_ENDS``, ±1 km, from the project's fact sheet).
* The counterfire zone is measured from the Kharkiv sector only, as the May 2024 permission
  was reported for the Kharkiv region; "Russian territory" is Russia as the data draws it,
  without Crimea.
* What stayed prohibited reaches ``DEEP_STRIKE_REACH`` (300 km, ATACMS) from the sector.
* Buffers are built in the regional AEQD projection (see ``geo.core.geodesy``) from lines
  simplified by at most ``SIMPLIFY_M`` and with ``QUAD_SEGS`` segments per quarter circle,
  which puts each buffer edge within 0.1 % of the true distance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely
import shapely.ops
from geopy.distance import Distance

from geo.core import geodesy
from geo.core.cache import Kept, once_per
from geo.core.units import Area, distance, parse_distance
from geo.data import source as sources
from geo.data import stored as stored_geometry
from geo.data.borders import Region, region
from geo.engine import places
from geo.engine.stages import DEFAULT as DEFAULT_STAGE
from geo.engine.stages import Stage
from geo.i18n import N_

#: (lat, lon) of the Sumy–Kharkiv–Belgorod and Kharkiv–Luhansk–Belgorod oblast tripoints.
SECTOR_ENDS = ((50.357, 35.618), (49.925, 38.063))
DEEP_STRIKE_REACH = distance(300, "km")
SIMPLIFY_M = 20.0
QUAD_SEGS = 64
#: Vertices per run when buffering a long line piecewise.
BUFFER_RUN = 20
#: How many line buffers a Ground keeps for its layers to share.
BUFFERS_KEPT = 24
#: A line's buffers nest exactly up to here; GEOS simplifies a buffer's input by a share of its distance.
NESTED_M = 290_000.0
#: Spacing of the points at which distances to the border are measured geodesically.
BORDER_SAMPLE_M = 50.0

RADIUS_DEFAULT = distance(12, "mi")
RADIUS_RANGE = (distance(1, "mi"), distance(100, "mi"))
DEPTH_DEFAULT = distance(80, "km")
DEPTH_RANGE = (distance(5, "km"), DEEP_STRIKE_REACH)
#: Reach presets for the counterfire depth, with where each figure comes from (the names are
#: shown through ``geo.i18n._``).
DEPTH_PRESETS = {
    N_("GMLRS, standard (70 km)"): distance(70, "km"),
    N_("GMLRS, as widely quoted (80 km)"): distance(80, "km"),
    N_("GMLRS, extended range (150 km)"): distance(150, "km"),
}


def parse_radius(text: str) -> Distance:
    return parse_distance(
        text, what="radius", low=RADIUS_RANGE[0], high=RADIUS_RANGE[1], example="12mi"
    )


def parse_depth(text: str) -> Distance:
    return parse_distance(
        text, what="depth", low=DEPTH_RANGE[0], high=DEPTH_RANGE[1], example="80km"
    )


def _in_range(value: Distance, limits: tuple[Distance, Distance]) -> bool:
    return limits[0].m * (1 - 1e-9) <= value.m <= limits[1].m * (1 + 1e-6)


@dataclass(frozen=True)
class Params:
    """What the layers depend on: R and D as distances, the stage of the policy (what the
    counterfire zone is measured from; ``geo.engine.stages``) and the border source the ground
    is drawn from (its id, ``geo.data.source``). Hashable, so it keys the cache; checked on
    creation, so a Params that exists is one the engine can build.

    >>> Params().depth.km
    80.0
    >>> Params(depth=distance(400, "km"))
    Traceback (most recent call last):
    ValueError: depth 400 km is outside 5–300 km
    >>> Params(source="ne")
    Traceback (most recent call last):
    ValueError: source 'ne' is not one of osm, naturalearth
    """

    radius: Distance = RADIUS_DEFAULT
    depth: Distance = DEPTH_DEFAULT
    stage: Stage = DEFAULT_STAGE
    source: str = sources.DEFAULT

    def __post_init__(self):
        if not isinstance(self.stage, Stage):
            raise TypeError(
                f"stage must be a geo.engine.stages.Stage, not {type(self.stage).__name__}"
            )
        if self.source not in sources.BY_ID:
            raise ValueError(f"source {self.source!r} is not one of {', '.join(sources.IDS)}")
        for value, limits, what in (
            (self.radius, RADIUS_RANGE, "radius"),
            (self.depth, DEPTH_RANGE, "depth"),
        ):
            if not isinstance(value, Distance):
                raise TypeError(f"{what} must be a geopy Distance, not {type(value).__name__}")
            if not _in_range(value, limits):
                raise ValueError(
                    f"{what} {value.km:.4g} km is outside {limits[0].km:.4g}–{limits[1].km:.4g} km"
                )


@dataclass(frozen=True, eq=False)
class Ground:
    """What every layer stands on and no parameter but the source changes: the region of one
    border source, the Kharkiv sector in metres, Kharkiv's centre and its nearest border point."""

    region: Region
    sector_m: shapely.LineString
    kharkiv: places.Place
    kharkiv_gap: Distance
    kharkiv_nearest: tuple[float, float]  # (lat, lon) on the border
    _kept: Kept = field(default_factory=lambda: Kept(BUFFERS_KEPT), repr=False)
    stored: dict = field(default_factory=dict, repr=False)  # made with the data: geo.data.stored

    @property
    def source(self) -> str:
        """The border source's id (``geo.data.source``)."""
        return self.region.source

    def _remember(self, key: tuple, make):
        """``make()``, remembered under ``key`` for the last ``BUFFERS_KEPT`` keys."""
        return self._kept.get(key, make)

    def line(self, origin: str) -> shapely.LineString:
        """The line a zone is measured from: ``"border"`` (the whole land border) or
        ``"sector"`` (the Kharkiv sector), in metres."""
        return self.region.border_m if origin == "border" else self.sector_m

    def buffer(self, origin: str, distance_m: float) -> shapely.Geometry:
        """``buffer_line(self.line(origin), distance_m)``, remembered for the last
        ``BUFFERS_KEPT`` (origin, distance) pairs: several layers share each buffer."""
        return self._remember(
            (origin, float(distance_m)), lambda: buffer_line(self.line(origin), distance_m)
        )

    def reach(self, origin: str = "border") -> shapely.Geometry:
        """Russian territory within DEEP_STRIKE_REACH of a line (metres); of the whole land
        border, it is the reach in which the sanctuary is measured."""
        return self._stored_or(
            f"reach_{origin}",
            lambda: clip_to(self.region.russia_m, self.buffer(origin, DEEP_STRIKE_REACH.m)),
        )

    def reach_area(self, origin: str = "border") -> Area:
        """The geodesic area of the reach of a line (the whole land border), measured once."""
        return self._stored_or(
            f"reach_{origin}_area", lambda: Area(geodesy.metric_area_m2(self.reach(origin)))
        )

    def _stored_or(self, key: str, make):
        return (
            self.stored[key] if key in self.stored else self._remember((key,), make)
        )  # geo.data.stored

    def zone(self, origin: str, distance_m: float) -> shapely.Geometry:
        """Russian territory within a distance of a line: cut from its reach up to NESTED_M; at
        DEEP_STRIKE_REACH the reach itself, with its area (both made with the data: geo.data.stored)."""
        if distance_m == DEEP_STRIKE_REACH.m:
            return self.reach(origin)
        land = self.reach(origin) if distance_m <= NESTED_M else self.region.russia_m
        return self._remember(
            ("zone", origin, float(distance_m)),
            lambda: clip_to(land, self.buffer(origin, distance_m)),
        )

    def zone_area(self, origin: str, distance_m: float) -> Area:
        return (
            self.reach_area(origin)
            if distance_m == DEEP_STRIKE_REACH.m
            else self._remember(
                ("zone area", origin, float(distance_m)),
                lambda: Area(geodesy.metric_area_m2(self.zone(origin, distance_m))),
            )
        )

    def band_land(self, radius_m: float) -> shapely.Geometry:
        """Ukraine as far as a border band of ``radius_m`` may reach (``geo.data.stored``)."""
        use = "band_land" in self.stored and radius_m <= RADIUS_RANGE[1].m
        return self.stored["band_land"] if use else self.region.ukraine_m


@dataclass(frozen=True, eq=False)
class Shape:
    """A layer's geometry: in metres (regional AEQD) and, when it was made on the ellipsoid,
    in longitude/latitude too (else ``geo.engine.layers`` unprojects the metric one)."""

    metric: (
        shapely.Geometry | None
    )  # None: ``later`` makes it on first use (figures need no overlay)
    degrees: shapely.Geometry | None = None
    area: Area | None = (
        None  # known without measuring (a reach less a zone; the zones nest): else measured
    )
    later: Callable[[], shapely.Geometry] | None = None


def kharkiv_sector_m(border_m: shapely.LineString) -> shapely.LineString:
    """The border between the two Kharkiv Oblast tripoints, in metres."""
    ends = [geodesy.to_metres(shapely.Point(lon, lat)) for lat, lon in SECTOR_ENDS]
    positions = sorted(border_m.project(p) for p in ends)
    return shapely.ops.substring(border_m, *positions)


def buffer_line(line_m: shapely.LineString, distance_m: float) -> shapely.Geometry:
    """The buffer of a line, built as the union of the buffers of short runs of it: the same
    region as one buffer of the whole line, several times faster for a long border."""
    coords = shapely.get_coordinates(line_m.simplify(SIMPLIFY_M))
    starts = np.arange(0, max(len(coords) - 1, 1), BUFFER_RUN)
    runs = [shapely.LineString(coords[i : i + BUFFER_RUN + 1]) for i in starts]
    return shapely.union_all(shapely.buffer(runs, distance_m, quad_segs=QUAD_SEGS))


def clip_to(area_m: shapely.Geometry, shape_m: shapely.Geometry) -> shapely.Geometry:
    """``area ∩ shape``, clipping the large country polygon to the shape's box first."""
    if shape_m.is_empty:
        return shapely.Polygon()
    local = shapely.clip_by_rect(area_m, *shape_m.bounds)
    return shapely.intersection(local, shape_m)


def nearest_on_border(
    samples: np.ndarray, lat: float, lon: float
) -> tuple[Distance, tuple[float, float]]:
    """Geodesic distance from a point to the border line, and the (lat, lon) reached.

    ``samples`` is the border as lon/lat points ``BORDER_SAMPLE_M`` apart (``border_samples``),
    so the distance can overstate the true one by at most a few metres. A spherical distance
    shortlists the samples (sphere and ellipsoid differ by under 0.6 %); the shortlist is
    measured geodesically."""
    rough = geodesy.spherical_distances_m(lat, lon, samples[:, 1], samples[:, 0])
    shortlist = np.flatnonzero(rough <= rough.min() * 1.012 + 100.0)
    dist = geodesy.distances_m(lat, lon, samples[shortlist, 1], samples[shortlist, 0])
    k = shortlist[int(np.argmin(dist))]
    return Distance(meters=float(dist.min())), (float(samples[k, 1]), float(samples[k, 0]))


@once_per
def border_samples(source: str = sources.DEFAULT) -> np.ndarray:
    """A source's border as lon/lat points no more than BORDER_SAMPLE_M apart, made once per
    process."""
    return shapely.get_coordinates(
        geodesy.to_degrees(shapely.segmentize(region(source).border_m, BORDER_SAMPLE_M))
    )


def to_border(
    lat: float, lon: float, source: str = sources.DEFAULT
) -> tuple[Distance, tuple[float, float]]:
    """Geodesic distance from a point to a source's border line, and the point reached."""
    return nearest_on_border(border_samples(source), lat, lon)


@once_per
def ground(source: str = sources.DEFAULT) -> Ground:
    """The project's ground from a border source, made once per process (it depends on no
    other parameter)."""
    reg, stored = region(source), stored_geometry.stored(source)
    home = places.kharkiv()
    gap, nearest = to_border(home.lat, home.lon, source)
    return Ground(reg, stored["sector"], home, gap, nearest, stored=stored)


# --------------------------------------------------------------------------- the layers


def border(g: Ground, p: Params) -> Shape:
    """The Russia–Ukraine land border, as the data has it."""
    return Shape(g.region.border_m, g.region.border)


def kharkiv_sector(g: Ground, p: Params) -> Shape:
    return Shape(g.sector_m)


def kharkiv_to_border(g: Ground, p: Params) -> Shape:
    """The shortest geodesic from Kharkiv's centre to the border, as a two-point line."""
    (lat, lon), home = g.kharkiv_nearest, g.kharkiv
    line = shapely.LineString([(home.lon, home.lat), (lon, lat)])
    return Shape(geodesy.to_metres(line), line)


def kharkiv_ring(g: Ground, p: Params) -> Shape:
    """The geodesic circle of radius R around Kharkiv's centre."""
    ring = geodesy.geodesic_circle(g.kharkiv.lat, g.kharkiv.lon, p.radius.m)
    return Shape(geodesy.to_metres(ring), ring)


def border_band(g: Ground, p: Params) -> Shape:
    """Ukrainian territory within R of the border line."""
    return Shape(clip_to(g.band_land(p.radius.m), buffer_line(g.region.border_m, p.radius.m)))


def _origin(stage: Stage) -> str:
    """The line a stage's zones are measured from: the whole land border for a stage that
    permitted counterfire along it, else the Kharkiv sector (the article's frame)."""
    return "border" if stage.origin == "border" else "sector"


def counterfire_zone(g: Ground, p: Params) -> Shape:
    """Russian territory within D of the stage's origin line (the Kharkiv sector by default);
    nothing for a stage that permitted no counterfire."""
    if p.stage.origin is None:
        return Shape(shapely.Polygon())
    origin = _origin(p.stage)
    return Shape(g.zone(origin, p.depth.m), area=g.zone_area(origin, p.depth.m))


def deep_strike_zone(g: Ground, p: Params) -> Shape:
    """Russian territory beyond D (beyond the border, for a stage without counterfire) but
    within DEEP_STRIKE_REACH of the stage's origin line: what stayed prohibited."""
    origin = _origin(p.stage)
    reach = g.reach(origin)
    if p.stage.origin is None:
        return Shape(reach, area=g.reach_area(origin))
    if p.depth.m >= DEEP_STRIKE_REACH.m:
        return Shape(shapely.Polygon())
    area = g.reach_area(origin) - g.zone_area(origin, p.depth.m) if p.depth.m <= NESTED_M else None
    return Shape(
        None, area=area, later=lambda: shapely.difference(reach, g.buffer(origin, p.depth.m))
    )


def sanctuary(g: Ground, p: Params) -> Shape:
    """The sanctuary: Russian territory within DEEP_STRIKE_REACH of the whole land border
    that the stage leaves off-limits (the reach less the counterfire zone)."""
    if p.stage.origin is None:
        return Shape(g.reach(), area=g.reach_area())
    origin = _origin(p.stage)
    nested = (
        p.depth.m <= NESTED_M or p.depth.m == DEEP_STRIKE_REACH.m
    )  # the zone within the reach: its area known
    area = g.reach_area() - g.zone_area(origin, p.depth.m) if nested else None
    return Shape(
        None, area=area, later=lambda: shapely.difference(g.reach(), g.buffer(origin, p.depth.m))
    )
