import math

import pytest

from geo import zones
from geo.units import DistanceError


@pytest.mark.parametrize(
    "text, metres",
    [("12mi", 12 * 1609.344), ("19.3km", 19_300), ("5000m", 5_000), (" 20 KM ", 20_000), ("1e1mi", 16_093.44)],
)
def test_radius_accepts_values_with_a_unit(text, metres):
    assert math.isclose(zones.parse_radius(text).m, metres, rel_tol=1e-12)


def test_the_range_ends_are_accepted_in_either_unit():
    assert math.isclose(zones.parse_radius("100mi").km, 160.9344)
    assert math.isclose(zones.parse_radius("160.9344km").miles, 100)
    assert zones.parse_depth("300km").km == pytest.approx(300)
    assert zones.parse_depth("5km").km == pytest.approx(5)


@pytest.mark.parametrize(
    "text, why",
    [("12", "no unit"), ("-3mi", "out of range"), ("nan", "not a distance"), ("nanmi", "not a distance"),
     ("infkm", "not a distance"), ("0.5mi", "out of range"), ("101mi", "out of range"), ("12 furlongs", "unknown unit"),
     ("twelve miles", "not a distance"), ("", "not a distance"), ("12mi;rm -rf", "not a distance")],
)
def test_bad_radius_names_the_value_and_the_range(text, why):
    with pytest.raises(DistanceError) as err:
        zones.parse_radius(text)
    message = str(err.value)
    assert repr(text) in message and why in message
    assert "1 mi to 100 mi" in message and "e.g. 12mi" in message
    assert "\n" not in message


def test_depth_outside_5_to_300_km_is_refused():
    for text in ("4.9km", "301km", "0m"):
        with pytest.raises(DistanceError, match="5 km to 300 km"):
            zones.parse_depth(text)
