"""The folium map: one group per layer from the registry, hidden layers kept in the control,
text escaped, the basemap's tiles only where asked for."""

import pytest

from geo.core.escape import html_text
from geo.engine import facts, places
from geo.engine import layers as registry
from geo.render.web import mapview
from tests.measure import distance_to_line_m


def groups(m):
    return {c.layer_name: c for c in m._children.values() if hasattr(c, "layer_name")}


def test_every_layer_is_its_own_group_in_the_layer_control(default):
    m = mapview.build_map(default, "none")
    assert set(groups(m)) == {spec.title for spec in registry.REGISTRY}
    page = m.get_root().render()
    assert "L.control.layers" in page
    assert (
        "L.control.layers"
        not in mapview.build_map(default, "none", layer_control=False).get_root().render()
    )


def test_hidden_layers_stay_in_the_control_but_are_not_shown(default):
    found = groups(mapview.build_map(default, "osm", show={"border"}))
    title = registry.BY_KEY
    assert found[title["border"].title].show is True
    assert found[title["counterfire_zone"].title].show is False
    assert found[title["places"].title].show is False
    assert all(g.show for g in groups(mapview.build_map(default, "osm")).values())


def test_unknown_basemap_is_refused(default):
    with pytest.raises(ValueError, match="satellite"):
        mapview.build_map(default, "satellite")


def test_the_legend_names_r_and_d_in_the_chosen_unit(default):
    page = mapview.build_map(default, "none", radius_unit="km").get_root().render()
    assert "R = 19.31 km (12 mi), D = 80 km" in page
    page = mapview.build_map(default, "none").get_root().render()
    assert "R = 12 mi (19.31 km), D = 80 km" in page


def test_legend_entries_follow_the_registry(default):
    entries = mapview.legend_entries(default.values())
    specs = [*registry.GEOMETRIC, registry.BY_KEY["places"]]
    assert [e["color"] for e in entries] == [spec.style["color"] for spec in specs]
    by_label = {e["label"]: e for e in entries}
    zone = by_label["Counterfire zone: Russia within D = 80 km of the Kharkiv sector"]
    assert zone["fill"] == "rgba(0,114,178,0.3)" and zone["border"] == "solid"
    ring = next(e for e in entries if e["label"].startswith("Circle of radius R"))
    assert ring["fill"] == "transparent" and ring["border"] == "dashed"
    assert all(1 <= e["weight"] <= 3 for e in entries)


def test_popups_are_escaped_and_carry_the_distances(border_points):
    rows = {row.place.name: row for row in facts.place_figures()}
    html = mapview.popup_html(rows["Kharkiv"])
    assert "12 miles from the Russian border" in html and "paragraph 3" in html
    gap = distance_to_line_m(49.98177, 36.25475, border_points) / 1000  # Kharkiv, FACTS.md
    assert f"To the border: {gap:.1f} km ({gap / 1.609344:.1f} mi)" in html
    assert "Label point" in mapview.popup_html(rows["Russia"])
    hostile = places.Place(
        "<script>alert(1)</script>", 1.0, 2.0, "city", True, "`${x}` </script>", 1, "a & b", "test"
    )
    html = mapview.popup_html(facts.PlaceFigures(hostile, None, None))
    assert (
        "<script>" not in html and "</script>" not in html and "${" not in html and "`" not in html
    )
    assert "&lt;script&gt;" in html and "a &amp; b" in html


def test_text_escaping_covers_html_and_template_literals():
    assert (
        html_text("<b>${alert(1)}</b> `x` \\")
        == "&lt;b&gt;&#36;&#123;alert(1)&#125;&lt;/b&gt; &#96;x&#96; &#92;"
    )
    assert html_text("a\nb\u2028c") == "a b c"
    assert html_text("\"'&") == "&quot;&#x27;&amp;"


def test_osm_basemap_credits_openstreetmap(default):
    page = mapview.build_map(default, "osm").get_root().render()
    assert "OpenStreetMap" in page and "tile.openstreetmap.org" in page
    assert "tile.openstreetmap.org" not in mapview.build_map(default, "none").get_root().render()


