"""Tests for geo.render.web.assets: the map's scripts come from the pinned local copies, never a CDN.

No test here runs npm or touches the network. Leaflet and jQuery are installed into
temporary folders from the XStatic wheels (a local copy); tests that need the npm plugins
use a copy of the project's installed vendor folder and are skipped when it lacks them.
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
from geo.render.web import assets
from geo.render.web.assets import inline, installer, store

PLUGINS = ("fullscreen", "measure", "minimap")
EXTERNAL_LINK = re.compile(
    r"""<script\b[^>]*\bsrc=["']?(?:https?:)?//|<link\b[^>]*\bhref=["']?(?:https?:)?//""", re.I
)
# A line of each plugin's own source, to tell whether it was inlined.
FULLSCREEN_SOURCE = "leaflet.fullscreen requires this object"
MEASURE_SOURCE = "Control.Measure=d.Control.extend("
MINIMAP_SOURCE = "window.L.Control.MiniMap = factory(L)"
LOCAL_LINKS = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)""", re.I)


def _project_vendor() -> Path:
    """The project's real vendor folder, whatever KHARKIV_MAP_ASSETS says in this shell."""
    return Path(assets.__file__).resolve().parents[4] / "static" / "vendor"


@pytest.fixture
def core_vendor(tmp_path, monkeypatch) -> Path:
    """A vendor folder with only the PyPI bundles (Leaflet, jQuery), as if npm were absent.

    Installed from the XStatic wheels, so it needs no network; set as KHARKIV_MAP_ASSETS.
    """
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
    """A map without plugins: circle markers, a popup and a tooltip."""
    m = folium.Map(location=[49.99, 36.23], zoom_start=9)
    folium.CircleMarker([49.99, 36.23], radius=6, popup="Kharkiv", tooltip="Kharkiv").add_to(m)
    return m


def kharkiv_map() -> folium.Map:
    """A map with everything the real one uses: controls, circle markers, popups, tooltips."""
    m = folium.Map(location=[49.99, 36.23], zoom_start=9)
    plugins.Fullscreen().add_to(m)
    plugins.MeasureControl().add_to(m)
    plugins.MiniMap().add_to(m)
    folium.CircleMarker([49.99, 36.23], radius=6, popup="Kharkiv", tooltip="Kharkiv").add_to(m)
    return m


# --------------------------------------------------------------------------- manifest


def test_manifest_pins_every_file_and_maps_every_cdn_url_to_a_pinned_file():
    for bundle in assets.BUNDLES.values():
        assert bundle.registry in {"pypi", "npm"}
        assert bundle.files, bundle.name
        for asset in bundle.files:
            assert re.fullmatch(r"[0-9a-f]{64}", asset.sha256), (bundle.name, asset.path)
        for url, path in bundle.cdn.items():
            assert url.startswith("https://")
            bundle.file(path)  # KeyError if the CDN URL maps to an unpinned file


def test_folium_cdn_links_are_all_either_vendored_or_dropped():
    vendored = {url for bundle in assets.BUNDLES.values() for url in bundle.cdn}
    for element in (
        folium.Map(),
        plugins.Fullscreen(),
        plugins.MeasureControl(),
        plugins.MiniMap(),
    ):
        for _, url in element.default_js + element.default_css:
            assert url in vendored or scripts.is_dropped(url), url


def test_stylesheet_urls_resolve_to_pinned_files(full_vendor):
    for bundle in assets.BUNDLES.values():
        for asset in bundle.files:
            if not asset.path.endswith(".css"):
                continue
            css = (full_vendor / bundle.name / asset.path).read_text("utf-8")
            inlined = inline.css_with_data_uris(css, bundle, asset.path, full_vendor)
            for ref in re.findall(r"url\(\s*[\"']?([^\"')]+)", inlined):
                assert ref.startswith(("data:", "#")), (bundle.name, ref)


# --------------------------------------------------------------------------- install and status


def test_install_without_npm_installs_pypi_bundles_and_names_each_skipped_plugin(tmp_path):
    notices = assets.install(tmp_path, use_npm=False)
    assert (tmp_path / "leaflet" / "leaflet.js").is_file()
    assert (tmp_path / "leaflet" / "images" / "layers.png").is_file()
    assert (tmp_path / "jquery" / "jquery.min.js").is_file()
    assert assets.status(tmp_path) == {
        "leaflet": True,
        "jquery": True,
        "fullscreen": False,
        "measure": False,
        "minimap": False,
    }
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


