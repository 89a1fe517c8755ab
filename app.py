"""The Kharkiv border map in Streamlit: the entry file and the frame every page shares.

Run with ``streamlit run app.py`` (``make run``). It declares the pages (screens in
``pages/``), then draws once, for whichever page is open: the page setup, the sidebar
controls kept in step with the URL, the URL's warnings, and the guard that turns a missing
or altered data file or map script into one sentence.
"""

import streamlit as st

from geo import i18n
from pages.shared import ui

# The language first: every string drawn in this run is written in it (``?lang=uk``, the
# sidebar's selector).
i18n.set_language(ui.language())

TITLE = "Kharkiv border map"
#: (script, title, URL path, uses the distances, uses the layer switches). Each screen's file is
#: named as its URL path: see ``pages.shared.ui.leave_folder_navigation``.
PAGES = (
    ("pages/map.py", "Map", "", True, True),
    ("pages/Facts.py", "Facts", "Facts", True, False),
    ("pages/Classroom.py", "Classroom", "Classroom", False, False),
    ("pages/Your_data.py", "Your data", "Your_data", True, True),
    ("pages/Export.py", "Export", "Export", True, True),
    ("pages/About.py", "About", "About", False, False),
)
pages = {
    title: st.Page(script, title=title, url_path=path or None, default=not path)
    for script, title, path, _, _ in PAGES
}
current = st.navigation(list(pages.values()))
uses = next((distances, shown) for _, title, _, distances, shown in PAGES if title == current.title)

st.set_page_config(page_title=f"{current.title} · {TITLE}", page_icon="🗺️", layout="wide",
                   initial_sidebar_state="collapsed" if current.title == "Classroom" else "expanded")
st.html(ui.PAGE_STYLE)
with ui.problems():
    ui.controls(distances=uses[0], shown=uses[1], stage_on_page=current.title == "Map")
    ui.url_warnings()
    current.run()
