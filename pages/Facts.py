"""Facts: the measured figures, the article's claim beside the measurement, a CSV, and the
figures of both border sources side by side."""

import streamlit as st

from geo import i18n
from geo.core.units import length_text
from geo.data import source
from geo.engine import facts, stages
from geo.i18n import _
from geo.narrative import tables
from pages.shared import ui, viewstate

ui.leave_folder_navigation()

view = ui.current()
figures = facts.figures(ui.built(view.params))
radius, depth = viewstate.label(view.radius, view.radius_unit), viewstate.label(view.depth, "km")

st.title(_("Facts: what the map measures"))
st.markdown(
    _(
        "For R = {radius} and D = {depth}. Distances, lengths and areas are geodesic, on the WGS84 "
        "ellipsoid."
    ).format(radius=radius, depth=depth)
    + " "
    + _("Border data: {source}.").format(source=source.BY_ID[view.source].name)
)

st.subheader(_("The article's figure beside the measurement"))
claim = tables.claims(figures)
_what, article_says, *_rest = claim[
    0
].values()  # by position: the engine names the columns in the reader's language
left, right = st.columns(2)
left.metric(_("The article: Kharkiv to the Russian border"), article_says)
right.metric(
    _("Measured: city centre to the nearest border point"), length_text(figures.kharkiv_to_border)
)
st.dataframe(claim, hide_index=True, width="stretch")

st.subheader(_("Lengths, distances and areas"))
st.dataframe(tables.figure_rows(figures), hide_index=True, width="stretch")

st.subheader(_("The places"))
st.caption(
    _("Russia and Ukraine are label points where the names are written, so they have no distances.")
)
st.dataframe(tables.place_rows(figures), hide_index=True, width="stretch")
st.subheader(_("Distances between the cities"))
st.dataframe(tables.city_distances(), hide_index=True, width="stretch")

st.download_button(
    _("Download every figure (CSV)"),
    tables.csv_text(figures),
    file_name=viewstate.file_name(view, "facts", "csv"),
    mime="text/csv",
    icon="⬇️",
    on_click="ignore",
)

st.subheader(_("Two border sources, side by side"))
st.markdown(
    _(
        "The same figures for the default view (R = {radius}, D = {depth}, {stage}) from each "
        "border source, how far the second is from the first, and the published lengths. "
        "Lengths depend on the scale a border was drawn at; areas much less (see About)."
    ).format(
        radius=viewstate.label(viewstate.DEFAULT.radius, "mi"),
        depth=viewstate.label(viewstate.DEFAULT.depth, "km"),
        stage=stages.DEFAULT.label,
    )
)
st.dataframe(tables.source_rows(facts.every_source()), hide_index=True, width="stretch")
st.caption(
    _(
        "Published lengths are as their publishers gave them (in English); reports differ, and "
        "none says how it was measured."
    )
)

st.subheader(_("The policy over time, and the sanctuary"))
st.markdown(
    _(
        "For D = {depth}: the Russian territory within 300 km (ATACMS reach) of the land border "
        "that each "
        "stage permitted U.S. weapons to strike, what it left off-limits, and the permitted "
        "share of the "
        "reach."
    ).format(depth=depth)
)
rows = facts.stage_figures(view.params)
st.dataframe(tables.stage_rows(rows), hide_index=True, width="stretch")
published, measured = st.columns(2)
may = next(row for row in rows if row.stage.id == "2024-05-30")
published.metric(
    _("Published: the May change reduced the sanctuary by"),
    _("at most {share}").format(share=i18n.percent(stages.PUBLISHED_SHARE, 0)),
)
# The published words stay in English; in another language the note after them says so.
quoted = _("“{quote}” ({source}).").format(
    quote=ui.markdown_text(stages.PUBLISHED_QUOTE),
    source=ui.markdown_text(_(stages.PUBLISHED_SOURCE)),
)
published.caption(quoted + " " + ui.markdown_text(_(stages.PUBLISHED_DEFINITION)))
measured.metric(
    _("Measured here: share of the reach permitted on 30 May 2024"),
    i18n.percent(may.permitted_share, 1),
)
measured.caption(ui.markdown_text(_(stages.MEASURED_DEFINITION)))
st.markdown(ui.markdown_text(_(stages.WHY_DIFFERENT)))
