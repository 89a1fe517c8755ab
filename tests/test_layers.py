"""The layer registry and the built layers: every figure a layer carries against independent
measurement (geopy geodesics, grid areas on the ellipsoid), every drawing against its
geometry, and the click classification against point-in-polygon on the country polygons."""

import numpy as np
import pytest
import shapely
from geopy.distance import geodesic

from geo.core import geodesy
from geo.core.units import Area, distance
from geo.data import display
from geo.engine import layers as registry
from geo.engine import zones
from tests.measure import distance_to_line_m, grid_area_m2, line_length_m

KHARKIV = (49.98177, 36.25475)  # GeoNames 706483, from FACTS.md
MILE_KM = 1.609344  # the international mile, by definition


def params(radius: str = "12mi", depth: str = "80km") -> zones.Params:
    return zones.Params(zones.parse_radius(radius), zones.parse_depth(depth))


# --------------------------------------------------------------------------- the registry


def test_the_layer_keys_are_the_published_ones_each_once():
    """The keys are public: the GeoJSON export's ``layer`` values and the URL's ``layers=``."""
    assert registry.KEYS == (
        "places",
        "border",
        "kharkiv_sector",
        "kharkiv_to_border",
        "kharkiv_ring",
        "border_band",
        "counterfire_zone",
        "deep_strike_zone",
        "sanctuary",
    )
    for key in registry.KEYS:
        assert registry.BY_KEY[key].key == key


def test_the_map_draws_areas_under_lines():
    """In the drawing order every area lies under every line and point layer."""
    order = [spec.key for spec in registry.GEOMETRIC]
    kinds = {
        spec.key: int(shapely.get_dimensions(registry.layers(params())[spec.key].metric))
        for spec in registry.GEOMETRIC
        if not registry.layers(params())[spec.key].metric.is_empty
    }
    areas = [k for k in order if kinds.get(k) == 2]
    others = [k for k in order if kinds.get(k, 2) < 2]
    assert areas and others and max(map(order.index, areas)) < min(map(order.index, others))
    assert order.index("counterfire_zone") < order.index("kharkiv_sector") < order.index("border")
    assert "places" not in order and registry.BY_KEY["places"].geometry is None


def test_each_area_has_a_sentence_and_a_name_and_an_area_figure():
    assert [spec.key for spec in registry.AREAS][:3] == [
        "border_band",
        "counterfire_zone",
        "deep_strike_zone",
    ]
    for spec in registry.AREAS:
        assert spec.here and spec.area_name and spec.figure.kind == "area"
    for spec in registry.REGISTRY:
        if spec not in registry.AREAS:
            assert spec.here is None


def test_figures_carry_their_kind_in_the_export_property():
    kinds = {spec.key: spec.figure.kind for spec in registry.REGISTRY if spec.figure}
    assert kinds["border"] == kinds["kharkiv_sector"] == kinds["kharkiv_to_border"] == "length"
    assert kinds["counterfire_zone"] == kinds["deep_strike_zone"] == kinds["border_band"] == "area"
    for spec in registry.REGISTRY:
        if spec.figure:
            assert spec.figure.prop == {"length": "length_km", "area": "area_km2"}[spec.figure.kind]
    assert "kharkiv_ring" not in kinds and "places" not in kinds


def test_an_entry_is_frozen_and_its_style_cannot_be_changed():
    spec = registry.BY_KEY["counterfire_zone"]
    with pytest.raises(TypeError):
        spec.style["color"] = "#ff0000"
    with pytest.raises(AttributeError):
        spec.title = "x"
    assert registry.BY_KEY["places"].feature == "place"
    assert spec.feature == "counterfire_zone"


def test_legends_and_sentences_fill_in_r_and_d():
    values = registry.template_values(params("30km", "150km"), "km")
    for spec in registry.REGISTRY:
        for template in (spec.legend, spec.here, spec.tooltip):
            if template:
                text = template.format(**values)
                assert "{" not in text and "}" not in text, spec.key
    assert values["R"] == f"30 km ({30 / MILE_KM:.4g} mi)"
    assert values["D"] == "150 km"
    assert values["REACH"] == "300 km"  # FACTS.md: ATACMS up to about 300 km
    assert values["CLAIM"] == "12 miles"  # the article
    assert values["GAP"] == ""
    assert registry.template_values(zones.Params())["R"] == f"12 mi ({12 * MILE_KM:.4g} km)"


