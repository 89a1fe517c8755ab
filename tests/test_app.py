"""The app under Streamlit's AppTest: the entry file with ``st.navigation``, every page opened
through it. Each page renders with the controls, its widgets change what it shows, a bad link
warns and falls back to the defaults, the figures it shows agree with independent measurement,
and the cache holds: a rerun that changes nothing geometric builds nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import shapely
import streamlit as st
from geopy.distance import geodesic
from streamlit.testing.v1 import AppTest

from geo.core import geodesy
from geo.core.units import distance
from geo.data import display
from geo.engine import layers as registry
from geo.engine.zones import Params
from geo.render.web import mapview
from tests.measure import distance_to_line_m, grid_area_m2

ROOT = Path(__file__).resolve().parent.parent
MAP, FACTS, CLASSROOM, EXPORT, ABOUT = (
    f"pages/{name}.py" for name in ("map", "Facts", "Classroom", "Export", "About")
)
PAGES = (MAP, FACTS, CLASSROOM, EXPORT, ABOUT)
#: Pages whose distances and layer switches apply (the others draw them disabled).
USES_DISTANCES = {MAP, FACTS, EXPORT}
USES_LAYERS = {MAP, EXPORT}
TITLES = {
    MAP: None,
    FACTS: "Facts: what the map measures",
    CLASSROOM: "Where Kharkiv is",
    EXPORT: "Export the map",
    ABOUT: "About this map",
}
TIMEOUT = 120  # a first run builds the zones; two slow cores can take a while
DEFAULT_QUERY = {
    "radius": "12mi",
    "depth": "80km",
    "layers": "all",
    "basemap": "osm",
    "stage": "2024-05-30",
}
BAD_QUERY = {"radius": "abc", "depth": "900km", "layers": "places,roads", "basemap": "satellite"}
KHARKIV = (49.98177, 36.25475)  # GeoNames 706483, from FACTS.md
MILE_KM = 1.609344


@pytest.fixture(autouse=True)
def navigation_pages(monkeypatch):
    """Run the entry file as a served app does once it has called ``st.navigation``.

    Streamlit takes a ``pages/`` folder beside the entry file for the old folder-based
    navigation until ``st.navigation`` is first called, which turns that off for the process
    (``PagesManager.uses_pages_directory = False``). AppTest sets the flag back to "unknown"
    before every run, so from the second run on it would run a page's script without the
    entry file's frame. Keep the flag where ``st.navigation`` leaves it."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def open_page(page: str = MAP, query: dict | None = None, state: dict | None = None) -> AppTest:
    """The app as a browser opens it: the entry file, then (for another page) a switch to it,
    as a click in Streamlit's navigation does."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()  # the entry file opens the default page (a switch before a first run skips the frame)
    if page != MAP:
        at.switch_page(page).run()
    return at


def plain(markdown: str) -> str:
    """Markdown as read: links as their text, the bold markers and backslash escapes removed."""
    markdown = re.sub(r"\[([^\]]+)\]\((?:https?://[^)]+)\)", r"\1", markdown.replace("**", ""))
    return re.sub(r"\\(.)", r"\1", markdown)


def text(at: AppTest) -> str:
    """Everything the page says in words."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "warning",
        "info",
        "error",
        "code",
    ):
        parts.extend(plain(str(e.value)) for e in getattr(at, kind))
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    return "\n".join(parts)


def number(at: AppTest, label_start: str):
    return next(n for n in at.number_input if n.label.startswith(label_start))


