"""Every page under Streamlit's AppTest: it renders, its widgets change what it shows, a bad
link warns and falls back to the defaults, and a rerun that changes nothing geometric builds
nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import facts, mapview, query, story, zones

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("app.py", "pages/1_Facts.py", "pages/2_Classroom.py", "pages/3_Export.py", "pages/4_About.py")
TIMEOUT = 120  # a first run builds the zones; two slow cores can take a while
DEFAULT_QUERY = {"radius": "12mi", "depth": "80km", "layers": "all", "basemap": "osm"}
BAD_QUERY = {"radius": "abc", "depth": "900km", "layers": "places,roads", "basemap": "satellite"}


def open_page(page: str = "app.py", query: dict | None = None, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if page != "app.py":
        at.switch_page(page)
    return at.run()


def plain(markdown: str) -> str:
    """Markdown as read: links as their text, the bold markers and backslash escapes removed."""
    markdown = re.sub(r"\[([^\]]+)\]\((?:https?://[^)]+)\)", r"\1", markdown.replace("**", ""))
    return re.sub(r"\\(.)", r"\1", markdown)


def text(at: AppTest) -> str:
    """Everything the page says in words."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info", "error", "code"):
        parts.extend(plain(str(e.value)) for e in getattr(at, kind))
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    return "\n".join(parts)


def number(at: AppTest, label_start: str):
    return next(n for n in at.number_input if n.label.startswith(label_start))


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_links_to_all_pages(page):
    at = open_page(page)
    assert_clean(at)
    assert not at.warning
    assert [link.value for link in at.page_link] == ["Map", "Facts", "Classroom", "Export", "About"]
    for key, value in DEFAULT_QUERY.items():
        assert at.query_params[key] == [value] or at.query_params[key] == value


@pytest.mark.parametrize("page", PAGES)
def test_a_bad_link_gives_one_warning_and_the_defaults(page):
    at = open_page(page, BAD_QUERY)
    assert_clean(at)
    assert len(at.warning) == 1
    warning = plain(at.warning[0].value)
    for bad in ("'abc'", "'900km'", "'roads'", "'satellite'"):
        assert bad in warning
    assert "1 mi to 100 mi" in warning and "5 km to 300 km" in warning
    for key, value in DEFAULT_QUERY.items():  # the link now says what is shown
        assert at.query_params[key] in (value, [value])
    if page in ("app.py", "pages/1_Facts.py", "pages/3_Export.py"):
        assert number(at, "R,").value == pytest.approx(12)
        assert number(at, "D in km").value == pytest.approx(80)


def test_a_good_link_sets_the_controls():
    at = open_page("app.py", {"radius": "30km", "depth": "150km", "layers": "places,border", "basemap": "none"})
    assert_clean(at)
    assert not at.warning
    assert at.radio(key="w_unit").value == "km"
    assert number(at, "R,").value == pytest.approx(30)
    assert number(at, "D in km").value == pytest.approx(150)
    assert at.selectbox(key="w_preset").value == "GMLRS, extended range (150 km)"
    assert at.toggle(key="w_layer_places").value and not at.toggle(key="w_layer_counterfire_zone").value
    assert at.radio(key="w_basemap").value == "none"


@pytest.mark.parametrize("query", [{"radius": "100mi", "depth": "300km"}, {"radius": "1mi", "depth": "5km"}])
def test_the_extreme_values_render_on_every_page(query):
    at = open_page("app.py", query, state={"selection": ("point", 51.7, 36.2)})
    assert_clean(at)
    assert not at.warning
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert_clean(at)


def test_the_warning_goes_once_the_view_is_changed():
    at = open_page("app.py", {"radius": "abc"})
    assert len(at.warning) == 1
    number(at, "D in km").set_value(100).run()
    assert not at.warning


def test_a_link_cannot_smuggle_markdown_or_html():
    at = open_page("app.py", {"radius": "[click](http://example.com) <b>x</b> :red[y]"})
    assert_clean(at)
    raw = at.warning[0].value
    assert "](" not in raw.replace("\\]\\(", "") and "<b>" not in raw and ":red[" not in raw


# --------------------------------------------------------------------------- the map page


def answer_text(at: AppTest) -> str:
    return text(at).split("What is here?", 1)[1]