def test_install_refuses_a_checksum_mismatch_and_writes_nothing(tmp_path, monkeypatch):
    leaflet = assets.BUNDLES["leaflet"]
    wrong = dataclasses.replace(
        leaflet, files=(dataclasses.replace(leaflet.files[0], sha256="0" * 64), *leaflet.files[1:])
    )
    monkeypatch.setattr(scripts, "BUNDLES", {**assets.BUNDLES, "leaflet": wrong})
    with pytest.raises(assets.AssetsMissing, match="leaflet.js.*pinned"):
        assets.install(tmp_path, use_npm=False)
    assert list(tmp_path.iterdir()) == []


def test_vendor_dir_defaults_to_repo_static_vendor_and_follows_the_env_var(tmp_path, monkeypatch):
    monkeypatch.delenv(assets.ENV_VAR, raising=False)
    assert assets.vendor_dir() == _project_vendor()
    monkeypatch.setenv(assets.ENV_VAR, str(tmp_path))
    assert assets.vendor_dir() == tmp_path


# --------------------------------------------------------------------------- rendering


def test_inline_page_is_self_contained_and_carries_leaflet(full_vendor):
    html, notices = assets.render_html(kharkiv_map(), "inline")
    assert notices == []
    assert not EXTERNAL_LINK.search(html)
    assert LOCAL_LINKS.findall(html) == []  # every script and stylesheet is in the page itself
    assert "Leaflet 1.9.3" in html  # leaflet.js's own banner
    assert "jQuery v3.7.1" in html
    assert FULLSCREEN_SOURCE in html and MINIMAP_SOURCE in html and MEASURE_SOURCE in html
    assert "url(images/" not in html and "url(icon-fullscreen.svg)" not in html
    assert "data:image/png;base64," in html and "data:image/svg+xml;base64," in html
    assert "sourceMappingURL" not in html
    # tile URLs in the map's own script are expected and fine
    assert "tile.openstreetmap.org" in html


def test_static_page_links_only_under_base_url_to_installed_files(full_vendor):
    base = "/app/static/vendor"
    html, notices = assets.render_html(kharkiv_map(), "static", base_url=base)
    assert notices == []
    links = LOCAL_LINKS.findall(html)
    assert links and all(link.startswith(base + "/") for link in links)
    for link in links:
        assert (full_vendor / link[len(base) + 1 :]).is_file(), link
    assert {link.rsplit("/", 1)[1] for link in links} >= {
        "leaflet.js",
        "leaflet.css",
        "jquery.min.js",
        "Control.FullScreen.js",
        "leaflet-measure.min.js",
        "leaflet-measure.css",
        "Control.MiniMap.js",
    }


def test_localise_rewrites_instances_not_folium_classes(core_vendor):
    m = plain_map()
    class_js = list(folium.Map.default_js)
    assets.localise(m, "static")
    assert folium.Map.default_js == class_js
    assert all(url.startswith("/app/static/vendor/") for _, url in m.default_js)


def test_unneeded_libraries_are_dropped_in_every_mode(core_vendor):
    for mode in assets.MODES:
        html, _ = assets.render_html(plain_map(), mode)
        for name in (
            "bootstrap",
            "fontawesome",
            "font-awesome",
            "awesome-markers",
            "awesome.rotate",
            "glyphicons",
        ):
            assert name not in html.lower(), (mode, name)


def test_cdn_mode_keeps_public_urls_but_drops_unneeded_ones(core_vendor):
    html, _ = assets.render_html(plain_map(), "cdn")
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">' in html
    assert "bootstrap" not in html.lower()


def test_a_map_rendered_before_loses_its_stale_cdn_links(core_vendor):
    m = plain_map()
    m.get_root().render()  # as folium or streamlit-folium would: header now holds CDN links
    html, _ = assets.render_html(m, "inline")
    assert not EXTERNAL_LINK.search(html)
    html_again, _ = assets.render_html(m, "static")
    assert all(link.startswith("/app/static/vendor/") for link in LOCAL_LINKS.findall(html_again))


# --------------------------------------------------------------------------- failures


def test_an_altered_file_raises_assets_missing_naming_it(core_vendor):
    leaflet_js = core_vendor / "leaflet" / "leaflet.js"
    data = bytearray(leaflet_js.read_bytes())
    data[100] ^= 0x01
    leaflet_js.write_bytes(bytes(data))
    with pytest.raises(assets.AssetsMissing) as caught:
        assets.render_html(plain_map(), "inline")
    assert caught.value.path == leaflet_js
    message = str(caught.value)
    assert (
        str(leaflet_js) in message
        and "make setup" in message
        and "kharkiv-map assets install" in message
    )


