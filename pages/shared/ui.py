"""The app's frame, drawn once per run by ``app.py`` for every page: the sidebar controls
kept in step with the URL's query string, the URL's warnings, the data-problem guard, and
the drawn map: the engine's layers (kept by the engine, ``geo.engine.layers``) and, kept here,
only what is rendered from them (the map's base and the overlay's script).

The view (R, D, layers, basemap: ``pages.shared.viewstate.ViewState``) lives in
``st.session_state["view"]``, read from the URL on a session's first run and written back to
it on every run, so a copied link reproduces it. The controls are drawn on every page (those a
page does not use are disabled), so Streamlit keeps their values across pages by itself.
"""

from __future__ import annotations

import contextlib
import json
import re
from contextvars import ContextVar
from dataclasses import dataclass

import folium
import streamlit as st
from branca.element import Element

from geo import i18n
from geo.core import units
from geo.core.units import distance, in_unit
from geo.data import source as sources
from geo.data.borders import DataError
from geo.engine import layers, stages, zones
from geo.engine.layers import Layers
from geo.engine.zones import Params
from geo.i18n import N_, _
from geo.narrative import describe
from geo.render.web import assets, mapview
from pages.shared import mapframe, viewstate
from pages.shared.viewstate import LAYER_KEYS, RADIUS_UNITS, ViewState

#: The basemaps and the choice of a depth of one's own, in English (the values the controls
#: keep); each is shown through ``_()``.
BASEMAP_LABELS = {
    "osm": N_("OpenStreetMap (tiles need internet)"),
    "none": N_("None (works offline)"),
}
CUSTOM_DEPTH = N_("Another depth")
UNIT_NAMES = {"mi": N_("miles"), "km": N_("kilometres")}

