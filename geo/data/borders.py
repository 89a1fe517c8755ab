"""Loading the border data in ``data/``, checked against ``data/SHA256SUMS`` first.

For each border source (``geo.data.source.SOURCES``): ``borders.geojson`` (the full geometry
every figure is measured on), ``display.geojson`` (the country outlines, simplified once for
drawing) and ``ground.wkb`` with ``ground.json`` (the zones' parameter-free geometry, read by
``geo.data.stored``), the files of a second source named with its id
(``borders-naturalearth.geojson``, …). Every file is read only after its SHA-256 matches the
one listed for it. The files and how they are made are described in ``data/README.md`` and
``geo/tools/rebuild.py``.
The repository's ``data/`` folder is shipped as the package data ``geo._data`` (see
``pyproject.toml``), so an installed ``kharkiv-map`` reads the same files as a checkout.
"""

from __future__ import annotations

import importlib.resources
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import shapely
import shapely.geometry

from geo.core import files, geodesy
from geo.core.cache import once_per
from geo.data.source import BY_ID, DEFAULT, SOURCES
from geo.i18n import _, quote

BORDERS_FILE = "borders.geojson"
DISPLAY_FILE = "display.geojson"
CHECKSUMS_FILE = "SHA256SUMS"
REBUILD = "kharkiv-map data rebuild"
#: The zones' stored geometry (``geo.data.stored``).
WKB_FILE = "ground.wkb"
INDEX_FILE = "ground.json"
#: Size limits, far above the real files (the largest: borders.geojson 3.6 MB, ground.wkb
#: 1.5 MB, display.geojson 0.2 MB, ground.json 400 bytes): a larger file is not ours.
MAX_BYTES = {CHECKSUMS_FILE: 64 << 10} | {
    name: limit
    for src in SOURCES
    for name, limit in zip(src.files, (64 << 20, 16 << 20, 32 << 20, 64 << 10))
}
_KEY = re.compile(r'"A3":"([^"]+)"')
_SUM_LINE = re.compile(r"([0-9a-f]{64})  (\S.*)")
_KINDS = {
    "UKR": "MultiPolygon",
    "RUS": "MultiPolygon",
    "BLR": "MultiPolygon",
    "MDA": "MultiPolygon",
    "border": "LineString",
}


def find_data_dir() -> Path:
    """Where the data files are: the checkout's ``data/`` next to ``geo/`` when there is one
    (running from the source tree, editable install), else the installed package ``geo._data``."""
    checkout = Path(__file__).resolve().parents[2] / "data"
    if (checkout / CHECKSUMS_FILE).is_file():
        return checkout
    try:
        installed = importlib.resources.files("geo._data").joinpath(CHECKSUMS_FILE)
    except ModuleNotFoundError:
        return checkout
    return installed.parent if isinstance(installed, Path) else checkout


DATA_DIR = find_data_dir()


def data_files() -> list[Path]:
    """The data files the program reads (those with a size limit, of every source), for the
    commands that write files: no output may replace one."""
    return [DATA_DIR / name for name in MAX_BYTES]


def rebuild_command(name: str) -> str:
    """The command that rebuilds the data file ``name``: ``kharkiv-map data rebuild``, with
    ``--source`` for a file of a source other than the first."""
    owner = next((src for src in SOURCES if name in src.files), BY_ID[DEFAULT])
    return REBUILD if owner.id == DEFAULT else f"{REBUILD} --source {owner.id}"


class DataError(Exception):
    """A data file that is missing, altered or unreadable; the message names the file."""


def _read(path: Path, name: str) -> bytes:
    try:
        return files.read_regular(path, MAX_BYTES.get(name, MAX_BYTES[BORDERS_FILE]))
    except files.ReadError as err:
        raise DataError(
            _("{problem}; restore it from git or run {command}.").format(
                problem=err, command=rebuild_command(name)
            )
        ) from None


