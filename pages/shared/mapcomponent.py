"""The map in the page: the app's own Streamlit component, made with Streamlit's public custom
components API (``st.components.v2.component``, Streamlit 1.51 and later), which draws in the
page itself, with no iframe.

folium renders the map; the component mounts what it rendered and keeps it. :func:`show`
gives the browser the map's base, rendered once per view and shared by every session
(``geo.render.web.page.Hosted``: the scripts and stylesheets to load from the app's own static
files, the map's styles, HTML and script), and the overlay of this view as data
(``geo.render.web.mapview.overlay``, perhaps with a user's features or a found place). The
component's script (``mapcomponent.js``, this project's own code) loads Leaflet and its plugins
once per browser tab, draws a new map only for a new base, and otherwise swaps the overlay in
the same Leaflet map, so the reader's pan and zoom stay. It sends back a click on the map and a
click on a marker, and nothing on pan or hover.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from geo.data.display import DECODER_JS
from geo.i18n import _
from geo.render.web.page import Hosted

HERE = Path(__file__).resolve().parent

#: The component: the browser's side is mapcomponent.js (after the geometry decoder it calls)
#: and mapcomponent.css, in the page's own styles (``isolate_styles=False``), as Leaflet's
#: stylesheets and the map's own have to be.
MOUNT = st.components.v2.component(
    "kharkiv_border_map",
    css=(HERE / "mapcomponent.css").read_text(encoding="utf-8"),
    js=DECODER_JS + "\n" + (HERE / "mapcomponent.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)


@dataclass(frozen=True)
class Clicked:
    """What the reader clicked in the run this click started: a point of the map
    (``point``: latitude, longitude), or a marker (``marker``: its tooltip's text, and where
    it is, ``point``). Both None in any other run."""

    point: tuple[float, float] | None = None
    marker: str | None = None


def _ignore() -> None:
    """The callback a trigger value needs to be returned: the page reads the value itself."""


def show(
    base: Hosted,
    overlay: dict,
    *,
    key: str,
    height: int,
    view: tuple[tuple[float, float], int] | None = None,
    events: bool = False,
) -> Clicked:
    """Draw ``base`` with ``overlay`` on it, ``height`` pixels high across the column (less on
    a phone), opening on ``view`` (centre, zoom) and moving there again whenever ``view``
    changes. With ``events``, return what was clicked (else nothing is ever sent back)."""
    data = {
        "base": base.as_data(),
        "overlay": overlay,
        "view": None if view is None else {"center": list(view[0]), "zoom": view[1]},
        "height": height,
        "events": events,
        "failed": _("The map could not be drawn ({error})."),
    }
    callbacks = {"on_click_change": _ignore, "on_marker_change": _ignore} if events else {}
    result = MOUNT(key=key, data=data, **callbacks)
    if not events:
        return Clicked()
    marker, click = result.marker, result.click
    if marker:
        return Clicked((marker["lat"], marker["lng"]), marker.get("name") or "")
    if click:
        return Clicked((click["lat"], click["lng"]))
    return Clicked()
