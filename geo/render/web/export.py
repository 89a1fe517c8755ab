"""The map and its layers as file contents: a standalone HTML page and RFC 7946 GeoJSON.

Writing them is :func:`geo.core.files.write_all`'s job (checked paths, all files or none).
"""

from __future__ import annotations

import json

import numpy as np
import shapely

from geo import i18n
from geo.core.escape import html_text
from geo.engine import layers as registry
from geo.engine import places
from geo.engine.facts import figures, to_json
from geo.engine.layers import Layers
from geo.render.web import assets, page
from geo.render.web.mapview import MAP_TITLE, build_map

#: Coordinates in the GeoJSON export are rounded to 1e-6 degrees (about 0.1 m).
GEOJSON_DECIMALS = 6


def parameters(layers: Layers) -> dict:
    p = layers.params
    return {
        "radius_m": round(p.radius.m, 3),
        "radius_mi": round(p.radius.miles, 4),
        "depth_m": round(p.depth.m, 3),
        "depth_km": round(p.depth.km, 4),
        "stage": p.stage.id,
        "stage_date": p.stage.date,
        "stage_source": p.stage.source,
    }


def geometry_text(geom: shapely.Geometry) -> str:
    """RFC 7946 geometry: lon/lat rounded to ``GEOJSON_DECIMALS``, outer rings counter-clockwise
    and holes clockwise (§3.1.6)."""
    rounded = shapely.transform(geom, lambda xy: np.round(xy, GEOJSON_DECIMALS))
    return shapely.to_geojson(shapely.orient_polygons(rounded))


def _feature(props: dict, geometry: str) -> str:
    return f'{{"type":"Feature","properties":{_dumps(props)},"geometry":{geometry}}}'


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def geojson_text(layers: Layers) -> str:
    """Every layer and place as one FeatureCollection (RFC 7946: WGS84 lon/lat).

    Each feature's properties carry ``layer``, the parameters and its measured figure; the
    collection also carries all figures as the foreign member ``facts``. Geometry text goes
    in as shapely writes it, never parsed again."""
    figs = to_json(figures(layers))
    params = parameters(layers)
    features = []
    for spec in registry.GEOMETRIC:
        props = {"layer": spec.feature, **params}
        if spec.figure:
            props[spec.figure.prop] = figs[spec.figure.key]
        if spec.key == "kharkiv_to_border":
            props["length_mi"] = figs["kharkiv_to_border_mi"]
            props["article_claim_mi"] = figs["article_claim_mi"]
        features.append(_feature(props, geometry_text(layers.geometry(spec.key))))
    place_layer = registry.BY_KEY["places"].feature
    for row in figs["places"]:
        props = {
            "layer": place_layer,
            **params,
            **{k: v for k, v in row.items() if k not in ("lat", "lon")},
        }
        features.append(
            _feature(props, _dumps({"type": "Point", "coordinates": [row["lon"], row["lat"]]}))
        )
    head = {
        "type": "FeatureCollection",
        "parameters": params,
        "facts": {k: v for k, v in figs.items() if k != "places"},
        "attribution": "Borders © OpenStreetMap contributors (ODbL 1.0), via "
        "@geo-maps/countries-land-100m; "
        "places: GeoNames (CC BY 4.0); quotes: " + places.ARTICLE,
    }
    return _dumps(head)[:-1] + ',"features":[' + ",".join(features) + "]}"


def map_html(
    layers: Layers,
    basemap: str = "osm",
    cdn: bool = False,
    show: set[str] | None = None,
    radius_unit: str = "mi",
) -> tuple[str, list[str]]:
    """The standalone page: every script and stylesheet inlined (``cdn=False``), or linked
    from public CDNs (``cdn=True``). Returns (html, notices about left-out plugins)."""
    plugins, notices = assets.plugins(cdn, fallback=True)
    m = build_map(layers, basemap, show, radius_unit=radius_unit, plugins=plugins)
    m.get_root().title = html_text(
        i18n._(MAP_TITLE)
    )  # the tab's name, and what a screen reader opens with
    html = page.standalone(m, cdn=cdn)
    # The language of the page's text, for screen readers' pronunciation (branca writes a bare <html>).
    return html.replace("<html>", f'<html lang="{i18n.current()}">', 1), notices
