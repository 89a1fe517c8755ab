"""The border extract: checksums, repair, Crimea, and the extent the zones need."""

import shutil

import pytest
import shapely

from geo.data import borders as data
from geo.data import stored as prebuilt
from tests.measure import distance_to_line_m, line_points


def test_every_country_is_a_valid_polygon(region):
    for code in ("UKR", "RUS", "BLR", "MDA"):
        geom = region.country(code)
        assert geom.geom_type == "MultiPolygon" and geom.is_valid and not geom.is_empty


def test_crimea_is_shown_as_ukraine(region):
    for lat, lon in (
        (44.952, 34.102),
        (44.616, 33.525),
        (45.357, 36.468),
    ):  # Simferopol, Sevastopol, Kerch
        assert region.ukraine.contains(shapely.Point(lon, lat))
        assert not region.russia.contains(shapely.Point(lon, lat))


def test_ukraine_and_russia_do_not_overlap(region):
    overlap = region.ukraine.intersection(region.russia)
    assert overlap.area == 0 or shapely.get_type_id(overlap) in (1, 5)  # lines or points only


def test_cities_fall_in_their_countries(region):
    for lat, lon, country in (
        (49.98177, 36.25475, "UKR"),
        (50.60343, 36.58091, "RUS"),
        (47.00902, 28.85938, "MDA"),
    ):
        assert region.country(country).contains(shapely.Point(lon, lat))


def test_border_length_is_near_the_known_2000_km(region):
    # FACTS.md: the shared edge comes out near 2,000 km (the treaty border is about 1,974 km).
    from geopy.distance import geodesic

    coords = shapely.get_coordinates(region.border)
    total = sum(geodesic(a[::-1], b[::-1]).km for a, b in zip(coords[:-1], coords[1:]))
    assert 1_900 < total < 2_100


