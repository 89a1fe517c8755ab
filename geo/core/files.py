"""Reading and writing files safely: one checksum, one reader, one all-or-nothing writer.

Everything the program reads or writes goes through here, so the same rules hold for the
border data, the map scripts, the exported page and the rebuilt data:

* :func:`read_regular` opens only regular files (a FIFO, a device or a folder is refused
  without blocking) and checks the size before reading;
* :func:`write_all` checks every output path before writing anything, writes each file to
  a temporary file beside it, and moves them all into place only once every one is
  written. A symbolic link is written through (the link stays a link); a device, pipe or
  folder is refused, never replaced. An interrupt (Ctrl-C, or SIGTERM and SIGHUP, which
  ``geo.cli`` turns into one) removes the temporary files; it is held back while a
  temporary file is made and recorded, while the files are moved into place, and while the
  temporary files are removed, so none is left behind and the moves are all or none.

Messages name the path as the user gave it, never a temporary name, and cut long values
(``geo.i18n.quote``) so one bad argument cannot flood a terminal.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import signal
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.i18n import N_, _, number
from geo.i18n.quote import shown_path

_TEMP_TRIES = 20


#: The operating system's reasons people meet most, for translation (the system writes them in English).
OS_REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EDQUOT: N_("Disk quota exceeded"),
    errno.EROFS: N_("Read-only file system"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.EIO: N_("Input/output error"),
}


def os_reason(err: OSError) -> str:
    """Why the system refused, as it says it (``Permission denied``), in the current language."""
    text = err.strerror or str(err)
    key = OS_REASONS.get(err.errno)
    translated = _(key) if key else text
    return text if translated == key else translated


class OutputError(Exception):
    """An output path that cannot be written; the message is one sentence naming it."""


class ReadError(Exception):
    """An input file that cannot be read as a regular file of sensible size.

    ``path`` is the file, ``reason`` the part of the sentence after its name ("cannot be
    read (No such file or directory)", "is not a regular file", ...); ``missing`` is true
    when the file does not exist, so callers can say how to get it.
    """

    def __init__(self, path: str | os.PathLike, reason: str, missing: bool = False):
        super().__init__(f"{shown_path(path)} {reason}")
        self.path = Path(path)
        self.reason = reason
        self.missing = missing


def sha256(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- reading


def read_regular(path: str | os.PathLike, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, refusing anything else or anything larger.

    The file is checked with ``stat`` before it is opened, opened with ``O_NONBLOCK`` (a
    FIFO swapped in meanwhile cannot make the open wait) and checked again with ``fstat``.
    Every problem raises :class:`ReadError`.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ReadError(path, _("is not a regular file (a folder, device or pipe)"))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise ReadError(
            path,
            _("cannot be read ({why})").format(why=os_reason(err)),
            isinstance(err, FileNotFoundError),
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(path, _("is not a regular file (a folder, device or pipe)"))
        if info.st_size > max_bytes:
            raise ReadError(
                path,
                _("is {size} bytes, more than the {limit} expected").format(
                    size=number(info.st_size), limit=number(max_bytes)
                ),
            )
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise ReadError(
                    path,
                    _("grew past {limit} bytes while being read").format(limit=number(max_bytes)),
                )
        return b"".join(chunks)
    except OSError as err:
        raise ReadError(path, _("cannot be read ({why})").format(why=os_reason(err))) from None
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Target:
    """One checked output: the path as given, the real file behind it, its mode if it exists."""

    given: str
    real: Path
    mode: int | None


def _refuse(given: str, why: str) -> OutputError:
    return OutputError(_("cannot write {path}: {why}.").format(path=shown_path(given), why=why))


def _example(folder: str) -> str:
    return shown_path(os.path.join(folder, "map.html"))


def check_output(path: str | os.PathLike) -> Target:
    """Check that ``path`` names a file that can be written, or say why not (:class:`OutputError`).

    Refused: an empty name, a folder, a name ending in a separator (it names a folder),
    a missing or unwritable folder, and anything that exists but is not a regular file
    (a device such as /dev/null, a pipe, a socket). A symbolic link is followed: the file
    it points at is the one written.
    """
    given = os.fspath(path)
    given = given if isinstance(given, str) else os.fsdecode(given)
    if not given:
        raise OutputError(_("cannot write to an empty file name; give one such as map.html."))
    folder_given = os.path.dirname(given.rstrip(os.sep)) or "."
    if given.endswith(os.sep) or os.path.basename(given) in (".", ".."):
        if os.path.isdir(given):
            raise _refuse(
                given,
                _("it is a folder; give a file name such as {example}").format(
                    example=_example(given)
                ),
            )
        raise _refuse(
            given,
            _(
                "a name ending in {sep} names a folder, and there is none; give a file name such "
                "as "
                "{example}"
            ).format(sep=os.sep, example=_example(given)),
        )
    real = Path(os.path.realpath(given))
    try:
        info = os.stat(real)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise _refuse(
            given, _("{folder} is not a folder").format(folder=shown_path(folder_given))
        ) from None
    except OSError as err:
        raise _refuse(given, os_reason(err)) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(
                given,
                _("it is a folder; give a file name such as {example}").format(
                    example=_example(given)
                ),
            )
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(
                given, _("it is not a regular file (a device, pipe or socket), and is left alone")
            )
        if not os.access(real, os.W_OK):
            raise _refuse(given, _("permission denied"))
        return Target(given, real, stat.S_IMODE(info.st_mode))
    if not real.parent.is_dir():
        what = (
            _("the folder {folder} is not a folder")
            if real.parent.exists()
            else _("the folder {folder} does not exist")
        )
        raise _refuse(given, what.format(folder=shown_path(folder_given)))
    if not os.access(real.parent, os.W_OK | os.X_OK):
        raise _refuse(
            given,
            _("permission denied in the folder {folder}").format(folder=shown_path(folder_given)),
        )
    return Target(given, real, None)


def _identity(real: Path) -> list:
    """The keys under which a path is the same file: its real path and, for a file that
    exists, its device and inode (so a hard link matches too)."""
    keys: list = [real]
    try:
        info = os.stat(real)
    except OSError:
        return keys
    keys.append((info.st_dev, info.st_ino))
    return keys


def check_outputs(
    paths: Iterable[str | os.PathLike], inputs: Iterable[str | os.PathLike] = ()
) -> list[Target]:
    """:func:`check_output` for each path, no two naming the same file, and none naming one of
    ``inputs`` (the files the command reads), by any spelling, symbolic link or hard link:
    an output never replaces what it is made from."""
    read = {}
    for path in inputs:
        given = os.fspath(path)
        given = given if isinstance(given, str) else os.fsdecode(given)
        read.update(dict.fromkeys(_identity(Path(os.path.realpath(given))), given))
    targets, seen = [], {}
    for path in paths:
        target = check_output(path)
        keys = _identity(target.real)
        for key in keys:
            if key in read:
                raise OutputError(
                    _(
                        "{output} is the input file {input}: writing it would destroy what is "
                        "read; "
                        "give the output its own name."
                    ).format(output=shown_path(target.given), input=shown_path(read[key]))
                )
            if key in seen:
                raise OutputError(
                    _(
                        "{first} and {second} are the same file; give each output its own name."
                    ).format(first=shown_path(seen[key]), second=shown_path(target.given))
                )
        seen.update(dict.fromkeys(keys, target.given))
        targets.append(target)
    return targets


def _temp_beside(target: Target) -> tuple[int, Path]:
    """A new, empty temporary file in the target's folder, short-named (a long target
    name cannot make it too long), created with mode 0o666 so the umask applies."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(_TEMP_TRIES):
        temp = target.real.parent / f".kharkiv-map-{secrets.token_hex(6)}.tmp"
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(_("no free temporary name in {folder}").format(folder=target.real.parent))