#: Less empty space above the content, so the map fits a laptop screen. The label of a control
#: a page does not use (drawn disabled) stays readable: 6:1 on the sidebar, not Streamlit's 2.3:1.
#: The element that only holds ``document_language``'s script takes no space.
PAGE_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3rem; padding-bottom: 1.5rem; }
.stElementContainer:has(:disabled, [aria-disabled="true"]) [data-testid="stWidgetLabel"],
.stElementContainer:has(:disabled, [aria-disabled="true"]) [data-testid="stWidgetLabel"] p { color: #595959; }
.stElementContainer:has(> [data-testid="stHtml"] > script:only-child) { display: none; }
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
W_UNIT, W_RADIUS, W_PRESET, W_DEPTH, W_BASEMAP = (
    "w_unit",
    "w_radius",
    "w_preset",
    "w_depth",
    "w_basemap",
)
W_STAGE = "w_stage"
W_LANG = "w_lang"
W_SOURCE = "w_source"
PREV_UNIT = "w_unit_before"
W_LAYER = "w_layer_{}".format


def markdown_text(text: str) -> str:
    """Text that Markdown shows as written: no links, emphasis, emoji codes or HTML."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=/])", r"\\\1", text)


@contextlib.contextmanager
def problems():
    """Show a missing or altered data file or map script as one sentence, and stop the page."""
    try:
        yield
    except (DataError, assets.AssetsMissing, assets.UnknownAssetLink) as err:
        st.error(markdown_text(str(err)), icon="⚠️")
        st.stop()


@dataclass(frozen=True)
class Screen:
    """One screen of the app: its script in ``pages/``, its title (translated where shown), its
    URL path (the same in every language; the script is named as it) and whether the sidebar
    shows the distances and the layer switches on it."""

    script: str
    title: str
    path: str
    distances: bool
    layers: bool


SCREENS = (
    Screen("pages/map.py", N_("Map"), "", distances=True, layers=True),
    Screen("pages/Facts.py", N_("Facts"), "Facts", distances=True, layers=False),
    Screen("pages/Classroom.py", N_("Classroom"), "Classroom", distances=False, layers=False),
    Screen("pages/Your_data.py", N_("Your data"), "Your_data", distances=True, layers=True),
    Screen("pages/Export.py", N_("Export"), "Export", distances=True, layers=True),
    Screen("pages/About.py", N_("About"), "About", distances=False, layers=False),
)


def navigation():
    """Declare the app's pages (``st.navigation``): the page Streamlit will run, and its screen."""
    current = st.navigation(
        [
            st.Page(s.script, title=_(s.title), url_path=s.path or None, default=not s.path)
            for s in SCREENS
        ]
    )
    return current, next(s for s in SCREENS if s.path == current.url_path)


#: Whether this script run draws inside ``app.py``'s frame: ``app.py`` sets it before the
#: screen runs (``in_frame``). A new thread, and so a new session, starts without it.
_FRAMED: ContextVar[bool] = ContextVar("kharkiv_map_in_frame", default=False)


def in_frame() -> None:
    """Called by ``app.py`` before it runs the screen: this run has drawn the frame."""
    _FRAMED.set(True)


def leave_folder_navigation() -> None:
    """Hand a run over to ``app.py``'s navigation when Streamlit ran this screen by itself.

    Streamlit treats an app with a ``pages/`` folder the older, folder-based way until
    ``st.navigation`` has been called once in the process: so on a newly started server, a
    first visit to ``/Facts`` runs ``pages/Facts.py`` by itself, without the frame (each
    screen's file is named as its URL path, so it is found rather than "Page not found").
    Called first by each screen: when the frame was not drawn in this run, the screen declares
    the app's pages (:func:`navigation`, Streamlit's documented way of leaving the
    folder-based pages) and reruns, and from then on ``app.py`` runs first and draws the
    frame. Only public Streamlit calls; ``tests/test_app_browser.py`` covers a first visit to
    a screen on a new server."""
    if _FRAMED.get():
        return
    navigation()
    st.rerun()


def labels(names=None):
    """A control's ``format_func``: an option shown through ``_()`` (as itself, or its entry in
    ``names``), in this run's language even when called outside the run (Streamlit's AppTest
    formats options in its own thread)."""
    code = i18n.current()

    def label(option) -> str:
        with i18n.language(code):
            return _(option if names is None else names[option])

    return label


def deferred(function, /, *args, **kwargs):
    """``function(*args, **kwargs)`` for a download made when its button is clicked, in this
    run's language: Streamlit calls it outside the page's run, where no language is set."""
    code = i18n.current()

    def make():
        with i18n.language(code):
            return function(*args, **kwargs)

    return make


# --------------------------------------------------------------------------- the layers and the drawn map


def _params_key(p: Params) -> str:
    """What a rendered overlay depends on: every field of the parameters, by value (the
    dataclass's repr names each field, so a field added later is part of the key too)."""
    return repr(p)


def built(params: Params) -> Layers:
    """Every layer for one set of parameters, from the engine's cache (``geo.engine.layers``:
    its docstring follows D from this sidebar to the drawn zone). The spinner is drawn here,
    in the reader's language, and only when the work takes a moment."""
    with st.spinner(_("Building the zones for these distances…")):
        return layers.layers(params)


def folium_map(
    view: ViewState,
    shown: set[str] | None = None,
    *,
    legend: bool = True,
    extra_legend: tuple[dict, ...] = (),
    base: bool = False,
) -> tuple[folium.Map, list[str]]:
    """A fresh map for this run (st_folium changes the map it is given), without the layer
    control, the legend compact (or hidden), with its scripts served by this app
    (``/app/static/vendor``) instead of a CDN; and notices about controls left out.
    ``base``: without what R, D and the stage draw (``mapview.build_map``'s ``base``)."""
    # The sidebar switches layers (and keeps them in the link); a second set of switches
    # in the map would disagree with it. The layers come without a spinner: this may run inside
    # the cached ``_base_map``, which would keep the spinner's element to replay; the
    # callers have built them already.
    m = mapview.build_map(
        layers.layers(view.params),
        view.basemap,
        view.shown() if shown is None else shown,
        layer_control=False,
        radius_unit=view.radius_unit,
        extra_legend=extra_legend,
        base=base,
    )
    m.get_root().header.add_child(
        Element(COMPACT_LEGEND if legend else NO_LEGEND), name="legend_style"
    )
    return m, assets.localise(m, "static")


def map_description(built_layers: Layers, shown: set[str], radius_unit: str = "mi") -> None:
    """The map in words (``geo.narrative.describe``) under a map, as text a screen reader reaches."""
    with st.expander(_("Text description of the map")):
        for paragraph in describe.paragraphs(built_layers, shown, radius_unit):
            st.markdown(markdown_text(paragraph))


def map_frame(
    view: ViewState, shown: set[str] | None = None, *, legend: bool = True
) -> tuple[mapframe.Prepared, str | None, list[str]]:
    """The map of this view for ``mapframe.show``, in two parts: the base (``mapview.build_map``
    with ``base=True``), made once per language, basemap and fixed layers shown and shared by
    every session, which the browser keeps drawn while R, D and the stage change; and the
    overlay of this view's zones and sentences (``mapview.overlay``, as the script
    streamlit-folium adds to a drawn map), made once per view. And notices about controls
    left out. Without streamlit-folium's helpers: the whole map, and no overlay."""
    shown = frozenset(view.shown() if shown is None else shown)
    built(view.params)
    if not mapframe.ADAPTED:
        m, notices = folium_map(view, set(shown), legend=legend)
        return mapframe.prepare(m), None, notices
    parametric = frozenset(spec.key for spec in mapview.PARAMETRIC)
    # The scripts' folder is part of the key: the map is checked against its files when made.
    with st.spinner(_("Drawing the map…")):
        prepared, notices = _base_map(
            view.basemap,
            shown - parametric,
            legend,
            str(assets.vendor_dir()),
            i18n.current(),
            view,
            view.source,
        )
        zones = _overlay(view.params, view.radius_unit, shown & parametric, i18n.current())
    return prepared, zones, list(notices)


@st.cache_resource(max_entries=16, show_spinner=False)
def _base_map(
    basemap: str,
    fixed: frozenset[str],
    legend: bool,
    vendor: str,
    lang: str,
    _view: ViewState,
    source: str = sources.DEFAULT,
) -> tuple[mapframe.Prepared, tuple[str, ...]]:
    """The base for every view with this basemap, fixed layers shown, language and border
    source (``_view``, not part of the key, only supplies layers to draw the fixed ones from:
    the base draws nothing that depends on R, D or the stage, and ``tests/test_mapview.py``
    checks that; its fixed layers and outlines are the source's)."""
    m, notices = folium_map(_view, set(fixed), legend=legend, base=True)
    return mapframe.prepare(m), tuple(notices)


@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs={Params: _params_key})
def _overlay(params: Params, radius_unit: str, shown: frozenset[str], lang: str) -> str:
    return mapframe.feature_group_script(
        mapview.overlay(layers.layers(params), set(shown), radius_unit)
    )


