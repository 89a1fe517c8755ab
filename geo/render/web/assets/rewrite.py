"""Pointing a folium map at the pinned files instead of public CDNs.

folium declares each element's scripts as data (``default_js`` / ``default_css``) and adds
them to the page header when it renders. :func:`localise` rewrites those lists on each
element instance (the folium classes are untouched), the way streamlit-folium reads them:

``"static"``  URLs under ``/app/static/vendor/`` for Streamlit and streamlit-folium;
``"inline"``  no links at all: the files go into the figure's header as ``<script>`` and
              ``<style>`` elements (:mod:`geo.render.web.assets.inline`), so the page stands alone;
``"cdn"``     folium's public URLs (for comparison).

In every mode Bootstrap, Font Awesome, awesome-markers and glyphicons are dropped (the map
needs none of them), and any other internet link raises :class:`UnknownAssetLink`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import branca.colormap
import folium
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.elements import JSCSSMixin

from geo.data import scripts
from geo.data.scripts import AssetFile, Bundle
from geo.i18n import _, quote
from geo.render.web.assets import inline, store
from geo.render.web.assets.store import AssetsMissing, UnknownAssetLink

_EXTERNAL_TAG = re.compile(
    r"""<script\b[^>]*\bsrc=["']?(?P<s>[^"'\s>]+)"""
    r"""|<link\b(?=[^>]*\bstylesheet\b)[^>]*\bhref=["']?(?P<h>[^"'\s>]+)""",
    re.I,
)


def _walk(
    element: Element, parent: Element | None = None, key: str | None = None
) -> Iterator[tuple[Element | None, str | None, Element]]:
    """Every element of the tree with its parent and its key in the parent's ``_children``."""
    yield parent, key, element
    for child_key, child in list(getattr(element, "_children", {}).items()):
        yield from _walk(child, element, child_key)


def _cdn_links(element: JSCSSMixin, attr: str) -> list[tuple[str, str]]:
    """The element's links as folium made them, remembered on the instance on first sight.

    Kept so :func:`localise` can run again (or in another mode) on the same map.
    """
    memo = f"_kharkiv_cdn_{attr}"
    if memo not in vars(element):
        setattr(element, memo, list(getattr(element, attr)))
    return getattr(element, memo)


def _unknown(element: Element, url: str) -> UnknownAssetLink:
    return UnknownAssetLink(
        _(
            "{element} links {url}, which geo/data/scripts.py does not vendor; pin it in BUNDLES "
            "(with its sha256) or "
            "leave that element off the map, so the map never loads code from the internet."
        ).format(element=type(element).__name__, url=quote.shown(url))
    )


def _kept_links(
    element: Element, links: list[tuple[str, str]]
) -> Iterator[tuple[str, str, tuple[Bundle, AssetFile] | None]]:
    """Each link that stays (dropped libraries removed) with its pinned file, if it has one."""
    index = scripts.cdn_index()
    for name, url in links:
        if scripts.is_dropped(url):
            continue
        if url not in index and scripts.is_external(url):
            raise _unknown(element, url)
        yield name, url, index.get(url)


def _rewrite(
    element: Element,
    links: list[tuple[str, str]],
    mode: str,
    base_url: str,
    figure: Figure | None,
    folder: Path,
) -> list[tuple[str, str]]:
    """The element's links for ``mode``; in ``"inline"`` mode the pinned ones go into the header."""
    out = []
    for name, url, pinned in _kept_links(element, links):
        if pinned is None or mode == "cdn":
            out.append((name, url))
        elif mode == "static":
            bundle, asset = pinned
            out.append((name, f"{base_url.rstrip('/')}/{bundle.name}/{asset.path}"))
        elif figure is not None:
            inline.attach(figure, name, *pinned, folder)
    return out


def _absent_bundles(
    links: list[tuple[str, str]], folder: Path, mode: str, problems: dict[str, AssetsMissing | None]
) -> list[Bundle]:
    """The optional bundles these links need that are not installed (``problems`` caches checks).

    A required bundle that is missing, or any file present but altered, raises instead:
    those are not states to paper over by leaving a control out.
    """
    index = scripts.cdn_index()
    names = dict.fromkeys(index[url][0].name for _name, url in links if url in index)
    absent = []
    for name in names:
        bundle = scripts.BUNDLES[name]
        if name not in problems:
            problems[name] = store.bundle_problem(bundle, folder, fallback=mode == "inline")
        problem = problems[name]
        if problem is not None and (bundle.required or (problem.path and problem.path.exists())):
            raise problem
        if problem is not None:
            absent.append(bundle)
    return absent


