"""The static site (``kharkiv-map site``, ``geo.render.site``) and the folder writer under it
(``geo.core.folders``): every file there in both languages, under 15 MiB, every relative link
resolving to a file of the site, the data the same as the command line's; the index opens
from ``file://`` with no request leaving it and passes axe; a folder with anything else in it
is refused, a previous site is replaced, and a failed write leaves the folder as it was."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from geo import i18n
from geo.cli import program
from geo.core import files, folders
from geo.engine import layers as registry
from geo.engine import stages, zones
from geo.render import site
from geo.render.web import export
from tests import axe

# --------------------------------------------------------------------------- the folder writer


def test_a_new_folder_gets_the_files_and_the_manifest(tmp_path):
    out = tmp_path / "site"
    folders.write_folder(out, {"index.html": "<p>hi</p>", "en/a.html": "a", "data/x.json": b"{}"})
    assert (out / "en" / "a.html").read_text() == "a"
    manifest = json.loads((out / folders.MANIFEST).read_text())
    assert manifest["generator"] == folders.GENERATOR
    assert [entry["path"] for entry in manifest["files"]] == [
        "data/x.json",
        "en/a.html",
        "index.html",
    ]
    assert manifest["files"][0]["sha256"] == files.sha256(b"{}")


def test_an_empty_folder_is_written_into(tmp_path):
    folders.write_folder(tmp_path, {"index.html": "x"})
    assert (tmp_path / "index.html").read_text() == "x"


def test_a_previous_site_is_replaced_and_what_it_no_longer_has_removed(tmp_path):
    folders.write_folder(tmp_path, {"index.html": "1", "old/gone.html": "1", "en/a.html": "1"})
    folders.write_folder(tmp_path, {"index.html": "2", "en/a.html": "2", "uk/b.html": "2"})
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "en",
        "en/a.html",
        "index.html",
        folders.MANIFEST,
        "uk",
        "uk/b.html",
    ]
    assert (tmp_path / "index.html").read_text() == "2"


@pytest.mark.parametrize(
    "stray", ["notes.txt", "en/notes.txt", "en/extra/", ".hidden", "en/a.html@"]
)
def test_a_folder_with_anything_else_in_it_is_refused_untouched(tmp_path, stray):
    folders.write_folder(tmp_path, {"index.html": "1", "en/a.html": "1"})
    name = stray.rstrip("/@")
    if stray.endswith("/"):
        (tmp_path / name).mkdir()
    elif stray.endswith("@"):
        (tmp_path / name).unlink()
        (tmp_path / name).symlink_to(tmp_path / "index.html")
    else:
        (tmp_path / name).write_text("mine")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(files.OutputError) as refused:
        folders.write_folder(tmp_path, {"index.html": "2"})
    message = str(refused.value)
    assert message.count(". ") == 0 and "other files" in message and "such as" in message
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_folder_that_is_not_a_site_is_refused_in_one_sentence(tmp_path):
    (tmp_path / "thesis.docx").write_bytes(b"mine")
    with pytest.raises(files.OutputError, match=r"thesis\.docx.*not a site this command wrote"):
        folders.write_folder(tmp_path, {"index.html": "x"})
    (tmp_path / folders.MANIFEST).write_text('{"generator": "someone else", "files": []}')
    with pytest.raises(files.OutputError, match="not a site this command wrote"):
        folders.previous_files(tmp_path)
    with pytest.raises(files.OutputError, match="is not a folder"):
        folders.previous_files(tmp_path / "thesis.docx")
    with pytest.raises(files.OutputError, match="does not exist"):
        folders.previous_files(tmp_path / "no" / "site")


def test_a_failed_write_leaves_no_trace(tmp_path, monkeypatch):
    def full_disk(outputs, inputs=()):
        raise files.OutputError("cannot write x: No space left on device.")

    monkeypatch.setattr(folders, "write_all", full_disk)
    with pytest.raises(files.OutputError):
        folders.write_folder(tmp_path / "site", {"en/a.html": "a", "index.html": "i"})
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("name", ["../x.html", "/etc/x", "en/../../x", ".hidden", "a//b", ""])
def test_names_inside_the_folder_are_plain_relative_paths(tmp_path, name):
    with pytest.raises(ValueError):
        folders.write_folder(tmp_path / "site", {name: "x"})
    assert not (tmp_path / "site").exists()


# --------------------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """The site as the documentation says to make it: ``kharkiv-map site --out DIR``."""
    out = tmp_path_factory.mktemp("published") / "site"
    assert program.main(["site", "--out", str(out)]) == 0
    return out


def site_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_site_has_every_page_in_both_languages(written):
    present = site_files(written)
    expected = {site.INDEX, site.GEOJSON, site.FACTS_JSON, folders.MANIFEST}
    for lang in i18n.LANGUAGES:
        expected |= {site.story_path(lang), site.facts_path(lang)}
        for stage in stages.STAGES:
            expected.add(site.map_path(lang, stage))
            expected |= {site.figure_path(lang, stage, ending) for ending, _fmt in site.FIGURES}
    assert present == expected
    assert sum((written / name).stat().st_size for name in present) <= site.MAX_BYTES
    assert site.MAX_BYTES == 15 * 1024 * 1024


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value is not None:
                self.links.append(value)


def links_of(path: Path) -> list[str]:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def test_every_relative_link_resolves_to_a_file_of_the_site(written):
    present = site_files(written)
    checked = 0
    for name in sorted(present):
        if not name.endswith(".html"):
            continue
        for link in links_of(written / name):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:  # a credit's link to its source, never a script
                assert parts.scheme == "https", (name, link)
                continue
            if not parts.path:  # a link inside the page (#en, #3)
                continue
            assert not parts.path.startswith("/"), (name, link)
            target = os.path.normpath(os.path.join(os.path.dirname(name), unquote(parts.path)))
            assert Path(target).as_posix() in present, (name, link)
            checked += 1
    assert checked >= 2 * (len(stages.STAGES) * 3 + 2) + 2


def test_the_index_links_every_page_and_file(written):
    linked = {
        os.path.normpath(urlsplit(link).path)
        for link in links_of(written / site.INDEX)
        if urlsplit(link).path
    }
    assert site_files(written) - linked == {site.INDEX, folders.MANIFEST}


def test_the_data_are_the_command_lines_own(written, capsys):
    assert program.main(["facts", "--json"]) == 0
    assert json.loads((written / site.FACTS_JSON).read_text()) == json.loads(
        capsys.readouterr().out
    )
    default = registry.layers(zones.Params())
    assert (written / site.GEOJSON).read_text(encoding="utf-8") == export.geojson_text(default)


def test_a_second_run_replaces_the_site_and_a_foreign_folder_is_refused(written, tmp_path, capsys):
    manifest = (written / folders.MANIFEST).read_text()
    assert folders.previous_files(written)  # a previous site: it may be written again
    (tmp_path / "notes.txt").write_text("mine")
    assert program.main(["site", "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "notes.txt" in error
    assert site_files(tmp_path) == {"notes.txt"}
    assert (written / folders.MANIFEST).read_text() == manifest


@pytest.mark.browser
def test_the_index_opens_from_a_file_with_nothing_loaded_from_elsewhere(written, offline_page):
    page = offline_page
    page.goto((written / site.INDEX).as_uri())
    assert page.locator("section#en h2").inner_text() == "English"
    assert page.locator("section#uk").get_attribute("lang") == "uk"
    page.locator("section#uk a", has_text="Розповідь").click()
    page.wait_for_selector(".folium-map path.leaflet-interactive", timeout=20_000)
    assert urlsplit(page.url).path.endswith("/uk/story.html")
    page.go_back()
    page.locator("section#en a[href='en/facts.html']").click()
    assert page.locator("h1").inner_text() == "Facts: what the map measures"
    assert page.errors == [] and page.blocked == []


@pytest.mark.browser
def test_the_index_and_the_facts_pages_pass_the_audit(written, offline_page):
    if not axe.installed():
        if os.environ.get("KHARKIV_MAP_REQUIRE_BROWSER"):
            pytest.fail(f"axe-core is not installed: {axe.INSTALL_HINT}")
        pytest.skip(f"axe-core is not installed: {axe.INSTALL_HINT}")
    source = axe.script()
    for name in (site.INDEX, site.facts_path("en"), site.facts_path("uk")):
        offline_page.goto((written / name).as_uri())
        found = axe.failing(axe.audit(offline_page, source))
        assert found == [], f"{name}:\n{axe.report(found)}"
