"""The Your data page in a real browser: a CSV of 1,000 points uploaded, drawn on the map as
its own layer with its legend entry, listed, and offered for download; text from the file
shown, never run."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from tests.test_app_browser import MAP, map_drawn, streamlit_server

pytestmark = pytest.mark.browser

PAYLOAD = "${window.__pwned=1}`<img src=x onerror=window.__pwned=2>"


@pytest.fixture(scope="module")
def points_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("upload") / "points.csv"
    rng = np.random.default_rng(5)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "lat", "lon"])
        for k, (lat, lon) in enumerate(
            zip(rng.uniform(48.5, 52.0, 1000), rng.uniform(34.0, 40.0, 1000))
        ):
            writer.writerow([f"point {k} {PAYLOAD}", f"{lat:.5f}", f"{lon:.5f}"])
    return path


def test_a_csv_of_1000_points_is_drawn_listed_and_offered_for_download(
    artifacts, offline_page, points_csv
):
    page = offline_page
    with streamlit_server(artifacts, "streamlit-yourdata.log") as url:
        page.goto(f"{url}/Your_data?basemap=none", timeout=120_000)
        page.wait_for_selector(
            "[data-testid='stFileUploaderDropzoneInput']", state="attached", timeout=120_000
        )
        page.set_input_files("[data-testid='stFileUploaderDropzoneInput']", str(points_csv))
        page.get_by_text("1,000 features", exact=False).first.wait_for(timeout=120_000)
        map_drawn(page)  # in the page itself, no iframe
        page.wait_for_function(
            f"() => {{ let n = 0; {MAP}.eachLayer(l => {{ if (l instanceof L.CircleMarker && "
            "l.options.fillColor === '#F0E442') n++; }); return n >= 1000; }",
            timeout=60_000,
        )
        legend = page.locator(".kharkiv-legend").inner_text()
        assert "Your file: points.csv (1,000 features)" in legend
        tooltip = page.evaluate(f"""() => {{ let t = null; {MAP}.eachLayer(l => {{
            if (!t && l instanceof L.CircleMarker && l.options.fillColor === '#F0E442') t = l.getTooltip().getContent();
        }}); return t; }}""")
        assert "${window.__pwned" in tooltip.replace("&#36;", "$").replace("&#123;", "{").replace(
            "&#125;", "}"
        )
        # A popup opened shows the text as written and runs nothing.
        page.evaluate(f"""() => {{ let done = false; {MAP}.eachLayer(l => {{
            if (!done && l instanceof L.CircleMarker && l.options.fillColor === '#F0E442') {{
                l.openPopup(); done = true; }} }}); }}""")
        popup = page.locator(".kharkiv-map-host .leaflet-popup-content").inner_text()
        assert PAYLOAD in popup
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.__pwned") is None and not page.errors
        buttons = page.locator("[data-testid='stDownloadButton']").all_inner_texts()
        assert any("CSV" in b for b in buttons) and any("GeoJSON" in b for b in buttons)
        page.screenshot(path=str(artifacts / "your-data.png"), full_page=True)
