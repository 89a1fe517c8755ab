"""What ``app.py`` and the pages share: the page frame, the cached calls into ``geo``, and the
view controls in the sidebar, kept in step with the URL's query string.

The view (R, D, layers, basemap: ``geo.viewstate.ViewState``) lives in
``st.session_state["view"]``, read from the URL once per session and written back to it on
every run, so a copied link reproduces it. Widget values are copied from the view whenever
their keys are missing (Streamlit drops a widget's state on pages that do not draw it).

Geometry is cached at this edge, keyed by the distances in metres: a run that changes only
layers, basemap or a click builds nothing (``geo.mapview`` also keeps the drawn shapes of
each set of layers).
"""

from __future__ import annotations

import contextlib
import re

import folium
import streamlit as st
from branca.element import Element

from geo import assets, export, facts, mapview, tables, viewstate, zones
from geo.data import DataError
from geo.units import distance
from geo.viewstate import LAYER_KEYS, RADIUS_UNITS, ViewState
from geo.zones import Layers

TITLE = "Kharkiv border map"
#: (script, label, icon) of every page, in the order the sidebar lists them.
PAGES = (
    ("app.py", "Map", ":material/map:"),
    ("pages/1_Facts.py", "Facts", ":material/table_chart:"),
    ("pages/2_Classroom.py", "Classroom", ":material/co_present:"),
    ("pages/3_Export.py", "Export", ":material/download:"),
    ("pages/4_About.py", "About", ":material/info:"),
)
BASEMAP_LABELS = {"osm": "OpenStreetMap (tiles need internet)", "none": "None (works offline)"}
CUSTOM_DEPTH = "Another depth"

#: Less empty space above the content, so the map fits a laptop screen.
PAGE_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 4rem; padding-bottom: 1.5rem; }
</style>"""

#: The map's legend in smaller type on the page, where the map shares the screen with the
#: sidebar (the exported page keeps the engine's size).
COMPACT_LEGEND = """<style>
.kharkiv-legend { font-size: 11px !important; line-height: 1.25 !important; max-width: 250px !important;
                  padding: 4px 6px !important; }
.kharkiv-legend span:first-child { flex-basis: 18px !important; height: 9px !important; }
</style>"""

#: For the classroom, whose paragraphs say what each colour is: the legend would cover the map.
NO_LEGEND = "<style>.kharkiv-legend { display: none !important; }</style>"

VIEW, WARNINGS = "view", "view_warnings"
W_UNIT, W_RADIUS, W_PRESET, W_DEPTH, W_BASEMAP = "w_unit", "w_radius", "w_preset", "w_depth", "w_basemap"
PREV_UNIT = "w_unit_before"
W_LAYER = "w_layer_{}".format


def page(title: str, *, sidebar: str = "expanded") -> None:
    # An emoji icon: Streamlit draws it itself, where a :material/...: page icon would be
    # fetched from fonts.gstatic.com by the reader's browser.
    st.set_page_config(page_title=f"{title} · {TITLE}", page_icon="🗺️", layout="wide",
                       initial_sidebar_state=sidebar)
    st.html(PAGE_STYLE)


def markdown_text(text: str) -> str:
    """Text that Markdown shows as written: no links, emphasis, emoji codes or HTML."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=/])", r"\\\1", text)


@contextlib.contextmanager
def problems():
    """Show a missing or altered data file or map script as one sentence, and stop the page."""
    try:
        yield
    except (DataError, assets.AssetsMissing, assets.UnknownAssetLink) as err:
        st.error(markdown_text(str(err)), icon=":material/error:")
        st.stop()


# --------------------------------------------------------------------------- cached geo


@st.cache_resource(max_entries=16, show_spinner="Building the zones for these distances…")
def layers(radius_m: float, depth_m: float) -> Layers:
    return zones.layers(zones.Params(radius_m=radius_m, depth_m=depth_m))


@st.cache_data(max_entries=32, show_spinner="Measuring…")
def figures(radius_m: float, depth_m: float) -> dict:
    return facts.facts(layers(radius_m, depth_m))


