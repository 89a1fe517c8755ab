"""The streamlit-folium map, rendered once per view and shared by every session.

``st_folium(m)`` renders the whole folium figure on every run of every session (about half a
second of CPU for this map) and hands the browser component five strings made from it: the
map's script, its header and HTML, its id, and the script and stylesheet links its elements
declare. For one view those strings are always the same, so :func:`prepare` makes them once,
with streamlit-folium's own helpers in the order ``st_folium`` calls them, and :func:`show`
passes the kept strings to streamlit-folium's component with the arguments ``st_folium``
would give it. The component, the browser side and what comes back are streamlit-folium's.

The component is keyed by the map's script, so a new script makes the browser load a new
frame, Leaflet and the map. What changes with R, D and the stage therefore travels as a
feature group's script (``feature_group_to_add``'s way), which streamlit-folium swaps into the
map it keeps (``pages/shared/ui.py``'s ``map_frame`` makes both parts).

Should a streamlit-folium release lack one of the helpers used here, :func:`prepare` keeps
the folium map itself and :func:`show` calls ``st_folium`` on it, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import branca
import folium
import folium.elements
import streamlit as st
import streamlit_folium as sf

from geo.render.web import page

_HELPERS = (
    "_component_func",
    "_get_html",
    "_get_header",
    "_get_map_string",
    "get_full_id",
    "generate_js_hash",
    "_get_feature_group_string",
)
ADAPTED = all(hasattr(sf, name) for name in _HELPERS)


@dataclass(frozen=True)
class Prepared:
    """What the component draws a map from, for one view (read-only: shared by sessions)."""

    script: str
    header: str
    html: str
    id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: tuple[tuple[float | None, float | None], tuple[float | None, float | None]]
    zoom: int | None
    fallback: folium.Map | None = None  # only when streamlit-folium lacks a helper


def _links(m: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The script and stylesheet links of every element, as ``st_folium`` collects them."""
    css, js = [], []

    def walk(element):
        if isinstance(element, branca.colormap.ColorMap):
            raise ValueError("a colour map would make streamlit-folium link d3 from the internet")
        if isinstance(element, folium.elements.JSCSSMixin):
            css.extend(href for _, href in getattr(element, "default_css", []))
            js.extend(src for _, src in getattr(element, "default_js", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(m)
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def prepare(m: folium.Map) -> Prepared:
    """Render map ``m`` once into what the component needs (``m`` is used up: rendering
    renames its elements)."""
    if not ADAPTED:
        return Prepared("", "", "", "", (), (), ((None, None), (None, None)), None, fallback=m)
    m.get_root().render()
    m.render()
    html, header = sf._get_html(m), sf._get_header(m)
    script = sf._get_map_string(m)
    js, css = page.served(m)
    bounds = m.get_bounds()
    return Prepared(
        script,
        header,
        html,
        sf.get_full_id(m),
        css,
        js,
        (tuple(bounds[0]), tuple(bounds[1])),
        m.options.get("zoom"),
    )


def _defaults(p: Prepared, returned: Iterable[str]) -> dict:
    (south, west), (north, east) = p.bounds
    every = {
        "last_clicked": None,
        "last_object_clicked": None,
        "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None,
        "last_object_clicked_popup": None,
        "all_drawings": None,
        "last_active_drawing": None,
        "bounds": {
            "_southWest": {"lat": south, "lng": west},
            "_northEast": {"lat": north, "lng": east},
        },
        "zoom": p.zoom,
        "last_circle_radius": None,
        "last_circle_polygon": None,
        "selected_layers": None,
        "selected_tags": None,
        "last_geocoder_result": None,
    }
    return {k: v for k, v in every.items() if k in returned}


def feature_group_script(group: folium.FeatureGroup, idx: int = 0) -> str:
    """The script streamlit-folium adds to a drawn map for ``feature_group_to_add`` (its
    ``idx``-th group), made with its own helper against a throwaway map (the helper adds the
    group to the map it is given, and the script refers to the drawn map by the component's
    own name, not by that map's)."""
    return sf._get_feature_group_string(group, map=folium.Map(tiles=None), idx=idx)


def show(
    p: Prepared,
    *,
    key: str,
    height: int,
    returned_objects: list[str],
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    overlay: str | None = None,
    feature_group_to_add: folium.FeatureGroup | None = None,
) -> dict | None:
    """Draw a prepared map at the container's width, with groups added on top without
    redrawing the map: ``overlay`` (a group's script from :func:`feature_group_script`, shared
    by sessions) and a per-session ``feature_group_to_add`` above it; returns what
    ``st_folium`` returns.

    The component is keyed by the map's script alone, so while it stays the same the browser
    keeps the map (its frame, Leaflet, the view) and only swaps the groups: streamlit-folium
    removes the groups it added before and runs the new script."""
    if p.fallback is not None:
        from streamlit_folium import st_folium

        return st_folium(
            p.fallback,
            key=key,
            height=height,
            use_container_width=True,
            center=center,
            zoom=zoom,
            returned_objects=returned_objects,
            feature_group_to_add=feature_group_to_add,
        )
    groups = [overlay] if overlay else []
    if feature_group_to_add is not None:
        groups.append(feature_group_script(feature_group_to_add, idx=len(groups)))
    hash_key = sf.generate_js_hash(p.script, key, False)

    def on_change():
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=p.script,
        header=p.header,
        html=p.html,
        id=p.id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=list(returned_objects),
        default=_defaults(p, returned_objects),
        zoom=zoom,
        center=center,
        feature_group="".join(groups) or None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(p.css_links),
        js_links=list(p.js_links),
        on_change=on_change,
        wrap_longitude=False,
    )