def test_an_altered_plugin_file_raises_rather_than_being_left_out(full_vendor):
    css = full_vendor / "measure" / "leaflet-measure.css"
    css.write_text(css.read_text("utf-8") + "\n/* edited */\n", "utf-8")
    with pytest.raises(assets.AssetsMissing, match="leaflet-measure.css"):
        assets.render_html(kharkiv_map(), "static")


def test_missing_leaflet_raises_with_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setenv(assets.ENV_VAR, str(tmp_path / "empty"))
    with pytest.raises(assets.AssetsMissing, match=r"leaflet.*missing.*make setup"):
        assets.localise(kharkiv_map(), "static")


def test_a_missing_plugin_is_left_out_with_exactly_one_notice(full_vendor):
    shutil.rmtree(full_vendor / "fullscreen")
    html, notices = assets.render_html(kharkiv_map(), "inline")
    assert notices == [
        "Fullscreen control left out: its script is not installed (needs npm; run `make setup`)."
    ]
    assert FULLSCREEN_SOURCE not in html and "L.control.fullscreen(" not in html
    assert MINIMAP_SOURCE in html and "Leaflet 1.9.3" in html
    assert not EXTERNAL_LINK.search(html)


def test_without_npm_every_plugin_is_left_out_once_and_the_page_still_renders(core_vendor):
    m = kharkiv_map()
    plugins.MiniMap().add_to(m)  # a second mini-map still gives one notice
    html, notices = assets.render_html(m, "inline")
    assert len(notices) == len(PLUGINS)
    assert all("left out" in notice for notice in notices)
    assert "Leaflet 1.9.3" in html and "L.circleMarker" in html
    assert not EXTERNAL_LINK.search(html)


def test_an_unknown_cdn_url_raises(core_vendor):
    class Sparkles(JSCSSMixin):
        default_js = [("sparkles", "https://cdn.example.org/sparkles.min.js")]

    m = plain_map()
    m.add_child(Sparkles())
    with pytest.raises(assets.UnknownAssetLink, match="cdn.example.org/sparkles.min.js"):
        assets.localise(m, "static")


def test_an_unknown_link_added_to_the_page_header_raises(core_vendor):
    m = plain_map()
    m.get_root().header.add_child(folium.JavascriptLink("https://cdn.example.org/x.js"), name="x")
    with pytest.raises(assets.UnknownAssetLink, match="cdn.example.org/x.js"):
        assets.render_html(m, "inline")


def test_a_colormap_is_refused_because_it_pulls_d3_from_the_internet(core_vendor):
    import branca.colormap

    m = plain_map()
    branca.colormap.LinearColormap(["green", "red"], vmin=0, vmax=1).add_to(m)
    with pytest.raises(assets.UnknownAssetLink, match="d3"):
        assets.localise(m, "static")


def test_bad_mode_names_the_choices():
    with pytest.raises(ValueError, match="'static', 'inline', 'cdn'"):
        assets.localise(folium.Map(), "offline")


def test_inlined_text_cannot_close_its_tag():
    js = inline.script_safe('var s = "</script><script>alert(1)</SCRIPT>"; // <!-- x')
    assert "</script" not in js.lower() and "<!--" not in js
    css = inline.style_safe('a::after { content: "</style>"; }')
    assert "</style" not in css.lower()


def test_pasted_code_is_text_not_a_template_and_cannot_close_its_element():
    figure = folium.Figure()
    code = 'var t = "{{ this }} {% if x %}"; var s = "</script><img src=x onerror=alert(1)>";'
    figure.header.add_child(inline.InlineScript(inline.script_safe(code)), name="x")
    figure.header.add_child(
        inline.InlineStyle(inline.style_safe('p::after{content:"</style><b>"}')), name="y"
    )
    header = figure.header.render()
    assert "{{ this }} {% if x %}" in header  # kept verbatim, not rendered by Jinja
    # each element is closed once, by its own end tag: the pasted text never closes it
    assert header.lower().count("</script>") == 1 and header.lower().rstrip().endswith("</style>")
    assert header.lower().count("</style>") == 1
    assert header.index("</script>") > header.index("<img")


def test_install_without_npm_on_path_skips_plugins_with_one_line_each(tmp_path, monkeypatch):
    monkeypatch.setattr(installer.shutil, "which", lambda name: None)
    notices = assets.install(tmp_path)
    skipped = [line for line in notices if "npm is not on PATH" in line]
    assert len(skipped) == len(PLUGINS)
    assert assets.status(tmp_path)["leaflet"] is True


