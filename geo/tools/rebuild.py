"""Rebuild ``data/borders.geojson`` from the npm package it is derived from.

    kharkiv-map data rebuild                 # fetches the package with `npm pack`
    kharkiv-map data rebuild --package FILE  # uses an already downloaded .tgz
    kharkiv-map data rebuild --display-only  # only display.geojson, from the committed borders

Source: npm ``@geo-maps/countries-land-100m`` 0.6.0 (``map.geo.json``), derived from
OpenStreetMap, about 100 m error; ODbL 1.0, "© OpenStreetMap contributors".

Steps, each a geographic decision:

1. Keep Ukraine, Russia, Belarus and Moldova (property ``A3``).
2. Clip to ``REGION`` (lon 20–46 E, lat 43–56.5 N): all of Ukraine and Moldova, and Russia
   more than 300 km beyond every point of the Russia–Ukraine border (the deep-strike reach).
   Clipping comes first because the source rings are invalid and ``clip_by_rect`` accepts
   invalid input; repairing all of Russia would take minutes.
3. ``make_valid`` and keep the polygonal parts.
4. Crimea lies inside both the Ukrainian and the Russian polygon. The map shows
   internationally recognised borders (UN General Assembly resolution 68/262), so Ukraine
   is taken out of Russia.
5. The Russia–Ukraine land border is the shared edge of the two polygons. The land-only
   source leaves small gaps where the border crosses water (the widest here is 0.73 km), so
   the shared pieces are chained end to nearest end, from the end nearest Belarus to the
   Sea of Azov, and each gap is bridged by a straight segment; a gap wider than
   ``MAX_GAP_M`` stops the build. Stored as one LineString feature (``A3`` = ``border``).
6. Coordinates are rounded to 1e-5 degrees (about 1 m, far below the source's 100 m error),
   written as compact GeoJSON in a fixed order, so the same package and library versions
   give the same bytes; its SHA-256 goes to ``data/SHA256SUMS``.
7. ``data/display.geojson``: the four countries simplified for drawing, once, at each outline
   tolerance of ``geo.data.display`` (``COUNTRY_TOLERANCE_M``, ``MINIMAP_TOLERANCE_M``), together
   so that shared edges stay shared (``geo.data.display.simplified_countries``), rounded to
   ``geo.data.display.DECIMALS`` decimals. It is derived from ``borders.geojson`` alone, so
   ``--display-only`` rebuilds it without the npm package.
8. ``data/ground.wkb`` and ``data/ground.json``: the zones' parameter-free geometry (the
   Kharkiv sector, Russia within 300 km of the border and of the sector, Ukraine within the
   largest R of the border) and the reaches' areas, made by the engine's own functions from
   the border file as it reads back (``geo.data.stored``); rebuilt with the display file.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import shapely

from geo.core import files, geodesy
from geo.data import display
from geo.data.borders import (
    BORDERS_FILE,
    CHECKSUMS_FILE,
    DATA_DIR,
    DISPLAY_FILE,
    INDEX_FILE,
    WKB_FILE,
)
from geo.data.source import (
    COUNTRIES,
    MAX_GAP_M,
    NAMES,
    PACKAGE,
    PACKAGE_SHA256,
    PRECISION_DEG,
    REGION,
    VERSION,
)
from geo.i18n import _, number, quote
from geo.tools import ground

#: Far above the source tarball's size (its map.geo.json is 126 MB before compression).
MAX_PACKAGE_BYTES = 256 << 20


class BuildError(Exception):
    """The rebuild could not run (no npm, wrong or unreadable package); one sentence."""


def _polygonal(geom: shapely.Geometry) -> shapely.MultiPolygon:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys = []
    for part in parts:
        polys.extend(shapely.get_parts(part))
    return shapely.MultiPolygon(polys)


def extract(features: list[dict]) -> dict[str, shapely.MultiPolygon]:
    """Clip, repair and de-overlap the four countries (steps 1–4 above)."""
    shapes = {}
    for feature in features:
        code = feature["properties"].get("A3")
        if code in COUNTRIES:
            raw = shapely.geometry.shape(feature["geometry"])
            clipped = shapely.clip_by_rect(raw, *REGION)
            shapes[code] = _polygonal(shapely.make_valid(clipped))
    missing = set(COUNTRIES) - set(shapes)
    if missing:
        raise ValueError(_("the package has no feature for {codes}").format(codes=sorted(missing)))
    shapes["RUS"] = _polygonal(shapely.make_valid(shapes["RUS"].difference(shapes["UKR"])))
    rounded = {}
    for code, geom in shapes.items():
        geom = shapely.set_precision(geom, PRECISION_DEG)
        rounded[code] = _polygonal(shapely.make_valid(geom))
    border = land_border(rounded["UKR"], rounded["RUS"], rounded["BLR"])
    rounded["border"] = shapely.set_precision(border, PRECISION_DEG)
    return rounded


def land_border(
    ukraine: shapely.Geometry, russia: shapely.Geometry, belarus: shapely.Geometry
) -> shapely.LineString:
    """The Russia–Ukraine land border as one line (step 5), in lon/lat."""
    ukr, rus, blr = (geodesy.to_metres(g) for g in (ukraine, russia, belarus))
    shared = shapely.line_merge(ukr.boundary.intersection(rus.boundary))
    pieces = [
        shapely.get_coordinates(p) for p in shapely.get_parts(shared) if p.geom_type == "LineString"
    ]
    ends = np.array([[p[0], p[-1]] for p in pieces])
    to_belarus = shapely.distance(blr, shapely.points(ends.reshape(-1, 2))).reshape(-1, 2)
    first, end = np.unravel_index(np.argmin(to_belarus), to_belarus.shape)
    chain = [pieces[first] if end == 0 else pieces[first][::-1]]
    remaining = set(range(len(pieces))) - {first}
    while remaining:
        tip = chain[-1][-1]
        order = sorted(remaining)
        gaps = np.hypot(*(ends[order] - tip).transpose(2, 0, 1))
        k, end = np.unravel_index(np.argmin(gaps), gaps.shape)
        if gaps[k, end] > MAX_GAP_M:
            raise ValueError(
                _("a gap of {gap} m in the shared border exceeds {limit} m").format(
                    gap=f"{gaps[k, end]:.0f}", limit=f"{MAX_GAP_M:.0f}"
                )
            )
        piece = pieces[order[k]]
        chain.append(piece if end == 0 else piece[::-1])
        remaining.discard(order[k])
    return geodesy.to_degrees(shapely.LineString(np.vstack(chain)))


def to_geojson(shapes: dict[str, shapely.Geometry]) -> bytes:
    features = []
    for code in sorted(shapes):
        geom = shapely.normalize(shapes[code])
        features.append(
            {
                "type": "Feature",
                "properties": {"A3": code, "name": NAMES[code]},
                "geometry": json.loads(shapely.to_geojson(geom)),
            }
        )
    collection = {
        "type": "FeatureCollection",
        "source": f"npm {PACKAGE}@{VERSION} (map.geo.json), clipped to {list(REGION)}",
        "license": "ODbL-1.0; © OpenStreetMap contributors",
        "features": features,
    }
    text = json.dumps(collection, separators=(",", ":"), sort_keys=True)
    return text.encode("utf-8") + b"\n"


def display_geojson(shapes: dict[str, shapely.Geometry]) -> bytes:
    """The display file (step 7) for the extract's countries (lon/lat)."""
    features = []
    for tolerance in (display.COUNTRY_TOLERANCE_M, display.MINIMAP_TOLERANCE_M):
        simple = display.simplified_countries({code: shapes[code] for code in COUNTRIES}, tolerance)
        for code in sorted(simple):
            geom = shapely.normalize(shapely.set_precision(simple[code], 10.0**-display.DECIMALS))
            features.append(
                {
                    "type": "Feature",
                    "properties": {"A3": code, "name": NAMES[code], "tolerance_m": tolerance},
                    "geometry": json.loads(shapely.to_geojson(geom)),
                }
            )
    collection = {
        "type": "FeatureCollection",
        "source": f"{BORDERS_FILE}, simplified for drawing (geo/data/display.py)",
        "license": "ODbL-1.0; © OpenStreetMap contributors",
        "features": features,
    }
    return json.dumps(collection, separators=(",", ":"), sort_keys=True).encode("utf-8") + b"\n"


