"""Reading people's files: each format, each limit and each kind of bad input gives features
or one sentence, never a traceback. The sample files are made here, in memory."""

import json
import os
import tempfile

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.userfiles import reading, userdata
from geo.userfiles.userdata import UserDataError

KHARKIV = (36.25475, 49.98177)  # lon, lat
BELGOROD = (36.58091, 50.60343)


def feature(geometry, **props):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def collection(*features, **extra):
    return json.dumps({"type": "FeatureCollection", **extra, "features": list(features)}).encode()


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


SQUARE = [[[36.0, 50.0], [36.5, 50.0], [36.5, 50.3], [36.0, 50.3], [36.0, 50.0]]]
KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Folder><name>Towns</name>
<Placemark><name>Kharkiv</name><ExtendedData><Data name="note"><value>&lt;script&gt;alert(1)&lt;/script&gt;</value></Data>
</ExtendedData><Point><coordinates>36.25475,49.98177,0</coordinates></Point></Placemark>
<Placemark><name>Belgorod</name><Point><coordinates>36.58091,50.60343</coordinates></Point></Placemark>
</Folder>
<Folder><name>Shapes</name>
<Placemark><name>Road</name><LineString><coordinates>36.2,50.0 36.6,50.6</coordinates></LineString></Placemark>
<Placemark><name>Field</name><Polygon><outerBoundaryIs><LinearRing>
<coordinates>36.0,50.0 36.5,50.0 36.5,50.3 36.0,50.3 36.0,50.0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Folder></Document></kml>"""


# --------------------------------------------------------------------------- formats


def test_geojson_collection_of_every_kind():
    data = collection(
        feature(point(*KHARKIV), name="Kharkiv", people=1421125),
        feature({"type": "MultiPoint", "coordinates": [KHARKIV, BELGOROD]}, name="two"),
        feature({"type": "LineString", "coordinates": [KHARKIV, BELGOROD]}, name="road"),
        feature({"type": "MultiLineString", "coordinates": [[KHARKIV, BELGOROD]]}),
        feature({"type": "Polygon", "coordinates": SQUARE}),
        feature({"type": "MultiPolygon", "coordinates": [SQUARE]}),
    )
    got = userdata.read(data, "mine.geojson")
    assert got.format == "geojson" and got.skipped == 0 and got.messages == ()
    assert [f.kind for f in got.features] == ["point", "point", "line", "line", "area", "area"]
    assert got.features[0].properties == {"name": "Kharkiv", "people": 1421125}
    assert got.features[0].geometry.equals(shapely.Point(KHARKIV))


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(feature(point(*KHARKIV), name="one")),
        json.dumps(point(*KHARKIV)),
    ],
)
def test_geojson_single_feature_or_bare_geometry(text):
    got = userdata.read(text.encode(), "one.json")
    assert len(got.features) == 1 and got.features[0].geometry.equals(shapely.Point(KHARKIV))


def test_kml_folders_names_and_extended_data():
    got = userdata.read(KML.encode(), "places.kml")
    assert got.format == "kml" and got.skipped == 0
    assert [f.kind for f in got.features] == ["point", "point", "line", "area"]
    first = got.features[0]
    assert first.properties["Name"] == "Kharkiv"
    assert first.properties["note"] == "<script>alert(1)</script>"  # as given: escaped where drawn
    assert not {"tessellate", "extrude", "visibility"} & set(first.properties)
    assert first.geometry.equals(shapely.Point(KHARKIV))


@pytest.mark.parametrize(
    "lat,lon",
    [
        ("lat", "lon"),
        ("Latitude", "Longitude"),
        ("Y", "X"),
        ("LAT", "lng"),
        ("breite", "long"),
        ("широта", "довгота"),
        ("Широта", "Долгота"),
    ],
)
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_csv_headers_and_delimiters(lat, lon, sep):
    text = f"name{sep}{lat}{sep}{lon}\nKharkiv{sep}49.98177{sep}36.25475\nBelgorod{sep}50.60343{sep}36.58091\n"
    got = userdata.read(text.encode(), "places.csv")
    assert [f.properties["name"] for f in got.features] == ["Kharkiv", "Belgorod"]
    assert got.features[0].geometry.equals(shapely.Point(KHARKIV))


def test_csv_named_columns_decimal_comma_and_bom():
    text = "\ufeffort;north;east\nKharkiv;49,98177;36,25475\n"
    got = userdata.read(text.encode(), "orte.csv", lat_column="North", lon_column="east")
    assert got.features[0].geometry.equals(shapely.Point(KHARKIV))
    assert got.features[0].properties == {"ort": "Kharkiv"}


def test_csv_bad_rows_are_skipped_counted_and_named():
    text = (
        "name,lat,lon\nKharkiv,49.98177,36.25475\nbad,north,36\nshort,50\nnan,nan,36\ninf,50,1e999\n"
        "far,95,36\n\nBelgorod,50.60343,36.58091\n"
    )
    got = userdata.read(text.encode(), "places.csv")
    assert [f.properties["name"] for f in got.features] == ["Kharkiv", "Belgorod"]
    assert got.skipped == 5 and len(got.messages) == 5
    assert all(m.startswith("'places.csv', line ") and m.endswith("skipped.") for m in got.messages)
    assert "line 3" in got.messages[0] and "'north'" in got.messages[0]
    assert "latitude 95" in got.messages[4] and "-90 to 90" in got.messages[4]


# --------------------------------------------------------------------------- limits and refusals


def refused(data, name="f.csv", **options) -> str:
    with pytest.raises(UserDataError) as caught:
        userdata.read(data, name, **options)
    message = str(caught.value)
    assert "\n" not in message and message.endswith(".")
    return message


def test_size_limit_checked_before_anything_is_read(monkeypatch):
    from geo.userfiles import usergeojson

    monkeypatch.setattr(
        usergeojson, "parse", lambda *a, **k: pytest.fail("parsed a file over the limit")
    )
    message = refused(b" " * (userdata.MAX_BYTES + 1), "big.geojson")
    assert "'big.geojson'" in message and "20 MB" in message


def test_feature_limit_counted_before_any_geometry_is_built(monkeypatch):
    from geo.userfiles import usergeojson, userkml

    monkeypatch.setattr(reading, "MAX_FEATURES", 3)
    monkeypatch.setattr("geo.userfiles.usergeojson.MAX_FEATURES", 3)
    monkeypatch.setattr(
        usergeojson, "geometry", lambda *a, **k: pytest.fail("built a geometry over the limit")
    )
    assert "4 features, over the limit of 3" in refused(
        collection(*[feature(point(*KHARKIV))] * 4), "many.geojson"
    )
    monkeypatch.setattr("geo.userfiles.userkml.MAX_FEATURES", 1)
    monkeypatch.setattr("geo.userfiles.reading.MAX_FEATURES", 1)
    monkeypatch.setattr(
        userkml, "coordinates", lambda *a, **k: pytest.fail("read coordinates over the limit")
    )
    assert "4 features, over the limit of 1" in refused(KML.encode(), "many.kml")
    monkeypatch.setattr("geo.userfiles.usercsv.MAX_FEATURES", 3)
    assert "more than 3 rows" in refused(b"lat,lon\n" + b"50,36\n" * 4)


@pytest.mark.parametrize("data", [b"", b"   \n", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("name", ["e.csv", "e.geojson", "e.kml"])
def test_empty_files(data, name):
    assert "is empty" in refused(data, name)


def test_only_a_header():
    assert "header but no rows" in refused(b"name,lat,lon\n")


def test_encoding_is_never_guessed():
    data = "name,lat,lon\nХарків,49.98,36.25\n".encode("cp1251")
    message = refused(data, "cp.csv")
    assert "not UTF-8" in message and "encoding='cp1251'" in message
    got = userdata.read(data, "cp.csv", encoding="cp1251")
    assert got.features[0].properties["name"] == "Харків"
    assert userdata.read("name,lat,lon\nХарків,49.98,36.25\n".encode("utf-16"), "u16.csv").features
    assert "does not know" in refused(b"lat,lon\n50,36\n", encoding="no-such-codec")


def test_kml_in_a_declared_encoding():
    data = (
        KML.replace('encoding="UTF-8"', 'encoding="windows-1251"')
        .replace("Belgorod", "Бєлгород")
        .encode("cp1251")
    )
    got = userdata.read(data, "cp.kml")
    assert got.features[1].properties["Name"] == "Бєлгород"


def test_duplicate_headers_are_named():
    message = refused(b"name,lat,lon,Name\nx,50,36,y\n")
    assert "'Name', 'name'" in message and "more than once" in message


def test_no_coordinate_columns():
    message = refused(b"name,north,east\nx,50,36\n")
    assert "no latitude column" in message and "lat_column=" in message
    assert "no column 'northing'" in refused(
        b"name,north,east\nx,50,36\n", lat_column="northing", lon_column="east"
    )


def test_swapped_csv_is_refused_with_the_way_out():
    message = refused(
        b"name,lat,lon\nKharkiv,36.25475,49.98177\nBelgorod,36.58091,50.60343\n", "swapped.csv"
    )
    assert "looks like latitude and longitude are swapped" in message and "lat_column=" in message


def test_swapped_geojson_loads_as_written_with_a_warning():
    got = userdata.read(collection(feature(point(49.98177, 36.25475))), "swapped.geojson")
    assert got.features[0].geometry.equals(shapely.Point(49.98177, 36.25475))
    assert "may be swapped" in got.messages[0]


def test_points_elsewhere_are_not_called_swapped():
    got = userdata.read(b"name,lat,lon\nWashington,38.89511,-77.03637\n", "dc.csv")
    assert len(got.features) == 1 and got.messages == ()


def test_declared_crs_is_reprojected():
    utm = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32637"}}
    import pyproj

    x, y = pyproj.Transformer.from_crs(4326, 32637, always_xy=True).transform(*KHARKIV)
    got = userdata.read(collection(feature(point(x, y)), crs=utm), "utm.geojson")
    assert shapely.get_coordinates(got.features[0].geometry)[0] == pytest.approx(KHARKIV, abs=1e-7)
    assert "reprojected to WGS84" in got.messages[0]
    got = userdata.read(f"x,y\n{x},{y}\n".encode(), "utm.csv", crs="EPSG:32637")
    assert shapely.get_coordinates(got.features[0].geometry)[0] == pytest.approx(KHARKIV, abs=1e-7)


def test_undeclared_projection_is_refused():
    message = refused(collection(feature(point(300000, 5540000))), "utm.geojson")
    assert "look projected" in message and "declare the CRS" in message
    assert "look projected" in refused(b"lat,lon\n5540000,300000\n")


def test_invalid_polygon_is_repaired_and_reported():
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[36, 50], [37, 51], [37, 50], [36, 51], [36, 50]]],
    }
    got = userdata.read(collection(feature(bowtie)), "bowtie.geojson")
    assert got.features[0].geometry.is_valid and got.features[0].kind == "area"
    assert got.features[0].geometry.area == pytest.approx(0.5)
    assert "Self-intersection" in got.messages[0] and "repaired" in got.messages[0]


def test_nested_collections_are_flattened_and_mixed_ones_split():
    nested = {
        "type": "GeometryCollection",
        "geometries": [
            {
                "type": "GeometryCollection",
                "geometries": [
                    point(*KHARKIV),
                    {"type": "GeometryCollection", "geometries": [point(*BELGOROD)]},
                ],
            },
            {"type": "LineString", "coordinates": [KHARKIV, BELGOROD]},
        ],
    }
    got = userdata.read(collection(feature(nested, name="n")), "nested.geojson")
    assert [(f.kind, f.where) for f in got.features] == [
        ("point", "feature 1 (points)"),
        ("line", "feature 1 (lines)"),
    ]
    assert len(shapely.get_parts(got.features[0].geometry)) == 2
    assert "mixes points and lines" in got.messages[0]


def test_bad_features_skipped_the_rest_loaded():
    data = collection(
        feature(point(*KHARKIV)),
        feature(None),
        feature(point(200, 50)),
        feature({"type": "Point", "coordinates": [36, 50, 7]}),
    )
    got = userdata.read(data, "mixed.geojson")
    assert len(got.features) == 2 and got.skipped == 2
    assert "feature 2: has no geometry" in got.messages[0] and "feature 3" in got.messages[1]
    assert not shapely.has_z(got.features[1].geometry)


def test_messages_are_capped():
    text = "lat,lon\n" + "x,36\n" * 100 + "50,36\n"
    got = userdata.read(text.encode(), "many.csv")
    assert got.skipped == 100 and len(got.messages) == reading.MAX_MESSAGES + 1
    assert "60 more messages" in got.messages[-1]


def test_other_formats_are_refused():
    assert "not in a format" in refused(b"PK\x03\x04", "places.kmz")
    assert "not readable GeoJSON" in refused(
        b'{"type":"Topology","objects":{},"arcs":[]}', "t.json"
    )
    assert "not GeoJSON" in refused(KML.encode(), "k.geojson")
    assert len(userdata.read(GOOD["c.csv"], "no-extension").features) == 2


def test_read_path_checks_size_first(tmp_path, monkeypatch):
    path = tmp_path / "p.csv"
    path.write_bytes(b"lat,lon\n50,36\n")
    assert len(userdata.read_path(path).features) == 1
    monkeypatch.setattr(userdata, "MAX_BYTES", 5)
    with pytest.raises(UserDataError, match="over the limit"):
        userdata.read_path(path)
    with pytest.raises(UserDataError, match="cannot be read"):
        userdata.read_path(tmp_path / "missing.csv")


def test_nothing_is_written_to_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = set(os.listdir(tempfile.gettempdir()))
    userdata.read(KML.encode(), "places.kml")
    userdata.read(collection(feature(point(*KHARKIV))), "p.geojson")
    assert set(os.listdir(tempfile.gettempdir())) <= before and os.listdir(tmp_path) == []


# --------------------------------------------------------------------------- fuzzing


PAYLOADS = [
    "<script>alert(1)</script>",
    "${alert(1)}",
    "`x`",
    "\"'><img src=x onerror=alert(1)>",
    "\\",
    "\x00",
]
GOOD = {
    "g.geojson": collection(
        feature(point(*KHARKIV), name="a"), feature({"type": "Polygon", "coordinates": SQUARE})
    ),
    "k.kml": KML.encode(),
    "c.csv": b"name,lat,lon\nKharkiv,49.98177,36.25475\nBelgorod,50.60343,36.58091\n",
}
WEIRD_VALUES = [
    None,
    "a",
    [],
    {},
    True,
    1e308,
    -1e308,
    "NaN",
    [1],
    [[1, 2]],
    [[[1]]],
    [1e400, 50],
    ["1", "2"],
]


def malformed_corpus():
    corpus = []
    for name, good in GOOD.items():
        corpus += [
            (name, good[:n]) for n in range(1, len(good), max(1, len(good) // 40))
        ]  # truncated
        corpus += [
            (name, b"\xef\xbb\xbf" + good),
            (name, b"\xff\xfe" + good),
            (name, good + b"\x00\xff" * 8),
        ]
    for value in WEIRD_VALUES:  # wrong types where geometry or coordinates belong
        corpus.append(
            ("w.geojson", json.dumps(feature({"type": "Point", "coordinates": value})).encode())
        )
        corpus.append(
            ("w.geojson", json.dumps({"type": "FeatureCollection", "features": value}).encode())
        )
        corpus.append(("w.geojson", json.dumps(feature(value)).encode()))
        corpus.append(
            ("w.geojson", json.dumps({"type": "Polygon", "coordinates": [value]}).encode())
        )
    for payload in PAYLOADS:
        corpus.append(("p.geojson", collection(feature(point(*KHARKIV), **{payload: payload}))))
        corpus.append(("p.csv", f"{payload},lat,lon\n{payload},50,36\n".encode()))
        corpus.append(("p.kml", KML.replace("Kharkiv", payload.replace("<", "&lt;")).encode()))
        corpus.append(("p.kml", KML.replace("Kharkiv", payload).encode()))
    deep = point(*KHARKIV)
    for _ in range(30):
        deep = {"type": "GeometryCollection", "geometries": [deep, point(*BELGOROD)]}
    corpus.append(("deep.geojson", json.dumps(deep).encode()))
    corpus += [
        ("n.geojson", b'{"type":"Point","coordinates":[NaN,Infinity]}'),
        ("n.geojson", b'{"type":"Point","coordinates":[1e999,-1e999]}'),
        ("n.csv", b"lat,lon\n1e999,NaN\n-inf,+inf\n"),
        ("h.csv", b"lat,lon\n"),
        ("h.csv", b"lat;lon"),
        ("b.bin", bytes(range(256)) * 4),
        ("b.geojson", bytes(range(256))),
        ("b.kml", b"<" + bytes(range(256))),
        (
            "x.kml",
            b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY e SYSTEM '
            b'"file:///etc/passwd">]><kml>&e;</kml>',
        ),
        ("q.csv", b'lat,lon\n"50,36\n'),
        ("r.csv", b"\r\r\r"),
        ("t.csv", b"a\tb\n1\t2\n"),
    ]
    return corpus


def assert_a_sentence(name, data, **options):
    try:
        got = userdata.read(data, name, **options)
    except UserDataError as err:
        message = str(err)
        assert message and "\n" not in message and "Traceback" not in message
        return
    assert isinstance(got, userdata.UserData)
    for message in got.messages:
        assert isinstance(message, str) and "\n" not in message
    for f in got.features:
        assert (
            f.geometry.is_valid and not f.geometry.is_empty and f.kind in ("point", "line", "area")
        )


def test_corpus_is_large_enough():
    assert len(malformed_corpus()) >= 200


@pytest.mark.parametrize("name,data", malformed_corpus())
def test_every_malformed_file_gives_a_sentence(name, data):
    assert_a_sentence(name, data)


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.sampled_from(["f.csv", "f.geojson", "f.kml", "f"]), st.binary(max_size=400))
def test_random_bytes_give_a_sentence(name, data):
    assert_a_sentence(name, data)


@settings(max_examples=100, deadline=None, database=None)
@given(
    st.lists(
        st.lists(st.one_of(st.floats(allow_nan=True), st.text(max_size=8)), min_size=0, max_size=4),
        max_size=8,
    ),
    st.sampled_from([",", ";", "\t"]),
)
def test_random_csv_gives_a_sentence(rows, sep):
    text = "lat" + sep + "lon\n" + "\n".join(sep.join(map(str, row)) for row in rows)
    assert_a_sentence("r.csv", text.encode())


@settings(max_examples=100, deadline=None, database=None)
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.floats(), st.text(max_size=6)),
        lambda kids: st.one_of(
            st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=6), kids, max_size=3)
        ),
        max_leaves=12,
    )
)
def test_random_json_geometry_gives_a_sentence(value):
    text = json.dumps(feature({"type": "Polygon", "coordinates": value}, v=value))
    assert_a_sentence("j.geojson", text.encode())
