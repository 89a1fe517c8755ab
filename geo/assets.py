"""Map scripts and stylesheets served from this project, never from a public CDN.

folium links Leaflet, jQuery, Bootstrap, Font Awesome and its plugins from public CDNs
(jsdelivr, cdnjs, code.jquery.com, netdna). With no internet the map stays blank. This
module keeps a pinned copy of exactly what the Kharkiv map needs and points the map at it:

* Leaflet 1.9.3 (script, stylesheet and the images the stylesheet names) from the PyPI
  wheel ``xstatic-leaflet==1.9.3.0``;
* jQuery 3.7.1 from ``xstatic-jquery==3.7.1.1``: folium's own templates call ``$``, for
  every popup (``$(`<div>...`)[0]``) and for ``keep_in_front`` (``$(document).ready``);
* the Fullscreen, Measure and MiniMap controls, which exist only on npm, fetched with
  ``npm pack`` (no ``node_modules``, no install scripts).

Every file is pinned by version *and* sha256 in :data:`BUNDLES`; the copies live in
``<repo>/static/vendor/`` (gitignored, overridable with ``KHARKIV_MAP_ASSETS``) and are
put there by ``make setup`` / ``python -m geo.assets install``. Streamlit serves
``<repo>/static/`` at ``/app/static/`` when ``server.enableStaticServing = true``.

Bootstrap, Font Awesome, glyphicons and awesome-markers are *dropped*, not vendored: the
map uses CircleMarkers, plain popups/tooltips and an HTML legend, none of which need them.

Three ways to point a map at its scripts (``mode``):

``"static"``  URLs under ``/app/static/vendor/`` for Streamlit and streamlit-folium.
``"inline"``  :func:`render_html` pastes every file into the page (images as ``data:``
              URIs), giving one self-contained HTML file for export.
``"cdn"``     folium's public URLs (for comparison); unneeded libraries still dropped.

In the app: ``notices = localise(m, "static")`` then ``st_folium(m, ...)``; for a file:
``html, notices = render_html(m)``. Each notice is one sentence to show the user (a
control left out because npm was not available at set-up).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib
import importlib.metadata
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import branca.colormap
import folium
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.elements import JSCSSMixin

#: Environment variable that moves the install location away from ``<repo>/static/vendor``.
ENV_VAR = "KHARKIV_MAP_ASSETS"

#: The command people are told to run when a file is missing or altered.
INSTALL_HINT = "run `make setup` (or `python -m geo.assets install`)"

#: Where Streamlit serves ``<repo>/static/vendor`` (``server.enableStaticServing = true``).
DEFAULT_BASE_URL = "/app/static/vendor"

#: Placeholder scheme used in ``"inline"`` mode; :func:`render_html` replaces every link
#: using it by the file's content. A page rendered without it shows a blank map, so a
#: forgotten step fails visibly instead of quietly reaching for the internet.
INLINE_SCHEME = "kharkiv-vendor:"

MODES = ("static", "inline", "cdn")

_IMAGE_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}


class AssetsMissing(Exception):
    """A map script, stylesheet or image is not installed, or not the pinned file.

    ``path`` is the file concerned (when there is one); the message is one sentence that
    names it and says how to fix it.
    """

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.path = path


class UnknownAssetLink(ValueError):
    """A map element links a script or stylesheet from the internet that is not vendored."""


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
                AssetFile("leaflet.js", "leaflet.js",
                          "5819285cec137b229c94e1ee5ad73e8b6b84345a4367d60f75fe477fe0fb7b03"),
                AssetFile("leaflet.css", "leaflet.css",
                          "90b693d86392a4779c861b28cf307e7e59c3fb35328c4d8b95f58f814d38c722"),
                AssetFile("images/layers.png", "images/layers.png",
                          "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6"),
                AssetFile("images/layers-2x.png", "images/layers-2x.png",
                          "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf"),
                AssetFile("images/marker-icon.png", "images/marker-icon.png",
                          "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437"),
                AssetFile("images/marker-icon-2x.png", "images/marker-icon-2x.png",
                          "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528"),
                AssetFile("images/marker-shadow.png", "images/marker-shadow.png",
                          "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da"),
            ),
            cdn=MappingProxyType({
                "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet.js",
                "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet.css",
            }),
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
                AssetFile("jquery.min.js", "jquery.min.js",
                          "fc9a93dd241f6b045cbff0481cf4e1901becd0e12fb45166a8f17f95823f0b1a"),
            ),
            cdn=MappingProxyType({
                "https://code.jquery.com/jquery-3.7.1.min.js": "jquery.min.js",
            }),
        ),
        # The npm tarball has only the unminified script; jsdelivr minifies it on the fly
        # for the `.min.js` URL folium links.
        "fullscreen": Bundle(
            name="fullscreen",
            label="Fullscreen control",
            registry="npm",
            package="leaflet.fullscreen",
            version="3.0.0",
            files=(
                AssetFile("Control.FullScreen.js", "package/Control.FullScreen.js",
                          "3c542b5d5844cc00cff2787dff49504a31f3bed9de3161e5b26e0c0437d6bbb7"),
                AssetFile("Control.FullScreen.css", "package/Control.FullScreen.css",
                          "31f9593e6e715114e23076ba11628f68a301025b44b85ffb70fca4bc9475214e"),
                AssetFile("icon-fullscreen.svg", "package/icon-fullscreen.svg",
                          "034807095346f7be3b9d5b2add42ba0677af1a89d2f90a0caa5c75ec2780a2a2"),
            ),
            cdn=MappingProxyType({
                "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js":
                    "Control.FullScreen.js",
                "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css":
                    "Control.FullScreen.css",
            }),
        ),
        # folium links the GitHub tag 2.1.7; the npm release 2.1.7 has the same dist/
        # folder. Neither has a `.min.css` (jsdelivr minifies leaflet-measure.css on the
        # fly), so the unminified stylesheet stands in for it.
        "measure": Bundle(
            name="measure",
            label="Measure control",
            registry="npm",
            package="leaflet-measure",
            version="2.1.7",
            files=(
                AssetFile("leaflet-measure.min.js", "package/dist/leaflet-measure.min.js",
                          "9e54dee607d2e20d4ab1664ee4ede78f51ba6e05c42a3f9cf3f57d7bc69e8d21"),
                AssetFile("leaflet-measure.css", "package/dist/leaflet-measure.css",
                          "88b2b4f27f9846f08ede9f80bb85610c3f5ede62acce7d26672e385b2a45795a"),
                *(
                    AssetFile(f"images/{name}", f"package/dist/images/{name}", digest)
                    for name, digest in (
                        ("cancel.png", "2972e9515ff9b486d358ffe03777ebdf2dd35a2c8ccf52424fda8a8d02c0fa85"),
                        ("cancel_@2X.png", "a59c1612e89468ce9d272d2e0d086c0f13029234ee1cce322237e9038a756ef3"),
                        ("check.png", "7970eeda1c1d647da160b406bd0b6d336e2fddebc4f74431c306d7262a380043"),
                        ("check_@2X.png", "948a01a00a8ffcf9f9f1aa35a47432d8ae28bcc26d531b8fb7e14cd52d693893"),
                        ("focus.png", "40bb0aff173baa6b3e8dba04ac23ada71909e09a4ca7f28fc24fd49bd360ca7d"),
                        ("focus_@2X.png", "a7914120026f40f5da0d6f20c62222547795affd21382558dabc0f53511a8624"),
                        ("rulers.png", "dc7ae401048e6ad3c8f56d991cbc83a775f59937f10f6e62f087d288aa4d7137"),
                        ("rulers_@2X.png", "558233345e005b15b6b81bfa0c75877b3e7e17c90641b92e72cb1faed7bbbf27"),
                        ("start.png", "0194f340b27a4c5be35b83516c891c618016df39a7dab79f371b4cca0430e60a"),
                        ("start_@2X.png", "f001d4f02102a672b95fa57d279869fabee53a27356a4e4efd0d1e3a99c22db9"),
                        ("trash.png", "7107fd0636a571de720766fd9bcd6cb5c952488987a858dd902608130fca19dc"),
                        ("trash_@2X.png", "1755d22b1ffb0e8589b26ac562330047366ed15c9d075b85d0426065714fc2bc"),
                    )
                ),
            ),
            cdn=MappingProxyType({
                "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js":
                    "leaflet-measure.min.js",
                "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css":
                    "leaflet-measure.css",
            }),
        ),
        # cdnjs serves the package's src/ files under the names folium links.
        "minimap": Bundle(
            name="minimap",
            label="Mini-map",
            registry="npm",
            package="leaflet-minimap",
            version="3.6.1",
            files=(
                AssetFile("Control.MiniMap.js", "package/src/Control.MiniMap.js",
                          "d28d76fb31f6bb6e4707da4ebb08fd95380866614ca24b59ab85570ff645706c"),
                AssetFile("Control.MiniMap.css", "package/src/Control.MiniMap.css",
                          "52f4be9ef893b36bccbb4ae89cb305c19407c1f7dab7c9f53da8f0d12ec143cc"),
                AssetFile("images/toggle.png", "package/src/images/toggle.png",
                          "7528e6cda9672a197059c4e2c3aa85f36b4557ad264190264b9eff5670b35c88"),
                AssetFile("images/toggle.svg", "package/src/images/toggle.svg",
                          "32372282197291f59e1214a01aa9809b86a2b49f2c813faef28a2cbb60966d09"),
            ),
            cdn=MappingProxyType({
                "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js":
                    "Control.MiniMap.js",
                "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css":
                    "Control.MiniMap.css",
            }),
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


# --------------------------------------------------------------------------- locations


def vendor_dir() -> Path:
    """Where the vendored files live: ``$KHARKIV_MAP_ASSETS`` or ``<repo>/static/vendor``.

    ``<repo>`` is the parent of the ``geo/`` folder. Only the default location is served
    by Streamlit at ``/app/static/vendor``; another location suits ``"inline"`` exports.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parent.parent / "static" / "vendor"


