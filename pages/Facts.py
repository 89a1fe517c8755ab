"""Facts: the measured figures, the article's claim beside the measurement, and a CSV."""

import streamlit as st

from geo import facts, stages, tables, viewstate
from geo.units import length_text
from pages.shared import ui

ui.leave_folder_navigation()

view = ui.current()
figures = facts.figures(ui.built(view.params))

st.title("Facts: what the map measures")
st.markdown(f"For R = {viewstate.label(view.radius, view.radius_unit)} and "
            f"D = {viewstate.label(view.depth, 'km')}. Distances, lengths and areas are geodesic, "
            "on the WGS84 ellipsoid.")

st.subheader("The article's figure beside the measurement")
claim = tables.claims(figures)[0]
left, right = st.columns(2)
left.metric("The article: Kharkiv to the Russian border", claim["The article says"])
right.metric("Measured: city centre to the nearest border point", length_text(figures.kharkiv_to_border))
st.dataframe(tables.claims(figures), hide_index=True, width="stretch")

st.subheader("Lengths, distances and areas")
st.dataframe(tables.figure_rows(figures), hide_index=True, width="stretch")

st.subheader("The places")
st.caption("Russia and Ukraine are label points where the names are written, so they have no distances.")
st.dataframe(tables.place_rows(figures), hide_index=True, width="stretch")
st.subheader("Distances between the cities")
st.dataframe(tables.city_distances(), hide_index=True, width="stretch")

st.download_button(
    "Download every figure (CSV)", tables.csv_text(figures),
    file_name=viewstate.file_name(view, "facts", "csv"), mime="text/csv", icon="⬇️", on_click="ignore",
)

st.subheader("The policy over time, and the sanctuary")
st.markdown(f"For D = {viewstate.label(view.depth, 'km')}: the Russian territory within 300 km (ATACMS reach) of "
            "the land border that each stage permitted U.S. weapons to strike, what it left off-limits, "
            "and the permitted share of the reach.")
rows = facts.stage_figures(view.params)
st.dataframe(tables.stage_rows(rows), hide_index=True, width="stretch")
published, measured = st.columns(2)
may = next(row for row in rows if row.stage.id == "2024-05-30")
published.metric("Published: the May change reduced the sanctuary by", f"at most {stages.PUBLISHED_SHARE:.0%}")
published.caption(f"“{ui.markdown_text(stages.PUBLISHED_QUOTE)}” ({ui.markdown_text(stages.PUBLISHED_SOURCE)}). "
                  + ui.markdown_text(stages.PUBLISHED_DEFINITION))
measured.metric("Measured here: share of the reach permitted on 30 May 2024", f"{may.permitted_share:.1%}")
measured.caption(ui.markdown_text(stages.MEASURED_DEFINITION))
st.markdown(ui.markdown_text(stages.WHY_DIFFERENT))
