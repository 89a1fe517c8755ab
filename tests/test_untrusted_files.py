"""Hardening, round two, findings 1 and 2: a user's file reaches nothing but itself, and an
output never replaces an input.

Finding 1: each hostile file below once made GDAL send HTTP requests to an address the file
chose, or open a file on the server. Here a local HTTP server counts every request it gets
and a canary file holds a secret: reading any of these files, through the reader the app
uses and through the command line, must make no request and never return the secret.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from geo.userfiles import userdata
from geo.userfiles.userdata import UserDataError

ROOT = Path(__file__).resolve().parent.parent
SECRET = "canary-4f1c"


@pytest.fixture(scope="module")
def server():
    """A local HTTP server that records every request (and answers 404)."""
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
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()


@pytest.fixture(scope="module")
def canary(tmp_path_factory):
    """A GeoJSON file on the server whose one point carries a secret."""
    path = tmp_path_factory.mktemp("canary") / "secret.geojson"
    feature = {
        "type": "Feature",
        "properties": {"secret": SECRET},
        "geometry": {"type": "Point", "coordinates": [36.3, 50.1]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def _point_collection(**extra) -> str:
    feature = {
        "type": "Feature",
        "properties": {"name": "A"},
        "geometry": {"type": "Point", "coordinates": [36.3, 50.1]},
    }
    return json.dumps({"type": "FeatureCollection", **extra, "features": [feature]})


def hostile_files(url: str, canary: Path) -> dict[str, str]:
    """Each kind of file of finding 1, by the name it is uploaded under."""
    return {
        "vrt-vsicurl.kml": f"<OGRVRTDataSource><OGRVRTLayer "
        f"name='a'><SrcDataSource>/vsicurl/{url}/vrt.geojson"
        "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>",
        "vrt-http.geojson": f"<OGRVRTDataSource><OGRVRTLayer "
        f"name='a'><SrcDataSource>{url}/vrt.geojson"
        "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>",
        "vrt-canary.kml": f"<?xml version='1.0'?><OGRVRTDataSource><OGRVRTLayer "
        f"name='secret'><SrcDataSource>{canary}"
        "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>",
        "wfs-source.kml": f"<OGRWFSDataSource><URL>{url}/wfs?</URL></OGRWFSDataSource>",
        "wfs-capabilities.kml": "<WFS_Capabilities version='1.1.0'><OperationsMetadata><Operation name='GetFeature'>"
        f"<DCP><HTTP><Get href='{url}/wfs?'/></HTTP></DCP></Operation></OperationsMetadata>"
        "<FeatureTypeList><FeatureType><Name>a</Name></FeatureType></FeatureTypeList></WFS_Capabilities>",
        "gml-schema.kml": "<?xml version='1.0'?><ogr:FeatureCollection "
        "xmlns:ogr='http://ogr.maptools.org/' "
        "xmlns:gml='http://www.opengis.net/gml' "
        "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' "
        f"xsi:schemaLocation='http://ogr.maptools.org/ {url}/schema.xsd'><gml:featureMember><ogr:a>"
        "<ogr:geometryProperty><gml:Point><gml:coordinates>36.3,50.1</gml:coordinates></gml:Point>"
        "</ogr:geometryProperty></ogr:a></gml:featureMember></ogr:FeatureCollection>",
        "crs-link.geojson": _point_collection(
            crs={"type": "link", "properties": {"href": f"{url}/crs", "type": "proj4"}}
        ),
        "crs-url.geojson": _point_collection(
            crs={"type": "name", "properties": {"name": f"{url}/crs"}}
        ),
        "crs-file.geojson": _point_collection(
            crs={"type": "name", "properties": {"name": str(canary)}}
        ),
        "crs-nested.geojson": json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {
                            "type": "Point",
                            "coordinates": [36.3, 50.1],
                            "crs": {"type": "link", "properties": {"href": f"{url}/g"}},
                        },
                    }
                ],
            }
        ),
        "kml-links.kml": "<?xml version='1.0'?><kml "
        "xmlns='http://www.opengis.net/kml/2.2'><Document>"
        f"<NetworkLink><Link><href>{url}/net.kml</href></Link></NetworkLink>"
        f"<Style id='s'><IconStyle><Icon><href>{url}/icon.png</href></Icon></IconStyle></Style>"
        f"<Placemark><styleUrl>{url}/style.kml#s</styleUrl><Point><coordinates>36.3,50.1</coordinates></Point>"
        "</Placemark></Document></kml>",
    }


CASES = [
    "vrt-vsicurl.kml",
    "vrt-http.geojson",
    "vrt-canary.kml",
    "wfs-source.kml",
    "wfs-capabilities.kml",
    "gml-schema.kml",
    "crs-link.geojson",
    "crs-url.geojson",
    "crs-file.geojson",
    "crs-nested.geojson",
    "kml-links.kml",
]


@pytest.mark.parametrize("name", CASES)
def test_finding_1_a_hostile_file_makes_no_request_and_reads_no_other_file(name, server, canary):
    url, seen = server
    text = hostile_files(url, canary)[name]
    before = len(seen)
    try:
        got = userdata.read(text.encode(), name)
    except UserDataError as err:
        message = str(err)
        assert "\n" not in message and name in message
        assert "Traceback" not in message and SECRET not in message
    else:  # a real KML whose links are ignored: its own placemark only
        assert name == "kml-links.kml"
        assert [f.geometry.coords[0] for f in got.features] == [(36.3, 50.1)]
        assert SECRET not in repr(got)
    assert seen[before:] == []


@pytest.mark.parametrize("name", ["crs-link.geojson", "crs-url.geojson", "crs-nested.geojson"])
def test_finding_1_a_crs_given_by_link_is_refused_in_one_sentence(name, server, canary):
    url, _seen = server
    with pytest.raises(UserDataError, match="a link or URL") as caught:
        userdata.read(hostile_files(url, canary)[name].encode(), name)
    assert str(caught.value).count(".") >= 1 and "\n" not in str(caught.value)


def test_finding_1_a_vrt_naming_a_file_does_not_say_whether_it_exists(server, canary):
    url, _seen = server
    text = hostile_files(url, canary)["vrt-canary.kml"]
    answers = []
    for path in (str(canary), str(canary) + ".missing"):
        with pytest.raises(UserDataError) as caught:
            userdata.read(text.replace(str(canary), path).encode(), "vrt.kml")
        answers.append(str(caught.value))
    assert answers[0] == answers[1]


@pytest.mark.parametrize("crs", ["EPSG:32637", "urn:ogc:def:crs:EPSG::32637"])
def test_finding_1_a_crs_given_by_name_still_reads(crs):
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": crs}},
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Point", "coordinates": [310000.0, 5540000.0]},
                }
            ],
        }
    )
    got = userdata.read(text.encode(), "utm.geojson")
    lon, lat = got.features[0].geometry.coords[0]
    assert 35 < lon < 38 and 49 < lat < 51


def _cli(*args, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "KHARKIV_MAP_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_finding_1_the_command_line_makes_no_request_either(server, canary, tmp_path):
    url, seen = server
    before = len(seen)
    for name in ("vrt-vsicurl.kml", "crs-link.geojson", "wfs-capabilities.kml"):
        path = tmp_path / name
        path.write_text(hostile_files(url, canary)[name])
        run = _cli("classify", path, cwd=ROOT)
        assert run.returncode == 2, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert seen[before:] == []


# --------------------------------------------------------------------------- finding 2


@pytest.fixture
def points(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("name,lat,lon\nNear the border,50.3,36.6\n", encoding="utf-8")
    return path


def _spellings(points: Path) -> dict[str, Path]:
    folder = points.parent
    (folder / "sub").mkdir()
    symlink = folder / "link.csv"
    symlink.symlink_to(points)
    hardlink = folder / "hard.csv"
    os.link(points, hardlink)
    return {
        "same name": points,
        "another spelling": folder / "sub" / ".." / points.name,
        "a symbolic link": symlink,
        "a hard link": hardlink,
    }


def test_finding_2_classify_never_writes_over_its_input(points):
    original = points.read_bytes()
    for how, out in _spellings(points).items():
        run = _cli("classify", points, "--out", out, cwd=points.parent)
        assert run.returncode == 2, how
        assert run.stderr.count("\n") == 1 and "input file" in run.stderr, (how, run.stderr)
        assert points.read_bytes() == original, how
    assert sorted(p.name for p in points.parent.iterdir()) == [
        "hard.csv",
        "link.csv",
        "points.csv",
        "sub",
    ]


def test_finding_2_an_input_given_through_a_link_is_protected_too(points):
    original = points.read_bytes()
    link = points.parent / "link.csv"
    link.symlink_to(points)
    run = _cli(
        "classify",
        link,
        "--out",
        points,
        "--out",
        points.parent / "answers.geojson",
        cwd=points.parent,
    )
    assert run.returncode == 2 and "input file" in run.stderr
    assert points.read_bytes() == original
    assert not (
        points.parent / "answers.geojson"
    ).exists()  # nothing written when one output is refused


def test_finding_2_a_distinct_output_is_still_written(points):
    run = _cli("classify", points, "--out", points.parent / "answers.csv", cwd=points.parent)
    assert run.returncode == 0, run.stderr
    assert (points.parent / "answers.csv").read_text(encoding="utf-8").count("\n") == 2
