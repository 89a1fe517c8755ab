"""Rebuild a border source's files in ``data/`` from the npm package it is derived from.

    kharkiv-map data rebuild                 # fetches the package with `npm pack`
    kharkiv-map data rebuild --package FILE  # uses an already downloaded .tgz
    kharkiv-map data rebuild --display-only  # only display.geojson, from the committed borders
    kharkiv-map data rebuild --source naturalearth [--package FILE | --display-only]

Sources (``geo.data.source.SOURCES``):

* ``osm`` (the default): npm ``@geo-maps/countries-land-100m`` 0.6.0 (``map.geo.json``,
  GeoJSON), derived from OpenStreetMap, about 100 m error; ODbL 1.0, "© OpenStreetMap
  contributors". Writes ``borders.geojson``, ``display.geojson``, ``ground.wkb``, ``ground.json``.
* ``naturalearth``: npm ``world-atlas`` 2.0.2 (``countries-10m.json``, TopoJSON), Natural
  Earth 4.1.0's 1:10m countries, public domain (the package's own code: ISC). The TopoJSON is
  read by GDAL's TopoJSON driver (through pyogrio), which decodes the quantized, shared arcs
  into polygons; countries are keyed by ISO 3166 numeric ``id``. Writes the same four files
  named ``borders-naturalearth.geojson`` and so on.

Steps, each a geographic decision, the same for both sources:

1. Keep Ukraine, Russia, Belarus and Moldova (``A3`` property, or ``id`` 804, 643, 112, 498).
2. Clip to ``REGION`` (lon 20–46 E, lat 43–56.5 N): all of Ukraine and Moldova, and Russia
   more than 300 km beyond every point of the Russia–Ukraine border (the deep-strike reach).
   Clipping comes first because the source rings are invalid and ``clip_by_rect`` accepts
   invalid input; repairing all of Russia would take minutes.
3. ``make_valid`` and keep the polygonal parts.
4. The map shows internationally recognised borders (UN General Assembly resolution 68/262):
   Crimea is Ukraine's. In the OSM extract Crimea lies inside both the Ukrainian and the
   Russian polygon; in Natural Earth's 4.1.0 edition inside the Russian polygon only, as a part
   of its own. So the part of Russia wholly inside ``CRIMEA_BOX`` (the peninsula, Sevastopol
   included) is first given to Ukraine (found in the Natural Earth source only; exactly one
   part, else the build stops), then, for both sources alike, Ukraine is taken out of Russia.
5. The Russia–Ukraine land border is the shared edge of the two polygons. The land-only OSM
   source leaves small gaps where the border crosses water (the widest here is 0.73 km;
   Natural Earth's topology leaves none), so the shared pieces are chained end to nearest end,
   from the end nearest Belarus to the Sea of Azov, and each gap is bridged by a straight
   segment; a gap wider than ``MAX_GAP_M`` stops the build. Stored as one LineString feature
   (``A3`` = ``border``). The Kharkiv sector is found on it by the engine, between the same two
   oblast tripoints for both sources (``geo.engine.zones.SECTOR_ENDS``).
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
from pathlib import Path, PurePosixPath

import numpy as np
import pyogrio
import shapely

from geo.core import files, geodesy
from geo.data import display
from geo.data.borders import CHECKSUMS_FILE, DATA_DIR
from geo.data.source import (
    BY_ID,
    COUNTRIES,
    CRIMEA_BOX,
    DEFAULT,
    MAX_GAP_M,
    NAMES,
    PACKAGE,  # noqa: F401 -- the first source's package, named here too
    PRECISION_DEG,
    REGION,
    VERSION,  # noqa: F401
    BorderSource,
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
    """Clip, repair and de-overlap the four countries of GeoJSON features keyed by ``A3``
    (the OSM package), and find the land border (steps 1–5 above)."""
    raw = {}
    for feature in features:
        code = feature["properties"].get("A3")
        if code in COUNTRIES:
            raw[code] = shapely.geometry.shape(feature["geometry"])
    return extract_shapes(raw)


def crimea_parts(russia: shapely.MultiPolygon) -> list[shapely.Polygon]:
    """The parts of Russia's polygon wholly inside ``CRIMEA_BOX``: Crimea, where a source draws
    it as Russia's (step 4)."""
    box = shapely.box(*CRIMEA_BOX)
    return [part for part in shapely.get_parts(russia) if box.contains(part)]


