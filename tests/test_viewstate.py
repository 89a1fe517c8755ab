"""The view in the URL: every bad value falls back on its own, with one sentence saying why."""

import pytest
from geopy.distance import Distance

from geo.engine.zones import Params
from pages.shared import viewstate
from pages.shared.viewstate import DEFAULT, LAYER_KEYS, ViewState, from_query, to_query

MILE_M = 1609.344  # international mile, by definition


def test_no_query_gives_the_defaults_silently():
    assert from_query({}) == (DEFAULT, [])
    assert DEFAULT.radius.m == pytest.approx(12 * MILE_M)
    assert DEFAULT.depth.m == pytest.approx(80_000)
    assert DEFAULT.radius_unit == "mi" and DEFAULT.basemap == "osm"
    assert DEFAULT.layers == frozenset(LAYER_KEYS)


def test_defaults_written_as_a_short_link():
    assert to_query(DEFAULT) == {
        "radius": "12mi",
        "depth": "80km",
        "layers": "all",
        "basemap": "osm",
        "stage": "2024-05-30",
    }  # FACTS.md: the article's moment, 30 May 2024


@pytest.mark.parametrize(
    "state",
    [
        DEFAULT,
        ViewState(Params(radius=Distance(kilometers=19.3)), radius_unit="km"),
        ViewState(Params(Distance(miles=37.5), Distance(kilometers=150))),
        ViewState(layers=frozenset({"places", "counterfire_zone"}), basemap="none"),
        ViewState(layers=frozenset()),
        ViewState(Params(Distance(miles=100), Distance(kilometers=5))),
        ViewState(Params(Distance(kilometers=1e3 / 7), Distance(miles=33.3)), radius_unit="km"),
        ViewState(
            Params(Distance(miles=1), Distance(kilometers=300)), layers=frozenset({"border"})
        ),
    ],
)
def test_a_link_reproduces_the_view(state):
    again, warnings = from_query(to_query(state))
    assert warnings == []
    assert again.radius_unit == state.radius_unit
    assert again.layers == state.layers and again.basemap == state.basemap
    assert again.radius.m == pytest.approx(state.radius.m, rel=1e-7)
    assert again.depth.m == pytest.approx(state.depth.m, rel=1e-7)


def test_units_are_read_and_kept():
    view, warnings = from_query({"radius": "30 km", "depth": "50mi"})
    assert warnings == []
    assert view.radius_unit == "km" and view.radius.m == pytest.approx(30_000)
    assert view.depth.m == pytest.approx(50 * MILE_M)
    view, _ = from_query({"radius": "5000m"})
    assert view.radius_unit == "km" and view.radius.m == pytest.approx(5000)
    view, _ = from_query({"radius": "7 MI"})
    assert view.radius_unit == "mi" and view.radius.miles == pytest.approx(7)


@pytest.mark.parametrize(
    "key, text, accepted",
    [
        ("radius", "abc", "1 mi to 100 mi"),
        ("radius", "12", "1 mi to 100 mi"),
        ("radius", "12 furlongs", "1 mi to 100 mi"),
        ("radius", "-5mi", "1 mi to 100 mi"),
        ("radius", "0.5mi", "1 mi to 100 mi"),
        ("radius", "101mi", "1 mi to 100 mi"),
        ("radius", "nan mi", "1 mi to 100 mi"),
        ("radius", "inf km", "1 mi to 100 mi"),
        ("depth", "4km", "5 km to 300 km"),
        ("depth", "301km", "5 km to 300 km"),
        ("depth", "1e9km", "5 km to 300 km"),
        ("layers", "places,roads", "counterfire_zone"),
        ("basemap", "satellite", "osm or none"),
    ],
)
def test_each_bad_value_falls_back_alone_with_one_sentence(key, text, accepted):
    good = {"radius": "20km", "depth": "150km", "layers": "places,border", "basemap": "none"}
    query = {**good, key: text}
    view, warnings = from_query(query)
    assert len(warnings) == 1
    warning = warnings[0]
    assert repr(text) in warning or text in warning
    assert accepted in warning
    assert f"using {key}={to_query(DEFAULT)[key]} instead" in warning
    assert warning.endswith(".") and "\n" not in warning
    expected = from_query({k: v for k, v in good.items() if k != key})[0]
    assert view == expected


