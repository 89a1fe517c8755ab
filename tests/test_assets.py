"""The map's scripts come from the pinned copies, never a CDN: the manifest
(geo.data.scripts), the installer and the checks (geo.render.web.assets), the standalone page
and the parts the app mounts (geo.render.web.page).

No test here runs npm or touches the network. Leaflet is installed into temporary folders
from its XStatic wheel (a local copy); tests that need the npm plugins use a copy of the
project's installed vendor folder and are skipped when it lacks them.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import folium
import pytest
from folium import plugins
from folium.elements import JSCSSMixin

from geo.data import scripts
from geo.render.web import assets, export, mapview, page

PLUGINS = ("fullscreen", "minimap")
EXTERNAL_LINK = re.compile(
    r"""<script\b[^>]*\bsrc=["']?(?:https?:)?//|<link\b[^>]*\bhref=["']?(?:https?:)?//""", re.I
)
LOCAL_LINKS = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)""", re.I)
# A line of each plugin's own source, to tell whether it was inlined.
FULLSCREEN_SOURCE = "leaflet.fullscreen requires this object"
MINIMAP_SOURCE = "window.L.Control.MiniMap = factory(L)"


def _project_vendor() -> Path:
    """The project's real vendor folder, whatever KHARKIV_MAP_ASSETS says in this shell."""
    return Path(assets.__file__).resolve().parents[3] / "static" / "vendor"


@pytest.fixture
def core_vendor(tmp_path, monkeypatch) -> Path:
    """A vendor folder with Leaflet only, as if npm were absent: installed from the XStatic
    wheel (no network) and set as KHARKIV_MAP_ASSETS."""
    folder = tmp_path / "vendor"
    assets.install(folder, use_npm=False)
    monkeypatch.setenv(assets.ENV_VAR, str(folder))
    return folder


@pytest.fixture
def full_vendor(core_vendor) -> Path:
    """``core_vendor`` plus copies of the npm plugins installed in the project (skip if absent)."""
    source = _project_vendor()
    intact = assets.status(source)
    missing = [name for name in PLUGINS if not intact[name]]
    if missing:
        pytest.skip(
            f"npm plugins {', '.join(missing)} are not installed in {source}; "
            "run `kharkiv-map assets install` (needs npm)"
        )
    for name in PLUGINS:
        shutil.copytree(source / name, core_vendor / name)
    return core_vendor


