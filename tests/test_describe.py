"""The map in words (geo.narrative.describe): it names every shown layer and no hidden one, and its key
figures agree with distances and areas measured here independently (geopy; a lon/lat grid)."""

from __future__ import annotations

import random
import re

import pytest

from geo.core.escape import html_text
from geo.core.units import distance
from geo.engine import layers as registry
from geo.engine import places, stages
from geo.engine.zones import Params
from geo.narrative import describe
from geo.render.web import mapview
from geo.render.web.elements import Description
from tests.measure import distance_to_line_m, grid_area_m2


def own_text(built, spec) -> list[str]:
    """Text that only a sentence about this layer contains: its legend sentence and figure label."""
    values = built.values("mi")
    out = [spec.legend.format(**values)]
    if spec.figure and spec.key != "kharkiv_to_border":
        out.append(spec.figure.label + ":")
    return out


def subsets(count: int = 12, seed: int = 7):
    rng = random.Random(seed)
    yield set(registry.KEYS)
    yield set()
    for _ in range(count):
        yield {key for key in registry.KEYS if rng.random() < 0.5}


@pytest.mark.parametrize("shown", list(subsets()), ids=lambda s: ",".join(sorted(s)) or "none")
def test_it_names_every_shown_layer_and_no_hidden_one(default, shown):
    text = describe.describe(default, shown)
    for spec in registry.REGISTRY:
        for words in own_text(default, spec):
            assert (words in text) == (spec.key in shown), (spec.key, words)
    if shown:
        assert f"{len(shown)} of the" in text or "every one of the" in text
    else:
        assert "No layer is shown" in text


def test_each_layer_is_told_apart_by_colour_and_line_pattern(default):
    text = describe.describe(default)
    assert (
        "Counterfire zone: Russia within D = 80 km of the Kharkiv sector; drawn as a blue shaded "
        "area "
        "with a solid outline." in text
    )
    assert "drawn as a dashed green line" in text  # the ring
    assert "drawn as an orange shaded area with a dotted outline" in text  # the band
    for spec in registry.GEOMETRIC:
        assert spec.outline in describe.drawing_words(spec)


@pytest.mark.parametrize("unit", ["mi", "km"])
def test_kharkiv_to_the_border_is_measured_and_set_beside_the_article(default, border_points, unit):
    kharkiv = places.kharkiv()
    measured_km = distance_to_line_m(kharkiv.lat, kharkiv.lon, border_points) / 1000
    text = describe.describe(default, set(), unit)
    found = re.search(
        r"the nearest point of the Russian border is ([\d.,]+) (mi|km) \(([\d.,]+) (mi|km)\) away",
        text,
    )
    assert found and found.group(2) == unit
    km = float(found.group(1) if unit == "km" else found.group(3))
    assert km == pytest.approx(measured_km, abs=0.1)
    assert "the article says 12 miles" in text
    gap = distance(measured_km, "km").miles - 12
    said = re.search(r"12 miles, ([\d.]+) mi|12 miles, [\d.]+ km \(([\d.]+) mi\)", text)
    assert float(said.group(1) or said.group(2)) == pytest.approx(gap, abs=0.1)
    assert "less than measured" in text


def test_the_zones_areas_agree_with_a_grid_count(default):
    text = describe.describe(default, {"counterfire_zone", "border_band"})
    for key in ("counterfire_zone", "border_band"):
        label = registry.BY_KEY[key].figure.label
        found = re.search(
            re.escape(label) + r": ([\d,]+) square kilometres \(([\d,]+) square miles\)", text
        )
        assert found, key
        km2 = float(found.group(1).replace(",", ""))
        assert km2 == pytest.approx(grid_area_m2(default.geometry(key)) / 1e6, rel=0.02)
        assert float(found.group(2).replace(",", "")) == pytest.approx(km2 / 2.589988110336, abs=1)


@pytest.mark.parametrize("stage", stages.STAGES, ids=lambda s: s.id)
def test_it_names_the_stage(stage):
    built = registry.layers(Params(stage=stage))
    text = describe.describe(built)
    assert stage.label in text and stage.description in text
    if stage.kursk_unmeasured:
        assert stages.KURSK_NOTE in text
    if stage.origin is None:  # nothing permitted: the counterfire zone is empty
        assert "empty for these distances, so nothing is drawn" in text


def test_an_empty_layer_is_said_to_draw_nothing():
    built = registry.layers(Params(depth=distance(300, "km")))
    text = describe.describe(built, {"deep_strike_zone"})
    assert "nothing is drawn" in text
    assert registry.BY_KEY["deep_strike_zone"].figure.label not in text


def test_the_places_and_their_distances_are_listed_when_shown(default):
    text = describe.describe(default, {"places"})
    assert "Kharkiv: 21.5 mi (34.6 km) from the border" in text
    assert "Belgorod: " in text and "context, not named in the article" in text
    assert "Places marked" not in describe.describe(default, {"border"})


def test_plain_text_in_short_paragraphs(default):
    parts = describe.paragraphs(default)
    assert describe.describe(default) == "\n\n".join(parts)
    assert 3 <= len(parts) <= 5
    for part in parts:
        assert "\n" not in part and "<" not in part and "km²" not in part
        assert part.endswith(".")


def test_bad_values_are_named(default):
    with pytest.raises(ValueError, match="unknown layers zone: .*e.g."):
        describe.describe(default, {"zone"})
    with pytest.raises(ValueError, match="radius_unit 'm' is not one of mi, km"):
        describe.describe(default, None, "m")
    with pytest.raises(TypeError, match="geo.engine.layers.Layers"):
        describe.describe(Params())


def test_the_map_carries_the_description_escaped(default):
    html = mapview.build_map(default, "none", {"border", "places"}).get_root().render()
    for paragraph in describe.paragraphs(default, {"border", "places"}):
        assert f"<p>{html_text(paragraph)}</p>" in html
    assert 'class="kharkiv-description" role="note"' in html
    assert "Sanctuary" not in re.search(r'<div id="description_\w+".*?</div>', html, re.S).group(0)


def test_the_description_element_never_reads_text_as_html():
    element = Description("Title", ["<script>alert(1)</script> `${x}`"])
    assert "<script>" not in element.body and "${" not in element.body
    assert element.body.startswith("<p>&lt;script&gt;")


def test_a_static_figure_carries_the_description_as_its_alt_text(default):
    from geo.render.print import figure

    shown = {"border", "counterfire_zone"}
    svg = figure.render(default, shown=shown, fmt="svg").decode("utf-8")
    first = describe.paragraphs(default, shown)[0]
    assert f"<dc:description>{first}" in svg.replace("&quot;", '"')
    assert "Sanctuary" not in svg.split("<dc:description>")[1].split("</dc:description>")[0]
