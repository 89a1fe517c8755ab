"""`kharkiv-map figure` as a user runs it: the picture written, its format from the file's
ending, and a bad request refused in one line with nothing written."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PIL import Image


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "geo", "figure", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )


def test_figure_writes_a_png_of_the_asked_size(tmp_path):
    result = run(
        "--out",
        "map.png",
        "--size",
        "1280x720",
        "--scale",
        "2",
        "--stage",
        "2024-06-20",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "map.png") as picture:
        assert picture.size == (2560, 1440)
    assert "wrote map.png" in result.stdout


def test_figure_svg_keeps_text_as_text(tmp_path):
    result = run("--out", "map.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert "<text" in svg and "Kharkiv" in svg


@pytest.mark.parametrize(
    "args, says",
    [
        (["--out", "map.gif"], ".png, .svg or .pdf"),
        (["--out", "map.png", "--size", "10x10"], "320–4096"),
        (["--out", "map.png", "--scale", "3"], "invalid choice"),
        (["--out", "map.png", "--depth", "900km"], "out of range"),
        (["--out", "missing-folder/map.png"], "missing-folder"),
    ],
)
def test_a_bad_figure_request_is_one_line_and_writes_nothing(tmp_path, args, says):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and says in result.stderr
    assert list(tmp_path.iterdir()) == []