def test_a_click_on_the_map_gives_what_is_here():
    at = open_page("app.py", state={"selection": ("point", 50.6, 36.6)})
    assert_clean(at)
    expected = query.what_is_here(zones.layers(zones.Params()), 50.6, 36.6)
    said = answer_text(at)
    assert "Counterfire zone (Russia)" in said
    assert f"{expected.to_border.km:,.1f} km" in said and f"{expected.to_kharkiv.km:,.1f} km" in said
    assert "50.60000° N, 36.60000° E" in said


def test_a_click_on_a_marker_gives_its_quote_and_distances():
    at = open_page("app.py", state={"selection": ("place", "Kharkiv")})
    said = answer_text(at)
    assert "12 miles from the Russian border" in said and "paragraph 3" in said
    assert "To the border: 34.6 km (21.5 mi)" in said


def test_a_country_label_is_not_measured_from():
    said = answer_text(open_page("app.py", state={"selection": ("place", "Russia")}))
    assert "deep inside Russia" in said and "label point" in said and "To the border" not in said


def test_changing_the_depth_changes_the_answer_and_the_link():
    # About 100 km into Russia from the Kharkiv sector: beyond 80 km, within 150 km.
    point = (51.25, 37.0)
    at = open_page("app.py", state={"selection": ("point", *point)})
    assert "Prohibited deep-strike zone" in answer_text(at)
    at.selectbox(key="w_preset").set_value("GMLRS, extended range (150 km)").run()
    assert_clean(at)
    assert number(at, "D in km").value == pytest.approx(150)
    assert at.query_params["depth"] in ("150km", ["150km"])
    assert "Counterfire zone (Russia)" in answer_text(at)
    assert "D = 150 km" in answer_text(at)
    number(at, "D in km").set_value(95).run()
    assert at.selectbox(key="w_preset").value == "Another depth"
    assert at.query_params["depth"] in ("95km", ["95km"])


def test_changing_r_and_its_unit():
    at = open_page("app.py", state={"selection": ("point", 50.2, 36.9)})  # ~13 km from the border
    assert "Ukraine within R of the border" in answer_text(at)
    number(at, "R,").set_value(5).run()
    assert "Ukraine, beyond R" in answer_text(at)
    assert at.query_params["radius"] in ("5mi", ["5mi"])
    at.radio(key="w_unit").set_value("km").run()
    assert number(at, "R,").value == pytest.approx(5 * 1.609344)
    assert at.query_params["radius"] in ("8.04672km", ["8.04672km"])
    assert "Ukraine, beyond R" in answer_text(at)


def test_layers_basemap_and_reset_go_into_the_link():
    at = open_page("app.py")
    at.toggle(key="w_layer_places").set_value(False).run()
    at.radio(key="w_basemap").set_value("none").run()
    assert_clean(at)
    layers = at.query_params["layers"]
    layers = layers[0] if isinstance(layers, list) else layers
    assert "places" not in layers.split(",") and "counterfire_zone" in layers.split(",")
    assert at.query_params["basemap"] in ("none", ["none"])
    at.button(key="reset").click().run()
    assert at.toggle(key="w_layer_places").value
    for key, value in DEFAULT_QUERY.items():
        assert at.query_params[key] in (value, [value])