def test_border_runs_between_the_two_countries(region):
    """Every sampled border point lies within 1 km (geodesic) of both countries."""
    from geopy.distance import geodesic
    from shapely.ops import nearest_points

    coords = line_points(region.border, 0.01)
    for lon, lat in coords[:: max(1, len(coords) // 60)]:
        p = shapely.Point(lon, lat)
        for country in (region.ukraine, region.russia):
            q = nearest_points(country, p)[0]
            assert geodesic((lat, lon), (q.y, q.x)).m < 1_000


def test_extract_holds_russia_300_km_beyond_every_border_point(region):
    """Where Russia meets the clip rectangle, it is more than 300 km from the border."""
    from geo.tools.rebuild import REGION

    minx, miny, maxx, maxy = REGION
    rect = shapely.box(minx, miny, maxx, maxy).boundary
    cut = shapely.get_coordinates(region.russia.boundary.intersection(rect.buffer(1e-6)))
    points = line_points(region.border, 0.01)
    sample = cut[:: max(1, len(cut) // 80)]
    nearest = min(distance_to_line_m(lat, lon, points) for lon, lat in sample)
    assert nearest > 300_000


@pytest.fixture
def data_copy(tmp_path):
    shutil.copytree(data.DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


@pytest.mark.parametrize("name", [data.BORDERS_FILE, prebuilt.WKB_FILE])
def test_an_altered_file_is_named_in_one_clear_error(data_copy, name):
    path = data_copy / name
    payload = bytearray(path.read_bytes())
    payload[5000] ^= 1
    path.write_bytes(bytes(payload))
    with pytest.raises(data.DataError, match=f"{name} does not match its checksum"):
        data.load_region(data_copy)
    if name == prebuilt.WKB_FILE:  # read by itself too, as the zones read it
        with pytest.raises(data.DataError, match=f"{name} does not match its checksum"):
            prebuilt.read(data_copy)


def test_a_missing_file_is_named_in_one_clear_error(data_copy):
    (data_copy / data.BORDERS_FILE).unlink()
    with pytest.raises(data.DataError, match="borders.geojson cannot be read"):
        data.load_region(data_copy)


def test_a_missing_checksum_list_is_an_error(data_copy):
    (data_copy / data.CHECKSUMS_FILE).unlink()
    with pytest.raises(data.DataError, match="SHA256SUMS cannot be read"):
        data.load_region(data_copy)


def test_checksums_match_the_committed_files():
    import hashlib

    for name, digest in data.expected_checksums(data.DATA_DIR).items():
        assert hashlib.sha256((data.DATA_DIR / name).read_bytes()).hexdigest() == digest


# --------------------------------------------------------------------------- unreadable or wrong data, one sentence each


def replace_with_matching_checksum(data_copy, payload: bytes) -> None:
    """Put ``payload`` in the border file and its true SHA-256 in the checksum list, as a
    careless rebuild would: the checksum then passes and only the content is wrong."""
    import hashlib

    (data_copy / data.BORDERS_FILE).write_bytes(payload)
    digest = hashlib.sha256(payload).hexdigest()
    (data_copy / data.CHECKSUMS_FILE).write_text(f"{digest}  {data.BORDERS_FILE}\n")


def one_sentence(error: data.DataError, names: str) -> str:
    message = str(error)
    assert names in message and "\n" not in message and message.endswith(".")
    assert data.REBUILD in message or "restore it" in message
    return message


def test_a_fifo_at_the_border_file_is_an_error_not_a_hang(data_copy):
    import os
    import threading

    path = data_copy / data.BORDERS_FILE
    path.unlink()
    os.mkfifo(path)
    caught = {}

    def load():
        try:
            data.load_region(data_copy)
        except data.DataError as err:
            caught["error"] = err

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "loading a FIFO hung"
    assert "not a regular file" in one_sentence(caught["error"], str(path))


def test_one_non_utf8_byte_in_the_checksum_list_is_named(data_copy):
    sums = data_copy / data.CHECKSUMS_FILE
    sums.write_bytes(sums.read_bytes().replace(b"borders", b"b\xffrders"))
    with pytest.raises(data.DataError) as caught:
        data.load_region(data_copy)
    assert "not UTF-8" in one_sentence(caught.value, str(sums))


def test_a_malformed_checksum_line_is_named(data_copy):
    sums = data_copy / data.CHECKSUMS_FILE
    sums.write_text("not-a-digest borders.geojson\n")
    with pytest.raises(data.DataError) as caught:
        data.load_region(data_copy)
    assert "line 1" in one_sentence(caught.value, str(sums))


def test_a_border_file_over_the_size_limit_is_refused_before_reading(data_copy, monkeypatch):
    monkeypatch.setitem(data.MAX_BYTES, data.BORDERS_FILE, 1000)
    with pytest.raises(data.DataError) as caught:
        data.load_region(data_copy)
    assert "more than the 1,000" in one_sentence(caught.value, data.BORDERS_FILE)


@pytest.mark.parametrize(
    "payload, says",
    [
        (b'{"type":"FeatureCollection","features":[{"type":"Feature",', "not readable GeoJSON"),
        (b'{"type":"FeatureCollection","features":[]}', "lacks the features"),
        (b"\xff\xfe{}", "not UTF-8"),
        (
            b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"A3":"UKR"},'
            b'"geometry":{"type":"Point","coordinates":[30,50]}}]}',
            "lacks the features",
        ),
    ],
    ids=["geos-exception", "no-features", "not-utf8", "wrong-feature-set"],
)
def test_a_bad_border_file_with_a_matching_checksum_is_one_data_error(data_copy, payload, says):
    replace_with_matching_checksum(data_copy, payload)
    with pytest.raises(data.DataError) as caught:
        data.load_region(data_copy)
    assert says in one_sentence(caught.value, data.BORDERS_FILE)


def test_a_feature_of_the_wrong_geometry_type_is_one_data_error(data_copy):
    import json

    collection = json.loads((data_copy / data.BORDERS_FILE).read_text("utf-8"))
    for feature in collection["features"]:
        if feature["properties"]["A3"] == "border":
            feature["geometry"] = {"type": "Point", "coordinates": [36.0, 50.0]}
    replace_with_matching_checksum(
        data_copy, json.dumps(collection, separators=(",", ":")).encode()
    )
    with pytest.raises(data.DataError) as caught:
        data.load_region(data_copy)
    assert "Point shape, not a LineString" in one_sentence(caught.value, data.BORDERS_FILE)


def test_the_data_folder_is_the_checkouts_in_a_source_tree():
    from pathlib import Path

    assert data.find_data_dir() == Path(data.__file__).resolve().parents[2] / "data"
    assert (data.DATA_DIR / data.CHECKSUMS_FILE).is_file()


def test_an_altered_display_file_is_refused_with_the_borders(data_copy):
    path = data_copy / data.DISPLAY_FILE
    payload = bytearray(path.read_bytes())
    payload[500] ^= 1
    path.write_bytes(bytes(payload))
    with pytest.raises(data.DataError, match="display.geojson does not match its checksum"):
        data.load_region(data_copy)


def test_the_display_file_is_rebuilt_from_the_borders_byte_for_byte(data_copy):
    """`kharkiv-map data rebuild --display-only` needs no npm and gives the committed bytes."""
    from geo.tools import rebuild as build_data

    committed = (data_copy / data.DISPLAY_FILE).read_bytes()
    (data_copy / data.DISPLAY_FILE).write_bytes(b"{}")
    build_data.rebuild(data_dir=data_copy, display_only=True)
    assert (data_copy / data.DISPLAY_FILE).read_bytes() == committed
    assert (data_copy / data.CHECKSUMS_FILE).read_bytes() == (
        data.DATA_DIR / data.CHECKSUMS_FILE
    ).read_bytes()


def test_display_outlines_share_their_edges_and_stay_near_the_countries(region):
    """Simplified together: neighbours do not overlap, and each outline stays near the full
    country, islands and lakes too small to draw aside. The simplification works by area, so a
    narrow inlet may close: the outline may stray by up to 5 km there (the Dnipro–Bug estuary)."""
    from geo.core import geodesy
    from geo.data import display

    shapes = data.display_outlines(display.COUNTRY_TOLERANCE_M)
    metric = {code: geodesy.to_metres(geom) for code, geom in shapes.items()}
    assert metric["UKR"].intersection(metric["RUS"]).area < 1e4  # m²: rounding slivers at most
    full = display.drop_small(
        geodesy.to_metres(region.ukraine), (10 * display.COUNTRY_TOLERANCE_M) ** 2
    )
    for a, b in ((full, metric["UKR"]), (metric["UKR"], full)):
        points = shapely.points(shapely.get_coordinates(shapely.segmentize(a.boundary, 500)))
        assert shapely.distance(b.boundary, points).max() < 5_000


# --------------------------------------------------------------------------- the second border source


def test_every_sources_files_are_listed_and_shipped():
    """Each source's four files have a checksum, and the package ships them (pyproject.toml)."""
    import tomllib
    from pathlib import Path

    from geo.data import source

    listed = data.expected_checksums(data.DATA_DIR)
    pyproject = tomllib.loads(
        (Path(data.__file__).resolve().parents[2] / "pyproject.toml").read_text()
    )
    shipped = set(pyproject["tool"]["setuptools"]["package-data"]["geo._data"])
    for src in source.SOURCES:
        assert set(src.files) <= set(listed) and set(src.files) <= shipped


def test_an_altered_natural_earth_file_names_its_own_rebuild_command(data_copy):
    path = data_copy / "borders-naturalearth.geojson"
    payload = bytearray(path.read_bytes())
    payload[5000] ^= 1
    path.write_bytes(bytes(payload))
    with pytest.raises(data.DataError) as caught:
        data.load_region(data_copy, source="naturalearth")
    assert "borders-naturalearth.geojson does not match its checksum" in str(caught.value)
    assert "kharkiv-map data rebuild --source naturalearth" in str(caught.value)


def test_the_natural_earth_display_and_stored_files_are_rebuilt_byte_for_byte(data_copy):
    """`kharkiv-map data rebuild --source naturalearth --display-only` needs no npm."""
    from geo.data import source
    from geo.tools import rebuild as build_data

    src = source.BY_ID["naturalearth"]
    committed = {name: (data_copy / name).read_bytes() for name in src.files}
    for name in (src.display_file, src.wkb_file):
        (data_copy / name).write_bytes(b"{}")
    build_data.rebuild(data_dir=data_copy, display_only=True, source="naturalearth")
    for name, content in committed.items():
        assert (data_copy / name).read_bytes() == content
    assert (data_copy / data.CHECKSUMS_FILE).read_bytes() == (
        data.DATA_DIR / data.CHECKSUMS_FILE
    ).read_bytes()


def test_the_natural_earth_extract_is_valid_and_keyed_as_the_first():
    region = data.region("naturalearth")
    assert region.source == "naturalearth"
    for code in ("UKR", "RUS", "BLR", "MDA"):
        geom = region.country(code)
        assert geom.geom_type == "MultiPolygon" and geom.is_valid and not geom.is_empty
    overlap = region.ukraine.intersection(region.russia)
    assert overlap.area == 0 or shapely.get_type_id(overlap) in (1, 5)
    outlines = data.display_outlines(1_000.0, "naturalearth")
    assert set(outlines) == {"UKR", "RUS", "BLR", "MDA"}


def test_crimea_is_found_as_one_part_of_russia_or_the_build_stops():
    """Natural Earth puts Crimea in Russia's polygon only: the build gives that part to
    Ukraine, and stops rather than guess when the box holds no part or more than one."""
    from geo.tools import rebuild as build_data

    crimea = shapely.box(32.5, 44.4, 36.6, 46.2)
    mainland = shapely.box(37.0, 44.0, 45.0, 55.0)
    ukraine = shapely.box(22.0, 46.3, 37.0, 52.0)  # meets the mainland at 37° E
    belarus, moldova = shapely.box(23.0, 52.1, 32.0, 55.0), shapely.box(27.0, 45.5, 29.0, 46.2)
    raw = {"UKR": ukraine, "RUS": shapely.MultiPolygon([crimea, mainland])}
    shapes = build_data.extract_shapes({**raw, "BLR": belarus, "MDA": moldova}, "russia")
    assert shapes["UKR"].contains(shapely.Point(34.1, 44.95))
    assert not shapes["RUS"].intersects(shapely.Point(34.1, 44.95))
    with pytest.raises(ValueError, match="not Crimea alone"):
        build_data.extract_shapes(
            {"UKR": ukraine, "RUS": mainland, "BLR": belarus, "MDA": moldova}, "russia"
        )
