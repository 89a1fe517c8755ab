"""The story as one HTML file (``geo.render.web.storypage``): the six steps with their maps,
everything inside the file, under 600 KiB in both languages; in Chromium from ``file://`` with
the network blocked it goes through six different steps by the arrow key, keeps the step in
the address, prints one step per page and fits a phone."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from geo import i18n
from geo.core.units import distance
from geo.engine import layers as registry
from geo.engine import zones
from geo.narrative import story
from geo.render.web import storypage
from geo.render.web.assets import rewrite
from tests import phone

TITLES = (
    "Where Kharkiv is",
    "How far the border really is",
    "The 12-mile band",
    "The counterfire zone",
    "What stayed prohibited",
    "What changed later",
)


@pytest.fixture(scope="module")
def built():
    return registry.layers(story.PARAMS), registry.layers(story.LATER)


@pytest.fixture(scope="module")
def stories(built, tmp_path_factory) -> dict[str, Path]:
    """The story with the basemap none, in each language, as files."""
    folder = tmp_path_factory.mktemp("story")
    paths = {}
    for lang in i18n.LANGUAGES:
        with i18n.language(lang):
            page, notices = storypage.story_html(*built, "none")
        assert notices == []
        paths[lang] = folder / f"story-{lang}.html"
        paths[lang].write_text(page, encoding="utf-8")
    return paths


class Outline(HTMLParser):
    """The parts of the page the tests read: the steps' titles, the attributes that load
    something (``src``, ``href`` of stylesheets), the text of each step's description."""

    def __init__(self):
        super().__init__()
        self.titles, self.loads, self.descriptions, self.articles = [], [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.articles.append(attrs)
        if tag == "h1":
            self._in = "h1"
            self.titles.append("")
        if tag == "details":
            self.descriptions.append("")
            self._in = "details"
        if "src" in attrs or (tag == "link" and "stylesheet" in (attrs.get("rel") or "")):
            self.loads.append(attrs.get("src") or attrs.get("href"))

    def handle_endtag(self, tag):
        if tag in ("h1", "details"):
            self._in = None

    def handle_data(self, data):
        if self._in == "h1":
            self.titles[-1] += data
        elif self._in == "details":
            self.descriptions[-1] += data


def outline(path: Path) -> Outline:
    parsed = Outline()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def test_the_file_has_the_six_steps_with_their_descriptions(stories):
    parsed = outline(stories["en"])
    assert tuple(parsed.titles) == TITLES
    assert len(parsed.articles) == 6 and len(parsed.descriptions) == 6
    assert all("Text description of the map" in text for text in parsed.descriptions)
    assert "Counterfire zone: Russia within D = 80 km" in parsed.descriptions[3]
    assert "Sanctuary" in parsed.descriptions[5]


def test_the_story_is_in_ukrainian_with_the_quotes_marked_english(stories):
    page = stories["uk"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="uk">' in page
    parsed = outline(stories["uk"])
    assert len(parsed.titles) == 6
    assert all(re.search("[А-Яа-яІіЇїЄєҐґ]", title) for title in parsed.titles)
    assert '<p lang="en">“Kharkiv, which is 12 miles from the Russian border”</p>' in page


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_script_style_and_shape_is_inside_and_small(stories, lang):
    page = stories[lang].read_text(encoding="utf-8")
    assert len(page.encode()) <= storypage.MAX_BYTES == 600 * 1024
    assert outline(stories[lang]).loads == []  # no script or stylesheet from anywhere
    rewrite.refuse_outside_links(page, "inline")
    assert "L.map(" in page and "kharkivGeometry" in page


def test_the_texts_are_escaped_as_on_the_map(built, monkeypatch):
    """A step's title, text and quote reach the page through html_text, as the export's do."""
    real = story.steps

    def hostile(*args, **kwargs):
        steps = real(*args, **kwargs)
        first = steps[0].__class__(
            **{
                **vars(steps[0]),
                "title": "<script>alert(1)</script>",
                "text": "`${alert(2)}` & <b>",
                "quote": '"</blockquote><img src=x onerror=alert(3)>',
            }
        )
        return (first, *steps[1:])

    monkeypatch.setattr(story, "steps", hostile)
    page, _notices = storypage.story_html(*built, "none")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#96;&#36;&#123;alert(2)&#125;&#96; &amp; &lt;b&gt;" in page


def test_the_story_follows_r_and_d():
    asked = zones.Params(radius=distance(20, "km"), depth=distance(150, "km"))
    with i18n.language("en"):
        page, _notices = storypage.story_html(
            registry.layers(asked), registry.layers(story.later(asked)), "none"
        )
    assert "The 12.43 mi (20 km) band" in page
    assert "The story uses R = 12.43 mi (20 km) and D = 150 km (93.21 mi)." in page
    assert "Russia within 150 km of the Kharkiv sector" in page


# --------------------------------------------------------------------------- in Chromium

#: The state of the drawn map: its view, and the colours and count of what it draws.
MAP_STATE = """() => {
    const map = Object.values(window).find(v => v instanceof L.Map
        && v.getContainer().classList.contains('folium-map'));
    const paths = [...map.getContainer().querySelectorAll(':scope > .leaflet-map-pane path')];
    const c = map.getCenter();
    return {view: [c.lat.toFixed(3), c.lng.toFixed(3), map.getZoom()].join(' '),
            colours: [...new Set(paths.map(p => p.getAttribute('stroke')))].sort().join(' '),
            paths: paths.length};
}"""
VISIBLE_TITLE = (
    "() => [...document.querySelectorAll('.kharkiv-step h1')].find(h => h.offsetParent).textContent"
)


@pytest.mark.browser
def test_the_arrow_keys_go_through_six_different_steps_offline(stories, offline_page):
    page = offline_page
    page.goto(stories["en"].as_uri())
    page.wait_for_selector(".folium-map path.leaflet-interactive", timeout=20_000)
    seen = []
    for number in range(1, 7):
        if number > 1:
            page.keyboard.press("ArrowRight")
        assert page.evaluate("location.hash") == f"#{number}"
        seen.append((page.evaluate(VISIBLE_TITLE), page.evaluate(MAP_STATE)))
        assert (
            page.locator(f".kharkiv-story-steps a[href='#{number}']").get_attribute("aria-current")
            == "step"
        )
    assert tuple(title for title, _state in seen) == TITLES
    for (_t1, before), (_t2, after) in zip(seen, seen[1:]):
        assert before != after  # the map changes with every step
    assert len({state["view"] for _title, state in seen}) >= 5
    page.keyboard.press("ArrowRight")  # past the last step: it stays
    assert page.evaluate("location.hash") == "#6"
    assert page.locator(".kharkiv-story-next").get_attribute("aria-disabled") == "true"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(VISIBLE_TITLE) == TITLES[4]
    # The legend lists the step's layers only, with the step's sentences.
    page.locator(".kharkiv-legend-toggle").click()
    legend = page.inner_text(".kharkiv-legend")
    assert "Still prohibited: Russia from D = 80 km to 300 km" in legend
    assert "Sanctuary" not in legend and "Circle of radius" not in legend
    # The map's own description, for a screen reader, follows the step.
    note = page.locator(".folium-map .kharkiv-description").text_content()
    assert "Still prohibited" in note and "Sanctuary" not in note
    # A link to a step opens it; a step that is not there opens step 1.
    page.goto(stories["en"].as_uri() + "#3")
    assert page.evaluate(VISIBLE_TITLE) == TITLES[2]
    page.goto(stories["en"].as_uri() + "#99")
    assert page.evaluate(VISIBLE_TITLE) == TITLES[0]
    assert page.errors == [] and page.blocked == []


@pytest.mark.browser
def test_printing_gives_one_step_per_page_each_with_its_map(stories, offline_page, tmp_path):
    import pypdf

    page = offline_page
    page.goto(stories["en"].as_uri() + "#4")
    page.wait_for_selector(".folium-map path.leaflet-interactive", timeout=20_000)
    pdf = tmp_path / "story.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = pypdf.PdfReader(str(pdf)).pages
    assert len(pages) == 6
    texts = [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in pages]
    assert [TITLES[i] in texts[i] for i in range(6)] == [True] * 6
    # What the browser does before it prints: a copy of each step's map under its text.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    drawn = page.eval_on_selector_all(
        ".kharkiv-step-snapshot",
        "boxes => boxes.map(b => [b.closest('article').id, b.querySelectorAll('path').length])",
    )
    assert [article for article, _paths in drawn] == [f"step-{n}" for n in range(1, 7)]
    assert all(paths > 3 for _article, paths in drawn)
    assert page.evaluate("location.hash") == "#4" and page.evaluate(VISIBLE_TITLE) == TITLES[3]
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator(".kharkiv-step-snapshot").count() == 0
    assert page.errors == [] and page.blocked == []


@pytest.mark.browser
def test_on_a_phone_the_story_keeps_the_map_clear_and_its_buttons_big(stories, browser):
    with phone.phone_page(browser) as page:
        page.goto(stories["uk"].as_uri())
        page.wait_for_selector(".folium-map path.leaflet-interactive", timeout=20_000)
        cover = page.evaluate(phone.COVER, ".folium-map")
        assert cover["share"] <= phone.MAX_COVER, cover
        assert phone.small_targets(page, ".folium-map > .leaflet-control-container") == []
        assert phone.small_targets(page, ".kharkiv-story") == []
        assert phone.small_text(page, ".kharkiv-story") == []
        assert phone.small_text(page, ".folium-map > .leaflet-control-container") == []
        page.locator(".kharkiv-story-next").tap()
        assert page.evaluate("location.hash") == "#2"
        assert page.errors == [] and page.blocked == []