def _root(dest: Path | str | None) -> Path:
    return Path(dest) if dest is not None else vendor_dir()


# --------------------------------------------------------------------------- checksums


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _missing(path: Path) -> AssetsMissing:
    return AssetsMissing(f"The map asset {path} is missing; {INSTALL_HINT} to install it.", path)


def _altered(path: Path) -> AssetsMissing:
    return AssetsMissing(
        f"The map asset {path} does not match the sha256 pinned in geo/assets.py "
        f"(altered or another version); {INSTALL_HINT} to reinstall it.",
        path,
    )


def _bundle_problem(bundle: Bundle, root: Path) -> AssetsMissing | None:
    """The first missing or altered file of ``bundle`` under ``root``, as an error; else None."""
    for asset in bundle.files:
        path = root / bundle.name / asset.path
        if not path.is_file():
            return _missing(path)
        if _sha256(path.read_bytes()) != asset.sha256:
            return _altered(path)
    return None


def _read_verified(bundle: Bundle, asset: AssetFile, root: Path) -> bytes:
    """The bytes of an installed file, after checking them against the pin."""
    path = root / bundle.name / asset.path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _missing(path) from None
    if _sha256(data) != asset.sha256:
        raise _altered(path)
    return data


def status(dest: Path | str | None = None) -> dict[str, bool]:
    """Which bundles (leaflet, jquery, fullscreen, measure, minimap) are present and intact."""
    root = _root(dest)
    return {name: _bundle_problem(bundle, root) is None for name, bundle in BUNDLES.items()}