def extract_shapes(
    raw: dict[str, shapely.Geometry], crimea: str = "both"
) -> dict[str, shapely.MultiPolygon]:
    """Clip, repair and de-overlap the four countries as a source draws them (lon/lat, by
    ``A3`` code), and find the land border (steps 2–5 above). ``crimea``: how the source draws
    the peninsula (``geo.data.source.BorderSource.crimea``)."""
    missing = set(COUNTRIES) - set(raw)
    if missing:
        raise ValueError(_("the package has no feature for {codes}").format(codes=sorted(missing)))
    shapes = {
        code: _polygonal(shapely.make_valid(shapely.clip_by_rect(raw[code], *REGION)))
        for code in COUNTRIES
    }
    if crimea == "russia":
        parts = crimea_parts(shapes["RUS"])
        if len(parts) != 1:
            raise ValueError(
                _("Russia's polygon has {count} parts inside {box}, not Crimea alone").format(
                    count=len(parts), box=list(CRIMEA_BOX)
                )
            )
        shapes["UKR"] = _polygonal(shapely.make_valid(shapely.union(shapes["UKR"], parts[0])))
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


def to_geojson(shapes: dict[str, shapely.Geometry], src: BorderSource = BY_ID[DEFAULT]) -> bytes:
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
    member = PurePosixPath(src.member).name
    collection = {
        "type": "FeatureCollection",
        "source": f"npm {src.spec} ({member}), clipped to {list(REGION)}",
        "license": f"{src.licence}; {src.credit}",
        "features": features,
    }
    text = json.dumps(collection, separators=(",", ":"), sort_keys=True)
    return text.encode("utf-8") + b"\n"


def display_geojson(
    shapes: dict[str, shapely.Geometry], src: BorderSource = BY_ID[DEFAULT]
) -> bytes:
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
        "source": f"{src.borders_file}, simplified for drawing (geo/data/display.py)",
        "license": f"{src.licence}; {src.credit}",
        "features": features,
    }
    return json.dumps(collection, separators=(",", ":"), sort_keys=True).encode("utf-8") + b"\n"


