"""The second border source, Natural Earth 1:10m, measured independently of the engine.

The tests read Natural Earth's own TopoJSON (the four countries of ``countries-10m.json``,
verbatim: ``tests/data/countries-10m-subset.json``, made by ``tests/naturalearth_subset.py``)
with GDAL, and measure it their own way: Crimea found by a city inside it (not by the
engine's box), the border as the two countries' shared edge, distances to it with pyproj's
geodesic inverse to points 50 m apart, the sector between the points of the border nearest the
tripoints, buffers made piece by piece each in its own azimuthal projection (not the engine's
one, nor its buffer code) and areas with pyproj's geodesic polygon area. The engine's figures
for that source (``facts --json``'s ``sources``) must agree within 1 %. The OpenStreetMap
figures must be the ones the map gave before a second source existed.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyogrio.raw
import pyproj
import pytest
import shapely

from geo.cli import program
from geo.data import borders as data
from geo.data import source
from geo.engine import facts, stages
from tests.scopes import shared

FIXTURE = Path(__file__).resolve().parent / "data" / "countries-10m-subset.json"
GEOD = pyproj.Geod(ellps="WGS84")
KHARKIV = (49.98177, 36.25475)  # GeoNames, as FACTS.md gives it
TRIPOINTS = ((50.357, 35.618), (49.925, 38.063))  # FACTS.md: Kharkiv Oblast's ends on Russia
SIMFEROPOL = (44.952, 34.102)
CODES = {"804": "UKR", "643": "RUS", "112": "BLR", "498": "MDA"}

#: The OpenStreetMap figures for the default view, as the map gave them before Natural Earth
#: was added (``kharkiv-map facts --json`` on the main branch): they must not move.
OSM_BEFORE = {
    "border_length_km": 1956.764,
    "kharkiv_sector_length_km": 285.207,
    "kharkiv_to_border_km": 34.563,
    "counterfire_zone_area_km2": 23294.5,
    "deep_strike_zone_area_km2": 171954.6,
    "sanctuary_area_km2": 445387.9,
}


# --------------------------------------------------------------------------- measuring, independently


def polygonal(geom: shapely.Geometry) -> shapely.MultiPolygon:
    """The polygons of a repaired geometry (``make_valid`` may leave lines beside them)."""
    polygons = []
    for part in shapely.get_parts(shapely.make_valid(geom)):
        if part.geom_type in ("Polygon", "MultiPolygon"):
            polygons.extend(shapely.get_parts(part))
    return shapely.MultiPolygon(polygons)


def read_topojson() -> dict[str, shapely.Geometry]:
    """The four countries of the TopoJSON, by code, as GDAL decodes them, repaired."""
    meta, _fids, geometries, fields = pyogrio.raw.read(FIXTURE, layer="countries")
    ids = fields[list(meta["fields"]).index("id")]
    return {CODES[i]: polygonal(shapely.from_wkb(g)) for i, g in zip(ids, geometries)}


def geodesic_length_km(line: shapely.Geometry) -> float:
    return GEOD.geometry_length(line) / 1000


def geodesic_area_km2(geom: shapely.Geometry) -> float:
    area, _perimeter = GEOD.geometry_area_perimeter(shapely.orient_polygons(geom))
    return abs(area) / 1e6


def densified(line: shapely.LineString, step_m: float = 50.0) -> np.ndarray:
    """(lon, lat) points along the line, at most ``step_m`` apart along geodesics."""
    coords = shapely.get_coordinates(line)
    out = [coords[:1]]
    for (lon1, lat1), (lon2, lat2) in zip(coords[:-1], coords[1:]):
        _az, _back, dist = GEOD.inv(lon1, lat1, lon2, lat2)
        n = int(dist // step_m)
        if n:
            between = np.array(GEOD.npts(lon1, lat1, lon2, lat2, n))
            out.append(between)
        out.append(np.array([[lon2, lat2]]))
    return np.vstack(out)


def nearest(points: np.ndarray, lat: float, lon: float) -> tuple[int, float]:
    _az, _back, dist = GEOD.inv(
        np.full(len(points), lon), np.full(len(points), lat), points[:, 0], points[:, 1]
    )
    k = int(np.argmin(dist))
    return k, float(dist[k])


def buffered(
    line: shapely.LineString, distance_m: float, piece_m: float = 150_000
) -> shapely.Geometry:
    """The line's buffer in lon/lat: the union of the buffers of pieces about ``piece_m`` long,
    each made in an azimuthal equidistant projection centred on its own piece."""
    points = densified(line, 1000.0)
    step = int(piece_m // 1000)
    shapes = []
    for start in range(0, len(points) - 1, step):
        piece = points[start : start + step + 1]
        lon0, lat0 = piece[len(piece) // 2]
        local = pyproj.Transformer.from_crs(
            "EPSG:4326",
            f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m",
            always_xy=True,
        )
        xy = np.column_stack(local.transform(piece[:, 0], piece[:, 1]))
        ring = shapely.LineString(xy).buffer(distance_m, quad_segs=32)
        ring = shapely.segmentize(ring, 5_000)
        shapes.append(
            shapely.transform(
                ring,
                lambda c, t=local: np.column_stack(
                    t.transform(c[:, 0], c[:, 1], direction="INVERSE")
                ),
            )
        )
    return shapely.union_all(shapes)


@pytest.fixture(scope="module")
def measured() -> dict[str, float]:
    """Natural Earth's figures for the default view, measured by the test itself."""
    shapes = read_topojson()
    crimea = next(
        part
        for part in shapely.get_parts(shapes["RUS"])
        if part.contains(shapely.Point(SIMFEROPOL[1], SIMFEROPOL[0]))
    )
    ukraine = shapely.union(shapes["UKR"], crimea)
    russia = shapely.difference(shapes["RUS"], ukraine)
    shared = shapely.line_merge(ukraine.boundary.intersection(russia.boundary))
    lines = [p for p in shapely.get_parts(shared) if p.geom_type == "LineString"]
    assert len(lines) == 1, "Natural Earth's shared edge is one line"
    border = lines[0]
    points = densified(border)
    _k, to_border = nearest(points, *KHARKIV)
    ends = sorted(nearest(points, lat, lon)[0] for lat, lon in TRIPOINTS)
    sector = shapely.LineString(points[ends[0] : ends[1] + 1])
    russia_here = shapely.clip_by_rect(russia, 20, 40, 50, 60)
    zone = shapely.intersection(russia_here, buffered(sector, 80_000))
    reach_sector = shapely.intersection(russia_here, buffered(sector, 300_000))
    reach_border = shapely.intersection(russia_here, buffered(border, 300_000))
    zone_area = geodesic_area_km2(zone)
    return {
        "border_length_km": geodesic_length_km(border),
        "kharkiv_sector_length_km": geodesic_length_km(sector),
        "kharkiv_to_border_km": to_border / 1000,
        "counterfire_zone_area_km2": zone_area,
        "deep_strike_zone_area_km2": geodesic_area_km2(reach_sector) - zone_area,
        "sanctuary_area_km2": geodesic_area_km2(reach_border) - zone_area,
        "permitted_share": zone_area / geodesic_area_km2(reach_border),
    }