def _middle(text: str, size: int = 300) -> str:
    return text[len(text) // 2 : len(text) // 2 + size]


def plain_map() -> folium.Map:
    """A map without plugins: a circle marker, a popup and a tooltip."""
    m = folium.Map(location=[49.99, 36.23], zoom_start=9)
    folium.CircleMarker([49.99, 36.23], radius=6, popup="Kharkiv", tooltip="Kharkiv").add_to(m)
    return m


def kharkiv_map() -> folium.Map:
    """A map with the controls the real one uses, circle markers, popups and tooltips."""
    m = plain_map()
    plugins.Fullscreen().add_to(m)
    plugins.MiniMap().add_to(m)
    return m


def declared(m: folium.Map) -> set[str]:
    names = set()
    stack = [m]
    while stack:
        element = stack.pop()
        if isinstance(element, JSCSSMixin):
            names.update(name for name, _url in element.default_js + element.default_css)
        stack.extend(element._children.values())
    return names


# --------------------------------------------------------------------------- the manifest


def test_every_file_is_pinned_and_every_library_has_a_script():
    for library in scripts.LIBRARIES:
        assert library.registry in {"pypi", "npm"} and library.files, library.name
        assert all(re.fullmatch(r"[0-9a-f]{64}", f.sha256) for f in library.files)
        assert any(f.folium and f.path.endswith(".js") for f in library.files), library.name
        assert library.licence and library.holder and library.url.startswith("https://")
    assert [library.name for library in scripts.LIBRARIES if library.required] == ["leaflet"]


def test_the_manifest_is_what_the_map_uses_nothing_more(default):
    """Every script and stylesheet the real map declares is pinned or dropped, and every pinned
    one is declared by it: jQuery and leaflet-measure are not pinned."""
    used = set()
    for basemap in mapview.BASEMAPS:
        used |= declared(mapview.build_map(default, basemap))
    assert used - scripts.DROPPED == set(scripts.BY_FOLIUM_NAME)
    assert "jquery" in scripts.DROPPED and "jquery" not in scripts.BY_FOLIUM_NAME
    assert {library.name for library in scripts.LIBRARIES} == {"leaflet", *PLUGINS}


def test_folium_names_its_links_as_the_manifest_says():
    for element in (folium.Map(), plugins.Fullscreen(), plugins.MiniMap()):
        for name, url in element.default_js + element.default_css:
            assert name in scripts.BY_FOLIUM_NAME or name in scripts.DROPPED, (name, url)


def test_stylesheet_urls_resolve_to_pinned_files(full_vendor):
    for library in scripts.LIBRARIES:
        for file in library.files:
            if file.path.endswith(".css"):
                css = (full_vendor / library.name / file.path).read_text("utf-8")
                inlined = page.css_with_data_uris(css, library, file.path)
                for ref in re.findall(r"url\(\s*[\"']?([^\"')]+)", inlined):
                    assert ref.startswith(("data:", "#")), (library.name, ref)


# --------------------------------------------------------------------------- install and status


def test_install_without_npm_installs_leaflet_and_names_each_skipped_plugin(tmp_path):
    notices = assets.install(tmp_path, use_npm=False)
    assert (tmp_path / "leaflet" / "leaflet.js").is_file()
    assert (tmp_path / "leaflet" / "images" / "layers.png").is_file()
    assert assets.status(tmp_path) == {"leaflet": True, "fullscreen": False, "minimap": False}
    skipped = [line for line in notices if "not installed" in line]
    assert len(skipped) == len(PLUGINS)
    assert all("npm" in line and "\n" not in line for line in skipped)


def test_install_is_idempotent_and_repairs_an_altered_file(tmp_path):
    assets.install(tmp_path, use_npm=False)
    again = assets.install(tmp_path, use_npm=False)
    assert any(line.startswith("Leaflet:") and "already installed" in line for line in again)
    leaflet_js = tmp_path / "leaflet" / "leaflet.js"
    leaflet_js.write_bytes(leaflet_js.read_bytes()[:-1])
    assert assets.status(tmp_path)["leaflet"] is False
    assets.install(tmp_path, use_npm=False)
    assert assets.status(tmp_path)["leaflet"] is True


def test_install_refuses_a_checksum_mismatch_and_writes_nothing(tmp_path):
    leaflet = scripts.BY_NAME["leaflet"]
    wrong = dataclasses.replace(
        leaflet, files=(dataclasses.replace(leaflet.files[0], sha256="0" * 64), *leaflet.files[1:])
    )
    with pytest.raises(assets.AssetsMissing, match="leaflet.js.*pinned"):
        assets.install(tmp_path, use_npm=False, libraries=[wrong])
    assert list(tmp_path.iterdir()) == []


def test_vendor_dir_defaults_to_repo_static_vendor_and_follows_the_env_var(tmp_path, monkeypatch):
    monkeypatch.delenv(assets.ENV_VAR, raising=False)
    assert assets.vendor_dir() == _project_vendor()
    monkeypatch.setenv(assets.ENV_VAR, str(tmp_path))
    assert assets.vendor_dir() == tmp_path


def test_install_without_npm_on_path_skips_plugins_with_one_line_each(tmp_path, monkeypatch):
    monkeypatch.setattr(assets.shutil, "which", lambda name: None)
    notices = assets.install(tmp_path)
    assert len([line for line in notices if "npm is not on PATH" in line]) == len(PLUGINS)
    assert assets.status(tmp_path)["leaflet"] is True


def test_a_failed_npm_pack_leaves_that_plugin_out_with_one_line_and_installs_the_rest(
    tmp_path, monkeypatch
):
    fake_npm = tmp_path / "npm"
    fake_npm.write_text("#!/bin/sh\necho 'npm ERR! network request failed' >&2\nexit 1\n")
    fake_npm.chmod(0o755)
    monkeypatch.setattr(assets.shutil, "which", lambda name: str(fake_npm))
    notices = assets.install(tmp_path / "vendor")
    failed = [line for line in notices if "npm pack" in line and "network request failed" in line]
    assert len(failed) == len(PLUGINS)
    assert assets.status(tmp_path / "vendor") == {
        "leaflet": True,
        "fullscreen": False,
        "minimap": False,
    }


def test_importing_geo_assets_does_not_import_folium():
    code = (
        "import sys, geo.render.web.assets; "
        "print(sorted(m for m in ('folium', 'branca') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(assets.__file__).resolve().parents[3])},
    )
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------- the standalone page


def test_the_standalone_page_is_self_contained_and_carries_leaflet(full_vendor):
    html = page.standalone(kharkiv_map())
    assert not EXTERNAL_LINK.search(html)
    assert LOCAL_LINKS.findall(html) == []  # every script and stylesheet is in the page itself
    leaflet = (full_vendor / "leaflet" / "leaflet.js").read_text("utf-8")
    assert _middle(leaflet) in html  # a stretch of the pinned file, pasted as it is
    assert html.index("Leaflet 1.9.3") < html.index("L.map(")
    assert FULLSCREEN_SOURCE in html and MINIMAP_SOURCE in html
    assert "jQuery" not in html and "jquery" not in html
    assert "url(images/" not in html and "url(icon-fullscreen.svg)" not in html
    assert "data:image/png;base64," in html and "data:image/svg+xml;base64," in html
    assert "sourceMappingURL" not in html
    assert "tile.openstreetmap.org" in html  # tiles are not scripts: the map's own script asks


def test_folium_classes_are_untouched(core_vendor):
    class_js = list(folium.Map.default_js)
    page.standalone(plain_map())
    assert folium.Map.default_js == class_js


def test_unneeded_libraries_are_dropped_inline_and_with_the_cdn(core_vendor):
    for cdn in (False, True):
        html = page.standalone(plain_map(), cdn=cdn).lower()
        for name in ("jquery", "bootstrap", "fontawesome", "awesome-markers", "glyphicons"):
            assert name not in html, (cdn, name)


def test_the_cdn_page_keeps_folium_public_urls(core_vendor):
    html = page.standalone(plain_map(), cdn=True)
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">' in html
    assert "Leaflet 1.9.3" not in html


def test_an_altered_file_raises_assets_missing_naming_it(core_vendor):
    leaflet_js = core_vendor / "leaflet" / "leaflet.js"
    data = bytearray(leaflet_js.read_bytes())
    data[100] ^= 0x01
    leaflet_js.write_bytes(bytes(data))
    with pytest.raises(assets.AssetsMissing) as caught:
        page.standalone(plain_map())
    assert caught.value.path == leaflet_js
    message = str(caught.value)
    assert str(leaflet_js) in message and "make setup" in message
    assert "kharkiv-map assets install" in message


def test_an_unknown_link_raises(core_vendor):
    class Sparkles(JSCSSMixin):
        default_js = [("sparkles", "https://cdn.example.org/sparkles.min.js")]

    for cdn in (False, True):
        m = plain_map()
        m.add_child(Sparkles())
        with pytest.raises(assets.UnknownAssetLink, match="cdn.example.org/sparkles.min.js"):
            page.standalone(m, cdn=cdn)


def test_an_unknown_link_added_to_the_page_header_raises(core_vendor):
    m = plain_map()
    m.get_root().header.add_child(folium.JavascriptLink("https://cdn.example.org/x.js"), name="x")
    with pytest.raises(assets.UnknownAssetLink, match="cdn.example.org/x.js"):
        page.standalone(m)


def test_inlined_text_cannot_close_its_tag():
    js = page.script_safe('var s = "</script><script>alert(1)</SCRIPT>"; // <!-- x')
    assert "</script" not in js.lower() and "<!--" not in js
    assert "</style" not in page.style_safe('a::after { content: "</style>"; }').lower()


def test_pasted_code_is_text_not_a_template_and_cannot_close_its_element():
    figure = folium.Figure()
    code = 'var t = "{{ this }} {% if x %}"; var s = "</script><img src=x onerror=alert(1)>";'
    figure.header.add_child(page.InlineScript(page.script_safe(code)), name="x")
    figure.header.add_child(
        page.InlineStyle(page.style_safe('p::after{content:"</style><b>"}')), name="y"
    )
    header = figure.header.render()
    assert "{{ this }} {% if x %}" in header  # kept verbatim, not rendered by Jinja
    # each element is closed once, by its own end tag: the pasted text never closes it
    assert header.lower().count("</script>") == 1 and header.lower().count("</style>") == 1
    assert header.index("</script>") > header.index("<img")


# --------------------------------------------------------------------------- plugins left out


def test_a_missing_plugin_is_left_out_of_the_export_with_exactly_one_notice(full_vendor, default):
    shutil.rmtree(full_vendor / "fullscreen")
    html, notices = export.map_html(default, "none")
    assert notices == [
        "Fullscreen control left out: its script is not installed (needs npm; run `make setup`)."
    ]
    assert FULLSCREEN_SOURCE not in html and "L.control.fullscreen(" not in html
    assert MINIMAP_SOURCE in html and "Leaflet 1.9.3" in html
    assert not EXTERNAL_LINK.search(html)


def test_without_npm_every_plugin_is_left_out_once_and_the_page_still_renders(core_vendor, default):
    html, notices = export.map_html(default, "none")
    assert len(notices) == len(PLUGINS) and all("left out" in notice for notice in notices)
    assert "Leaflet 1.9.3" in html and "L.circleMarker" in html
    assert not EXTERNAL_LINK.search(html)
    html, notices = export.map_html(default, "none", cdn=True)  # the CDN has them all
    assert notices == [] and "Control.MiniMap.js" in html


def test_an_altered_plugin_file_raises_rather_than_being_left_out(full_vendor):
    css = full_vendor / "minimap" / "Control.MiniMap.css"
    css.write_text(css.read_text("utf-8") + "\n/* edited */\n", "utf-8")
    with pytest.raises(assets.AssetsMissing, match="Control.MiniMap.css"):
        assets.plugins()


def test_missing_leaflet_raises_with_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setenv(assets.ENV_VAR, str(tmp_path / "empty"))
    with pytest.raises(assets.AssetsMissing, match=r"leaflet.*missing.*make setup"):
        assets.plugins()
    with pytest.raises(assets.AssetsMissing, match=r"leaflet.*missing.*make setup"):
        page.served(plain_map())


# --------------------------------------------------------------------------- mounted in the app


def test_served_links_are_under_the_base_url_to_installed_files(full_vendor):
    scripts_, stylesheets = page.served(kharkiv_map(), "/app/static/vendor")
    assert scripts_ == [
        "/app/static/vendor/leaflet/leaflet.js",
        "/app/static/vendor/fullscreen/Control.FullScreen.js",
        "/app/static/vendor/minimap/Control.MiniMap.js",
    ]
    assert stylesheets[0] == "/app/static/vendor/leaflet/leaflet.css" and len(stylesheets) == 3
    for url in scripts_ + stylesheets:
        assert (full_vendor / url.removeprefix("/app/static/vendor/")).is_file(), url


def test_the_hosted_parts_link_nothing_and_keep_folium_page_styles_out(full_vendor):
    m = kharkiv_map()
    name = m.get_name()
    parts = page.hosted(m)
    assert parts.name == name and f"var {name} = L.map(" in parts.script
    assert f'id="{name}"' in parts.html.replace("'", '"')
    for text in (parts.styles, parts.html, parts.script):
        assert not LOCAL_LINKS.search(text) and "<meta" not in text
    assert "html, body" not in parts.styles and f"#{name}" not in parts.styles
    assert re.fullmatch(r"[0-9a-f]{16}", parts.id)
    # The host keeps a drawn map while the id stays the same: another map, another id.
    assert page.hosted(kharkiv_map()).id != parts.id


# --------------------------------------------------------------------------- installed package (no static/vendor)


def test_without_a_vendor_folder_the_page_reads_leaflet_from_the_xstatic_package(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(assets.ENV_VAR, str(tmp_path / "absent"))
    import xstatic.pkg.leaflet

    leaflet = (Path(xstatic.pkg.leaflet.BASE_DIR) / "leaflet.js").read_text("utf-8")
    html = page.standalone(plain_map())
    assert _middle(leaflet) in html
    assert LOCAL_LINKS.findall(html) == [] and not EXTERNAL_LINK.search(html)
    with pytest.raises(assets.AssetsMissing, match="missing"):  # the app needs served copies
        page.served(plain_map())


def test_an_altered_xstatic_file_is_refused_naming_it(tmp_path, monkeypatch):
    import xstatic.pkg.leaflet

    copy = tmp_path / "xstatic-leaflet"
    shutil.copytree(xstatic.pkg.leaflet.BASE_DIR, copy)
    (copy / "leaflet.css").write_text("/* not leaflet */", "utf-8")
    monkeypatch.setattr(assets, "_xstatic_base", lambda library: copy)
    monkeypatch.setenv(assets.ENV_VAR, str(tmp_path / "absent"))
    with pytest.raises(assets.AssetsMissing) as caught:
        page.standalone(plain_map())
    assert caught.value.path == copy / "leaflet.css"
    assert "does not match the sha256" in str(caught.value)


# --------------------------------------------------------------------------- files that are not files


def test_a_fifo_in_place_of_a_vendored_file_is_refused_without_hanging(core_vendor):
    target = core_vendor / "leaflet" / "leaflet.css"
    target.unlink()
    os.mkfifo(target)
    with pytest.raises(assets.AssetsMissing) as caught:
        page.standalone(plain_map())
    assert caught.value.path == target and "not a regular file" in str(caught.value)
    assert str(target) in str(caught.value) and "\n" not in str(caught.value)


def test_an_oversized_vendored_file_is_refused_before_reading(core_vendor, monkeypatch):
    monkeypatch.setattr(assets, "MAX_BYTES", 1000)
    with pytest.raises(
        assets.AssetsMissing, match=r"leaflet.js is [\d,]+ bytes, more than the 1,000"
    ):
        page.standalone(plain_map())
