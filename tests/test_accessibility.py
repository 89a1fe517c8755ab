"""Accessibility in a real browser: an axe-core audit of every page of the app (and of the map
frame inside it), of the exported page, with both basemaps and in both languages, and of the
story file at each step in both languages; the map's controls reached and
used with the keyboard, each with a visible focus ring; the text description where a screen
reader finds it; and the print layouts.

axe-core is installed by ``make setup`` (``python -m tests.axe install``, needs npm). Without
it the audit tests skip with a notice; with ``KHARKIV_MAP_REQUIRE_BROWSER`` set (CI) they fail.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from geo import i18n
from geo.engine import layers
from geo.narrative import story
from geo.render.web import export, mapview, storypage
from tests import axe
from tests.test_app_browser import streamlit_server

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
DRAW_TIMEOUT_MS = 90_000

#: Violations the audit accepts, by (rule, selector), each with the reason it cannot be fixed
#: in this project: only inside Streamlit's own markup, never colour contrast of our text.
#: Empty: every page passes as it is.
ALLOWED: dict[tuple[str, str], str] = {}

#: (URL path, text the page shows once it has run, whether it has a map)
APP_PAGES = (
    ("", "What is here?", True),
    ("Facts", "Facts: what the map measures", False),
    ("Classroom", "Step 1 of 6", True),
    ("Export", "Export the map", False),
    ("About", "About this map", False),
)
#: The map's controls, in the order the Tab key reaches them on the exported page.
CONTROLS = (
    ".leaflet-control-zoom-in",
    ".leaflet-control-zoom-out",
    ".leaflet-control-zoom-fullscreen",
    ".leaflet-control-layers-selector",
    ".leaflet-control-minimap-toggle-display",
)
#: Controls a printed page leaves out.
NOT_PRINTED = (
    ".leaflet-control-zoom",
    ".leaflet-control-zoom-fullscreen",
    ".leaflet-control-layers",
    ".leaflet-control-minimap",
)
#: The exported page's map (not the mini-map, another L.Map).
MAIN_MAP = (
    "Object.values(window).find(v => v instanceof L.Map "
    "&& v.getContainer().classList.contains('folium-map'))"
)
#: The focused element: a short name, and whether its focus ring is drawn.
FOCUSED = """() => {
    const e = document.activeElement, s = getComputedStyle(e);
    const cls = typeof e.className === "string" ? e.className : "";
    return {cls: cls, tag: e.tagName,
            ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 && e.matches(":focus-visible")};
}"""


def test_no_exception_hides_contrast_of_our_own_text():
    assert all(rule != "color-contrast" for rule, _ in ALLOWED)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not axe.installed():
        message = f"axe-core is not installed in {axe.SCRIPT.parent}: {axe.INSTALL_HINT}"
        if os.environ.get("KHARKIV_MAP_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return axe.script()


def assert_clean(target, source: str, where: str) -> None:
    found = axe.failing(axe.audit(target, source), ALLOWED)
    assert found == [], f"axe finds serious or critical problems on {where}:\n{axe.report(found)}"


# --------------------------------------------------------------------------- the exported page


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exported")
    built = layers.layers(layers.Params())
    pages = {}
    for basemap in mapview.BASEMAPS:
        page, notices = export.map_html(built, basemap)
        assert notices == [], notices
        pages[basemap] = folder / f"{basemap}.html"
        pages[basemap].write_text(page, encoding="utf-8")
    return pages


def open_exported(page, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_function(
        "() => window.L && document.querySelectorAll('path.leaflet-interactive').length > 8",
        timeout=DRAW_TIMEOUT_MS,
    )


@pytest.mark.parametrize("basemap", mapview.BASEMAPS)
def test_the_exported_page_passes_the_audit(exported, offline_page, axe_source, basemap):
    open_exported(offline_page, exported[basemap])
    assert_clean(offline_page, axe_source, f"the exported page ({basemap} basemap)")
    assert offline_page.errors == []


def test_the_exported_map_is_named_and_described_for_screen_readers(exported, offline_page):
    page = offline_page
    open_exported(page, exported["none"])
    assert page.title() == mapview.MAP_TITLE and page.get_attribute("html", "lang") == "en"
    container = page.locator(".leaflet-container").first
    assert container.get_attribute("role") == "region"
    assert container.get_attribute("aria-label") == mapview.MAP_TITLE
    note = page.locator(f"#{container.get_attribute('aria-describedby')}")
    assert note.get_attribute("role") == "note"
    assert note.evaluate("(e, map) => map.contains(e)", container.element_handle())
    text = note.text_content()
    assert (
        "the article says 12 miles" in text and "Counterfire zone: Russia within D = 80 km" in text
    )
    box = note.bounding_box()
    assert (
        box["width"] <= 1 and box["height"] <= 1
    )  # out of sight, not out of the accessibility tree
    assert page.get_by_role("note", name="Text description of the map").count() == 1
    # The legend is text, not a picture.
    legend = page.inner_text(".kharkiv-legend")
    assert "Counterfire zone: Russia within D = 80 km of the Kharkiv sector" in legend


def test_the_keyboard_reaches_every_control_with_a_visible_focus_ring(exported, offline_page):
    page = offline_page
    open_exported(page, exported["none"])
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        reached.append(focused)
        if "leaflet-control-minimap-toggle-display" in focused["cls"]:
            break
    assert "leaflet-container" in reached[0]["cls"], (
        "the map itself comes first (arrow keys pan it)"
    )
    order = []
    for selector in CONTROLS:
        hits = [i for i, f in enumerate(reached) if selector[1:] in f["cls"].split()]
        assert hits, f"Tab never reaches {selector}"
        order.append(hits[0])
        assert all(reached[i]["ring"] for i in hits), f"{selector} has no visible focus ring"
    assert order == sorted(order), "the controls are reached in reading order"
    assert (
        sum(1 for f in reached if "leaflet-control-layers-selector" in f["cls"])
        == len(layers.GEOMETRIC) + 1
    )
    # The city names beside the markers are labels, not stops for the Tab key.
    assert page.locator(".leaflet-marker-icon:has(.kharkiv-city-label)[tabindex='0']").count() == 0


def test_the_controls_work_from_the_keyboard(exported, offline_page):
    page = offline_page
    open_exported(page, exported["none"])
    zoom = page.evaluate(f"() => {MAIN_MAP}.getZoom()")
    page.focus(".leaflet-control-zoom-in")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => {MAIN_MAP}.getZoom() === {zoom + 1}", timeout=5_000)
    # A layer switched off with the space bar.
    box = page.locator(
        ".leaflet-control-layers-overlays label", has_text="Counterfire zone"
    ).locator("input")
    box.focus()
    page.keyboard.press("Space")
    assert not box.is_checked()


@pytest.mark.parametrize("basemap", mapview.BASEMAPS)
def test_the_printed_page_keeps_the_map_and_legend_without_controls(
    exported, offline_page, basemap
):
    page = offline_page
    open_exported(page, exported[basemap])
    for selector in NOT_PRINTED:
        assert page.locator(selector).first.is_visible(), selector
    page.emulate_media(media="print")
    for selector in NOT_PRINTED:
        assert not page.locator(selector).first.is_visible(), f"{selector} is printed"
    assert page.locator(".kharkiv-legend").is_visible()
    assert page.locator(".leaflet-control-scale").is_visible()
    width = page.evaluate(
        "() => [document.querySelector('.folium-map').getBoundingClientRect().width, "
        "document.documentElement.clientWidth]"
    )
    assert width[0] >= width[1] - 1


def test_the_exported_page_in_ukrainian_passes_the_audit(offline_page, axe_source, tmp_path):
    with i18n.language("uk"):
        page, _notices = export.map_html(layers.layers(layers.Params()), "none")
    path = tmp_path / "uk.html"
    path.write_text(page, encoding="utf-8")
    open_exported(offline_page, path)
    assert_clean(offline_page, axe_source, "the exported page in Ukrainian")
    assert offline_page.errors == []


# --------------------------------------------------------------------------- the story file


@pytest.fixture(scope="module")
def stories(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("story")
    built = layers.layers(story.PARAMS), layers.layers(story.LATER)
    paths = {}
    for lang in i18n.LANGUAGES:
        with i18n.language(lang):
            page, _notices = storypage.story_html(*built, "none")
        paths[lang] = folder / f"story-{lang}.html"
        paths[lang].write_text(page, encoding="utf-8")
    return paths


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_the_story_file_passes_the_audit_at_every_step(stories, offline_page, axe_source, lang):
    """Every step with its description open, in both languages, and the legend unfolded (where
    it covers no place's label: over one, the label is too small a target for axe)."""
    page = offline_page
    open_exported(page, stories[lang])
    for number in range(1, 7):
        page.goto(f"{stories[lang].as_uri()}#{number}")
        page.locator(f"#step-{number} details summary").click()
        assert_clean(page, axe_source, f"the story in {lang}, step {number}")
    page.goto(f"{stories[lang].as_uri()}#1")
    page.locator(".kharkiv-legend-toggle").click()
    assert_clean(page, axe_source, f"the story in {lang} with its legend unfolded")
    # The keyboard reaches the buttons and the step links, after the map's controls, each with
    # a visible focus ring.
    page.reload()
    reached = []
    for _ in range(20):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(FOCUSED))
        if reached[-1]["cls"] == "kharkiv-story-next":
            break
    page.keyboard.press("Tab")  # the first step link
    reached.append(page.evaluate(FOCUSED))
    assert [f["cls"] for f in reached[-3:-1]] == ["kharkiv-story-previous", "kharkiv-story-next"]
    assert reached[-1]["tag"] == "A"
    assert all(f["ring"] for f in reached[-3:]), reached[-3:]
    assert offline_page.errors == []


