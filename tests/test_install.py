"""A plain, non-editable install works: the wheel carries the data, and Leaflet comes from
the XStatic packages when there is no static/vendor folder.

Offline: the wheel is built without build isolation from a copy of the sources, installed
with --no-deps into a new virtual environment, and the development environment's
site-packages (the dependencies, but not its editable `geo`) are made visible through a
.pth file.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "geo", "data")
EXTERNAL_LINK = re.compile(
    r"""<script\b[^>]*\bsrc=["']?(?:https?:)?//|<link\b[^>]*\bhref=["']?(?:https?:)?//""", re.I
)


def run(*args, cwd=None, timeout=120):
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=timeout
    )


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    pytest.importorskip("setuptools", minversion="77")
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(
            ROOT / name,
            source / name,
            **({"ignore": shutil.ignore_patterns("__pycache__")} if (ROOT / name).is_dir() else {}),
        )
    built = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-w",
        work / "dist",
        source,
        cwd=work,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((work / "dist").glob("kharkiv_border_map-*.whl"))

    env = work / "venv"
    made = run(sys.executable, "-m", "venv", "--without-pip", env)
    assert made.returncode == 0, made.stderr
    python = env / "bin" / "python"
    installed = run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "--no-compile",
        wheel,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    target = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip()
    )
    # The dependencies from the development environment, appended after the new site-packages.
    # Its .pth files are not run from there, so its editable `geo` stays out of sight; the
    # XStatic namespace packages still import (implicit namespace packages).
    (target / "zz_dev_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return env


def test_the_wheel_carries_the_data_and_the_assets_package(venv):
    python = venv / "bin" / "python"
    probe = run(
        python,
        "-c",
        "import geo, geo.data.borders as d, geo.render.web.assets as a; "
        "print(geo.__file__); print(d.DATA_DIR); print(sorted(p.name for p in "
        "d.DATA_DIR.iterdir()))",
        cwd=venv,
    )  # not the checkout, whose geo/ `python -c` would find first
    assert probe.returncode == 0, probe.stderr
    geo_file, data_dir, listing = probe.stdout.strip().splitlines()
    assert (
        Path(geo_file).resolve().is_relative_to(venv.resolve())
    )  # the installed geo, not the checkout
    assert Path(data_dir).resolve().is_relative_to(venv.resolve())
    assert {"borders.geojson", "SHA256SUMS"} <= set(json.loads(listing.replace("'", '"')))
    assert (Path(data_dir) / "borders.geojson").read_bytes() == (
        ROOT / "data" / "borders.geojson"
    ).read_bytes()


def test_installed_kharkiv_map_facts_and_export_work_from_another_folder(venv, tmp_path):
    program = venv / "bin" / "kharkiv-map"
    facts = run(program, "facts", "--json", cwd=tmp_path)
    assert facts.returncode == 0, facts.stderr
    figures = json.loads(facts.stdout)
    assert 33 < figures["kharkiv_to_border_km"] < 35.5  # FACTS.md: 33-35 km

    exported = run(program, "export", "--out", "x.html", "--geojson", "x.geojson", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    page = (tmp_path / "x.html").read_text("utf-8")
    assert "L.map(" in page and "Leaflet 1.9.3" in page  # inlined
    assert "jQuery" not in page  # the map needs none
    assert not EXTERNAL_LINK.search(page)
    collection = json.loads((tmp_path / "x.geojson").read_text("utf-8"))
    assert collection["type"] == "FeatureCollection" and collection["features"]
    # No static/vendor in an installed package: the npm-only plugins are left out, each named once.
    notes = [line for line in exported.stderr.splitlines() if line.startswith("note: ")]
    assert len(notes) == len(set(notes)) and all("left out" in line for line in notes)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.geojson", "x.html"]


def test_site_packages_has_no_stray_top_level_data_folder(venv):
    python = venv / "bin" / "python"
    target = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip()
    )
    assert not (target / "data").exists() and (target / "geo" / "_data" / "SHA256SUMS").is_file()
