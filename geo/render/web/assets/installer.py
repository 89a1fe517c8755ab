"""Installing the pinned map scripts into the vendor folder.

Leaflet and jQuery are copied from their installed XStatic wheels (pip dependencies);
the three plugins that exist only on npm are fetched with ``npm pack`` into a temporary
folder (no ``node_modules``, no install scripts) and read from the tarball in memory.
Every file is checked against its sha256 in :mod:`geo.data.scripts` before anything is
written, and all files are then written together with :func:`geo.core.files.write_all`.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path

from geo.core import files
from geo.data import scripts
from geo.data.scripts import Bundle
from geo.i18n import _, ngettext, quote
from geo.render.web.assets import store
from geo.render.web.assets.store import AssetsMissing

#: How long one ``npm pack`` may take, seconds.
NPM_TIMEOUT_S = 300


class NpmFailed(Exception):
    """``npm pack`` did not deliver a tarball (no network, no such package): one sentence."""


def _pypi_contents(bundle: Bundle) -> dict[str, bytes]:
    """The bundle's files, read from its installed XStatic wheel."""
    base = store.xstatic_base(bundle)
    contents = {}
    for asset in bundle.files:
        try:
            contents[asset.path] = files.read_regular(base / asset.source, store.MAX_BYTES)
        except files.ReadError as err:
            raise AssetsMissing(
                _(
                    "{spec}: {problem}; reinstall it with `pip install --force-reinstall {spec}`."
                ).format(spec=bundle.spec, problem=err),
                base / asset.source,
            ) from None
    return contents


def _npm_contents(bundle: Bundle, npm: str) -> dict[str, bytes]:
    """The bundle's files, read from the tarball ``npm pack`` fetches from the npm registry."""
    with tempfile.TemporaryDirectory(prefix="kharkiv-npm-") as tmp:
        try:
            done = subprocess.run(
                [npm, "pack", "--ignore-scripts", "--silent", bundle.spec],
                cwd=tmp,
                capture_output=True,
                text=True,
                timeout=NPM_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise NpmFailed(
                _("`npm pack {spec}` took over {seconds} s").format(
                    spec=bundle.spec, seconds=NPM_TIMEOUT_S
                )
            ) from None
        except OSError as err:
            raise NpmFailed(
                _("`npm pack {spec}` could not start ({why})").format(
                    spec=bundle.spec, why=files.os_reason(err)
                )
            ) from None
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            reason = (done.stderr.strip().splitlines() or ["no tarball written"])[-1]
            raise NpmFailed(
                _("`npm pack {spec}` failed ({why})").format(
                    spec=bundle.spec, why=quote.shown(reason)
                )
            )
        try:
            with tarfile.open(tarballs[0], "r:gz") as tar:
                return {
                    asset.path: _tar_member(tar, asset.source, bundle) for asset in bundle.files
                }
        except (tarfile.TarError, OSError, EOFError) as err:
            raise AssetsMissing(
                _("The npm tarball of {spec} cannot be read ({why}).").format(
                    spec=bundle.spec, why=quote.shown(err)
                )
            ) from None


def _tar_member(tar: tarfile.TarFile, name: str, bundle: Bundle) -> bytes:
    """One regular file of an npm tarball, read in memory (nothing is extracted to disk)."""
    try:
        member = tar.getmember(name)
    except KeyError:
        raise AssetsMissing(
            _(
                "The npm package {spec} has no file {name}; geo/data/scripts.py needs updating."
            ).format(spec=bundle.spec, name=name)
        ) from None
    handle = tar.extractfile(member) if member.isfile() and member.size <= store.MAX_BYTES else None
    if handle is None:
        raise AssetsMissing(
            _("{name} in the npm package {spec} is not a regular file of sensible size.").format(
                name=name, spec=bundle.spec
            )
        )
    return handle.read()


def _check_contents(bundle: Bundle, contents: Mapping[str, bytes]) -> None:
    """Refuse anything that is not byte-for-byte the pinned file."""
    for asset in bundle.files:
        actual = files.sha256(contents[asset.path])
        if actual != asset.sha256:
            raise AssetsMissing(
                _(
                    "{file} from {registry} package {spec} has sha256 {actual}, not the {pinned} "
                    "pinned in "
                    "geo/data/scripts.py, so it was not installed."
                ).format(
                    file=asset.source,
                    registry=bundle.registry,
                    spec=bundle.spec,
                    actual=actual,
                    pinned=asset.sha256,
                )
            )


def _write(folder: Path, verified: list[tuple[Bundle, Mapping[str, bytes]]]) -> None:
    """Write every verified file under ``folder/<bundle>/``, all or nothing."""
    outputs = {}
    for bundle, contents in verified:
        for path, data in contents.items():
            target = folder / bundle.name / path
            target.parent.mkdir(parents=True, exist_ok=True)
            outputs[target] = data
    if outputs:
        files.write_all(outputs)


def install(dest: Path | str | None = None, use_npm: bool = True) -> list[str]:
    """Install every bundle into ``dest`` (default :func:`store.vendor_dir`); one line per bundle.

    A bundle already present with the right checksums is left alone. A plugin is skipped,
    with a notice, when ``use_npm`` is false, ``npm`` is not on PATH or ``npm pack`` fails
    (no network). A checksum mismatch raises :class:`AssetsMissing` and writes nothing;
    a file that cannot be written raises :class:`geo.core.files.OutputError` and writes nothing.
    """
    folder = store.root(dest)
    npm = shutil.which("npm") if use_npm else None
    notices, verified = [], []
    for bundle in scripts.BUNDLES.values():
        if store.bundle_problem(bundle, folder) is None:
            notices.append(
                _("{label}: {spec} already installed, checksums match.").format(
                    label=_(bundle.label), spec=bundle.spec
                )
            )
            continue
        if bundle.registry == "npm" and npm is None:
            why = _("npm is not on PATH") if use_npm else _("npm was not used")
            notices.append(
                _("{label} not installed: {why} (needs `npm pack {spec}`).").format(
                    label=_(bundle.label), why=why, spec=bundle.spec
                )
            )
            continue
        try:
            contents = (
                _pypi_contents(bundle) if bundle.registry == "pypi" else _npm_contents(bundle, npm)
            )
        except NpmFailed as failure:
            notices.append(
                _("{label} not installed: {why}.").format(label=_(bundle.label), why=failure)
            )
            continue
        _check_contents(bundle, contents)
        verified.append((bundle, contents))
        notices.append(
            ngettext(
                "{label}: installed {spec} from {registry} ({count} file).",
                "{label}: installed {spec} from {registry} ({count} files).",
                len(contents),
            ).format(
                label=_(bundle.label),
                spec=bundle.spec,
                registry=bundle.registry,
                count=len(contents),
            )
        )
    _write(folder, verified)
    return notices
