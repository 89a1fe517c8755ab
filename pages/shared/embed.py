"""The map inside someone else's page: an ``<iframe>`` snippet for the view.

Two kinds, side by side on the Export page: the app itself in Streamlit's embed mode
(``?embed=true``: no sidebar, no header, no footer) with the view's query parameters
(``viewstate.to_query``), for a page that can rely on this app's server; and the standalone
page (``kharkiv-map export`` or the Export page's download) put beside the host page, for a
host that runs no server. Every attribute value goes through ``geo.core.escape.html_text``.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from geo.core.escape import html_text
from pages.shared.viewstate import ViewState, to_query

#: The frame's height in CSS pixels: the map and its legend, with room for the controls.
HEIGHT = 640
#: Where the embedded map comes from when the app's own address is not known.
PLACEHOLDER = "https://your-map-server.example/"


def app_address(page_url: str | None, page_path: str) -> str:
    """The address of the app's first page (the map) from the address of one of its pages
    (``st.context.url``, which names the page) and that page's URL path.

    >>> app_address("https://maps.example/kharkiv/Export", "Export")
    'https://maps.example/kharkiv/'
    >>> app_address(None, "Export")
    'https://your-map-server.example/'
    """
    if not page_url:
        return PLACEHOLDER
    parts = urlsplit(page_url)
    path = parts.path.rstrip("/")
    if page_path and path.endswith("/" + page_path):
        path = path[: -len(page_path) - 1]
    return urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


def app_source(address: str, view: ViewState) -> str:
    """The map of ``view`` in Streamlit's embed mode, at the app's ``address``."""
    return address + "?" + urlencode({"embed": "true", **to_query(view)}, safe=",")


def iframe(source: str, title: str, height: int = HEIGHT) -> str:
    """An ``<iframe>`` element showing ``source``, named ``title`` for screen readers.

    >>> iframe("map.html?a=1&b=2", 'The "map"')[:62]
    '<iframe src="map.html?a=1&amp;b=2" title="The &quot;map&quot;"'
    """
    return (
        f'<iframe src="{html_text(source)}" title="{html_text(title)}" width="100%" '
        f'height="{int(height)}" style="border:0" loading="lazy" allowfullscreen></iframe>'
    )
