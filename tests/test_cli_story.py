"""``kharkiv-map story`` and ``site`` on the command line: what they write and refuse, in both
languages; and the other commands' flags as they were before them."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from geo.cli import program


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of one command (argparse's refusals exit with 2)."""
    try:
        code = program.main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_story_writes_one_offline_file(tmp_path, capsys):
    out = tmp_path / "story.html"
    code, said, err = run(capsys, "story", "--out", str(out))
    assert code == 0 and err == ""
    assert said.startswith("wrote ") and str(out) in said
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and page.count('class="kharkiv-step"') == 6
    assert "tile.openstreetmap.org" not in page  # the default basemap is none: no tiles


def test_story_in_ukrainian_with_the_osm_basemap(tmp_path, capsys):
    out = tmp_path / "розповідь.html"
    code, said, _err = run(capsys, "story", "--out", str(out), "--lang", "uk", "--basemap", "osm")
    assert code == 0 and said.startswith("записано ")
    page = out.read_text(encoding="utf-8")
    assert '<html lang="uk">' in page and "tile.openstreetmap.org" in page


@pytest.mark.parametrize(
    "argv, says",
    [
        (["story", "--out", "{tmp}"], "it is a folder"),
        (["story", "--out", "{tmp}/s.html", "--stage", "2024-06-20"], "unrecognized arguments"),
        (["story", "--out", "{tmp}/s.html", "--radius", "500mi"], "500mi"),
        (["story", "--out", "{tmp}/s.html", "--basemap", "satellite"], "satellite"),
        (["site", "--out", "{tmp}/s.html"], "is not a folder"),
        (["site", "--out", "{tmp}/no/site"], "does not exist"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(tmp_path, capsys, argv, says):
    (tmp_path / "s.html").write_text("mine")
    code, said, err = run(capsys, *(a.replace("{tmp}", str(tmp_path)) for a in argv))
    assert code == 2 and said == ""
    assert err.count("\n") == 1 and re.match(r"kharkiv-map( \w+)?: error: ", err) and says in err
    assert (tmp_path / "s.html").read_text() == "mine"


def test_the_commands_are_listed_in_the_help(capsys):
    with pytest.raises(SystemExit):
        program.main(["--help"])
    said = capsys.readouterr().out
    assert "story" in said and "site" in said


#: Each command's flags, the public surface: ``story`` and ``site`` changed none of them.
FLAGS = {
    "export": [
        "--basemap",
        "--cdn",
        "--depth",
        "--geojson",
        "--lang",
        "--layers",
        "--out",
        "--radius",
        "--source",
        "--stage",
    ],
    "figure": [
        "--depth",
        "--lang",
        "--out",
        "--radius",
        "--scale",
        "--size",
        "--source",
        "--stage",
    ],
    "facts": ["--depth", "--json", "--lang", "--radius", "--source", "--stage"],
    "classify": [
        "--depth",
        "--encoding",
        "--lang",
        "--lat-column",
        "--lon-column",
        "--out",
        "--radius",
        "--source",
        "--stage",
    ],
    "where": ["--depth", "--lang", "--online", "--radius", "--source", "--stage"],
    "assets install": ["--dest", "--lang", "--no-npm"],
    "assets status": ["--dest", "--lang"],
    "data rebuild": ["--display-only", "--lang", "--package", "--source"],
}


@pytest.mark.parametrize("command", list(FLAGS))
def test_the_other_commands_keep_their_flags(command):
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown), pytest.raises(SystemExit):
        program.main([*command.split(), "--help"])
    usage = shown.getvalue().split("\n\n")[0]
    assert sorted(set(re.findall(r"--[a-z][a-z-]*", usage))) == FLAGS[command]
