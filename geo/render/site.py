"""The static site: every page and file of the map in both languages, for any web server, CDN
or folder, with no server code.

    index.html                    what the map shows, in both languages, and links to the rest
    en/story.html                 the story in six steps (``geo.render.web.storypage``)
    en/map-2024-05-30.html        the standalone map of each stage (``geo.render.web.export``)
    en/facts.html                 the measured figures as tables (``geo.render.web.htmlpage``)
    en/figure-2024-05-30.png|svg  the figure of each stage, for slides (``geo.render.print``)
    uk/…                          the same in Ukrainian
    data/layers.geojson           the layers as GeoJSON, as ``kharkiv-map export --geojson``
    data/facts.json               the figures as ``kharkiv-map facts --json`` prints them
    kharkiv-map-site.json         the list of files, with sizes and SHA-256 (``geo.core.folders``)

The data files are the same in every language (their keys, properties and units are data), so
there is one of each, linked from both languages. Every link is relative, so the folder works
wherever it is put, opened from a disk included. The site is drawn for the default R and D
(12 mi, 80 km); the stages change what the maps show.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from geo import i18n
from geo.core.escape import html_text
from geo.engine import facts, stages, zones
from geo.engine import layers as registry
from geo.engine.layers import Layers
from geo.engine.places import ARTICLE
from geo.i18n import _
from geo.narrative import describe, story
from geo.render.print import figure
from geo.render.web import export, htmlpage, storypage
from geo.render.web.mapview import MAP_TITLE

#: The largest size the site may have, all files together, in bytes.
MAX_BYTES = 15 * 1024 * 1024
#: The figures' formats: (file ending, ``figure.render`` format).
FIGURES = (("png", "png"), ("svg", "svg"))
GEOJSON, FACTS_JSON, INDEX = "data/layers.geojson", "data/facts.json", "index.html"


def map_path(lang: str, stage: stages.Stage) -> str:
    return f"{lang}/map-{stage.id}.html"


def story_path(lang: str) -> str:
    return f"{lang}/story.html"


def facts_path(lang: str) -> str:
    return f"{lang}/facts.html"


def figure_path(lang: str, stage: stages.Stage, ending: str) -> str:
    return f"{lang}/figure-{stage.id}.{ending}"


def facts_json(layers: Layers) -> str:
    """The figures for ``layers`` as ``kharkiv-map facts --json`` prints them."""
    document = facts.document(facts.figures(layers), facts.stage_figures(layers.params))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _size(data: str | bytes) -> str:
    """A file's size for a link: ``1.3 MB`` / ``1,3 МБ``, or ``420 KB``."""
    n = len(data.encode("utf-8") if isinstance(data, str) else data)
    if n >= 1_000_000:
        return _("{size} MB").format(size=i18n.number(n / 1e6, 1))
    return _("{size} KB").format(size=i18n.number(max(n / 1e3, 1), 0))


def _link(href: str, text: str, size: str | None = None) -> str:
    after = f' <span class="note">({html_text(size)})</span>' if size else ""
    return f'<a href="{html_text(href)}">{html_text(text)}</a>{after}'


