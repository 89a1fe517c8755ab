"""About: what the map shows and how, written from the engine's own constants."""

import streamlit as st

from pages.shared import ui
from geo import about, viewstate

ui.page("About")
with ui.problems():
    view = ui.controls(distances=False, shown=False)
    figures = ui.figures(viewstate.DEFAULT.radius_m, viewstate.DEFAULT.depth_m)

st.title("About this map")
ui.url_warnings()
for heading, text in about.sections(figures):
    st.subheader(heading)
    st.markdown(text)
