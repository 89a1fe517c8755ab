"""The zones' parameter-free geometry stored with the data (geo.data.stored): what the engine's
own functions make, and zones cut from it the same as zones cut from the whole countries."""

import pytest
import shapely

from geo.core import geodesy
from geo.data import borders as data
from geo.data import stored as prebuilt
from geo.engine import zones
from geo.tools import ground


def test_the_stored_files_are_what_the_engine_makes_from_the_borders(region):
    wkb, index = ground.build(region)
    assert (data.DATA_DIR / data.WKB_FILE).read_bytes() == wkb
    assert (data.DATA_DIR / data.INDEX_FILE).read_bytes() == index


def test_the_stored_reach_is_russia_within_300_km_of_the_line(region):
    stored = prebuilt.stored()
    fresh = zones.clip_to(
        region.russia_m, zones.buffer_line(region.border_m, zones.DEEP_STRIKE_REACH.m)
    )
    assert shapely.equals_exact(stored["reach_border"], fresh, tolerance=0)
    assert stored["reach_border_area"].m2 == pytest.approx(geodesy.metric_area_m2(fresh), rel=1e-12)
    assert shapely.equals_exact(
        stored["sector"], zones.kharkiv_sector_m(region.border_m), tolerance=0
    )


@pytest.mark.parametrize("origin", ["sector", "border"])
@pytest.mark.parametrize("depth_km", [5, 80, 290, 299.5, 300])
def test_a_zone_cut_from_the_reach_is_the_zone_cut_from_russia(region, origin, depth_km):
    g = zones.ground()
    cut = g.zone(origin, depth_km * 1000)
    whole = zones.clip_to(region.russia_m, g.buffer(origin, depth_km * 1000))
    assert (
        shapely.symmetric_difference(cut, whole).area < 1e-7 * whole.area
    )  # noise along the outline
    assert g.zone_area(origin, depth_km * 1000).m2 == pytest.approx(
        geodesy.metric_area_m2(whole), rel=1e-9
    )


@pytest.mark.parametrize("radius_km", [1.609344, 19.312128, 160.9344])
def test_a_band_cut_from_the_stored_land_is_the_band_cut_from_ukraine(region, radius_km):
    g = zones.ground()
    buffer = zones.buffer_line(region.border_m, radius_km * 1000)
    cut, whole = (
        zones.clip_to(g.band_land(radius_km * 1000), buffer),
        zones.clip_to(region.ukraine_m, buffer),
    )
    assert (
        shapely.symmetric_difference(cut, whole).area < 1e-7 * whole.area
    )  # noise along the outline


def test_the_natural_earth_stored_files_are_what_the_engine_makes_from_its_borders():
    src = data.BY_ID["naturalearth"]
    wkb, index = ground.build(data.region("naturalearth"))
    assert (data.DATA_DIR / src.wkb_file).read_bytes() == wkb
    assert (data.DATA_DIR / src.index_file).read_bytes() == index
