"""The map's pinned scripts and stylesheets on this machine: where they are, reading them back
verified, and the one installer (``kharkiv-map assets install | status``).

The copies live in ``<repo>/static/vendor/<library>/`` (gitignored; another folder with
``$KHARKIV_MAP_ASSETS``), which Streamlit serves at ``/app/static/vendor``. Leaflet comes from
its XStatic wheel, a pip dependency, so an installed package without that folder reads it
straight from there; the plugins exist only on npm and are fetched with ``npm pack`` (no
``node_modules``, no install scripts) and read from the tarball in memory. Every file is
checked against its sha256 in :mod:`geo.data.scripts` before anything is written, and whenever
it is read.

Pointing a map at these files is :mod:`geo.render.web.page`'s job; this module imports no
folium, so ``kharkiv-map assets status`` starts quickly.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

from geo.core import files
from geo.data import scripts
from geo.data.scripts import File, Library
from geo.i18n import _, ngettext, quote

#: Environment variable that moves the install location away from ``<repo>/static/vendor``.
ENV_VAR = "KHARKIV_MAP_ASSETS"
#: The commands people are told to run when a file is missing or altered.
SETUP_COMMAND, INSTALL_COMMAND = "`make setup`", "`kharkiv-map assets install`"
INSTALL_HINT = f"run {SETUP_COMMAND} (or {INSTALL_COMMAND})"
#: Where Streamlit serves ``<repo>/static/vendor`` (``server.enableStaticServing = true``).
DEFAULT_BASE_URL = "/app/static/vendor"
#: No pinned file comes near this; a larger one is not the pinned file.
MAX_BYTES = 8 << 20
#: How long one ``npm pack`` may take, seconds.
NPM_TIMEOUT_S = 300


class AssetsMissing(Exception):
    """A map script, stylesheet or image is not installed, or not the pinned file: one
    sentence that names it (``path``, when there is one) and says how to fix it."""

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.path = path


class UnknownAssetLink(ValueError):
    """A map element links a script or stylesheet that is neither pinned nor dropped."""


# --------------------------------------------------------------------------- where and reading


def vendor_dir() -> Path:
    """``$KHARKIV_MAP_ASSETS``, or ``<repo>/static/vendor`` (``<repo>`` holds ``geo/``), the
    folder Streamlit serves at :data:`DEFAULT_BASE_URL`."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parents[3] / "static" / "vendor"


def _xstatic_base(library: Library) -> Path:
    """The data folder of the library's installed XStatic package, at the pinned release."""
    try:
        installed = importlib.metadata.version(library.package)
        base = Path(importlib.import_module(library.module).BASE_DIR)
    except (ImportError, AttributeError, importlib.metadata.PackageNotFoundError):
        raise AssetsMissing(
            _(
                "{label} cannot be read because the Python package {spec} is not installed; run "
                "{setup} (or `pip install {spec}`)."
            ).format(label=_(library.label), spec=library.spec, setup=SETUP_COMMAND)
        ) from None
    if installed != library.release:
        raise AssetsMissing(
            _(
                "{label} cannot be read because {package} {installed} is installed but "
                "geo/data/scripts.py pins {version}; run `pip install {spec}`."
            ).format(
                label=_(library.label),
                package=library.package,
                installed=installed,
                version=library.release,
                spec=library.spec,
            )
        )
    return base


def location(library: Library, file: File, folder: Path, fallback: bool = False) -> Path:
    """Where ``file`` is read from: its copy under ``folder``, or, with ``fallback``, for a PyPI
    library whose folder is absent (an installed package), its file in the XStatic package."""
    if fallback and library.registry == "pypi" and not (folder / library.name).exists():
        return _xstatic_base(library) / file.path
    return folder / library.name / file.path


def read(library: Library, file: File, dest: Path | None = None, fallback: bool = False) -> bytes:
    """The bytes of one pinned file (under ``dest``, default :func:`vendor_dir`), if it is a
    regular file with the pinned sha256; else :class:`AssetsMissing`."""
    path = location(library, file, dest or vendor_dir(), fallback)
    hint = {"setup": SETUP_COMMAND, "install": INSTALL_COMMAND}
    try:
        data = files.read_regular(path, MAX_BYTES)
    except files.ReadError as err:
        if err.missing:
            message = _(
                "The map asset {file} is missing; run {setup} (or {install}) to install it."
            )
            raise AssetsMissing(message.format(file=quote.shown_path(path), **hint), path) from None
        message = _("The map asset {problem}; run {setup} (or {install}) to reinstall it.")
        raise AssetsMissing(message.format(problem=err, **hint), path) from None
    if files.sha256(data) != file.sha256:
        message = _(
            "The map asset {file} does not match the sha256 pinned in geo/data/scripts.py "
            "(altered or another version); run {setup} (or {install}) to reinstall it."
        )
        raise AssetsMissing(message.format(file=quote.shown_path(path), **hint), path)
    return data


def problem(library: Library, dest: Path | None = None, fallback=False) -> AssetsMissing | None:
    """The first missing or altered file of ``library``, as an error; None when all are intact."""
    try:
        for file in library.files:
            read(library, file, dest, fallback)
    except AssetsMissing as found:
        return found
    return None


def status(dest: Path | None = None) -> dict[str, bool]:
    """Which libraries are installed and intact under ``dest`` (default :func:`vendor_dir`)."""
    return {library.name: problem(library, dest) is None for library in scripts.LIBRARIES}


