"""Writing the map and its layers to files: a standalone HTML page and RFC 7946 GeoJSON.

Files are written whole or not at all: the text goes to a temporary file beside the target,
which then replaces it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

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


class OutputError(Exception):
    """An output path that cannot be written; the message names it."""


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


def check_writable(path: Path) -> Path:
    """Fail early, with one sentence, if ``path`` cannot be written."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path} is a directory; give a file name such as {path / 'map.html'}.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError(f"cannot write {path}: permission denied.")
    return path


def _read_umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


#: Read once at import: os.umask can only be read by setting it.
_UMASK = _read_umask()


def write_atomic(path: Path, text: str) -> None:
    path = check_writable(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def map_html(layers: Layers, basemap: str = "osm", cdn: bool = False,
             show: set[str] | None = None) -> tuple[str, list[str]]:
    """The standalone page: every script and stylesheet inlined (``cdn=False``), or linked
    from public CDNs (``cdn=True``). Returns (html, notices about left-out plugins)."""
    return assets.render_html(build_map(layers, basemap, show), "cdn" if cdn else "inline")


def geojson_text(layers: Layers) -> str:
    return json.dumps(layers_geojson(layers), ensure_ascii=False, separators=(",", ":"))
