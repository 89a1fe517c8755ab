"""The zones' parameter-free geometry, built once when the data is built and read back from
``data/ground.wkb`` and ``data/ground.json`` (each checked against ``data/SHA256SUMS`` first,
like every data file), so that no run buffers the whole border at 300 km, clips Russia to it
or measures it again.

Stored, all in the regional AEQD projection of ``geo.geodesy`` (metres), at full precision
(WKB: the shapes are the very ones the engine makes, to the last bit):

* ``sector``: the Kharkiv sector of the border (``zones.kharkiv_sector_m``);
* ``reach_border`` and ``reach_sector``: Russian territory within ``DEEP_STRIKE_REACH`` of the
  whole land border and of the sector (``zones.clip_to`` of Russia and ``zones.buffer_line``
  of the line at 300 km), what the sanctuary and the prohibited zone are cut from;
* ``band_land``: Ukrainian territory within the largest R (``RADIUS_RANGE``) of the border,
  the only part of Ukraine a border band can cover.

``ground.json`` names the shapes in the order ``ground.wkb`` holds them (one WKB
GeometryCollection), the projection, and the geodesic areas of the two reaches.

Why the cut shapes give the same zones: the buffers of one line at two distances are nested
(``buffer_line`` buffers the same runs, with vertices at the same angles), so for D ≤ 300 km
``Russia ∩ buffer(line, D)`` is ``reach ∩ buffer(line, D)`` and for R ≤ the largest R
``Ukraine ∩ buffer(border, R)`` is ``band_land ∩ buffer(border, R)``. The zones fall back on
the whole country for a value past those limits (the ranges admit a rounding's worth more).

Everything here is made by the engine's own functions from ``borders.geojson`` alone, so a
rebuild (``kharkiv-map data rebuild``, or ``--display-only``) writes the same bytes again;
the tests check the stored shapes against those functions.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import shapely

from geo import files
from geo.units import Area

WKB_FILE = "ground.wkb"
INDEX_FILE = "ground.json"
NAMES = ("sector", "reach_border", "reach_sector", "band_land")
#: Far above the real files (about 1.5 MB and 400 bytes).
MAX_BYTES = {WKB_FILE: 32 << 20, INDEX_FILE: 64 << 10}


def build(region) -> tuple[bytes, bytes]:
    """The two files' contents for a ``geo.data.Region`` (its full geometry in metres)."""
    from geo import geodesy, zones

    sector = zones.kharkiv_sector_m(region.border_m)
    reach = {origin: zones.clip_to(region.russia_m, zones.buffer_line(line, zones.DEEP_STRIKE_REACH.m))
             for origin, line in (("border", region.border_m), ("sector", sector))}
    band_land = zones.clip_to(region.ukraine_m, zones.buffer_line(region.border_m, zones.RADIUS_RANGE[1].m))
    shapes = {"sector": sector, "reach_border": reach["border"], "reach_sector": reach["sector"],
              "band_land": band_land}
    wkb = shapely.to_wkb(shapely.GeometryCollection([shapes[name] for name in NAMES]))
    index = {
        "about": "Parameter-free geometry of the zones, made from borders.geojson by geo/prebuilt.py",
        "crs": geodesy.aeqd_proj4(),
        "geometries": list(NAMES),
        "reach_area_m2": {origin: geodesy.area_m2(geodesy.to_degrees(shape)) for origin, shape in reach.items()},
        "band_radius_m": zones.RADIUS_RANGE[1].m,
        "reach_m": zones.DEEP_STRIKE_REACH.m,
    }
    return wkb, json.dumps(index, indent=1, sort_keys=True).encode("utf-8") + b"\n"


@lru_cache(maxsize=1)
def stored() -> dict[str, object]:
    """The stored shapes by name and the reaches' areas (``reach_border_area``,
    ``reach_sector_area``), read once per process from ``geo.data.DATA_DIR``; a missing or
    altered file is a DataError."""
    from geo import data

    return read(data.DATA_DIR)


def read(data_dir: Path) -> dict[str, object]:
    from geo import data

    try:
        index = json.loads(data.read_verified(data_dir, INDEX_FILE).decode("utf-8"))
        parts = shapely.get_parts(shapely.from_wkb(data.read_verified(data_dir, WKB_FILE)))
        if list(index["geometries"]) != list(NAMES) or len(parts) != len(NAMES):
            raise ValueError(f"it holds {index['geometries']} for {list(NAMES)}")
        areas = {f"reach_{origin}_area": Area(float(index["reach_area_m2"][origin]))
                 for origin in ("border", "sector")}
    except data.DataError:
        raise
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, shapely.errors.GEOSException) as err:
        raise data.DataError(f"{files.shown_path(data_dir / WKB_FILE)} is not the zones' stored geometry "
                             f"({files.shown(err)}); run {data.REBUILD} --display-only.") from None
    for part in parts:
        shapely.prepare(part)
    return {**dict(zip(NAMES, parts)), **areas}