@st.cache_data(max_entries=8, show_spinner="Writing the map page…")
def map_html(radius_m: float, depth_m: float, basemap: str, shown: tuple[str, ...]) -> tuple[str, list[str]]:
    return export.map_html(layers(radius_m, depth_m), basemap, cdn=False, show=set(shown))


@st.cache_data(max_entries=8, show_spinner="Writing the GeoJSON…")
def geojson_text(radius_m: float, depth_m: float) -> str:
    return export.geojson_text(layers(radius_m, depth_m))


@st.cache_data(max_entries=8, show_spinner=False)
def facts_csv(radius_m: float, depth_m: float) -> str:
    return tables.csv_text(figures(radius_m, depth_m))


def layers_for(view: ViewState) -> Layers:
    return layers(view.radius_m, view.depth_m)


def figures_for(view: ViewState) -> dict:
    return figures(view.radius_m, view.depth_m)


def folium_map(view: ViewState, shown: set[str] | None = None, *, legend: bool = True) -> tuple[folium.Map, list[str]]:
    """A fresh map for this run (st_folium changes the map it is given), without the layer
    control, the legend compact (or hidden), with its scripts served by this app
    (``/app/static/vendor``) instead of a CDN; and notices about controls left out."""
    # The sidebar switches layers (and keeps them in the link); a second set of switches
    # in the map would disagree with it.
    m = mapview.build_map(layers_for(view), view.basemap, view.shown() if shown is None else shown,
                          layer_control=False)
    m.get_root().header.add_child(Element(COMPACT_LEGEND if legend else NO_LEGEND), name="legend_style")
    notices = assets.localise(m, "static")
    return m, notices


# --------------------------------------------------------------------------- the view


def view() -> ViewState:
    """The session's view, read from the URL on the session's first run."""
    if VIEW not in st.session_state:
        state, warnings = viewstate.from_query(st.query_params.to_dict())
        st.session_state[VIEW] = state
        st.session_state[WARNINGS] = (state, warnings)
    return st.session_state[VIEW]


def url_warnings() -> None:
    """The URL's bad values, one sentence each, until the view is changed."""
    parsed, warnings = st.session_state.get(WARNINGS, (None, []))
    if warnings and parsed == st.session_state.get(VIEW):
        st.warning("\n".join(f"- {markdown_text(w)}" for w in warnings), icon=":material/link_off:")


def publish(state: ViewState) -> None:
    """Store the view and write it into the URL (other parameters are kept)."""
    st.session_state[VIEW] = state
    for key, value in viewstate.to_query(state).items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def nav(state: ViewState, where=None) -> None:
    """Links to every page, carrying the view."""
    where = where or st.sidebar
    query = viewstate.to_query(state)
    for script, label, icon in PAGES:
        where.page_link(script, label=label, icon=icon, query_params=query)


def _radius_limits(unit: str) -> tuple[float, float]:
    low, high = zones.RADIUS_RANGE
    return getattr(low, {"mi": "miles", "km": "km"}[unit]), getattr(high, {"mi": "miles", "km": "km"}[unit])


def _clamp(value: float, limits: tuple[float, float]) -> float:
    return min(max(value, limits[0]), limits[1])


def _preset_for(depth_km: float) -> str:
    return next((name for name, d in zones.DEPTH_PRESETS.items() if abs(d.km - depth_km) < 1e-9), CUSTOM_DEPTH)


def _init_widgets(state: ViewState) -> None:
    """Give every control its value before it is drawn: the value it had (re-stored, or a
    page switch would reset it) or, when missing, the view's."""
    s = st.session_state
    for key in (W_UNIT, W_RADIUS, W_PRESET, W_DEPTH, W_BASEMAP, *map(W_LAYER, LAYER_KEYS)):
        if key in s:
            s[key] = s[key]
    if W_UNIT not in s or W_RADIUS not in s:
        s[W_UNIT] = state.radius_unit
        value = state.radius.miles if state.radius_unit == "mi" else state.radius.km
        s[W_RADIUS] = _clamp(value, _radius_limits(state.radius_unit))
    s[PREV_UNIT] = s[W_UNIT]
    if W_DEPTH not in s or W_PRESET not in s:
        s[W_DEPTH] = _clamp(state.depth.km, (zones.DEPTH_RANGE[0].km, zones.DEPTH_RANGE[1].km))
        s[W_PRESET] = _preset_for(s[W_DEPTH])
    for key in LAYER_KEYS:
        s.setdefault(W_LAYER(key), key in state.layers)
    s.setdefault(W_BASEMAP, state.basemap)