@dataclass(frozen=True, eq=False)
class Region:
    """The four countries and the land border of one border source (``source``, its id), in
    lon/lat and in the regional projection.

    The countries are made on first use by ``countries`` (the project's copy, ``region()``,
    parses the border alone first), and the two large ones projected on first use: the
    zones are cut from ``geo.data.stored``'s smaller shapes, so a map or the figures need neither."""

    border: shapely.LineString
    border_m: shapely.LineString
    countries: Callable[[], dict[str, shapely.MultiPolygon]] = field(repr=False)
    source: str = DEFAULT

    @cached_property
    def _countries(self) -> dict[str, shapely.MultiPolygon]:
        return self.countries()

    def country(self, code: str) -> shapely.MultiPolygon:
        """A country by its ISO code: UKR, RUS, BLR or MDA."""
        return self._countries[code]

    ukraine = property(lambda self: self.country("UKR"))
    russia = property(lambda self: self.country("RUS"))
    belarus = property(lambda self: self.country("BLR"))
    moldova = property(lambda self: self.country("MDA"))

    @cached_property
    def ukraine_m(self) -> shapely.MultiPolygon:
        return geodesy.to_metres(self.ukraine)

    @cached_property
    def russia_m(self) -> shapely.MultiPolygon:
        return geodesy.to_metres(self.russia)


def expected_checksums(data_dir: Path) -> dict[str, str]:
    """The checksum file as {file name: sha256}; any unreadable or malformed line is a DataError."""
    sums = data_dir / CHECKSUMS_FILE
    raw = _read(sums, CHECKSUMS_FILE)
    try:
        lines = raw.decode("utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise DataError(
            _(
                "{file} is not UTF-8 text (byte {byte} at offset {offset}); restore it from git "
                "or run "
                "{command}."
            ).format(
                file=quote.shown_path(sums),
                byte=f"{raw[err.start]:#04x}",
                offset=err.start,
                command=REBUILD,
            )
        ) from None
    table = {}
    for number, line in enumerate(lines, 1):
        match = _SUM_LINE.fullmatch(line.rstrip())
        if match is None:
            raise DataError(
                _(
                    '{file} line {number} is not "<sha256>  <file name>" ({line}); restore it '
                    "from git "
                    "or run {command}."
                ).format(
                    file=quote.shown_path(sums),
                    number=number,
                    line=repr(quote.shown(line)),
                    command=REBUILD,
                )
            )
        table[match[2]] = match[1]
    return table


def read_verified(data_dir: Path, name: str) -> bytes:
    """The bytes of one data file, after checking its SHA-256."""
    path = data_dir / name
    expected = expected_checksums(data_dir).get(name)
    if expected is None:
        raise DataError(
            _("{file} has no entry in {sums}; run {command}.").format(
                file=path, sums=data_dir / CHECKSUMS_FILE, command=rebuild_command(name)
            )
        )
    payload = _read(path, name)
    if files.sha256(payload) != expected:
        raise DataError(
            _(
                "{file} does not match its checksum in {sums} (altered or truncated); restore it "
                "from git "
                "or run {command}."
            ).format(file=path, sums=CHECKSUMS_FILE, command=rebuild_command(name))
        )
    return payload


def load_region(
    data_dir: Path = DATA_DIR,
    check_all: bool = True,
    countries_on_use: bool = False,
    source: str = DEFAULT,
) -> Region:
    """Read and verify the border file of ``source``, after checking every other file the
    checksum list names (``check_all=False``: the border file only, for rebuilding the others).
    Use ``region()`` for the cached copy. ``countries_on_use``: parse the border line alone now
    and the countries on first use (a problem in them is then found there)."""
    name = BY_ID[source].borders_file
    for other in expected_checksums(data_dir) if check_all else ():
        if other != name:
            read_verified(data_dir, other)
    path = data_dir / name
    payload = read_verified(data_dir, name)
    border = _border_alone(payload) if countries_on_use else None
    if border is not None:
        return Region(
            border, geodesy.to_metres(border), lambda: _shapes(path, payload), source=source
        )
    return region_from(_shapes(path, payload), source)


def region_from(shapes: dict[str, shapely.Geometry], source: str = DEFAULT) -> Region:
    """The region of the border file's shapes by key (lon/lat), projected where zones need it."""
    return Region(
        shapes["border"], geodesy.to_metres(shapes["border"]), lambda: shapes, source=source
    )


