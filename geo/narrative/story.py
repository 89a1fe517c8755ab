"""The classroom story: five steps from where Kharkiv is to what stayed prohibited.

Each step names the layers it shows and the view (centre and zoom) that frames them, and
says one short paragraph whose figures are measured by the engine for ``PARAMS``, with a
short quote from the article where it helps (the article's paragraph number beside it).
The text is in the current language (``geo.i18n``), one catalogue entry per paragraph with
the measured figures as named placeholders; the quotes stay in English, as in the article.

The story is told for the defaults, R = 12 mi and D = 80 km (``PARAMS``), because step 3 is
about the article's 12 miles; the map page explores other values.

Views are fitted to a nominal map of ``MAP_SIZE_PX`` on the Web Mercator tiles Leaflet
draws (256-pixel tiles), so the framed area shows whole on a projector-sized map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import shapely

from geo.core.units import area_text, describe, echo, length_text, setting_text
from geo.engine import places, stages, zones
from geo.engine.facts import Figures, StageFigures
from geo.engine.layers import Layers
from geo.i18n import _, number, percent, plain

PARAMS = zones.Params()
#: The stage of the step after the article: the permission as widened on 20 June 2024.
LATER_STAGE = stages.BY_ID["2024-06-20"]


def later(params: zones.Params) -> zones.Params:
    """The parameters of the step after the article (step 6) for a story told with ``params``:
    the same R and D, the stage of 20 June 2024."""
    return replace(params, stage=LATER_STAGE)


#: The step after the article, for the story told with ``PARAMS``.
LATER = later(PARAMS)
#: (width, height) in pixels of the map the views are fitted to.
MAP_SIZE_PX = (600, 560)
#: Share of the map left as margin around a framed area.
MARGIN = 0.12
TILE_PX = 256
MAX_ZOOM = 12


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    text: str
    quote: str | None
    quote_paragraph: int | None  # 1-based paragraph of the article
    layers: frozenset[str]
    centre: tuple[float, float]  # (lat, lon)
    zoom: int
    params: zones.Params = zones.Params()  # what the step's map is built for: the story's R and D


def _mercator_y(lat: float) -> float:
    """Web Mercator y of a latitude, in units of the world's width."""
    phi = math.radians(max(min(lat, 85.0), -85.0))
    return math.log(math.tan(math.pi / 4 + phi / 2)) / (2 * math.pi)


def fit_view(
    bounds: tuple[float, float, float, float], size_px: tuple[int, int] = MAP_SIZE_PX
) -> tuple[tuple[float, float], int]:
    """The centre (lat, lon) and the largest whole zoom at which ``bounds`` (min lon, min
    lat, max lon, max lat) fit inside a map of ``size_px`` less ``MARGIN``."""
    min_lon, min_lat, max_lon, max_lat = bounds
    width_world = (max_lon - min_lon) / 360.0
    height_world = _mercator_y(max_lat) - _mercator_y(min_lat)
    usable_w, usable_h = (s * (1 - MARGIN) for s in size_px)
    zoom = MAX_ZOOM
    while zoom > 0 and (
        width_world * TILE_PX * 2**zoom > usable_w or height_world * TILE_PX * 2**zoom > usable_h
    ):
        zoom -= 1
    y = (_mercator_y(min_lat) + _mercator_y(max_lat)) / 2
    lat = math.degrees(2 * math.atan(math.exp(y * 2 * math.pi)) - math.pi / 2)
    return (round(float(lat), 4), round(float(min_lon + max_lon) / 2, 4)), zoom


def _bounds(*geoms: shapely.Geometry) -> tuple[float, float, float, float]:
    return tuple(shapely.total_bounds([g for g in geoms if not g.is_empty]))


def _place(name: str) -> places.Place:
    return next(p for p in places.places() if p.name == name)


def _points(*names: str) -> shapely.MultiPoint:
    return shapely.MultiPoint([(p.lon, p.lat) for p in map(_place, names)])


