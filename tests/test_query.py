"""What is here? Each answer checked against independent measurement: geopy geodesics to
the border and sector lines, and point-in-polygon tests against the country polygons."""

import math

import numpy as np
import pytest
import shapely
from geopy.distance import geodesic

from geo import i18n
from geo.engine import layers as registry
from geo.engine import places, query, zones
from tests.measure import distance_to_line_m

KHARKIV = (49.98177, 36.25475)  # GeoNames 706483, from FACTS.md
#: Points this close (metres) to a zone's edge are not used to judge the classification.
EDGE_M = 1_500
#: FACTS.md: ATACMS reach, to which the prohibited zone runs.
ATACMS_M = 300_000


def params(radius: str = "12mi", depth: str = "80km") -> zones.Params:
    return zones.Params(zones.parse_radius(radius), zones.parse_depth(depth))


def expected_area(region, border_points, sector_points, params, lat, lon):
    """The area, decided without the engine's buffers; None when too near an edge to say."""
    point = shapely.Point(lon, lat)
    if region.ukraine.covers(point):
        gap = distance_to_line_m(lat, lon, border_points)
        if abs(gap - params.radius.m) < EDGE_M:
            return None
        return "border_band" if gap <= params.radius.m else "ukraine"
    if region.russia.covers(point):
        gap = distance_to_line_m(lat, lon, sector_points)
        for edge in (params.depth.m, ATACMS_M):
            if abs(gap - edge) < EDGE_M:
                return None
        if gap <= params.depth.m:
            return "counterfire_zone"
        if gap <= ATACMS_M:
            return "deep_strike_zone"
        # Beyond 300 km of the sector: the sanctuary (within 300 km of the whole border), or not.
        gap = distance_to_line_m(lat, lon, border_points)
        if abs(gap - ATACMS_M) < EDGE_M:
            return None
        return "sanctuary" if gap <= ATACMS_M else "russia"
    # Near the coast or a country border the ~100 m data can go either way.
    near = min(shapely.distance(point, region.ukraine), shapely.distance(point, region.russia))
    return "elsewhere" if near > 0.02 else None


def test_kharkiv_centre(default, border_points):
    answer = query.what_is_here(default, *KHARKIV)
    assert answer.to_kharkiv.m == pytest.approx(0, abs=1)
    assert answer.to_border.m == pytest.approx(
        distance_to_line_m(*KHARKIV, border_points), rel=1e-3, abs=30
    )
    assert 33_000 < answer.to_border.m < 35_000  # FACTS.md: roughly 33–35 km
    assert answer.area == "ukraine"  # 34.6 km is more than 12 mi (19.3 km)
    assert answer.coordinates == "49.98177° N, 36.25475° E"


@pytest.mark.parametrize("params", [params(), params("40km", "150km")], ids=["default", "wide"])
def test_random_points_are_classified_as_independent_measurement_says(
    params, region, border_points, sector_points
):
    layers = registry.layers(params)
    rng = np.random.default_rng(7)
    # Points anywhere in the region, and points within about 50 km of the border (where the
    # band and the counterfire zone are).
    near = border_points[rng.choice(len(border_points), 30)] + rng.uniform(-0.6, 0.6, (30, 2))
    lats = np.concatenate([rng.uniform(48.0, 53.5, 30), near[:, 1]])
    lons = np.concatenate([rng.uniform(32.0, 41.5, 30), near[:, 0]])
    judged, seen = 0, set()
    for lat, lon in zip(lats, lons):
        expected = expected_area(region, border_points, sector_points, params, lat, lon)
        if expected is None:
            continue
        answer = query.what_is_here(layers, lat, lon)
        assert answer.area == expected, (lat, lon)
        assert answer.to_border.m == pytest.approx(
            distance_to_line_m(lat, lon, border_points), rel=2e-3, abs=30
        )
        assert answer.to_kharkiv.km == pytest.approx(geodesic((lat, lon), KHARKIV).km, rel=1e-9)
        judged += 1
        seen.add(expected)
    assert judged >= 50
    assert seen >= {
        "border_band",
        "ukraine",
        "counterfire_zone",
        "deep_strike_zone",
        "sanctuary",
        "russia",
    }


@pytest.mark.parametrize(
    "lat, lon, area, words",
    [
        (50.6, 36.6, "counterfire_zone", ["counterfire zone", "80 km"]),  # near Belgorod
        (51.7, 36.2, "deep_strike_zone", ["prohibited", "300 km"]),  # near Kursk
        (55.75, 37.62, "russia", ["Russia", "300 km"]),  # Moscow
        (50.45, 30.52, "ukraine", ["more than R = 12 mi"]),  # Kyiv
        (50.2, 36.9, "border_band", ["within R = 12 mi (19.31 km)"]),  # near Vovchansk
        (53.9, 27.56, "elsewhere", ["Belarus"]),  # Minsk
        (47.0, 28.86, "elsewhere", ["Moldova"]),  # Chișinău
        (43.5, 34.0, "elsewhere", ["sea"]),  # the Black Sea
    ],
)
def test_sentences_name_the_area_and_the_distances(default, lat, lon, area, words):
    answer = query.what_is_here(default, lat, lon)
    assert answer.area == area
    for word in words:
        assert word in answer.sentence
    assert answer.sentence.endswith(".")


def test_sentences_follow_r_and_d():
    layers = registry.layers(params("40km", "150km"))
    assert "D = 150 km" in query.what_is_here(layers, 50.6, 36.6).sentence
    assert "24.85 mi (40 km)" in query.what_is_here(layers, 50.2, 36.9).sentence