def fetch_package(workdir: Path, src: BorderSource = BY_ID[DEFAULT]) -> Path:
    """Download the tarball from the npm registry with `npm pack`."""
    try:
        subprocess.run(
            ["npm", "pack", "--ignore-scripts", "--silent", src.spec],
            cwd=workdir,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as err:
        raise BuildError(
            _("could not run npm to fetch {package} ({why}).").format(
                package=src.spec, why=files.os_reason(err)
            )
        ) from None
    except subprocess.CalledProcessError as err:
        reason = (err.stderr.strip().splitlines() or ["no reason given"])[-1]
        raise BuildError(
            _("npm could not fetch {package} ({why}).").format(
                package=src.spec, why=quote.shown(reason)
            )
        ) from None
    return next(workdir.glob("*.tgz"))


def read_package(payload: bytes, name: str, src: BorderSource = BY_ID[DEFAULT]) -> list[dict]:
    """The features of the source's file (``package/map.geo.json``) in the tarball ``payload``
    (read from ``name``), as GeoJSON features."""
    return _from_package(payload, name, src, lambda member: json.load(member)["features"])


def read_countries(
    payload: bytes, name: str, src: BorderSource = BY_ID[DEFAULT]
) -> dict[str, shapely.Geometry]:
    """The four countries (lon/lat, whole) in the source's tarball, by ``A3`` code (step 1)."""
    if src.member_format == "geojson":
        raw = {}
        for feature in read_package(payload, name, src):
            code = feature["properties"].get(src.key)
            if code in src.codes:
                raw[src.codes[code]] = shapely.geometry.shape(feature["geometry"])
        return raw
    return _from_package(payload, name, src, lambda member: _topojson_countries(member, src))


def _topojson_countries(member, src: BorderSource) -> dict[str, shapely.Geometry]:
    """The countries of a TopoJSON file's ``countries`` object, decoded by GDAL's TopoJSON
    driver (arcs dequantized and joined into rings), by ``A3`` code."""
    _meta, _fids, geometries, fields = pyogrio.raw.read(member.read(), layer="countries")
    names = list(_meta["fields"])
    keys = fields[names.index(src.key)]
    return {
        src.codes[key]: shapely.from_wkb(wkb)
        for key, wkb in zip(keys, geometries)
        if key in src.codes and wkb is not None
    }


def _from_package(payload: bytes, name: str, src: BorderSource, read):
    """``read`` of the source's file inside the tarball ``payload``; a problem is a BuildError."""
    try:
        with tarfile.open(fileobj=io.BytesIO(payload)) as tar:
            member = tar.extractfile(src.member)
            if member is None:
                raise BuildError(
                    _("{file} has no file {member}.").format(
                        file=quote.shown_path(name), member=src.member
                    )
                )
            return read(member)
    except (
        tarfile.TarError,
        KeyError,
        ValueError,
        EOFError,
        pyogrio.errors.DataSourceError,
    ) as err:
        raise BuildError(
            _("{file} is not the {package} package ({why}).").format(
                file=quote.shown_path(name), package=src.package, why=quote.shown(err)
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


def build(
    payload: bytes, name: str, data_dir: Path = DATA_DIR, src: BorderSource = BY_ID[DEFAULT]
) -> Path:
    """Rebuild a source's border file from the tarball ``payload`` and write it with the files
    made from it and the checksum list, all or none."""
    from geo.data.borders import _shapes, region_from

    shapes = extract_shapes(read_countries(payload, name, src), src.crimea)
    geojson, shown = to_geojson(shapes, src), display_geojson(shapes, src)
    target = data_dir / src.borders_file
    new = {
        src.borders_file: geojson,
        src.display_file: shown,
        **ground_files(region_from(_shapes(target, geojson), src.id)),
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
    src = BY_ID[region.source]
    wkb, index = ground.build(region)
    return {src.wkb_file: wkb, src.index_file: index}


def build_display(data_dir: Path = DATA_DIR, src: BorderSource = BY_ID[DEFAULT]) -> Path:
    """Rebuild only the display file, from the checked border file already in ``data_dir``."""
    from geo.data.borders import load_region

    region = load_region(data_dir, check_all=False, source=src.id)
    shown = display_geojson({code: region.country(code) for code in COUNTRIES}, src)
    target = data_dir / src.display_file
    new = {src.display_file: shown, **ground_files(region)}
    files.write_all(
        {
            **{data_dir / file: content for file, content in new.items()},
            data_dir / CHECKSUMS_FILE: checksums(data_dir, new),
        }
    )
    return target


def rebuild(
    package: Path | None = None,
    data_dir: Path = DATA_DIR,
    display_only: bool = False,
    source: str = DEFAULT,
) -> str:
    """Fetch (or read ``package``), check its SHA-256, rebuild one source's files; one line
    saying what was written. ``display_only``: rebuild only the files made from the committed
    border file (the display file and the stored geometry).

    Raises :class:`BuildError`, :class:`geo.core.files.ReadError` or :class:`geo.core.files.OutputError`.
    """
    src = BY_ID[source]
    if display_only:
        target = build_display(data_dir, src)
        written = files.read_regular(target, MAX_PACKAGE_BYTES)
        return _wrote(target, written)
    with tempfile.TemporaryDirectory(prefix="kharkiv-data-") as tmp:
        tarball = package if package is not None else fetch_package(Path(tmp), src)
        payload = files.read_regular(tarball, MAX_PACKAGE_BYTES)
        digest = files.sha256(payload)
        if digest != src.package_sha256:
            raise BuildError(
                _("{file} has SHA-256 {digest}; expected {expected} ({package}).").format(
                    file=quote.shown_path(tarball),
                    digest=digest,
                    expected=src.package_sha256,
                    package=src.spec,
                )
            )
        target = build(payload, str(tarball), data_dir, src)
    return _wrote(target, files.read_regular(target, MAX_PACKAGE_BYTES))


def _wrote(target: Path, written: bytes) -> str:
    return _("wrote {file} ({size} bytes, SHA-256 {digest})").format(
        file=target, size=number(len(written)), digest=files.sha256(written)
    )
