"""The second round of hardening (issue 20) through the app: the Your data page, run by
Streamlit's AppTest with a file uploaded, ends in one sentence or in answers, never in
Streamlit's exception box. The downloads are made by the functions the page hands its buttons
(a deferred download is made only by a served app); they are checked on the same rows."""

from __future__ import annotations

import json

import pytest

from geo.engine import classify
from geo.render import gis
from geo.userfiles import userdata
from tests import shapes
from tests.test_app import navigation_pages, open_page  # noqa: F401 (a fixture)
from tests.test_untrusted_files import CASES, SECRET, canary, hostile_files, server  # noqa: F401

YOUR_DATA = "pages/Your_data.py"


@pytest.fixture(scope="module")
def built():
    from geo.engine import layers, zones

    return layers.layers(zones.Params())


def uploaded(name: str, data: bytes, **typed: str):
    """The Your data page after ``data`` is uploaded as ``name`` (and the CSV options typed)."""
    at = open_page(YOUR_DATA)
    for key, value in typed.items():
        at.text_input(key=key).set_value(value)
    at.file_uploader(key="user_file").set_value((name, data, "application/octet-stream"))
    return at.run()


def one_sentence(at) -> str:
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    message = at.error[0].value.replace("\\", "")
    assert "Traceback" not in message and message.count("\n") == 0
    return message


def answered(at) -> str:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return " ".join(m.value for m in at.markdown)


KML = (
    '<?xml version="1.0" encoding="{encoding}"?>'
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>a</name>'
    "<Point><coordinates>36.2,50</coordinates></Point></Placemark></kml>"
)


@pytest.mark.parametrize("encoding", ["undefined", "punycode", "unicode_escape"])
def test_finding_9_a_kml_declaring_an_encoding_that_is_not_of_text_is_one_sentence_in_the_app(
    encoding,
):
    message = one_sentence(uploaded("declared.kml", KML.format(encoding=encoding).encode()))
    assert "declared.kml" in message and encoding in message


@pytest.mark.parametrize("encoding", ["undefined", "punycode", "unicode_escape"])
def test_finding_4_an_encoding_typed_in_the_app_that_is_not_of_text_is_one_sentence(encoding):
    at = uploaded("p.csv", b"name,lat,lon\na,50,36.2\n", csv_encoding=encoding)
    message = one_sentence(at)
    assert "p.csv" in message and encoding in message


@pytest.mark.parametrize("shape", ["zigzag", "fan", "bowtie"])
def test_finding_9_a_shape_of_50000_vertices_is_answers_or_one_sentence_in_the_app(shape):
    data, name = getattr(shapes, shape)(50_000)
    assert 350_000 < len(data) < 1_000_000  # the report's 400 KB, written with spaces
    at = uploaded(name, data)
    if at.error:  # the fan's 800,000 parts may take longer than the upload's budget
        assert shape == "fan" and "took over 30 s" in one_sentence(at)
    else:
        assert "1 feature" in answered(at) or "1 skipped" in answered(at)


def test_finding_9_a_lone_surrogate_in_a_property_is_shown_and_downloads_in_the_app(built):
    text = (
        '{"type": "Feature", "properties": {"n": "\\ud800", "km_zone": "mine"}, '
        '"geometry": {"type": "Point", "coordinates": [36.2, 50]}}'
    )
    assert "1 feature" in answered(uploaded("s.geojson", text.encode()))
    rows = classify.classify(userdata.read(text.encode(), "s.geojson"), built)
    # What each download button is given: text is sent as UTF-8, as Streamlit encodes it.
    assert "\ufffd" in classify.to_csv(rows, built).encode("utf-8").decode("utf-8")
    written = json.loads(classify.to_geojson(rows, built).encode("utf-8"))
    assert written["features"][0]["properties"]["km_zone (own)"] == "mine"
    assert gis.answers_gpkg(rows, built).startswith(b"SQLite format 3\x00")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("zero.csv", b"", "empty"),
        (
            "crs.geojson",
            b'{"type":"Point","coordinates":[36,50],"crs":{"type":"name",'
            b'"properties":{"name":"EPSG:99999"}}}',
            "EPSG:99999",
        ),
        ("topo.json", b'{"type":"Topology","objects":{},"arcs":[]}', "GeoJSON"),
    ],
    ids=["empty", "unknown-epsg", "topojson"],
)
def test_finding_10_a_file_the_app_cannot_use_is_one_sentence_of_what_is_accepted(
    name, data, expected
):
    message = one_sentence(uploaded(name, data))
    assert name in message and expected in message
    assert "GDAL" not in message and "TopoJSON" not in message


def test_finding_7_a_bad_feature_is_skipped_and_named_in_the_app():
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "LineString", "coordinates": [[36, 50]]},
                },
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Point", "coordinates": [36.2, 50]},
                },
            ],
        }
    )
    at = uploaded("two.geojson", text.encode())
    shown = answered(at)
    assert "1 feature" in shown and "1 skipped" in shown
    assert len(at.warning) == 1 and "feature 1" in at.warning[0].value


@pytest.mark.parametrize("name", CASES)
def test_finding_1_a_hostile_file_uploaded_to_the_app_makes_no_request_and_reads_no_other_file(
    name, request
):
    # The local server and the canary file of test_untrusted_files (imported above).
    (url, seen), canary_path = request.getfixturevalue("server"), request.getfixturevalue("canary")
    before = len(seen)
    at = uploaded(name, hostile_files(url, canary_path)[name].encode())
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(e.value for e in [*at.error, *at.warning, *at.markdown])
    if name == "kml-links.kml":  # a real KML whose links are ignored: its own placemark only
        assert "1 feature" in shown
    else:
        assert len(at.error) == 1 and name in at.error[0].value.replace("\\", "")
    assert SECRET not in shown and "Traceback" not in shown
    assert seen[before:] == []
