"""Pasting the pinned files into the page itself, for one self-contained HTML file.

Works through branca's own tree: each script or stylesheet becomes an element in the
figure's header, under the name folium would have given its link (so a library two
elements need is pasted once), and the elements themselves link nothing. Images a
stylesheet names become ``data:`` URIs. The text is verified against its pin first and
escaped so that it cannot close the ``<script>`` or ``<style>`` element it sits in.
"""

from __future__ import annotations

import base64
import json
import posixpath
import re
from pathlib import Path

from branca.element import Element, Figure
from jinja2 import Template

from geo.data import scripts
from geo.data.scripts import AssetFile, Bundle
from geo.i18n import _, quote
from geo.render.web.assets import store
from geo.render.web.assets.store import AssetsMissing, UnknownAssetLink

_IMAGE_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<ref>[^"')]+)(?P=q)\s*\)""")
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=\S+\s*$", re.M)

#: Header key of the script that gives Leaflet its default marker images.
LEAFLET_ICONS = "leaflet_default_icon_images"


class InlineScript(Element):
    """A ``<script>`` holding code pasted in (already made safe by :func:`script_safe`).

    The code is a template *variable*, never template source, so ``{{`` in it is just text.
    """

    _template = Template("<script>{{ this.code }}</script>\n")

    def __init__(self, code: str):
        super().__init__()
        self._name = "InlineScript"
        self.code = code


class InlineStyle(Element):
    """A ``<style>`` holding a stylesheet pasted in (already made safe by :func:`style_safe`)."""

    _template = Template("<style>{{ this.css }}</style>\n")

    def __init__(self, css: str):
        super().__init__()
        self._name = "InlineStyle"
        self.css = css


def script_safe(js: str) -> str:
    """JavaScript that cannot end or confuse the ``<script>`` element it is pasted into.

    ``</script`` and ``<!--`` only occur inside strings, regexes or comments in real
    code, where ``<\\/`` and ``<\\!`` mean the same characters.

    >>> script_safe('s = "</SCRIPT>"')
    's = "<\\\\/SCRIPT>"'
    """
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.I)
    return js.replace("<!--", "<\\!--")


def style_safe(css: str) -> str:
    """CSS that cannot end the ``<style>`` element it is pasted into (``\\/`` is ``/`` in CSS)."""
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)


def _text(bundle: Bundle, asset: AssetFile, folder: Path) -> str:
    data = store.read_verified(bundle, asset, folder, fallback=True)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        path = store.location(bundle, asset, folder, fallback=True)
        raise AssetsMissing(
            _(
                "The map asset {file} is not UTF-8 text (offset {offset}); run {setup} (or "
                "{install}) "
                "to reinstall it."
            ).format(
                file=quote.shown_path(path),
                offset=err.start,
                setup=store.SETUP_COMMAND,
                install=store.INSTALL_COMMAND,
            ),
            path,
        ) from None


def _data_uri(bundle: Bundle, asset: AssetFile, folder: Path) -> str:
    kind = _IMAGE_TYPES.get(posixpath.splitext(asset.path)[1].lower(), "application/octet-stream")
    payload = base64.b64encode(store.read_verified(bundle, asset, folder, fallback=True)).decode(
        "ascii"
    )
    return f"data:{kind};base64,{payload}"


def css_with_data_uris(css: str, bundle: Bundle, css_path: str, folder: Path) -> str:
    """Replace each relative ``url(...)`` by a ``data:`` URI of the pinned file it names."""
    base = posixpath.dirname(css_path)

    def swap(match: re.Match[str]) -> str:
        ref = match["ref"].strip()
        if ref.startswith(("data:", "#")):
            return match[0]
        if scripts.is_external(ref):
            raise UnknownAssetLink(
                _("{file} refers to {url} on the internet; it cannot be inlined.").format(
                    file=f"{bundle.name}/{css_path}", url=quote.shown(ref)
                )
            )
        path = posixpath.normpath(posixpath.join(base, re.split(r"[?#]", ref)[0]))
        try:
            asset = bundle.file(path)
        except KeyError:
            raise AssetsMissing(
                _("{file} names {path}, which geo/data/scripts.py does not pin.").format(
                    file=f"{bundle.name}/{css_path}", path=path
                )
            ) from None
        return f'url("{_data_uri(bundle, asset, folder)}")'

    return _CSS_URL.sub(swap, css)


def _leaflet_icons(bundle: Bundle, folder: Path) -> InlineScript:
    """Leaflet finds its default marker icon by reading a CSS url() back as a folder path,
    which cannot work once that url() is a data: URI; give it the images directly."""
    images = {
        key: json.dumps(_data_uri(bundle, bundle.file(f"images/{name}"), folder))
        for key, name in (
            ("iconUrl", "marker-icon.png"),
            ("iconRetinaUrl", "marker-icon-2x.png"),
            ("shadowUrl", "marker-shadow.png"),
        )
    }
    options = ", ".join(f"{key}: {uri}" for key, uri in images.items())
    return InlineScript(
        f"L.Icon.Default.imagePath = ''; L.Icon.Default.mergeOptions({{{options}}});"
    )


def element_for(bundle: Bundle, asset: AssetFile, folder: Path) -> Element:
    """The header element that carries one pinned script or stylesheet."""
    if asset.path.endswith(".css"):
        css = css_with_data_uris(_text(bundle, asset, folder), bundle, asset.path, folder)
        return InlineStyle(style_safe(css))
    return InlineScript(script_safe(_SOURCE_MAP.sub("", _text(bundle, asset, folder))))


def attach(figure: Figure, name: str, bundle: Bundle, asset: AssetFile, folder: Path) -> None:
    """Put the file into the figure's header under ``name`` (a name already there is kept)."""
    header = figure.header
    if isinstance(header._children.get(name), (InlineScript, InlineStyle)):
        return
    header.add_child(element_for(bundle, asset, folder), name=name)
    if bundle.name == "leaflet" and asset.path == "leaflet.js":
        header.add_child(_leaflet_icons(bundle, folder), name=LEAFLET_ICONS)


def is_inline(element: Element) -> bool:
    """Whether ``element`` is one this module put into a header."""
    return isinstance(element, (InlineScript, InlineStyle))
