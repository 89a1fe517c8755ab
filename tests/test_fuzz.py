"""Generated input for everything a person can type into the map: the distance parser, every
URL parameter, the story step, the command line, and users' GeoJSON, KML and CSV files. No
exception but the documented one, one sentence each, nothing written on error; a user's file
makes no network request and nothing is written but the outputs asked for.

``make test`` runs a modest number of examples; ``make fuzz`` runs at least 10,000 per
target (``HYPOTHESIS_PROFILE=fuzz``)."""

from __future__ import annotations

import contextlib
import csv as csv_module
import http.server
import io
import json
import os
import socket
import tempfile
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.core.units import DistanceError
from geo.engine import zones
from geo.narrative import story
from pages.shared import viewstate

settings.register_profile(
    "default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
#: The command line builds layers for each new valid R and D: fewer examples in ``make test``.
CLI_EXAMPLES = (
    max(settings.default.max_examples, 10_000)
    if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
    else 40
)

#: Text that looks like a distance often enough to reach every branch of the parser.
number = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet="0123456789.eE+-٠١٢٣٤٥٦٧٨٩０１２３４５６７８９", max_size=30),
)
unit = st.sampled_from(
    ["", "m", "km", "mi", "KM", "Mi", "ｍｉ", "furlong", " km", "km ", "µm", "ml"]
)
distance_text = st.one_of(st.builds(lambda n, u: n + u, number, unit), st.text(max_size=300))


