"""The map's legend, and the script that writes one view's sentences into a drawn map.

* :class:`Legend`: a Leaflet control listing each layer's colour and meaning.
* :class:`ViewText`: the sentences that depend on R, D and the stage (the legend's
  "R = …, D = …" line, the legend rows of the layers drawn from them, and the map's text
  description), written into a map already drawn.

The app draws its map in two parts (``geo.render.web.mapview``): a base that does not change with R, D
or the stage, kept in the browser, and an overlay of the layers drawn from them, replaced on
every change. The base's legend leaves those sentences empty and the overlay's
:class:`ViewText` fills them, so the legend always speaks of the zones on the map. Both pass
their text as JSON and write it with ``textContent``: nothing in it is read as HTML.
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template

from geo.i18n import _
from geo.render.web.elements import SMALL_SCREEN


class Legend(MacroElement):
    """A Leaflet control listing each layer's colour and meaning. Its entries travel as
    JSON and are written with ``textContent``, so nothing in them is read as HTML. A row
    with a ``key`` (a layer of ``geo.engine.layers.REGISTRY``) carries it as ``data-layer``, so
    that :class:`ViewText` can find it; the line under the heading is ``.kharkiv-legend-values``.

    A button above the rows folds them away and back (``aria-expanded``). On a small screen
    (``geo.render.web.elements.SMALL_SCREEN``) the legend starts folded, so that at first it
    covers no more of the map than the button; with ``folded`` it starts folded everywhere
    (the story, whose text says what each colour is)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .kharkiv-legend-toggle { display: block; margin: 0 0 2px; padding: 2px 6px;
            border: 1px solid #767676; border-radius: 4px; background: #fff; color: #222;
            font: inherit; font-weight: bold; cursor: pointer; }
        .kharkiv-legend-toggle::after { content: " \\25BE"; }
        .kharkiv-legend-toggle[aria-expanded="false"]::after { content: " \\25B8"; }
        .kharkiv-legend-toggle[aria-expanded="false"] { margin: 0; }
        .kharkiv-legend [hidden] { display: none !important; }
        @media print {
            .kharkiv-legend-toggle { display: none !important; }
            .kharkiv-legend .kharkiv-legend-body[hidden] { display: block !important; }
        }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "kharkiv-legend");
                div.style.cssText = "background:rgba(255,255,255,0.92);padding:6px 8px;"
                    + "font:13px/1.35 sans-serif;border-radius:4px;max-width:330px;"
                    + "box-shadow:0 1px 4px rgba(0,0,0,0.4)";
                var toggle = L.DomUtil.create("button", "kharkiv-legend-toggle", div);
                toggle.type = "button";
                toggle.textContent = {{ this.toggle|tojson }};
                var body = L.DomUtil.create("div", "kharkiv-legend-body", div);
                body.id = {{ (this.get_name() ~ "_body")|tojson }};
                toggle.setAttribute("aria-controls", body.id);
                var heading = L.DomUtil.create("div", "", body);
                heading.style.cssText = "font-weight:bold;font-size:1.08em";
                heading.textContent = {{ this.heading|tojson }};
                var title = L.DomUtil.create("div", "kharkiv-legend-values", body);
                title.style.fontWeight = "bold";
                title.textContent = {{ this.title|tojson }};
                {{ this.entries|tojson }}.forEach(function (e) {
                    var row = L.DomUtil.create("div", "", body);
                    row.style.cssText = "display:flex;align-items:center;margin:2px 0";
                    if (e.key) row.setAttribute("data-layer", e.key);
                    var swatch = L.DomUtil.create("span", "", row);
                    swatch.style.cssText = "flex:0 0 26px;height:12px;margin-right:6px;"
                        + "border:" + e.weight + "px " + e.border + " " + e.color + ";"
                        + "background:" + e.fill;
                    var text = L.DomUtil.create("span", "kharkiv-legend-label", row);
                    text.textContent = e.label;
                });
                function unfold(open) {
                    body.hidden = !open;
                    toggle.setAttribute("aria-expanded", open ? "true" : "false");
                }
                // Folded on a small screen, open elsewhere, following the screen as it changes
                // (a phone turned, a frame resized) until the reader folds or unfolds it.
                var small = window.matchMedia({{ this.small_screen|tojson }}), chosen = false;
                function follow() {
                    if (!chosen) unfold(!({{ this.folded|tojson }} || small.matches));
                }
                follow();
                if (small.addEventListener) small.addEventListener("change", follow);
                L.DomEvent.on(toggle, "click", function () { chosen = true; unfold(body.hidden); });
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        heading: str,
        title: str,
        entries: list[dict],
        toggle: str | None = None,
        *,
        folded: bool = False,
    ):
        super().__init__()
        self._name = "Legend"
        self.heading = heading
        self.title = title
        self.entries = entries
        self.toggle = _("Legend") if toggle is None else toggle
        self.small_screen = SMALL_SCREEN
        self.folded = bool(folded)


class ViewText(MacroElement):
    """One view's sentences written into the drawn map this element's group is added to:
    the legend's values line (``title``), the labels of the legend rows named in ``labels``
    (layer key to sentence), and the paragraphs of the text description
    (``geo.render.web.elements.Description``), each with ``textContent``.

    Added to a ``folium.FeatureGroup`` that is added to the map (its grandparent): its script
    runs after the map's own, which made the legend and the description."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (container) {
            var legend = container.querySelector(".kharkiv-legend");
            if (legend) {
                var values = legend.querySelector(".kharkiv-legend-values");
                if (values) values.textContent = {{ this.title|tojson }};
                var labels = {{ this.labels|tojson }};
                legend.querySelectorAll("[data-layer]").forEach(function (row) {
                    var key = row.getAttribute("data-layer");
                    var label = row.querySelector(".kharkiv-legend-label");
                    if (label && Object.prototype.hasOwnProperty.call(labels, key)) label.textContent = labels[key];
                });
            }
            // The description's own script moves it into the map's container, where it can
            // find it by its id; where streamlit-folium renames the ids, it stays beside the map.
            var note = container.querySelector(".kharkiv-description") || document.querySelector(".kharkiv-description");
            if (note) {
                note.textContent = "";
                {{ this.paragraphs|tojson }}.forEach(function (text) {
                    note.appendChild(document.createElement("p")).textContent = text;
                });
            }
        })({{ this._parent._parent.get_name() }}.getContainer());
        {% endmacro %}
        """
    )

    def __init__(self, title: str, labels: dict[str, str], paragraphs: tuple[str, ...] | list[str]):
        super().__init__()
        self._name = "ViewText"
        self.title = title
        self.labels = dict(labels)
        self.paragraphs = list(paragraphs)
