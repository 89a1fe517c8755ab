"""The static figure (geo.render.print.figure), checked from the outside: files that open, pixel sizes, and
the picture itself. Positions are computed here with pyproj from the projection's own
definition, points in Russia with geopy, and lengths are measured on the PNG's pixels."""

from __future__ import annotations

import colorsys
import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pypdf
import pyproj
import pytest
import shapely
from geopy.distance import geodesic
from PIL import Image

from geo.engine import layers as registry
from geo.engine.zones import Params
from geo.render.print import figure
from geo.render.print.figure_marks import style
from tests.measure import distance_to_line_m, line_points

AEQD = "+proj=aeqd +lat_0=50 +lon_0=37 +datum=WGS84"
KHARKIV = (49.98177, 36.25475)
BELGOROD = (50.60343, 36.58091)
TITLE = "Kharkiv, May 2024: where U.S. weapons could strike back"
MI = 1609.344


@pytest.fixture(scope="module")
def built():
    return registry.layers(Params())


@pytest.fixture(scope="module")
def project():
    forward = pyproj.Transformer.from_crs("EPSG:4326", pyproj.CRS.from_proj4(AEQD), always_xy=True)
    return lambda lat, lon: forward.transform(lon, lat)


def draw(built, scale):
    drawing = figure.draw(built, scale=scale)
    pixels = np.asarray(Image.open(io.BytesIO(drawing.save("png"))).convert("RGB")).astype(float)
    return drawing.placement, pixels


@pytest.fixture(scope="module")
def drawn(built):
    return draw(built, 1)


def expected_pixel(placement, project, lat, lon):
    """Where a point should be: this test's projection, then the map's box and extent."""
    x, y = project(lat, lon)
    x0, y0, x1, y1 = placement.extent
    left, top, right, bottom = placement.box
    return left + (x - x0) / (x1 - x0) * (right - left), top + (y1 - y) / (y1 - y0) * (bottom - top)


def patch(pixels, col, row, half=2):
    c, r = int(round(col)), int(round(row))
    return np.median(
        pixels[r - half : r + half + 1, c - half : c + half + 1].reshape(-1, 3), axis=0
    )


def hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def marker_centre(pixels, col, row, radius=13):
    """The centroid of the dark pixels of a marker within ``radius`` of a guess, leaving out
    the label on its right."""
    c, r = int(round(col)), int(round(row))
    window = pixels[r - radius : r + radius + 1, c - radius : c + radius + 1].max(axis=2)
    rows, cols = np.nonzero(window < 90)
    keep = np.hypot(rows - radius, cols - radius) <= radius
    return c - radius + cols[keep].mean(), r - radius + rows[keep].mean()


# --------------------------------------------------------------------------- files and sizes


@pytest.mark.parametrize(
    "size, scale, pixels",
    [
        ("16:9", 1, (1920, 1080)),
        ("16:9", 2, (3840, 2160)),
        ("a4-portrait", 1, (1240, 1754)),
        ((800, 600), 2, (1600, 1200)),
    ],
)
def test_png_opens_at_the_requested_size(built, size, scale, pixels):
    data = figure.render(built, size=size, scale=scale, fmt="png")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.verify()
    assert image.size == pixels


def test_svg_keeps_text_as_text(built):
    root = ET.fromstring(figure.render(built, fmt="svg"))
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert TITLE in texts
    for words in (
        "Kharkiv",
        "Belgorod",
        "RUSSIA",
        "N",
        "Counterfire zone: Russia within D = 80",
        "50 km",
    ):
        assert any(words in t for t in texts), words
    assert any("OpenStreetMap contributors (ODbL)" in t for t in texts)


def test_pdf_text_is_searchable_with_truetype_fonts(built):
    data = figure.render(built, size="a4-portrait", fmt="pdf")
    assert data.startswith(b"%PDF-1.")
    assert (
        b"/FontFile2" in data and b"/Type3" not in data
    )  # TrueType (Type 42), no Type 3 glyph procs
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    text = page.extract_text()
    for words in (
        TITLE.split(":")[0],
        "Kharkiv",
        "GeoNames (CC BY 4.0)",
        "countries-land-100m 0.6.0",
    ):
        assert words in text.replace("\n", " "), words
    width_mm, height_mm = (float(v) / 72 * 25.4 for v in page.mediabox[2:])
    assert abs(width_mm - 210) < 0.5 and abs(height_mm - 297) < 0.5  # A4


