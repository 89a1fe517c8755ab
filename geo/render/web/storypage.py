"""The Classroom's story as one HTML file: the six steps, each with its title and text in large
type and the map in that step's state, for a classroom with no server and no internet.

The page is one folium map (``mapview.build_map`` with ``base=True``: what no step changes)
with the layers drawn from R, D and the stage added once per set of parameters the steps use
(the article's stage for steps 1 to 5, 20 June 2024 for step 6), and :class:`StorySteps`: the
steps' text beside the map, and a short script of this project's own that shows one step at a
time. It switches the step's layers on and the others off, frames the step's view, writes the
step's sentences into the legend and the map's text description, and keeps the step in the
address's fragment (``#3``): Previous and Next, the ← and → keys (not while the map itself has
the focus: there they move the map), the step links, and the browser's own back and forward.

Every text goes through ``geo.core.escape.html_text`` (the page's HTML) or ``tojson`` (the
script's data), as on the exported page. Leaflet and the plugins are pasted into the file as
the export pastes them (``geo.render.web.assets``); with the basemap ``none`` nothing is loaded
from anywhere.

Printing gives one step per page: just before the browser prints, the script draws each step
in turn on a map of :data:`PRINT_PX` and keeps a copy of what it drew (the zones, lines, places
and legend; the map tiles are left out) under that step's text; after printing they are removed.

Views: a step's view is its centre and zoom fitted to ``geo.narrative.story.MAP_SIZE_PX``; the
page fits the same area (less the story's margin) to the map as it is drawn, so a phone shows
what a projector shows, at a smaller zoom.
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template

from geo import i18n
from geo.core.escape import html_text
from geo.core.units import setting_text
from geo.engine import facts
from geo.engine import layers as registry
from geo.engine.layers import Layers
from geo.i18n import _
from geo.narrative import describe, story
from geo.render.web import assets
from geo.render.web.elements import LayerGroup
from geo.render.web.mapview import MAP_TITLE, PARAMETRIC, build_map, layer_group, layer_groups
from geo.render.web.mapview import values_line as legend_values_line

#: (width, height) in CSS pixels of the map drawn for each printed step (an A4 page's width
#: less its margins, at 96 pixels to the inch).
PRINT_PX = (680, 470)
#: The largest size the story file may have, in bytes (the test checks both languages).
MAX_BYTES = 600 * 1024

STYLE = """
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: row; height: 100vh; height: 100dvh; overflow: hidden;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
    color: #1b1b1b; background: #fff; }
body > .folium-map { flex: 3 1 0; min-width: 0; min-height: 0;
    width: auto !important; height: auto !important; }
.kharkiv-story { flex: 2 1 0; min-width: 22rem; max-width: 46rem; overflow-y: auto;
    padding: 1.2rem 2rem 2rem; box-sizing: border-box; }
