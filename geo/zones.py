"""The map's layers, built from the border data and two distances.

* ``border``: the Russia–Ukraine land border (from the data file).
* ``kharkiv_sector``: its part between the two tripoints where Kharkiv Oblast meets
  Belgorod Oblast (``SECTOR_ENDS``, ±1 km, from ``shared/FACTS.md``).
* ``border_band``: Ukrainian territory within radius R of the border line.
* ``kharkiv_ring``: the geodesic circle of radius R around Kharkiv's centre.
* ``kharkiv_to_border``: the shortest geodesic from Kharkiv's centre to the border line.
* ``counterfire_zone``: Russian territory within depth D of the Kharkiv sector.
* ``deep_strike_zone``: Russian territory beyond D but within ``DEEP_STRIKE_REACH``
  (300 km, ATACMS) of the Kharkiv sector: what stayed prohibited.

Assumptions: the counterfire zone is measured from the Kharkiv sector only, as the May 2024
permission was reported for the Kharkiv region; "Russian territory" is Russia as the data
draws it, without Crimea. Buffers are built in the regional AEQD projection (see
``geo.geodesy``) from lines simplified by at most ``SIMPLIFY_M`` and with ``QUAD_SEGS``
segments per quarter circle, which puts each buffer edge within 0.1 % of the true distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
import shapely.ops
from geopy.distance import Distance

from geo import geodesy, places
from geo.data import Region, region
from geo.units import distance, parse_distance

#: (lat, lon) of the Sumy–Kharkiv–Belgorod and Kharkiv–Luhansk–Belgorod oblast tripoints.
SECTOR_ENDS = ((50.357, 35.618), (49.925, 38.063))
DEEP_STRIKE_REACH = distance(300, "km")
SIMPLIFY_M = 20.0
QUAD_SEGS = 64
#: Vertices per run when buffering a long line piecewise.
BUFFER_RUN = 20
#: Spacing of the points at which distances to the border are measured geodesically.
BORDER_SAMPLE_M = 50.0

RADIUS_DEFAULT = distance(12, "mi")
RADIUS_RANGE = (distance(1, "mi"), distance(100, "mi"))
DEPTH_DEFAULT = distance(80, "km")
DEPTH_RANGE = (distance(5, "km"), DEEP_STRIKE_REACH)
#: Reach presets for the counterfire depth, with where each figure comes from.
DEPTH_PRESETS = {
    "GMLRS, standard (70 km)": distance(70, "km"),
    "GMLRS, as widely quoted (80 km)": distance(80, "km"),
    "GMLRS, extended range (150 km)": distance(150, "km"),
}


def parse_radius(text: str) -> Distance:
    return parse_distance(text, what="radius", low=RADIUS_RANGE[0], high=RADIUS_RANGE[1], example="12mi")


def parse_depth(text: str) -> Distance:
    return parse_distance(text, what="depth", low=DEPTH_RANGE[0], high=DEPTH_RANGE[1], example="80km")


@dataclass(frozen=True)
class Params:
    """What the layers depend on. Hashable, so it can key a cache."""

    radius_m: float = RADIUS_DEFAULT.m
    depth_m: float = DEPTH_DEFAULT.m

    @property
    def radius(self) -> Distance:
        return Distance(meters=self.radius_m)

    @property
    def depth(self) -> Distance:
        return Distance(meters=self.depth_m)

    def check(self) -> "Params":
        for value, (low, high), what in (
            (self.radius, RADIUS_RANGE, "radius"),
            (self.depth, DEPTH_RANGE, "depth"),
        ):
            if not (low.m * (1 - 1e-9) <= value.m <= high.m * (1 + 1e-6)):
                raise ValueError(f"{what} {value.km:.4g} km is outside {low.km:.4g}–{high.km:.4g} km")
        return self


@dataclass(frozen=True, eq=False)
class Layers:
    params: Params
    border: shapely.LineString
    kharkiv_sector: shapely.LineString
    border_band: shapely.Geometry
    kharkiv_ring: shapely.Polygon
    kharkiv_to_border: shapely.LineString
    kharkiv_to_border_distance: Distance
    counterfire_zone: shapely.Geometry
    deep_strike_zone: shapely.Geometry

    #: The names of the geometric layers, in drawing order.
    NAMES = (
        "deep_strike_zone", "counterfire_zone", "border_band", "kharkiv_ring",
        "border", "kharkiv_sector", "kharkiv_to_border",
    )


def kharkiv_sector(border_m: shapely.LineString) -> shapely.LineString:
    """The border between the two Kharkiv Oblast tripoints, in metres."""
    ends = [geodesy.to_metres(shapely.Point(lon, lat)) for lat, lon in SECTOR_ENDS]
    positions = sorted(border_m.project(p) for p in ends)
    return shapely.ops.substring(border_m, *positions)


def _buffer(line_m: shapely.LineString, distance_m: float) -> shapely.Geometry:
    """The buffer of a line, built as the union of the buffers of short runs of it: the same
    region as one buffer of the whole line, several times faster for a long border."""
    coords = shapely.get_coordinates(line_m.simplify(SIMPLIFY_M))
    starts = np.arange(0, max(len(coords) - 1, 1), BUFFER_RUN)
    runs = [shapely.LineString(coords[i : i + BUFFER_RUN + 1]) for i in starts]
    return shapely.union_all(shapely.buffer(runs, distance_m, quad_segs=QUAD_SEGS))


def _clip_to(area_m: shapely.Geometry, shape_m: shapely.Geometry) -> shapely.Geometry:
    """``area ∩ shape``, clipping the large country polygon to the shape's box first."""
    local = shapely.clip_by_rect(area_m, *shape_m.bounds)
    return shapely.intersection(local, shape_m)


