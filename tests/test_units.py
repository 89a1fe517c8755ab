import math

import pytest

from geo.core.units import DistanceError
from geo.engine import zones


@pytest.mark.parametrize(
    "text, metres",
    [
        ("12mi", 12 * 1609.344),
        ("19.3km", 19_300),
        ("5000m", 5_000),
        (" 20 KM ", 20_000),
        ("1e1mi", 16_093.44),
    ],
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
    [
        ("12", "no unit"),
        ("-3mi", "out of range"),
        ("nan", "not a distance"),
        ("nanmi", "not a distance"),
        ("infkm", "not a distance"),
        ("0.5mi", "out of range"),
        ("101mi", "out of range"),
        ("12 furlongs", "unknown unit"),
        ("twelve miles", "not a distance"),
        ("", "not a distance"),
        ("12mi;rm -rf", "not a distance"),
    ],
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


# --------------------------------------------------------------------------- the unit values

from geopy.distance import Distance  # noqa: E402

from geo.core import units  # noqa: E402

MILE_M = 1609.344  # the international mile, by definition


def test_distance_makes_a_geopy_distance_in_each_unit():
    assert units.distance(12, "mi").m == pytest.approx(12 * MILE_M)
    assert units.distance(19.3, "km").m == pytest.approx(19_300)
    assert units.distance(500, "m").m == pytest.approx(500)
    with pytest.raises(KeyError):
        units.distance(1, "ft")


def test_in_unit_and_describe():
    d = Distance(meters=12 * MILE_M)
    assert (units.in_unit(d, "m"), units.in_unit(d, "km"), units.in_unit(d, "mi")) == pytest.approx(
        (12 * MILE_M, 12 * MILE_M / 1000, 12)
    )
    assert units.describe(d, "mi") == "12 mi"
    assert units.describe(d, "km") == "19.31 km"
    assert units.describe(Distance(kilometers=1234.4), "km") == "1234 km"
    assert units.describe(Distance(meters=500), "m") == "500 m"


def test_length_text_writes_both_units():
    d = Distance(kilometers=34.56)
    assert units.length_text(d) == f"34.6 km ({34.56 / 1.609344:.1f} mi)"
    assert units.length_text(d, "mi") == f"{34.56 / 1.609344:.1f} mi (34.6 km)"
    assert (
        units.length_text(Distance(kilometers=1956.76), digits=0)
        == f"1,957 km ({1956.76 / 1.609344:,.0f} mi)"
    )
    assert (
        units.length_text(Distance(kilometers=1234.56))
        == f"1,234.6 km ({1234.56 / 1.609344:,.1f} mi)"
    )


def test_setting_text_drops_trailing_zeros():
    assert units.setting_text(Distance(miles=12), "mi") == "12 mi (19.31 km)"
    assert units.setting_text(Distance(kilometers=80)) == "80 km (49.71 mi)"
    assert units.setting_text(Distance(kilometers=30), "km") == f"30 km ({30 / 1.609344:.4g} mi)"


def test_areas_add_compare_and_read_in_km2():
    a, b = units.Area(2e9), units.Area(5e8)
    assert (a + b).m2 == 2.5e9 and (a - b).m2 == 1.5e9
    assert a.km2 == 2000 and b < a and units.Area(1.0) == units.Area(1.0)
    assert units.area_text(units.Area(23_294_472_117.6)) == "23,294 km²"
    assert (
        units.area_text(units.Area(499_999)) == "0 km²"
        and units.area_text(units.Area(500_001)) == "1 km²"
    )


def test_echo_cuts_long_values():
    assert units.echo("12mi") == "'12mi'"
    assert units.echo(12) == "'12'"
    sixty = "x" * 60
    assert units.echo(sixty) == repr(sixty)
    cut = units.echo("y" * 61)
    assert cut == repr("y" * 60 + "…")
    assert len(units.echo("z" * 5000)) == 63


@pytest.mark.parametrize(
    "text, unit",
    [
        ("12 MI", "mi"),
        ("19.3km", "km"),
        ("500m", "m"),
        ("12", ""),
        ("abc", ""),
        ("１２ｍｉ", "mi"),
        ("", ""),
    ],
)
def test_unit_of(text, unit):
    assert units.unit_of(text) == unit


@pytest.mark.parametrize(
    "text, miles",
    [
        ("١٢mi", 12),
        ("１２ｍｉ", 12),
        ("१२ mi", 12),
        ("12.5mi", 12.5),
        (".5e2mi", 50),
        ("+3mi", 3),
        ("3.mi", 3),
    ],
)
def test_digits_of_other_scripts_read_as_the_digits_they_are(text, miles):
    assert zones.parse_radius(text).miles == pytest.approx(miles)


@pytest.mark.parametrize("text", ["²mi", "½mi", "1²mi", "Ⅻmi", "٫5mi"])
def test_characters_that_are_digits_only_in_name_are_refused(text):
    with pytest.raises(DistanceError, match="not a distance"):
        zones.parse_radius(text)


def test_a_distance_error_is_a_value_error_with_one_sentence():
    with pytest.raises(ValueError) as err:
        units.parse_distance(
            "3parsec",
            what="depth",
            low=units.distance(5, "km"),
            high=units.distance(300, "km"),
            example="80km",
        )
    message = str(err.value)
    assert message == (
        "depth '3parsec' has an unknown unit 'parsec': depth takes a distance with a unit "
        "(m, km or mi) from 5 km to 300 km (3.107 mi to 186.4 mi), e.g. 80km."
    )


def test_the_tolerance_at_the_ends_of_a_range_is_a_hair():
    low, high = units.distance(5, "km"), units.distance(300, "km")
    read = dict(what="depth", low=low, high=high, example="80km")
    assert units.parse_distance("300.0002km", **read).km == pytest.approx(300.0002)  # within 1e-6
    with pytest.raises(DistanceError):
        units.parse_distance("300.001km", **read)
    assert units.parse_distance("4.99999999999km", **read).km == pytest.approx(5)  # within 1e-9
    with pytest.raises(DistanceError):
        units.parse_distance("4.9999km", **read)


def test_an_overflowing_number_is_not_finite():
    with pytest.raises(DistanceError) as err:
        zones.parse_radius("1e999mi")
    assert str(err.value).startswith("radius '1e999mi' is not a finite number: radius takes")


def test_messages_name_the_parameter_and_its_example():
    with pytest.raises(DistanceError) as err:
        zones.parse_radius("12")
    assert str(err.value).startswith("radius '12' has no unit: radius takes a distance")
    with pytest.raises(DistanceError) as err:
        zones.parse_depth("80")
    message = str(err.value)
    assert message.startswith(
        "depth '80' has no unit: depth takes a distance"
    ) and message.endswith("e.g. 80km.")
