"""About: what the map shows and how, written from the engine's own constants."""

import streamlit as st

from geo.engine import facts
from geo.i18n import _
from geo.narrative import about
from pages.shared import ui, viewstate

ui.leave_folder_navigation()

figures = facts.figures(ui.built(viewstate.DEFAULT.params))

st.title(_("About this map"))
for heading, text in about.sections(figures, facts.every_source()):
    st.subheader(heading)
    st.markdown(text)