def _one_sentence(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message
    assert len(message) < 800


@given(distance_text)
def test_the_distance_parser_answers_a_distance_or_one_sentence(text):
    for parse, (low, high) in (
        (zones.parse_radius, zones.RADIUS_RANGE),
        (zones.parse_depth, zones.DEPTH_RANGE),
    ):
        try:
            value = parse(text)
        except DistanceError as err:
            _one_sentence(str(err))
        else:
            assert low.m * (1 - 1e-6) <= value.m <= high.m * (1 + 1e-6)


query_value = st.one_of(
    st.text(max_size=250), distance_text, st.lists(st.text(max_size=40), max_size=3)
)
query = st.dictionaries(
    st.sampled_from([*viewstate.QUERY_KEYS, "step", "lang", "other"]), query_value, max_size=7
)


@given(query)
def test_the_url_state_never_fails_and_each_bad_value_is_one_warning(q):
    view, warnings = viewstate.from_query(q)
    assert isinstance(view, viewstate.ViewState)
    assert len(warnings) <= len(q)
    for warning in warnings:
        _one_sentence(warning)
    again, more = viewstate.from_query(viewstate.to_query(view))  # what it writes, it reads back
    assert again == view and not more


@given(st.one_of(st.none(), st.text(max_size=6000)), st.integers(1, 12))
def test_the_story_step_is_a_step_or_step_one_with_one_sentence(asked, count):
    number, warning = story.step_from_query(asked, count)
    assert 1 <= number <= count
    if warning is not None:
        assert number == 1
        _one_sentence(warning)


argument = st.one_of(
    st.sampled_from(
        [
            "--radius",
            "--depth",
            "--stage",
            "--json",
            "--basemap",
            "--cdn",
            "--out",
            "--geojson",
            "--help",
            "-h",
            "--",
            "-",
            "facts",
            "export",
            "=",
            "--radius=--",
            "--depth=--",
        ]
    ),
    distance_text,
    st.text(max_size=40),
)


@settings(max_examples=CLI_EXAMPLES)
@given(st.sampled_from(["facts", "export"]), st.lists(argument, max_size=6))
def test_the_command_line_in_process_exits_cleanly_and_writes_nothing_on_error(command, args):
    from geo.cli import program as cli

    here = set(os.listdir("."))
    out, err = io.StringIO(), io.StringIO()
    # "export" needs --out; pointing it at a folder that does not exist keeps every run from
    # writing, so only argument handling is exercised here (writing has its own tests).
    argv = [command, *args] + (
        ["--out", "/nonexistent-kharkiv-map-folder/m.html"] if command == "export" else []
    )
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
            status = stop.code
    assert status in (0, 2), (argv, err.getvalue())
    if status == 2:
        lines = err.getvalue().strip().splitlines()
        assert len(lines) == 1, err.getvalue()
        assert "Traceback" not in err.getvalue()
    assert set(os.listdir(".")) == here


# --------------------------------------------------------------------------- users' files
#
# Generated GeoJSON, KML and CSV files, well formed or not, hostile or not, and the shapes of
# file that once cost far more than their size (tests/shapes.py), read and classified as the
# app and the command line do: the answers or one sentence, never a traceback; no network
# request (a local server that every link in the files points at counts them, and every
# connection the process tries is recorded); nothing written outside the output paths.

#: Examples of the file targets: in ``make fuzz`` 10,000 files read and classified as the app
#: does, and 2,000 more through the command line (each a tenth of a second or more: the
#: run takes about half an hour on two cores); 40 each in ``make test``.
FUZZING = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
FILE_EXAMPLES = 10_000 if FUZZING else 40
CLI_FILE_EXAMPLES = 2_000 if FUZZING else 40


@pytest.fixture(scope="module")
def listener():
    """A local HTTP server that records every request, and a record of every connection
    the process tries to open."""
    seen: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def _record(self):
            seen.append(f"{self.command} {self.path}")
            self.send_response(404)
            self.end_headers()

        do_GET = do_HEAD = do_POST = _record

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    connect = socket.socket.connect

    def recorded(sock, address):
        seen.append(f"connect {address}")
        return connect(sock, address)

    socket.socket.connect = recorded
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        socket.socket.connect = connect
        httpd.shutdown()


@pytest.fixture(scope="module")
def built():
    from geo.engine import layers

    return layers.layers(zones.Params())


URL = "http://127.0.0.1:9/"  # replaced by the listener's address in each example
coordinate = st.one_of(
    st.floats(min_value=20, max_value=46),
    st.floats(min_value=43, max_value=56),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-400, 400),
)
position = st.one_of(
    st.lists(coordinate, min_size=2, max_size=3),
    st.lists(coordinate, max_size=5),
    st.sampled_from([None, "36,50", [], [[36, 50]], True, {"x": 1}]),
)
positions = st.lists(position, max_size=8)
ring = st.lists(position, min_size=3, max_size=8).map(lambda r: r + r[:1])
text_value = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            '=HYPERLINK("http://x","y")',
            "@SUM(A1)",
            "+cmd",
            "\r@SUM(1)",
            "\t=cmd|' /C calc'!A0",
            "North\u2028Kharkiv",
            "a\x85b\x0bc\x1cd",
            "\ud800",
            "<script>alert(1)</script>",
            "km_zone",
            "km_zone (own)",
            URL + "x",
        ]
    ),
)
properties = st.dictionaries(
    text_value,
    st.one_of(
        text_value,
        st.integers(),
        st.floats(),
        st.booleans(),
        st.none(),
        st.lists(text_value, max_size=3),
    ),
    max_size=5,
)


def geometry(depth: int = 2):
    simple = [
        st.fixed_dictionaries({"type": st.just("Point"), "coordinates": position}),
        st.fixed_dictionaries({"type": st.just("MultiPoint"), "coordinates": positions}),
        st.fixed_dictionaries({"type": st.just("LineString"), "coordinates": positions}),
        st.fixed_dictionaries(
            {"type": st.just("MultiLineString"), "coordinates": st.lists(positions, max_size=3)}
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("Polygon"),
                "coordinates": st.lists(st.one_of(ring, positions), max_size=3),
            }
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("MultiPolygon"),
                "coordinates": st.lists(st.lists(ring, max_size=2), max_size=2),
            }
        ),
        st.sampled_from([None, {"type": "Topology"}, {"type": "Point"}, "Point", 7]),
    ]
    if depth:
        simple.append(
            st.fixed_dictionaries(
                {
                    "type": st.just("GeometryCollection"),
                    "geometries": st.lists(geometry(depth - 1), max_size=3),
                }
            )
        )
    return st.one_of(simple)