def test_several_bad_values_give_one_sentence_each_and_the_defaults():
    view, warnings = from_query({"radius": "x", "depth": "-1km", "layers": "??", "basemap": "<b>"})
    assert view == DEFAULT
    assert len(warnings) == 4


def test_a_repeated_key_takes_the_last_value_as_browsers_do():
    view, warnings = from_query({"depth": ["70km", "150km"]})
    assert warnings == [] and view.depth.m == pytest.approx(150_000)
    view, warnings = from_query({"depth": []})
    assert view.depth == DEFAULT.depth and len(warnings) == 1


def test_a_huge_value_is_refused_without_being_quoted_back():
    view, warnings = from_query({"radius": "9" * 5000 + "mi"})
    assert view == DEFAULT
    assert len(warnings) == 1 and len(warnings[0]) < 300


def test_layer_words_and_case():
    assert from_query({"layers": "all"})[0].layers == frozenset(LAYER_KEYS)
    assert from_query({"layers": "none"})[0].layers == frozenset()
    assert from_query({"layers": "Places, BORDER"})[0].layers == {"places", "border"}
    assert from_query({"basemap": "NONE"})[0].basemap == "none"


def test_params_carry_the_distances():
    view = from_query({"radius": "19.3km", "depth": "150km"})[0]
    assert view.params == Params(Distance(meters=19_300), Distance(meters=150_000))
    assert (view.radius, view.depth) == (view.params.radius, view.params.depth)


def test_a_view_refuses_what_the_map_does_not_have():
    with pytest.raises(ValueError):
        ViewState(layers=frozenset({"roads"}))
    with pytest.raises(ValueError):
        ViewState(basemap="satellite")
    with pytest.raises(ValueError):
        ViewState(radius_unit="m")
    with pytest.raises(ValueError):
        ViewState(Params(radius=Distance(meters=10)))


def test_file_names_carry_the_parameters():
    view = ViewState(
        Params(Distance(kilometers=30), Distance(kilometers=150)), radius_unit="km", basemap="none"
    )
    assert (
        viewstate.file_name(view, "map", "html", basemap=True)
        == "kharkiv-map_R30km_D150km_none.html"
    )
    assert viewstate.file_name(DEFAULT, "layers", "geojson") == "kharkiv-layers_R12mi_D80km.geojson"


def test_a_link_lists_the_layers_in_the_registrys_order():
    view = ViewState(layers=frozenset({"deep_strike_zone", "places", "border"}))
    assert to_query(view)["layers"] == ",".join(k for k in LAYER_KEYS if k in view.layers)
    assert to_query(ViewState(layers=frozenset()))["layers"] == "none"
    assert to_query(ViewState(layers=frozenset(LAYER_KEYS[1:])))["layers"] != "all"


def test_distances_in_a_link_keep_eight_significant_digits():
    assert viewstate.distance_text(Distance(kilometers=1e3 / 7), "km") == "142.85714km"
    assert viewstate.distance_text(Distance(miles=12), "mi") == "12mi"
    assert viewstate.distance_text(Distance(meters=1234.5), "m") == "1234.5m"
    assert viewstate.label(Distance(miles=12), "mi") == "12 mi (19.31 km)"


def test_a_value_just_under_the_length_limit_is_read():
    text = "12" + " " * 195 + "mi"  # 199 characters: long, but a distance
    assert from_query({"radius": text}) == (DEFAULT, [])
    view, warnings = from_query({"radius": "12" + " " * 197 + "mi"})  # 201
    assert len(warnings) == 1 and "201 characters" in warnings[0]