def query_value(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[-1] if isinstance(value, list) else value


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def km_and_miles(said: str, what: str) -> tuple[float, float]:
    """The two figures of ``<what> X km (Y mi)`` in what a page says."""
    found = re.search(re.escape(what) + r"\s*([\d,]+\.\d) km \(([\d,]+\.\d) mi\)", said)
    assert found, (what, said)
    return tuple(float(n.replace(",", "")) for n in found.groups())


def assert_distance(said: str, what: str, metres: float) -> None:
    """The page writes ``metres`` (measured here) to one decimal in km and in miles."""
    km, mi = km_and_miles(said, what)
    assert km == pytest.approx(metres / 1000, abs=0.06)
    assert mi == pytest.approx(metres / 1000 / MILE_KM, abs=0.06)


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_through_the_navigation_with_the_controls(page):
    at = open_page(page)
    assert_clean(at)
    assert not at.warning
    if TITLES[page]:
        assert at.title[0].value == TITLES[page]
    else:
        assert "What is here?" in text(at)
    # The frame draws every control on every page, disabled where the page does not use it.
    assert number(at, "R,").disabled == (page not in USES_DISTANCES)
    assert number(at, "D in km").disabled == (page not in USES_DISTANCES)
    assert at.selectbox(key="w_preset").disabled == (page not in USES_DISTANCES)
    for key in registry.KEYS:
        assert at.toggle(key=f"w_layer_{key}").disabled == (page not in USES_LAYERS), key
    assert at.radio(key="w_basemap").disabled == (page not in USES_LAYERS)
    assert at.radio(key="w_unit") is not None and at.button(key="reset") is not None
    for key, value in DEFAULT_QUERY.items():
        assert query_value(at, key) == value
    assert not at.page_link  # the navigation is Streamlit's own, not links drawn by hand


def test_one_session_visits_every_page_and_keeps_its_settings():
    at = open_page(MAP)
    number(at, "D in km").set_value(150).run()
    for page in (FACTS, CLASSROOM, EXPORT, ABOUT, MAP):
        at.switch_page(page).run()
        assert_clean(at)
        assert number(at, "D in km").value == pytest.approx(150), page
        assert query_value(at, "depth") == "150km", page


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
        assert query_value(at, key) == value
    assert number(at, "R,").value == pytest.approx(12)
    assert number(at, "D in km").value == pytest.approx(80)


def test_a_good_link_sets_the_controls():
    at = open_page(
        MAP, {"radius": "30km", "depth": "150km", "layers": "places,border", "basemap": "none"}
    )
    assert_clean(at)
    assert not at.warning
    assert at.radio(key="w_unit").value == "km"
    assert number(at, "R,").value == pytest.approx(30)
    assert number(at, "D in km").value == pytest.approx(150)
    assert at.selectbox(key="w_preset").value == "GMLRS, extended range (150 km)"
    assert (
        at.toggle(key="w_layer_places").value
        and not at.toggle(key="w_layer_counterfire_zone").value
    )
    assert at.radio(key="w_basemap").value == "none"


@pytest.mark.parametrize(
    "query", [{"radius": "100mi", "depth": "300km"}, {"radius": "1mi", "depth": "5km"}]
)
def test_the_extreme_values_render_on_every_page(query):
    at = open_page(MAP, query, state={"selection": ("point", 51.7, 36.2)})
    assert_clean(at)
    assert not at.warning
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert_clean(at)


def test_the_warning_goes_once_the_view_is_changed():
    at = open_page(MAP, {"radius": "abc"})
    assert len(at.warning) == 1
    number(at, "D in km").set_value(100).run()
    assert not at.warning


def test_a_link_cannot_smuggle_markdown_or_html():
    at = open_page(MAP, {"radius": "[click](http://example.com) <b>x</b> :red[y]"})
    assert_clean(at)
    raw = at.warning[0].value
    assert "](" not in raw.replace("\\]\\(", "") and "<b>" not in raw and ":red[" not in raw


# --------------------------------------------------------------------------- the map page


def answer_text(at: AppTest) -> str:
    return text(at).split("What is here?", 1)[1]


def test_a_click_on_the_map_gives_what_is_here(region, border_points, sector_points):
    lat, lon = 50.6, 36.6
    # Independently: in Russia, within 80 km of the Kharkiv sector.
    assert region.russia.covers(shapely.Point(lon, lat))
    assert distance_to_line_m(lat, lon, sector_points) < 80_000
    at = open_page(MAP, state={"selection": ("point", lat, lon)})
    assert_clean(at)
    said = answer_text(at)
    assert "Counterfire zone (Russia)" in said
    assert_distance(said, "To the border:", distance_to_line_m(lat, lon, border_points))
    assert_distance(said, "To Kharkiv's centre:", geodesic((lat, lon), KHARKIV).m)
    assert "50.60000° N, 36.60000° E" in said


def test_a_click_on_a_marker_gives_its_quote_and_distances(border_points):
    at = open_page(MAP, state={"selection": ("place", "Kharkiv")})
    said = answer_text(at)
    assert "12 miles from the Russian border" in said and "paragraph 3" in said
    assert_distance(said, "To the border:", distance_to_line_m(*KHARKIV, border_points))
    gap_km, _ = km_and_miles(said, "To the border:")
    assert 33 < gap_km < 35.5  # FACTS.md: roughly 33–35 km, not 12 miles


def test_a_country_label_is_not_measured_from():
    said = answer_text(open_page(MAP, state={"selection": ("place", "Russia")}))
    assert "deep inside Russia" in said and "label point" in said and "To the border" not in said


def test_changing_the_depth_changes_the_answer_and_the_link(sector_points):
    point = (51.25, 37.0)
    # Independently: beyond 80 km of the sector, within 150 km.
    assert 80_000 < distance_to_line_m(*point, sector_points) < 150_000
    at = open_page(MAP, state={"selection": ("point", *point)})
    assert "Prohibited deep-strike zone" in answer_text(at)
    at.selectbox(key="w_preset").set_value("GMLRS, extended range (150 km)").run()
    assert_clean(at)
    assert number(at, "D in km").value == pytest.approx(150)
    assert query_value(at, "depth") == "150km"
    assert "Counterfire zone (Russia)" in answer_text(at)
    assert "D = 150 km" in answer_text(at)
    number(at, "D in km").set_value(95).run()
    assert at.selectbox(key="w_preset").value == "Another depth"
    assert query_value(at, "depth") == "95km"


def test_changing_r_and_its_unit(border_points):
    point = (50.2, 36.9)
    gap = distance_to_line_m(*point, border_points)
    assert 5 * MILE_KM * 1000 < gap < 12 * MILE_KM * 1000  # measured here: between 5 and 12 miles
    at = open_page(MAP, state={"selection": ("point", *point)})
    assert "Ukraine within R of the border" in answer_text(at)
    number(at, "R,").set_value(5).run()
    assert "Ukraine, beyond R" in answer_text(at)
    assert query_value(at, "radius") == "5mi"
    at.radio(key="w_unit").set_value("km").run()
    assert number(at, "R,").value == pytest.approx(5 * MILE_KM)
    assert query_value(at, "radius") == f"{5 * MILE_KM:.8g}km"
    assert "Ukraine, beyond R" in answer_text(at)


def test_changing_the_stage_changes_the_answer(border_points, sector_points):
    point = (51.19, 35.27)  # near Sudzha, Kursk Oblast: by the border, far from the Kharkiv sector
    assert distance_to_line_m(*point, border_points) < 30_000
    assert 80_000 < distance_to_line_m(*point, sector_points) < 300_000
    at = open_page(MAP, state={"selection": ("point", *point)})
    assert "Prohibited deep-strike zone" in answer_text(at)
    at.select_slider(key="w_stage").set_value(
        "2024-06-20"
    ).run()  # FACTS.md: "anywhere" along the border
    assert_clean(at)
    assert query_value(at, "stage") == "2024-06-20"
    assert "Counterfire zone (Russia)" in answer_text(at)


def test_layers_basemap_and_reset_go_into_the_link():
    at = open_page(MAP)
    at.toggle(key="w_layer_places").set_value(False).run()
    at.radio(key="w_basemap").set_value("none").run()
    assert_clean(at)
    shown = query_value(at, "layers").split(",")
    assert "places" not in shown and "counterfire_zone" in shown
    assert query_value(at, "basemap") == "none"
    at.button(key="reset").click().run()
    assert at.toggle(key="w_layer_places").value
    for key, value in DEFAULT_QUERY.items():
        assert query_value(at, key) == value


# --------------------------------------------------------------------------- the cache


class Calls:
    """Counts calls to engine functions, by the module attribute each is looked up through
    at call time, and what was projected or measured while the map was being drawn."""

    def __init__(self, monkeypatch):
        self.count = {
            "build": 0,
            "draw": 0,
            "overlay": 0,
            "project_in_draw": 0,
            "measure_outside_build": 0,
        }
        self.building = self.drawing = False
        build, draw, overlay = registry.build, mapview.build_map, mapview.overlay
        monkeypatch.setattr(registry, "build", self.around(build, "build", "building"))
        monkeypatch.setattr(mapview, "build_map", self.around(draw, "draw", "drawing"))
        monkeypatch.setattr(mapview, "overlay", self.around(overlay, "overlay", "drawing"))
        for name in ("to_metres", "to_degrees"):
            monkeypatch.setattr(
                geodesy,
                name,
                self.watch(getattr(geodesy, name), "project_in_draw", lambda: self.drawing),
            )
        for name in ("length_m", "area_m2"):
            monkeypatch.setattr(
                geodesy,
                name,
                self.watch(
                    getattr(geodesy, name), "measure_outside_build", lambda: not self.building
                ),
            )

    def around(self, function, name, flag):
        def wrapper(*args, **kwargs):
            self.count[name] += 1
            setattr(self, flag, True)
            try:
                return function(*args, **kwargs)
            finally:
                setattr(self, flag, False)

        return wrapper

    def watch(self, function, name, when):
        def wrapper(*args, **kwargs):
            if when():
                self.count[name] += 1
            return function(*args, **kwargs)

        return wrapper

    def since(self, before: dict) -> dict:
        return {k: v - before[k] for k, v in self.count.items()}


@pytest.fixture
def calls(monkeypatch):
    st.cache_resource.clear()
    st.cache_data.clear()
    registry.forget()  # layers built before the counting started would hide its calls
    # The country outlines are the same for every parameter set: drawn once per process.
    display.country_outlines(display.COUNTRY_TOLERANCE_M)
    display.country_outlines(display.MINIMAP_TOLERANCE_M)
    yield Calls(monkeypatch)
    st.cache_resource.clear()  # no layers built with the counting wrappers outlive the test


def map_component(at: AppTest) -> dict:
    """The arguments the map page gives streamlit-folium's component."""
    found = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    assert len(found) == 1
    return json.loads(found[0].proto.json_args)


def test_a_new_depth_is_built_once_and_drawn_once_without_reprojecting(calls):
    """The map is a base (``mapview.build_map``), the same for every R, D and stage, and an
    overlay of what they draw (``mapview.overlay``): the first visit makes each once; a new D
    builds its layers and its overlay once, and the base not at all, so the browser keeps the
    map (the component's script, by which streamlit-folium keys its frame, is the same)."""
    at = open_page(MAP)
    assert_clean(at)
    assert calls.count["build"] == 1 and calls.count["draw"] == 1 and calls.count["overlay"] == 1
    first = map_component(at)
    before = dict(calls.count)
    number(at, "D in km").set_value(150).run()
    assert_clean(at)
    assert calls.since(before) == {
        "build": 1,
        "draw": 0,
        "overlay": 1,
        "project_in_draw": 0,
        "measure_outside_build": 0,
    }
    second = map_component(at)
    assert second["script"] == first["script"] and second["html"] == first["html"]
    assert second["feature_group"] != first["feature_group"]
    assert "D = 150 km" in second["feature_group"] and "D = 80 km" in first["feature_group"]
    assert "D = " not in first["script"]  # the base says nothing of D: the overlay writes it
    before = dict(calls.count)
    number(at, "R,").set_value(20).run()  # R: the same
    assert calls.since(before) == {
        "build": 1,
        "draw": 0,
        "overlay": 1,
        "project_in_draw": 0,
        "measure_outside_build": 0,
    }
    assert map_component(at)["script"] == first["script"]


def test_a_rerun_that_changes_nothing_geometric_builds_nothing(calls):
    at = open_page(MAP)
    assert calls.count["build"] == 1
    at.toggle(key="w_layer_deep_strike_zone").set_value(False).run()  # what is shown
    at.radio(key="w_basemap").set_value("none").run()  # the basemap
    at.session_state["selection"] = ("point", 50.6, 36.6)  # a click
    at.run()
    # The base once per basemap and set of fixed layers; the overlay once per set of zones shown.
    assert calls.count["draw"] == 2 and calls.count["overlay"] == 2
    for page in (EXPORT, ABOUT, FACTS, MAP):  # other pages, same distances
        at.switch_page(page).run()
        assert_clean(at)
    assert calls.count["build"] == 1
    assert calls.count["project_in_draw"] == 0
    number(at, "D in km").set_value(150).run()  # new geometry: built once
    assert calls.count["build"] == 2
    number(at, "D in km").set_value(80).run()  # back to a view already built: from the cache
    assert calls.count["build"] == 2


def test_the_counting_sees_the_calls_the_app_makes(calls):
    """The counters are wired to the attributes the app looks up: the Facts page measures
    through them. The map page measures nothing (figures are measured on first use), and
    drawing projects nothing even with a cold cache of country outlines (they come simplified
    from data/display.geojson)."""
    display.country_outlines.cache_clear()
    at = open_page(MAP)
    assert calls.count["project_in_draw"] == 0
    assert calls.count["measure_outside_build"] == 0
    at.switch_page(FACTS).run()
    assert_clean(at)
    assert calls.count["measure_outside_build"] > 0


# --------------------------------------------------------------------------- the other pages


def figure_table(at: AppTest) -> dict[str, str]:
    frame = at.dataframe[1].value
    return {row["Figure"]: row["Value"] for _, row in frame.iterrows()}


def km2(value: str) -> float:
    found = re.fullmatch(r"([\d,]+) km²", value)
    assert found, value
    return float(found.group(1).replace(",", ""))


def test_facts_put_the_claim_beside_the_measurement_and_follow_r_and_d(border_points, default):
    at = open_page(FACTS)
    assert_clean(at)
    said = text(at)
    assert f"12 miles ({12 * MILE_KM:.1f} km)" in said
    assert_distance(
        said, "city centre to the nearest border point", distance_to_line_m(*KHARKIV, border_points)
    )
    band = km2(figure_table(at)["Ukraine within R of the border"])
    assert band == pytest.approx(
        grid_area_m2(default.geometry("border_band"), 0.01) / 1e6, rel=0.01
    )
    before = km2(figure_table(at)["Counterfire zone (Russia within D)"])

    number(at, "R,").set_value(30).run()
    number(at, "D in km").set_value(150).run()
    wider = registry.layers(Params(distance(30, "mi"), distance(150, "km")))
    table = figure_table(at)
    assert km2(table["Ukraine within R of the border"]) == pytest.approx(
        grid_area_m2(wider.geometry("border_band"), 0.01) / 1e6, rel=0.01
    )
    assert km2(table["Counterfire zone (Russia within D)"]) > 2 * before
    assert "R = 30 mi" in text(at) and "D = 150 km" in text(at)
    places = at.dataframe[2].value
    assert set(places["Place"]) >= {"Kharkiv", "Kyiv", "Belgorod"}
    assert at.download_button[0].label.startswith("Download every figure (CSV)")


def test_classroom_steps_forward_and_back():
    at = open_page(CLASSROOM)
    assert_clean(at)
    titles = [
        "Where Kharkiv is",
        "How far the border really is",
        "The 12-mile band",
        "The counterfire zone",
        "What stayed prohibited",
    ]
    assert at.title[0].value == titles[0]
    assert at.button(key="previous").disabled
    seen = [at.title[0].value]
    while not at.button(key="next").disabled:
        at.button(key="next").click().run()
        assert_clean(at)
        seen.append(at.title[0].value)
        assert query_value(at, "step") == str(len(seen))
    assert seen[:5] == titles and len(seen) in (5, 6)
    at.button(key="previous").click().run()
    assert at.title[0].value == seen[-2]


def test_classroom_opens_at_the_step_in_the_link_and_warns_about_a_bad_one(border_points):
    at = open_page(CLASSROOM, {"step": "2"})
    assert at.title[0].value == "How far the border really is"
    assert_distance(
        text(at), "nearest point of the border:", distance_to_line_m(*KHARKIV, border_points)
    )
    at = open_page(CLASSROOM, {"step": "nine"})
    assert_clean(at)
    assert at.title[0].value == "Where Kharkiv is"
    assert len(at.warning) == 1 and "'nine'" in plain(at.warning[0].value)


def test_export_names_files_after_the_view():
    at = open_page(EXPORT)
    assert_clean(at)
    said = text(at)
    assert (
        "kharkiv-map_R12mi_D80km_osm.html" in said and "kharkiv-layers_R12mi_D80km.geojson" in said
    )
    labels = [b.label.split(" (")[0] for b in at.download_button]
    assert labels[:2] == ["Download the map", "Download the layers"]
    number(at, "D in km").set_value(150).run()
    at.radio(key="w_basemap").set_value("none").run()
    said = text(at)
    assert (
        "kharkiv-map_R12mi_D150km_none.html" in said
        and "kharkiv-layers_R12mi_D150km.geojson" in said
    )
    assert "depth=150km" in said


def test_about_gives_sources_licences_projection_assumptions_and_limits(border_points):
    at = open_page(ABOUT)
    assert_clean(at)
    said = text(at)
    for heading in (
        "What the map shows",
        "Sources and licences",
        "Projection and measurement",
        "Geographic assumptions",
        "The counterfire zone",
        "Limits",
    ):
        assert heading in said
    for must in (
        "© OpenStreetMap contributors",
        "ODbL) 1.0",
        "@geo-maps/countries-land-100m 0.6.0",
        "GeoNames",
        "CC BY 4.0",
        "Leaflet",
        "BSD-2-Clause",
        "not an official map",
        "50° N, 37° E",
        "80 km",
        "300 km",
        "12 miles",
        "68/262",
    ):
        assert must in said, must
    assert_distance(
        said, "nearest point of the border, it is", distance_to_line_m(*KHARKIV, border_points)
    )


def test_missing_map_scripts_give_one_sentence_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("KHARKIV_MAP_ASSETS", str(tmp_path / "empty"))
    at = open_page(MAP)
    assert not at.exception
    assert len(at.error) == 1
    assert "make setup" in plain(at.error[0].value)


# --------------------------------------------------------------------------- the border source


def test_the_border_source_is_chosen_in_the_sidebar_and_kept_in_the_link():
    at = open_page(FACTS)
    assert "source" not in at.query_params
    assert "Border data: OpenStreetMap." in text(at)
    at.radio(key="w_source").set_value("naturalearth").run()
    assert_clean(at)
    assert query_value(at, "source") == "naturalearth"
    said = text(at)
    assert "Border data: Natural Earth 1:10m." in said
    km, _mi = km_and_miles(said, "city centre to the nearest border point")
    assert 32 < km < 33.5  # Natural Earth's line: 32.7 km, against 34.6 km on OpenStreetMap
    at.button(key="reset").click().run()
    assert "source" not in at.query_params


def test_facts_shows_both_sources_side_by_side_with_the_published_length():
    at = open_page(FACTS)
    assert_clean(at)
    tables = [t.value for t in at.dataframe]
    spread = next(t for t in tables if "Natural Earth 1:10m" in t.columns)
    assert list(spread.columns) == [
        "Figure",
        "OpenStreetMap",
        "Natural Earth 1:10m",
        "Natural Earth 1:10m vs OpenStreetMap",
        "Published",
    ]
    border = spread.iloc[0]
    assert border["Figure"] == "Russia–Ukraine land border"
    assert border["Natural Earth 1:10m vs OpenStreetMap"] == "−22.1%"
    assert border["Published"].startswith("1,974 km")


def test_an_unknown_source_in_the_link_is_one_warning_and_the_default():
    at = open_page(MAP, {"source": "nope"})
    assert not at.exception
    assert [w.value for w in at.warning] and "source 'nope'" in at.warning[0].value
    assert at.radio(key="w_source").value == "osm"


def test_export_offers_the_layers_as_a_geopackage_and_a_kml_named_after_the_view():
    at = open_page(EXPORT, {"source": "naturalearth"})
    assert_clean(at)
    labels = [b.label for b in at.download_button]
    assert "Download the layers (GeoPackage)" in labels and "Download the layers (KML)" in labels
    said = text(at)
    assert "kharkiv-layers_R12mi_D80km_naturalearth.gpkg" in said
    assert "kharkiv-layers_R12mi_D80km_naturalearth.kml" in said
    assert "Border data: Natural Earth 1:10m." in said


def test_a_change_of_source_redraws_the_whole_map_from_that_source():
    """The map's base holds the border and the outlines, so it is made per source: a new
    source gives a new base (streamlit-folium draws the map afresh) naming its credit."""
    at = open_page(MAP)
    first = map_component(at)
    assert "OpenStreetMap contributors (ODbL)" in first["script"]
    at.radio(key="w_source").set_value("naturalearth").run()
    assert_clean(at)
    second = map_component(at)
    assert second["script"] != first["script"]
    assert "Natural Earth 1:10m (public domain)" in second["script"]
    assert second["feature_group"] != first["feature_group"]
