"""What the app's screens share (``pages.shared.ui``). Streamlit makes a page of every
``pages/*.py`` file but not of this folder, so shared screen code lives here."""

from geo import lightimport

# Before anything here imports folium: the map needs no pandas, whose import would double the
# first page's start (geo.lightimport).
lightimport.import_folium()
