"""`kharkiv-map` as a user runs it: a real subprocess, its exit status, stdout and stderr."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest
from geopy.distance import geodesic

from tests.measure import distance_to_line_m, line_points

LAYERS = {
    "border",
    "kharkiv_sector",
    "border_band",
    "kharkiv_ring",
    "kharkiv_to_border",
    "counterfire_zone",
    "deep_strike_zone",
    "sanctuary",
    "place",
}


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    result = run(
        "export",
        "--out",
        str(folder / "m.html"),
        "--geojson",
        str(folder / "m.geojson"),
        "--radius",
        "20km",
        "--depth",
        "70km",
        "--basemap",
        "none",
    )
    assert result.returncode == 0, result.stderr
    return folder, result


def test_export_writes_a_self_contained_page(exported):
    folder, result = exported
    page = (folder / "m.html").read_text()
    assert "wrote" in result.stdout and str(folder / "m.html") in result.stdout
    assert "L.map(" in page and "leaflet" in page.lower()
    for tag in ('<script src="http', '<link href="http', 'rel="stylesheet" href="http'):
        assert tag not in page


def test_export_geojson_is_rfc7946_with_every_layer(exported):
    folder, _ = exported
    collection = json.loads((folder / "m.geojson").read_text())
    assert collection["type"] == "FeatureCollection"
    layers = {f["properties"]["layer"] for f in collection["features"]}
    assert layers == LAYERS
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        props = feature["properties"]
        assert props["radius_m"] == pytest.approx(20_000) and props["depth_m"] == pytest.approx(
            70_000
        )
        coords = json.dumps(feature["geometry"]["coordinates"])
        numbers = [
            float(x) for x in coords.replace("[", " ").replace("]", " ").replace(",", " ").split()
        ]
        lons, lats = numbers[0::2], numbers[1::2]
        assert all(-180 <= x <= 180 for x in lons) and all(-90 <= y <= 90 for y in lats)
    ring = next(f for f in collection["features"] if f["properties"]["layer"] == "kharkiv_ring")
    kharkiv = next(f for f in collection["features"] if f["properties"].get("name") == "Kharkiv")
    lon0, lat0 = kharkiv["geometry"]["coordinates"]
    for lon, lat in ring["geometry"]["coordinates"][0][::16]:  # RFC 7946: lon, lat order
        assert geodesic((lat0, lon0), (lat, lon)).m == pytest.approx(20_000, rel=0.005)


def test_facts_json_has_the_promised_keys_and_measures_independently():
    result = run("facts", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for key in (
        "border_length_km",
        "kharkiv_sector_length_km",
        "kharkiv_to_border_km",
        "kharkiv_to_border_mi",
        "counterfire_zone_area_km2",
        "deep_strike_zone_area_km2",
        "radius_m",
        "depth_m",
        "places",
    ):
        assert key in figures
    assert figures["radius_m"] == pytest.approx(12 * 1609.344)
    assert figures["depth_m"] == pytest.approx(80_000)
    assert figures["kharkiv_to_border_mi"] == pytest.approx(
        figures["kharkiv_to_border_km"] / 1.609344, rel=1e-4
    )
    assert 33 < figures["kharkiv_to_border_km"] < 35.5  # FACTS.md
    places = {p["name"]: p for p in figures["places"]}
    for row in places.values():
        assert set(row) >= {
            "name",
            "lat",
            "lon",
            "named_in_article",
            "distance_to_kharkiv_km",
            "distance_to_border_km",
        }
    kyiv, kharkiv = places["Kyiv"], places["Kharkiv"]
    measured = geodesic((kharkiv["lat"], kharkiv["lon"]), (kyiv["lat"], kyiv["lon"])).km
    assert kyiv["distance_to_kharkiv_km"] == pytest.approx(measured, abs=0.01)
    assert places["Belgorod"]["named_in_article"] is False
    from geo.data.borders import region

    belgorod_to_border = (
        distance_to_line_m(
            places["Belgorod"]["lat"], places["Belgorod"]["lon"], line_points(region().border)
        )
        / 1000
    )
    assert places["Belgorod"]["distance_to_border_km"] == pytest.approx(belgorod_to_border, abs=0.1)


def test_facts_are_identical_across_runs():
    first, second = (
        run("facts", "--json", "--depth", "150km"),
        run("facts", "--json", "--depth", "150km"),
    )
    assert first.returncode == 0 and first.stdout == second.stdout


def test_facts_area_grows_with_depth():
    shallow = json.loads(run("facts", "--json", "--depth", "70km").stdout)
    deep = json.loads(run("facts", "--json", "--depth", "150km").stdout)
    assert deep["counterfire_zone_area_km2"] > shallow["counterfire_zone_area_km2"]
    assert deep["deep_strike_zone_area_km2"] < shallow["deep_strike_zone_area_km2"]
    assert math.isclose(
        deep["counterfire_zone_area_km2"] + deep["deep_strike_zone_area_km2"],
        shallow["counterfire_zone_area_km2"] + shallow["deep_strike_zone_area_km2"],
        rel_tol=0.001,
    )


def test_facts_table_is_readable():
    result = run("facts")
    assert result.returncode == 0
    assert "Kharkiv centre to the border" in result.stdout and "Belgorod" in result.stdout


@pytest.mark.parametrize(
    "args, says",
    [
        (["facts", "--radius", "12"], "has no unit"),
        (["facts", "--radius", "-5mi"], "out of range"),
        (["facts", "--radius", "nanmi"], "not a distance"),
        (["facts", "--depth", "400km"], "out of range"),
        (["facts", "--depth", "banana"], "not a distance"),
        (["facts", "--depth", "3parsec"], "unknown unit"),
        (["export", "--out", "OUT", "--basemap", "satellite"], "invalid choice"),
        (["export"], "required"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, args, says):
    args = [str(tmp_path / "m.html") if a == "OUT" else a for a in args]
    result = run(*args)
    assert result.returncode == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["missing-folder", "directory", "file-as-folder"])
def test_unwritable_output_exits_2_and_writes_nothing(tmp_path, where):
    if where == "missing-folder":
        out = tmp_path / "nope" / "m.html"
    elif where == "directory":
        out = tmp_path
    else:
        (tmp_path / "plain-file").write_text("x")
        out = tmp_path / "plain-file" / "m.html"
    geojson = tmp_path / "layers.geojson"
    result = run("export", "--out", str(out), "--geojson", str(geojson))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert str(out) in result.stderr
    assert not geojson.exists() and not (tmp_path / "m.html").exists()


def test_unwritable_geojson_path_writes_no_html_either(tmp_path):
    result = run(
        "export", "--out", str(tmp_path / "m.html"), "--geojson", str(tmp_path / "no" / "l.geojson")
    )
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_altered_data_file_gives_one_clear_error(tmp_path):
    import shutil

    from geo.data import borders as data

    shutil.copytree(data.DATA_DIR.parent / "geo", tmp_path / "geo")
    shutil.copytree(data.DATA_DIR, tmp_path / "data")
    target = tmp_path / "data" / data.BORDERS_FILE
    target.write_bytes(target.read_bytes()[:-100])
    result = subprocess.run(
        [sys.executable, "-m", "geo", "facts"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 2
    assert "borders.geojson does not match its checksum" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_every_command():
    result = run("--help")
    assert result.returncode == 0
    for command in ("export", "facts", "assets", "data"):
        assert command in result.stdout


# --------------------------------------------------------------------------- import cost


@pytest.mark.parametrize("args", [["--help"], ["facts", "--json"], ["export", "--help"]])
def test_help_and_facts_import_no_folium(args):
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "geo", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert result.returncode == 0, result.stderr[-500:]
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "geo.cli" in imported
    assert not {
        name for name in imported if name.split(".")[0] in ("folium", "branca", "streamlit")
    }


# --------------------------------------------------------------------------- hostile or odd input


@pytest.mark.parametrize(
    "args, says",
    [
        (["facts", "--radius=--"], "radius '--' is not a distance"),
        (["facts", "--depth=--"], "depth '--' is not a distance"),
        (["export", "--out", "OUT", "--radius=--"], "radius '--' is not a distance"),
        (["export", "--out", "OUT", "--depth=--"], "depth '--' is not a distance"),
    ],
)
def test_double_dash_as_a_distance_is_one_sentence_and_exit_2(tmp_path, args, says):
    args = [str(tmp_path / "m.html") if a == "OUT" else a for a in args]
    result = run(*args)
    assert result.returncode == 2 and says in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_long_value_is_echoed_as_a_short_prefix():
    value = "9" * 5000
    result = run("facts", "--radius", value)
    assert result.returncode == 2 and "has no unit" in result.stderr
    assert "9" * 60 + "…" in result.stderr and "9" * 61 not in result.stderr
    assert len(result.stderr) < 400


@pytest.mark.parametrize("delay_s", [0.3, 1.2])
def test_ctrl_c_ends_quietly_with_exit_130(delay_s, tmp_path):
    import signal
    import time

    command = ["facts"]
    if delay_s >= 1.2:  # a command surely still at work after 1.2 s (facts may be done by then)
        points = tmp_path / "points.csv"
        points.write_text(
            "lat,lon\n"
            + "".join(f"{45 + k % 800 / 100},{30 + k % 1200 / 100}\n" for k in range(50_000))
        )
        command = ["classify", str(points), "--out", str(tmp_path / "out.csv")]
    process = subprocess.Popen(
        [sys.executable, "-m", "geo", *command, "--depth", "300km", "--radius", "100mi"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    time.sleep(delay_s)  # while loading modules, then while building the layers
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    # 130 from the program; or, when the signal comes before the interpreter has set up its
    # own handler (a slow start), the process ended by SIGINT itself, which a shell also
    # reports as 130. Either way: quietly.
    assert process.returncode in (130, -signal.SIGINT), (process.returncode, out[-300:], err[-300:])
    if delay_s >= 1.2:
        assert process.returncode == 130
    assert err == "" and "Traceback" not in out


def test_an_ascii_terminal_gets_replacement_characters_not_a_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "geo", "facts"],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": os.getcwd(), "PYTHONIOENCODING": "ascii"},
    )
    assert result.returncode == 0, result.stderr.decode("ascii", "replace")
    assert b"Russia?Ukraine land border" in result.stdout  # the en dash, replaced
    result.stdout.decode("ascii")  # nothing but ASCII went out


def test_a_non_utf8_file_name_is_written_and_named_without_a_traceback(tmp_path):
    folder = os.fsencode(tmp_path)
    out, missing = folder + b"/map-\xff.html", folder + b"/no-\xfe/m.html"
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    failed = subprocess.run(
        [sys.executable, "-m", "geo", "export", "--out", missing, "--basemap", "none"],
        capture_output=True,
        env=env,
    )
    assert failed.returncode == 2 and b"Traceback" not in failed.stderr
    assert b"no-?/m.html" in failed.stderr and b"does not exist" in failed.stderr
    assert os.listdir(folder) == []
    done = subprocess.run(
        [sys.executable, "-m", "geo", "export", "--out", out, "--basemap", "none"],
        capture_output=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert b"wrote " in done.stdout and b"map-?.html" in done.stdout
    assert os.listdir(folder) == [b"map-\xff.html"]


# --------------------------------------------------------------------------- output paths


def test_the_same_output_twice_is_refused_before_building(tmp_path):
    out = tmp_path / "m.html"
    result = run("export", "--out", str(out), "--geojson", str(tmp_path / "." / "m.html"))
    assert result.returncode == 2 and "are the same file" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_out_a_missing_folder_with_a_trailing_slash_creates_no_file(tmp_path):
    result = run("export", "--out", str(tmp_path / "newdir") + "/")
    assert result.returncode == 2 and "names a folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_out_dev_null_is_refused(tmp_path):
    result = run("export", "--out", "/dev/null", "--geojson", str(tmp_path / "l.geojson"))
    assert (
        result.returncode == 2
        and "/dev/null" in result.stderr
        and "not a regular file" in result.stderr
    )
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- assets and data


def test_assets_install_and_status(tmp_path, capsys):
    from geo.cli import program as cli

    assert cli.main(["assets", "install", "--dest", str(tmp_path), "--no-npm"]) == 0
    out = capsys.readouterr().out
    assert "Leaflet: installed xstatic-leaflet==1.9.3.0" in out and str(tmp_path) in out
    assert (tmp_path / "leaflet" / "leaflet.js").read_bytes()[:200].find(b"Leaflet 1.9.3") >= 0
    assert (
        cli.main(["assets", "status", "--dest", str(tmp_path)]) == 1
    )  # the npm plugins are missing
    status = capsys.readouterr().out
    assert "Leaflet (xstatic-leaflet==1.9.3.0): installed" in status
    assert "Mini-map (leaflet-minimap@3.6.1): missing or altered" in status


def test_assets_install_failure_is_one_sentence_and_exit_2(tmp_path, monkeypatch, capsys):
    import dataclasses

    from geo.cli import program as cli
    from geo.data import scripts

    leaflet, *plugins = scripts.LIBRARIES
    wrong = dataclasses.replace(
        leaflet, files=(dataclasses.replace(leaflet.files[0], sha256="0" * 64),)
    )
    monkeypatch.setattr(scripts, "LIBRARIES", (wrong, *plugins))
    assert cli.main(["assets", "install", "--dest", str(tmp_path), "--no-npm"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kharkiv-map: error: ") and err.count("\n") == 1 and "pinned" in err
    assert list(tmp_path.iterdir()) == []


def test_data_rebuild_refuses_a_package_with_the_wrong_checksum(tmp_path):
    from geo.data import borders as data

    before = (data.DATA_DIR / data.CHECKSUMS_FILE).read_bytes()
    junk = tmp_path / "countries-land-100m-0.6.0.tgz"
    junk.write_bytes(b"not a tarball")
    result = run("data", "rebuild", "--package", str(junk))
    assert (
        result.returncode == 2
        and "expected e6dca8a0" in result.stderr
        and str(junk) in result.stderr
    )
    assert len(result.stderr.strip().splitlines()) == 1
    missing = run("data", "rebuild", "--package", str(tmp_path / "absent.tgz"))
    assert (
        missing.returncode == 2
        and "cannot be read" in missing.stderr
        and "Traceback" not in missing.stderr
    )
    assert (data.DATA_DIR / data.CHECKSUMS_FILE).read_bytes() == before


def test_export_help_names_the_basemaps_of_the_map_builder():
    from geo.render.web.mapview import BASEMAPS

    result = run("export", "--help")
    assert result.returncode == 0 and "{" + ",".join(BASEMAPS) + "}" in result.stdout