def _section(lang: str, layers: Layers, files: dict[str, str | bytes], basemap: str) -> str:
    """One language's part of the index, in that language (the caller sets it)."""
    e = html_text
    name = i18n.LANGUAGES[lang]
    if basemap == "none":
        intro = _(
            "The map as files that open in any browser, with nothing to install and nothing "
            "loaded from elsewhere: the story in six steps for a classroom, the map at each stage "
            "of the policy, the figures for slides, the measured facts and the data."
        )
    else:
        intro = _(
            "The map as files that open in any browser, with nothing to install; only the map "
            "tiles come from OpenStreetMap: the story in six steps for a classroom, the map at "
            "each stage of the policy, the figures for slides, the measured facts and the data."
        )
    maps = "".join(
        "<li>"
        + _link(
            map_path(lang, stage),
            _("{date}: {title}").format(date=stage.label, title=_(stage.title)),
            _size(files[map_path(lang, stage)]),
        )
        + "</li>"
        for stage in stages.STAGES
    )
    figures = "".join(
        "<li>"
        + e(stage.label)
        + ": "
        + ", ".join(
            _link(
                figure_path(lang, stage, ending),
                ending.upper(),
                _size(files[figure_path(lang, stage, ending)]),
            )
            for ending, _fmt in FIGURES
        )
        + "</li>"
        for stage in stages.STAGES
    )
    sources = _(
        "Sources: borders © OpenStreetMap contributors (ODbL 1.0), via {package}; places: "
        "GeoNames (CC BY 4.0); quotes: {article}."
    ).format(package="@geo-maps/countries-land-100m", article=_(ARTICLE))
    return "\n".join(
        [
            f'<section id="{lang}" lang="{lang}" aria-labelledby="{lang}-heading">',
            f'<h2 id="{lang}-heading">{e(name)}</h2>',
            f"<p>{e(intro)}</p>",
            f"<p>{e(describe.overview(layers))}</p>",
            f"<p>{e(describe.key_figures(layers, set(registry.KEYS)))}</p>",
            "<h3>" + e(_("The story in six steps")) + "</h3>",
            '<ul class="links"><li>'
            + _link(story_path(lang), _("The story, step by step"), _size(files[story_path(lang)]))
            + "</li></ul>",
            "<h3>" + e(_("The map at each stage of the policy")) + "</h3>",
            f'<ul class="links">{maps}</ul>',
            "<h3>" + e(_("Figures for slides and print")) + "</h3>",
            f'<ul class="links">{figures}</ul>',
            "<h3>" + e(_("Facts and data")) + "</h3>",
            '<ul class="links">'
            + "<li>"
            + _link(facts_path(lang), _("The measured figures (tables)"))
            + "</li><li>"
            + _link(FACTS_JSON, _("The figures as JSON"), _size(files[FACTS_JSON]))
            + "</li><li>"
            + _link(GEOJSON, _("The layers as GeoJSON (RFC 7946)"), _size(files[GEOJSON]))
            + "</li></ul>",
            f'<p class="note">{e(sources)}</p>',
            "</section>",
        ]
    )


def index_page(sections: dict[str, str]) -> str:
    """The site's first page: the map's title in each language, a link to each language's
    part, and the parts (``sections``: language -> its HTML)."""
    titles, links = [], []
    for lang in sections:
        with i18n.language(lang):
            titles.append(f'<span lang="{lang}">{html_text(_(MAP_TITLE))}</span>')
            links.append(f'<a href="#{lang}" lang="{lang}">{html_text(i18n.LANGUAGES[lang])}</a>')
    with i18n.language(i18n.DEFAULT):
        label = _("Languages")
        title = _(MAP_TITLE)
    body = (
        f"<header><h1>{'<br>'.join(titles)}</h1>"
        f'<nav aria-label="{html_text(label)}">{"".join(links)}</nav></header>\n'
        f"<main>{''.join(sections.values())}</main>"
    )
    return htmlpage.page(title, body, i18n.DEFAULT)


def site_files(
    basemap: str = "none", progress: Callable[[str], None] | None = None
) -> tuple[dict[str, str | bytes], list[str]]:
    """Every file of the site (relative path -> text or bytes) and the notices about plugins
    left out of the maps. ``progress`` is told each file's path as it is made."""
    told = progress or (lambda _path: None)
    built = {stage: registry.layers(zones.Params(stage=stage)) for stage in stages.STAGES}
    default = built[stages.DEFAULT]
    later = registry.layers(story.later(default.params))
    files: dict[str, str | bytes] = {}
    notices: list[str] = []

    def add(path: str, make: Callable[[], str | bytes]) -> None:
        told(path)
        files[path] = make()

    add(GEOJSON, lambda: export.geojson_text(default))
    add(FACTS_JSON, lambda: facts_json(default))
    sections = {}
    for lang in i18n.LANGUAGES:
        with i18n.language(lang):
            for stage in stages.STAGES:
                page, left_out = export.map_html(built[stage], basemap)
                notices += left_out
                add(map_path(lang, stage), lambda page=page: page)
            page, left_out = storypage.story_html(default, later, basemap)
            notices += left_out
            add(story_path(lang), lambda page=page: page)
            add(
                facts_path(lang),
                lambda lang=lang: htmlpage.facts_page(
                    default, back=(f"../{INDEX}#{lang}", _("All of the map's files"))
                ),
            )
            for stage in stages.STAGES:
                for ending, fmt in FIGURES:
                    add(
                        figure_path(lang, stage, ending),
                        lambda stage=stage, fmt=fmt: figure.render(built[stage], fmt=fmt),
                    )
            sections[lang] = _section(lang, default, files, basemap)
    add(INDEX, lambda: index_page(sections))
    return files, list(dict.fromkeys(notices))


def total_bytes(files: dict[str, str | bytes]) -> int:
    return sum(len(d.encode("utf-8") if isinstance(d, str) else d) for d in files.values())