# --------------------------------------------------------------------------- the view


def view() -> ViewState:
    """The session's view, read from the URL on the session's first run (before the
    language is known: the URL sets it)."""
    if VIEW not in st.session_state:
        query = st.query_params.to_dict()
        state, warnings = viewstate.from_query(query)
        st.session_state[VIEW] = state
        st.session_state[WARNINGS] = (state, query if warnings else {})
    return st.session_state[VIEW]


def url_warnings() -> None:
    """The URL's bad values, one sentence each, until the view is changed; written in the
    language of this run (the link is read again for them)."""
    parsed, query = st.session_state.get(WARNINGS, (None, {}))
    if query and parsed == st.session_state.get(VIEW):
        warnings = viewstate.from_query(query)[1]
        st.warning("\n".join(f"- {markdown_text(w)}" for w in warnings), icon="🔗")


def publish(state: ViewState) -> None:
    """Store the view and write it into the URL (other parameters are kept)."""
    st.session_state[VIEW] = state
    query = viewstate.to_query(state)
    for key, value in query.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
    for key in viewstate.QUERY_KEYS:
        if key not in query and key in st.query_params:
            del st.query_params[key]


def _radius_limits(unit: str) -> tuple[float, float]:
    low, high = zones.RADIUS_RANGE
    return in_unit(low, unit), in_unit(high, unit)


