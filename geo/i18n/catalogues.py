"""The catalogues against the code: extracting the strings the code wraps for gettext (with
Babel), merging them into the ``.po`` files of a language, and checking that every string has
a translation with the same ``{placeholders}``. ``geo.i18n`` holds the catalogues' places
(``DOMAINS``, ``catalogue_paths``) and what the program uses at run time.

    python -m geo.i18n update [DOMAIN ...]   # new strings added, removed ones dropped
    python -m geo.i18n check                 # exit 1 while anything is missing
"""

from __future__ import annotations

import datetime
import io
import re
import sys
from pathlib import Path

from geo import i18n
from geo.i18n import DOMAINS

ROOT = Path(__file__).resolve().parents[2]
#: The calls the extractor reads (Babel's keyword specs).
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


def _key(message_id: str | tuple[str, ...]) -> str:
    """A catalogue entry's msgid: the singular of a plural one."""
    return message_id if isinstance(message_id, str) else message_id[0]


def _forms(text: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (text,) if isinstance(text, str) else tuple(text)


def entries(code: str, domain: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The translated entries of one catalogue: (the English forms, the translated forms) each,
    one form for a plain string, all of them for a plural one."""
    return [(_forms(m.id), _forms(m.string)) for m in i18n.read_catalogue(code, domain) if m.id]


def domain_of(path: str) -> str | None:
    """The catalogue a source file's strings go to (``path`` relative to the repository)."""
    from fnmatch import fnmatch

    return next((d for d, globs in DOMAINS.items() if any(fnmatch(path, g) for g in globs)), None)


def extract() -> dict[
    str, dict[tuple[str, str | None], tuple[str | tuple[str, str], list[tuple[str, int]]]]
]:
    """The strings of the code, per catalogue: {domain: {(msgid, context): (id, locations)}}."""
    from babel.messages.extract import extract_from_file

    found: dict[str, dict] = {d: {} for d in DOMAINS}
    files = [
        ROOT / "app.py",
        *sorted((ROOT / "pages").glob("**/*.py")),
        *sorted((ROOT / "geo").glob("**/*.py")),
    ]
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        domain = domain_of(rel)
        if domain is None:
            continue
        for lineno, message, _comments, context in extract_from_file(
            "python", str(path), keywords=KEYWORDS
        ):
            key = (_key(message), context)
            entry = found[domain].setdefault(key, (message, []))
            entry[1].append((rel, lineno))
    return found


HEADER = """# Ukrainian translations of the Kharkiv border map's interface.
# Maintained with `python -m geo.i18n update [DOMAIN]` (geo/i18n/__init__.py); the tests check it is complete."""
#: Fixed header dates, so that a catalogue changes only when its strings do.
_EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def update(code: str = "uk", domains: list[str] | None = None) -> list[str]:
    """Merge the code's strings into the language's catalogues (all, or ``domains``): new
    strings are added without a translation, strings no longer in the code are dropped,
    translations are kept. Returns what it changed, in words."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    report = []
    for domain, messages in extract().items():
        if domains and domain not in domains:
            continue
        path = i18n.catalogue_paths(code)[domain]
        old = (
            i18n.read_catalogue(code, domain)
            if path.exists()
            else Catalog(locale=code, domain=domain)
        )
        new = Catalog(
            locale=code,
            domain=domain,
            project="kharkiv-border-map",
            version="",
            charset="utf-8",
            header_comment=HEADER,
            creation_date=_EPOCH,
            revision_date=_EPOCH,
            fuzzy=False,
            language_team="",
            last_translator="",
            msgid_bugs_address="",
        )
        for (msgid, context), (message, locations) in messages.items():
            previous = old.get(msgid, context=context)
            plural = not isinstance(message, str)
            if previous is not None and previous.pluralizable == plural:
                string = previous.string
            else:  # new, or turned from a plain string into a plural one (or back)
                string = ("",) * new.num_plurals if plural else ""
            new.add(
                message,
                string,
                locations=sorted({(f, 0) for f, _line in locations}),
                context=context,
            )
        added = sum(1 for key in messages if old.get(key[0], context=key[1]) is None)
        dropped = sum(1 for m in old if m.id and (_key(m.id), m.context) not in messages)
        buffer = io.BytesIO()
        write_po(buffer, new, width=100, sort_output=True, include_lineno=False)
        if not path.exists() or path.read_bytes() != buffer.getvalue():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(buffer.getvalue())
        report.append(
            f"{path.relative_to(ROOT)}: {len(new)} strings, {added} new, {dropped} dropped"
        )
    return report


def problems(code: str = "uk") -> list[str]:
    """What is wrong with a language's catalogues against the code, one sentence each: strings
    missing from a catalogue or without a translation, stale entries, and translations whose
    ``{placeholders}`` differ from the English."""
    placeholder = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
    out = []
    for domain, messages in extract().items():
        path = i18n.catalogue_paths(code)[domain]
        if not path.exists():
            out.append(f"{path.relative_to(ROOT)} is missing: run `python -m geo.i18n update`.")
            continue
        catalog = i18n.read_catalogue(code, domain)
        for (msgid, context), (message, locations) in messages.items():
            where = "{}:{}".format(*locations[0])
            entry = catalog.get(msgid, context=context)
            if entry is None:
                out.append(f"{where}: {msgid!r} is not in {path.name}.")
                continue
            ids, strings = _forms(message), _forms(entry.string)
            if not all(s.strip() for s in strings) or entry.fuzzy:
                out.append(f"{where}: {msgid!r} has no {code} translation in {path.name}.")
                continue
            wanted = set(placeholder.findall(ids[-1])) | set(placeholder.findall(ids[0]))
            for s in strings:
                if set(placeholder.findall(s)) - wanted or (
                    len(ids) == 1 and set(placeholder.findall(s)) != wanted
                ):
                    out.append(
                        f"{where}: {msgid!r} and its {code} translation {s!r} have different "
                        f"placeholders."
                    )
                    break
        for entry in catalog:
            if entry.id and (_key(entry.id), entry.context) not in messages:
                out.append(
                    f"{path.name}: {entry.id!r} is no longer in the code (run `python -m "
                    f"geo.i18n update`)."
                )
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["update"] and set(args[1:]) <= set(DOMAINS) or args == ["check"]:
        if args[0] == "update":
            for line in update(domains=args[1:] or None):
                print(line)
        found = problems()
        for line in found:
            print(line)
        print(
            f"{len(found)} problems in the uk catalogues."
            if found
            else "The uk catalogues are complete."
        )
        return 1 if found and args == ["check"] else 0
    print(f"usage: python -m geo.i18n update [{'|'.join(DOMAINS)} ...] | check", file=sys.stderr)
    return 2
