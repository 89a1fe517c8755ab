"""Loading the border data in ``data/``, checked against ``data/SHA256SUMS`` first.

The file and how it is made are described in ``data/README.md`` and ``geo/build_data.py``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import shapely

from geo import geodesy

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BORDERS_FILE = "borders.geojson"
CHECKSUMS_FILE = "SHA256SUMS"
REBUILD = "python -m geo.build_data"
_KEY = re.compile(r'"A3":"([^"]+)"')


class DataError(Exception):
    """A data file that is missing, altered or unreadable; the message names the file."""


@dataclass(frozen=True, eq=False)
class Region:
    """The four countries and the land border, in lon/lat and in the regional projection."""

    ukraine: shapely.MultiPolygon
    russia: shapely.MultiPolygon
    belarus: shapely.MultiPolygon
    moldova: shapely.MultiPolygon
    border: shapely.LineString
    ukraine_m: shapely.MultiPolygon
    russia_m: shapely.MultiPolygon
    border_m: shapely.LineString

    def country(self, code: str) -> shapely.MultiPolygon:
        return {"UKR": self.ukraine, "RUS": self.russia, "BLR": self.belarus, "MDA": self.moldova}[code]


def expected_checksums(data_dir: Path) -> dict[str, str]:
    sums = data_dir / CHECKSUMS_FILE
    try:
        lines = sums.read_text().splitlines()
    except OSError as err:
        raise DataError(f"{sums} cannot be read ({err.strerror}); restore it from git or run {REBUILD}.") from None
    table = {}
    for line in lines:
        digest, _, name = line.partition("  ")
        if name:
            table[name.strip()] = digest.strip()
    return table


def read_verified(data_dir: Path, name: str) -> bytes:
    """The bytes of one data file, after checking its SHA-256."""
    path = data_dir / name
    expected = expected_checksums(data_dir).get(name)
    if expected is None:
        raise DataError(f"{path} has no entry in {data_dir / CHECKSUMS_FILE}; run {REBUILD}.")
    try:
        payload = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path} cannot be read ({err.strerror}); restore it from git or run {REBUILD}.") from None
    if hashlib.sha256(payload).hexdigest() != expected:
        raise DataError(
            f"{path} does not match its checksum in {CHECKSUMS_FILE} (altered or truncated); "
            f"restore it from git or run {REBUILD}."
        )
    return payload


def load_region(data_dir: Path = DATA_DIR) -> Region:
    """Read and verify the border file. Use ``region()`` for the cached copy."""
    text = read_verified(data_dir, BORDERS_FILE).decode("utf-8")
    # GEOS parses the geometries (several times faster than json + shapely.geometry.shape);
    # the keys are read in file order. The checksum above guarantees the file is the one
    # geo.build_data wrote, one feature per key.
    try:
        parts = shapely.get_parts(shapely.from_geojson(text))
    except shapely.errors.GEOSException as err:
        raise DataError(f"{data_dir / BORDERS_FILE} is not readable GeoJSON ({err}); run {REBUILD}.") from None
    codes = _KEY.findall(text)
    if len(codes) != len(parts):
        raise DataError(f"{data_dir / BORDERS_FILE} has {len(parts)} shapes for {len(codes)} keys; run {REBUILD}.")
    shapes = dict(zip(codes, parts))
    missing = {"UKR", "RUS", "BLR", "MDA", "border"} - set(shapes)
    if missing:
        raise DataError(f"{data_dir / BORDERS_FILE} lacks the features {sorted(missing)}; run {REBUILD}.")
    for geom in shapes.values():
        shapely.prepare(geom)
    return Region(
        ukraine=shapes["UKR"],
        russia=shapes["RUS"],
        belarus=shapes["BLR"],
        moldova=shapes["MDA"],
        border=shapes["border"],
        ukraine_m=geodesy.to_metres(shapes["UKR"]),
        russia_m=geodesy.to_metres(shapes["RUS"]),
        border_m=geodesy.to_metres(shapes["border"]),
    )


@lru_cache(maxsize=1)
def region() -> Region:
    """The project's region, loaded once per process."""
    return load_region()
