"""The map and its layers as file contents: a standalone HTML page and RFC 7946 GeoJSON.
Both name the border source they were drawn from (``geo.data.source``).

Writing them is :func:`geo.core.files.write_all`'s job (checked paths, all files or none).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import shapely

from geo import i18n
from geo.core.escape import html_text
from geo.data import source
from geo.engine import layers as registry
from geo.engine import places
from geo.engine.facts import figures, to_json
from geo.engine.layers import Layers
from geo.render.web import assets

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
        "source": p.source,
    }


def rounded(geom: shapely.Geometry) -> shapely.Geometry:
    """A lon/lat geometry as the exports write it: rounded to ``GEOJSON_DECIMALS``, outer rings
    counter-clockwise and holes clockwise (RFC 7946 §3.1.6)."""
    return shapely.orient_polygons(
        shapely.transform(geom, lambda xy: np.round(xy, GEOJSON_DECIMALS))
    )


def geometry_text(geom: shapely.Geometry) -> str:
    """RFC 7946 geometry: lon/lat rounded to ``GEOJSON_DECIMALS``, outer rings counter-clockwise
    and holes clockwise (§3.1.6)."""
    return shapely.to_geojson(rounded(geom))


def _feature(props: dict, geometry: str) -> str:
    return f'{{"type":"Feature","properties":{_dumps(props)},"geometry":{geometry}}}'


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Record:
    """One feature of the layers' exports: its properties (``layer``, the parameters, its
    figure), its geometry as written (lon/lat, :func:`rounded`; a place's point as given), and
    what it is: its registry entry, and for a place its ``places.Place``."""

    properties: dict
    geometry: shapely.Geometry
    spec: registry.LayerSpec
    place: places.Place | None = None


def records(layers: Layers) -> list[Record]:
    """Every layer (drawing order) and every place, as the GeoJSON export and the GIS files
    (``geo.render.gis``) write them."""
    figs = to_json(figures(layers))
    params = parameters(layers)
    out = []
    for spec in registry.GEOMETRIC:
        props = {"layer": spec.feature, **params}
        if spec.figure:
            props[spec.figure.prop] = figs[spec.figure.key]
        if spec.key == "kharkiv_to_border":
            props["length_mi"] = figs["kharkiv_to_border_mi"]
            props["article_claim_mi"] = figs["article_claim_mi"]
        out.append(Record(props, rounded(layers.geometry(spec.key)), spec))
    spec = registry.BY_KEY["places"]
    by_name = {place.name: place for place in places.places()}
    for row in figs["places"]:
        props = {
            "layer": spec.feature,
            **params,
            **{k: v for k, v in row.items() if k not in ("lat", "lon")},
        }
        point = shapely.Point(row["lon"], row["lat"])
        out.append(Record(props, point, spec, by_name.get(row["name"])))
    return out


def facts(layers: Layers) -> dict:
    """Every figure but the places', as the GeoJSON export's ``facts`` member carries them."""
    return {k: v for k, v in to_json(figures(layers)).items() if k != "places"}


def geojson_text(layers: Layers) -> str:
    """Every layer and place as one FeatureCollection (RFC 7946: WGS84 lon/lat).

    Each feature's properties carry ``layer``, the parameters and its measured figure; the
    collection also carries all figures as the foreign member ``facts``. Geometry text goes
    in as shapely writes it, never parsed again."""
    features = []
    for record in records(layers):
        geom = record.geometry
        text = (
            _dumps({"type": "Point", "coordinates": [geom.x, geom.y]})
            if record.place is not None or geom.geom_type == "Point"
            else shapely.to_geojson(geom)
        )
        features.append(_feature(record.properties, text))
    head = {
        "type": "FeatureCollection",
        "parameters": parameters(layers),
        "facts": facts(layers),
        "attribution": attribution(layers.params.source),
    }
    return _dumps(head)[:-1] + ',"features":[' + ",".join(features) + "]}"


def attribution(border_source: str = source.DEFAULT) -> str:
    """The credits of a file made from a border source: ``Borders: OpenStreetMap, ©
    OpenStreetMap contributors (ODbL-1.0), via npm @geo-maps/countries-land-100m@0.6.0; …``."""
    src = source.BY_ID[border_source]
    return (
        f"Borders: {src.name}, {src.credit} ({src.licence}), via npm {src.spec}; "
        "places: GeoNames (CC BY 4.0); quotes: " + places.ARTICLE
    )


def map_html(
    layers: Layers,
    basemap: str = "osm",
    cdn: bool = False,
    show: set[str] | None = None,
    radius_unit: str = "mi",
) -> tuple[str, list[str]]:
    """The standalone page: every script and stylesheet inlined (``cdn=False``), or linked
    from public CDNs (``cdn=True``). Returns (html, notices about left-out plugins)."""
    from geo.render.web.mapview import MAP_TITLE, build_map

    m = build_map(layers, basemap, show, radius_unit=radius_unit)
    m.get_root().title = html_text(
        i18n._(MAP_TITLE)
    )  # the tab's name, and what a screen reader opens with
    page, notices = assets.render_html(m, "cdn" if cdn else "inline")
    # The language of the page's text, for screen readers' pronunciation (branca writes a bare <html>).
    return page.replace("<html>", f'<html lang="{i18n.current()}">', 1), notices