crs = st.sampled_from(
    [
        None,
        {"type": "name", "properties": {"name": "EPSG:32637"}},
        {"type": "name", "properties": {"name": "EPSG:99999"}},
        {"type": "EPSG", "properties": {"code": 4326}},
        {"type": "link", "properties": {"href": URL + "crs", "type": "proj4"}},
        {"type": "name", "properties": {"name": URL + "crs"}},
        {"type": "name", "properties": {"name": "/etc/passwd"}},
    ]
)
feature = st.fixed_dictionaries(
    {"type": st.just("Feature"), "properties": properties, "geometry": geometry()},
    optional={"id": st.one_of(st.integers(), st.text(max_size=5))},
)


@st.composite
def geojson_file(draw) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["collection", "feature", "geometry"]))
    if kind == "collection":
        doc = {"type": "FeatureCollection", "features": draw(st.lists(feature, max_size=6))}
        if draw(st.booleans()):
            doc["crs"] = draw(crs)
    else:
        doc = draw(feature) if kind == "feature" else draw(geometry())
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass"), draw(
        st.sampled_from(["f.geojson", "f.json", "f"])
    )


KML_GEOMETRIES = [
    "<Point><coordinates>{c}</coordinates></Point>",
    "<LineString><coordinates>{c}</coordinates></LineString>",
    "<LinearRing><coordinates>{c}</coordinates></LinearRing>",
    "<Polygon><outerBoundaryIs><LinearRing><coordinates>{c}</coordinates></LinearRing>"
    "</outerBoundaryIs></Polygon>",
    "<MultiGeometry><Point><coordinates>{c}</coordinates></Point>"
    "<LineString><coordinates>{c}</coordinates></LineString></MultiGeometry>",
    "<gx:Track><gx:coord>36.2 50 0</gx:coord><gx:coord>{c}</gx:coord></gx:Track>",
    "",
]


@st.composite
def kml_file(draw) -> tuple[bytes, str]:
    def coords():
        tuples = draw(st.lists(st.tuples(coordinate, coordinate), max_size=6))
        text = " ".join(f"{x},{y}" for x, y in tuples)
        return draw(st.one_of(st.just(text), st.text(alphabet="0123456789., -\n", max_size=20)))

    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\ud800", "?")

    marks = []
    for _ in range(draw(st.integers(0, 5))):
        data = "".join(
            f'<Data name="{escape(k)[:20]}"><value>{escape(str(v))}</value></Data>'
            for k, v in draw(properties).items()
            if '"' not in k
        )
        shape = draw(st.sampled_from(KML_GEOMETRIES)).replace("{c}", coords())
        marks.append(
            f"<Placemark><name>{escape(draw(text_value))}</name><ExtendedData>{data}</ExtendedData>"
            f"<styleUrl>{URL}style.kml#s</styleUrl>{shape}</Placemark>"
        )
    folders = draw(st.integers(0, 3))
    body = "".join(
        f"<Folder><name>f{k}</name>{m}</Folder>" if k < folders else m for k, m in enumerate(marks)
    )
    head = draw(
        st.sampled_from(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                "",
                '<?xml version="1.0" encoding="undefined"?>',
                '<?xml version="1.0" encoding="unicode_escape"?>',
                '<!DOCTYPE kml [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
                '<!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
            ]
        )
    )
    root = draw(st.sampled_from(["kml", "OGRVRTDataSource", "WFS_Capabilities"]))
    text = (
        f'{head}<{root} xmlns="http://www.opengis.net/kml/2.2" '
        f'xmlns:gx="http://www.google.com/kml/ext/2.2"><Document>'
        f"<NetworkLink><Link><href>{URL}net.kml</href></Link></NetworkLink>{body}</Document></{root}>"
    )
    cut = draw(st.one_of(st.none(), st.integers(0, len(text))))
    return text[:cut].encode(), "f.kml"


@st.composite
def csv_file(draw) -> tuple[bytes, str]:
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    names = draw(
        st.lists(
            st.one_of(st.sampled_from(["lat", "lon", "latitude", "x", "y", "LAT"]), text_value),
            min_size=1,
            max_size=6,
        )
    )
    cell = st.one_of(
        text_value, coordinate.map(str), st.sampled_from(["50,1", "36,2", '"a,b"', '"a\r\nb"'])
    )
    rows = draw(st.lists(st.lists(cell, max_size=len(names) + 1), max_size=6))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = ending.join(delimiter.join(row) for row in [names, *rows]) + ending
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    return text.encode(encoding, "surrogatepass" if encoding != "utf-16" else "replace"), "f.csv"