# --------------------------------------------------------------------------- the app


@pytest.fixture(scope="module")
def app_url(artifacts):
    """`streamlit run app.py` on a free port, until the module's tests are done."""
    with streamlit_server(artifacts, "streamlit-accessibility.log") as url:
        yield url


def map_frame(page):
    """The streamlit-folium frame, once Leaflet has drawn in it."""
    page.locator("iframe[title='streamlit_folium.st_folium']").first.wait_for(
        timeout=DRAW_TIMEOUT_MS
    )
    deadline = time.monotonic() + DRAW_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url and not frame.is_detached():
                try:
                    frame.wait_for_function(
                        "() => window.map && window.map._loaded && "
                        "document.querySelectorAll('path').length > 8",
                        timeout=10_000,
                    )
                    return frame
                except Exception:  # the frame went away during a rerun: look again
                    pass
        page.wait_for_timeout(250)
    pytest.fail("the streamlit-folium map never drew")


#: Streamlit has finished the run: no "running" widget, and no element left from the last run
#: (drawn faded while stale, which would fail the contrast check for the wrong reason).
SETTLED = """() => !document.querySelector('[data-testid=stStatusWidget]')
                  && !document.querySelector('[data-stale=true]')"""


def settle(page) -> None:
    """Wait until Streamlit's run is over, twice over half a second apart."""
    for _ in range(2):
        page.wait_for_function(SETTLED, timeout=DRAW_TIMEOUT_MS)
        page.wait_for_timeout(500)
    page.wait_for_function(SETTLED, timeout=DRAW_TIMEOUT_MS)