def step_from_query(asked: str | None, count: int) -> tuple[int, str | None]:
    """The step a link asks for (``?step=N``), and a warning sentence when it names no step
    (then step 1). A missing value is step 1 without a warning. Only ASCII digits count:
    ``"²"`` is a digit to ``str.isdigit`` but no number to ``int``.

    >>> step_from_query("2", 5)
    (2, None)
    >>> step_from_query("\u00b2", 5)[0]
    1
    """
    if asked is None:
        return 1, None
    text = str(asked).strip()
    if text.isascii() and text.isdigit() and len(text) <= 3 and 1 <= int(text) <= count:
        return int(text), None
    return 1, _(
        "step {value} is not a step of the story: step takes a number from 1 to {count}, e.g. "
        "step=2; showing step 1 instead."
    ).format(value=echo(text), count=count)


def steps(
    layers: Layers,
    figures: Figures,
    stage_rows: tuple[StageFigures, ...] | None = None,
    later: Layers | None = None,
) -> tuple[Step, ...]:
    """The five steps, for ``layers`` and their ``facts.figures(layers)``, and a sixth, "what
    changed later", when the stages (``facts.stage_figures(PARAMS)``) and the layers for
    ``LATER`` are given."""
    p = layers.params
    gap = figures.kharkiv_to_border
    radius = setting_text(p.radius, "mi")
    depth = describe(p.depth, "km")
    reach = describe(zones.DEEP_STRIKE_REACH, "km")
    base = {"places", "border"}

    if gap > p.radius:
        ring = _(
            "The green circle is {radius} around Kharkiv's centre: it does not reach the border, "
            "so the "
            "city centre lies outside the band."
        )
    else:
        ring = _(
            "The green circle is {radius} around Kharkiv's centre: it crosses the border, so the "
            "city "
            "centre lies inside the band."
        )
    ring = ring.format(radius=describe(p.radius, "mi"))

    centre1, zoom1 = fit_view(_bounds(_points("Kharkiv", "Kyiv", "Belgorod")))
    g = layers.geometry
    centre2, zoom2 = fit_view(
        _bounds(g("kharkiv_to_border"), _points("Kharkiv", "Belgorod", "Vovchansk"))
    )
    centre3, zoom3 = fit_view(_bounds(g("kharkiv_ring"), g("kharkiv_sector")))
    centre4, zoom4 = fit_view(_bounds(g("counterfire_zone"), g("kharkiv_sector")))
    centre5, zoom5 = fit_view(_bounds(g("deep_strike_zone"), g("counterfire_zone")))

    return (
        Step(
            1,
            _("Where Kharkiv is"),
            _(
                "Kharkiv is Ukraine's second-largest city, in the north-east: {kyiv} km from "
                "Kyiv, and "
                "{belgorod} km from Belgorod, the Russian regional centre across the border. "
                "Black dots are "
                "places the article names; hollow dots are context it does not name. In May 2024 "
                "Russian "
                "forces were pressing attacks on the area."
            ).format(
                kyiv=number(figures.place("Kyiv").to_kharkiv.km),
                belgorod=number(figures.place("Belgorod").to_kharkiv.km),
            ),
            "defend its second-largest city of Kharkiv from Russian attacks",
            1,
            frozenset(base),
            centre1,
            zoom1,
            p,
        ),
        Step(
            2,
            _("How far the border really is"),
            _(
                "The dashed line runs from the city centre to the nearest point of the border: "
                "{gap}, measured "
                "along the Earth's surface. The article says {claim} miles; that holds only for "
                "the city's "
                "northern outskirts."
            ).format(gap=length_text(gap), claim=plain(figures.article_claim.miles)),
            "Kharkiv, which is 12 miles from the Russian border",
            3,
            frozenset(base | {"kharkiv_to_border"}),
            centre2,
            zoom2,
            p,
        ),
        Step(
            3,
            _band_title(p.radius),
            _(
                "Orange: every part of Ukraine within {radius} of the Russian border, {area} in "
                "all. {ring}"
            ).format(radius=radius, area=area_text(figures.measure("border_band")), ring=ring),
            None,
            None,
            frozenset(base | {"border_band", "kharkiv_ring", "kharkiv_to_border"}),
            centre3,
            zoom3,
            p,
        ),
        Step(
            4,
            _("The counterfire zone"),
            _(
                "Blue: Russia within {depth} of the Kharkiv sector, the {sector} km of border "
                "along Kharkiv "
                "Oblast (pink): {area}. In late May 2024 the U.S. let Ukraine use its weapons "
                "here against forces "
                "attacking Kharkiv. {depth} is the reach widely quoted for GMLRS rockets fired "
                "from HIMARS; the "
                "reported permission named no distance."
            ).format(
                depth=depth,
                sector=number(figures.measure("kharkiv_sector").km),
                area=area_text(figures.measure("counterfire_zone")),
            ),
            "hit back at Russian forces hitting them or preparing to hit them",
            2,
            frozenset(base | {"kharkiv_sector", "counterfire_zone"}),
            centre4,
            zoom4,
            p,
        ),
        Step(
            5,
            _("What stayed prohibited"),
            _(
                "Orange-red, dashed: Russia from {depth} to {reach} beyond the Kharkiv sector, "
                "within reach of "
                "ATACMS missiles but still off-limits: {area}. (Context, not in the article: the "
                "U.S. allowed "
                "ATACMS strikes inside Russia in November 2024.)"
            ).format(depth=depth, reach=reach, area=area_text(figures.measure("deep_strike_zone"))),
            "use long-range weapons to attack deep inside Russia",
            5,
            frozenset(base | {"kharkiv_sector", "counterfire_zone", "deep_strike_zone"}),
            centre5,
            zoom5,
            p,
        ),
    ) + (() if stage_rows is None or later is None else (_later(later, stage_rows),))