def _clamp(value: float, limits: tuple[float, float]) -> float:
    return min(max(value, limits[0]), limits[1])


def _preset_for(depth_km: float) -> str:
    """The preset of a depth (its English name, the value the selector keeps), or CUSTOM_DEPTH."""
    return next(
        (name for name, d in zones.DEPTH_PRESETS.items() if abs(d.km - depth_km) < 1e-9),
        CUSTOM_DEPTH,
    )


def _init_widgets(state: ViewState) -> None:
    """Give each control the view's value the first time it is drawn in a session."""
    s = st.session_state
    if W_UNIT not in s or W_RADIUS not in s:
        s[W_UNIT] = state.radius_unit
        s[W_RADIUS] = _clamp(
            in_unit(state.radius, state.radius_unit), _radius_limits(state.radius_unit)
        )
    s.setdefault(PREV_UNIT, s[W_UNIT])
    if W_DEPTH not in s or W_PRESET not in s:
        s[W_DEPTH] = _clamp(state.depth.km, (zones.DEPTH_RANGE[0].km, zones.DEPTH_RANGE[1].km))
        s[W_PRESET] = _preset_for(s[W_DEPTH])
    for key in LAYER_KEYS:
        s.setdefault(W_LAYER(key), key in state.layers)
    s.setdefault(W_BASEMAP, state.basemap)
    s.setdefault(W_STAGE, state.params.stage.id)
    s.setdefault(W_LANG, state.lang)
    s.setdefault(W_SOURCE, state.source)


def _unit_changed() -> None:
    s = st.session_state
    d = distance(s[W_RADIUS], s[PREV_UNIT])
    s[W_RADIUS] = _clamp(in_unit(d, s[W_UNIT]), _radius_limits(s[W_UNIT]))
    s[PREV_UNIT] = s[W_UNIT]


def _preset_changed() -> None:
    s = st.session_state
    if s[W_PRESET] in zones.DEPTH_PRESETS:
        s[W_DEPTH] = zones.DEPTH_PRESETS[s[W_PRESET]].km


def _depth_changed() -> None:
    st.session_state[W_PRESET] = _preset_for(st.session_state[W_DEPTH])


def _reset() -> None:
    s = st.session_state
    for key in (
        W_UNIT,
        W_RADIUS,
        W_PRESET,
        W_DEPTH,
        W_BASEMAP,
        W_STAGE,
        W_SOURCE,
        PREV_UNIT,
        *map(W_LAYER, LAYER_KEYS),
    ):
        s.pop(key, None)
    # The language is the reader's, not a setting of the map: a reset keeps it.
    s[VIEW] = viewstate.DEFAULT.with_(lang=s.get(W_LANG, i18n.DEFAULT))
    s[WARNINGS] = (None, {})


def language() -> str:
    """The language of this run: the selector's, or the URL's on a session's first run. Set
    (``i18n.set_language``) by ``app.py`` before anything is drawn."""
    return st.session_state.get(W_LANG) or view().lang


def language_control() -> None:
    """The language selector, at the top of the sidebar, each language in its own name (its
    label in both, so that either reader finds it)."""
    st.sidebar.selectbox(
        "Language · Мова", list(i18n.LANGUAGES), key=W_LANG, format_func=i18n.LANGUAGES.get
    )


def document_language() -> None:
    """The page's ``<html lang>`` set to the language of this run, so a screen reader speaks the
    page in it and the browser hyphenates and spell-checks it as such. Streamlit serves one
    HTML page for every language, with ``lang="en"``; this one-line script (this app's own,
    not a third party's) sets the attribute when the language changes."""
    st.html(
        f"<script>document.documentElement.lang = {json.dumps(i18n.current())};</script>",
        unsafe_allow_javascript=True,
    )


def stage_control(where) -> None:
    """The stage of the policy, as a timeline of dates (``where``: the sidebar or a page)."""
    where.select_slider(
        _("Stage of the policy"),
        options=list(stages.BY_ID),
        key=W_STAGE,
        format_func=labels({sid: stage.label for sid, stage in stages.BY_ID.items()}),
        help=_(
            "What the U.S. permitted, as reported: before 30 May 2024, 30 May (the article), 20 "
            "June, "
            "17 November."
        ),
    )


