"""A folium map as HTML, with its scripts from the pinned files: a page of its own (the
export), or the parts a host page mounts (the app's map component).

folium declares each element's scripts and stylesheets as data, ``default_js`` and
``default_css``, pairs of a name and a CDN URL, and links them in the page's header when it
renders. Both functions read those declarations the way folium's own rendering does, walking
the map's elements, and match each name to :data:`geo.data.scripts.BY_FOLIUM_NAME` (a name in
``DROPPED`` is left out; any other raises :class:`~geo.render.web.assets.UnknownAssetLink`, so
the map never loads code from anywhere unpinned). The elements are then left declaring nothing,
on the instance (folium's classes are untouched), and the files reach the page another way:

* :func:`standalone` pastes them into the page's header (the one inliner): one HTML file that
  needs nothing but the tile server; images a stylesheet names become ``data:`` URIs. With
  ``cdn=True`` the page keeps folium's public links instead, less the dropped ones.
* :func:`hosted` gives their URLs where the app serves them (``/app/static/vendor/…``), for
  the host page to load once, and the map's styles, HTML and script, to mount in its page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import folium
from branca.element import Element, Figure
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.data import scripts
from geo.data.scripts import File, Library
from geo.i18n import _, quote
from geo.render.web import assets
from geo.render.web.assets import UnknownAssetLink

_IMAGE_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<ref>[^"')]+)(?P=q)\s*\)""")
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=\S+\s*$", re.M)
_LINKED = re.compile(
    r"""<script\b[^>]*\bsrc=["']?(?P<s>[^"'\s>]+)|<link\b(?=[^>]*\bstylesheet\b)[^>]*\bhref=["']?(?P<h>[^"'\s>]+)""",
    re.I,
)
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.I | re.S)


def _elements(element: Element) -> Iterator[Element]:
    """The element and every element under it: branca's tree, as folium renders it."""
    yield element
    for child in list(element._children.values()):
        yield from _elements(child)


def _declared(m: folium.Map, keep_cdn: bool = False) -> list[tuple[Library, File]]:
    """The pinned files the map's elements declare, in order and once each, the dropped names
    left out. The elements are left declaring nothing (``keep_cdn``: their public links, less
    the dropped ones)."""
    found: dict[str, tuple[Library, File]] = {}
    for element in _elements(m):
        if not isinstance(element, JSCSSMixin):
            continue
        for kind in ("default_js", "default_css"):
            kept = []
            for name, url in getattr(element, kind):
                if name in scripts.DROPPED:
                    continue
                if name not in scripts.BY_FOLIUM_NAME:
                    raise UnknownAssetLink(
                        _(
                            "{element} links {url}, which geo/data/scripts.py does not pin; pin "
                            "it in LIBRARIES (with its sha256) or leave that element off the "
                            "map, so the map never loads code from the internet."
                        ).format(element=type(element).__name__, url=quote.shown(url))
                    )
                found.setdefault(name, scripts.BY_FOLIUM_NAME[name])
                kept.append((name, url))
            setattr(element, kind, kept if keep_cdn else [])
    return list(found.values())


# --------------------------------------------------------------------------- a page of its own


class InlineScript(Element):
    """A ``<script>`` holding code pasted in (made safe by :func:`script_safe`); the code is a
    template *variable*, never template source, so ``{{`` in it is just text."""

    _template = Template("<script>{{ this.code }}</script>\n")

    def __init__(self, code: str):
        super().__init__()
        self._name = "InlineScript"
        self.code = code


class InlineStyle(Element):
    """A ``<style>`` holding a stylesheet pasted in (made safe by :func:`style_safe`)."""

    _template = Template("<style>{{ this.css }}</style>\n")

    def __init__(self, css: str):
        super().__init__()
        self._name = "InlineStyle"
        self.css = css


def script_safe(js: str) -> str:
    """JavaScript that cannot end or confuse the ``<script>`` element it is pasted into:
    ``</script`` and ``<!--`` occur only inside strings, regexes or comments in real code, where
    ``<\\/`` and ``<\\!`` mean the same characters.

    >>> script_safe('s = "</SCRIPT>"')
    's = "<\\\\/SCRIPT>"'
    """
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.I).replace("<!--", "<\\!--")


def style_safe(css: str) -> str:
    """CSS that cannot end the ``<style>`` element it is pasted into (``\\/`` is ``/`` in CSS)."""
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)


def _data_uri(library: Library, file: File) -> str:
    kind = _IMAGE_TYPES[posixpath.splitext(file.path)[1]]
    payload = base64.b64encode(assets.read(library, file, fallback=True)).decode("ascii")
    return f"data:{kind};base64,{payload}"


