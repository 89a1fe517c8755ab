"""The zones' parameter-free geometry, built once when the data is built and read back from
``data/ground.wkb`` and ``data/ground.json`` (each checked against ``data/SHA256SUMS`` first,
like every data file), so that no run buffers the whole border at 300 km, clips Russia to it
or measures it again.

Stored, all in the regional AEQD projection of ``geo.core.geodesy`` (metres), at full precision
(WKB: the shapes are the very ones the engine makes, to the last bit):

* ``sector``: the Kharkiv sector of the border (``zones.kharkiv_sector_m``);
* ``reach_border`` and ``reach_sector``: Russian territory within ``DEEP_STRIKE_REACH`` of the
  whole land border and of the sector (``zones.clip_to`` of Russia and ``zones.buffer_line``
  of the line at 300 km), what the sanctuary and the prohibited zone are cut from;
* ``band_land``: Ukrainian territory within the largest R (``RADIUS_RANGE``) of the border,
  the only part of Ukraine a border band can cover.

``ground.json`` names the shapes in the order ``ground.wkb`` holds them (one WKB
GeometryCollection), the projection, and the geodesic areas of the two reaches. Each border
source has its own pair (``geo.data.source``: ``ground-naturalearth.wkb`` and ``.json``), made
from its own border file.

Why the cut shapes give the same zones: the buffers of one line at two distances are nested
(``buffer_line`` buffers the same runs, with vertices at the same angles), so for D ≤ 300 km
``Russia ∩ buffer(line, D)`` is ``reach ∩ buffer(line, D)`` and for R ≤ the largest R
``Ukraine ∩ buffer(border, R)`` is ``band_land ∩ buffer(border, R)``. The zones fall back on
the whole country for a value past those limits (the ranges admit a rounding's worth more).

Everything here is made (by ``geo.tools.ground``) with the engine's own functions from ``borders.geojson`` alone, so a
rebuild (``kharkiv-map data rebuild``, or ``--display-only``) writes the same bytes again;
the tests check the stored shapes against those functions.
"""

from __future__ import annotations

import json
from pathlib import Path

import shapely

from geo.core.cache import once_per
from geo.core.units import Area
from geo.data import borders
from geo.data.borders import INDEX_FILE, WKB_FILE  # noqa: F401 -- the first source's, named here too
from geo.data.source import BY_ID, DEFAULT
from geo.i18n import quote

#: The shapes ``ground.wkb`` holds, in order.
NAMES = ("sector", "reach_border", "reach_sector", "band_land")


@once_per
def stored(source: str = DEFAULT) -> dict[str, object]:
    """The stored shapes of a border source by name and the reaches' areas
    (``reach_border_area``, ``reach_sector_area``), read once per process from
    ``geo.data.borders.DATA_DIR``; a missing or altered file is a DataError."""
    return read(borders.DATA_DIR, source)


def read(data_dir: Path, source: str = DEFAULT) -> dict[str, object]:
    wkb_file, index_file = BY_ID[source].wkb_file, BY_ID[source].index_file
    try:
        index = json.loads(borders.read_verified(data_dir, index_file).decode("utf-8"))
        parts = shapely.get_parts(shapely.from_wkb(borders.read_verified(data_dir, wkb_file)))
        if list(index["geometries"]) != list(NAMES) or len(parts) != len(NAMES):
            raise ValueError(f"it holds {index['geometries']} for {list(NAMES)}")
        areas = {
            f"reach_{origin}_area": Area(float(index["reach_area_m2"][origin]))
            for origin in ("border", "sector")
        }
    except borders.DataError:
        raise
    except (
        UnicodeDecodeError,
        ValueError,
        KeyError,
        TypeError,
        shapely.errors.GEOSException,
    ) as err:
        raise borders.DataError(
            f"{quote.shown_path(data_dir / wkb_file)} is not the zones' stored geometry "
            f"({quote.shown(err)}); run {borders.rebuild_command(wkb_file)} --display-only."
        ) from None
    for part in parts:
        shapely.prepare(part)
    return {**dict(zip(NAMES, parts)), **areas}