def test_a_view_changes_one_thing_at_a_time():
    changed = DEFAULT.with_(basemap="none")
    assert (
        changed.basemap == "none"
        and changed.params == DEFAULT.params
        and changed.layers == DEFAULT.layers
    )
    assert DEFAULT.shown() == set(LAYER_KEYS)
    assert isinstance(ViewState(layers={"border"}).layers, frozenset)
    assert hash(ViewState(layers={"border"})) == hash(ViewState(layers=frozenset({"border"})))


def test_a_view_that_is_not_one_says_what_is_accepted():
    keys = ", ".join(LAYER_KEYS)
    for make, message in [
        (lambda: ViewState(radius_unit="m"), "radius_unit 'm' is not one of mi, km"),
        (
            lambda: ViewState(layers=frozenset({"roads"})),
            f"unknown layers ['roads']; known: {keys}",
        ),
        (lambda: ViewState(basemap="satellite"), "basemap 'satellite' is not one of osm, none"),
    ]:
        with pytest.raises(ValueError) as err:
            make()
        assert str(err.value) == message


def test_warnings_name_the_bad_values_and_the_choices():
    _, (warning,) = from_query({"layers": "a,b,c,d,e,f"})
    assert (
        "names 'a', 'b', 'c', 'd', 'e', which the map does not have" in warning
        and "'f'" not in warning
    )
    assert (
        f"a comma-separated list of {', '.join(LAYER_KEYS)}, e.g. places,border,counterfire_zone"
        in warning
    )
    _, (warning,) = from_query({"basemap": "satellite"})
    assert warning == (
        "basemap 'satellite' is not one of osm, none: basemap takes osm or none, e.g. basemap=osm; "
        "using basemap=osm instead."
    )
    _, (warning,) = from_query({"radius": "12"})
    assert warning.endswith("e.g. 12mi; using radius=12mi instead.")
    _, (warning,) = from_query({"depth": []})
    assert warning.startswith("depth '' is not a distance")


def test_the_last_of_several_values_counts():
    assert from_query({"depth": ["70km", "100km", "150km"]})[0].depth.km == pytest.approx(150)
    assert from_query({"depth": ("70km", "100km")})[0].depth.km == pytest.approx(100)


def test_a_value_of_exactly_the_length_limit_is_read():
    assert from_query({"radius": "12" + " " * 196 + "mi"}) == (DEFAULT, [])  # 200 characters


def test_a_file_name_carries_a_stage_that_is_not_the_default():
    from geo.engine import stages

    june = ViewState(Params(stage=stages.BY_ID["2024-06-20"]))
    assert (
        viewstate.file_name(june, "map", "html", basemap=True)
        == "kharkiv-map_R12mi_D80km_S2024-06-20_osm.html"
    )
    assert (
        viewstate.file_name(june, "layers", "geojson")
        == "kharkiv-layers_R12mi_D80km_S2024-06-20.geojson"
    )


# --------------------------------------------------------------------------- the border source


def test_the_border_source_goes_into_the_link_only_when_it_is_not_the_default():
    assert "source" not in to_query(DEFAULT)
    view, warnings = from_query({"source": "naturalearth"})
    assert warnings == [] and view.source == "naturalearth"
    assert view.params == Params(source="naturalearth")
    assert to_query(view)["source"] == "naturalearth"
    assert from_query(to_query(view)) == (view, [])
    assert viewstate.file_name(view, "layers", "gpkg") == (
        "kharkiv-layers_R12mi_D80km_naturalearth.gpkg"
    )


def test_an_unknown_source_warns_once_and_takes_the_default():
    view, warnings = from_query({"source": "google", "depth": "70km"})
    assert view.source == "osm" and view.depth.km == pytest.approx(70)
    assert warnings == [
        "source 'google' is not a border source of this map: source takes one of osm, "
        "naturalearth, e.g. naturalearth; using source=osm instead."
    ]
