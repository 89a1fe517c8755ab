"""The app in Ukrainian under Streamlit's AppTest: with ``?lang=uk`` every page of the app's
own (Map, Facts, Your data, Export) says nothing in English of what the app's catalogue
translates, shows numbers the Ukrainian way, and shows the engine's layer titles, stage labels
and depth presets through the catalogue; the sidebar's selector switches the language and the
link follows it; a bad ``lang`` warns once and the page stays English.

The English strings looked for are read from the catalogue (``geo/i18n/locale/uk/LC_MESSAGES/app.po``):
every stretch of two or more words of a message whose translation differs, between its
``{placeholders}`` and Markdown marks. What a page says is every string of every element the
run sent (labels, help, options, placeholders, text), except the map's own frame."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import pytest
from google.protobuf.message import Message

from geo import i18n
from geo.engine import layers as registry
from geo.engine import stages, zones
from geo.i18n import catalogues
from pages.shared import viewstate
from tests import test_app
from tests.test_app import (
    ABOUT,
    EXPORT,
    FACTS,
    MAP,
    assert_clean,
    open_page,
    query_value,
    text,
)

#: The entry file's navigation as a served app has it (the fixture of tests/test_app.py).
navigation_pages = test_app.navigation_pages

YOUR_DATA = "pages/Your_data.py"
PAGES = (MAP, FACTS, YOUR_DATA, EXPORT)
#: A grouped thousand in Ukrainian: a no-break or narrow no-break space between the digits.
UK_THOUSANDS = re.compile(r"\b\d{1,3}[\u00a0\u202f]\d{3}\b")


def english_fragments() -> set[str]:
    """Stretches of the app's messages whose translation differs and does not contain them:
    of two or more words (looked for anywhere), or a message of one word (looked for as a whole
    string, such as a heading or a label)."""
    found = set()
    for ids, strings in catalogues.entries("uk", "app"):
        if set(ids) == set(strings):
            continue
        for english in ids:
            for piece in re.split(r"\{[^{}]*\}|\*\*|`[^`]*`", english):
                piece = piece.strip(" ,.:;()")
                if (
                    len(piece.split()) >= 2
                    and not any(piece in s for s in strings)
                    or piece == english
                    and piece.isalpha()
                ):
                    found.add(piece)
    return found


def strings_of(proto: Message):
    """Every string field of a message, nested ones too."""
    for _field, value in proto.ListFields():
        for item in (
            value
            if isinstance(value, Sequence) and not isinstance(value, (str, bytes))
            else (value,)
        ):
            if isinstance(item, str):
                yield item
            elif isinstance(item, Message):
                yield from strings_of(item)


#: What the engine writes inside the app's pages, in the engine's catalogues and checked by its
#: own tests: the map's frame, the text description of the map (under its expander), and tables.
ENGINE_BLOCKS = {"Text description of the map", "Текстовий опис мапи"}


def nodes(block, engine: bool):
    """The elements of a block, and of the blocks in it (without the engine's, unless ``engine``)."""
    for child in block.children.values():
        if getattr(child, "type", "") == "component_instance":
            continue
        yield child
        if getattr(child, "children", None) and (
            engine or getattr(child, "label", None) not in ENGINE_BLOCKS
        ):
            yield from nodes(child, engine)


def said(at, *, engine: bool = False) -> str:
    """Everything the run put on the page in words: text, labels, help, options and
    placeholders of every element, and the tables' column names and cells. Without the
    engine's text (``engine=False``), and with the article's quotes taken out (they stay in
    English, in quotation marks)."""
    parts = []
    for block in (at.sidebar, at.main):
        for node in nodes(block, engine):
            if getattr(node, "proto", None) is not None:
                parts.extend(strings_of(node.proto))
    if engine:
        for table in at.dataframe:
            parts.extend(str(column) for column in table.value.columns)
            parts.extend(str(cell) for cell in table.value.astype(str).to_numpy().ravel())
        return "\n".join(parts)
    return re.sub(r"«[^»]*»|“[^”]*”", "«…»", "\n".join(parts))


def english_left(words: str) -> list[str]:
    lines = set(words.splitlines())
    return sorted(f for f in english_fragments() if (f in words if " " in f else f in lines))


def test_the_catalogue_gives_english_to_look_for():
    """The list below is not empty, and a stretch from a sidebar label is in it (so the test
    would notice that label left in English)."""
    fragments = english_fragments()
    assert len(fragments) > 60
    assert {"Reset to defaults", "Stage of the policy", "Layers", "Basemap"} <= fragments


@pytest.mark.parametrize("page", PAGES)
def test_each_page_in_ukrainian_has_none_of_the_apps_english(page):
    at = open_page(page, {"lang": "uk"})
    assert_clean(at)
    assert not at.warning
    words = said(at)
    assert english_left(words) == []
    # and it does say things: the sidebar and the page's heading in Ukrainian
    assert "Скинути до типових" in words and "Етап політики" in words
    heading = at.main.markdown[0].value if page == MAP else at.title[0].value
    assert re.search(r"[А-ЯІЇЄҐа-яіїєґ]{4,}", heading)
    assert query_value(at, "lang") == "uk"


def test_the_same_pages_in_english_would_fail_the_check():
    """The check can fail: an English page is full of the strings looked for."""
    at = open_page(FACTS)
    assert len(english_left(said(at))) > 10


def test_facts_write_numbers_the_ukrainian_way():
    at = open_page(FACTS, {"lang": "uk"})
    assert_clean(at)
    words = said(at, engine=True)
    # Areas grouped with a (narrow) no-break space and the Cyrillic unit: "23 294 км²".
    assert re.search(UK_THOUSANDS.pattern + r" км²", words), words
    # A decimal comma in the measured distance and the permitted share.
    metrics = {m.label: m.value for m in at.metric}
    measured = metrics["Виміряно: від центру міста до найближчої точки кордону"]
    assert re.fullmatch(r"\d+,\d км \(\d+,\d милі\)", measured)
    assert re.fullmatch(
        r"\d+,\d%", metrics["Виміряно тут: частка зони досяжності, дозволена 30 травня 2024"]
    )
    assert "R = 12 миль (19,31 км)" in text(at)
    assert "щонайбільше на 16%" in metrics.values()


def test_export_writes_sizes_and_counts_the_ukrainian_way():
    at = open_page(EXPORT, {"lang": "uk"})
    labels = [b.label for b in at.download_button]
    assert re.fullmatch(r"Завантажити мапу \(HTML, \d+,\d МБ\)", labels[0]), labels
    assert "показано шарів: 9 з 9" in text(at)
    assert "kharkiv-map_R12mi_D80km_osm.html" in text(at)  # file names stay as they are


def test_a_bad_language_warns_once_naming_it_and_the_page_stays_english():
    at = open_page(FACTS, {"lang": "xx"})
    assert_clean(at)
    assert len(at.warning) == 1 and "'xx'" in at.warning[0].value
    assert at.title[0].value == "Facts: what the map measures"
    assert at.button(key="reset").label == "Reset to defaults"
    assert "lang" not in at.query_params


def test_the_selector_switches_the_language_and_the_link_follows():
    at = open_page(MAP)
    assert at.button(key="reset").label == "Reset to defaults" and "lang" not in at.query_params
    at.selectbox(key="w_lang").set_value("uk").run()
    assert_clean(at)
    assert at.button(key="reset").label == "Скинути до типових"
    assert "Що тут?" in [s.value for s in at.main.subheader] and query_value(at, "lang") == "uk"
    at.switch_page(FACTS).run()  # another page keeps it
    assert at.title[0].value == "Факти: що вимірює мапа" and query_value(at, "lang") == "uk"
    at.button(key="reset").click().run()  # a reset keeps the reader's language
    assert at.title[0].value == "Факти: що вимірює мапа" and query_value(at, "lang") == "uk"
    at.selectbox(key="w_lang").set_value("en").run()
    assert at.title[0].value == "Facts: what the map measures"
    assert "lang" not in at.query_params


def test_a_change_of_language_keeps_the_settings():
    at = open_page(MAP, {"radius": "30km", "depth": "150km"})
    at.selectbox(key="w_lang").set_value("uk").run()
    assert at.radio(key="w_unit").value == "km" and at.radio(key="w_unit").options == [
        "милі",
        "кілометри",
    ]
    assert next(n for n in at.number_input if n.key == "w_radius").value == pytest.approx(30)
    assert at.selectbox(key="w_preset").value == "GMLRS, extended range (150 km)"
    assert query_value(at, "depth") == "150km" and query_value(at, "radius") == "30km"


def test_the_engines_titles_labels_and_presets_are_shown_through_the_catalogue(monkeypatch):
    """A layer's title, a stage's label and a depth preset are the engine's (their catalogues
    belong to it): given a translation, the sidebar shows it."""
    translations = i18n.translations("uk")
    spec, stage, preset = registry.REGISTRY[1], stages.DEFAULT, next(iter(zones.DEPTH_PRESETS))
    with i18n.language("uk"):
        label = stage.label  # the engine may write it in the language itself (a date)
    given, own = {spec.title: "ШАР", label: "ЕТАП", preset: "ГЛИБИНА"}, translations.gettext
    monkeypatch.setattr(translations, "gettext", lambda message: given.get(message) or own(message))
    at = open_page(MAP, {"lang": "uk"})
    assert at.toggle(key=f"w_layer_{spec.key}").label == "ШАР"
    assert at.select_slider(key="w_stage").options[list(stages.BY_ID).index(stage.id)] == "ЕТАП"
    assert at.selectbox(key="w_preset").options[0] == "ГЛИБИНА"
    assert at.main.caption[0].value.startswith("**ЕТАП:")


def test_the_urls_warnings_are_written_in_the_pages_language(monkeypatch):
    """The link is read before its language is known; its warnings are written again in it."""
    read = viewstate.from_query

    def tagged(query):
        state, warnings = read(query)
        return state, [f"[{i18n.current()}] {w}" for w in warnings]

    monkeypatch.setattr(viewstate, "from_query", tagged)
    at = open_page(FACTS, {"lang": "uk", "radius": "abc"})
    assert len(at.warning) == 1 and at.warning[0].value.startswith("- \\[uk\\]")


def test_the_page_declares_its_language():
    for code in ("uk", "en"):
        at = open_page(FACTS, {"lang": code} if code != "en" else {})
        scripts = [h.proto.body for h in at.get("html") if "documentElement.lang" in h.proto.body]
        assert scripts == [f'<script>document.documentElement.lang = "{code}";</script>']


def test_a_download_made_on_click_is_made_in_the_pages_language():
    from pages.shared import ui

    with i18n.language("uk"):
        make = ui.deferred(i18n.current)
    assert i18n.current() == "en" and make() == "uk"


def test_a_change_of_language_redraws_the_whole_map_in_it():
    """The map's base and its overlay are both made per language: a new language gives a new
    base (so streamlit-folium draws the map afresh) and an overlay written in it."""
    at = open_page(MAP)
    english = test_app.map_component(at)
    assert "Counterfire zone: Russia within D = 80 km" in english["feature_group"]
    at.selectbox(key="w_lang").set_value("uk").run()
    assert_clean(at)
    ukrainian = test_app.map_component(at)
    assert ukrainian["script"] != english["script"]
    assert json.dumps("Зона вогню у відповідь: Росія в межах D")[1:-1] in ukrainian["feature_group"]
    assert (
        "Counterfire zone" not in ukrainian["feature_group"]
        and "Counterfire zone" not in ukrainian["script"]
    )


def test_facts_and_about_show_the_spread_between_sources_in_ukrainian():
    at = open_page(FACTS, {"lang": "uk"})
    assert_clean(at)
    spread = next(t.value for t in at.dataframe if "Natural Earth 1:10m" in t.value.columns)
    assert "Natural Earth 1:10m порівняно з OpenStreetMap" in spread.columns
    assert spread.iloc[0]["Natural Earth 1:10m порівняно з OpenStreetMap"] == "−22,1%"
    assert "Два джерела кордонів поруч" in said(at)
    about = open_page(ABOUT, {"lang": "uk"})
    words = said(about)
    assert "Два джерела кордонів і чому їхні цифри різняться" in words
    assert "Довжини залежать від масштабу мапи" in words and "22,1%" in words
