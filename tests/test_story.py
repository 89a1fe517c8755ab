"""The classroom story: its figures against independent measurement, its views against Web
Mercator arithmetic done here, its quotes against the article."""

import math
import re

import pytest
import shapely
from geopy.distance import geodesic

from geo.data import borders as data
from geo.engine import facts, places, zones
from geo.engine import layers as registry
from geo.narrative import story
from pages.shared.viewstate import LAYER_KEYS
from tests import source_report
from tests.measure import distance_to_line_m, grid_area_m2, line_points

TITLES = (
    "Where Kharkiv is",
    "How far the border really is",
    "The 12-mile band",
    "The counterfire zone",
    "What stayed prohibited",
)
KHARKIV = (49.98177, 36.25475)


@pytest.fixture(scope="module")
def layers():
    return registry.layers(story.PARAMS)


@pytest.fixture(scope="module")
def steps(layers):
    return story.steps(layers, facts.figures(layers))


def told(built):
    return story.steps(built, facts.figures(built))


def pixel(lat, lon, zoom):
    """Web Mercator pixel of a point at a zoom, 256-pixel tiles (written out here, not shared)."""
    scale = 256 * 2**zoom
    x = (lon + 180) / 360 * scale
    y = (
        (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi)
        / 2
        * scale
    )
    return x, y


def on_screen(step, lat, lon, size=story.MAP_SIZE_PX):
    cx, cy = pixel(*step.centre, step.zoom)
    x, y = pixel(lat, lon, step.zoom)
    return abs(x - cx) <= size[0] / 2 and abs(y - cy) <= size[1] / 2


def numbers(text):
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def test_five_steps_in_the_order_of_the_issue(steps):
    assert [s.title for s in steps] == list(TITLES)
    assert [s.number for s in steps] == [1, 2, 3, 4, 5]


def test_the_story_is_told_for_the_defaults():
    assert zones.Params() == story.PARAMS
    assert story.PARAMS.radius.miles == pytest.approx(12)


def test_each_step_shows_places_and_border_and_only_known_layers(steps):
    for step in steps:
        assert step.layers <= set(LAYER_KEYS)
        assert {"places", "border"} <= step.layers
    assert "kharkiv_to_border" in steps[1].layers
    assert {"border_band", "kharkiv_ring"} <= steps[2].layers
    assert "counterfire_zone" in steps[3].layers and "deep_strike_zone" not in steps[3].layers
    assert {"counterfire_zone", "deep_strike_zone"} <= steps[4].layers


def test_paragraphs_are_short_and_quotes_shorter(steps):
    for step in steps:
        assert len(step.text.split()) <= 70
        if step.quote:
            assert len(step.quote.split()) <= 15 and step.quote_paragraph
    assert sum(1 for s in steps if s.quote) >= 3


def test_quotes_are_verbatim_from_the_paragraph_named():
    quoted = [step for step in told(registry.layers(story.PARAMS)) if step.quote]
    assert quoted
    for step in quoted:
        assert source_report.quoted_from(step.quote_paragraph, step.quote), step.number


def test_step_1_distances_are_geodesic(steps):
    kyiv = next(p for p in places.places() if p.name == "Kyiv")
    belgorod = next(p for p in places.places() if p.name == "Belgorod")
    assert round(geodesic(KHARKIV, (kyiv.lat, kyiv.lon)).km) in numbers(steps[0].text)
    assert round(geodesic(KHARKIV, (belgorod.lat, belgorod.lon)).km) in numbers(steps[0].text)


def test_step_2_states_the_measured_gap_beside_the_claim(steps):
    measured = distance_to_line_m(*KHARKIV, line_points(data.region().border)) / 1000
    found = numbers(steps[1].text)
    assert 12 in found
    assert round(measured, 1) in found
    assert round(measured / 1.609344, 1) in found