@st.composite
def hostile_shape(draw) -> tuple[bytes, str]:
    from tests import shapes

    make, most = draw(
        st.sampled_from(
            [
                (shapes.folders, 300),
                (shapes.keys, 1_500),
                (lambda n: shapes.sparse_keys(n, min(n, 1_100)), 1_200),
                (shapes.columns, 1_100),
                (shapes.zigzag, 3_000),
                (shapes.fan, 3_000),
                (shapes.bowtie, 3_000),
                (shapes.points, 5_000),
            ]
        )
    )
    return make(draw(st.integers(1, most)))


users_file = st.one_of(geojson_file(), kml_file(), csv_file(), hostile_shape())


def _no_formula_runs(text: str) -> None:
    """No cell of a CSV of the answers starts a formula (after white space and control
    characters) unless it is a plain number or starts with the apostrophe that stops it."""
    import csv
    import re

    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            rest = re.sub(r"^[\s\x00-\x1f\x7f-\x9f]+", "", cell)
            plain = re.fullmatch(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", cell)
            assert not (rest[:1] in ("=", "+", "-", "@") and not plain), cell


@pytest.fixture(scope="module")
def empty_folders(tmp_path_factory):
    """The working folder and the temporary folder, both empty: nothing may appear in them."""
    here, temp = tmp_path_factory.mktemp("cwd"), tmp_path_factory.mktemp("tmp")
    saved_cwd, saved_temp = os.getcwd(), tempfile.tempdir
    os.chdir(here)
    tempfile.tempdir = str(temp)
    try:
        yield here, temp
    finally:
        os.chdir(saved_cwd)
        tempfile.tempdir = saved_temp


@settings(max_examples=FILE_EXAMPLES, suppress_health_check=list(HealthCheck))
@given(users_file)
def test_a_users_file_gives_answers_or_one_sentence_and_reaches_nothing(
    listener, built, empty_folders, made
):
    from geo.engine import classify
    from geo.userfiles import userdata

    url, seen = listener
    data, name = made
    data = data.replace(URL.encode(), (url + "/").encode())
    before = len(seen)
    try:
        found, rows = classify.read_and_classify(data, name, built, seconds=None)
    except userdata.UserDataError as err:
        _one_sentence(str(err))
    else:
        for message in found.messages:
            _one_sentence(message)
        answers_csv = classify.to_csv(rows, built)
        answers_csv.encode("utf-8")
        classify.to_geojson(rows, built).encode("utf-8")
        _no_formula_runs(answers_csv)
        assert len(list(csv_module.reader(io.StringIO(answers_csv, newline="")))) == 1 + len(rows)
    assert seen[before:] == []
    assert [os.listdir(folder) for folder in empty_folders] == [[], []]


@settings(max_examples=CLI_FILE_EXAMPLES, suppress_health_check=list(HealthCheck))
@given(users_file, st.sampled_from([[], ["--encoding", "cp1251"], ["--lat-column", "lat"]]))
def test_classify_on_the_command_line_writes_its_outputs_or_one_line(
    listener, empty_folders, tmp_path_factory, made, options
):
    from geo.cli import program as cli

    url, seen = listener
    data, name = made
    folder = tmp_path_factory.mktemp("classify")
    source = folder / ("in-" + name)
    source.write_bytes(data.replace(URL.encode(), (url + "/").encode()))
    outputs = [folder / "out.csv", folder / "out.geojson"]
    argv = ["classify", str(source), *[a for out in outputs for a in ("--out", str(out))], *options]
    before = len(seen)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as stop:
            status = stop.code
    assert status in (0, 2), (argv, err.getvalue())
    written = sorted(p.name for p in folder.iterdir())
    if status == 2:
        lines = err.getvalue().strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err.getvalue(), err.getvalue()
        assert written == [source.name]  # nothing written on error
    else:
        assert written == sorted([source.name, "out.csv", "out.geojson"])
        assert "Traceback" not in err.getvalue()
    assert seen[before:] == []
    assert [os.listdir(folder) for folder in empty_folders] == [[], []]
