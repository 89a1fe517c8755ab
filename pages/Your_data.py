"""Your data: a GeoJSON, KML or CSV file of your own, classified against the zones, drawn on
the map, listed, and downloadable with the answers. Nothing of an upload is stored: it is
read in memory for this session only."""

import streamlit as st

from geo import i18n
from geo.engine import classify
from geo.i18n import _, ngettext
from geo.render import gis
from geo.render.web import userlayer
from geo.userfiles import reading, userdata
from pages.shared import mapcomponent, ui, viewstate

ui.leave_folder_navigation()

view = ui.current()
layers = ui.built(view.params)

st.title(_("Your own places and areas"))
st.markdown(
    _(
        "Upload a list of points, lines or areas (reported strikes, airfields, towns, a unit's "
        "area) to see "
        "which zone each lies in, its country, and its geodesic distances to the border and to "
        "Kharkiv, for "
        "the view set in the sidebar. GeoJSON, KML, or CSV with latitude and longitude columns; "
        "up to 20 MB, {count} features and {vertices} vertices. The file is read in memory for "
        "this session and not kept."
    ).format(count=i18n.number(reading.MAX_FEATURES), vertices=i18n.number(reading.MAX_VERTICES))
)
upload = st.file_uploader(_("Your file"), type=["geojson", "json", "kml", "csv"], key="user_file")
with st.expander(_("CSV options: column names and encoding")):
    left, middle, right = st.columns(3)
    # Keyed, so that a change of language (which changes the labels) keeps what was typed.
    lat_column = left.text_input(
        _("Latitude column"),
        key="csv_lat_column",
        help=_("Found by its header (lat, latitude, y …) when empty"),
    )
    lon_column = middle.text_input(
        _("Longitude column"),
        key="csv_lon_column",
        help=_("Found by its header (lon, lng, longitude, x …) when empty"),
    )
    encoding = right.text_input(
        _("Encoding"), key="csv_encoding", help=_("When the file is not UTF-8, e.g. cp1251")
    )

if upload is None:
    st.info(_("No file yet. Try a CSV with a header row such as `name,lat,lon`."), icon="📄")
    st.stop()

# Read and classified within a time budget, every failure one sentence, the memory the work
# used handed back to the system after it (geo.engine.classify.read_and_classify).
try:
    data, rows = classify.read_and_classify(
        upload.getvalue(),
        upload.name,
        layers,
        seconds=classify.UPLOAD_SECONDS,
        encoding=encoding or None,
        lat_column=lat_column or None,
        lon_column=lon_column or None,
    )
except userdata.UserDataError as err:
    st.error(ui.markdown_text(str(err)), icon="⚠️")
    st.stop()
if data.messages:
    st.warning("\n".join(f"- {ui.markdown_text(m)}" for m in data.messages), icon="📄")
read = ngettext(
    "**{count} feature** read from {file}", "**{count} features** read from {file}", len(rows)
).format(count=i18n.number(len(rows)), file=ui.markdown_text(upload.name))
skipped = (
    _(", {count} skipped (see above).").format(count=i18n.number(data.skipped))
    if data.skipped
    else "."
)
st.markdown(read + skipped)

title = _("Your file: {name}").format(name=upload.name)
base, zones, _notices = ui.map_frame(view, extra_legend=(userlayer.legend_entry(title, len(rows)),))
mapcomponent.show(base, {**zones, "features": userlayer.features(rows)}, key="user_map", height=560)

# The columns are the downloads' (``km_…``), named the same in every language.
st.dataframe([classify.answers(row, layers) for row in rows], hide_index=True, width="stretch")
stem = viewstate.file_name(view, "answers", "x").removesuffix(".x")
left, right, third = st.columns(3)
left.download_button(
    _("Download the answers (CSV)"),
    ui.deferred(classify.to_csv, rows, layers),
    file_name=f"{stem}.csv",
    mime="text/csv",
    on_click="ignore",
    key="download_answers_csv",
)
right.download_button(
    _("Download the answers (GeoJSON)"),
    ui.deferred(classify.to_geojson, rows, layers),
    file_name=f"{stem}.geojson",
    mime="application/geo+json",
    on_click="ignore",
    key="download_answers_geojson",
)
third.download_button(
    _("Download the answers (GeoPackage)"),
    ui.deferred(gis.answers_gpkg, rows, layers),
    file_name=f"{stem}.gpkg",
    mime="application/geopackage+sqlite3",
    on_click="ignore",
    key="download_answers_gpkg",
)
