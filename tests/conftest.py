"""Shared fixtures. The real-browser tests use Debian's Chromium driven by Playwright
(Playwright cannot download its own browser here), with every request that is not to
this machine blocked, so a page that still needs the internet fails visibly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.scopes import collecting_mutation_stats, shared

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")

# The command line's language from the environment would turn the English tests' expected
# output into Ukrainian: the tests choose their language themselves.
os.environ.pop("KHARKIV_MAP_LANG", None)


def chromium_path() -> str | None:
    explicit = os.environ.get("KHARKIV_MAP_CHROMIUM")
    if explicit:
        return explicit
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "file"):
        return True
    return parsed.hostname in LOCAL_HOSTS


# --------------------------------------------------------------------------- mutation runs

#: Under mutmut (`make mutation`), the test modules run cheapest first, so that with ``-x`` a
#: mutant is usually caught before the slow grid fixtures are set up.
MUTATION_ORDER = (
    "test_units",
    "test_viewstate",
    "test_geodesy",
    "test_stages",
    "test_places",
    "test_gazetteer",
    "test_layers",
    "test_query",
    "test_classify",
    "test_tables",
    "test_i18n",
    "test_i18n_map",
    "test_zones",
    "test_prebuilt",
)
#: Caches that outlive a test session and hold no result of mutated code: the border file as
#: read (``geo.data`` is not mutated). Everything else is made again for each mutant.
KEPT_CACHES = {("geo.data.borders", "region")}


def under_mutation() -> bool:
    return "MUTANT_UNDER_TEST" in os.environ


def forget_engine_caches() -> None:
    """Empty every cache of the engine (``functools`` caches and ``geo.core.cache.Kept`` stores) that
    may hold what unmutated code computed: mutmut forks each mutant's run from a process that
    has run the tests once."""
    import sys

    for name, module in list(sys.modules.items()):
        if not (name == "geo" or name.startswith("geo.")) or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if (name, attr) in KEPT_CACHES:
                continue
            if hasattr(value, "cache_clear") and getattr(value, "__module__", None) == name:
                value.cache_clear()
            elif type(value).__name__ == "Kept" and hasattr(
                value, "clear"
            ):  # geo.core.cache.Kept stores
                value.clear()


def pytest_sessionstart(session):
    if under_mutation():
        forget_engine_caches()


@pytest.fixture(autouse=True)
def _engine_made_by_each_test_in_mutation_stats():
    if collecting_mutation_stats():
        forget_engine_caches()
    yield


def pytest_collection_modifyitems(config, items):
    _skip_browser_tests_without_chromium(items)
    if under_mutation():

        def cost(item):
            module = item.module.__name__.rsplit(".", 1)[-1]
            rank = MUTATION_ORDER.index(module) if module in MUTATION_ORDER else len(MUTATION_ORDER)
            return rank, "reach_grid" in getattr(item, "fixturenames", ())

        items.sort(key=cost)  # stable: the file's order within each module


def pytest_report_header(config):
    path = chromium_path()
    if path:
        return f"browser tests: Chromium at {path}"
    return "browser tests: no Chromium found (install Debian's `chromium`); the browser tests are SKIPPED"


def _skip_browser_tests_without_chromium(items):
    if chromium_path():
        return
    if os.environ.get("KHARKIV_MAP_REQUIRE_BROWSER"):
        return  # let the fixture fail loudly: CI must run them
    skip = pytest.mark.skip(reason="no Chromium on this machine: browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not chromium_path():
        terminalreporter.write_line(
            "NOTE: Chromium was not found, so only the browser tests were skipped "
            "(apt-get install chromium to run them).",
            yellow=True,
        )


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        pytest.fail("KHARKIV_MAP_REQUIRE_BROWSER is set but no Chromium was found")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def offline_page(browser):
    """A page whose requests off this machine are aborted and recorded in ``page.blocked``."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.blocked = []
    page.errors = []

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            page.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    yield page
    context.close()


# The engine's data and default layers, and the border and the Kharkiv sector as dense
# point lists for independent measurement (tests/measure.py), shared by the test modules.


@pytest.fixture(scope="session")
def region():
    from geo.data import borders as data

    return data.region()


@pytest.fixture(scope=shared("session"))
def default():
    from geo.engine import layers

    return layers.layers(layers.Params())


@pytest.fixture(scope="session")
def border_points(region):
    from tests.measure import line_points

    return line_points(region.border)


@pytest.fixture(scope=shared("session"))
def sector_points(default):
    from tests.measure import line_points

    return line_points(default.geometry("kharkiv_sector"))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
