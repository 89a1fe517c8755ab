"""Export: the current view as a standalone HTML map, the layers as GeoJSON, GeoPackage and
KML, and a static figure (PNG, SVG, PDF) for slides and print."""

import streamlit as st

from geo import i18n
from geo.data import source
from geo.engine import layers as registry
from geo.engine import zones
from geo.i18n import N_, _
from geo.narrative import story
from geo.render import gis
from geo.render.print import figure
from geo.render.web import export, mapview, storypage
from pages.shared import embed, ui, viewstate

ui.leave_folder_navigation()

#: (format, scale, button label, MIME type) of the figure downloads.
FIGURE_FORMATS = (
    ("png", 1, "PNG", "image/png"),
    ("png", 2, N_("PNG, 2× for projectors"), "image/png"),
    ("svg", 1, "SVG", "image/svg+xml"),
    ("pdf", 1, "PDF", "application/pdf"),
)
FIGURE_SIZES = {"16:9": N_("Slide (16:9)"), "a4-portrait": N_("A4 portrait")}


def megabytes(text: str) -> str:
    """A download's size in MB, to one decimal, as the language writes it: ``1.2`` / ``1,2``."""
    return i18n.number(len(text.encode()) / 1e6, 1)


view = ui.current()
layers = ui.built(view.params)
page, notices = export.map_html(
    layers, view.basemap, show=view.shown(), radius_unit=view.radius_unit
)
geojson = export.geojson_text(layers)

st.title(_("Export the map"))
st.markdown(
    _(
        "The current view: R = {radius}, D = {depth}, basemap: {basemap}, {shown} of {total} "
        "layers shown. "
        "Change them in the sidebar; the file names and the files carry them."
    ).format(
        radius=viewstate.label(view.radius, view.radius_unit),
        depth=viewstate.label(view.depth, "km"),
        basemap=_(ui.BASEMAP_LABELS[view.basemap]).lower(),
        shown=len(view.layers),
        total=len(viewstate.LAYER_KEYS),
    )
    + " "
    + _("Border data: {source}.").format(source=source.BY_ID[view.source].name)
)
for notice in notices:
    st.info(ui.markdown_text(notice), icon="🧩")

html_column, geojson_column = st.columns(2)
with html_column:
    st.subheader(_("The map as one HTML file"))
    st.markdown(
        _(
            "Opens in any browser, with every script inside the file; only the OpenStreetMap "
            "tiles need the internet (none with the basemap set to none). Hidden layers can be "
            "switched on in the file's layer control."
        )
    )
    html_name = viewstate.file_name(view, "map", "html", basemap=True)
    st.download_button(
        _("Download the map (HTML, {size} MB)").format(size=megabytes(page)),
        page,
        file_name=html_name,
        mime="text/html",
        icon="🗺️",
        type="primary",
        on_click="ignore",
        key="download_html",
    )
    st.caption(ui.markdown_text(html_name))
with geojson_column:
    st.subheader(_("The layers as GeoJSON"))
    st.markdown(
        _(
            "Every layer and place as one RFC 7946 FeatureCollection (WGS84 longitude/latitude), "
            "each feature with R, D and its measured length or area; for QGIS, geojson.io or code."
        )
    )
    geojson_name = viewstate.file_name(view, "layers", "geojson")
    st.download_button(
        _("Download the layers (GeoJSON, {size} MB)").format(size=megabytes(geojson)),
        geojson,
        file_name=geojson_name,
        mime="application/geo+json",
        icon="⬇️",
        on_click="ignore",
        key="download_geojson",
    )
    st.caption(ui.markdown_text(geojson_name))