def test_the_gap_is_written_from_the_measured_distance(default, border_points):
    measured = distance_to_line_m(*KHARKIV, border_points) / 1000
    assert default.values()["GAP"] == f"{measured:.1f} km ({measured / MILE_KM:.1f} mi)"
    assert default.values("km")["R"].startswith("19.31 km")


# --------------------------------------------------------------------------- building


def test_build_makes_every_geometric_layer(default):
    assert set(default.by_key) == {spec.key for spec in registry.GEOMETRIC}
    for spec in registry.GEOMETRIC:
        layer = default[spec.key]
        assert layer.spec is spec
        assert default.geometry(spec.key) is layer.geometry
        assert layer.geometry.is_valid and not layer.geometry.is_empty, spec.key
    assert default.params == zones.Params()


def test_build_is_pure(default):
    """Two builds from scratch (a new ground, so nothing is shared with the first) agree."""
    fresh = zones.ground.__wrapped__()
    again = registry.build(zones.Params(), ground=fresh)
    for key in default.by_key:
        assert again[key] is not default[key], key
        assert shapely.equals_exact(again.geometry(key), default.geometry(key), tolerance=0), key
        assert again[key].drawing == default[key].drawing
        assert again[key].measure == default[key].measure


def test_layers_caches_by_params():
    assert registry.layers(params()) is registry.layers(zones.Params())
    assert registry.layers(params(depth="70km")) is not registry.layers(zones.Params())


def test_each_length_is_the_geodesic_length_of_its_line(default):
    for key in ("border", "kharkiv_sector", "kharkiv_to_border"):
        layer = default[key]
        assert layer.measure.m == pytest.approx(line_length_m(layer.geometry), rel=1e-6), key
    # FACTS.md: about 2,000 km as the shared edge; 1,974 km published (plus 321 km at sea).
    assert 1_850 < default["border"].measure.km < 2_100


@pytest.mark.parametrize("key", ["border_band", "counterfire_zone", "deep_strike_zone"])
def test_each_area_is_its_area_on_the_ellipsoid(default, key):
    layer = default[key]
    assert isinstance(layer.measure, Area)
    assert layer.measure.m2 == pytest.approx(grid_area_m2(layer.geometry, 0.01), rel=0.01)


def test_the_ring_encloses_pi_r_squared(default):
    ring = default["kharkiv_ring"]
    radius = default.params.radius.m
    assert ring.measure is None
    # A geodesic circle of 19 km: the flat formula is true to about 1e-5.
    assert grid_area_m2(ring.geometry, 0.002) == pytest.approx(np.pi * radius**2, rel=0.01)
    assert ring.metric.area == pytest.approx(np.pi * radius**2, rel=0.005)  # metres, not degrees


def test_metric_and_lon_lat_geometries_are_the_same_place(default):
    for key in default.by_key:
        layer = default[key]
        back = shapely.get_coordinates(geodesy.to_degrees(layer.metric))
        assert np.abs(back - shapely.get_coordinates(layer.geometry)).max() < 1e-6, key


def test_each_drawing_is_within_the_drawing_error_of_its_geometry(default):
    """Drawn shapes, decoded as the page decodes them, stray from the full geometry by at most
    DRAWING_ERROR_M (100 m) either way, islands and lakes too small to draw aside; on the
    ground that is the projected distance give or take 0.5 %."""
    for key in default.by_key:
        layer = default[key]
        drawn = display.decode(layer.drawing)
        assert not drawn.is_empty, key
        error = display.drawing_error_m(layer.metric, layer.drawing)
        assert error * 1.005 <= display.DRAWING_ERROR_M, (key, error)
        # Whole units of 1e-4 degree: at most 4 decimals.
        assert (
            np.abs(
                shapely.get_coordinates(drawn) * 1e4
                - np.round(shapely.get_coordinates(drawn) * 1e4)
            ).max()
            < 1e-6
        )


def test_the_compact_drawing_decodes_to_the_rounded_shape():
    line = shapely.LineString(
        [(36.25475, 49.98177), (36.30001, 50.0), (36.30004, 50.00001), (37.1, 50.2)]
    )
    text = display.encode(line)
    assert (
        text == '{"type":"LineString","coordinates":[362548,499818,452,182,8000,2000]}'
    )  # repeat dropped
    ring = shapely.Polygon(
        [(0, 0), (1, 0), (1, 1), (0, 0)], [[(0.2, 0.1), (0.8, 0.1), (0.8, 0.7), (0.2, 0.1)]]
    )
    back = display.decode(display.encode(ring))
    assert back.geom_type == "MultiPolygon" and shapely.equals(back, ring)


