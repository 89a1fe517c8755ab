"""The map's own Leaflet elements, each a folium ``MacroElement`` with its template on the
class and its values passed through ``tojson`` (Jinja's, which also escapes ``<``, ``>``,
``&`` and ``'``), so nothing in them is read as HTML or ends the script.

* :class:`LeanMap`: ``folium.Map`` without jQuery, which nothing on this map uses.
* :class:`ZoomControl`: Leaflet's zoom buttons, with their titles in the page's language.
* :class:`GeometryDecoder`: the page's decoder of the compact drawings (``geo.data.display``).
* :class:`DrawnShape`: one layer's drawing (compact text made once when the layer was
  built, embedded as it is: never parsed and written again) with its style and tooltip.
* :class:`PlacePopup`: a popup whose HTML (escaped by its maker) is set through a
  ``<div>``'s ``innerHTML``, where folium's Popup needs jQuery's ``$(...)``.
* :class:`Background`: the plain background colour of the tile-free basemap.
* :class:`OutlineMiniMap`: the MiniMap plugin drawing country outlines instead of tiles.
* :class:`Panes`: Leaflet panes under the overlay pane, letting the pointer through.
* :class:`Description`: the map in words for screen readers, escaped by ``html_text``.
* :class:`FocusAndPrint`: visible keyboard focus, and a print layout without the controls.
* :class:`SmallScreens`: the map on a phone: tap targets of 44 px, text of 16 px, the layer
  control folded and the mini-map left out, so the map is seen first.
* :class:`LayerGroup`: a layer's ``FeatureGroup`` that knows which layer it draws.
"""

from __future__ import annotations

import re

import folium
import folium.plugins
from branca.element import MacroElement
from folium.template import Template

from geo.core.escape import html_text
from geo.data.display import DECODER_JS
from geo.i18n import _

#: The media query of a small screen (a phone, or a short window, such as a phone held
#: sideways): there the map's controls and legend start folded (:class:`SmallScreens`,
#: ``geo.render.web.legend.Legend``), tap targets are 44 px and text 16 px at least.
SMALL_SCREEN = "(max-width: 480px), (max-height: 500px)"


class LeanMap(folium.Map):
    """folium's map without the jQuery script: folium links it for its Popup template and
    ``keep_in_front``, neither of which this map uses (:class:`PlacePopup` instead)."""

    default_js = [(name, url) for name, url in folium.Map.default_js if "jquery" not in url.lower()]


class ZoomControl(MacroElement):
    """Leaflet's zoom buttons (on a map made with ``zoom_control=False``) with their titles,
    which Leaflet also gives the buttons as their accessible names."""

    _template = Template(
        "{% macro script(this, kwargs) %}L.control.zoom({{ this.options|tojson }})"
        ".addTo({{ this._parent.get_name() }});{% endmacro %}"
    )

    def __init__(self, zoom_in: str, zoom_out: str):
        super().__init__()
        self._name = "ZoomControl"
        self.options = {"position": "topleft", "zoomInTitle": zoom_in, "zoomOutTitle": zoom_out}


class GeometryDecoder(MacroElement):
    """Defines ``kharkivGeometry`` (``geo.data.display.DECODER_JS``), which the shapes and
    outlines below call; added to the map before them."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "GeometryDecoder"
        self.code = DECODER_JS


class PlacePopup(folium.Popup):
    """A popup without jQuery: the HTML, escaped by whoever made it (``geo.render.web.mapview.popup_html``),
    travels as a JSON string and becomes the content of a ``<div>``."""

    _template = Template(
        """
        var {{ this.get_name() }} = L.popup({{ this.options|tojavascript }});
        (function () {
            var div = document.createElement("div");
            div.innerHTML = {{ this.content|tojson }};
            {{ this.get_name() }}.setContent(div);
        })();
        {{ this._parent.get_name() }}.bindPopup({{ this.get_name() }});
        """
    )

    def __init__(self, html: str, max_width: int = 340):
        super().__init__(max_width=max_width)
        self._name = "PlacePopup"
        self.content = html


class DrawnShape(MacroElement):
    """A compact geometry (``geo.data.display``) drawn with one style and a sticky tooltip (plain text),
    in Leaflet's overlay pane or in ``pane``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.geoJson(kharkivGeometry({{ this.geojson }}), {
            style: function () { return {{ this.style|tojson }}; }{% if this.pane %},
            pane: {{ this.pane|tojson }}{% endif %}
        }).bindTooltip({{ this.tooltip|tojson }}, {sticky: true}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, geojson: str, style: dict, tooltip: str, pane: str | None = None):
        super().__init__()
        self._name = "DrawnShape"
        self.pane = pane
        if (
            "<" in geojson
        ):  # GeoJSON from shapely has no "<"; refuse anything that could end the script
            raise ValueError("drawing geometry must be compact GeoJSON text without '<'")
        self.geojson = geojson
        self.style = dict(style)
        self.tooltip = html_text(tooltip)


