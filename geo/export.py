"""The map and its layers as file contents: a standalone HTML page and RFC 7946 GeoJSON.

Writing them is :func:`geo.files.write_all`'s job (checked paths, all files or none).
"""

from __future__ import annotations

import json

import numpy as np
import shapely

from geo import assets, places
from geo.facts import facts
from geo.mapview import build_map
from geo.zones import Layers

#: Coordinates in the GeoJSON export are rounded to 1e-6 degrees (about 0.1 m).
GEOJSON_DECIMALS = 6

_LAYER_FIGURE = {
    "border": ("length_km", "border_length_km"),
    "kharkiv_sector": ("length_km", "kharkiv_sector_length_km"),
    "kharkiv_to_border": ("length_km", "kharkiv_to_border_km"),
    "border_band": ("area_km2", "border_band_area_km2"),
    "counterfire_zone": ("area_km2", "counterfire_zone_area_km2"),
    "deep_strike_zone": ("area_km2", "deep_strike_zone_area_km2"),
}


def parameters(layers: Layers) -> dict:
    p = layers.params
    return {
        "radius_m": round(p.radius_m, 3),
        "radius_mi": round(p.radius.miles, 4),
        "depth_m": round(p.depth_m, 3),
        "depth_km": round(p.depth.km, 4),
    }


def _geometry(geom: shapely.Geometry) -> dict:
    rounded = shapely.transform(geom, lambda xy: np.round(xy, GEOJSON_DECIMALS))
    return json.loads(shapely.to_geojson(rounded))


def layers_geojson(layers: Layers) -> dict:
    """Every layer and place as one FeatureCollection (RFC 7946: WGS84 lon/lat).

    Each feature's properties carry ``layer``, the parameters and its measured figure; the
    collection also carries all figures as the foreign member ``facts``."""
    figures = facts(layers)
    params = parameters(layers)
    features = []
    for key in Layers.NAMES:
        props = {"layer": key, **params}
        if key in _LAYER_FIGURE:
            name, source = _LAYER_FIGURE[key]
            props[name] = figures[source]
        if key == "kharkiv_to_border":
            props["length_mi"] = figures["kharkiv_to_border_mi"]
            props["article_claim_mi"] = figures["article_claim_mi"]
        features.append({"type": "Feature", "properties": props, "geometry": _geometry(getattr(layers, key))})
    for row in figures["places"]:
        props = {"layer": "place", **params, **{k: v for k, v in row.items() if k not in ("lat", "lon")}}
        features.append(
            {"type": "Feature", "properties": props,
             "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]}}
        )
    return {
        "type": "FeatureCollection",
        "parameters": params,
        "facts": {k: v for k, v in figures.items() if k != "places"},
        "attribution": "Borders © OpenStreetMap contributors (ODbL 1.0), via @geo-maps/countries-land-100m; "
        "places: GeoNames (CC BY 4.0); quotes: " + places.ARTICLE,
        "features": features,
    }


def map_html(layers: Layers, basemap: str = "osm", cdn: bool = False,
             show: set[str] | None = None) -> tuple[str, list[str]]:
    """The standalone page: every script and stylesheet inlined (``cdn=False``), or linked
    from public CDNs (``cdn=True``). Returns (html, notices about left-out plugins)."""
    return assets.render_html(build_map(layers, basemap, show), "cdn" if cdn else "inline")


def geojson_text(layers: Layers) -> str:
    return json.dumps(layers_geojson(layers), ensure_ascii=False, separators=(",", ":"))