#: The signals held back around the steps of a write that must not be cut in two.
_HELD = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


@contextlib.contextmanager
def _signals_held():
    """The interrupting signals held back (delivered, and their handlers run, when the block
    ends), where the system can hold them; else nothing is held."""
    try:
        before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    except (AttributeError, ValueError, OSError):
        before = None
    try:
        yield
    finally:
        if before is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _write_fd(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def write_all(
    outputs: Mapping[str | os.PathLike, str | bytes], inputs: Iterable[str | os.PathLike] = ()
) -> None:
    """Write several files all or nothing; text is written as UTF-8.

    Every path is checked first (:func:`check_outputs`, against ``inputs`` too). Each file is then written to a
    temporary file beside its target; only when all are written and flushed are they moved
    into place, so a failure (a full disk, a permission problem) leaves every target as it
    was. An existing target keeps its permission bits; a new one gets the usual ``0o666``
    less the umask. Raises :class:`OutputError` (one sentence naming the user's path).
    """
    targets = check_outputs(outputs, inputs)
    payloads = [
        data.encode("utf-8") if isinstance(data, str) else bytes(data) for data in outputs.values()
    ]
    staged: list[tuple[Target, Path]] = []
    try:
        for target, data in zip(targets, payloads):
            try:
                with _signals_held():  # no temporary file made but not recorded
                    fd, temp = _temp_beside(target)
                    staged.append((target, temp))
            except OSError as err:
                # Written beside the target so the final move is atomic; say so in the user's terms.
                raise _refuse(
                    target.given,
                    _("its folder takes no new file ({why})").format(why=os_reason(err)),
                ) from None
            try:
                if target.mode is not None:
                    os.fchmod(fd, target.mode)
                _write_fd(fd, data)
            except OSError as err:
                raise _refuse(target.given, os_reason(err)) from None
            finally:
                os.close(fd)
        with _signals_held():
            for target, temp in staged:
                try:
                    os.replace(temp, target.real)
                except OSError as err:
                    raise _refuse(target.given, os_reason(err)) from None
    finally:
        with _signals_held():
            for _target, temp in staged:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