class Background(MacroElement):
    """The map's plain background colour (the sea and the world beyond the data) for the
    tile-free basemap."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.getContainer().style.background = {{ this.colour|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, colour: str):
        super().__init__()
        self._name = "Background"
        self.colour = colour


class OutlineMiniMap(folium.plugins.MiniMap):
    """The MiniMap plugin drawing the country outlines (GeoJSON text) instead of tiles, for
    the tile-free basemap (the plugin accepts any Leaflet layer)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_layer = L.geoJson(kharkivGeometry({{ this.outline }}),
                {style: function () { return {{ this.style|tojson }}; }});
            var {{ this.get_name() }} = new L.Control.MiniMap(
                {{ this.get_name() }}_layer, {{ this.options|tojavascript }});
            {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, outline: str, style: dict, **kwargs):
        super().__init__(**kwargs)
        if "<" in outline:
            raise ValueError("outline must be GeoJSON text without '<'")
        self.outline = outline
        self.style = style


class Outlines(MacroElement):
    """The country outlines (GeoJSON text), drawn under everything (in ``pane``, when given)
    and not interactive; ``attribution``: the credit of the border source they come from, for
    Leaflet's attribution control (HTML: escape text with ``geo.core.escape.html_text``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.geoJson(kharkivGeometry({{ this.outline }}), {
            style: function () { return {{ this.style|tojson }}; }, interactive: false{% if this.pane %},
            pane: {{ this.pane|tojson }}{% endif %}{% if this.attribution %},
            attribution: {{ this.attribution|tojson }}{% endif %}
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self, outline: str, style: dict, pane: str | None = None, attribution: str | None = None
    ):
        super().__init__()
        self._name = "Outlines"
        self.pane = pane
        self.attribution = attribution
        if "<" in outline:
            raise ValueError("outline must be GeoJSON text without '<'")
        self.outline = outline
        self.style = style


class Panes(MacroElement):
    """Leaflet panes (name, z-index) for drawing in layers by kind rather than by the order
    they are added. Each pane draws in its own SVG, and an SVG takes the pointer wherever it
    lies, so each of these panes, and Leaflet's overlay pane over them, lets it through:
    Leaflet's interactive paths take it back (its stylesheet), so every tooltip and click
    still reaches the layer under the pointer, and the map gets the rest."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            {{ this.panes|tojson }}.forEach(function (p) {
                var pane = map.createPane(p[0]);
                pane.style.zIndex = p[1];
                pane.style.pointerEvents = "none";
            });
            map.getPane("overlayPane").style.pointerEvents = "none";
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, panes: tuple[tuple[str, int], ...]):
        super().__init__()
        self._name = "Panes"
        for name, z_index in panes:
            if not re.fullmatch(r"[A-Za-z]+", name) or not 200 < z_index < 400:
                raise ValueError(
                    f"pane {name!r} at {z_index}: a name of letters, e.g. 'zones', between "
                    "the tiles (200) and the overlay pane (400), e.g. 390"
                )
        self.panes = [list(p) for p in panes]


