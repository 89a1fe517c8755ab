"""Your data: a GeoJSON, KML or CSV file of your own, classified against the zones, drawn on
the map, listed, and downloadable with the answers. Nothing of an upload is stored: it is
read in memory for this session only."""

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from geo import classify, userdata, userlayer, viewstate
from pages.shared import ui

ui.leave_folder_navigation()

view = ui.current()
layers = ui.built(view.params)

st.title("Your own places and areas")
st.markdown("Upload a list of points, lines or areas (reported strikes, airfields, towns, a unit's area) to see "
            "which zone each lies in, its country, and its geodesic distances to the border and to Kharkiv, for "
            "the view set in the sidebar. GeoJSON, KML, or CSV with latitude and longitude columns; up to 20 MB "
            "and 50,000 features. The file is read in memory for this session and not kept.")
upload = st.file_uploader("Your file", type=["geojson", "json", "kml", "csv"], key="user_file")
with st.expander("CSV options: column names and encoding"):
    left, middle, right = st.columns(3)
    lat_column = left.text_input("Latitude column", help="Found by its header (lat, latitude, y …) when empty")
    lon_column = middle.text_input("Longitude column", help="Found by its header (lon, lng, longitude, x …) when empty")
    encoding = right.text_input("Encoding", help="When the file is not UTF-8, e.g. cp1251")

if upload is None:
    st.info("No file yet. Try a CSV with a header row such as `name,lat,lon`.", icon="📄")
    st.stop()

try:
    data = userdata.read(upload.getvalue(), upload.name, encoding=encoding or None,
                         lat_column=lat_column or None, lon_column=lon_column or None)
except userdata.UserDataError as err:
    st.error(ui.markdown_text(str(err)), icon="⚠️")
    st.stop()
rows = classify.classify(data, layers)
if data.messages:
    st.warning("\n".join(f"- {ui.markdown_text(m)}" for m in data.messages), icon="📄")
st.markdown(f"**{len(rows):,} features** read from {ui.markdown_text(upload.name)}"
            + (f", {data.skipped:,} skipped (see above)." if data.skipped else "."))

title = f"Your file: {upload.name}"
m, _ = ui.folium_map(view, extra_legend=(userlayer.legend_entry(title, len(rows)),))
st_folium(m, key="user_map", height=560, use_container_width=True, returned_objects=[],
          feature_group_to_add=userlayer.feature_group(rows, title))

st.dataframe([classify.answers(row, layers) for row in rows], hide_index=True, width="stretch")
stem = viewstate.file_name(view, "answers", "x").removesuffix(".x")
left, right = st.columns(2)
left.download_button("Download the answers (CSV)", partial(classify.to_csv, rows, layers), file_name=f"{stem}.csv",
                     mime="text/csv", on_click="ignore", key="download_answers_csv")
right.download_button("Download the answers (GeoJSON)", partial(classify.to_geojson, rows, layers),
                      file_name=f"{stem}.geojson", mime="application/geo+json", on_click="ignore",
                      key="download_answers_geojson")
