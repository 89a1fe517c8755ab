"""Map scripts and stylesheets served from this project, never from a public CDN.

folium links Leaflet, jQuery, Bootstrap, Font Awesome and its plugins from public CDNs
(jsdelivr, cdnjs, code.jquery.com, netdna). With no internet the map stays blank. This
package keeps a pinned copy of exactly what the Kharkiv map needs and points the map at it:

* Leaflet 1.9.3 (script, stylesheet and the images the stylesheet names) from the PyPI
  wheel ``xstatic-leaflet==1.9.3.0``;
* jQuery 3.7.1 from ``xstatic-jquery==3.7.1.1``: folium's own templates call ``$``, for
  every popup (``$(`<div>...`)[0]``) and for ``keep_in_front`` (``$(document).ready``);
* the Fullscreen, Measure and MiniMap controls, which exist only on npm, fetched with
  ``npm pack`` (no ``node_modules``, no install scripts). They are optional: a map whose
  plugin is not installed draws without that control, with one notice.

Bootstrap, Font Awesome, glyphicons and awesome-markers are *dropped*, not vendored: the
map uses CircleMarkers, plain popups/tooltips and an HTML legend, none of which need them.

The modules, one job each:

``geo.data.scripts`` the table :data:`BUNDLES`: packages, versions, files, sha256, CDN URLs;
``store``     where the copies live (``<repo>/static/vendor``, or ``$KHARKIV_MAP_ASSETS``),
              reading them back verified, :func:`status`;
``installer`` :func:`install` from the XStatic wheels and ``npm pack``
              (``kharkiv-map assets install``);
``rewrite``   :func:`localise` and :func:`render_html`: point a folium map at the copies,
              ``"static"`` (Streamlit), ``"inline"`` (one self-contained page) or ``"cdn"``;
``inline``    the header elements that carry pasted scripts and stylesheets.

Importing this package does not import folium; :func:`localise` and :func:`render_html`
do, when a map is actually localised. In the app: ``notices = localise(m, "static")``
then ``st_folium(m, ...)``; for a file: ``html, notices = render_html(m)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.data.scripts import BUNDLES, DROPPED_LINKS, MODES, AssetFile, Bundle
from geo.render.web.assets.installer import install
from geo.render.web.assets.store import (
    DEFAULT_BASE_URL,
    ENV_VAR,
    INSTALL_HINT,
    AssetsMissing,
    UnknownAssetLink,
    status,
    vendor_dir,
)

if TYPE_CHECKING:
    import folium

__all__ = [
    "BUNDLES",
    "DEFAULT_BASE_URL",
    "DROPPED_LINKS",
    "ENV_VAR",
    "INSTALL_HINT",
    "MODES",
    "AssetFile",
    "AssetsMissing",
    "Bundle",
    "UnknownAssetLink",
    "install",
    "localise",
    "render_html",
    "status",
    "vendor_dir",
]


def localise(m: folium.Map, mode: str, base_url: str = DEFAULT_BASE_URL) -> list[str]:
    """Point every script and stylesheet of map ``m`` at the pinned copies; return notices.

    ``mode`` is ``"static"`` (links under ``base_url``), ``"inline"`` (the files pasted
    into the page header) or ``"cdn"`` (folium's public URLs). Each notice is one sentence
    for the user (a control left out because npm was not available at set-up). Raises
    :class:`AssetsMissing` (Leaflet or jQuery missing, any file altered) or
    :class:`UnknownAssetLink` (an internet link that is not pinned). See
    :func:`geo.render.web.assets.rewrite.localise`.
    """
    from geo.render.web.assets import rewrite

    return rewrite.localise(m, mode, base_url)


def render_html(
    m: folium.Map, mode: str = "inline", base_url: str = DEFAULT_BASE_URL
) -> tuple[str, list[str]]:
    """The full HTML page of map ``m`` and the notices: :func:`localise`, render, then a last
    check that no script or stylesheet is linked from anywhere but the chosen place.

    In ``"inline"`` mode the page needs nothing but the tile server (tile URLs stay in the
    map's script; tiles are not assets).
    """
    from geo.render.web.assets import rewrite

    return rewrite.render_html(m, mode, base_url)