.kharkiv-story-nav { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap;
    padding: .4rem 0 .8rem; background: #fff; position: sticky; top: -1.2rem; z-index: 2; }
.kharkiv-story-nav button { font: inherit; font-size: 1.3rem; min-height: 3rem; min-width: 44px;
    padding: .3rem 1.1rem; border-radius: .5rem; border: 2px solid #0b57a4; background: #fff;
    color: #0b57a4; cursor: pointer; }
.kharkiv-story-nav button.kharkiv-story-next { background: #0b57a4; color: #fff; }
.kharkiv-story-nav button[aria-disabled="true"] { border-color: #767676; background: #f2f2f2;
    color: #595959; cursor: default; }
.kharkiv-story-nav button:focus-visible, .kharkiv-story a:focus-visible,
.kharkiv-story summary:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.kharkiv-story-steps { display: flex; gap: .35rem; list-style: none; margin: 0; padding: 0; }
.kharkiv-story-steps a { display: inline-flex; align-items: center; justify-content: center;
    min-width: 44px; min-height: 44px; box-sizing: border-box; border-radius: .5rem;
    font-size: 1.1rem; color: #0b57a4; text-decoration: none; border: 1px solid #c4c4c4; }
.kharkiv-story-steps a[aria-current="step"] { background: #0b57a4; border-color: #0b57a4;
    color: #fff; font-weight: bold; }
.kharkiv-step-count { font-size: 1.3rem; color: #4d4d4d; margin: .2rem 0 0; }
.kharkiv-step h1 { font-size: 2.7rem; line-height: 1.15; margin: .2rem 0 1rem; }
.kharkiv-step p { font-size: 1.55rem; line-height: 1.45; margin: 0 0 1rem; }
.kharkiv-step blockquote { margin: 0 0 1rem; padding-left: 1rem; border-left: 4px solid #8c8c8c; }
.kharkiv-step blockquote p { font-style: italic; font-size: 1.45rem; margin-bottom: .3rem; }
.kharkiv-step blockquote footer { font-size: 1.1rem; color: #4d4d4d; }
.kharkiv-step details { margin: 1.2rem 0; font-size: 1.1rem; }
.kharkiv-step details summary { cursor: pointer; min-height: 44px; display: flex;
    align-items: center; color: #0b57a4; }
.kharkiv-step details p { font-size: 1.1rem; line-height: 1.5; }
.kharkiv-story-caption { font-size: 1rem; color: #4d4d4d; }
.kharkiv-story-status { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
    border: 0; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
.kharkiv-step-print { display: none; }
@media (max-width: 900px), (orientation: portrait) {
    body { flex-direction: column; }
    body > .folium-map { flex: 0 0 45%; }
    .kharkiv-story { flex: 1 1 0; min-width: 0; max-width: none; padding: 0 1rem 1.5rem; }
    .kharkiv-story-nav { top: 0; padding-top: .5rem; }
    .kharkiv-story-nav button { font-size: 1.1rem; min-height: 44px; }
    .kharkiv-step-count { font-size: 1rem; }
    .kharkiv-step h1 { font-size: 1.75rem; margin-bottom: .6rem; }
    .kharkiv-step p, .kharkiv-step blockquote p { font-size: 1.15rem; }
    .kharkiv-step blockquote footer, .kharkiv-step details, .kharkiv-step details p,
    .kharkiv-story-caption { font-size: 1rem; }
}
@media print {
    html, body { height: auto !important; overflow: visible !important; display: block !important; }
    body > .folium-map, .kharkiv-story-nav, .kharkiv-story-status, .kharkiv-step details,
    .kharkiv-story-caption { display: none !important; }
    .kharkiv-story { max-width: none; overflow: visible; padding: 0; }
    .kharkiv-step, .kharkiv-step[hidden] { display: block !important; break-after: page; }
    .kharkiv-step:last-of-type { break-after: auto; }
    .kharkiv-step h1 { font-size: 22pt; }
    .kharkiv-step p, .kharkiv-step blockquote p { font-size: 13pt; }
    .kharkiv-step-count, .kharkiv-step blockquote footer { font-size: 11pt; }
    .kharkiv-step-print { display: block; }
    .kharkiv-step-snapshot { position: relative; overflow: hidden; break-inside: avoid;
        border: 1px solid #999; }
    .kharkiv-step-snapshot .kharkiv-legend { position: absolute; left: 8px; bottom: 8px; }
}
"""


class StorySteps(MacroElement):
    """The steps beside the map (``panel``: their HTML, every text escaped where it was
    made) and the script that shows one at a time. ``groups``: the layer groups on the map
    that some step shows; ``steps``: per step, the indexes of its groups (bottom first), the
    layer keys of its legend rows, its legend sentences, its centre and zoom, and the line a
    screen reader hears when the step changes."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.style }}</style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        {{ this.panel }}
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map, groups, steps, frame, printSize) {
            var container = map.getContainer();
            var articles = Array.prototype.slice.call(document.querySelectorAll(".kharkiv-step"));
            var links = Array.prototype.slice.call(
                document.querySelectorAll(".kharkiv-story-steps a"));
            var previous = document.querySelector(".kharkiv-story-previous");
            var next = document.querySelector(".kharkiv-story-next");
            var status = document.querySelector(".kharkiv-story-status");
            var current = 0;

            function frameOf(step) {
                var centre = map.project(step.centre, step.zoom);
                var half = L.point(frame[0], frame[1]);
                return L.latLngBounds(map.unproject(centre.subtract(half), step.zoom),
                                      map.unproject(centre.add(half), step.zoom));
            }
            function draw(step) {
                groups.forEach(function (group) { map.removeLayer(group); });
                step.groups.forEach(function (index) { map.addLayer(groups[index]); });
                var legend = container.querySelector(".kharkiv-legend");
                if (legend) {
                    var values = legend.querySelector(".kharkiv-legend-values");
                    if (values) values.textContent = step.values;
                    legend.querySelectorAll("[data-layer]").forEach(function (row) {
                        var key = row.getAttribute("data-layer");
                        row.hidden = step.legend.indexOf(key) < 0;
                        var label = row.querySelector(".kharkiv-legend-label");
                        if (label && Object.prototype.hasOwnProperty.call(step.labels, key)) {
                            label.textContent = step.labels[key];
                        }
                    });
                }
                map.fitBounds(frameOf(step), {animate: false});
            }
            function describe(article) {
                var note = container.querySelector(".kharkiv-description");
                if (!note) return;
                note.textContent = "";
                article.querySelectorAll(".kharkiv-step-description p").forEach(function (p) {
                    note.appendChild(document.createElement("p")).textContent = p.textContent;
                });
            }
            function show(number) {
                current = number;
                var step = steps[number - 1];
                draw(step);
                articles.forEach(function (article, i) { article.hidden = i !== number - 1; });
                links.forEach(function (link, i) {
                    if (i === number - 1) link.setAttribute("aria-current", "step");
                    else link.removeAttribute("aria-current");
                });
                previous.setAttribute("aria-disabled", number === 1 ? "true" : "false");
                next.setAttribute("aria-disabled", number === steps.length ? "true" : "false");
                describe(articles[number - 1]);
                status.textContent = step.status;
                if (location.hash !== "#" + number) {
                    try { history.replaceState(null, "", "#" + number); }
                    catch (e) { location.replace("#" + number); }
                }
            }
            function asked() {
                var match = /^#([0-9]{1,2})$/.exec(location.hash);
                var number = match ? parseInt(match[1], 10) : 1;
                return number >= 1 && number <= steps.length ? number : 1;
            }
            function go(number) {
                if (number >= 1 && number <= steps.length && number !== current) show(number);
            }
            previous.addEventListener("click", function () { go(current - 1); });
            next.addEventListener("click", function () { go(current + 1); });
            window.addEventListener("hashchange", function () { go(asked()); });
            document.addEventListener("keydown", function (event) {
                if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey
                        || event.shiftKey) return;
                var target = event.target;
                if (target && target.closest && (container.contains(target)
                        || target.closest("input, select, textarea, [contenteditable]"))) return;
                if (event.key === "ArrowRight") { go(current + 1); event.preventDefault(); }
                else if (event.key === "ArrowLeft") { go(current - 1); event.preventDefault(); }
            });

            function clean(copy) {
                copy.querySelectorAll("[id]").forEach(function (e) { e.removeAttribute("id"); });
                return copy;
            }
            function snapshots() {
                removeSnapshots();
                var shown = current, saved = container.getAttribute("style") || "";
                container.style.flex = "none";
                container.style.setProperty("width", printSize[0] + "px", "important");
                container.style.setProperty("height", printSize[1] + "px", "important");
                map.invalidateSize({animate: false, pan: false});
                var background = getComputedStyle(container).backgroundColor;
                steps.forEach(function (step, i) {
                    draw(step);
                    var box = document.createElement("div");
                    box.className = "kharkiv-step-snapshot leaflet-container";
                    box.setAttribute("aria-hidden", "true");
                    box.style.width = printSize[0] + "px";
                    box.style.height = printSize[1] + "px";
                    box.style.background = background;
                    var pane = clean(container.querySelector(".leaflet-map-pane").cloneNode(true));
                    pane.querySelectorAll(
                        ".leaflet-tile-pane, .leaflet-tooltip-pane, .leaflet-popup-pane"
                    ).forEach(function (e) { e.remove(); });
                    box.appendChild(pane);
                    var legend = container.querySelector(".kharkiv-legend");
                    if (legend) box.appendChild(clean(legend.cloneNode(true)));
                    articles[i].querySelector(".kharkiv-step-print").appendChild(box);
                });
                container.setAttribute("style", saved);
                map.invalidateSize({animate: false, pan: false});
                show(shown);
            }
            function removeSnapshots() {
                document.querySelectorAll(".kharkiv-step-snapshot").forEach(function (e) {
                    e.remove();
                });
            }
            window.addEventListener("beforeprint", snapshots);
            window.addEventListener("afterprint", removeSnapshots);
            show(asked());
        })({{ this._parent.get_name() }}, {{ this.groups|tojavascript }}, {{ this.steps|tojson }},
           {{ this.frame|tojson }}, {{ this.print_size|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, panel: str, groups: list[LayerGroup], steps: list[dict]):
        super().__init__()
        self._name = "StorySteps"
        self.style = STYLE
        self.panel = panel
        self.groups = list(groups)
        self.steps = steps
        width, height = story.MAP_SIZE_PX
        self.frame = [round(width * (1 - story.MARGIN) / 2), round(height * (1 - story.MARGIN) / 2)]
        self.print_size = list(PRINT_PX)


def _article(step: story.Step, count: int, description: tuple[str, ...]) -> str:
    """One step's HTML: its count, title, text, quote (in English, marked so) and the map in
    words; every text through ``html_text``."""
    e = html_text
    parts = [
        f'<article class="kharkiv-step" id="step-{step.number}" '
        f'aria-labelledby="step-{step.number}-title">',
        '<p class="kharkiv-step-count">'
        + e(_("Step {number} of {count}").format(number=step.number, count=count))
        + "</p>",
        f'<h1 id="step-{step.number}-title">{e(step.title)}</h1>',
        f"<p>{e(step.text)}</p>",
    ]
    if step.quote:
        # The quote stays in English, as in the article; the line under it says so in other
        # languages.
        source = _("(the article, paragraph {paragraph})").format(paragraph=step.quote_paragraph)
        parts.append(
            f'<blockquote><p lang="en">“{e(step.quote)}”</p>'
            f"<footer>{e(source)}</footer></blockquote>"
        )
    parts.append(
        '<details class="kharkiv-step-description"><summary>'
        + e(_("Text description of the map"))
        + "</summary>"
        + "".join(f"<p>{e(text)}</p>" for text in description)
        + "</details>"
    )
    parts.append('<div class="kharkiv-step-print"></div></article>')
    return "".join(parts)


def _panel(steps: tuple[story.Step, ...], descriptions: list[tuple[str, ...]], caption: str) -> str:
    """The text beside the map: the buttons and step links, the steps, and the caption."""
    e = html_text
    links = []
    for step in steps:
        name = _("Step {number}: {title}").format(number=step.number, title=step.title)
        links.append(f'<li><a href="#{step.number}" aria-label="{e(name)}">{step.number}</a></li>')
    nav = (
        '<nav class="kharkiv-story-nav" aria-label="' + e(_("Steps of the story")) + '">'
        '<button type="button" class="kharkiv-story-previous">' + e(_("← Previous")) + "</button>"
        '<button type="button" class="kharkiv-story-next">' + e(_("Next →")) + "</button>"
        '<ol class="kharkiv-story-steps">' + "".join(links) + "</ol></nav>"
    )
    articles = "".join(
        _article(step, len(steps), text) for step, text in zip(steps, descriptions, strict=True)
    )
    return (
        f'<main class="kharkiv-story">{nav}'
        '<p class="kharkiv-story-status" role="status" aria-live="polite"></p>'
        f'{articles}<p class="kharkiv-story-caption">{e(caption)}</p></main>'
    )


def story_steps(layers: Layers, later: Layers) -> tuple[story.Step, ...]:
    """The six steps told for ``layers`` (the article's stage) and ``later``
    (``story.later(layers.params)``)."""
    return story.steps(layers, facts.figures(layers), facts.stage_figures(layers.params), later)


def story_html(layers: Layers, later: Layers, basemap: str = "none") -> tuple[str, list[str]]:
    """The story as one HTML page, every script, style and shape inside it; and notices about
    plugins left out (as ``export.map_html``). ``layers``: built for the story's R and D at the
    article's stage; ``later``: for ``story.later(layers.params)`` (step 6)."""
    steps = story_steps(layers, later)
    built = {layers.params: layers, later.params: later}
    first = steps[0]
    m = build_map(layers, basemap, first.layers, layer_control=False, base=True, legend_folded=True)
    fixed = layer_groups(m)
    groups: list[LayerGroup] = []  # the groups some step shows; the steps name them by index
    index: dict[tuple, int] = {}

    def group_of(key: str, params) -> int:
        """The index of the group drawing layer ``key`` for ``params``: the base map's own for
        a layer no step's parameters change, else one drawn here once, hidden at first."""
        where = (key, None if key in fixed else params)
        if where not in index:
            if key in fixed:
                group = fixed[key]
            else:
                group = layer_group(key, built[params], show=False, control=False)
                group.add_to(m)
            index[where] = len(groups)
            groups.append(group)
        return index[where]

    order = (*registry.GEOMETRIC, registry.BY_KEY["places"])  # bottom first
    step_data, descriptions = [], []
    for step in steps:
        step_layers = built[step.params]
        values = step_layers.values("mi")
        indexes = [group_of(spec.key, step.params) for spec in order if spec.key in step.layers]
        step_data.append(
            {
                "groups": indexes,
                "legend": sorted(step.layers),
                "labels": {
                    spec.key: spec.text(spec.legend, values)
                    for spec in PARAMETRIC
                    if spec.key in step.layers
                },
                "values": legend_values_line(values),
                "centre": list(step.centre),
                "zoom": step.zoom,
                "status": _("Step {number} of {count}: {title}").format(
                    number=step.number, count=len(steps), title=step.title
                ),
            }
        )
        descriptions.append(describe.paragraphs(step_layers, step.layers, "mi"))
    caption = _("The story uses R = {radius} and D = {depth}.").format(
        radius=setting_text(layers.params.radius, "mi"),
        depth=setting_text(layers.params.depth, "km"),
    )
    StorySteps(_panel(steps, descriptions, caption), groups, step_data).add_to(m)
    title = _("{title}: the story in {count} steps").format(title=_(MAP_TITLE), count=len(steps))
    m.get_root().title = html_text(title)
    page, notices = assets.render_html(m, "inline")
    return page.replace("<html>", f'<html lang="{i18n.current()}">', 1), notices
