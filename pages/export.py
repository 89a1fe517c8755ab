"""Export: the current view as a standalone HTML map, and the layers as GeoJSON."""

import streamlit as st

from geo import export, viewstate
from pages.shared import ui

view = ui.current()
layers = ui.built(view.params)
page, notices = export.map_html(layers, view.basemap, show=view.shown(), radius_unit=view.radius_unit)
geojson = export.geojson_text(layers)

st.title("Export the map")
st.markdown(
    f"The current view: R = {viewstate.label(view.radius, view.radius_unit)}, "
    f"D = {viewstate.label(view.depth, 'km')}, basemap: {ui.BASEMAP_LABELS[view.basemap].lower()}, "
    f"{len(view.layers)} of {len(viewstate.LAYER_KEYS)} layers shown. Change them in the sidebar; "
    "the file names and the files carry them."
)
for notice in notices:
    st.info(ui.markdown_text(notice), icon="🧩")

html_column, geojson_column = st.columns(2)
with html_column:
    st.subheader("The map as one HTML file")
    st.markdown("Opens in any browser, with every script inside the file; only the OpenStreetMap "
                "tiles need the internet (none with the basemap set to none). Hidden layers can be "
                "switched on in the file's layer control.")
    html_name = viewstate.file_name(view, "map", "html", basemap=True)
    st.download_button(
        f"Download the map (HTML, {len(page.encode()) / 1e6:.1f} MB)", page, file_name=html_name,
        mime="text/html", icon="🗺️", type="primary", on_click="ignore", key="download_html",
    )
    st.caption(ui.markdown_text(html_name))
with geojson_column:
    st.subheader("The layers as GeoJSON")
    st.markdown("Every layer and place as one RFC 7946 FeatureCollection (WGS84 longitude/latitude), "
                "each feature with R, D and its measured length or area; for QGIS, geojson.io or code.")
    geojson_name = viewstate.file_name(view, "layers", "geojson")
    st.download_button(
        f"Download the layers (GeoJSON, {len(geojson.encode()) / 1e6:.1f} MB)", geojson,
        file_name=geojson_name, mime="application/geo+json", icon="⬇️",
        on_click="ignore", key="download_geojson",
    )
    st.caption(ui.markdown_text(geojson_name))

st.subheader("A link to this view")
st.markdown("The address in the browser's bar reproduces this view on any page. Its query part:")
st.code("?" + "&".join(f"{k}={v}" for k, v in viewstate.to_query(view).items()), language=None)
