"""Writing a folder of files (a static site) all together, with a manifest that marks it.

:func:`write_folder` writes every file of a folder, in subfolders as their names say, through
:func:`geo.core.files.write_all` (each file to a temporary file beside it, all moved into place
only once every one is written), so a failure leaves the folder as it was. The folder must be
new, empty, or one this function wrote before: a folder holding a manifest (:data:`MANIFEST`,
the list of the files written, with their sizes and SHA-256) and nothing else but the files it
lists. Such a folder is written again in place, and the files of the old manifest that the new
one lacks are removed. Any other folder with something in it is refused with one sentence, so
no file of anyone else's is ever replaced or left mixed in with the site.

Names inside the folder are relative POSIX paths of plain parts (letters, digits, ``.``,
``-``, ``_``): no ``..``, no absolute path, nothing hidden.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from geo.core.files import OutputError, sha256, write_all
from geo.i18n import _
from geo.i18n.quote import shown_path

#: The manifest's name: it lists what the folder holds, and marks it as one this code wrote.
MANIFEST = "kharkiv-map-site.json"
#: The manifest's ``generator``, which marks it as this program's.
GENERATOR = "kharkiv-map site"
_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: A manifest larger than this is not one this code wrote.
_MAX_MANIFEST_BYTES = 1 << 20


def _check_name(name: str) -> None:
    parts = name.split("/")
    if not all(_PART.fullmatch(part) and part not in (".", "..") for part in parts):
        raise ValueError(f"{name!r} is not a relative path of plain parts, e.g. 'en/story.html'")


def _present(folder: Path) -> list[str]:
    """Every file and folder under ``folder``, as relative POSIX paths (folders end in ``/``);
    a symbolic link ends in ``@``, so that no manifest lists it: writing would follow it."""
    found = []
    for root, dirs, names in os.walk(folder):
        base = Path(root).relative_to(folder)
        for name in dirs + names:
            path = Path(root) / name
            mark = "@" if path.is_symlink() else "/" if name in dirs else ""
            found.append((base / name).as_posix() + mark)
    return sorted(found)


def _manifest_files(folder: Path) -> list[str] | None:
    """The files the folder's manifest lists, when it is a manifest this code wrote; else None."""
    path = folder / MANIFEST
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_MANIFEST_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        files = [entry["path"] for entry in data["files"]]
        if data.get("generator") != GENERATOR or not all(isinstance(f, str) for f in files):
            return None
        for name in files:
            _check_name(name)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return files


def previous_files(folder: str | os.PathLike) -> list[str]:
    """The files a folder already holds that :func:`write_folder` may replace or remove: none for
    a folder that does not exist or is empty, the manifest's list for a folder written before.

    Anything else raises :class:`geo.core.files.OutputError` with one sentence: a path that is
    not a folder, a folder whose parent does not exist, or a folder with other files in it."""
    given = os.fspath(folder)
    real = Path(os.path.realpath(given))
    if not given:
        raise OutputError(_("cannot write to an empty folder name; give one such as site."))
    if real.exists() and not real.is_dir():
        raise OutputError(
            _(
                "cannot write the site into {path}: it is not a folder; give a folder such as site."
            ).format(path=shown_path(given))
        )
    if not real.exists():
        if not real.parent.is_dir():
            raise OutputError(
                _("cannot write the site into {path}: the folder {parent} does not exist.").format(
                    path=shown_path(given), parent=shown_path(os.path.dirname(given) or ".")
                )
            )
        return []
    present = _present(real)
    if not present:
        return []
    listed = _manifest_files(real)
    if listed is not None:
        allowed = {MANIFEST, *listed}
        for name in listed:
            parts = name.split("/")
            allowed.update("/".join(parts[:i]) + "/" for i in range(1, len(parts)))
        strays = [name for name in present if name not in allowed]
        if not strays:
            return listed
        raise OutputError(
            _(
                "cannot write the site into {path}: besides the site written there before, it "
                "holds other files (such as {example}); move them out, or give a new or empty "
                "folder."
            ).format(path=shown_path(given), example=shown_path(strays[0]))
        )
    raise OutputError(
        _(
            "cannot write the site into {path}: the folder holds other files (such as {example}) "
            "and is not a site this command wrote; give a new or empty folder."
        ).format(path=shown_path(given), example=shown_path(present[0]))
    )


def manifest_text(contents: Mapping[str, str | bytes]) -> str:
    """The manifest for ``contents``: each file's path, size in bytes and SHA-256."""
    entries = []
    for name, data in sorted(contents.items()):
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        entries.append({"path": name, "bytes": len(raw), "sha256": sha256(raw)})
    return json.dumps({"generator": GENERATOR, "files": entries}, indent=1) + "\n"


def write_folder(folder: str | os.PathLike, contents: Mapping[str, str | bytes]) -> None:
    """Write ``contents`` (relative path -> text or bytes) into ``folder`` with its manifest,
    all files or none. ``folder`` is created when it does not exist (its parent must); see the
    module's docstring for the folders refused. Subfolders are made as needed; those made here
    are removed again if writing fails."""
    for name in contents:
        _check_name(name)
        if name == MANIFEST:
            raise ValueError(f"{MANIFEST} is the manifest's own name")
    old = previous_files(folder)
    given = os.fspath(folder)
    real = Path(os.path.realpath(given))
    needed = {real, *((real / name).parent for name in contents)}
    made: list[Path] = []
    try:
        for path in sorted(needed, key=lambda p: len(p.parts)):
            for step in (*reversed(path.parents), path):
                if step.is_relative_to(real) and not step.exists():
                    step.mkdir()
                    made.append(step)
        everything = {**contents, MANIFEST: manifest_text(contents)}
        # Each path as the user spelled the folder, so that a message names it their way.
        write_all({os.path.join(given, name): data for name, data in everything.items()})
    except BaseException:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.rmdir()
        raise
    for name in sorted(set(old) - set(contents), reverse=True):
        with contextlib.suppress(FileNotFoundError):
            (real / name).unlink()
    for path in sorted({(real / name).parent for name in old}, key=lambda p: -len(p.parts)):
        if path != real and path.is_relative_to(real):
            with contextlib.suppress(OSError):
                path.rmdir()  # only an empty folder goes
