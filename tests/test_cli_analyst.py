"""`kharkiv-map classify` and `kharkiv-map where` as a user runs them: real processes, their
files and exit statuses, answers checked with geopy."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from geopy.distance import geodesic

KHARKIV = (49.98177, 36.25475)  # GeoNames 706483, from the project's fact sheet
BELGOROD = (50.60343, 36.58091)


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )


@pytest.fixture(scope="module")
def thousand_points(tmp_path_factory):
    folder = tmp_path_factory.mktemp("points")
    rng = np.random.default_rng(11)
    lats, lons = rng.uniform(48.5, 52.0, 1000), rng.uniform(34.0, 40.0, 1000)
    lats[:2], lons[:2] = (KHARKIV[0], BELGOROD[0]), (KHARKIV[1], BELGOROD[1])
    with open(folder / "points.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "latitude", "longitude"])
        for k, (lat, lon) in enumerate(zip(lats, lons)):
            writer.writerow([f"p{k} ${{x}} <b>`", f"{lat:.6f}", f"{lon:.6f}"])
    return folder


def test_classify_writes_csv_and_geojson_with_the_answers(thousand_points):
    result = run(
        "classify",
        "points.csv",
        "--out",
        "points.geojson",
        "--out",
        "answers.csv",
        cwd=thousand_points,
    )
    assert result.returncode == 0, result.stderr
    collection = json.loads((thousand_points / "points.geojson").read_text(encoding="utf-8"))
    features = collection["features"]
    assert len(features) == 1000
    first, second = features[0]["properties"], features[1]["properties"]
    assert first["name"] == "p0 ${x} <b>`"  # the user's own text, kept as written
    assert first["km_to_kharkiv_km"] == pytest.approx(0, abs=0.01)
    assert second["km_zone"] == "counterfire_zone" and second["km_country"] == "Russia"
    for feature in features[:50]:
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["properties"]["km_to_kharkiv_km"] == pytest.approx(
            geodesic((lat, lon), KHARKIV).km, abs=0.01
        )
    rows = list(
        csv.DictReader(io.StringIO((thousand_points / "answers.csv").read_text(encoding="utf-8")))
    )
    assert len(rows) == 1000 and rows[1]["km_zone"] == "counterfire_zone"


def test_classify_follows_the_depth(thousand_points):
    shallow = run(
        "classify", "points.csv", "--depth", "5km", "--out", "shallow.csv", cwd=thousand_points
    )
    assert shallow.returncode == 0, shallow.stderr
    rows = list(
        csv.DictReader(io.StringIO((thousand_points / "shallow.csv").read_text(encoding="utf-8")))
    )
    assert rows[1]["km_zone"] != "counterfire_zone"  # Belgorod is about 30 km from the border


def test_classify_refuses_a_bad_file_in_one_line(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    for args in (["empty.csv"], ["missing.csv"], ["empty.csv", "--out", "answers.xlsx"]):
        result = run("classify", *args, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.csv"]


@pytest.mark.parametrize("name", ["Харків", "Kharkiv", "Kharkov", "харьков"])
def test_where_finds_kharkiv_offline_in_any_spelling(name, tmp_path):
    result = run("where", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Kharkiv" in result.stdout and "49.98177° N, 36.25475° E" in result.stdout
    assert "Ukraine, more than R" in result.stdout


def test_where_says_so_when_nothing_is_found(tmp_path):
    result = run("where", "Nowhereville-on-Nothing", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Nowhereville" in result.stderr