def test_an_empty_layer_draws_nothing():
    assert display.drawing(shapely.Polygon()) == display.EMPTY
    built = registry.build(params(depth="300km"))
    assert display.decode(built["deep_strike_zone"].drawing).is_empty


def test_drop_small_leaves_out_small_islands_and_lakes():
    big = shapely.box(0, 0, 10_000, 10_000)
    lake = shapely.box(100, 100, 200, 200)
    island = shapely.box(20_000, 0, 20_100, 100)
    kept = display.drop_small(
        shapely.MultiPolygon([shapely.Polygon(big.exterior, [lake.exterior]), island]), 1e6
    )
    assert kept.area == pytest.approx(1e8)
    line = shapely.LineString([(0, 0), (1, 1)])
    assert display.drop_small(line, 1e6) is line


# --------------------------------------------------------------------------- classify


@pytest.mark.parametrize(
    "lat, lon, area",
    [
        (50.20, 36.60, "border_band"),  # about 10 km inside Ukraine near the border
        (50.60343, 36.58091, "counterfire_zone"),  # Belgorod, FACTS.md
        (51.73, 36.19, "deep_strike_zone"),  # Kursk, about 150 km from the sector
        (50.45466, 30.5238, "ukraine"),  # Kyiv, FACTS.md
        (55.75, 37.62, "russia"),  # Moscow
        (40.0, 0.0, "elsewhere"),
        (53.9, 27.56, "elsewhere"),  # Minsk
    ],
)
def test_classify_sorts_points_into_the_right_area(
    default, region, border_points, sector_points, lat, lon, area
):
    """Each expectation checked here with geopy and the country polygons, then the engine's."""
    point = shapely.Point(lon, lat)
    if area == "border_band":
        assert (
            region.ukraine.covers(point)
            and distance_to_line_m(lat, lon, border_points) < default.params.radius.m
        )
    elif area == "counterfire_zone":
        assert (
            region.russia.covers(point)
            and distance_to_line_m(lat, lon, sector_points) < default.params.depth.m
        )
    elif area == "deep_strike_zone":
        assert default.params.depth.m < distance_to_line_m(lat, lon, sector_points) < 300_000
    elif area == "ukraine":
        assert distance_to_line_m(lat, lon, border_points) > default.params.radius.m
    elif area == "russia":
        assert region.russia.covers(point) and distance_to_line_m(lat, lon, sector_points) > 300_000
    else:
        assert not region.russia.covers(point) and not region.ukraine.covers(point)
    assert registry.classify(default, lat, lon) == area


def test_classify_follows_the_parameters(region, border_points):
    lat, lon = 50.2, 36.9  # near Vovchansk: between 5 mi and 12 mi from the border
    gap = distance_to_line_m(lat, lon, border_points)
    assert distance(5, "mi").m < gap < distance(12, "mi").m
    assert registry.classify(registry.layers(params("5mi")), lat, lon) == "ukraine"
    assert registry.classify(registry.layers(params("12mi")), lat, lon) == "border_band"
    lat, lon = 51.25, 37.0  # about 100 km into Russia: prohibited at 80 km, counterfire at 150 km
    assert registry.classify(registry.layers(params(depth="80km")), lat, lon) == "deep_strike_zone"
    assert registry.classify(registry.layers(params(depth="150km")), lat, lon) == "counterfire_zone"


def test_a_point_on_an_edge_counts_as_inside(default):
    # covers, not contains: a vertex of the zone's outline is in the zone.
    lon, lat = shapely.get_coordinates(default.geometry("counterfire_zone"))[0]
    assert registry.classify(default, lat, lon) in {"counterfire_zone", "border_band"}


def test_the_kharkiv_gap_is_a_distance(default):
    gap = default.kharkiv_to_border
    assert gap.km == pytest.approx(geodesic(KHARKIV, default.ground.kharkiv_nearest).km, rel=1e-6)


