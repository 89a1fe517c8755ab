"""Case 12 of the hardening work: a bad data file gives one sentence naming the file on every
page of the app, never Streamlit's generic error box."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.data import borders as data
from geo.data import display
from geo.engine import facts, layers, zones

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    "pages/map.py",
    "pages/Facts.py",
    "pages/Classroom.py",
    "pages/Export.py",
    "pages/About.py",
)


def _forget_loaded_data():
    for cached in (
        data.region,
        data._display_file,
        zones.ground,
        zones.border_samples,
        facts.place_figures,
        display.country_outlines,
    ):
        cached.cache_clear()
    layers.forget()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def broken_data(tmp_path, monkeypatch):
    """A copy of data/ with one non-UTF-8 byte in its checksum file, used by the app."""
    folder = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, folder)
    sums = folder / data.CHECKSUMS_FILE
    sums.write_bytes(b"\xff" + sums.read_bytes())
    monkeypatch.setattr(data, "DATA_DIR", folder)
    _forget_loaded_data()
    yield folder
    _forget_loaded_data()


@pytest.mark.parametrize("page", PAGES)
def test_case_12_a_bad_checksum_file_is_one_sentence_naming_it_on_every_page(broken_data, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    if page != "pages/map.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    message = at.error[0].value.replace("\\", "")
    assert "SHA256SUMS" in message and str(broken_data.name) in message