@pytest.mark.parametrize(
    "number, key", [(3, "border_band"), (4, "counterfire_zone"), (5, "deep_strike_zone")]
)
def test_steps_3_to_5_state_the_areas(steps, layers, number, key):
    measured = (
        grid_area_m2(layers.geometry(key), 0.01) / 1e6
    )  # counted on a grid, not by the engine
    assert any(n == pytest.approx(measured, rel=0.01) for n in numbers(steps[number - 1].text))


def test_step_3_says_whether_the_ring_reaches_the_border(steps, border_points):
    gap = distance_to_line_m(*KHARKIV, border_points)
    assert gap > story.PARAMS.radius.m  # FACTS.md: 33–35 km, more than 12 mi
    assert "does not reach the border" in steps[2].text and "outside the band" in steps[2].text
    wide = told(registry.layers(zones.Params(radius=zones.parse_radius("25mi"))))
    assert "crosses the border" in wide[2].text and "inside the band" in wide[2].text


def test_step_4_states_the_sector_length(steps, layers):
    from tests.measure import line_length_m

    assert round(line_length_m(layers.geometry("kharkiv_sector")) / 1000) in numbers(steps[3].text)


def test_views_show_what_each_step_is_about(steps, layers):
    for step in steps[:3]:
        assert on_screen(step, *KHARKIV), step.number
    kyiv = next(p for p in places.places() if p.name == "Kyiv")
    assert on_screen(steps[0], kyiv.lat, kyiv.lon)
    end = layers.geometry("kharkiv_to_border").coords[-1]
    assert on_screen(steps[1], end[1], end[0])
    for step, geom in (
        (steps[3], layers.geometry("counterfire_zone")),
        (steps[4], layers.geometry("deep_strike_zone")),
    ):
        west, south, east, north = geom.bounds
        for lat, lon in ((south, west), (north, east), (south, east), (north, west)):
            assert on_screen(step, lat, lon), step.number


def closest_zoom(bounds) -> int:
    """The largest zoom at which ``bounds`` fit the map less its margin, found here with the
    pixel arithmetic above."""
    west, south, east, north = bounds
    usable = [side * (1 - story.MARGIN) for side in story.MAP_SIZE_PX]

    def fits(zoom):
        (x0, y0), (x1, y1) = pixel(north, west, zoom), pixel(south, east, zoom)
        return x1 - x0 <= usable[0] and y1 - y0 <= usable[1]

    return max(z for z in range(0, 13) if fits(z))


def framed(built):
    return shapely.union(
        built.geometry("counterfire_zone"), built.geometry("kharkiv_sector")
    ).bounds


def test_views_use_the_closest_zoom_that_fits(steps, layers):
    """The framed shape fits the map less its margin; one zoom closer, it does not."""
    assert steps[3].zoom == closest_zoom(framed(layers))


def test_views_follow_the_layers_passed(steps):
    """A deeper zone is framed from further out: the view must change, not merely not shrink."""
    wide = registry.layers(zones.Params(depth=zones.parse_depth("200km")))
    step = told(wide)[3]
    assert (
        closest_zoom(framed(wide)) < steps[3].zoom
    )  # the arithmetic here says it cannot fit as close
    assert step.zoom == closest_zoom(framed(wide))
    assert step.zoom < steps[3].zoom
    west, south, east, north = framed(wide)
    assert on_screen(step, north, east) and on_screen(step, south, west)
    assert step.centre != steps[3].centre


@pytest.mark.parametrize(
    "asked, number, warns",
    [
        (None, 1, False),
        ("1", 1, False),
        ("5", 5, False),
        ("0", 1, True),
        ("6", 1, True),
        ("nine", 1, True),
        ("-2", 1, True),
        ("", 1, True),
        ("2.5", 1, True),
    ],
)
def test_step_from_query_falls_back_to_step_1_with_one_sentence(asked, number, warns):
    got, problem = story.step_from_query(asked, 5)
    assert got == number
    assert (problem is not None) == warns
    if warns:
        assert repr(asked) in problem and "from 1 to 5" in problem and "\n" not in problem
