"""What ``kharkiv-map`` (``geo.cli``) needs around argparse and the terminal: the language flag
read before the parser is built, argparse's own words in the current language, messages kept
to one short line, streams that print whatever the terminal's encoding, and the errors that
end a command with one sentence. No text of its own: the words are in ``geo.cli``.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import signal
import sys

from geo import i18n
from geo.i18n import quote

# Values argparse repeats in its messages ('quoted', or bare), to be cut to a short start.
_LONG_VALUE = re.compile(
    r"'([^'\n]{%d,})'|(\S{%d,})" % (quote.VALUE_LIMIT + 1, quote.VALUE_LIMIT + 3)
)


def lang_flag(argv: list[str]) -> str | None:
    """The value of the last ``--lang X`` or ``--lang=X`` before a bare ``--``, or None.

    >>> lang_flag(["facts", "--lang", "uk"]), lang_flag(["--lang=en", "facts", "--lang=uk"])
    ('uk', 'uk')
    >>> lang_flag(["where", "--", "--lang", "uk"]) is None
    True
    """
    given = None
    for arg, following in zip(argv, [*argv[1:], None]):
        if arg == "--":
            break
        if arg == "--lang" and following is not None:
            given = following
        elif arg.startswith("--lang="):
            given = arg.partition("=")[2]
    return given


@contextlib.contextmanager
def argparse_speaking():
    """argparse's own words ("usage:", "options", its error messages) in the current language.
    argparse binds ``gettext.gettext`` and ``ngettext`` as its module's ``_`` and ``ngettext``
    and calls them whenever it writes a heading, its usage or an error; within this block they
    are the catalogues' (``geo.i18n``), and are put back after it. English leaves argparse
    untouched."""
    if i18n.current() == i18n.DEFAULT:
        yield
        return
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = i18n._, i18n.ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def one_line(message: str) -> str:
    """An argparse message with the long values it repeats cut to a short start, and control
    characters and line separators in a value (which str.splitlines reads as line breaks)
    shown as U+FFFD: one line whatever was typed."""
    message = _LONG_VALUE.sub(
        lambda m: f"'{quote.shown(m[1])}'" if m[1] else quote.shown(m[2]), message
    )
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in message)


def printable_streams() -> None:
    """Print in whatever encoding the terminal has, replacing what it cannot show (a
    non-UTF-8 file name, "–" on an ASCII terminal) instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")


#: The failures that end a command with one sentence and exit status 2, by module. A module
#: that was never imported cannot have raised its error, so only loaded ones are checked.
SENTENCE_ERRORS = {
    "geo.core.files": ("OutputError", "ReadError"),
    "geo.data.borders": ("DataError",),
    "geo.render.web.assets": ("AssetsMissing", "UnknownAssetLink"),
    "geo.tools.rebuild": ("BuildError",),
    "geo.render.print.figure": ("FigureError",),
    "geo.userfiles.userdata": ("UserDataError",),
    "geo.engine.gazetteer": ("PlaceNameError",),
}


def sentence_errors() -> tuple[type[BaseException], ...]:
    return tuple(
        getattr(sys.modules[module], name)
        for module, names in SENTENCE_ERRORS.items()
        if module in sys.modules
        for name in names
    )


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised in the main thread as Ctrl-C raises KeyboardInterrupt, so a
    command ends the same way: every ``finally`` runs (``geo.core.files.write_all`` removes
    its temporary files), and the exit status is 128 + the signal's number."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


#: The signals that end a command as Ctrl-C does (where the system has them).
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def _stop(signum: int, _frame) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def stopping_on_signals():
    """Within this block SIGTERM and SIGHUP raise :class:`Stopped` (without it they end the
    process at once, leaving a temporary file half written); the handlers before are put back
    after it. Outside the main thread, where no handler can be set, nothing changes."""
    saved = {}
    try:
        for signum in STOP_SIGNALS:
            saved[signum] = signal.signal(signum, _stop)
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def exit_status(stop: KeyboardInterrupt) -> int:
    """128 + the signal's number: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP."""
    return 128 + getattr(stop, "signum", signal.SIGINT)