def border_band(region: Region, radius_m: float) -> shapely.Geometry:
    return _clip_to(region.ukraine_m, _buffer(region.border_m, radius_m))


def counterfire_zone(region: Region, sector_m: shapely.LineString, depth_m: float) -> shapely.Geometry:
    return _clip_to(region.russia_m, _buffer(sector_m, depth_m))


def deep_strike_zone(region: Region, sector_m: shapely.LineString, depth_m: float) -> shapely.Geometry:
    reach = _clip_to(region.russia_m, _buffer(sector_m, DEEP_STRIKE_REACH.m))
    if depth_m >= DEEP_STRIKE_REACH.m:
        return shapely.Polygon()
    return shapely.difference(reach, _buffer(sector_m, depth_m))


@lru_cache(maxsize=1)
def _border_samples(border_m: shapely.LineString) -> np.ndarray:
    """Lon/lat points along the border no more than BORDER_SAMPLE_M apart."""
    dense = shapely.segmentize(border_m, BORDER_SAMPLE_M)
    return shapely.get_coordinates(geodesy.to_degrees(dense))


def nearest_on_border(region: Region, lat: float, lon: float) -> tuple[Distance, tuple[float, float]]:
    """Geodesic distance from a point to the border line, and the (lat, lon) reached.

    Measured to the border sampled every ``BORDER_SAMPLE_M`` metres, so it can overstate the
    true distance by at most a few metres. A spherical distance shortlists the samples (the
    sphere and the ellipsoid differ by under 0.6 %); the shortlist is measured geodesically."""
    samples = _border_samples(region.border_m)
    rough = geodesy.spherical_distances_m(lat, lon, samples[:, 1], samples[:, 0])
    shortlist = np.flatnonzero(rough <= rough.min() * 1.012 + 100.0)
    dist = geodesy.distances_m(lat, lon, samples[shortlist, 1], samples[shortlist, 0])
    k = shortlist[int(np.argmin(dist))]
    return Distance(meters=float(dist.min())), (float(samples[k, 1]), float(samples[k, 0]))


def _degrees(geom_m: shapely.Geometry) -> shapely.Geometry:
    return geodesy.to_degrees(geom_m)


def build(params: Params = Params(), reg: Region | None = None) -> Layers:
    """Every layer for one set of parameters. Pure: the same inputs give the same layers."""
    params.check()
    reg = reg or region()
    sector_m = kharkiv_sector(reg.border_m)
    home = places.kharkiv()
    gap, (lat, lon) = nearest_on_border(reg, home.lat, home.lon)
    return Layers(
        params=params,
        border=reg.border,
        kharkiv_sector=_degrees(sector_m),
        border_band=_degrees(border_band(reg, params.radius_m)),
        kharkiv_ring=geodesy.geodesic_circle(home.lat, home.lon, params.radius_m),
        kharkiv_to_border=shapely.LineString([(home.lon, home.lat), (lon, lat)]),
        kharkiv_to_border_distance=gap,
        counterfire_zone=_degrees(counterfire_zone(reg, sector_m, params.depth_m)),
        deep_strike_zone=_degrees(deep_strike_zone(reg, sector_m, params.depth_m)),
    )


@lru_cache(maxsize=16)
def layers(params: Params = Params()) -> Layers:
    """``build`` with a small per-process cache (the app and CLI call this)."""
    return build(params)


def classify(layers: Layers, lat: float, lon: float) -> str:
    """Which area a point is in: 'band', 'counterfire', 'deep_strike', or 'elsewhere'.

    Also 'ukraine' / 'russia' for the rest of each country (within the data region)."""
    point = shapely.Point(lon, lat)
    reg = region()
    if layers.border_band.covers(point):
        return "band"
    if layers.counterfire_zone.covers(point):
        return "counterfire"
    if layers.deep_strike_zone.covers(point):
        return "deep_strike"
    if reg.ukraine.covers(point):
        return "ukraine"
    if reg.russia.covers(point):
        return "russia"
    return "elsewhere"