def test_a_map_panned_round_the_world_gives_the_same_answer(default):
    plain = query.what_is_here(default, 50.6, 36.6)
    wrapped = query.what_is_here(default, 50.6, 36.6 + 720)
    assert wrapped.lon == pytest.approx(36.6)
    assert (wrapped.area, wrapped.to_border.m) == pytest.approx((plain.area, plain.to_border.m))


def test_the_far_side_of_the_world_is_measured_too(default):
    answer = query.what_is_here(default, 38.89511, -77.03637)  # Washington, D.C.
    assert answer.area == "elsewhere"
    assert answer.to_kharkiv.km == pytest.approx(geodesic((38.89511, -77.03637), KHARKIV).km)
    assert answer.coordinates == "38.89511° N, 77.03637° W"


@pytest.mark.parametrize(
    "lat, lon", [(95, 30), (-91, 0), (math.nan, 30), (50, math.inf), ("north", 30), (None, 1)]
)
def test_coordinates_that_are_not_a_point_give_one_sentence(default, lat, lon):
    with pytest.raises(query.PointError) as err:
        query.what_is_here(default, lat, lon)
    message = str(err.value)
    assert message.endswith(".") and "e.g." in message


def test_place_markers(default, border_points):
    assert query.place_named("Nowhere") is None and query.place_named(None) is None
    kharkiv = query.about_place(default, query.place_named("Kharkiv"))
    assert kharkiv.place.quote and kharkiv.place.paragraph == 3
    assert kharkiv.answer.to_border.m == pytest.approx(
        distance_to_line_m(*KHARKIV, border_points), rel=1e-3, abs=30
    )
    belgorod = query.about_place(default, query.place_named("Belgorod"))
    assert not belgorod.place.named_in_article and belgorod.answer.area == "counterfire_zone"
    russia = query.about_place(default, query.place_named("Russia"))
    assert russia.place.kind == "country" and russia.answer is None


def test_every_place_marker_is_found_by_its_tooltip():
    for place in places.places():
        assert query.place_named(f" {place.name} ") == place


def test_area_names_for_headings():
    assert query.area_name("counterfire_zone") == "Counterfire zone (Russia)"
    assert query.area_name("border_band") == "Ukraine within R of the border"
    assert query.area_name("deep_strike_zone").startswith("Prohibited")
    assert query.area_name("ukraine") == "Ukraine, beyond R"
    assert query.area_name("russia").startswith("Russia")
    assert query.area_name("elsewhere") == "Elsewhere"


def test_an_answer_for_a_string_coordinate_is_read_as_numbers(default):
    answer = query.what_is_here(default, "50.6", "36.6")
    assert (answer.lat, answer.lon) == (50.6, 36.6) and answer.area == "counterfire_zone"


@pytest.mark.parametrize(
    "lon, wrapped",
    [(180.0, -180.0), (-180.0, -180.0), (190.0, -170.0), (-190.0, 170.0), (36.6, 36.6)],
)
def test_longitudes_wrap_into_the_half_open_range(lon, wrapped):
    assert query.normalise(10, lon) == (10.0, pytest.approx(wrapped))


@pytest.mark.parametrize(
    "lat, text", [(-33.5, "33.50000° S, 151.00000° E"), (0.0, "0.00000° N, 151.00000° E")]
)
def test_coordinates_name_the_hemisphere(lat, text):
    assert query.coordinates_text(lat, 151.0) == text
    assert query.coordinates_text(lat, -151.0) == text.replace("E", "W")


def test_a_point_on_the_prime_meridian_is_east():
    assert query.coordinates_text(0.0, 0.0) == "0.00000° N, 0.00000° E"
    assert query.coordinates_text(51.5, 0.5) == "51.50000° N, 0.50000° E"
    assert query.coordinates_text(51.5, -0.5) == "51.50000° N, 0.50000° W"


def test_each_hemisphere_in_ukrainian():
    # The four letters are translated in context (latitude, longitude): S and W too.
    with i18n.language("uk"):
        assert query.coordinates_text(-33.5, -151.0) == "33,50000° пд. ш., 151,00000° зх. д."
        assert query.coordinates_text(49.5, 36.25) == "49,50000° пн. ш., 36,25000° сх. д."


@pytest.mark.parametrize(
    "lat, lon, where",
    [
        (53.9, 27.56, "in Belarus"),  # Minsk
        (47.0, 28.86, "in Moldova"),  # Chișinău
        (43.5, 34.0, "the sea, another country, or beyond the map's data"),  # the Black Sea
    ],
)
def test_a_point_in_neither_country_says_where_it_is(default, lat, lon, where):
    answer = query.what_is_here(default, lat, lon)
    assert answer.sentence == f"Neither Ukraine nor Russia as this map draws them ({where})."


def test_the_answer_names_the_border_point_it_measured_to(default, border_points):
    lat, lon = 50.6, 36.6
    answer = query.what_is_here(default, lat, lon)
    blat, blon = answer.border_point
    assert distance_to_line_m(blat, blon, border_points) < 60  # on the border
    assert geodesic((lat, lon), (blat, blon)).m == pytest.approx(answer.to_border.m, rel=1e-6)


@pytest.mark.parametrize(
    "lat, lon, expected",
    [
        (-90, 0, (-90.0, 0.0)),
        (90, 0, (90.0, 0.0)),
        (10, -180.5, (10.0, 179.5)),
        (10, 179.999, (10.0, 179.999)),
    ],
)
def test_the_poles_are_points_and_longitudes_wrap(lat, lon, expected):
    assert query.normalise(lat, lon) == pytest.approx(expected)


@pytest.mark.parametrize("lat", [90.5, -90.5])
def test_just_beyond_a_pole_is_not_a_point(lat):
    with pytest.raises(query.PointError):
        query.normalise(lat, 0)