def _unit_changed() -> None:
    s = st.session_state
    old, new = s[PREV_UNIT], s[W_UNIT]
    d = distance(s[W_RADIUS], old)
    s[W_RADIUS] = _clamp(d.miles if new == "mi" else d.km, _radius_limits(new))
    s[PREV_UNIT] = new


def _preset_changed() -> None:
    s = st.session_state
    if s[W_PRESET] in zones.DEPTH_PRESETS:
        s[W_DEPTH] = zones.DEPTH_PRESETS[s[W_PRESET]].km


def _depth_changed() -> None:
    st.session_state[W_PRESET] = _preset_for(st.session_state[W_DEPTH])


def _reset() -> None:
    s = st.session_state
    for key in (W_UNIT, W_RADIUS, W_PRESET, W_DEPTH, W_BASEMAP, *map(W_LAYER, LAYER_KEYS)):
        s.pop(key, None)
    s[VIEW] = viewstate.DEFAULT
    s[WARNINGS] = (None, [])


def controls(*, distances: bool = True, shown: bool = True) -> ViewState:
    """The sidebar: page links, then R and D (``distances``), the layer toggles and the
    basemap (``shown``), and a reset button. Returns the view they set, already published."""
    state = view()
    _init_widgets(state)
    s = st.session_state
    bar = st.sidebar
    links = bar.container()
    if distances:
        bar.subheader("Distances")
        unit = bar.radio("Unit of R", RADIUS_UNITS, horizontal=True, key=W_UNIT, on_change=_unit_changed,
                         format_func={"mi": "miles", "km": "kilometres"}.get)
        low, high = _radius_limits(unit)
        bar.number_input(
            f"R, the band in Ukraine and the ring round Kharkiv ({unit})", min_value=low, max_value=high,
            step=1.0, format="%.2f", key=W_RADIUS,
            help=f"The article's figure is 12 miles. From {low:.4g} to {high:.4g} {unit}.",
        )
        bar.selectbox("D, the counterfire depth into Russia", [*zones.DEPTH_PRESETS, CUSTOM_DEPTH],
                      key=W_PRESET, on_change=_preset_changed,
                      help="Reach presets for the GMLRS rockets fired from HIMARS; the default is 80 km.")
        low_km, high_km = zones.DEPTH_RANGE[0].km, zones.DEPTH_RANGE[1].km
        bar.number_input(f"D in km ({low_km:g}–{high_km:g})", min_value=low_km, max_value=high_km, step=5.0,
                         format="%.1f", key=W_DEPTH, on_change=_depth_changed)
    if shown:
        bar.subheader("Layers")
        for key in LAYER_KEYS:
            bar.toggle(mapview.LAYER_TITLES[key], key=W_LAYER(key))
        bar.radio("Basemap", mapview.BASEMAPS, key=W_BASEMAP, format_func=BASEMAP_LABELS.get)
    bar.button("Reset to defaults", on_click=_reset, icon=":material/restart_alt:", key="reset")

    changes = {}
    if distances:
        changes.update(radius_m=distance(s[W_RADIUS], s[W_UNIT]).m, radius_unit=s[W_UNIT],
                       depth_m=distance(s[W_DEPTH], "km").m)
    if shown:
        changes.update(layers=frozenset(k for k in LAYER_KEYS if s[W_LAYER(k)]), basemap=s[W_BASEMAP])
    state = st.session_state[VIEW].with_(**changes)
    publish(state)
    nav(state, links)
    return state
