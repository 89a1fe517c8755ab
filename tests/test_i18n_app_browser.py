"""The app in Ukrainian in a real browser (``streamlit run app.py``, headless Chromium, nothing
off this machine): ``?lang=uk`` gives the page's ``<html lang>``, its title and Streamlit's
navigation in Ukrainian, and each page passes the accessibility audit in Ukrainian; the
sidebar's selector switches back to English and takes ``lang`` out of the address."""

from __future__ import annotations

import pytest

from tests import test_accessibility
from tests.test_accessibility import assert_clean, settle
from tests.test_app_browser import DRAW_TIMEOUT_MS, streamlit_server

pytestmark = pytest.mark.browser
#: axe-core's script, or a skip (a fail in CI) when it is not installed.
axe_source = test_accessibility.axe_source

NAVIGATION = ["Мапа", "Факти", "Для уроку", "Ваші дані", "Експорт", "Про мапу"]


@pytest.fixture(scope="module")
def app_url(artifacts):
    with streamlit_server(artifacts, "streamlit-i18n.log") as url:
        yield url


def test_ukrainian_in_the_browser_and_back_to_english(app_url, offline_page, axe_source, artifacts):
    page = offline_page
    page.goto(f"{app_url}/Facts?lang=uk&basemap=none")
    page.get_by_text("Факти: що вимірює мапа").first.wait_for(timeout=DRAW_TIMEOUT_MS)
    settle(page)
    page.wait_for_function("() => document.documentElement.lang === 'uk'", timeout=10_000)
    assert page.title() == "Факти · Мапа кордону біля Харкова"
    # The script that sets it takes no room on the page (an empty element would add a gap).
    assert (
        page.evaluate("""() => [...document.querySelectorAll('[data-testid=stHtml]')]
        .filter(e => e.textContent.includes('documentElement.lang'))
        .map(e => e.closest('[data-testid=stElementContainer]').getBoundingClientRect().height
                  + getComputedStyle(e.closest('[data-testid=stElementContainer]')).display)""")
        == ["0none"]
    )
    links = page.locator("[data-testid=stSidebarNav] a").all_inner_texts()
    assert [link.strip() for link in links] == NAVIGATION
    assert "lang=uk" in page.url
    assert_clean(page, axe_source, "the Facts page in Ukrainian")
    page.screenshot(path=str(artifacts / "i18n-facts-uk.png"))

    page.get_by_label("Language · Мова").first.click()
    page.get_by_role("option", name="English").click()
    page.get_by_text("Facts: what the map measures").first.wait_for(timeout=DRAW_TIMEOUT_MS)
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=10_000)
    settle(page)
    assert "lang=" not in page.url
    assert page.title() == "Facts · Kharkiv border map"
    assert not page.errors, page.errors
    assert page.blocked == [], page.blocked


@pytest.mark.parametrize(
    "path,ready",
    [("", "Що тут?"), ("Your_data", "Ваші власні місця й території"), ("Export", "Експорт мапи")],
    ids=["Map", "Your data", "Export"],
)
def test_the_other_pages_in_ukrainian_declare_it_and_pass_the_audit(
    app_url, offline_page, axe_source, path, ready
):
    page = offline_page
    page.goto(f"{app_url}/{path}?lang=uk&basemap=none")
    page.get_by_text(ready).first.wait_for(timeout=DRAW_TIMEOUT_MS)
    settle(page)
    # The one-line script sets it when its element mounts, as on the Facts page above.
    page.wait_for_function("() => document.documentElement.lang === 'uk'", timeout=10_000)
    assert_clean(page, axe_source, f"the {path or 'Map'} page in Ukrainian")