def plugins(cdn: bool = False, fallback: bool = False) -> tuple[set[str], list[str]]:
    """The controls drawn with a plugin (the libraries not required) that a map can have, and
    one notice for each left out.

    A page linked to the public CDN (``cdn``) has them all. Otherwise a control is left out
    when its library is not installed (npm was missing at set-up). Leaflet missing, or any
    file present but altered, raises :class:`AssetsMissing`: those are not states to paper
    over by leaving a control out. ``fallback``: Leaflet may come from its XStatic package (a
    standalone page)."""
    usable, notices = set(), []
    for library in scripts.LIBRARIES:
        found = None if cdn else problem(library, fallback=fallback)
        if found is not None and (library.required or (found.path and found.path.exists())):
            raise found
        if library.required:
            continue
        if found is None:
            usable.add(library.name)
        else:
            notices.append(
                _(
                    "{label} left out: its script is not installed (needs npm; run `make setup`)."
                ).format(label=_(library.label))
            )
    return usable, notices


# --------------------------------------------------------------------------- installing


def _from_pypi(library: Library) -> dict[str, bytes]:
    """The library's files, read from its installed XStatic wheel."""
    base, contents = _xstatic_base(library), {}
    for file in library.files:
        try:
            contents[file.path] = files.read_regular(base / file.path, MAX_BYTES)
        except files.ReadError as err:
            raise AssetsMissing(
                _(
                    "{spec}: {problem}; reinstall it with `pip install --force-reinstall {spec}`."
                ).format(spec=library.spec, problem=err),
                base / file.path,
            ) from None
    return contents


def _from_npm(library: Library, npm: str) -> dict[str, bytes] | str:
    """The library's files, read in memory from the tarball ``npm pack`` fetches from the npm
    registry (nothing is extracted to disk); or why there is no tarball (no network…)."""
    with tempfile.TemporaryDirectory(prefix="kharkiv-npm-") as tmp:
        command = [npm, "pack", "--ignore-scripts", "--silent", library.spec]
        try:
            done = subprocess.run(
                command, cwd=tmp, capture_output=True, text=True, timeout=NPM_TIMEOUT_S
            )
        except subprocess.TimeoutExpired:
            return _("it took over {seconds} s").format(seconds=NPM_TIMEOUT_S)
        except OSError as err:
            return files.os_reason(err)
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            return quote.shown((done.stderr.strip().splitlines() or ["no tarball written"])[-1])
        contents = {}
        try:
            with tarfile.open(tarballs[0], "r:gz") as tar:
                for file in library.files:
                    member = tar.getmember(library.source + file.path)
                    handle = tar.extractfile(member) if member.size <= MAX_BYTES else None
                    contents[file.path] = handle.read() if handle is not None else b""
        except (KeyError, tarfile.TarError, OSError, EOFError) as err:
            raise AssetsMissing(
                _("The npm tarball of {spec} cannot be read ({why}).").format(
                    spec=library.spec, why=quote.shown(err)
                )
            ) from None
        return contents


def _check(library: Library, contents: dict[str, bytes]) -> None:
    """Refuse anything that is not byte for byte the pinned file."""
    for file in library.files:
        actual = files.sha256(contents[file.path])
        if actual != file.sha256:
            raise AssetsMissing(
                _(
                    "{file} from {registry} package {spec} has sha256 {actual}, not the {pinned} "
                    "pinned in geo/data/scripts.py, so it was not installed."
                ).format(
                    file=library.source + file.path,
                    registry=library.registry,
                    spec=library.spec,
                    actual=actual,
                    pinned=file.sha256,
                )
            )


def install(
    dest: Path | None = None, use_npm: bool = True, libraries: Iterable[Library] | None = None
) -> list[str]:
    """Install the ``libraries`` (default: every one the map uses) into ``dest`` (default
    :func:`vendor_dir`); one line per library.

    A library already there with the right checksums is left alone. One from npm is skipped,
    with a notice, when ``use_npm`` is false, ``npm`` is not on PATH or ``npm pack`` fails (no
    network). A checksum mismatch raises :class:`AssetsMissing` and writes nothing; a file that
    cannot be written raises :class:`geo.core.files.OutputError` and writes nothing."""
    folder = Path(dest) if dest is not None else vendor_dir()
    npm = shutil.which("npm") if use_npm else None
    notices, outputs = [], {}
    for library in scripts.LIBRARIES if libraries is None else libraries:
        label, spec = _(library.label), library.spec
        if problem(library, folder) is None:
            line = _("{label}: {spec} already installed, checksums match.")
            notices.append(line.format(label=label, spec=spec))
            continue
        if library.registry == "npm" and npm is None:
            why = _("npm is not on PATH") if use_npm else _("npm was not used")
            line = _("{label} not installed: {why} (needs `npm pack {spec}`).")
            notices.append(line.format(label=label, why=why, spec=spec))
            continue
        contents = _from_pypi(library) if library.registry == "pypi" else _from_npm(library, npm)
        if isinstance(contents, str):
            line = _("{label} not installed: `npm pack {spec}` failed ({why}).")
            notices.append(line.format(label=label, spec=spec, why=contents))
            continue
        _check(library, contents)
        outputs.update({folder / library.name / path: data for path, data in contents.items()})
        line = ngettext(
            "{label}: installed {spec} from {registry} ({count} file).",
            "{label}: installed {spec} from {registry} ({count} files).",
            len(contents),
        )
        notices.append(
            line.format(label=label, spec=spec, registry=library.registry, count=len(contents))
        )
    for target in outputs:
        target.parent.mkdir(parents=True, exist_ok=True)
    if outputs:
        files.write_all(outputs)
    return notices
