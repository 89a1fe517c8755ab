"""The map: the zones for R and D, and what is at any point clicked."""

import streamlit as st

from geo.core.escape import html_text
from geo.core.units import length_text
from geo.engine import gazetteer, query
from geo.i18n import _
from pages.shared import mapcomponent, ui

ui.leave_folder_navigation()

SELECTION, FOUND = "selection", "found_place"
FOUND_ZOOM = 9
#: The opening view on this page: Kharkiv clear of the legend (right of it), the counterfire zone whole.
OPENING_CENTRE, OPENING_ZOOM = (49.75, 36.0), 7

view = ui.current()
layers = ui.built(view.params)
base, zones, notices = ui.map_frame(view)

st.markdown(
    "#### " + _("Kharkiv, May 2024: where U.S. weapons could strike back across the border")
)
stage = view.params.stage
label, title, description, source = (
    ui.markdown_text(_(text))
    for text in (stage.label, stage.title, stage.description, stage.source)
)
st.caption(f"**{label}: {title}.** {description} ({source})")
for notice in notices:
    st.info(ui.markdown_text(notice), icon="🧩")

map_column, answer_column = st.columns([3, 1], gap="small")


def search() -> None:
    """Find the place typed in the search box: offline, and online only when turned on."""
    name = st.session_state.get("place_name", "").strip()
    if not name:
        return
    try:
        found = gazetteer.find(name, layers, online=st.session_state.get("place_online", False))
    except gazetteer.PlaceNameError as err:
        st.session_state[SELECTION] = ("not found", str(err))
        return
    if found.answer is None:
        st.session_state[SELECTION] = ("not found", found.message)
    else:
        best = found.matches[0]
        st.session_state[SELECTION] = (
            "search",
            best.name,
            best.lat,
            best.lon,
            best.source,
            found.message,
        )
        # The map centres on the place and keeps its marker until the next search.
        st.session_state[FOUND] = (best.name, best.lat, best.lon)


with answer_column:
    st.text_input(
        _("Find a place"),
        key="place_name",
        on_change=search,
        placeholder=_("Kharkiv, Харків, Belgorod …"),
    )
    st.toggle(
        _("Also search online (OpenStreetMap)"),
        key="place_online",
        on_change=search,
        help=_(
            "Only when nothing matches offline; needs internet. Offline, the cities of Ukraine, "
            "Russia "
            "and their neighbours are found by any of their GeoNames spellings."
        ),
    )

centre, zoom, overlay = OPENING_CENTRE, OPENING_ZOOM, zones
if FOUND in st.session_state:
    name, lat, lon = st.session_state[FOUND]
    centre, zoom = (lat, lon), FOUND_ZOOM
    overlay = {**zones, "marker": {"lat": lat, "lon": lon, "name": html_text(name)}}
with map_column:
    # Only clicks come back: panning and zooming do not rerun the page. A new R, D or stage
    # changes only the overlay: the browser keeps the map and its view, and swaps the zones.
    clicked = mapcomponent.show(
        base, overlay, key="map", height=660, view=(centre, zoom), events=True
    )
    ui.map_description(layers, view.shown(), view.radius_unit)

# A click on a place's marker asks about the place; on the map, or on the found place's
# marker, about the point.
if clicked.marker is not None and query.place_named(clicked.marker):
    st.session_state[SELECTION] = ("place", query.place_named(clicked.marker).name)
elif clicked.point is not None:
    st.session_state[SELECTION] = ("point", *clicked.point)


def show_answer(answer: query.Answer) -> None:
    st.markdown(f"**{query.area_name(answer.area)}**  \n{ui.markdown_text(answer.sentence)}")
    to_border, to_kharkiv = _("To the border"), _("To Kharkiv's centre")
    st.markdown(
        f"- {to_border}: **{length_text(answer.to_border)}**\n"
        f"- {to_kharkiv}: **{length_text(answer.to_kharkiv)}**"
    )
    st.caption(answer.coordinates + " · " + _("geodesic distances on the WGS84 ellipsoid"))


def show_place(found: query.PlaceAnswer) -> None:
    place = found.place
    context = (
        "" if place.named_in_article else " *(" + _("context, not named in the article") + ")*"
    )
    st.markdown(f"**{ui.markdown_text(_(place.name))}**{context}")
    if place.quote:
        # The article's words stay in English; the reference under them says so in another language.
        where = _("(the article, paragraph {paragraph})").format(paragraph=place.paragraph)
        st.markdown(f"> “{ui.markdown_text(place.quote)}”\n>\n> {where}")
    st.caption(ui.markdown_text(_(place.note)))
    if found.answer is None:
        st.markdown(_("A label point for the country's name, not a place measured from."))
    else:
        show_answer(found.answer)


with answer_column:
    st.subheader(_("What is here?"))
    selection = st.session_state.get(SELECTION)
    if selection is None:
        st.markdown(
            _(
                "Click anywhere on the map: you get the coordinates, the distances to the border "
                "and to Kharkiv, and which area the point is in. Click a marker for its quote "
                "from the article."
            )
        )
    elif selection[0] == "place":
        show_place(query.about_place(layers, query.place_named(selection[1])))
    elif selection[0] == "search":
        _kind, name, lat, lon, source, note = selection
        st.markdown(f"**{ui.markdown_text(name)}**")
        st.caption(ui.markdown_text(source))
        show_answer(query.what_is_here(layers, lat, lon))
        if note:
            st.caption(ui.markdown_text(note))
    elif selection[0] == "not found":
        st.warning(ui.markdown_text(selection[1]))
    else:
        try:
            show_answer(query.what_is_here(layers, selection[1], selection[2]))
        except query.PointError as err:
            st.warning(ui.markdown_text(str(err)))
