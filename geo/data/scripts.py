"""The map's third-party scripts and stylesheets: one table of what the map uses, pinned.

Each library the map loads is a :class:`Library`: the package it comes from (a PyPI XStatic
wheel, or an npm tarball fetched with ``npm pack``), its version and licence, and its files,
each with its sha256. A script or stylesheet carries the name folium gives it in its elements'
``default_js`` / ``default_css`` (``"leaflet"``, ``"Control_MiniMap_css"`` …): that name is how
a map's declared links are matched to the pinned files. The images a stylesheet names are
files too, without a folium name.

The map uses nothing else. folium's other links are listed by name in :data:`DROPPED` and
removed: jQuery (the map's popups set their escaped HTML without it), Bootstrap, Font Awesome,
glyphicons and awesome-markers (no element of this map uses them).

The installer, the checks, the app's links, the export's inliner and the About page's credits
all read :data:`LIBRARIES`.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.i18n import N_


@dataclass(frozen=True)
class File:
    """One pinned file: ``path`` in the library's folder (a stylesheet's relative ``url()``
    resolves against it) and in its package (under the library's ``source``), its sha256, and
    for a script or stylesheet the name folium declares it by (``folium``; none for an image)."""

    path: str
    sha256: str
    folium: str = ""


def _files(table: str) -> tuple[File, ...]:
    """Files from a table of lines ``path sha256 [folium name]``."""
    return tuple(File(*line.split()) for line in table.strip().splitlines())


@dataclass(frozen=True)
class Library:
    """A library the map loads, where it comes from and under which licence.

    ``registry`` is ``"pypi"`` (``module`` is the XStatic module whose ``BASE_DIR`` holds the
    files) or ``"npm"`` (the files are in the tarball, under ``source``). ``version`` is the
    library's own; ``package`` and ``release`` are the package and its version as the registry
    knows them (XStatic adds a fourth number for its own packaging). ``project``, ``licence``,
    ``holder`` and ``url`` credit it on the About page. A ``required`` library is one no map
    draws without; another one missing leaves its control off the map, with a notice.
    """

    name: str
    label: str
    version: str
    registry: str
    package: str
    release: str
    files: tuple[File, ...]
    project: str
    licence: str
    holder: str
    url: str
    source: str = ""
    module: str = ""
    required: bool = False

    @property
    def spec(self) -> str:
        """How the package is asked for: ``xstatic-leaflet==1.9.3.0``, ``leaflet-minimap@3.6.1``."""
        return f"{self.package}{'==' if self.registry == 'pypi' else '@'}{self.release}"

    def file(self, path: str) -> File:
        """The pinned file at ``path`` in this library (``KeyError`` if it is not pinned)."""
        return {file.path: file for file in self.files}[path]


# Checksums of xstatic-leaflet 1.9.3.0 (PyPI) and of the `npm pack` tarballs of
# leaflet.fullscreen 3.0.0 and leaflet-minimap 3.6.1.
LIBRARIES: tuple[Library, ...] = (
    Library(
        name="leaflet",
        label="Leaflet",
        version="1.9.3",
        registry="pypi",
        package="xstatic-leaflet",
        release="1.9.3.0",
        module="xstatic.pkg.leaflet",
        required=True,
        project="Leaflet",
        licence="BSD-2-Clause",
        holder="© 2010–2022 Vladimir Agafonkin, © 2010–2011 CloudMade",
        url="https://github.com/Leaflet/Leaflet/blob/main/LICENSE",
        files=_files(
            """
            leaflet.js                5819285cec137b229c94e1ee5ad73e8b6b84345a4367d60f75fe477fe0fb7b03 leaflet
            leaflet.css               90b693d86392a4779c861b28cf307e7e59c3fb35328c4d8b95f58f814d38c722 leaflet_css
            images/layers.png         1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6
            images/layers-2x.png      066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf
            images/marker-icon.png    574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437
            images/marker-icon-2x.png 00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528
            images/marker-shadow.png  264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da
            """
        ),
    ),
    # The tarball has only the unminified script; folium links jsdelivr's minified copy of it.
    Library(
        name="fullscreen",
        label=N_("Fullscreen control"),
        version="3.0.0",
        registry="npm",
        package="leaflet.fullscreen",
        release="3.0.0",
        source="package/",
        project="leaflet.fullscreen",
        licence="MIT",
        holder="© Bruno B.",
        url="https://github.com/brunob/leaflet.fullscreen",
        files=_files(
            """
            Control.FullScreen.js  3c542b5d5844cc00cff2787dff49504a31f3bed9de3161e5b26e0c0437d6bbb7 Control.Fullscreen.js
            Control.FullScreen.css 31f9593e6e715114e23076ba11628f68a301025b44b85ffb70fca4bc9475214e Control.FullScreen.css
            icon-fullscreen.svg    034807095346f7be3b9d5b2add42ba0677af1a89d2f90a0caa5c75ec2780a2a2
            """
        ),
    ),
    # cdnjs serves the package's src/ files under the names folium links.
    Library(
        name="minimap",
        label=N_("Mini-map"),
        version="3.6.1",
        registry="npm",
        package="leaflet-minimap",
        release="3.6.1",
        source="package/src/",
        project="Leaflet-MiniMap",
        licence="BSD-2-Clause",
        holder="© Norkart AS",
        url="https://github.com/Norkart/Leaflet-MiniMap",
        files=_files(
            """
            Control.MiniMap.js  d28d76fb31f6bb6e4707da4ebb08fd95380866614ca24b59ab85570ff645706c Control_MiniMap_js
            Control.MiniMap.css 52f4be9ef893b36bccbb4ae89cb305c19407c1f7dab7c9f53da8f0d12ec143cc Control_MiniMap_css
            images/toggle.png   7528e6cda9672a197059c4e2c3aa85f36b4557ad264190264b9eff5670b35c88
            images/toggle.svg   32372282197291f59e1214a01aa9809b86a2b49f2c813faef28a2cbb60966d09
            """
        ),
    ),
)

BY_NAME = {library.name: library for library in LIBRARIES}
#: Each script and stylesheet by the name folium declares it under, with its library.
BY_FOLIUM_NAME = {f.folium: (lib, f) for lib in LIBRARIES for f in lib.files if f.folium}
#: folium 0.20's names for what this map never needs: their links are removed, not pinned.
DROPPED = frozenset(
    [
        "jquery",
        "bootstrap",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_markers_font_css",
        "awesome_rotate_css",
    ]
)
