"""Hardening, round two, findings 3 to 10 (findings 1 and 2 are in test_untrusted_files.py):
each case of the report that once cost far more than its size, ended in a traceback, changed
or lost data, or left a file behind, as a test named after its finding.

No test here is timed: what each shape of file costs in time and memory against its size is
measured by bench/files.py and recorded in docs/benchmarks.md. What the tests check is that each
case ends as it should (answers, one sentence, a refusal before any geometry is built, nothing
left behind), at the sizes that once took minutes or gigabytes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.userfiles import userdata, usergeojson, userkml
from geo.userfiles.reading import MAX_PROPERTY_NAMES, MAX_VERTICES
from geo.userfiles.userdata import UserDataError
from tests import shapes

ROOT = Path(__file__).resolve().parent.parent


def refused(data: bytes, name: str, **options) -> str:
    with pytest.raises(UserDataError) as caught:
        userdata.read(data, name, **options)
    message = str(caught.value)
    assert message and "\n" not in message and "Traceback" not in message, message
    assert len(message) < 600, message
    return message


def cli(*args, cwd=ROOT, timeout=120, env=None, **kwargs) -> subprocess.CompletedProcess:
    """``kharkiv-map ARGS`` in a process of its own, in English, with ``env`` added."""
    env = {**os.environ, "KHARKIV_MAP_LANG": "en", "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def one_line_error(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "Traceback" not in run.stderr
    return run.stderr


# --------------------------------------------------------------------------- finding 3: cost


def test_finding_3_a_kml_of_two_thousand_folders_is_read_in_one_pass():
    data, name = shapes.folders(2_000)  # 1,000 folders once took 33 s; 2,000 over 60 s
    got = userdata.read(data, name)
    assert len(got.features) == 2_000 and got.skipped == 0
    assert got.features[1].properties["Name"] == "p1"


def test_finding_3_folders_still_name_their_features():
    data = (
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>Towns</name>'
        b"<Placemark><name>a</name></Placemark></Folder><Folder><name>Roads</name><Placemark>"
        b"<Point><coordinates>36.2,50</coordinates></Point></Placemark></Folder></Document></kml>"
    )
    got = userdata.read(data, "two.kml")
    assert got.messages == (
        "'two.kml', feature 1 (layer 'Towns'): has no geometry (a point, line or polygon is "
        "needed); skipped.",
    )


@pytest.mark.parametrize(
    "data",
    [shapes.keys(20_000)[0], shapes.sparse_keys(50_000)[0]],
    ids=["20,000 keys in one feature", "one key of its own in each of 50,000 features"],
)
def test_finding_3_too_many_property_names_are_refused_before_any_geometry(data, monkeypatch):
    monkeypatch.setattr(usergeojson, "geometry", lambda *a: pytest.fail("built a geometry"))
    message = refused(data, "keys.geojson")
    assert f"more than {MAX_PROPERTY_NAMES:,} different property names" in message


def test_finding_3_the_property_name_limit_allows_its_limit():
    data, name = shapes.sparse_keys(5_000, MAX_PROPERTY_NAMES)
    got = userdata.read(data, name)
    assert len({key for f in got.features for key in f.properties}) == MAX_PROPERTY_NAMES


def test_finding_3_a_csv_of_forty_thousand_columns_is_refused_from_its_header(monkeypatch):
    monkeypatch.setattr("geo.userfiles.usercsv.number", lambda *a: pytest.fail("read a row"))
    data, name = shapes.columns(40_000)  # once 16 s
    message = refused(data, name)
    assert "has 40,002 columns, over the limit of 1,000" in message


def test_finding_3_a_csv_at_the_column_limit_is_read():
    data, name = shapes.columns(MAX_PROPERTY_NAMES - 2)
    (feature,) = userdata.read(data, name).features
    assert len(feature.properties) == MAX_PROPERTY_NAMES - 2


def test_finding_3_a_wide_csv_costs_memory_in_proportion_to_its_size():
    import tracemalloc

    rows = 4_950  # 10 MB of rows of 1,000 columns: a dict per row once took 36 KB of it each
    header = ",".join(["lat", "lon"] + [f"c{i}" for i in range(MAX_PROPERTY_NAMES - 2)])
    row = ",".join(["50.1", "36.3"] + ["x"] * (MAX_PROPERTY_NAMES - 2))
    data = (header + "\n" + (row + "\n") * rows).encode()
    tracemalloc.start()
    try:
        got = userdata.read(data, "wide.csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(got.features) == rows and got.features[-1].properties["c997"] == "x"
    assert peak < 15 * len(data), f"{peak / 1e6:.0f} MB for {len(data) / 1e6:.0f} MB"


def test_finding_3_the_vertex_limit_is_checked_before_geojson_is_parsed(monkeypatch):
    monkeypatch.setattr(usergeojson.json, "loads", lambda *a, **k: pytest.fail("parsed"))
    text = '{"type": "MultiPoint", "coordinates": [' + "[36.2, 50.1], " * MAX_VERTICES
    message = refused((text + "[36.2, 50.1]]}").encode(), "many.geojson")
    assert f"more than {MAX_VERTICES:,} vertices" in message


def test_finding_3_the_vertex_limit_is_checked_before_kml_is_parsed(monkeypatch):
    monkeypatch.setattr(userkml.xml.parsers.expat, "ParserCreate", lambda *a: pytest.fail("parsed"))
    tuples = "36.2,50.1 " * (MAX_VERTICES + 1)
    data = f"<kml><Placemark><LineString><coordinates>{tuples}</coordinates></LineString></Placemark></kml>"
    assert f"more than {MAX_VERTICES:,} vertices" in refused(data.encode(), "many.kml")


def test_finding_3_a_multipoint_at_the_vertex_limit_is_read():
    data, name = shapes.points(MAX_VERTICES)
    (feature,) = userdata.read(data, name).features
    assert len(feature.geometry.geoms) == MAX_VERTICES


def test_finding_3_a_ring_crossing_itself_everywhere_is_skipped_not_repaired():
    data, name = shapes.bowtie(50_000)  # GEOS once ran out of memory repairing it
    got = userdata.read(data, name)
    assert got.features == () and got.skipped == 1
    assert "cross one another at more than 10,000 places" in got.messages[0]


def test_finding_3_a_ring_crossing_itself_a_few_times_is_still_repaired():
    ring = [[36, 50], [36.5, 50.3], [36, 50.3], [36.5, 50], [36, 50]]  # one bow-tie
    got = userdata.read(
        json.dumps({"type": "Polygon", "coordinates": [ring]}).encode(), "tie.geojson"
    )
    (feature,) = got.features
    assert feature.geometry.is_valid and feature.geometry.area == pytest.approx(0.075)
    assert "repaired" in got.messages[0]


def test_finding_3_deeply_nested_collections_are_opened_once_each():
    deep = {"type": "MultiPoint", "coordinates": [[36.2 + i / 1e5, 50.1] for i in range(20_000)]}
    for _ in range(300):
        deep = {"type": "GeometryCollection", "geometries": [deep]}
    (feature,) = userdata.read(json.dumps(deep).encode(), "deep.geojson").features
    assert len(feature.geometry.geoms) == 20_000


# --------------------------------------------------------------------------- finding 4: tracebacks


@pytest.mark.parametrize(
    "encoding",
    ["undefined", "punycode", "unicode_escape", "raw_unicode_escape", "idna", "rot13", "base64"],
)
def test_finding_4_an_encoding_that_is_not_one_of_text_files_is_one_sentence(encoding):
    message = refused(b"name,lat,lon\n\\ud800,50,36\n", "f.csv", encoding=encoding)
    assert f"'{encoding}'" in message and "UTF-8" in message


@pytest.mark.parametrize("encoding", ["undefined", "unicode_escape", "punycode"])
def test_finding_4_a_kml_declaring_such_an_encoding_is_one_sentence(encoding):
    data = f'<?xml version="1.0" encoding="{encoding}"?><kml></kml>'.encode()
    assert f"'{encoding}'" in refused(data, "declared.kml")


def test_finding_4_an_encoding_on_the_command_line_is_one_sentence(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("name,lat,lon\nA,50,36\n")
    assert "'undefined'" in one_line_error(cli("classify", path, "--encoding", "undefined"))


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_finding_4_a_device_is_refused_without_being_read(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert "not a regular file" in one_line_error(cli("classify", device, timeout=60))


def test_finding_4_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert "not a regular file" in one_line_error(cli("classify", fifo, timeout=60))


# --------------------------------------------------------------------------- finding 6: rows


@pytest.mark.parametrize(
    "separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]
)
def test_finding_6_a_line_separator_in_a_name_is_data_not_a_new_row(separator):
    name = f"North{separator}Kharkiv"
    got = userdata.read(f"name,lat,lon\n{name},50.0,36.2\n".encode(), "sep.csv")
    assert [f.properties["name"] for f in got.features] == [name] and got.skipped == 0


def test_finding_6_cr_and_lf_still_end_rows():
    got = userdata.read(b"name,lat,lon\r\nA,50.0,36.2\rB,50.1,36.3\n", "ends.csv")
    assert [f.properties["name"] for f in got.features] == ["A", "B"]


def test_finding_6_a_row_holding_quoted_line_ends_is_named_by_the_line_it_starts_on():
    text = b'name,lat,lon\n"a\rb\nc",50.0,36.2\n\nd,50.1,36.3\n'
    got = userdata.read(text, "rows.csv")
    assert [f.properties["name"] for f in got.features] == ["a\rb\nc", "d"]
    assert [f.where for f in got.features] == ["line 2", "line 6"]


# --------------------------------------------------------------------------- finding 7: data kept


@pytest.mark.parametrize(
    "bad, said",
    [
        (
            {"type": "Polygon", "coordinates": [[[36, 50], [37, 50], [37, 51], [36, 51]]]},
            "not closed",
        ),
        ({"type": "LineString", "coordinates": [[36, 50]]}, "a line of one position"),
        ({"type": "Polygon", "coordinates": [[[36, 50], [37, 50], [36, 50]]]}, "at least four"),
        ({"type": "Point", "coordinates": ["36", "50"]}, "not two or more numbers"),
    ],
)
def test_finding_7_a_bad_feature_is_skipped_and_named_the_rest_load(bad, said):
    good = {"type": "Point", "coordinates": [36.2, 50.0]}
    features = [
        {"type": "Feature", "properties": {"n": i}, "geometry": g}
        for i, g in enumerate([good, bad, good])
    ]
    got = userdata.read(
        json.dumps({"type": "FeatureCollection", "features": features}).encode(), "mixed.geojson"
    )
    assert [f.properties["n"] for f in got.features] == [0, 2] and got.skipped == 1
    assert "feature 2" in got.messages[0] and said in got.messages[0]


def test_finding_7_a_bad_placemark_is_skipped_and_named_the_rest_load():
    data = (
        b"<kml><Document><Placemark><name>a</name><Point><coordinates>36.2,50</coordinates>"
        b"</Point></Placemark><Placemark><name>b</name><LineString><coordinates>36,50"
        b"</coordinates></LineString></Placemark><Placemark><name>c</name><Polygon>"
        b"<outerBoundaryIs><LinearRing><coordinates>36,50 37,50 37,51 36,51</coordinates>"
        b"</LinearRing></outerBoundaryIs></Polygon></Placemark><Placemark><name>d</name>"
        b"<LinearRing><coordinates>36,50 37,50 37,51 36,50</coordinates></LinearRing>"
        b"</Placemark></Document></kml>"
    )
    got = userdata.read(data, "marks.kml")
    assert [f.properties["Name"] for f in got.features] == ["a", "d"] and got.skipped == 2
    assert "feature 2" in got.messages[0] and "feature 3" in got.messages[1]


def test_finding_7_an_unknown_epsg_code_is_refused():
    text = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:99999"}},
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [36.2, 50]},
            }
        ],
    }
    message = refused(json.dumps(text).encode(), "crs.geojson")
    assert "'EPSG:99999'" in message and "does not know" in message


def test_finding_7_the_two_coordinate_columns_must_differ():
    message = refused(b"lat,lon\n50,36\n", "same.csv", lat_column="lat", lon_column="LAT")
    assert "both read from the column 'lat'" in message


def test_finding_7_a_huge_coordinate_is_cut_in_the_message():
    text = {"type": "Point", "coordinates": [1e308, -1e308]}
    message = refused(json.dumps(text).encode(), "huge.geojson")
    assert "1e+308" in message and "0000000000" not in message


# --------------------------------------------------------------------------- finding 8: long fields


def test_finding_8_a_field_as_long_as_the_file_is_read():
    note = "x" * 19_900_000
    got = userdata.read(f"lat,lon,note\n50.0,36.2,{note}\n".encode(), "long.csv")
    assert got.features[0].properties["note"] == note


# --------------------------------------------------------------------------- finding 9: surrogates


def test_finding_9_a_lone_surrogate_in_a_property_can_be_written_back():
    text = '{"type": "Feature", "properties": {"n\\ud800": "a\\udfffb"}, "geometry": {"type": "Point", "coordinates": [36.2, 50]}}'
    (feature,) = userdata.read(text.encode(), "s.geojson").features
    assert feature.properties == {"n\ufffd": "a\ufffdb"}
    json.dumps(feature.properties, ensure_ascii=False).encode("utf-8")


# --------------------------------------------------------------------------- finding 10: our words


@pytest.mark.parametrize(
    "data, name",
    [
        (b'{"type": "Topology", "objects": {}, "arcs": []}', "t.json"),
        (b"<WFS_Capabilities version='1.1.0'></WFS_Capabilities>", "w.kml"),
        (b"<kml><Placemark>", "cut.kml"),
        (b'{"type": "FeatureCollection", "features": [', "cut.geojson"),
    ],
)
def test_finding_10_a_file_that_is_not_what_it_says_is_told_what_is_accepted(data, name):
    message = refused(data, name)
    assert "Failed to read" not in message and "Cannot find" not in message
    assert message.endswith("and 1,000,000 vertices.")  # what the map reads, in full


# --------------------------------------------------------------------------- finding 3: classifying


@pytest.fixture(scope="module")
def built():
    from geo.engine import layers, zones

    return layers.layers(zones.Params())


@pytest.fixture(scope="module")
def border_points():
    from geo.engine import zones
    from tests.measure import line_points

    return line_points(zones.ground().region.border)


def sampled_shares(built, line) -> dict[str, float]:
    """Each zone's share of points every ~20 m along a line (a point's zone, as a click)."""
    import numpy as np
    import shapely

    from geo.engine import classify

    xy = shapely.get_coordinates(shapely.segmentize(line, 0.0002))
    zone = classify.point_zones(built, xy[:, 0], xy[:, 1])
    return {key: float(np.mean(zone == key)) for key in classify.ZONES}


@pytest.mark.parametrize("shape", ["zigzag", "fan"])
def test_finding_3_a_line_of_50000_long_segments_is_classified_in_proportion(shape, built):
    import shapely

    from geo.engine import classify

    data, name = getattr(shapes, shape)(50_000)  # a zig-zag of 5,000 once took 3.4 GB and 60 s
    got = userdata.read(data, name)
    (row,) = classify.classify(got, built)
    expected = sampled_shares(built, shapely.LineString([(36, 50), (37, 51)]))
    assert expected["border_band"] > 0.05 and expected["counterfire_zone"] > 0.05
    for key in classify.ZONES:
        assert row.shares[key] == pytest.approx(expected[key], abs=0.01), key


def test_finding_3_a_zigzag_line_is_classified_within_a_gigabyte(tmp_path):
    path = tmp_path / "zigzag.geojson"
    path.write_bytes(shapes.zigzag(50_000)[0])
    script = (
        "import resource, sys; from geo.cli import program; "
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
        "sys.exit(program.main(sys.argv[1:]))"
    )
    env = {**os.environ, "KHARKIV_MAP_LANG": "en", "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", script, "classify", str(path), "--out", str(tmp_path / "a.csv")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert (tmp_path / "a.csv").read_text().count("\n") == 2


def test_finding_3_a_multipoint_of_400000_points_is_as_far_as_its_nearest_point(
    built, border_points
):
    from geo.engine import classify
    from tests.measure import distance_to_line_m

    n = 400_000  # once 32 s; points on a meridian whose northern end is nearest the border
    coords = [[36.0, 49.5 + 0.5 * i / (n - 1)] for i in range(n)]
    text = json.dumps({"type": "MultiPoint", "coordinates": coords})
    got = userdata.read(text.encode(), "points.geojson")
    (row,) = classify.classify(got, built)
    assert row.border_m == pytest.approx(distance_to_line_m(50.0, 36.0, border_points), abs=60)


# --------------------------------------------------------------------------- finding 5: formulas


FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "@SUM(A1)",
    "+cmd",
    "-2+3+cmd|' /C calc'!A0",
    "\r@SUM(1)",
    "\t=cmd|' /C calc'!A0",
    "  =1+1",
    "\u00a0=1+1",
    "\x00=1",
    "＝1+1",
]


def spreadsheet_rows(text: str) -> list[list[str]]:
    """The rows as a spreadsheet reads the CSV: fields quoted as RFC 4180 says, and a new row
    at every CR or LF outside quotes."""
    import csv
    import io

    return list(csv.reader(io.StringIO(text, newline="")))


def runs_as_formula(cell: str) -> bool:
    import re

    stripped = re.sub(r"^[\s\x00-\x1f\x7f-\x9f]+", "", cell)
    number = re.fullmatch(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", cell)
    return bool(stripped) and stripped[0] in "=+-@＝＋－＠" and not number


def test_finding_5_no_cell_of_the_answers_runs_as_a_formula(built):
    from geo.engine import classify

    features = [
        {
            "type": "Feature",
            "properties": {f: f, "n": -5},
            "geometry": {"type": "Point", "coordinates": [36.2 + i / 100, 50]},
        }
        for i, f in enumerate(FORMULAS)
    ]
    got = userdata.read(
        json.dumps({"type": "FeatureCollection", "features": features}).encode(), "f.geojson"
    )
    text = classify.to_csv(classify.classify(got, built), built)
    rows = spreadsheet_rows(text)
    assert len(rows) == 1 + len(FORMULAS)  # no value started a row of its own
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if runs_as_formula(cell)]
    header = rows[0]
    for formula in FORMULAS:
        assert "'" + formula in header  # the key, kept and shown as text
    assert {row[header.index("n")] for row in rows[1:]} == {"-5"}  # a number stays a number


def test_finding_5_a_carriage_return_in_a_value_is_quoted(built):
    from geo.engine import classify

    got = userdata.read(b'name,lat,lon\n"a\rb",50,36.2\n', "cr.csv")
    text = classify.to_csv(classify.classify(got, built), built)
    assert '"a\rb"' in text
    assert [row[-1] for row in spreadsheet_rows(text)] == ["name", "a\rb"]


# --------------------------------------------------------------------------- finding 7: names


def test_finding_7_own_names_that_an_answer_has_are_all_kept(built):
    import csv
    import io

    from geo.engine import classify

    props = {"km_zone": "a", "km_zone (own)": "b", "km_zone (own 2)": "c", "name": "d"}
    feature = {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [36.2, 50]},
    }
    rows = classify.classify(userdata.read(json.dumps(feature).encode(), "n.geojson"), built)
    (table,) = list(csv.DictReader(io.StringIO(classify.to_csv(rows, built), newline="")))
    geo = json.loads(classify.to_geojson(rows, built))["features"][0]["properties"]
    for written in (table, geo):
        assert sorted(v for k, v in written.items() if v in ("a", "b", "c", "d")) == [
            "a",
            "b",
            "c",
            "d",
        ]
        assert written["km_zone"] in classify.ZONES


# --------------------------------------------------------------------------- finding 9: downloads


def test_finding_9_the_answers_of_a_lone_surrogate_download_as_utf8(built):
    from geo.engine import classify

    text = '{"type": "Feature", "properties": {"n": "\\ud800"}, "geometry": {"type": "Point", "coordinates": [36.2, 50]}}'
    rows = classify.classify(userdata.read(text.encode(), "s.geojson"), built)
    assert "\ufffd" in classify.to_csv(rows, built).encode("utf-8").decode("utf-8")
    assert "\ufffd" in classify.to_geojson(rows, built).encode("utf-8").decode("utf-8")


# --------------------------------------------------------------------------- finding 7: signals

#: A command whose writing stops half way (a slow disk): the moment to send it a signal.
SLOW_WRITE = """
import os, sys, time
from geo.core import files
whole = files._write_fd
def half_then_wait(fd, data):
    os.write(fd, data[: len(data) // 2])
    time.sleep(120)
    whole(fd, data)
files._write_fd = half_then_wait
from geo.cli import program
sys.exit(program.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize(
    "command",
    [["export", "--cdn", "--basemap", "none", "--out", "map.html"], ["figure", "--out", "map.png"]],
    ids=["export", "figure"],
)
def test_finding_7_a_signal_while_writing_leaves_no_file_behind(command, signame, tmp_path):
    import signal

    signum = getattr(signal, signame)
    env = {**os.environ, "KHARKIV_MAP_LANG": "en", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, *command],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not list(tmp_path.glob(".kharkiv-map-*.tmp")):
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "no temporary file appeared"
            time.sleep(0.1)
        time.sleep(0.2)
        child.send_signal(signum)
        _out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 128 + signum, err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # neither the temporary file nor a half page


# --------------------------------------------------------------------------- finding 2, extended


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--cdn", "--basemap", "none", "--out", "DATA"],
        ["export", "--cdn", "--out", "m.html", "--geojson", "DATA"],
        ["figure", "--out", "LINK"],
        ["export", "--cdn", "--out", "m.html", "--layers", "DATA"],
        ["story", "--basemap", "none", "--out", "DATA"],
    ],
    ids=[
        "export --out",
        "export --geojson",
        "figure --out, through a link",
        "export --layers",
        "story --out",
    ],
)
def test_finding_2_no_command_writes_over_the_data_it_reads(command, tmp_path):
    from geo.data import borders

    data = tmp_path / "data"
    data.mkdir()
    for path in borders.data_files():  # a copy, so that nothing of the checkout is at risk
        (data / path.name).write_bytes(path.read_bytes())
    target = data / "display.geojson"
    (tmp_path / "display.png").symlink_to(target)
    before = target.read_bytes()
    places = {"DATA": str(target), "LINK": str(tmp_path / "display.png")}
    script = (
        "import sys; from pathlib import Path; from geo.data import borders; "
        f"borders.DATA_DIR = Path({str(data)!r}); "
        "from geo.cli import program; sys.exit(program.main(sys.argv[1:]))"
    )
    env = {**os.environ, "KHARKIV_MAP_LANG": "en", "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", script, *[places.get(part, part) for part in command]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "input file" in one_line_error(run)
    assert target.read_bytes() == before
    assert not (tmp_path / "m.html").exists()


def test_finding_2_export_never_writes_over_a_map_script_it_inlines(tmp_path):
    # The exported page inlines the installed scripts: naming one of them as the page is
    # refused, in a copy of the scripts' folder (KHARKIV_MAP_ASSETS), which stays as it was.
    from geo.render.web import assets

    vendor = tmp_path / "vendor"
    shutil.copytree(assets.vendor_dir(), vendor)
    target = vendor / "leaflet" / "leaflet.js"
    before = target.read_bytes()
    page = ("export", "--basemap", "none", "--out", target)
    run = cli(*page, cwd=tmp_path, env={assets.ENV_VAR: str(vendor)}, timeout=180)
    assert "input file" in one_line_error(run)
    assert target.read_bytes() == before


# --------------------------------------------------------------------------- finding 9: the app's upload


def test_finding_9_an_upload_over_its_time_budget_is_one_sentence(built):
    from geo.engine import classify

    data, name = shapes.points(1_000)
    with pytest.raises(UserDataError) as caught:
        classify.read_and_classify(data, name, built, seconds=0.0)
    message = str(caught.value)
    assert message.startswith("Reading and classifying 'points.geojson' took over 0 s")
    assert "\n" not in message


def test_finding_9_an_upload_within_its_budget_is_read_and_classified(built):
    from geo.engine import classify

    data, name = shapes.zigzag(50_000)  # once Streamlit's exception box
    found, rows = classify.read_and_classify(data, name, built, seconds=classify.UPLOAD_SECONDS)
    assert len(rows) == 1 and sum(rows[0].shares.values()) == pytest.approx(1)


def test_finding_3_nothing_of_an_upload_is_kept_once_its_page_lets_go(built):
    import gc
    import weakref

    from geo.engine import classify

    data, name = shapes.folders(100)
    found, rows = classify.read_and_classify(data, name, built, seconds=classify.UPLOAD_SECONDS)
    kept = [weakref.ref(found.features[0]), weakref.ref(rows[0]), weakref.ref(found)]
    del found, rows
    gc.collect()
    assert [ref() for ref in kept] == [None, None, None]
