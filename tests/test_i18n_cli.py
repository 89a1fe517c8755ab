"""`kharkiv-map` and the figure in Ukrainian, checked on their output: real processes for the
command line (``--lang uk`` and ``KHARKIV_MAP_LANG=uk``), the figure's SVG and PDF text.

"English left over" is read from the catalogues: every English string whose Ukrainian entry
differs is cut at its placeholders, and each piece of two words or more must not be in the
output. Strings another part translates (the map's title, legend and place names) are held to
whatever their catalogue says, so the check grows with it."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET

import pypdf
import pytest

from geo import i18n
from geo.engine import layers as registry
from geo.engine.zones import Params
from geo.i18n import _, catalogues
from geo.render.print import figure
from geo.render.web.mapview import MAP_TITLE

CYRILLIC = re.compile("[А-Яа-яІіЇїЄєҐґ]")


def run(*args, lang_env=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "KHARKIV_MAP_LANG"}
    if lang_env is not None:
        env["KHARKIV_MAP_LANG"] = lang_env
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**env, "PYTHONPATH": os.getcwd()},
    )


def words(text: str) -> str:
    """Whitespace as single spaces (help and figure text are wrapped)."""
    return " ".join(text.split())


def english_pieces(pairs) -> set[str]:
    """The English pieces of two words or more, between placeholders, of the strings whose
    translation differs and which the translation does not itself contain."""
    placeholder = re.compile(r"\{\{\w+\}\}|\{[^{}]*\}|%\(\w+\)[sr]|%[sr]")
    pieces = set()
    for english, translated in pairs:
        if english == translated:
            continue
        for piece in placeholder.split(english):
            piece = words(piece).strip(" ,.;:()")
            if len(piece.split()) >= 2 and piece not in translated:
                pieces.add(piece)
    return pieces


@pytest.fixture(scope="module")
def cli_english():
    pairs = [
        (english, " ".join(strings))
        for ids, strings in catalogues.entries("uk", "cli")
        for english in ids
    ]
    pieces = english_pieces(pairs)
    assert len(pieces) > 50  # the check has something to check
    return pieces


def left_over(output: str, pieces) -> list[str]:
    flat = words(output)
    return sorted(p for p in pieces if p in flat)


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize("how", ["flag after", "flag before", "environment"])
def test_facts_in_ukrainian_writes_ukrainian_numbers_and_no_english_of_ours(how, cli_english):
    args, env = {
        "flag after": (["facts", "--lang", "uk"], None),
        "flag before": (["--lang=uk", "facts"], None),
        "environment": (["facts"], "uk"),
    }[how]
    result = run(*args, lang_env=env)
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"\b34,6\s?км\b", result.stdout
    )  # Kharkiv to the border, as Ukrainian writes it
    assert re.search(r"\d\u00a0\d{3}\s?км²", result.stdout)  # thousands grouped with a space
    assert left_over(result.stdout + result.stderr, cli_english) == []


@pytest.mark.parametrize(
    "args, env",
    [
        (["--lang", "uk", "--help"], None),
        (["--help"], "uk"),
        (["facts", "--help", "--lang", "uk"], None),
        (["--lang", "uk", "figure", "--help"], None),
        (["classify", "-h"], "uk-UA"),
        (["data", "rebuild", "--help", "--lang=uk"], None),
    ],
)
def test_help_is_in_ukrainian_argparse_words_included(args, env, cli_english):
    result = run(*args, lang_env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("використання: kharkiv-map") and "\nпараметри:\n" in out
    assert "показати цю довідку й вийти" in words(out)
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in out
    assert left_over(out, cli_english) == []
    for flag in ("--lang", "-h"):  # flags stay as they are
        assert flag in out


def test_english_help_is_unchanged_by_the_language_option():
    out = run("facts", "--help", lang_env="").stdout
    assert out.startswith("usage: kharkiv-map facts") and "\noptions:\n" in out
    assert "show this help message and exit" in out and "print JSON instead of a table" in out
    assert not CYRILLIC.search(out.replace("Українська", ""))


@pytest.mark.parametrize(
    "args, env, named",
    [
        (["facts", "--lang", "xx"], None, "--lang 'xx'"),
        (["--lang=xx", "facts", "--json"], None, "--lang 'xx'"),
        (["facts"], "xx", "KHARKIV_MAP_LANG 'xx'"),
        (["figure", "--out", "OUT", "--lang", "xx"], "uk", "--lang 'xx'"),
    ],
)
def test_a_bad_language_is_one_sentence_exit_2_and_nothing_written(tmp_path, args, env, named):
    args = [str(tmp_path / "map.png") if a == "OUT" else a for a in args]
    result = run(*args, lang_env=env)
    assert result.returncode == 2 and result.stdout == ""
    assert (
        len(result.stderr.splitlines()) == 1
        and named in result.stderr
        and "Traceback" not in result.stderr
    )
    assert "en (English), uk (Українська)" in result.stderr
    assert list(tmp_path.iterdir()) == []
    if env == "uk":  # refused in the language of the environment
        assert result.stderr.startswith("kharkiv-map: помилка: ")


def test_facts_json_is_the_same_in_every_language():
    english = run("facts", "--json", "--depth", "150km")
    assert english.returncode == 0
    assert run("facts", "--json", "--depth", "150km", "--lang", "uk").stdout == english.stdout
    assert run("--lang", "uk", "facts", "--json", "--depth", "150km").stdout == english.stdout
    assert run("facts", "--json", "--depth", "150km", lang_env="uk").stdout == english.stdout


@pytest.mark.parametrize(
    "args, says",
    [
        (["frobnicate"], "неприпустимий вибір: 'frobnicate'"),
        (["export"], "потрібні такі аргументи: --out"),
        (["figure", "--out", "m.png", "--scale", "3"], "аргумент --scale: неприпустимий вибір: 3"),
        (["facts", "--bogus"], "нерозпізнані аргументи: --bogus"),
        (
            ["data", "rebuild", "--package", "x.tgz", "--display-only"],
            "не можна разом з аргументом --package",
        ),
        (
            ["export", "--out", "m.html", "--basemap", "satellite"],
            "неприпустимий вибір: 'satellite'",
        ),
        (["figure", "--out", "m.gif"], "m.gif не має розширення .png, .svg чи .pdf"),
    ],
)
def test_argparse_and_command_errors_in_ukrainian(tmp_path, args, says):
    result = run(*args, lang_env="uk", cwd=tmp_path)
    assert result.returncode == 2 and list(tmp_path.iterdir()) == []
    assert (
        len(result.stderr.splitlines()) == 1
        and says in result.stderr
        and ": помилка: " in result.stderr
    )
    assert "error" not in result.stderr and "invalid" not in result.stderr


def test_classify_and_where_print_in_ukrainian(tmp_path, cli_english):
    points = tmp_path / "points.csv"
    with points.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [["name", "lat", "lon"], ["a", "49.98177", "36.25475"], ["b", "50.60343", "36.58091"]]
        )
    result = run("classify", str(points), "--lang", "uk")
    assert result.returncode == 0, result.stderr
    assert "класифіковано 2 об'єкти." in result.stderr  # the "few" plural form
    assert re.search(r"кордон\s+\d+,\d км\s+Харків\s+0,0 км", result.stdout)
    out = tmp_path / "answers.csv"
    written = run("classify", str(points), "--out", str(out), "--lang", "uk")
    assert re.search(
        r"записано .*answers\.csv \(2 об'єкти, [\d\u00a0]+ байт(и|ів)?\)", written.stdout
    )
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert run("classify", str(points), "--out", str(out)).returncode == 0
    assert (
        out.read_text(encoding="utf-8").splitlines()[0] == header
    )  # CSV headers are data: the same
    where = run("where", "Vovchansk", "--lang", "uk")
    assert (
        where.returncode == 0
        and "До кордону: 6,4 км" in where.stdout
        and "до центру Харкова" in where.stdout
    )
    assert (
        left_over(result.stdout + result.stderr + written.stdout + where.stdout, cli_english) == []
    )


def test_the_language_does_not_outlive_a_call_of_main(capsys):
    import argparse
    import gettext

    from geo.cli import program as cli

    with pytest.raises(SystemExit) as ended:
        cli.main(["--lang", "uk", "facts", "--radius", "nope"])
    assert ended.value.code == 2 and "помилка" in capsys.readouterr().err
    assert (
        i18n.current() == "en"
        and argparse._ is gettext.gettext
        and argparse.ngettext is gettext.ngettext
    )
    with pytest.raises(SystemExit):
        cli.main(["--help", "--lang", "uk"])
    assert "використання:" in capsys.readouterr().out
    assert i18n.current() == "en" and argparse._ is gettext.gettext


# --------------------------------------------------------------------------- the figure


@pytest.fixture(scope="module")
def built():
    return registry.layers(Params())


def svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return words(
        " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    )


def map_english(built) -> tuple[set[str], list[str]]:
    """English pieces of the title and the legend sentences that the catalogues translate, and
    the Ukrainian texts the figure must then show (with R and D as the legend fills them in)."""
    with i18n.language("uk"):
        values = built.values("mi")
        pairs = [(MAP_TITLE, _(MAP_TITLE))] + [
            (spec.legend, _(spec.legend)) for spec in registry.REGISTRY
        ]
        wanted = [_(MAP_TITLE)] + [
            _(spec.legend).format(**values)
            for spec in registry.REGISTRY
            if spec.legend != _(spec.legend)
        ]
    return english_pieces(pairs), wanted


def test_figure_svg_in_ukrainian_from_the_command_line(tmp_path, built, cli_english):
    result = run("figure", "--lang", "uk", "--out", "x.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("записано x.svg (") and "байт" in result.stdout
    text = svg_text((tmp_path / "x.svg").read_bytes())
    for ukrainian in (
        "Легенда",
        "Пн",
        "© учасники OpenStreetMap",
        "GeoNames",
        "Азимутальна рівнопроміжна проєкція",
        "не офіційна мапа",
    ):
        assert ukrainian in text, ukrainian
    assert re.search(r"\b\d+ км\b", text) and re.search(
        r"\b\d+ (миля|милі|миль)\b", text
    )  # the scale bars
    assert re.search(r"похибкою до 0,\d\d %", text)
    assert re.search(r"R = 12 миль \(19,31 км\)", text)
    english, wanted = map_english(built)
    for piece in (
        "Legend",
        "OpenStreetMap contributors",
        "Azimuthal equidistant",
        "not an official map",
    ):
        assert piece not in text
    assert left_over(text, english | cli_english) == []
    for ukrainian in wanted:
        assert words(ukrainian) in text, ukrainian


def test_figure_has_no_missing_glyphs_and_keeps_text_as_text(built):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with i18n.language("uk"):
            png = figure.render(built, fmt="png")
            pdf = figure.render(built, fmt="pdf", size="a4-portrait")
            svg = figure.render(built, fmt="svg")
    assert not [
        w for w in caught if "glyph" in str(w.message).lower() or "missing from" in str(w.message)
    ]
    assert png.startswith(b"\x89PNG") and "Легенда" in svg_text(svg)
    assert b"/FontFile2" in pdf and b"/Type3" not in pdf
    text = words(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "Легенда" in text and "учасники OpenStreetMap" in text


def test_render_follows_the_current_language(built):
    """The app's download buttons draw later, outside the page's run, in the page's language
    (``pages.shared.ui.deferred``)."""
    assert i18n.current() == "en"
    with i18n.language("uk"):
        ukrainian = svg_text(figure.render(built, fmt="svg", shown=["border"]))
    english = svg_text(figure.render(built, fmt="svg", shown=["border"]))
    assert "Легенда" in ukrainian and "Legend" not in ukrainian
    assert "Legend" in english and not CYRILLIC.search(english)
    assert i18n.current() == "en"