class Description(MacroElement):
    """The map in words (``geo.narrative.describe``), for screen readers: a note kept out of sight
    inside the map's container. The container becomes a named region (``aria-label``, the
    map's title) described by the note (``aria-describedby``), so moving the focus onto the
    map reads its title and then what it shows. Each paragraph goes through ``html_text``
    here, once."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .kharkiv-description { position: absolute !important; width: 1px; height: 1px; margin: -1px;
            padding: 0; border: 0; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); }
        </style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        <div id="{{ this.get_name() }}" class="kharkiv-description" role="note"
             aria-label="{{ this.label }}">{{ this.body }}</div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var container = {{ this._parent.get_name() }}.getContainer();
            var note = document.getElementById({{ this.get_name()|tojson }});
            if (note) { container.appendChild(note); container.setAttribute("aria-describedby", note.id); }
            container.setAttribute("role", "region");
            container.setAttribute("aria-label", {{ this.title|tojson }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, title: str, paragraphs: tuple[str, ...] | list[str]):
        super().__init__()
        self._name = "Description"
        self.title = title
        self.label = html_text(_("Text description of the map"))
        self.body = "".join(f"<p>{html_text(text)}</p>" for text in paragraphs)


class FocusAndPrint(MacroElement):
    """Two stylesheets for the page the map is on: a clear focus ring on the map and every
    control reached with the Tab key (Leaflet's own is faint or none), and, for print, the
    map across the page with its legend but without the controls a sheet of paper cannot use
    (zoom, full screen, layers, mini-map)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .leaflet-container:focus-visible, .leaflet-control a:focus-visible, .leaflet-control input:focus-visible,
        .leaflet-control button:focus-visible, .leaflet-marker-icon:focus-visible, .leaflet-popup a:focus-visible {
            outline: 3px solid {{ this.colour }} !important; outline-offset: 2px; }
        .leaflet-control-layers label { cursor: pointer; }
        @media print {
            .leaflet-control-zoom, .leaflet-control-fullscreen, .leaflet-control-zoom-fullscreen,
            .leaflet-control-measure, .leaflet-control-layers, .leaflet-control-minimap,
            .leaflet-popup, .leaflet-tooltip { display: none !important; }
            html, body { width: 100% !important; height: 100% !important; margin: 0 !important; }
            .folium-map { position: relative !important; left: 0 !important; top: 0 !important;
                width: 100% !important; height: 100vh !important; }
            .kharkiv-legend { display: block !important; }
            * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self, colour: str = "#0072B2"):
        super().__init__()
        self._name = "FocusAndPrint"
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            raise ValueError(f"focus colour {colour!r} is not a colour like '#0072B2'")
        self.colour = colour


class SmallScreens(MacroElement):
    """The map on a small screen (:data:`SMALL_SCREEN`): Leaflet's buttons, the layer control's
    toggle and rows, the legend's button, the credits' links and a popup's close button become
    tap targets of at least 44 × 44 px, the map's text (the place names included) at least 16
    px; the mini-map is left out (on a phone it
    would cover a fifth of the map) and the open layer list scrolls within half the screen.
    The layer control (``control``, when the map has one) is folded behind its button there,
    and open beside the map elsewhere; it follows the screen as it changes (a phone turned, a
    frame resized), and a tap on the map folds it again on a small screen. The legend folds
    itself the same way (``geo.render.web.legend.Legend``)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        @media {{ this.query }} {
            /* Hidden, not taken out: a mini-map whose size changes moves the map it shows. */
            .leaflet-control-minimap { visibility: hidden !important; }
            .leaflet-container .leaflet-bar a, .leaflet-touch .leaflet-bar a {
                width: 44px; height: 44px; line-height: 44px; font-size: 22px; }
            .leaflet-touch .fullscreen-icon, .fullscreen-icon { background-size: 44px 88px;
                background-position: 0 0; }
            .leaflet-touch .fullscreen-icon.leaflet-fullscreen-on,
            .fullscreen-icon.leaflet-fullscreen-on { background-position: 0 -44px; }
            .leaflet-control-layers-toggle, .leaflet-touch .leaflet-control-layers-toggle {
                width: 44px; height: 44px; }
            .leaflet-control-layers-expanded { max-height: 50vh; overflow-y: auto;
                font-size: 16px; }
            .leaflet-control-layers label { min-height: 44px; display: flex; align-items: center; }
            .leaflet-control-layers-selector { width: 22px; height: 22px; font-size: 16px; }
            .leaflet-container .kharkiv-legend { font-size: 16px !important;
                max-width: calc(100vw - 90px) !important; max-height: 55vh; overflow-y: auto; }
            .kharkiv-legend-toggle { min-height: 44px; min-width: 44px; padding: 4px 12px; }
            .leaflet-container .leaflet-control-attribution,
            .leaflet-container .leaflet-control-scale-line,
            .leaflet-popup-content, .leaflet-tooltip { font-size: 16px; }
            .leaflet-control-attribution a { display: inline-block; min-height: 44px;
                line-height: 44px; }
            .leaflet-container .kharkiv-city-label { font-size: 16px !important; }
            .leaflet-container a.leaflet-popup-close-button { width: 44px; height: 44px;
                font-size: 28px; line-height: 44px; }
        }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {% if this.control %}
        (function (map, control) {
            var small = window.matchMedia({{ this.query|tojson }});
            function follow() { if (small.matches) control.collapse(); else control.expand(); }
            follow();
            if (small.addEventListener) small.addEventListener("change", follow);
            map.on("click", function () { if (small.matches) control.collapse(); });
        })({{ this._parent.get_name() }}, {{ this.control.get_name() }});
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, control: folium.LayerControl | None = None):
        super().__init__()
        self._name = "SmallScreens"
        self.query = SMALL_SCREEN
        self.control = control


class LayerGroup(folium.FeatureGroup):
    """The ``FeatureGroup`` that draws one layer of ``geo.engine.layers.REGISTRY`` (``key``),
    so that a page switching layers by itself (the story) can find it."""

    def __init__(self, key: str, name: str, *, show: bool = True, control: bool = True):
        super().__init__(name=name, show=show, control=control)
        self.key = key
