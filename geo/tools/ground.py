"""Building the zones' stored geometry (``data/ground.wkb`` and ``data/ground.json``, read back
by ``geo.data.stored``) with the engine's own functions, when the data is rebuilt.
"""

from __future__ import annotations

import json

import shapely

from geo.core import geodesy
from geo.data.source import BY_ID
from geo.data.stored import NAMES
from geo.engine import zones


def build(region) -> tuple[bytes, bytes]:
    """The two files' contents for a ``geo.data.borders.Region`` (its full geometry in metres),
    made from its source's border file."""

    sector = zones.kharkiv_sector_m(region.border_m)
    reach = {
        origin: zones.clip_to(region.russia_m, zones.buffer_line(line, zones.DEEP_STRIKE_REACH.m))
        for origin, line in (("border", region.border_m), ("sector", sector))
    }
    band_land = zones.clip_to(
        region.ukraine_m, zones.buffer_line(region.border_m, zones.RADIUS_RANGE[1].m)
    )
    shapes = {
        "sector": sector,
        "reach_border": reach["border"],
        "reach_sector": reach["sector"],
        "band_land": band_land,
    }
    wkb = shapely.to_wkb(shapely.GeometryCollection([shapes[name] for name in NAMES]))
    index = {
        "about": f"Parameter-free geometry of the zones, made from "
        f"{BY_ID[region.source].borders_file} by geo/tools/ground.py",
        "crs": geodesy.aeqd_proj4(),
        "geometries": list(NAMES),
        "reach_area_m2": {
            origin: geodesy.area_m2(geodesy.to_degrees(shape)) for origin, shape in reach.items()
        },
        "band_radius_m": zones.RADIUS_RANGE[1].m,
        "reach_m": zones.DEEP_STRIKE_REACH.m,
    }
    return wkb, json.dumps(index, indent=1, sort_keys=True).encode("utf-8") + b"\n"