def test_a_new_entry_freezes_its_style_and_takes_its_key_as_its_feature():
    style = {"color": "#123456", "weight": 2}
    spec = registry.LayerSpec("test_zone", "Test", "Legend for {D}", style, None)
    style["color"] = "#ffffff"  # the entry keeps its own copy
    assert dict(spec.style) == {"color": "#123456", "weight": 2}
    with pytest.raises(TypeError):
        spec.style["weight"] = 3
    assert spec.feature == "test_zone"
    assert registry.LayerSpec("a", "A", "", {}, None, feature="b").feature == "b"
    assert spec.outline == "solid" and spec.figure is None and spec.here is None
    assert spec.text(spec.legend, {"D": "80 km"}) == "Legend for 80 km"


@pytest.mark.parametrize(
    "stage_id, origin, when, deep, kursk",
    [
        # FACTS.md: before 30 May nothing was permitted; 30 May the Kharkiv region; 20 June anywhere along
        # the border; 17 November ATACMS inside Russia, reportedly only in Kursk Oblast (not drawn).
        ("2024-05-29", "the Kharkiv sector", "before 30 May 2024", "within 300 km", False),
        ("2024-05-30", "the Kharkiv sector", "on 30 May 2024", "from D = 80 km to 300 km", False),
        (
            "2024-06-20",
            "the whole land border",
            "on 20 June 2024",
            "from D = 80 km to 300 km",
            False,
        ),
        (
            "2024-11-17",
            "the whole land border",
            "on 17 November 2024",
            "from D = 80 km to 300 km",
            True,
        ),
    ],
)
def test_the_stage_fills_in_its_date_origin_and_range(stage_id, origin, when, deep, kursk):
    from geo.engine import stages

    values = registry.template_values(zones.Params(stage=stages.BY_ID[stage_id]))
    assert values["ORIGIN"] == origin
    assert values["WHEN"] == when
    assert values["DEEP_RANGE"] == deep
    assert values["STAGE"] == stages.BY_ID[stage_id].label
    assert values["KURSK"] == (f" (ATACMS use {stages.KURSK_NOTE})" if kursk else "")
    assert "Kursk" in values["KURSK"] if kursk else values["KURSK"] == ""


def test_an_entry_names_only_fields_params_has_as_what_it_depends_on():
    spec = registry.LayerSpec("ring_test", "T", "", {}, None, depends={"radius"})
    assert spec.depends == frozenset({"radius"}) and isinstance(spec.depends, frozenset)
    with pytest.raises(ValueError) as err:
        registry.LayerSpec("bad_test", "T", "", {}, None, depends={"width", "radius"})
    assert str(err.value) == "layer 'bad_test' depends on ['width'], which Params does not have"


def test_a_build_on_a_given_ground_makes_the_same_layers(default):
    again = registry.build(zones.Params(), ground=zones.ground())
    assert set(again.by_key) == set(default.by_key)
    for key in default.by_key:
        assert again[key].spec is default[key].spec
        assert shapely.equals_exact(again.geometry(key), default.geometry(key), tolerance=1e-9), key
        assert again[key].measure == default[key].measure
    deeper = registry.build(params(depth="150km"), ground=zones.ground())
    assert deeper.params.depth.km == pytest.approx(150)
    assert deeper["counterfire_zone"].measure.m2 > 1.5 * default["counterfire_zone"].measure.m2


# --------------------------------------------------------------------------- the border source


def test_the_border_source_is_part_of_every_layers_key(default):
    """A layer that depends on no parameter is still built once per source: each source's
    layers stand on that source's ground, never on the other's."""
    ne = registry.layers(zones.Params(source="naturalearth"))
    assert ne is registry.layers(zones.Params(source="naturalearth")) and ne is not default
    # Grounds compared by value: a test before may have emptied the engine's caches since.
    assert ne.ground.region.border.equals(zones.ground("naturalearth").region.border)
    assert default.ground.region.border.equals(zones.ground().region.border)
    assert not ne.ground.region.border.equals(default.ground.region.border)
    for spec in registry.GEOMETRIC:
        assert registry.dependence(spec, ne.params) != registry.dependence(spec, default.params)
        if spec.key in ("border", "kharkiv_sector", "counterfire_zone"):
            assert not ne.geometry(spec.key).equals(default.geometry(spec.key))
    assert ne["border"].measure.km < 0.85 * default["border"].measure.km


def test_an_unknown_source_is_not_a_params():
    with pytest.raises(ValueError, match="source 'ne' is not one of osm, naturalearth"):
        zones.Params(source="ne")
    assert zones.Params().source == "osm"