# --------------------------------------------------------------------------- install


def _pypi_contents(bundle: Bundle) -> dict[str, bytes]:
    """The bundle's files, read from its installed XStatic wheel."""
    try:
        installed = importlib.metadata.version(bundle.package)
        base = Path(importlib.import_module(bundle.module).BASE_DIR)
    except (ImportError, importlib.metadata.PackageNotFoundError):
        raise AssetsMissing(
            f"{bundle.label} cannot be installed because the Python package {bundle.spec} "
            f"is not installed; run `make setup` (or `pip install {bundle.spec}`)."
        ) from None
    if installed != bundle.version:
        raise AssetsMissing(
            f"{bundle.label} cannot be installed because {bundle.package} {installed} is "
            f"installed but geo/assets.py pins {bundle.version}; run `pip install {bundle.spec}`."
        )
    contents = {}
    for asset in bundle.files:
        try:
            contents[asset.path] = (base / asset.source).read_bytes()
        except FileNotFoundError:
            raise AssetsMissing(
                f"{bundle.spec} has no file {asset.source}; reinstall it with "
                f"`pip install --force-reinstall {bundle.spec}`.",
                base / asset.source,
            ) from None
    return contents


def _npm_contents(bundle: Bundle, npm: str) -> dict[str, bytes]:
    """The bundle's files, read from the tarball ``npm pack`` fetches from the npm registry."""
    with tempfile.TemporaryDirectory(prefix="kharkiv-npm-") as tmp:
        try:
            done = subprocess.run(
                [npm, "pack", "--ignore-scripts", "--silent", bundle.spec],
                cwd=tmp, capture_output=True, text=True, timeout=300, check=False,
            )
        except subprocess.TimeoutExpired:
            raise AssetsMissing(
                f"`npm pack {bundle.spec}` took over 5 minutes; check the network and retry."
            ) from None
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            reason = (done.stderr.strip().splitlines() or ["no tarball written"])[-1]
            raise AssetsMissing(
                f"`npm pack {bundle.spec}` failed ({reason}); check the network and retry."
            )
        with tarfile.open(tarballs[0], "r:gz") as tar:
            return {asset.path: _tar_member(tar, asset.source, bundle) for asset in bundle.files}


