"""Export: the current view as a standalone HTML map, the layers as GeoJSON, and a static
figure (PNG, SVG, PDF) for slides and print."""

from functools import partial

import streamlit as st

from geo import export, figure, viewstate
from pages.shared import ui

ui.leave_folder_navigation()

#: (format, scale, button label, MIME type) of the figure downloads.
FIGURE_FORMATS = (
    ("png", 1, "PNG", "image/png"),
    ("png", 2, "PNG, 2× for projectors", "image/png"),
    ("svg", 1, "SVG", "image/svg+xml"),
    ("pdf", 1, "PDF", "application/pdf"),
)
FIGURE_SIZES = {"16:9": "Slide (16:9)", "a4-portrait": "A4 portrait"}

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

st.subheader("A picture for slides and print")
st.markdown("The current view as a static figure with the same colours and line patterns, the place "
            "names, a legend in words, a scale bar in km and mi, a north arrow and the credits. It is "
            "drawn in the region's equidistant projection, so the scale bar is true. In SVG and PDF the "
            "text stays text, to edit or search.")
preset = st.radio("Shape", list(FIGURE_SIZES), horizontal=True, key="figure_size", format_func=FIGURE_SIZES.get)
columns = st.columns(4)
for column, (fmt, scale, label, mime) in zip(columns, FIGURE_FORMATS):
    name = viewstate.file_name(view, "figure", fmt if scale == 1 else f"{scale}x.{fmt}")
    column.download_button(
        label, partial(figure.render, layers, shown=view.shown(), size=preset, fmt=fmt, scale=scale,
                       radius_unit=view.radius_unit),
        file_name=name, mime=mime, on_click="ignore", key=f"download_figure_{fmt}_{scale}",
    )
st.caption("The figure is drawn when you click a button; a PNG takes about a second.")

st.subheader("A link to this view")
st.markdown("The address in the browser's bar reproduces this view on any page. Its query part:")
st.code("?" + "&".join(f"{k}={v}" for k, v in viewstate.to_query(view).items()), language=None)