def _band_title(radius) -> str:
    """Step 3's title: the article's "12-mile band", or the band of another R as a number."""
    if abs(radius.miles - 12) < 1e-6:
        return _("The 12-mile band")
    return _("The {radius} band").format(radius=setting_text(radius, "mi"))


def _later(later: Layers, stage_rows: tuple[StageFigures, ...]) -> Step:
    """Step 6: what changed after the article (context, from other reports)."""
    share = {row.stage.id: row.permitted_share for row in stage_rows}
    june = next(row for row in stage_rows if row.stage.id == "2024-06-20")
    centre, zoom = fit_view(
        _bounds(later.geometry("sanctuary"), later.geometry("counterfire_zone"))
    )
    return Step(
        6,
        _("What changed later"),
        _(
            "On 20 June 2024 U.S. officials said the permission covered Russian forces attacking "
            "{anywhere} along "
            "the border. Blue: within {depth} of the whole border, {permitted}. Grey: the "
            "sanctuary, in reach of "
            "ATACMS ({reach}) but still off-limits, {sanctuary}. The permitted share of that "
            "reach grew from "
            "{before} to {after}. In November 2024 ATACMS strikes inside Russia were allowed, "
            "reportedly only in "
            "Kursk Oblast."
        ).format(
            anywhere=_('"{text}"').format(text="anywhere"),
            depth=describe(later.params.depth, "km"),
            permitted=area_text(june.permitted),
            reach=describe(zones.DEEP_STRIKE_REACH, "km"),
            sanctuary=area_text(june.sanctuary),
            before=percent(share["2024-05-30"], 0),
            after=percent(share["2024-06-20"], 0),
        ),
        None,
        None,
        frozenset({"places", "border", "counterfire_zone", "sanctuary"}),
        centre,
        zoom,
        later.params,
    )