def test_a_failed_npm_pack_leaves_that_plugin_out_with_one_line_and_installs_the_rest(
    tmp_path, monkeypatch
):
    fake_npm = tmp_path / "npm"
    fake_npm.write_text("#!/bin/sh\necho 'npm ERR! network request failed' >&2\nexit 1\n")
    fake_npm.chmod(0o755)
    monkeypatch.setattr(installer.shutil, "which", lambda name: str(fake_npm))
    notices = installer.install(tmp_path / "vendor")
    failed = [line for line in notices if "npm pack" in line and "network request failed" in line]
    assert len(failed) == len(PLUGINS)
    assert assets.status(tmp_path / "vendor") == {
        "leaflet": True,
        "jquery": True,
        "fullscreen": False,
        "measure": False,
        "minimap": False,
    }


# --------------------------------------------------------------------------- lazy imports, inline through branca


def test_importing_geo_assets_does_not_import_folium():
    code = "import sys, geo.render.web.assets; print(sorted(m for m in ('folium', 'branca') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(assets.__file__).resolve().parents[4])},
    )
    assert result.stdout.strip() == "[]"


def test_localise_inline_alone_makes_the_figure_render_self_contained(core_vendor):
    m = plain_map()
    assets.localise(m, "inline")
    page = m.get_root().render()  # folium's own render: no post-processing of the HTML
    assert LOCAL_LINKS.findall(page) == [] and not EXTERNAL_LINK.search(page)
    leaflet = (core_vendor / "leaflet" / "leaflet.js").read_text("utf-8")
    assert _middle(leaflet) in page  # a stretch of the pinned file, pasted as it is
    assert page.index("Leaflet 1.9.3") < page.index("L.map(")


def test_switching_modes_leaves_no_pasted_files_or_links_of_the_other_mode(core_vendor):
    m = plain_map()
    inline_page, _ = assets.render_html(m, "inline")
    static_page, _ = assets.render_html(m, "static")
    assert "Leaflet 1.9.3" in inline_page and "Leaflet 1.9.3" not in static_page
    assert len(static_page) < len(inline_page) / 10
    again, _ = assets.render_html(m, "inline")
    assert again.count("Leaflet 1.9.3") == 1 and LOCAL_LINKS.findall(again) == []


# --------------------------------------------------------------------------- installed package (no static/vendor)


def test_without_a_vendor_folder_inline_reads_leaflet_from_the_xstatic_packages(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(assets.ENV_VAR, str(tmp_path / "absent"))
    html, notices = assets.render_html(kharkiv_map(), "inline")
    assert len(notices) == len(PLUGINS) and all("left out" in n for n in notices)
    import xstatic.pkg.leaflet

    leaflet = (Path(xstatic.pkg.leaflet.BASE_DIR) / "leaflet.js").read_text("utf-8")
    assert _middle(leaflet) in html and "jQuery v3.7.1" in html
    assert LOCAL_LINKS.findall(html) == [] and not EXTERNAL_LINK.search(html)
    with pytest.raises(assets.AssetsMissing, match="missing"):  # Streamlit needs the served copies
        assets.localise(kharkiv_map(), "static")


def test_an_altered_xstatic_file_is_refused_naming_it(tmp_path, monkeypatch):
    import xstatic.pkg.leaflet

    copy = tmp_path / "xstatic-leaflet"
    shutil.copytree(xstatic.pkg.leaflet.BASE_DIR, copy)
    (copy / "leaflet.css").write_text("/* not leaflet */", "utf-8")
    monkeypatch.setattr(store, "xstatic_base", lambda bundle: copy)
    monkeypatch.setenv(assets.ENV_VAR, str(tmp_path / "absent"))
    with pytest.raises(assets.AssetsMissing) as caught:
        assets.render_html(plain_map(), "inline")
    assert caught.value.path == copy / "leaflet.css" and "does not match the sha256" in str(
        caught.value
    )


# --------------------------------------------------------------------------- files that are not files


def test_a_fifo_in_place_of_a_vendored_file_is_refused_without_hanging(core_vendor):
    target = core_vendor / "leaflet" / "leaflet.css"
    target.unlink()
    os.mkfifo(target)
    with pytest.raises(assets.AssetsMissing) as caught:
        assets.render_html(plain_map(), "inline")
    assert caught.value.path == target and "not a regular file" in str(caught.value)
    assert str(target) in str(caught.value) and "\n" not in str(caught.value)


def test_an_oversized_vendored_file_is_refused_before_reading(core_vendor, monkeypatch):
    monkeypatch.setattr(store, "MAX_BYTES", 1000)
    with pytest.raises(
        assets.AssetsMissing, match=r"leaflet.js is [\d,]+ bytes, more than the 1,000"
    ):
        assets.render_html(plain_map(), "inline")
