"""The layers for GIS tools (geo.render.gis): GDAL reads back every layer of the GeoPackage and
the KML with its features in EPSG:4326, and their geometry is the GeoJSON export's; the answers
of a user's file as a GeoPackage; and the command line writing them, all or nothing."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio
import pyogrio.raw
import pytest
import shapely

from geo.engine import classify, layers, zones
from geo.render import gis
from geo.render.web import export
from geo.userfiles import userdata

ROOT = Path(__file__).resolve().parents[1]
KML = "{http://www.opengis.net/kml/2.2}"
POINTS = "name,lat,lon\nBelgorod,50.60343,36.58091\nKharkiv,49.98177,36.25475\nMoscow,55.75,37.6\n"


def geojson_features(built) -> list[dict]:
    return json.loads(export.geojson_text(built))["features"]


def read(path, layer=None) -> tuple[dict, list, dict[str, list]]:
    """A layer as GDAL reads it: its metadata, geometries (shapely) and columns by name."""
    meta, _fids, geometries, fields = pyogrio.raw.read(path, layer=layer)
    columns = {name: list(values) for name, values in zip(meta["fields"], fields)}
    shapes = [None if g is None else shapely.from_wkb(g) for g in geometries]
    return meta, shapes, columns


def same_shape(a: shapely.Geometry, b: shapely.Geometry) -> bool:
    """The same geometry, a single polygon and a multipolygon of it alike, Z dropped."""
    a, b = (shapely.force_2d(g) for g in (a, b))
    if a.is_empty or b.is_empty:
        return a.is_empty and b.is_empty
    return shapely.equals_exact(shapely.normalize(_multi(a)), shapely.normalize(_multi(b)), 1e-9)


def same_value(got, value) -> bool:
    """A column's value as GDAL reads it against the GeoJSON's: a null reads back as None, or
    as NaN in a column of numbers."""
    if value is None:
        return got is None or (isinstance(got, float) and math.isnan(got))
    return got == pytest.approx(value) if isinstance(value, float) else got == value


def _multi(g: shapely.Geometry) -> shapely.Geometry:
    return shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g


@pytest.fixture(scope="module")
def built():
    return layers.layers(zones.Params(source="naturalearth"))


@pytest.fixture(scope="module")
def gpkg(built, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gis") / "layers.gpkg"
    path.write_bytes(gis.layers_file(built, ".gpkg"))
    return path


def test_the_geopackage_has_one_table_per_geojson_layer_in_epsg_4326(built, gpkg):
    features = geojson_features(built)
    names = list(dict.fromkeys(f["properties"]["layer"] for f in features))
    assert [name for name, _kind in pyogrio.list_layers(gpkg)] == names
    for name in names:
        expected = [f for f in features if f["properties"]["layer"] == name]
        meta, shapes, columns = read(gpkg, name)
        assert meta["crs"] == "EPSG:4326"
        assert len(shapes) == len(expected)
        for k, feature in enumerate(expected):
            assert same_shape(shapes[k], shapely.geometry.shape(feature["geometry"])), name
            for key, value in feature["properties"].items():
                assert same_value(columns[key][k], value), (name, key)


def test_the_geopackage_carries_the_parameters_figures_and_credits(built, gpkg):
    _meta, _shapes, columns = read(gpkg, "counterfire_zone")
    figures = export.facts(built)
    assert columns["source"] == ["naturalearth"] and columns["stage"] == ["2024-05-30"]
    assert columns["depth_km"] == [80.0]
    assert columns["area_km2"] == [figures["counterfire_zone_area_km2"]]
    info = pyogrio.read_info(gpkg, layer="border")
    assert "Natural Earth" in info["dataset_metadata"]["attribution"]
    assert json.loads(info["dataset_metadata"]["facts"]) == figures


def test_the_kml_has_every_feature_styled_like_the_map(built, tmp_path):
    path = tmp_path / "layers.kml"
    path.write_bytes(gis.layers_file(built, ".kml"))
    features = geojson_features(built)
    meta, shapes, columns = read(path)
    assert meta["crs"] == "EPSG:4326" and len(shapes) == len(features)
    for shape, feature, layer in zip(shapes, features, columns["layer"]):
        assert layer == feature["properties"]["layer"]
        assert same_shape(shape, shapely.geometry.shape(feature["geometry"])), layer
    placemarks = {
        p.findtext(f"{KML}name"): p for p in ET.parse(path).getroot().iter(f"{KML}Placemark")
    }
    zone = placemarks["Counterfire zone"]  # #0072B2, fill opacity 0.3: KML's aabbggrr
    assert zone.findtext(f".//{KML}LineStyle/{KML}color") == "ffb27200"
    assert zone.findtext(f".//{KML}PolyStyle/{KML}color") == "4cb27200"
    assert zone.findtext(f"{KML}description").startswith(
        "Counterfire zone: Russia within D = 80 km"
    )
    ring = placemarks["Ring around Kharkiv (R)"]  # an outline only: no fill
    assert ring.findtext(f".//{KML}PolyStyle/{KML}color") == "00000000"


def test_an_empty_layer_is_an_empty_table_row_and_a_placemark_without_a_shape(tmp_path):
    deepest = layers.layers(zones.Params(depth=zones.parse_depth("300km")))
    path = tmp_path / "deep.gpkg"
    path.write_bytes(gis.layers_file(deepest, ".gpkg"))
    _meta, shapes, _columns = read(path, "deep_strike_zone")
    assert len(shapes) == 1 and shapes[0].is_empty
    kml = tmp_path / "deep.kml"
    kml.write_bytes(gis.layers_file(deepest, ".kml"))
    _meta, shapes, columns = read(kml)
    assert shapes[columns["layer"].index("deep_strike_zone")] is None


def test_the_answers_as_a_geopackage_are_the_geojsons(tmp_path):
    built = layers.layers(zones.Params())
    data = userdata.read(POINTS.encode(), "points.csv")
    rows = classify.classify(data, built)
    path = tmp_path / "answers.gpkg"
    path.write_bytes(gis.answers_gpkg(rows, built))
    meta, shapes, columns = read(path, "answers")
    expected = json.loads(classify.to_geojson(rows, built))["features"]
    assert meta["crs"] == "EPSG:4326" and len(shapes) == len(expected) == 3
    for k, feature in enumerate(expected):
        assert same_shape(shapes[k], shapely.geometry.shape(feature["geometry"]))
        assert columns["km_zone"][k] == feature["properties"]["km_zone"]
        assert columns["name"][k] == feature["properties"]["name"]
        assert columns["km_to_border_km"][k] == pytest.approx(
            feature["properties"]["km_to_border_km"]
        )


def test_a_users_columns_that_clash_in_a_geopackage_are_renamed():
    assert gis._names(["name", "Name", "fid", "geom", "NAME"]) == [
        "name",
        "Name (2)",
        "fid (2)",
        "geom (2)",
        "NAME (3)",
    ]


# --------------------------------------------------------------------------- the command line


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_export_writes_the_map_and_a_geopackage_from_natural_earth(tmp_path):
    done = run(
        "export", "--source", "naturalearth", "--out", "m.html", "--layers", "m.gpkg", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "wrote m.html" in done.stdout and "wrote m.gpkg" in done.stdout
    assert "Natural Earth 1:10m" in (tmp_path / "m.html").read_text(encoding="utf-8")
    _meta, _shapes, columns = read(tmp_path / "m.gpkg", "border")
    assert columns["source"] == ["naturalearth"]


def test_export_writes_a_kml_and_refuses_an_unknown_ending_in_one_line(tmp_path):
    done = run("export", "--out", "m.html", "--layers", "l.kml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert pyogrio.read_info(tmp_path / "l.kml")["features"] > 9
    bad = run("export", "--out", "n.html", "--layers", "l.shp", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert ".geojson, .gpkg or .kml" in bad.stderr and not (tmp_path / "n.html").exists()


def test_export_writes_all_its_files_or_none(tmp_path):
    done = run("export", "--out", "m.html", "--layers", "missing/l.gpkg", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_classify_writes_its_answers_as_a_geopackage(tmp_path):
    (tmp_path / "points.csv").write_text(POINTS)
    done = run("classify", "points.csv", "--out", "answers.gpkg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote answers.gpkg (3 features" in done.stdout
    meta, shapes, columns = read(tmp_path / "answers.gpkg", "answers")
    assert meta["crs"] == "EPSG:4326" and len(shapes) == 3
    assert columns["km_zone"][0] == "counterfire_zone"  # Belgorod
