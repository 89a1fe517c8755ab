"""Facts: the measured figures, the article's claim beside the measurement, and a CSV."""

import streamlit as st

from pages.shared import ui
from geo import tables, viewstate

ui.page("Facts")
with ui.problems():
    view = ui.controls(shown=False)
    figures = ui.figures_for(view)

st.title("Facts: what the map measures")
ui.url_warnings()
st.markdown(f"For R = {viewstate.label(view.radius, view.radius_unit)} and "
            f"D = {viewstate.label(view.depth, 'km')}. Distances, lengths and areas are geodesic, "
            "on the WGS84 ellipsoid.")

st.subheader("The article's figure beside the measurement")
claim = tables.claims(figures)[0]
left, right = st.columns(2)
left.metric("The article: Kharkiv to the Russian border", claim["The article says"])
right.metric("Measured: city centre to the nearest border point",
             f"{figures['kharkiv_to_border_km']:.1f} km ({figures['kharkiv_to_border_mi']:.1f} mi)")
st.dataframe(tables.claims(figures), hide_index=True, width="stretch")

st.subheader("Lengths, distances and areas")
st.dataframe(tables.figure_rows(figures), hide_index=True, width="stretch",
             column_config={"Value": st.column_config.NumberColumn(format="%.1f")})

st.subheader("The places")
st.dataframe(tables.place_rows(figures), hide_index=True, width="stretch")
st.subheader("Distances between the cities")
st.dataframe(tables.city_distances(), hide_index=True, width="stretch")

st.download_button(
    "Download every figure (CSV)", ui.facts_csv(view.radius_m, view.depth_m),
    file_name=viewstate.file_name(view, "facts", "csv"), mime="text/csv", icon=":material/download:",
    on_click="ignore",
)