def _tar_member(tar: tarfile.TarFile, name: str, bundle: Bundle) -> bytes:
    """One regular file of an npm tarball, read in memory (nothing is extracted to disk)."""
    try:
        member = tar.getmember(name)
    except KeyError:
        raise AssetsMissing(
            f"The npm package {bundle.spec} has no file {name}; geo/assets.py needs updating."
        ) from None
    handle = tar.extractfile(member) if member.isfile() else None
    if handle is None:
        raise AssetsMissing(f"{name} in the npm package {bundle.spec} is not a regular file.")
    return handle.read()


def _check_contents(bundle: Bundle, contents: Mapping[str, bytes]) -> None:
    """Refuse anything that is not byte-for-byte the pinned file."""
    for asset in bundle.files:
        actual = _sha256(contents[asset.path])
        if actual != asset.sha256:
            raise AssetsMissing(
                f"{asset.source} from {bundle.registry} package {bundle.spec} has sha256 "
                f"{actual}, not the {asset.sha256} pinned in geo/assets.py, so it was not installed."
            )


def _write_bundle(bundle: Bundle, contents: Mapping[str, bytes], root: Path) -> None:
    """Write a verified bundle into ``root/<name>`` all at once: temp folder, then rename."""
    _check_contents(bundle, contents)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{bundle.name}-new-", dir=root))
    staging.chmod(0o755)  # mkdtemp makes it owner-only; the web server may run as another user
    retired = root / f".{bundle.name}-old-{os.getpid()}"
    target = root / bundle.name
    try:
        for asset in bundle.files:
            path = staging / asset.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(contents[asset.path])
        if target.exists():
            target.rename(retired)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not target.exists():
            retired.rename(target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def install(dest: Path | str | None = None, use_npm: bool = True) -> list[str]:
    """Install every bundle into ``dest`` (default :func:`vendor_dir`); return one line per bundle.

    Leaflet is copied from the installed ``xstatic-leaflet`` wheel; each plugin is fetched
    with ``npm pack <package>@<version>`` into a temporary folder and only its pinned files
    are kept. A bundle already present with the right checksums is left alone. A plugin is
    skipped, with a notice, when ``use_npm`` is false or ``npm`` is not on PATH. A checksum
    mismatch raises :class:`AssetsMissing` and leaves the bundle's folder as it was.
    """
    root = _root(dest)
    npm = shutil.which("npm") if use_npm else None
    notices = []
    for bundle in BUNDLES.values():
        if _bundle_problem(bundle, root) is None:
            notices.append(f"{bundle.label}: {bundle.spec} already installed, checksums match.")
            continue
        if bundle.registry == "npm" and npm is None:
            why = "npm is not on PATH" if use_npm else "npm was not used"
            notices.append(f"{bundle.label} not installed: {why} (needs `npm pack {bundle.spec}`).")
            continue
        contents = _pypi_contents(bundle) if bundle.registry == "pypi" else _npm_contents(bundle, npm)
        _write_bundle(bundle, contents, root)
        files = "1 file" if len(contents) == 1 else f"{len(contents)} files"
        notices.append(f"{bundle.label}: installed {bundle.spec} from {bundle.registry} ({files}).")
    return notices


# --------------------------------------------------------------------------- the map tree


def _is_external(url: str) -> bool:
    return bool(re.match(r"(https?:)?//", url.strip(), re.I))


def _dropped(url: str) -> bool:
    return _is_external(url) and any(p.search(url) for p in DROPPED_LINKS.values())


def _cdn_index() -> dict[str, tuple[Bundle, AssetFile]]:
    return {url: (b, b.file(path)) for b in BUNDLES.values() for url, path in b.cdn.items()}


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


def _local_url(bundle: Bundle, asset: AssetFile, mode: str, base_url: str) -> str:
    if mode == "static":
        return f"{base_url.rstrip('/')}/{bundle.name}/{asset.path}"
    return f"{INLINE_SCHEME}{bundle.name}/{asset.path}"


def _unknown(element: Element, url: str) -> UnknownAssetLink:
    return UnknownAssetLink(
        f"{type(element).__name__} links {url}, which geo/assets.py does not vendor; pin it "
        "in BUNDLES (with its sha256) or leave that element off the map, so the map never "
        "loads code from the internet."
    )


def _rewrite(
    element: Element, links: list[tuple[str, str]], mode: str, base_url: str
) -> list[tuple[str, str]]:
    """The element's links for ``mode``: dropped libraries removed, pinned ones pointed home."""
    index = _cdn_index()
    out = []
    for name, url in links:
        if _dropped(url):
            continue
        if url in index:
            out.append((name, url if mode == "cdn" else _local_url(*index[url], mode, base_url)))
        elif _is_external(url):
            raise _unknown(element, url)
        else:
            out.append((name, url))
    return out


def _bundles_of(links: list[tuple[str, str]]) -> list[Bundle]:
    index = _cdn_index()
    names = dict.fromkeys(index[url][0].name for _, url in links if url in index)
    return [BUNDLES[name] for name in names]


def _absent_bundles(
    links: list[tuple[str, str]], root: Path, problems: dict[str, AssetsMissing | None]
) -> list[Bundle]:
    """The optional bundles these links need that are not installed (``problems`` caches checks).

    A required bundle that is missing, or any file present but altered, raises instead:
    those are not states to paper over by leaving a control out.
    """
    absent = []
    for bundle in _bundles_of(links):
        if bundle.name not in problems:
            problems[bundle.name] = _bundle_problem(bundle, root)
        problem = problems[bundle.name]
        if problem is not None and (bundle.required or (problem.path and problem.path.exists())):
            raise problem
        if problem is not None:
            absent.append(bundle)
    return absent


def _forget_rendered_links(m: folium.Map, names: set[str]) -> None:
    """Remove links an earlier render left in the page header, so stale CDN links cannot survive.

    Rendering adds each element's links to the figure's header by name; the next render
    adds the current ones back in tree order.
    """
    root = m.get_root()
    if not isinstance(root, Figure):
        return
    header_children = root.header._children
    for key, child in list(header_children.items()):
        if not isinstance(child, (JavascriptLink, CssLink)):
            continue
        if key in names or _dropped(child.url) or child.url in _cdn_index():
            del header_children[key]
        elif _is_external(child.url):
            raise _unknown(child, child.url)


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        choices = ", ".join(map(repr, MODES))
        raise ValueError(
            f"mode must be one of {choices}, got {mode!r} (example: localise(m, 'static'))."
        )


def localise(m: folium.Map, mode: str, base_url: str = DEFAULT_BASE_URL) -> list[str]:
    """Point every script and stylesheet of map ``m`` at the vendored copies; return notices.

    Rewrites each element's ``default_js`` / ``default_css`` as instance attributes (the
    folium classes are untouched): ``"static"`` links under ``base_url``, ``"inline"``
    links that :func:`render_html` replaces by the files' content, ``"cdn"`` keeps
    folium's public URLs. In every mode Bootstrap, Font Awesome, awesome-markers and
    glyphicons are dropped, and any other internet link raises :class:`UnknownAssetLink`.

    Outside ``"cdn"`` mode the files must be installed: Leaflet or jQuery missing, or any
    file altered, raises :class:`AssetsMissing`; a plugin whose files are missing is taken off
    the map, with one notice per plugin.
    """
    _check_mode(mode)
    root = vendor_dir()
    for bundle in BUNDLES.values() if mode != "cdn" else ():
        problem = _bundle_problem(bundle, root) if bundle.required else None
        if problem is not None:
            raise problem
    problems: dict[str, AssetsMissing | None] = {}
    notices: list[str] = []
    names: set[str] = set()
    left_out: set[int] = set()
    for parent, key, element in list(_walk(m)):
        if id(parent) in left_out:
            left_out.add(id(element))
            continue
        if isinstance(element, branca.colormap.ColorMap):
            raise _unknown(element, "d3.js from d3js.org and cdnjs (added by branca and streamlit-folium)")
        if not isinstance(element, JSCSSMixin):
            continue
        js, css = _cdn_links(element, "default_js"), _cdn_links(element, "default_css")
        names.update(name for name, _ in js + css)
        absent = _absent_bundles(js + css, root, problems) if mode != "cdn" else []
        if absent and parent is None:
            raise problems[absent[0].name]
        if absent:
            del parent._children[key]
            left_out.add(id(element))
            notices.extend(
                f"{b.label} left out: its script is not installed (needs npm; run `make setup`)."
                for b in absent
            )
            continue
        element.default_js = _rewrite(element, js, mode, base_url)
        element.default_css = _rewrite(element, css, mode, base_url)
    _forget_rendered_links(m, names)
    return list(dict.fromkeys(notices))


# --------------------------------------------------------------------------- inline HTML

_INLINE_SCRIPT = re.compile(
    rf'<script\b[^>]*\bsrc="{re.escape(INLINE_SCHEME)}(?P<ref>[^"]+)"[^>]*>\s*</script>', re.I
)
_INLINE_STYLE = re.compile(rf'<link\b[^>]*\bhref="{re.escape(INLINE_SCHEME)}(?P<ref>[^"]+)"[^>]*>', re.I)
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<ref>[^"')]+)(?P=q)\s*\)""")
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=\S+\s*$", re.M)
_EXTERNAL_TAG = re.compile(
    r"""<script\b[^>]*\bsrc=["']?(?P<s>[^"'\s>]+)"""
    r"""|<link\b(?=[^>]*\bstylesheet\b)[^>]*\bhref=["']?(?P<h>[^"'\s>]+)""",
    re.I,
)

# Leaflet finds its default marker icon by reading a CSS url() back as a folder path,
# which cannot work once that url() is a data: URI; give it the images directly.
_LEAFLET_ICON_SCRIPT = (
    "<script>L.Icon.Default.imagePath = '';"
    "L.Icon.Default.mergeOptions("
    "{{iconUrl: {icon}, iconRetinaUrl: {retina}, shadowUrl: {shadow}}});</script>"
)


def _resolve(ref: str) -> tuple[Bundle, AssetFile]:
    """The pinned file behind ``<bundle>/<path>`` (an inline placeholder's target)."""
    name, _, path = ref.partition("/")
    try:
        bundle = BUNDLES[name]
        return bundle, bundle.file(path)
    except KeyError:
        raise AssetsMissing(f"The page asks for {ref}, which geo/assets.py does not pin.") from None


def _data_uri(bundle: Bundle, asset: AssetFile, root: Path) -> str:
    kind = _IMAGE_TYPES.get(posixpath.splitext(asset.path)[1].lower(), "application/octet-stream")
    payload = base64.b64encode(_read_verified(bundle, asset, root)).decode("ascii")
    return f"data:{kind};base64,{payload}"


def _script_safe(js: str) -> str:
    """JavaScript that cannot end or confuse the ``<script>`` element it is pasted into.

    ``</script`` and ``<!--`` only occur inside strings, regexes or comments in real
    code, where ``<\\/`` and ``<\\!`` mean the same characters.
    """
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.I)
    return js.replace("<!--", "<\\!--")


