"""Where the pinned files are, and reading them back verified against their sha256.

The installed copies live in ``<repo>/static/vendor/<bundle>/`` (gitignored; another folder
with ``$KHARKIV_MAP_ASSETS``), which Streamlit serves at ``/app/static/vendor``. An
installed package (``pip install .``) has no such folder: then Leaflet and jQuery are read
straight from the XStatic packages they come from, which are pip dependencies, still
checked file by file against the scripts.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
from pathlib import Path

from geo.core import files
from geo.data import scripts
from geo.data.scripts import AssetFile, Bundle
from geo.i18n import _, quote

#: Environment variable that moves the install location away from ``<repo>/static/vendor``.
ENV_VAR = "KHARKIV_MAP_ASSETS"

#: The commands people are told to run when a file is missing or altered (in messages,
#: ``run {setup} (or {install}) to install it``).
SETUP_COMMAND, INSTALL_COMMAND = "`make setup`", "`kharkiv-map assets install`"
INSTALL_HINT = f"run {SETUP_COMMAND} (or {INSTALL_COMMAND})"

#: Where Streamlit serves ``<repo>/static/vendor`` (``server.enableStaticServing = true``).
DEFAULT_BASE_URL = "/app/static/vendor"

#: No pinned file comes near this; a larger one is not the pinned file.
MAX_BYTES = 8 << 20


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


def vendor_dir() -> Path:
    """Where the vendored files live: ``$KHARKIV_MAP_ASSETS`` or ``<repo>/static/vendor``.

    ``<repo>`` is the folder holding ``geo/``. Only the default location is served by
    Streamlit at ``/app/static/vendor``; another location suits ``"inline"`` exports.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parents[4] / "static" / "vendor"


def root(dest: Path | str | None) -> Path:
    """``dest``, or :func:`vendor_dir` when it is None."""
    return Path(dest) if dest is not None else vendor_dir()


def _missing(path: Path) -> AssetsMissing:
    return AssetsMissing(
        _("The map asset {file} is missing; run {setup} (or {install}) to install it.").format(
            file=quote.shown_path(path), setup=SETUP_COMMAND, install=INSTALL_COMMAND
        ),
        path,
    )


def _altered(path: Path) -> AssetsMissing:
    return AssetsMissing(
        _(
            "The map asset {file} does not match the sha256 pinned in geo/data/scripts.py "
            "(altered or another version); "
            "run {setup} (or {install}) to reinstall it."
        ).format(file=quote.shown_path(path), setup=SETUP_COMMAND, install=INSTALL_COMMAND),
        path,
    )


def read_file(path: Path, asset: AssetFile) -> bytes:
    """The bytes at ``path`` if it is a regular file and has the pinned sha256 (else AssetsMissing)."""
    try:
        data = files.read_regular(path, MAX_BYTES)
    except files.ReadError as err:
        if err.missing:
            raise _missing(path) from None
        raise AssetsMissing(
            _("The map asset {problem}; run {setup} (or {install}) to reinstall it.").format(
                problem=err, setup=SETUP_COMMAND, install=INSTALL_COMMAND
            ),
            path,
        ) from None
    if files.sha256(data) != asset.sha256:
        raise _altered(path)
    return data


def xstatic_base(bundle: Bundle) -> Path:
    """The data folder of the bundle's installed XStatic package, at the pinned version."""
    try:
        installed = importlib.metadata.version(bundle.package)
        base = Path(importlib.import_module(bundle.module).BASE_DIR)
    except (ImportError, AttributeError, importlib.metadata.PackageNotFoundError):
        raise AssetsMissing(
            _(
                "{label} cannot be read because the Python package {spec} is not installed; run "
                "{setup} "
                "(or `pip install {spec}`)."
            ).format(label=_(bundle.label), spec=bundle.spec, setup=SETUP_COMMAND)
        ) from None
    if installed != bundle.version:
        raise AssetsMissing(
            _(
                "{label} cannot be read because {package} {installed} is installed but "
                "geo/data/scripts.py pins "
                "{version}; run `pip install {spec}`."
            ).format(
                label=_(bundle.label),
                package=bundle.package,
                installed=installed,
                version=bundle.version,
                spec=bundle.spec,
            )
        )
    return base


def location(bundle: Bundle, asset: AssetFile, folder: Path, fallback: bool = False) -> Path:
    """Where to read ``asset``: its vendored copy under ``folder``, or, with ``fallback`` for a
    PyPI bundle whose folder is absent (an installed package), its file in the XStatic package."""
    vendored = folder / bundle.name / asset.path
    if fallback and bundle.registry == "pypi" and not (folder / bundle.name).exists():
        return xstatic_base(bundle) / asset.source
    return vendored


def read_verified(bundle: Bundle, asset: AssetFile, folder: Path, fallback: bool = False) -> bytes:
    """The bytes of one pinned file, after checking them against the pin."""
    return read_file(location(bundle, asset, folder, fallback), asset)


def bundle_problem(bundle: Bundle, folder: Path, fallback: bool = False) -> AssetsMissing | None:
    """The first missing or altered file of ``bundle`` under ``folder``, as an error; else None."""
    try:
        for asset in bundle.files:
            read_verified(bundle, asset, folder, fallback)
    except AssetsMissing as problem:
        return problem
    return None


def status(dest: Path | str | None = None) -> dict[str, bool]:
    """Which bundles (leaflet, jquery, fullscreen, measure, minimap) are installed and intact
    under ``dest`` (default :func:`vendor_dir`)."""
    folder = root(dest)
    return {
        name: bundle_problem(bundle, folder) is None for name, bundle in scripts.BUNDLES.items()
    }