def test_shown_layers_only(built):
    svg = figure.render(built, fmt="svg", shown=["counterfire_zone", "border"]).decode()
    assert "Counterfire zone: Russia" in svg and "Russia–Ukraine land border" in svg
    assert "Sanctuary" not in svg and "Belgorod" not in svg and "Circle of radius" not in svg


def test_no_global_state():
    """rcParams only inside the render; no pyplot (reading rcParams["backend"] would import it,
    so the keys are read one by one)."""
    code = (
        "import matplotlib, sys; keys = ['svg.fonttype', 'pdf.fonttype', 'lines.scale_dashes', "
        "'font.family', "
        "'svg.hashsalt', 'savefig.facecolor']; before = [matplotlib.rcParams[k] for k in keys]; "
        "from geo.engine import layers, zones; from geo.render.print import figure; "
        "figure.render(layers.layers(zones.Params()), size=(640, 360), fmt='svg'); "
        "assert [matplotlib.rcParams[k] for k in keys] == before; "
        "assert 'matplotlib.pyplot' not in sys.modules; print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


# --------------------------------------------------------------------------- the picture


def test_pixel_of_agrees_with_an_independent_projection(drawn, project):
    placement, _ = drawn
    for lat, lon in (KHARKIV, BELGOROD, (50.2, 37.9)):
        got = placement.pixel_of(lat, lon)
        assert np.allclose(got, expected_pixel(placement, project, lat, lon), atol=0.05)
    x0, y0, x1, y1 = placement.extent
    left, top, right, bottom = placement.box
    assert (x1 - x0) / (right - left) == pytest.approx(
        (y1 - y0) / (bottom - top), rel=1e-3
    )  # square pixels


def test_markers_are_where_the_places_are(drawn, project):
    placement, pixels = drawn
    col, row = expected_pixel(placement, project, *KHARKIV)
    assert patch(pixels, col, row).max() < 60  # Kharkiv: named in the article, filled black
    col, row = expected_pixel(placement, project, *BELGOROD)
    assert patch(pixels, col, row, 1).min() > 200  # Belgorod: context, hollow (white inside)
    assert pixels[int(round(row)), int(round(col)) - 10].max() < 90  # ... with a black ring


def test_counterfire_zone_colour_40_km_into_russia(drawn, project, built, region):
    sector = built["kharkiv_sector"].geometry
    mid, a, b = (sector.interpolate(f, normalized=True) for f in (0.5, 0.45, 0.55))
    along, _, _ = pyproj.Geod(ellps="WGS84").inv(a.x, a.y, b.x, b.y)
    candidates = [
        geodesic(kilometers=40).destination((mid.y, mid.x), along + turn) for turn in (90, -90)
    ]
    point = next(
        p for p in candidates if region.russia.contains(shapely.Point(p.longitude, p.latitude))
    )
    assert not region.ukraine.contains(shapely.Point(point.longitude, point.latitude))
    assert (
        30_000 < distance_to_line_m(point.latitude, point.longitude, line_points(sector)) < 80_000
    )
    placement, pixels = drawn
    got = patch(pixels, *expected_pixel(placement, project, point.latitude, point.longitude))
    land, zone = hex_rgb("#f4f1ea"), hex_rgb("#0072B2")  # the land fill, the zone at 30 % over it
    expected = 0.3 * zone + 0.7 * land
    assert np.abs(got - expected).max() < 12, (got, expected)
    hue = colorsys.rgb_to_hsv(*(got / 255))[0] * 360
    assert abs(hue - colorsys.rgb_to_hsv(*(zone / 255))[0] * 360) < 8


@pytest.mark.parametrize("scale", [1, 2])
def test_scale_bar_matches_its_label(drawn, built, project, scale):
    placement, pixels = drawn if scale == 1 else draw(built, scale)
    # Metres per pixel from the picture alone: two markers' centres, found in the pixels,
    # and their distance in this test's projection.
    centres = [
        marker_centre(pixels, *expected_pixel(placement, project, *p), radius=13 * scale)
        for p in (KHARKIV, BELGOROD)
    ]
    (xa, ya), (xb, yb) = (project(*p) for p in (KHARKIV, BELGOROD))
    mpp = np.hypot(xb - xa, yb - ya) / np.hypot(*np.subtract(centres[1], centres[0]))
    # The bars: long black horizontal runs in the bottom left of the map (the box around them
    # is grey).
    left, top, right, bottom = (int(v) for v in placement.box)
    region = pixels[bottom - (bottom - top) // 4 : bottom - 4, left + 4 : (left + right) // 2].max(
        axis=2
    )
    bars, run = [], []
    for r, line in enumerate(region):
        dark = np.flatnonzero(line < 60)
        pieces = np.split(dark, np.flatnonzero(np.diff(dark) > 1) + 1) if dark.size else []
        longest = max(pieces, key=len, default=[])
        if len(longest) > 40 * scale:
            run.append((r, longest[0], longest[-1]))
        elif run:
            bars.append(run)
            run = []
    assert len(bars) == 2
    lengths = []
    for rows in bars:
        r, start, end = rows[len(rows) // 2]  # the bar's middle row, edges counted by coverage
        lengths.append(((255 - region[r, start - 3 : end + 4]) / 255).sum())
    labels = [label for _, label in placement.scale_bars]
    metres = []
    for label in labels:
        number, unit = re.fullmatch(r"(\d+) (km|mi)", label).groups()
        assert int(number) in (1, 2, 5, 10, 20, 50, 100, 200, 500)
        metres.append(int(number) * (1000 if unit == "km" else MI))
    assert [u.split()[1] for u in labels] == ["km", "mi"]
    for measured_px, true_m in zip(lengths, metres):  # the km bar is drawn above the mi bar
        assert measured_px * mpp == pytest.approx(true_m, rel=0.02)


# --------------------------------------------------------------------------- options


def test_parse_size():
    assert (figure.parse_size("1920x1080").width, figure.parse_size("1920x1080").height) == (
        1920,
        1080,
    )
    assert figure.parse_size(" 16:9 ") == figure.Size(1920, 1080, 144.0)
    a4 = figure.parse_size("A4-portrait")
    assert (a4.width / a4.dpi * 25.4, a4.height / a4.dpi * 25.4) == pytest.approx(
        (210, 297), abs=0.5
    )
    assert figure.parse_size((1240, 1754)) == a4


def test_leaflet_styles_translate():
    got = style(
        {
            "color": "#D55E00",
            "weight": 2,
            "dashArray": "10 6",
            "fillColor": "#D55E00",
            "fillOpacity": 0.15,
        }
    )
    assert got["linestyle"] == (0, [7.5, 4.5]) and got["linewidth"] == 1.5
    assert got["facecolor"] == pytest.approx((0xD5 / 255, 0x5E / 255, 0, 0.15))
    assert style({"color": "#009E73", "weight": 3, "fill": False})["facecolor"] == "none"


@pytest.mark.parametrize(
    "call, value",
    [
        (lambda b: figure.parse_size("0x0"), "'0x0'"),
        (lambda b: figure.parse_size("100000x10"), "'100000x10'"),
        (lambda b: figure.parse_size("16:10"), "'16:10'"),
        (lambda b: figure.render(b, size="4000x320"), "'4000x320'"),
        (lambda b: figure.render(b, fmt="gif"), "'gif'"),
        (lambda b: figure.render(b, scale=3), "'3'"),
        (lambda b: figure.render(b, shown=["rivers"]), "'rivers'"),
        (lambda b: figure.render(b, frame="moon"), "'moon'"),
    ],
)
def test_bad_options_say_what_is_accepted(built, call, value):
    with pytest.raises(figure.FigureError) as err:
        call(built)
    message = str(err.value)
    assert isinstance(err.value, ValueError)
    assert value in message and "e.g." in message and message.endswith(".") and "\n" not in message