def fetch_package(workdir: Path) -> Path:
    """Download the tarball from the npm registry with `npm pack`."""
    try:
        subprocess.run(
            ["npm", "pack", "--ignore-scripts", "--silent", f"{PACKAGE}@{VERSION}"],
            cwd=workdir,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as err:
        raise BuildError(
            _("could not run npm to fetch {package} ({why}).").format(
                package=f"{PACKAGE}@{VERSION}", why=files.os_reason(err)
            )
        ) from None
    except subprocess.CalledProcessError as err:
        reason = (err.stderr.strip().splitlines() or ["no reason given"])[-1]
        raise BuildError(
            _("npm could not fetch {package} ({why}).").format(
                package=f"{PACKAGE}@{VERSION}", why=quote.shown(reason)
            )
        ) from None
    return next(workdir.glob("*.tgz"))


def read_package(payload: bytes, name: str) -> list[dict]:
    """The features of ``package/map.geo.json`` in the tarball ``payload`` (read from ``name``)."""
    try:
        with tarfile.open(fileobj=io.BytesIO(payload)) as tar:
            member = tar.extractfile("package/map.geo.json")
            if member is None:
                raise BuildError(
                    _("{file} has no file package/map.geo.json.").format(
                        file=quote.shown_path(name)
                    )
                )
            return json.load(member)["features"]
    except (tarfile.TarError, KeyError, ValueError, EOFError) as err:
        raise BuildError(
            _("{file} is not the {package} package ({why}).").format(
                file=quote.shown_path(name), package=PACKAGE, why=quote.shown(err)
            )
        ) from None


def checksums(data_dir: Path, new: dict[str, bytes]) -> str:
    """SHA256SUMS for the GeoJSON files in ``data_dir``, with ``new`` contents taking precedence."""
    contents = dict(new)
    for path in sorted(data_dir.iterdir()):
        if (
            path.suffix in (".geojson", ".json", ".wkb")
            and path.name not in contents
            and path.is_file()
        ):
            contents[path.name] = files.read_regular(path, MAX_PACKAGE_BYTES)
    return "".join(f"{files.sha256(data)}  {name}\n" for name, data in sorted(contents.items()))


def build(payload: bytes, name: str, data_dir: Path = DATA_DIR) -> Path:
    """Rebuild the border file from the tarball ``payload`` and write it with its checksum
    list, both or neither."""
    from geo.data.borders import _shapes, region_from

    shapes = extract(read_package(payload, name))
    geojson, shown = to_geojson(shapes), display_geojson(shapes)
    target = data_dir / BORDERS_FILE
    new = {
        BORDERS_FILE: geojson,
        DISPLAY_FILE: shown,
        **ground_files(region_from(_shapes(target, geojson))),
    }
    files.write_all(
        {
            **{data_dir / file: content for file, content in new.items()},
            data_dir / CHECKSUMS_FILE: checksums(data_dir, new),
        }
    )
    return target


def ground_files(region) -> dict[str, bytes]:
    """The zones' parameter-free geometry (step 8, ``geo.data.stored``), as the border file
    reads back, by file name."""
    wkb, index = ground.build(region)
    return {WKB_FILE: wkb, INDEX_FILE: index}


def build_display(data_dir: Path = DATA_DIR) -> Path:
    """Rebuild only the display file, from the checked border file already in ``data_dir``."""
    from geo.data.borders import load_region

    region = load_region(data_dir, check_all=False)
    shown = display_geojson({code: region.country(code) for code in COUNTRIES})
    target = data_dir / DISPLAY_FILE
    new = {DISPLAY_FILE: shown, **ground_files(region)}
    files.write_all(
        {
            **{data_dir / file: content for file, content in new.items()},
            data_dir / CHECKSUMS_FILE: checksums(data_dir, new),
        }
    )
    return target


def rebuild(
    package: Path | None = None, data_dir: Path = DATA_DIR, display_only: bool = False
) -> str:
    """Fetch (or read ``package``), check its SHA-256, rebuild; one line saying what was written.
    ``display_only``: rebuild only the display file, from the committed border file.

    Raises :class:`BuildError`, :class:`geo.core.files.ReadError` or :class:`geo.core.files.OutputError`.
    """
    if display_only:
        target = build_display(data_dir)
        written = files.read_regular(target, MAX_PACKAGE_BYTES)
        return _wrote(target, written)
    with tempfile.TemporaryDirectory(prefix="kharkiv-data-") as tmp:
        tarball = package if package is not None else fetch_package(Path(tmp))
        payload = files.read_regular(tarball, MAX_PACKAGE_BYTES)
        digest = files.sha256(payload)
        if digest != PACKAGE_SHA256:
            raise BuildError(
                _("{file} has SHA-256 {digest}; expected {expected} ({package}).").format(
                    file=quote.shown_path(tarball),
                    digest=digest,
                    expected=PACKAGE_SHA256,
                    package=f"{PACKAGE}@{VERSION}",
                )
            )
        target = build(payload, str(tarball), data_dir)
    return _wrote(target, files.read_regular(target, MAX_PACKAGE_BYTES))


def _wrote(target: Path, written: bytes) -> str:
    return _("wrote {file} ({size} bytes, SHA-256 {digest})").format(
        file=target, size=number(len(written)), digest=files.sha256(written)
    )
