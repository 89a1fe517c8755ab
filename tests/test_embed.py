"""The map in someone else's page (``pages.shared.embed``) and where the app offers it: the
Export page's two ``<iframe>`` snippets and the story downloads of the Export and Classroom
pages."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from pages.shared import embed, viewstate
from tests.test_app import CLASSROOM, EXPORT, assert_clean, open_page


@pytest.mark.parametrize(
    "url, path, address",
    [
        ("http://localhost:8501/Export", "Export", "http://localhost:8501/"),
        ("https://maps.example/kharkiv/Export/", "Export", "https://maps.example/kharkiv/"),
        ("https://maps.example/", "", "https://maps.example/"),
        ("https://maps.example", "Export", "https://maps.example/"),
        (None, "Export", embed.PLACEHOLDER),
        ("", "Export", embed.PLACEHOLDER),
    ],
)
def test_the_app_address_is_its_first_page(url, path, address):
    assert embed.app_address(url, path) == address


def test_the_embedded_app_shows_the_view_in_embed_mode():
    view, _warnings = viewstate.from_query(
        {"depth": "150km", "layers": "border,places", "lang": "uk"}
    )
    source = embed.app_source("https://maps.example/", view)
    query = parse_qs(urlsplit(source).query)
    assert query.pop("embed") == ["true"]
    assert {key: value[0] for key, value in query.items()} == viewstate.to_query(view)
    assert viewstate.from_query({k: v[0] for k, v in query.items()}) == (view, [])


def test_the_snippet_escapes_what_it_quotes():
    snippet = embed.iframe('x.html?a=1&b="2"', "<b>Map</b> & `${x}`")
    assert snippet.startswith('<iframe src="x.html?a=1&amp;b=&quot;2&quot;" title="&lt;b&gt;Map')
    assert "<b>" not in snippet and "`" not in snippet and "${" not in snippet
    assert 'height="640"' in snippet and "allowfullscreen" in snippet


def codes(at) -> list[str]:
    return [str(block.value) for block in at.code]


def test_the_export_page_offers_the_story_and_both_snippets():
    at = open_page(EXPORT, {"depth": "150km", "basemap": "none"})
    assert_clean(at)
    labels = [b.label for b in at.download_button]
    assert "Download the story (HTML)" in labels
    snippets = [code for code in codes(at) if code.startswith("<iframe")]
    assert len(snippets) == 2
    from_app, from_file = snippets
    assert "?embed=true&amp;radius=12mi&amp;depth=150km&amp;layers=all&amp;basemap=none" in from_app
    assert 'src="kharkiv-map_R12mi_D150km_none.html"' in from_file
    assert all(
        'title="Kharkiv, May 2024: where U.S. weapons could strike back"' in s for s in snippets
    )


def test_the_classroom_offers_the_story_as_a_file():
    at = open_page(CLASSROOM, {"lang": "uk"})
    assert_clean(at)
    labels = [b.label for b in at.download_button]
    assert "Завантажити розповідь одним файлом HTML" in labels
