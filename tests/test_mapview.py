import pytest

from geo import mapview, zones


@pytest.fixture(scope="module")
def layers():
    return zones.layers(zones.Params())


def test_every_layer_is_its_own_group_in_the_layer_control(layers):
    page = mapview.build_map(layers, "none").get_root().render()
    for key, title in mapview.LAYER_TITLES.items():
        assert title in page, key
    assert "L.control.layers" in page


def test_hidden_layers_stay_in_the_control_but_are_not_added(layers):
    m = mapview.build_map(layers, "osm", show={"border"})
    groups = {c.layer_name: c for c in m._children.values() if hasattr(c, "layer_name")}
    assert groups[mapview.LAYER_TITLES["border"]].show is True
    assert groups[mapview.LAYER_TITLES["counterfire_zone"]].show is False


def test_unknown_basemap_is_refused(layers):
    with pytest.raises(ValueError, match="satellite"):
        mapview.build_map(layers, "satellite")


def test_popup_text_is_escaped():
    html = mapview.POPUP.render(name="<script>alert(1)</script>", named=True, note="a & b", quote="</script>",
                                paragraph=1, kind="city", lat=1, lon=2, to_kharkiv=1.0, to_border=2.0)
    assert "<script>" not in html and "</script>" not in html
    assert "&lt;script&gt;" in html and "a &amp; b" in html


def test_osm_basemap_credits_openstreetmap(layers):
    page = mapview.build_map(layers, "osm").get_root().render()
    assert "OpenStreetMap" in page and "tile.openstreetmap.org" in page
    assert "tile.openstreetmap.org" not in mapview.build_map(layers, "none").get_root().render()


def test_drawing_simplification_stays_within_its_tolerance(layers):
    """The drawn counterfire zone differs from the measured one by at most the tolerance."""
    import shapely

    from geo import geodesy

    drawn = shapely.geometry.shape(mapview._display(layers.counterfire_zone))
    full_m, drawn_m = geodesy.to_metres(layers.counterfire_zone), geodesy.to_metres(drawn)
    assert drawn_m.buffer(mapview.DISPLAY_TOLERANCE_M * 1.01).covers(
        mapview.drop_small(full_m, mapview.DISPLAY_MIN_AREA_M2))