def css_with_data_uris(css: str, library: Library, css_path: str) -> str:
    """Each relative ``url(...)`` of a pinned stylesheet replaced by a ``data:`` URI of the
    pinned file it names (every one names a pinned image: ``tests/test_assets.py``)."""

    def swap(match: re.Match[str]) -> str:
        ref = match["ref"].strip()
        if ref.startswith(("data:", "#")):
            return match[0]
        path = posixpath.normpath(posixpath.join(posixpath.dirname(css_path), ref))
        return f'url("{_data_uri(library, library.file(path))}")'

    return _CSS_URL.sub(swap, css)


def _leaflet_icons(leaflet: Library) -> InlineScript:
    """Leaflet finds its default marker icon by reading a CSS ``url()`` back as a folder path,
    which cannot work once that ``url()`` is a ``data:`` URI: give it the images directly."""
    options = {
        key: _data_uri(leaflet, leaflet.file(f"images/{name}"))
        for key, name in (
            ("iconUrl", "marker-icon.png"),
            ("iconRetinaUrl", "marker-icon-2x.png"),
            ("shadowUrl", "marker-shadow.png"),
        )
    }
    return InlineScript(
        f"L.Icon.Default.imagePath = ''; L.Icon.Default.mergeOptions({json.dumps(options)});"
    )


def _inline(library: Library, file: File) -> Element:
    """The element that carries one pinned file (verified, hence the UTF-8 text pinned)."""
    text = assets.read(library, file, fallback=True).decode("utf-8")
    if file.path.endswith(".css"):
        return InlineStyle(style_safe(css_with_data_uris(text, library, file.path)))
    return InlineScript(script_safe(_SOURCE_MAP.sub("", text)))


def standalone(m: folium.Map, cdn: bool = False) -> str:
    """The whole page of map ``m``: every pinned script and stylesheet pasted into its header
    (Leaflet read from its XStatic package where no vendor folder is installed), or with
    ``cdn`` linked from folium's public CDNs. A last check refuses a page that would still
    load a script or stylesheet from anywhere else."""
    figure = m.get_root()
    if not isinstance(figure, Figure):
        raise TypeError("the map must be in a branca Figure (folium.Map puts itself in one)")
    declared = _declared(m, keep_cdn=cdn)
    for library, file in () if cdn else declared:
        figure.header.add_child(_inline(library, file), name=file.folium)
        if file.folium == "leaflet":
            figure.header.add_child(_leaflet_icons(library), name="leaflet_default_icon_images")
    html = figure.render()
    for match in _LINKED.finditer(html):
        url = match["s"] or match["h"]
        if not (cdn and url.startswith("https://")):
            raise UnknownAssetLink(
                _("The rendered map still links {url}; map code is not loaded from there.").format(
                    url=quote.shown(url)
                )
            )
    return html


# --------------------------------------------------------------------------- mounted in a host page


@dataclass(frozen=True)
class Hosted:
    """What a host page mounts to draw a map: the scripts and stylesheets to load (URLs, in
    order), the map's own styles, its HTML and its script, and ``name``, the variable that
    script gives the Leaflet map. ``id`` changes whenever any of them does."""

    id: str
    name: str
    scripts: tuple[str, ...]
    stylesheets: tuple[str, ...]
    styles: str
    html: str
    script: str

    def as_data(self) -> dict:
        """The parts as JSON-ready data."""
        return {
            **asdict(self),
            "scripts": list(self.scripts),
            "stylesheets": list(self.stylesheets),
        }


def served(m: folium.Map, base_url: str = assets.DEFAULT_BASE_URL) -> tuple[list[str], list[str]]:
    """The scripts and stylesheets map ``m`` declares, as URLs of the copies served at
    ``base_url``, in order (checked installed and intact: else :class:`AssetsMissing`). The
    elements are left declaring nothing: the host page loads these itself, once."""
    declared = _declared(m)
    for library in dict.fromkeys(library for library, _file in declared):
        found = assets.problem(library)
        if found is not None:
            raise found
    urls = [f"{base_url.rstrip('/')}/{library.name}/{file.path}" for library, file in declared]
    return [u for u in urls if u.endswith(".js")], [u for u in urls if u.endswith(".css")]


def hosted(m: folium.Map, base_url: str = assets.DEFAULT_BASE_URL) -> Hosted:
    """Map ``m`` as the parts a host page mounts, its scripts and stylesheets :func:`served`
    from ``base_url``. ``m`` is used up: rendering names its elements."""
    js, css = served(m, base_url)
    figure = m.get_root()
    figure.render()
    # folium's page styles (the map filling a page of its own, a viewport that cannot be
    # zoomed) are for a page of its own: the host sizes the map itself.
    figure.header.add_child(Element(""), name=m.get_name())
    styles = "".join(_STYLE.findall(figure.header.render()))
    html, script = figure.html.render(), figure.script.render()
    digest = hashlib.sha256("\0".join((*js, *css, styles, html, script)).encode()).hexdigest()
    return Hosted(digest[:16], m.get_name(), tuple(js), tuple(css), styles, html, script)