def _forget_rendered_links(m: folium.Map, names: set[str]) -> None:
    """Remove what an earlier render or localise left in the page header, so stale CDN links
    (or files pasted for another mode) cannot survive; the current ones are added back."""
    root = m.get_root()
    if not isinstance(root, Figure):
        return
    header_children = root.header._children
    for key, child in list(header_children.items()):
        if inline.is_inline(child):
            del header_children[key]
        elif not isinstance(child, (JavascriptLink, CssLink)):
            continue
        elif key in names or scripts.is_dropped(child.url) or child.url in scripts.cdn_index():
            del header_children[key]
        elif scripts.is_external(child.url):
            raise _unknown(child, child.url)


def check_mode(mode: str) -> None:
    if mode not in scripts.MODES:
        choices = ", ".join(map(repr, scripts.MODES))
        raise ValueError(
            _(
                "mode must be one of {choices}, got {value} (example: localise(m, 'static'))."
            ).format(choices=choices, value=repr(quote.shown(mode)))
        )


def localise(m: folium.Map, mode: str, base_url: str = store.DEFAULT_BASE_URL) -> list[str]:
    """Point every script and stylesheet of map ``m`` at the pinned files; return notices.

    Outside ``"cdn"`` mode the files must be installed (in ``"inline"`` mode Leaflet and
    jQuery may also come straight from their XStatic packages): Leaflet or jQuery missing,
    or any file altered, raises :class:`AssetsMissing`; a plugin whose files are missing is
    taken off the map, with one notice per plugin.
    """
    check_mode(mode)
    folder = store.vendor_dir()
    for bundle in scripts.BUNDLES.values() if mode != "cdn" else ():
        problem = (
            store.bundle_problem(bundle, folder, fallback=mode == "inline")
            if bundle.required
            else None
        )
        if problem is not None:
            raise problem
    root = m.get_root()
    figure = root if isinstance(root, Figure) else None
    problems: dict[str, AssetsMissing | None] = {}
    notices: list[str] = []
    names: set[str] = set()
    left_out: set[int] = set()
    elements = []
    for parent, key, element in list(_walk(m)):
        if id(parent) in left_out:
            left_out.add(id(element))
            continue
        if isinstance(element, branca.colormap.ColorMap):
            raise _unknown(
                element, _("d3.js from d3js.org and cdnjs (added by branca and streamlit-folium)")
            )
        if not isinstance(element, JSCSSMixin):
            continue
        js, css = _cdn_links(element, "default_js"), _cdn_links(element, "default_css")
        names.update(name for name, _url in js + css)
        absent = _absent_bundles(js + css, folder, mode, problems) if mode != "cdn" else []
        if absent and parent is None:
            raise problems[absent[0].name]
        if absent:
            del parent._children[key]
            left_out.add(id(element))
            notices.extend(
                _(
                    "{label} left out: its script is not installed (needs npm; run `make setup`)."
                ).format(label=_(b.label))
                for b in absent
            )
            continue
        elements.append(element)
    _forget_rendered_links(m, names)
    for element in elements:
        js, css = _cdn_links(element, "default_js"), _cdn_links(element, "default_css")
        element.default_js = _rewrite(element, js, mode, base_url, figure, folder)
        element.default_css = _rewrite(element, css, mode, base_url, figure, folder)
    return list(dict.fromkeys(notices))


def refuse_outside_links(html: str, mode: str, base_url: str = store.DEFAULT_BASE_URL) -> None:
    """Last guard on the finished page: no script or stylesheet from anywhere but the chosen place."""
    for match in _EXTERNAL_TAG.finditer(html):
        url = match["s"] or match["h"]
        local = (
            url.startswith(base_url.rstrip("/") + "/")
            if mode == "static"
            else not scripts.is_external(url)
        )
        if not local:
            raise UnknownAssetLink(
                _("The rendered map still links {url}; map code is not loaded from there.").format(
                    url=quote.shown(url)
                )
            )


def render_html(
    m: folium.Map, mode: str = "inline", base_url: str = store.DEFAULT_BASE_URL
) -> tuple[str, list[str]]:
    """The full HTML page of map ``m`` with its scripts from the pinned files; and notices."""
    notices = localise(m, mode, base_url)
    html = m.get_root().render()
    if mode != "cdn":
        refuse_outside_links(html, mode, base_url)
    return html, notices