def source_control(where, disabled: bool = False) -> None:
    """The border data every figure and shape is measured on (``geo.data.source``); the Facts
    page shows both side by side."""
    where.radio(
        _("Border data"),
        list(sources.IDS),
        key=W_SOURCE,
        format_func=labels({src.id: src.label for src in sources.SOURCES}),
        disabled=disabled,
        help=_(
            "Which border line the figures and zones are measured from. Lengths depend on it "
            "much more than areas; the Facts page shows both."
        ),
    )


def controls(
    *, distances: bool = True, shown: bool = True, stage_on_page: bool = False
) -> ViewState:
    """The sidebar: the stage (or on the page, ``stage_on_page``), R and D, the layer toggles
    and the basemap, and a reset button. Controls a page does not use are drawn disabled
    (``distances``, ``shown``), keeping their values. Returns the view they set, already
    published to the URL."""
    _init_widgets(view())
    s = st.session_state
    bar = st.sidebar
    language_control()
    stage_control(st.container() if stage_on_page else bar)
    bar.subheader(_("Distances"))
    unit = bar.radio(
        _("Unit of R"),
        RADIUS_UNITS,
        horizontal=True,
        key=W_UNIT,
        on_change=_unit_changed,
        format_func=labels(UNIT_NAMES),
        disabled=not distances,
    )
    low, high = _radius_limits(unit)
    unit_symbol = units.symbol(unit)
    bar.number_input(
        _("R, the band in Ukraine and the ring round Kharkiv ({unit})").format(unit=unit_symbol),
        min_value=low,
        max_value=high,
        step=1.0,
        format="%.2f",
        key=W_RADIUS,
        disabled=not distances,
        help=_("The article's figure is 12 miles. From {low} to {high} {unit}.").format(
            low=i18n.plain(low, 4), high=i18n.plain(high, 4), unit=unit_symbol
        ),
    )
    bar.selectbox(
        _("D, the counterfire depth into Russia"),
        [*zones.DEPTH_PRESETS, CUSTOM_DEPTH],
        key=W_PRESET,
        on_change=_preset_changed,
        disabled=not distances,
        format_func=labels(),
        help=_("Reach presets for the GMLRS rockets fired from HIMARS; the default is 80 km."),
    )
    low_km, high_km = zones.DEPTH_RANGE[0].km, zones.DEPTH_RANGE[1].km
    bar.number_input(
        _("D in km ({low}–{high})").format(low=i18n.plain(low_km, 4), high=i18n.plain(high_km, 4)),
        min_value=low_km,
        max_value=high_km,
        step=5.0,
        format="%.1f",
        key=W_DEPTH,
        on_change=_depth_changed,
        disabled=not distances,
    )
    if not distances:
        bar.caption(
            _(
                "This page uses its own distances; the settings here apply on the Map, Facts and "
                "Export pages."
            )
        )
    bar.subheader(_("Layers"))
    for spec in layers.REGISTRY:
        bar.toggle(_(spec.title), key=W_LAYER(spec.key), disabled=not shown)
    bar.radio(
        _("Basemap"),
        viewstate.BASEMAPS,
        key=W_BASEMAP,
        format_func=labels(BASEMAP_LABELS),
        disabled=not shown,
    )
    source_control(bar, disabled=not distances)
    bar.button(_("Reset to defaults"), on_click=_reset, icon="🔄", key="reset")

    params = Params(
        distance(s[W_RADIUS], s[W_UNIT]),
        distance(s[W_DEPTH], "km"),
        stages.BY_ID[s[W_STAGE]],
        s[W_SOURCE],
    )
    state = s[VIEW].with_(
        params=params,
        radius_unit=s[W_UNIT],
        layers=frozenset(k for k in LAYER_KEYS if s[W_LAYER(k)]),
        basemap=s[W_BASEMAP],
        lang=s[W_LANG],
    )
    publish(state)
    return state


def current() -> ViewState:
    """The view the frame set for this run (pages read it; they draw no controls)."""
    return st.session_state[VIEW]