st.subheader(_("The layers for GIS tools"))
st.markdown(
    _(
        "The same layers and places as a GeoPackage for QGIS and other GIS tools (WGS84, "
        "EPSG:4326; one table per layer, with R, D, the stage, the border data and each figure as "
        "columns), or as a KML for Google Earth, in the map's colours. Made when you click."
    )
)
gpkg_column, kml_column = st.columns(2)
for column, ending, label, mime in (
    (gpkg_column, "gpkg", _("Download the layers (GeoPackage)"), "application/geopackage+sqlite3"),
    (kml_column, "kml", _("Download the layers (KML)"), "application/vnd.google-earth.kml+xml"),
):
    name = viewstate.file_name(view, "layers", ending)
    column.download_button(
        label,
        ui.deferred(gis.layers_file, layers, f".{ending}"),
        file_name=name,
        mime=mime,
        icon="⬇️",
        on_click="ignore",
        key=f"download_layers_{ending}",
    )
    column.caption(ui.markdown_text(name))

st.subheader(_("The story as one HTML file"))
st.markdown(
    _(
        "The Classroom's six steps for R = {radius} and D = {depth}, with the map in each step's "
        "state, in one file that opens in any browser from a USB stick; with the basemap set to "
        "none it needs no internet. Arrow keys or the buttons move through the steps; printing "
        "gives one step per page."
    ).format(radius=viewstate.label(view.radius, "mi"), depth=viewstate.label(view.depth, "km"))
)
told = zones.Params(radius=view.radius, depth=view.depth)


def story_file(told: zones.Params) -> str:
    """The story's page, its layers built when the button is clicked (from the engine's cache)."""
    built, later = registry.layers(told), registry.layers(story.later(told))
    return storypage.story_html(built, later, view.basemap)[0]


st.download_button(
    _("Download the story (HTML)"),
    ui.deferred(story_file, told),
    file_name=viewstate.file_name(view.with_(params=told), "story", "html", basemap=True),
    mime="text/html",
    icon="🏫",
    on_click="ignore",
    key="download_story",
)

st.subheader(_("A picture for slides and print"))
st.markdown(
    _(
        "The current view as a static figure with the same colours and line patterns, the place "
        "names, a legend in words, a scale bar in km and mi, a north arrow and the credits. It is "
        "drawn in the region's equidistant projection, so the scale bar is true. In SVG and PDF "
        "the "
        "text stays text, to edit or search."
    )
)
preset = st.radio(
    _("Shape"),
    list(FIGURE_SIZES),
    horizontal=True,
    key="figure_size",
    format_func=ui.labels(FIGURE_SIZES),
)
columns = st.columns(4)
for column, (fmt, scale, label, mime) in zip(columns, FIGURE_FORMATS):
    name = viewstate.file_name(view, "figure", fmt if scale == 1 else f"{scale}x.{fmt}")
    column.download_button(
        _(label),
        ui.deferred(
            figure.render,
            layers,
            shown=view.shown(),
            size=preset,
            fmt=fmt,
            scale=scale,
            radius_unit=view.radius_unit,
        ),
        file_name=name,
        mime=mime,
        on_click="ignore",
        key=f"download_figure_{fmt}_{scale}",
    )
st.caption(_("The figure is drawn when you click a button; a PNG takes about a second."))

st.subheader(_("A link to this view"))
st.markdown(_("The address in the browser's bar reproduces this view on any page. Its query part:"))
st.code("?" + "&".join(f"{k}={v}" for k, v in viewstate.to_query(view).items()), language=None)

st.subheader(_("The map in your own page"))
st.markdown(
    _(
        "Copy one of these into the HTML of your page. The first shows this app itself, its "
        "sidebar folded away, at this view: it needs this app's server. The second shows the "
        "map's HTML file (the download above), put beside your page: it suits a host that runs no "
        "server, and `kharkiv-map site` makes every page of the map for one."
    )
)
title = _(mapview.MAP_TITLE)
from_app, from_file = st.columns(2)
with from_app:
    st.markdown("**" + _("From this app (needs its server)") + "**")
    address = embed.app_address(st.context.url, "Export")
    st.code(embed.iframe(embed.app_source(address, view), title), language="html", wrap_lines=True)
with from_file:
    st.markdown("**" + _("From your own host (no server)") + "**")
    st.code(embed.iframe(html_name, title), language="html", wrap_lines=True)
