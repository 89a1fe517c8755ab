"""The map's legend: a Leaflet control listing each layer's colour and meaning.

The app draws its map in two parts (``geo.render.web.mapview``): a base that does not change
with R, D or the stage, kept in the browser, and an overlay of the layers drawn from them,
replaced on every change. The base's legend leaves the sentences about those layers empty
(the "R = …, D = …" line and their rows' labels) and the app's map component writes the
overlay's into it (``pages/shared/mapcomponent.js``), so the legend always speaks of the
zones on the map. Both write the text with ``textContent``: nothing in it is read as HTML.
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template


class Legend(MacroElement):
    """A Leaflet control listing each layer's colour and meaning. Its entries travel as
    JSON and are written with ``textContent``, so nothing in them is read as HTML. A row
    with a ``key`` (a layer of ``geo.engine.layers.REGISTRY``) carries it as ``data-layer``, so
    that the host page can write its sentence (``pages/shared/mapcomponent.js``); the line
    under the heading is ``.kharkiv-legend-values``.

    On a narrow screen (a phone) the legend would cover much of the map: it folds behind a
    button (``button``, its label) that opens and closes it, and says which it is
    (``aria-expanded``)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .kharkiv-legend-toggle { display: none; }
        @media (max-width: 640px) {
            .kharkiv-legend-toggle { display: block; min-width: 44px; min-height: 44px; padding: 0 14px;
                font: bold 15px sans-serif; color: #000; background: #fff; border: 1px solid #767676;
                border-radius: 4px; cursor: pointer; }
            .kharkiv-legend:not(.kharkiv-legend-open) { padding: 0 !important; background: none !important;
                box-shadow: none !important; }
            .kharkiv-legend:not(.kharkiv-legend-open) .kharkiv-legend-body { display: none; }
            .kharkiv-legend-open .kharkiv-legend-toggle { margin-bottom: 4px; }
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
                var button = L.DomUtil.create("button", "kharkiv-legend-toggle", div);
                var body = L.DomUtil.create("div", "kharkiv-legend-body", div);
                body.id = {{ (this.get_name() ~ "_body")|tojson }};
                button.type = "button";
                button.textContent = {{ this.button|tojson }};
                button.setAttribute("aria-controls", body.id);
                button.setAttribute("aria-expanded", "false");
                L.DomEvent.on(button, "click", function () {
                    var open = div.classList.toggle("kharkiv-legend-open");
                    button.setAttribute("aria-expanded", String(open));
                });
                var heading = L.DomUtil.create("div", "", body);
                heading.style.cssText = "font-weight:bold;font-size:14px";
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
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, heading: str, title: str, entries: list[dict], button: str = "Legend"):
        super().__init__()
        self._name = "Legend"
        self.heading = heading
        self.title = title
        self.entries = entries
        self.button = button