def open_app_page(page, app_url: str, path: str, ready: str) -> None:
    page.goto(f"{app_url}/{path}?basemap=none")
    page.get_by_text(ready, exact=False).first.wait_for(timeout=DRAW_TIMEOUT_MS)
    settle(page)


@pytest.mark.parametrize("path,ready,has_map", APP_PAGES, ids=[p[0] or "Map" for p in APP_PAGES])
def test_every_app_page_passes_the_audit(
    app_url, offline_page, axe_source, artifacts, path, ready, has_map
):
    page = offline_page
    open_app_page(page, app_url, path, ready)
    name = path or "Map"
    if has_map:
        frame = map_frame(page)
        page.get_by_text("Text description of the map").click()
        description = page.locator("[data-testid=stExpanderDetails]").filter(
            has_text="the article says 12 miles"
        )
        description.first.wait_for(timeout=10_000)
        assert_clean(frame, axe_source, f"the map frame of the {name} page")
    settle(page)
    assert_clean(page, axe_source, f"the {name} page")
    page.screenshot(path=str(artifacts / f"accessibility-{name}.png"))


def test_the_keyboard_reaches_the_map_controls_in_the_app(app_url, offline_page):
    page = offline_page
    open_app_page(page, app_url, "", "What is here?")
    frame = map_frame(page)
    page.locator("body").focus()
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = frame.evaluate(FOCUSED)
        if "leaflet-control-zoom-in" in focused["cls"].split():
            break
    else:
        pytest.fail("Tab never reaches the map's zoom control")
    assert focused["ring"]
    page.keyboard.press("Enter")
    frame.wait_for_function("() => window.map.getZoom() > 7", timeout=5_000)


def test_the_classroom_prints_without_sidebar_and_buttons(app_url, offline_page, artifacts):
    page = offline_page
    open_app_page(page, app_url, "Classroom", "Step 1 of 6")
    map_frame(page)
    assert page.get_by_role("button", name="Next →").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("[data-testid=stSidebar]").is_visible()
    assert page.locator("[data-testid=stMain] button:visible").count() == 0
    assert page.locator("iframe[title='streamlit_folium.st_folium']").is_visible()
    width = page.evaluate(
        "() => [document.querySelector('[data-testid=stMainBlockContainer]').getBoundingClientRect().width, "
        "document.documentElement.clientWidth]"
    )
    assert width[0] >= 0.95 * width[1]
    page.screenshot(path=str(artifacts / "accessibility-classroom-print.png"), full_page=True)