def test_a_rerun_that_changes_nothing_geometric_builds_nothing(monkeypatch):
    calls = {"build": 0, "display": 0, "facts": 0}

    def counting(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    st.cache_resource.clear()
    st.cache_data.clear()
    zones.layers.cache_clear()
    mapview._drawn_layers.cache_clear()
    mapview._place_figures.cache_clear()
    # The country outlines are the same for every parameter set: drawn once per process.
    mapview.country_outlines(mapview.COUNTRY_TOLERANCE_M)
    mapview.country_outlines(mapview.MINIMAP_TOLERANCE_M)
    monkeypatch.setattr(zones, "build", counting("build", zones.build))
    monkeypatch.setattr(mapview, "_display", counting("display", mapview._display))
    monkeypatch.setattr(mapview, "facts", counting("facts", mapview.facts))

    at = open_page("app.py")
    first = dict(calls)
    assert first == {"build": 1, "display": len(zones.Layers.NAMES), "facts": 1}
    at.toggle(key="w_layer_deep_strike_zone").set_value(False).run()  # what is shown
    at.radio(key="w_basemap").set_value("none").run()  # the basemap
    at.session_state["selection"] = ("point", 50.6, 36.6)  # a click
    at.run()
    at.switch_page("pages/3_Export.py").run()  # another page, same distances
    at.switch_page("app.py").run()
    assert_clean(at)
    assert calls["build"] == 1 and calls["facts"] == 1
    assert calls["display"] == first["display"]
    number(at, "D in km").set_value(150).run()  # new geometry: built once
    assert calls["build"] == 2


# --------------------------------------------------------------------------- the other pages


def facts_table(at: AppTest) -> dict[str, float]:
    frame = at.dataframe[1].value
    return {(row["Figure"], row["Unit"]): row["Value"] for _, row in frame.iterrows()}


def test_facts_put_the_claim_beside_the_measurement_and_follow_r_and_d():
    at = open_page("pages/1_Facts.py")
    assert_clean(at)
    figures = facts.facts(zones.layers(zones.Params()))
    said = text(at)
    assert "12 miles (19.3 km)" in said and f"{figures['kharkiv_to_border_km']:.1f} km" in said
    table = facts_table(at)
    assert table[("Ukraine within R of the border", "km²")] == pytest.approx(figures["border_band_area_km2"])
    before = table[("Counterfire zone (Russia within D of the sector)", "km²")]

    number(at, "R,").set_value(30).run()
    number(at, "D in km").set_value(150).run()
    wider = facts.facts(zones.layers(zones.Params(radius_m=30 * 1609.344, depth_m=150_000)))
    table = facts_table(at)
    assert table[("Ukraine within R of the border", "km²")] == pytest.approx(wider["border_band_area_km2"])
    assert table[("Counterfire zone (Russia within D of the sector)", "km²")] > before
    assert "R = 30 mi" in text(at) and "D = 150 km" in text(at)
    places = at.dataframe[2].value
    assert set(places["Place"]) >= {"Kharkiv", "Kyiv", "Belgorod"}
    assert at.download_button[0].label.startswith("Download every figure (CSV)")


def test_classroom_steps_forward_and_back():
    at = open_page("pages/2_Classroom.py")
    assert_clean(at)
    assert at.title[0].value == "Where Kharkiv is"
    assert at.button(key="previous").disabled
    for title in ("How far the border really is", "The 12-mile band", "The counterfire zone", "What stayed prohibited"):
        at.button(key="next").click().run()
        assert at.title[0].value == title
    assert at.button(key="next").disabled
    assert at.query_params["step"] in ("5", ["5"])
    at.button(key="previous").click().run()
    assert at.title[0].value == "The counterfire zone"
    assert f"{facts.facts(zones.layers(story.PARAMS))['counterfire_zone_area_km2']:,.0f} km²" in text(at)


def test_classroom_opens_at_the_step_in_the_link_and_warns_about_a_bad_one():
    at = open_page("pages/2_Classroom.py", {"step": "2"})
    assert at.title[0].value == "How far the border really is"
    assert "34.6 km (21.5 mi)" in text(at)
    at = open_page("pages/2_Classroom.py", {"step": "nine"})
    assert_clean(at)
    assert at.title[0].value == "Where Kharkiv is"
    assert len(at.warning) == 1 and "'nine'" in plain(at.warning[0].value)


def test_export_names_files_after_the_view():
    at = open_page("pages/3_Export.py")
    assert_clean(at)
    said = text(at)
    assert "kharkiv-map_R12mi_D80km_osm.html" in said and "kharkiv-layers_R12mi_D80km.geojson" in said
    assert [b.label.split(" (")[0] for b in at.download_button] == ["Download the map", "Download the layers"]
    number(at, "D in km").set_value(150).run()
    at.radio(key="w_basemap").set_value("none").run()
    said = text(at)
    assert "kharkiv-map_R12mi_D150km_none.html" in said and "kharkiv-layers_R12mi_D150km.geojson" in said
    assert "depth=150km" in said


def test_about_gives_sources_licences_projection_assumptions_and_limits():
    at = open_page("pages/4_About.py")
    assert_clean(at)
    said = text(at)
    for heading in ("What the map shows", "Sources and licences", "Projection and measurement",
                    "Geographic assumptions", "The counterfire zone", "Limits"):
        assert heading in said
    for must in ("© OpenStreetMap contributors", "ODbL) 1.0", "@geo-maps/countries-land-100m 0.6.0",
                 "GeoNames", "CC BY 4.0", "Leaflet", "BSD-2-Clause", "not an official map",
                 "50° N, 37° E", "80 km", "300 km", "34.6 km (21.5 mi)", "12 miles", "68/262"):
        assert must in said, must


def test_missing_map_scripts_give_one_sentence_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("KHARKIV_MAP_ASSETS", str(tmp_path / "empty"))
    at = open_page("app.py")
    assert not at.exception
    assert len(at.error) == 1
    assert "make setup" in plain(at.error[0].value)
