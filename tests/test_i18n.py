"""The interface's languages: the catalogues are complete, the language is chosen and checked,
and numbers, units and dates are written the language's way (checked against Babel's CLDR
data and typed-out expectations, not against the code's own formatting)."""

from __future__ import annotations

import datetime

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import i18n
from geo.core import units
from geo.core.units import Area, distance
from geo.i18n import catalogues
from pages.shared import viewstate


def test_every_string_of_the_code_has_a_ukrainian_translation():
    problems = catalogues.problems("uk")
    assert not problems, (
        "\n".join(problems[:40]) + f"\n({len(problems)} in all; `python -m geo.i18n update`)"
    )


def test_the_catalogue_check_notices_a_missing_translation(tmp_path, monkeypatch):
    """The completeness check above can fail: an empty translation is reported."""
    for _domain, path in i18n.catalogue_paths("uk").items():
        (tmp_path / path.name).write_text(
            path.read_text(encoding="utf-8").replace('msgstr "км"', 'msgstr ""'), encoding="utf-8"
        )
    monkeypatch.setattr(
        i18n, "catalogue_paths", lambda code: {d: tmp_path / f"{d}.po" for d in i18n.DOMAINS}
    )
    assert any("'km' has no uk translation" in p for p in catalogues.problems("uk"))


@pytest.mark.parametrize("text", ["uk", "UK", " uk ", "uk-UA", "uk_UA", "en", "en-GB"])
def test_language_codes_read(text):
    assert i18n.parse_language(text) == text.strip()[:2].lower()


@pytest.mark.parametrize("text", ["", "ru", "ukr", "Українська", "uk-", "uk;drop", "x" * 5000])
def test_other_language_codes_are_refused_in_one_sentence(text):
    with pytest.raises(i18n.LanguageError) as err:
        i18n.parse_language(text)
    message = str(err.value)
    assert message.count("\n") == 0 and "en (English)" in message and "uk (Українська)" in message
    assert len(message) < 200


def test_the_url_falls_back_to_english_with_a_warning():
    view, warnings = viewstate.from_query({"lang": "xx"})
    assert view.lang == "en"
    assert len(warnings) == 1 and "'xx'" in warnings[0] and "lang=en instead" in warnings[0]
    view, warnings = viewstate.from_query({"lang": "uk"})
    assert view.lang == "uk" and not warnings
    assert viewstate.from_query(viewstate.to_query(view))[0] == view


def test_the_language_is_restored_after_a_block():
    assert i18n.current() == "en"
    with i18n.language("uk"):
        assert i18n.current() == "uk"
    assert i18n.current() == "en"


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=0, max_value=1e7, allow_nan=False), st.integers(min_value=0, max_value=3)
)
def test_numbers_are_written_as_cldr_writes_them(value, digits):
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    for code in ("en", "uk"):
        with i18n.language(code):
            assert i18n.number(value, digits) == format_decimal(
                round(value, digits), format=pattern, locale=code
            )


def test_areas_and_lengths_in_ukrainian():
    """Typed out: a space (no-break) groups thousands, a comma marks decimals, Cyrillic units."""
    with i18n.language("uk"):
        assert units.area_text(Area(23_294.4e6)) == "23\u00a0294 км²"
        assert units.length_text(distance(34.563, "km")) == "34,6 км (21,5 милі)"
        assert units.setting_text(distance(12, "mi"), "mi") == "12 миль (19,31 км)"
        assert i18n.date_text(datetime.date(2024, 5, 30)) == "30 травня 2024"
        # The mile agrees with its number: 1 миля, 2–4 милі, 5+ миль, a fraction милі.
        written = [units.describe(distance(n, "mi"), "mi") for n in (1, 3, 5, 11, 21, 24, 0.5)]
        assert written == [
            "1 миля",
            "3 милі",
            "5 миль",
            "11 миль",
            "21 миля",
            "24 милі",
            "0,5 милі",
        ]
    assert units.area_text(Area(23_294.4e6)) == "23,294 km²"
    assert units.length_text(distance(34.563, "km")) == "34.6 km (21.5 mi)"
    assert i18n.date_text(datetime.date(2024, 5, 30)) == "30 May 2024"
