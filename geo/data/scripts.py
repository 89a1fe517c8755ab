"""The pinned map scripts: which packages, which versions, which files, which checksums.

One table, :data:`BUNDLES`, that the installer, the checks and the localiser all iterate.
Each bundle says where it comes from (a PyPI XStatic wheel or an npm tarball), the sha256
of every file kept, and which of folium 0.20's CDN URLs it replaces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from geo.i18n import N_

#: The ways a map can be pointed at its scripts (see :mod:`geo.render.web.assets.rewrite`).
MODES = ("static", "inline", "cdn")


@dataclass(frozen=True)
class AssetFile:
    """One pinned file of a bundle.

    ``path`` is where it lives under ``<vendor>/<bundle>/`` (relative paths inside the
    bundle's CSS resolve against it); ``source`` is its path inside the package (the
    xstatic data folder, or the npm tarball).
    """

    path: str
    source: str
    sha256: str


@dataclass(frozen=True)
class Bundle:
    """A library the map loads: where it comes from, which files, and which CDN URLs it replaces.

    ``cdn`` maps each URL folium 0.20 links to the :attr:`AssetFile.path` served instead.
    ``module`` (PyPI bundles only) is the XStatic module whose ``BASE_DIR`` holds the files.
    ``required`` bundles are ones no map draws without (missing: :class:`AssetsMissing`);
    an optional bundle missing only takes its control off the map.
    """

    name: str
    label: str
    registry: str
    package: str
    version: str
    files: tuple[AssetFile, ...]
    cdn: Mapping[str, str]
    module: str = ""
    required: bool = False

    @property
    def spec(self) -> str:
        """How the package is asked for: ``xstatic-leaflet==1.9.3.0`` or ``leaflet-measure@2.1.7``."""
        sep = "==" if self.registry == "pypi" else "@"
        return f"{self.package}{sep}{self.version}"

    def file(self, path: str) -> AssetFile:
        """The pinned file at ``path`` inside this bundle (``KeyError`` if not pinned)."""
        for asset in self.files:
            if asset.path == path:
                return asset
        raise KeyError(path)


# Checksums computed from xstatic-leaflet 1.9.3.0 and xstatic-jquery 3.7.1.1 (PyPI) and from
# the `npm pack` tarballs of leaflet.fullscreen 3.0.0, leaflet-measure 2.1.7 and leaflet-minimap 3.6.1.
BUNDLES: Mapping[str, Bundle] = MappingProxyType(
    {
        "leaflet": Bundle(
            name="leaflet",
            label="Leaflet",
            registry="pypi",
            package="xstatic-leaflet",
            version="1.9.3.0",
            module="xstatic.pkg.leaflet",
            required=True,
            files=(
                AssetFile(
                    "leaflet.js",
                    "leaflet.js",
                    "5819285cec137b229c94e1ee5ad73e8b6b84345a4367d60f75fe477fe0fb7b03",
                ),
                AssetFile(
                    "leaflet.css",
                    "leaflet.css",
                    "90b693d86392a4779c861b28cf307e7e59c3fb35328c4d8b95f58f814d38c722",
                ),
                AssetFile(
                    "images/layers.png",
                    "images/layers.png",
                    "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6",
                ),
                AssetFile(
                    "images/layers-2x.png",
                    "images/layers-2x.png",
                    "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf",
                ),
                AssetFile(
                    "images/marker-icon.png",
                    "images/marker-icon.png",
                    "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437",
                ),
                AssetFile(
                    "images/marker-icon-2x.png",
                    "images/marker-icon-2x.png",
                    "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528",
                ),
                AssetFile(
                    "images/marker-shadow.png",
                    "images/marker-shadow.png",
                    "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da",
                ),
            ),
            cdn=MappingProxyType(
                {
                    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet.js",
                    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet.css",
                }
            ),
        ),
        # Not optional: folium.Popup's template builds its content with `$(...)`.
        "jquery": Bundle(
            name="jquery",
            label="jQuery",
            registry="pypi",
            package="xstatic-jquery",
            version="3.7.1.1",
            module="xstatic.pkg.jquery",
            required=True,
            files=(
                AssetFile(
                    "jquery.min.js",
                    "jquery.min.js",
                    "fc9a93dd241f6b045cbff0481cf4e1901becd0e12fb45166a8f17f95823f0b1a",
                ),
            ),
            cdn=MappingProxyType(
                {
                    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery.min.js",
                }
            ),
        ),
        # The npm tarball has only the unminified script; jsdelivr minifies it on the fly
        # for the `.min.js` URL folium links.
        "fullscreen": Bundle(
            name="fullscreen",
            label=N_("Fullscreen control"),
            registry="npm",
            package="leaflet.fullscreen",
            version="3.0.0",
            files=(
                AssetFile(
                    "Control.FullScreen.js",
                    "package/Control.FullScreen.js",
                    "3c542b5d5844cc00cff2787dff49504a31f3bed9de3161e5b26e0c0437d6bbb7",
                ),
                AssetFile(
                    "Control.FullScreen.css",
                    "package/Control.FullScreen.css",
                    "31f9593e6e715114e23076ba11628f68a301025b44b85ffb70fca4bc9475214e",
                ),
                AssetFile(
                    "icon-fullscreen.svg",
                    "package/icon-fullscreen.svg",
                    "034807095346f7be3b9d5b2add42ba0677af1a89d2f90a0caa5c75ec2780a2a2",
                ),
            ),
            cdn=MappingProxyType(
                {
                    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": "Control.FullScreen.js",
                    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": "Control.FullScreen.css",
                }
            ),
        ),
        # folium links the GitHub tag 2.1.7; the npm release 2.1.7 has the same dist/
        # folder. Neither has a `.min.css` (jsdelivr minifies leaflet-measure.css on the
        # fly), so the unminified stylesheet stands in for it.
        "measure": Bundle(
            name="measure",
            label=N_("Measure control"),
            registry="npm",
            package="leaflet-measure",
            version="2.1.7",
            files=(
                AssetFile(
                    "leaflet-measure.min.js",
                    "package/dist/leaflet-measure.min.js",
                    "9e54dee607d2e20d4ab1664ee4ede78f51ba6e05c42a3f9cf3f57d7bc69e8d21",
                ),
                AssetFile(
                    "leaflet-measure.css",
                    "package/dist/leaflet-measure.css",
                    "88b2b4f27f9846f08ede9f80bb85610c3f5ede62acce7d26672e385b2a45795a",
                ),
                *(
                    AssetFile(f"images/{name}", f"package/dist/images/{name}", digest)
                    for name, digest in (
                        (
                            "cancel.png",
                            "2972e9515ff9b486d358ffe03777ebdf2dd35a2c8ccf52424fda8a8d02c0fa85",
                        ),
                        (
                            "cancel_@2X.png",
                            "a59c1612e89468ce9d272d2e0d086c0f13029234ee1cce322237e9038a756ef3",
                        ),
                        (
                            "check.png",
                            "7970eeda1c1d647da160b406bd0b6d336e2fddebc4f74431c306d7262a380043",
                        ),
                        (
                            "check_@2X.png",
                            "948a01a00a8ffcf9f9f1aa35a47432d8ae28bcc26d531b8fb7e14cd52d693893",
                        ),
                        (
                            "focus.png",
                            "40bb0aff173baa6b3e8dba04ac23ada71909e09a4ca7f28fc24fd49bd360ca7d",
                        ),
                        (
                            "focus_@2X.png",
                            "a7914120026f40f5da0d6f20c62222547795affd21382558dabc0f53511a8624",
                        ),
                        (
                            "rulers.png",
                            "dc7ae401048e6ad3c8f56d991cbc83a775f59937f10f6e62f087d288aa4d7137",
                        ),
                        (
                            "rulers_@2X.png",
                            "558233345e005b15b6b81bfa0c75877b3e7e17c90641b92e72cb1faed7bbbf27",
                        ),
                        (
                            "start.png",
                            "0194f340b27a4c5be35b83516c891c618016df39a7dab79f371b4cca0430e60a",
                        ),
                        (
                            "start_@2X.png",
                            "f001d4f02102a672b95fa57d279869fabee53a27356a4e4efd0d1e3a99c22db9",
                        ),
                        (
                            "trash.png",
                            "7107fd0636a571de720766fd9bcd6cb5c952488987a858dd902608130fca19dc",
                        ),
                        (
                            "trash_@2X.png",
                            "1755d22b1ffb0e8589b26ac562330047366ed15c9d075b85d0426065714fc2bc",
                        ),
                    )
                ),
            ),
            cdn=MappingProxyType(
                {
                    "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js": "leaflet-measure.min.js",
                    "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css": "leaflet-measure.css",
                }
            ),
        ),
        # cdnjs serves the package's src/ files under the names folium links.
        "minimap": Bundle(
            name="minimap",
            label=N_("Mini-map"),
            registry="npm",
            package="leaflet-minimap",
            version="3.6.1",
            files=(
                AssetFile(
                    "Control.MiniMap.js",
                    "package/src/Control.MiniMap.js",
                    "d28d76fb31f6bb6e4707da4ebb08fd95380866614ca24b59ab85570ff645706c",
                ),
                AssetFile(
                    "Control.MiniMap.css",
                    "package/src/Control.MiniMap.css",
                    "52f4be9ef893b36bccbb4ae89cb305c19407c1f7dab7c9f53da8f0d12ec143cc",
                ),
                AssetFile(
                    "images/toggle.png",
                    "package/src/images/toggle.png",
                    "7528e6cda9672a197059c4e2c3aa85f36b4557ad264190264b9eff5670b35c88",
                ),
                AssetFile(
                    "images/toggle.svg",
                    "package/src/images/toggle.svg",
                    "32372282197291f59e1214a01aa9809b86a2b49f2c813faef28a2cbb60966d09",
                ),
            ),
            cdn=MappingProxyType(
                {
                    "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js": "Control.MiniMap.js",
                    "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css": "Control.MiniMap.css",
                }
            ),
        ),
    }
)

#: Libraries folium links that this map never needs; their links are removed, not vendored.
DROPPED_LINKS: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {
        "Bootstrap": re.compile(r"bootstrap", re.I),
        "Font Awesome": re.compile(r"fontawesome|font-awesome", re.I),
        "awesome-markers": re.compile(r"awesome-markers|awesome\.rotate", re.I),
        "glyphicons": re.compile(r"glyphicons", re.I),
    }
)


def is_external(url: str) -> bool:
    """Whether ``url`` points at another host (``https://``, ``http://`` or ``//``)."""
    return bool(re.match(r"(https?:)?//", url.strip(), re.I))


def is_dropped(url: str) -> bool:
    """Whether ``url`` is a link to a library the map never needs (see :data:`DROPPED_LINKS`)."""
    return is_external(url) and any(p.search(url) for p in DROPPED_LINKS.values())


def cdn_index() -> dict[str, tuple[Bundle, AssetFile]]:
    """Every CDN URL folium links that a bundle replaces, with the bundle and the file."""
    return {url: (b, b.file(path)) for b in BUNDLES.values() for url, path in b.cdn.items()}
