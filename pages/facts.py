"""Facts: the measured figures, the article's claim beside the measurement, and a CSV."""

import streamlit as st

from geo import facts, tables, viewstate
from geo.units import length_text
from pages.shared import ui

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
