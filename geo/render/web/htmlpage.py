"""Plain HTML pages with no map: the page shell, tables, and the facts page of the static site.

Every text reaches the page through ``geo.core.escape.html_text``; the pages load nothing (one
stylesheet inside the page, no script), so they open from a file with no network. Type is 16
px at least and links are tap targets of 44 px on a phone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from geo import i18n
from geo.core.escape import html_text
from geo.engine import facts
from geo.engine.layers import Layers
from geo.i18n import _
from geo.narrative import tables
from geo.render.web.mapview import MAP_TITLE

STYLE = """
html { font-size: 100%; }
body { margin: 0 auto; max-width: 62rem; padding: 1rem 1.25rem 3rem; color: #1b1b1b;
    background: #fff;
    font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
h1 { font-size: 2rem; line-height: 1.2; margin: 1rem 0 .75rem; }
h2 { font-size: 1.5rem; line-height: 1.25; margin: 2rem 0 .5rem; }
h3 { font-size: 1.2rem; margin: 1.4rem 0 .4rem; }
a { color: #0b57a4; }
a:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
ul.links { padding-left: 1.2rem; }
ul.links li { margin: .15rem 0; }
ul.links a, nav a { display: inline-block; min-height: 44px; line-height: 44px; }
nav { display: flex; flex-wrap: wrap; gap: 0 1.5rem; border-bottom: 1px solid #c4c4c4; }
.note { color: #4d4d4d; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0 1.25rem; font-size: 1rem; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid #c4c4c4; padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
@media print { nav { display: none; } a { color: inherit; text-decoration: none; } }
"""


def page(title: str, body: str, lang: str | None = None) -> str:
    """A whole HTML document: ``title`` (plain text, escaped here) and ``body`` (HTML made by
    the caller from escaped parts), in ``lang`` (default: the current language)."""
    code = lang or i18n.current()
    return (
        f'<!DOCTYPE html>\n<html lang="{code}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_text(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):  # as the tables round it, with the language's decimal sign
        return html_text(i18n.plain(value, 9))
    return html_text(value)


def table(rows: Iterable[Mapping[str, object]], caption: str) -> str:
    """Rows (each a mapping of column name to value, the same columns in each) as a table
    with its caption and column headers."""
    rows = list(rows)
    if not rows:
        return ""
    columns = list(rows[0])
    head = "".join(f'<th scope="col">{html_text(name)}</th>' for name in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row.get(name))}</td>" for name in columns) + "</tr>"
        for row in rows
    )
    return (
        f'<div class="table-wrap"><table><caption>{html_text(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def facts_page(layers: Layers, back: tuple[str, str] | None = None) -> str:
    """The measured figures for ``layers`` as an HTML page, in the current language: the
    article's figure beside the measurement, the lengths and areas, the places, the distances
    between the cities and the stages. ``back``: (link, its text) to the page it belongs to."""
    figures = facts.figures(layers)
    p = layers.params
    values = layers.values("mi")
    title = _("Facts: what the map measures")
    intro = _(
        "For R = {radius} and D = {depth}. Distances, lengths and areas are geodesic, on the WGS84 "
        "ellipsoid."
    ).format(radius=values["R"], depth=values["D"])
    parts = []
    if back is not None:
        parts.append(f'<nav><a href="{html_text(back[0])}">{html_text(back[1])}</a></nav>')
    parts += [
        f"<main><h1>{html_text(title)}</h1>",
        f'<p class="note">{html_text(_(MAP_TITLE))}</p>',
        f"<p>{html_text(intro)}</p>",
        table(tables.claims(figures), _("The article's figure beside the measurement")),
        table(tables.figure_rows(figures), _("Lengths, distances and areas")),
        table(tables.place_rows(figures), _("The places")),
        '<p class="note">'
        + html_text(
            _(
                "Russia and Ukraine are label points where the names are written, so they have "
                "no distances."
            )
        )
        + "</p>",
        table(tables.city_distances(), _("Distances between the cities")),
        table(
            tables.stage_rows(facts.stage_figures(p)),
            _("The policy over time, and the sanctuary"),
        ),
        "</main>",
    ]
    return page(title, "\n".join(parts))