def _style_safe(css: str) -> str:
    """CSS that cannot end the ``<style>`` element it is pasted into (``\\/`` is ``/`` in CSS)."""
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)


def _css_with_data_uris(css: str, bundle: Bundle, css_path: str, root: Path) -> str:
    """Replace each relative ``url(...)`` by a ``data:`` URI of the pinned file it names."""
    folder = posixpath.dirname(css_path)

    def swap(match: re.Match[str]) -> str:
        ref = match["ref"].strip()
        if ref.startswith(("data:", "#")):
            return match[0]
        if _is_external(ref):
            raise UnknownAssetLink(
                f"{bundle.name}/{css_path} refers to {ref} on the internet; geo/assets.py cannot inline it."
            )
        path = posixpath.normpath(posixpath.join(folder, re.split(r"[?#]", ref)[0]))
        return f'url("{_data_uri(*_resolve(f"{bundle.name}/{path}"), root)}")'

    return _CSS_URL.sub(swap, css)


def _inline_script(match: re.Match[str], root: Path) -> str:
    bundle, asset = _resolve(match["ref"])
    js = _SOURCE_MAP.sub("", _read_verified(bundle, asset, root).decode("utf-8"))
    tag = f"<script>{_script_safe(js)}</script>"
    if bundle.name == "leaflet":
        images = {key: json.dumps(_data_uri(bundle, bundle.file(f"images/{name}"), root))
                  for key, name in (("icon", "marker-icon.png"), ("retina", "marker-icon-2x.png"),
                                    ("shadow", "marker-shadow.png"))}
        tag += _LEAFLET_ICON_SCRIPT.format(**images)
    return tag


