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
#: (script, title, URL path, uses the distances, uses the layer switches). Each screen's file is
#: named as its URL path: see ``pages.shared.ui.leave_folder_navigation``. A page is known by
#: its URL path, which is the same in every language; its title is written in the reader's.
PAGES = (
    ("pages/map.py", N_("Map"), "", True, True),
    ("pages/Facts.py", N_("Facts"), "Facts", True, False),
    ("pages/Classroom.py", N_("Classroom"), "Classroom", False, False),
    ("pages/Your_data.py", N_("Your data"), "Your_data", True, True),
    ("pages/Export.py", N_("Export"), "Export", True, True),
    ("pages/About.py", N_("About"), "About", False, False),
)
current = st.navigation(
    [
        st.Page(script, title=_(title), url_path=path or None, default=not path)
        for script, title, path, _distances, _shown in PAGES
    ]
)
path, uses_distances, uses_layers = next(
    (path, distances, shown)
    for _script, _title, path, distances, shown in PAGES
    if path == current.url_path
)

# The sidebar starts folded on the Classroom (a projector) and in another page's frame
# (Streamlit's embed mode, ?embed=true: the Export page's snippet).
sidebar_folded = path == "Classroom" or bool(st.context.is_embedded)
st.set_page_config(
    page_title=f"{current.title} · {_(TITLE)}",
    page_icon="🗺️",
    layout="wide",
    initial_sidebar_state="collapsed" if sidebar_folded else "expanded",
)
st.html(ui.PAGE_STYLE)
ui.document_language()
with ui.problems():
    ui.controls(distances=uses_distances, shown=uses_layers, stage_on_page=path == "")
    ui.url_warnings()
    current.run()