@pytest.fixture(scope=shared("module"))
def facts_json() -> dict:
    """``kharkiv-map facts --json``, the command's own ``main`` run in this process (so that a
    mutation run sees the engine functions it calls); tests/test_cli.py runs it as a user
    does, in a process of its own."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert program.main(["facts", "--json"]) == 0
    return json.loads(out.getvalue())


# --------------------------------------------------------------------------- the tests


def test_the_fixture_is_natural_earths_own_file():
    topology = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert topology["subset_of"] == {
        "package": "world-atlas@2.0.2",
        "file": "package/countries-10m.json",
        "sha256": "3bc6f1d367a9bcec479841bae0e76092f512838411d0cef124e92eec4db45f79",
    }
    assert source.BY_ID["naturalearth"].spec == "world-atlas@2.0.2"


def test_facts_lists_both_sources_with_their_licences(facts_json):
    entries = {entry["id"]: entry for entry in facts_json["sources"]}
    assert list(entries) == ["osm", "naturalearth"]
    assert entries["osm"]["licence"] == "ODbL-1.0" and entries["osm"]["version"] == "0.6.0"
    assert entries["naturalearth"]["licence"] == "Public domain"
    assert entries["naturalearth"]["version"] == "2.0.2"
    # The npm packages the border data is rebuilt from (data/README.md names them).
    assert entries["naturalearth"]["package"] == "world-atlas"
    assert entries["osm"]["package"] == "@geo-maps/countries-land-100m"
    for entry in entries.values():
        assert set(facts.SOURCE_FIGURES) | {"permitted_share", "id", "name"} <= set(entry)


@pytest.mark.parametrize("key", [*facts.SOURCE_FIGURES, "permitted_share"])
def test_natural_earths_figures_agree_with_an_independent_measurement(facts_json, measured, key):
    engine = next(e for e in facts_json["sources"] if e["id"] == "naturalearth")[key]
    assert engine == pytest.approx(measured[key], rel=0.01), (key, engine, measured[key])


def test_the_openstreetmap_figures_are_unchanged(facts_json):
    entry = next(e for e in facts_json["sources"] if e["id"] == "osm")
    for key, before in OSM_BEFORE.items():
        assert facts_json[key] == before  # the top-level figures are the default source's
        assert entry[key] == before


def test_the_sources_differ_in_their_lines_much_more_than_in_their_areas(facts_json):
    osm, ne = facts_json["sources"]
    length = abs(ne["border_length_km"] / osm["border_length_km"] - 1)
    areas = [abs(ne[k] / osm[k] - 1) for k in facts.SOURCE_FIGURES if k.endswith("km2")]
    assert length > 0.15 and max(areas) < 0.03


def test_the_stored_natural_earth_border_is_the_sources_shared_edge():
    """The engine's copy (rounded to 1e-5 degrees, clipped to the region) lies on the line the
    test finds in the TopoJSON, and covers it."""
    region = data.region("naturalearth")
    shapes = read_topojson()
    crimea = next(
        part
        for part in shapely.get_parts(shapes["RUS"])
        if part.contains(shapely.Point(SIMFEROPOL[1], SIMFEROPOL[0]))
    )
    ukraine = shapely.union(shapes["UKR"], crimea)
    shared = shapely.line_merge(
        ukraine.boundary.intersection(shapes["RUS"].difference(crimea).boundary)
    )
    assert shapely.hausdorff_distance(region.border, shared) < 1e-4  # degrees: about 10 m


@pytest.mark.parametrize(
    "lat, lon, code",
    [
        (44.952, 34.102, "UKR"),
        (45.357, 36.468, "UKR"),
        (44.50, 34.17, "UKR"),
        (50.60343, 36.58091, "RUS"),
    ],
)
def test_natural_earth_draws_crimea_as_ukraine(lat, lon, code):
    """Simferopol, Kerch, Yalta in Ukraine (UN GA resolution 68/262), Belgorod in Russia."""
    region = data.region("naturalearth")
    other = "RUS" if code == "UKR" else "UKR"
    assert region.country(code).contains(shapely.Point(lon, lat))
    assert not region.country(other).contains(shapely.Point(lon, lat))


def test_an_unknown_source_is_one_line_and_exit_2():
    out = subprocess.run(
        [sys.executable, "-m", "geo", "facts", "--source", "ne"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "osm, naturalearth" in out.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--out", "m.html"],
        ["figure", "--out", "f.png"],
        ["facts"],
        ["classify", "points.csv"],
        ["where", "Kharkiv"],
    ],
)
def test_every_command_that_measures_or_draws_refuses_an_unknown_source(command, tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "geo", *command, "--source", "google"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[1]), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert "source 'google' is not a border source of this map" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_figure_credits_and_where_name_natural_earth(tmp_path):
    root = Path(__file__).resolve().parents[1]
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}
    figure = subprocess.run(
        [sys.executable, "-m", "geo", "figure", "--source", "naturalearth", "--out", "f.svg"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert figure.returncode == 0, figure.stderr
    svg = (tmp_path / "f.svg").read_text(encoding="utf-8")
    assert "Natural Earth 1:10m (public domain)" in svg and "world-atlas 2.0.2" in svg
    where = subprocess.run(
        [sys.executable, "-m", "geo", "where", "Kharkiv", "--source", "naturalearth"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert where.returncode == 0 and "To the border: 32.7 km" in where.stdout


def test_facts_json_lists_every_stage_beside_the_view(facts_json):
    listed = facts_json["stages"]
    assert [row["id"] for row in listed] == [stage.id for stage in stages.STAGES]
    for row in listed:
        if row["measured"]:
            # The share is given to 4 decimals, of the areas it is the quotient of.
            share = row["permitted_area_km2"] / row["reach_area_km2"]
            assert row["permitted_share"] == pytest.approx(share, abs=1e-4)
            assert row["permitted_share"] == round(row["permitted_share"], 4)
    shares = [entry["permitted_share"] for entry in facts_json["sources"]]
    assert all(0 < share < 1 and share == round(share, 4) for share in shares)


def test_what_is_here_measures_to_the_chosen_sources_border(measured):
    from geo.engine import layers, query, zones

    built = layers.layers(zones.Params(source="naturalearth"))
    answer = query.what_is_here(built, 49.98177, 36.25475)  # Kharkiv's centre (GeoNames)
    assert answer.to_border.km == pytest.approx(measured["kharkiv_to_border_km"], rel=0.01)