def _inline_style(match: re.Match[str], root: Path) -> str:
    bundle, asset = _resolve(match["ref"])
    css = _read_verified(bundle, asset, root).decode("utf-8")
    return f"<style>{_style_safe(_css_with_data_uris(css, bundle, asset.path, root))}</style>"


def _inline_assets(html: str, root: Path) -> str:
    html = _INLINE_SCRIPT.sub(lambda match: _inline_script(match, root), html)
    html = _INLINE_STYLE.sub(lambda match: _inline_style(match, root), html)
    if INLINE_SCHEME in html:
        raise AssetsMissing(
            f"A {INLINE_SCHEME} link in the page was not inlined; render it with geo.assets.render_html."
        )
    return html


def _refuse_outside_links(html: str, mode: str, base_url: str) -> None:
    """Last guard: no script or stylesheet may come from anywhere but the chosen place."""
    for match in _EXTERNAL_TAG.finditer(html):
        url = match["s"] or match["h"]
        local = url.startswith(base_url.rstrip("/") + "/") if mode == "static" else not _is_external(url)
        if not local:
            raise UnknownAssetLink(
                f"The rendered map still links {url}; geo/assets.py refuses to load map code from it."
            )


def render_html(
    m: folium.Map, mode: str = "inline", base_url: str = DEFAULT_BASE_URL
) -> tuple[str, list[str]]:
    """The full HTML page of map ``m`` with its scripts from the vendored copies; and notices.

    Calls :func:`localise`, renders the page, and in ``"inline"`` mode replaces each
    vendored ``<script src>`` / ``<link rel=stylesheet>`` by the file's content (images in
    stylesheets as ``data:`` URIs), so the page needs nothing but the tile server. Tiles
    are not assets: tile URLs stay in the map's script.
    """
    notices = localise(m, mode, base_url)
    html = m.get_root().render()
    if mode == "inline":
        html = _inline_assets(html, vendor_dir())
    if mode != "cdn":
        _refuse_outside_links(html, mode, base_url)
    return html, notices


# --------------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo.assets",
        description="Install or check the map's pinned scripts (Leaflet from PyPI, plugins from npm).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("install", "fetch, verify and install every bundle"),
                       ("status", "say which bundles are installed and intact (exit 1 if any is not)")):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--dest", type=Path, default=None,
                         help=f"install folder (default: ${ENV_VAR} or <repo>/static/vendor)")
        if name == "install":
            sub.add_argument("--no-npm", action="store_true", help="skip the npm plugins")
    return parser


def main(argv: list[str] | None = None) -> int:
    """``python -m geo.assets install|status``: 0 done, 1 status found gaps, 2 failed (one sentence)."""
    args = _parser().parse_args(argv)
    root = _root(args.dest)
    try:
        if args.command == "install":
            for line in install(root, use_npm=not args.no_npm):
                print(line)
            print(f"Map assets are in {root}.")
            return 0
        intact = status(root)
        for name, ok in intact.items():
            bundle = BUNDLES[name]
            print(f"{bundle.label} ({bundle.spec}): {'installed' if ok else 'missing or altered'}")
        return 0 if all(intact.values()) else 1
    except AssetsMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        where = error.filename or root
        print(f"error: {error.strerror or error} for {where}; check that {root} is writable.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
