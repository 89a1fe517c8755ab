"""The interface's language: gettext catalogues, the current language, and numbers and dates
written for it.

Every string the program shows people is written in English in the code and wrapped where it
is shown: ``_("Land border")``, ``ngettext("{n} row", "{n} rows", n)``, ``pgettext("unit", "km")``.
A string defined before any language is known (a registry entry, a table of labels) is marked
``N_("…")`` where it is written and passed through ``_()`` where it is shown.

The catalogues are the ``.po`` files in ``geo/i18n/locale/<language>/LC_MESSAGES/``, one per part of
the program (``DOMAINS``: which source files each covers). ``python -m geo.i18n update``
extracts the strings from the code with Babel and merges them into the catalogues, keeping the
translations; ``python -m geo.i18n check`` reports strings without a translation (the tests run
the same check; both are in ``geo.i18n.catalogues``). A catalogue is compiled with Babel when
a language is first used in a process; English needs none.

The language is a context variable: the app sets it at the start of each run from the view
(``?lang=uk``, the sidebar's selector), the command line from ``--lang``. Numbers are written
with the language's separators (Babel's CLDR data: ``23 294 км²``, ``34,6 км``), dates with its
month names.

The lowest layer of ``geo``: it imports nothing of the project but its own modules
(``geo.i18n.quote``: how a value is repeated in a message), so every other layer may use it.
"""

from __future__ import annotations

import contextlib
import datetime
import gettext as _gettext
import io
import re
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from geo.i18n.quote import shown

#: The languages of the interface: code -> its name in itself.
LANGUAGES = {"en": "English", "uk": "Українська"}
DEFAULT = "en"

LOCALE_DIR = Path(__file__).with_name("locale")

#: The catalogues, each with the source files whose strings it holds (globs relative to the
#: repository; the first domain that matches a file takes it).
DOMAINS = {
    "cli": (
        "geo/cli/program.py",
        "geo/cli/commands.py",
        "geo/render/print/figure.py",
        "geo/render/print/figure_marks.py",
    ),
    "texts": (
        "geo/narrative/story.py",
        "geo/narrative/about.py",
        "pages/Classroom.py",
        "pages/About.py",
    ),
    "messages": (
        "geo/core/units.py",
        "geo/core/files.py",
        "geo/core/folders.py",
        "geo/userfiles/*.py",
        "geo/engine/classify.py",
        "geo/engine/gazetteer.py",
        "geo/data/borders.py",
        "geo/data/scripts.py",
        "pages/shared/viewstate.py",
        "geo/engine/zones.py",
        "geo/tools/rebuild.py",
        "geo/render/web/assets/*.py",
        "geo/render/web/userlayer.py",
        "geo/render/web/export.py",
        "geo/i18n/__init__.py",
    ),
    "app": ("app.py", "pages/*.py", "pages/shared/*.py"),
    "map": ("geo/*.py",),
}

_language: ContextVar[str] = ContextVar("kharkiv_map_language", default=DEFAULT)


class LanguageError(ValueError):
    """A language code the interface does not speak; the message names it and the codes accepted."""


def accepted() -> str:
    return ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())


def _unknown(value: object) -> LanguageError:
    return LanguageError(
        _(
            "lang {value} is not a language of this map: lang takes {accepted}, e.g. lang=uk."
        ).format(value=repr(shown(value)), accepted=accepted())
    )


def parse_language(text: object) -> str:
    """``"uk"``, ``"UK"``, ``"uk-UA"`` or ``"uk_UA"`` -> ``"uk"``; anything else raises
    LanguageError with one sentence."""
    value = str(text).strip().replace("_", "-").lower()
    code = value.split("-", 1)[0]
    if code in LANGUAGES and re.fullmatch(r"[a-z]{2}(-[a-z0-9]{2,8})*", value, re.ASCII):
        return code
    raise _unknown(text)


def current() -> str:
    return _language.get()


def set_language(code: str) -> None:
    """Make ``code`` (a key of LANGUAGES) the language of what follows in this thread or task."""
    if code not in LANGUAGES:
        raise _unknown(code)
    _language.set(code)


@contextlib.contextmanager
def language(code: str):
    """``with language("uk"): …``: the language for a block, restored after it."""
    if code not in LANGUAGES:
        raise _unknown(code)
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)


def catalogue_paths(code: str) -> dict[str, Path]:
    return {domain: LOCALE_DIR / code / "LC_MESSAGES" / f"{domain}.po" for domain in DOMAINS}


def read_catalogue(code: str, domain: str):
    """One catalogue of a language, as Babel reads it (``babel.messages.catalog.Catalog``)."""
    from babel.messages.pofile import read_po

    with catalogue_paths(code)[domain].open("rb") as f:
        return read_po(f, locale=code, domain=domain)


@cache
def translations(code: str) -> _gettext.NullTranslations:
    """Every catalogue of a language, compiled in memory with Babel, each the fallback of the
    one before (once per process)."""
    if code == DEFAULT:
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo

    merged = _gettext.NullTranslations()
    for domain in DOMAINS:
        buffer = io.BytesIO()
        write_mo(buffer, read_catalogue(code, domain), use_fuzzy=False)
        buffer.seek(0)
        merged.add_fallback(_gettext.GNUTranslations(buffer))
    return merged


def _(message: str) -> str:
    """``message`` in the current language (itself in English, or where it has no entry)."""
    code = _language.get()
    return message if code == DEFAULT else translations(code).gettext(message)


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined; ``_()`` translates it where shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    code = _language.get()
    if code == DEFAULT:
        return singular if n == 1 else plural
    return translations(code).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    code = _language.get()
    return message if code == DEFAULT else translations(code).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    code = _language.get()
    if code == DEFAULT:
        return singular if n == 1 else plural
    return translations(code).npgettext(context, singular, plural, n)


# --------------------------------------------------------------------------- numbers and dates


def number(value: float, digits: int = 0) -> str:
    """``23,294`` / ``23 294``; ``34.6`` / ``34,6``: grouped, with ``digits`` decimals, in the
    current language's way (English without Babel: the same figures as its CLDR data give)."""
    code = _language.get()
    if code == DEFAULT:
        return f"{value:,.{digits}f}"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(
        round(value, digits), format=pattern, locale=code, decimal_quantization=True
    )


def decimal_sign() -> str:
    """``.`` / ``,``."""
    code = _language.get()
    if code == DEFAULT:
        return "."
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(code)


def plain(value: float, significant: int = 6) -> str:
    """A figure as ``:g`` writes it (up to ``significant`` digits, no trailing zeros), with the
    current language's decimal sign: ``0.5`` / ``0,5``, ``19.31`` / ``19,31``."""
    return f"{value:.{significant}g}".replace(".", decimal_sign())


def percent(share: float, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage, as CLDR writes it: ``5.0%`` / ``5,0%``."""
    return f"{number(share * 100, digits)}%"


def date_text(day: datetime.date) -> str:
    """``30 May 2024`` / ``30 травня 2024``."""
    code = _language.get()
    if code == DEFAULT:
        return f"{day.day} {day:%B %Y}"
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=code)
