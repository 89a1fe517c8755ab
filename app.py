"""The Kharkiv border map in Streamlit: the entry file and the frame every page shares.

Run with ``streamlit run app.py`` (``make run``). It declares the pages (screens in
``pages/``), then draws once, for whichever page is open: the page setup, the sidebar
controls kept in step with the URL, the URL's warnings, and the guard that turns a missing
or altered data file or map script into one sentence.
"""

import streamlit as st

from geo import i18n
from geo.i18n import N_, _
from pages.shared import ui

# The language first: every string drawn in this run is written in it (``?lang=uk``, the
# sidebar's selector).
i18n.set_language(ui.language())

TITLE = N_("Kharkiv border map")
current, screen = ui.navigation()
# The sidebar starts folded on the Classroom (a projector) and in another page's frame
# (Streamlit's embed mode, ?embed=true: the Export page's snippet).
sidebar_folded = screen.path == "Classroom" or bool(st.context.is_embedded)
st.set_page_config(
    page_title=f"{current.title} · {_(TITLE)}",
    page_icon="🗺️",
    layout="wide",
    initial_sidebar_state="collapsed" if sidebar_folded else "expanded",
)
st.html(ui.PAGE_STYLE)
ui.document_language()
with ui.problems():
    ui.controls(distances=screen.distances, shown=screen.layers, stage_on_page=screen.path == "")
    ui.url_warnings()
    ui.in_frame()
    current.run()