def test_an_empty_layer_keeps_its_place_but_draws_nothing():
    from geo.engine import zones

    built = registry.build(zones.Params(depth=zones.parse_depth("300km")))
    m = mapview.build_map(built, "none")
    group = groups(m)[registry.BY_KEY["deep_strike_zone"].title]
    assert not group._children
    assert groups(m)[registry.BY_KEY["counterfire_zone"].title]._children


# --------------------------------------------------------------------------- the app's two parts


def scripts(m) -> str:
    """A map's page without folium's element names (random for each map made)."""
    import re

    return re.sub(r"_[0-9a-f]{32}", "_ID", m.get_root().render())


def test_the_base_map_is_the_same_for_every_r_d_and_stage(default):
    """The app keeps the base drawn while R, D and the stage change: it must not depend on them
    (nor on R's unit), and must draw none of the layers made from them."""
    from geo.core.units import distance
    from geo.engine import stages, zones

    other = registry.build(
        zones.Params(distance(30, "km"), zones.parse_depth("250km"), stages.STAGES[-1])
    )
    base = scripts(mapview.build_map(default, "none", layer_control=False, base=True))
    assert base == scripts(
        mapview.build_map(other, "none", layer_control=False, base=True, radius_unit="km")
    )
    assert "D = 80 km" not in base and "R = 12 mi" not in base
    from geo.narrative import describe

    assert not any(html_text(p) in base or json_in(p, base) for p in describe.paragraphs(default))
    for spec in mapview.PARAMETRIC:
        assert default[spec.key].drawing not in base
    for spec in mapview.FIXED:
        assert default[spec.key].drawing in base
    assert {spec.key for spec in mapview.PARAMETRIC} == {
        "kharkiv_ring",
        "border_band",
        "counterfire_zone",
        "deep_strike_zone",
        "sanctuary",
    }


def test_the_overlay_is_the_rest_of_the_map_as_data(default):
    import json

    from geo.narrative import describe

    shown = {"border", "counterfire_zone", "sanctuary"}
    data = mapview.overlay(default, shown, "km")
    # The shown zones drawn from R, D and the stage, bottom first, in their pane.
    drawn = [spec for spec in mapview.PARAMETRIC if spec.key in shown]
    assert [shape["geometry"] for shape in data["shapes"]] == [
        default[spec.key].drawing for spec in drawn
    ]
    assert {shape["pane"] for shape in data["shapes"]} == {mapview.ZONES_PANE[0]}
    values = default.values("km")
    for spec, shape in zip(drawn, data["shapes"]):
        assert shape["style"] == spec.style
        assert shape["tooltip"] == html_text(mapview.tooltip(spec, values))
    # The view's sentences: every row's, shown or not (the legend lists them all).
    assert data["values"] == mapview.values_line(values)
    assert data["labels"] == {s.key: s.text(s.legend, values) for s in mapview.PARAMETRIC}
    assert data["description"] == list(describe.paragraphs(default, shown, "km"))
    assert json.loads(json.dumps(data)) == data  # data, ready for the page


def test_the_views_sentences_are_written_as_text_never_as_html():
    """The app's map component writes the overlay's sentences with textContent; the only HTML
    it sets is the base folium rendered and the popups and tooltips their makers escaped."""
    from pathlib import Path

    script = (Path(__file__).parent.parent / "pages/shared/mapcomponent.js").read_text("utf-8")
    assert "textContent = overlay.values" in script and "textContent = text" in script
    assert script.count("innerHTML") == 1 and "host.innerHTML = base.styles + base.html" in script


def json_in(text: str, html: str) -> bool:
    import json

    escaped = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}
    return "".join(escaped.get(c, c) for c in json.dumps(text)) in html


def test_the_whole_map_draws_every_layer_in_its_pane(default):
    html = mapview.build_map(default, "none").get_root().render()
    assert html.count('pane: "kharkivZones"') == len(mapview.PARAMETRIC)
    assert html.count('pane: "kharkivOutlines"') == 1
    assert "R = 12 mi (19.31 km), D = 80 km" in html