def _border_alone(payload: bytes) -> shapely.LineString | None:
    """The border's line parsed alone, where the file has the layout geo.tools.rebuild writes
    (keys sorted: ``{"geometry":…,"properties":{"A3":"border",…},"type":"Feature"}``);
    ``None`` otherwise, and the whole file is parsed instead."""
    key = payload.find(b'"A3":"border"')
    start = payload.rfind(b'{"geometry":', 0, key) if key >= 0 else -1
    end = payload.rfind(b',"properties":', start, key) if start >= 0 else -1
    if end < 0:
        return None
    try:
        line = shapely.from_geojson(payload[start + len(b'{"geometry":') : end].decode("utf-8"))
    except (UnicodeDecodeError, shapely.errors.GEOSException, ValueError, TypeError):
        return None
    if line.geom_type != "LineString" or line.is_empty:
        return None
    shapely.prepare(line)
    return line


def _shapes(path: Path, payload: bytes) -> dict[str, shapely.Geometry]:
    """The features of the border file by key, each of the geometry type the map needs.

    GEOS parses the geometries (several times faster than json + shapely.geometry.shape);
    the keys are read in file order. A file that passes its checksum is normally the one
    geo.tools.rebuild wrote, but the checksum list can be altered with it: every decoding or
    geometry problem still ends as one DataError naming the file.
    """

    def bad(what: str) -> DataError:
        return DataError(
            _("{file} {problem}; run {command}.").format(
                file=quote.shown_path(path), problem=what, command=rebuild_command(path.name)
            )
        )

    try:
        text = payload.decode("utf-8")
        parts = shapely.get_parts(shapely.from_geojson(text))
    except UnicodeDecodeError as err:
        raise bad(
            _("is not UTF-8 text (byte {byte} at offset {offset})").format(
                byte=f"{payload[err.start]:#04x}", offset=err.start
            )
        ) from None
    except (shapely.errors.GEOSException, ValueError, TypeError) as err:
        raise bad(_("is not readable GeoJSON ({why})").format(why=quote.shown(err))) from None
    codes = _KEY.findall(text)
    if len(codes) != len(parts) or len(set(codes)) != len(codes):
        raise bad(
            _("has {shapes} shapes for {keys} keys, not one shape per key").format(
                shapes=len(parts), keys=len(codes)
            )
        )
    shapes = dict(zip(codes, parts))
    missing = set(_KINDS) - set(shapes)
    if missing:
        raise bad(_("lacks the features {keys}").format(keys=sorted(missing)))
    for code, kind in _KINDS.items():
        geom = shapes[code]
        if kind == "MultiPolygon" and geom.geom_type == "Polygon":
            geom = shapes[code] = shapely.MultiPolygon([geom])
        # Types and emptiness only: a full validity check would double the load time.
        if geom.geom_type != kind or geom.is_empty:
            raise bad(
                _("holds {key} as an empty or {found} shape, not a {kind}").format(
                    key=quote.shown(code), found=geom.geom_type, kind=kind
                )
            )
        shapely.prepare(geom)
    return shapes


@once_per
def region(source: str = DEFAULT) -> Region:
    """The project's region from a border source (its id), loaded once per process from
    ``DATA_DIR``."""
    return load_region(DATA_DIR, countries_on_use=True, source=source)


@once_per
def _display_file(source: str = DEFAULT) -> dict[tuple[str, float], shapely.Geometry]:
    name = BY_ID[source].display_file
    path = DATA_DIR / name
    payload = read_verified(DATA_DIR, name)
    try:
        features = json.loads(payload.decode("utf-8"))["features"]
        return {
            (f["properties"]["A3"], float(f["properties"]["tolerance_m"])): shapely.geometry.shape(
                f["geometry"]
            )
            for f in features
        }
    except (
        UnicodeDecodeError,
        ValueError,
        KeyError,
        TypeError,
        shapely.errors.GEOSException,
    ) as err:
        raise DataError(
            _("{file} is not the display file ({why}); run {command} --display-only.").format(
                file=quote.shown_path(path), why=quote.shown(err), command=rebuild_command(name)
            )
        ) from None


def display_outlines(tolerance_m: float, source: str = DEFAULT) -> dict[str, shapely.Geometry]:
    """The country outlines (lon/lat) of a border source simplified by ``tolerance_m`` when
    the data was built, by country code."""
    shapes = _display_file(source).items()
    found = {code: geom for (code, tol), geom in shapes if tol == tolerance_m}
    if not found:
        name = BY_ID[source].display_file
        raise DataError(
            _("{file} has no outlines at {tolerance} m; run {command} --display-only.").format(
                file=quote.shown_path(DATA_DIR / name),
                tolerance=f"{tolerance_m:g}",
                command=rebuild_command(name),
            )
        )
    return found
