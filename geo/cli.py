"""``kharkiv-map``: the map, its figures and its files from a terminal.

    kharkiv-map export --out map.html [--geojson layers.geojson] [--radius 12mi] [--depth 80km]
                       [--stage 2024-05-30] [--basemap osm|none] [--cdn]
    kharkiv-map facts [--json] [--radius 12mi] [--depth 80km] [--stage 2024-05-30]
    kharkiv-map figure --out map.png|map.svg|map.pdf [--size 16:9|a4-portrait|1920x1080] [--scale 1|2]
                       [--radius 12mi] [--depth 80km] [--stage 2024-05-30]
    kharkiv-map classify INPUT [--out OUTPUT.csv|.geojson ...] [--radius 12mi] [--depth 80km] [--stage …]
                       [--lat-column NAME] [--lon-column NAME] [--encoding NAME]
    kharkiv-map where NAME [--online] [--radius 12mi] [--depth 80km] [--stage …]
    kharkiv-map assets install [--dest DIR] [--no-npm]
    kharkiv-map assets status [--dest DIR]
    kharkiv-map data rebuild [--package FILE | --display-only]

Exit status: 0 on success, 1 when ``assets status`` finds a bundle missing or ``where``
finds no place, 2 for a bad
argument, unwritable path, or missing data/assets, always with one sentence on stderr;
130 when interrupted (Ctrl-C), quietly. Output goes out in the terminal's encoding, with
what it cannot show replaced.

Modules are imported where they are needed (the layers when the parser is built, folium
and the map builder only by ``export``), so ``--help`` and ``facts`` start without folium,
and Ctrl-C while they load still ends quietly.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from geo import files

#: Exit status after Ctrl-C, as shells report a process ended by SIGINT.
INTERRUPTED = 130

# Values argparse repeats in its messages ('quoted', or bare), to be cut to a short start.
_LONG_VALUE = re.compile(r"'([^'\n]{%d,})'|(\S{%d,})" % (files.VALUE_LIMIT + 1, files.VALUE_LIMIT + 3))


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Let "--radius -5mi" reach the distance check (and its clear message) instead of
        # argparse reading "-5mi" as an unknown option.
        self._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[a-zA-Z]*$")

    def _get_values(self, action, arg_strings):
        # argparse drops a "--" given as an option's value ("--radius=--") and hands on an
        # empty list; check it as the text it is, so it gets the option's own message.
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            return self._get_value(action, "--")
        return super()._get_values(action, arg_strings)

    def error(self, message: str):  # one sentence, status 2, no usage dump
        message = _LONG_VALUE.sub(lambda m: f"'{files.shown(m[1])}'" if m[1] else files.shown(m[2]), message)
        # One line whatever was typed: control characters and line separators in a value
        # (which str.splitlines reads as line breaks) are shown as U+FFFD.
        message = "".join(ch if ch.isprintable() else "\ufffd" for ch in message)
        message = message if message.endswith(".") else message + "."
        self.exit(2, f"{self.prog}: error: {message}\n")


def _basemap(name: str) -> str:
    """A basemap of the map (``geo.viewstate.BASEMAPS``), looked up only when ``--basemap``
    is given."""
    from geo.viewstate import BASEMAPS

    if name not in BASEMAPS:
        choices = ", ".join(map(repr, BASEMAPS))
        raise argparse.ArgumentTypeError(f"invalid choice: {files.shown(name)!r} (choose from {choices})")
    return name


def _distance_type(parse):
    from geo.units import DistanceError

    def check(text: str):
        try:
            return parse(text)
        except DistanceError as err:  # the message repeats the value: repeat only its start
            raise argparse.ArgumentTypeError(str(err).replace(text, files.shown(text)) if text else str(err)) from None

    return check


def _stage(text: str):
    from geo import stages

    try:
        return stages.parse_stage(text)
    except stages.StageError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def parser() -> argparse.ArgumentParser:
    from geo import stages, zones

    top = _Parser(prog="kharkiv-map",
                  description="The Kharkiv border map: export it, print its measured figures, manage its files.")
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    presets = ", ".join(f"{d.km:.0f}km" for d in zones.DEPTH_PRESETS.values())

    def geometry_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--radius", type=_distance_type(zones.parse_radius), default=zones.RADIUS_DEFAULT,
                       metavar="DIST",
                       help="R for the border band and the ring around Kharkiv, 1mi–100mi (default 12mi)")
        p.add_argument("--depth", type=_distance_type(zones.parse_depth), default=zones.DEPTH_DEFAULT,
                       metavar="DIST",
                       help=f"D, depth of the counterfire zone into Russia, 5km–300km (default 80km; presets {presets})")
        p.add_argument("--stage", type=_stage, default=stages.DEFAULT, metavar="DATE",
                       help=f"the stage of the policy: {', '.join(stages.BY_ID)} (default {stages.DEFAULT.id}, "
                       "the article's moment)")

    exp = sub.add_parser("export", help="write the map as a standalone HTML page, and the layers as GeoJSON")
    exp.add_argument("--out", required=True, help="the HTML file to write")
    exp.add_argument("--geojson", help="also write the layers and places as RFC 7946 GeoJSON")
    geometry_options(exp)
    exp.add_argument("--basemap", type=_basemap, default="osm", metavar="{osm,none}",
                     help="osm: OpenStreetMap tiles (needs internet for the tiles); none: plain background")
    exp.add_argument("--cdn", action="store_true",
                     help="link Leaflet and plugins from public CDNs instead of inlining them (smaller file)")

    fig = sub.add_parser("figure", help="draw the map as a static picture for slides and print (PNG, SVG, PDF)")
    fig.add_argument("--out", required=True, help="the file to write; its ending (.png, .svg, .pdf) sets the format")
    fig.add_argument("--size", default="16:9", help="16:9 (1920x1080, the default), a4-portrait, or WIDTHxHEIGHT "
                     "in pixels, each side 320–4096")
    fig.add_argument("--scale", type=int, choices=(1, 2), default=1, help="2 doubles the pixels of a PNG (projectors)")
    geometry_options(fig)

    fac = sub.add_parser("facts", help="print the measured figures")
    fac.add_argument("--json", action="store_true", help="print JSON instead of a table")
    geometry_options(fac)

    cla = sub.add_parser("classify", help="answer for every feature of your own GeoJSON, KML or CSV file: its zone, "
                         "country and distances")
    cla.add_argument("input", help="the file to read (.geojson, .json, .kml, .csv; up to 20 MB and 50,000 features)")
    cla.add_argument("--out", action="append", default=[], metavar="OUTPUT",
                     help="write the answers to OUTPUT.csv or OUTPUT.geojson (repeat for both); without it, a "
                     "table is printed")
    cla.add_argument("--lat-column", help="the CSV column holding latitudes (found by its header otherwise)")
    cla.add_argument("--lon-column", help="the CSV column holding longitudes (found by its header otherwise)")
    cla.add_argument("--encoding", help="the text encoding of the file when it is not UTF-8, e.g. cp1251")
    geometry_options(cla)

    whe = sub.add_parser("where", help="find a place by name and say what is there: zone, distances, coordinates")
    whe.add_argument("name", help="a place name in any GeoNames spelling, e.g. Kharkiv, Харків, Kharkov")
    whe.add_argument("--online", action="store_true",
                     help="also ask OpenStreetMap's Nominatim when nothing matches exactly offline (needs internet; "
                     "set KHARKIV_MAP_CONTACT to your e-mail or URL, as its usage policy asks)")
    geometry_options(whe)

    assets = sub.add_parser("assets", help="install or check the map's pinned scripts (Leaflet, jQuery, plugins)")
    assets_sub = assets.add_subparsers(dest="action", required=True, parser_class=_Parser)
    for name, text in (("install", "fetch, verify and install every bundle (Leaflet from PyPI, plugins with npm)"),
                       ("status", "say which bundles are installed and intact (exit 1 if any is not)")):
        action = assets_sub.add_parser(name, help=text, description=text)
        action.add_argument("--dest", type=Path, default=None,
                            help="install folder (default: $KHARKIV_MAP_ASSETS or <repo>/static/vendor)")
        if name == "install":
            action.add_argument("--no-npm", action="store_true", help="skip the npm plugins")

    data = sub.add_parser("data", help="rebuild the border data from its source package")
    data_sub = data.add_subparsers(dest="action", required=True, parser_class=_Parser)
    rebuild = data_sub.add_parser("rebuild", help="rebuild data/borders.geojson, data/display.geojson and "
                                  "data/SHA256SUMS (needs npm and the npm registry, or --package)")
    source = rebuild.add_mutually_exclusive_group()
    source.add_argument("--package", type=Path, help="an already downloaded countries-land-100m-0.6.0.tgz")
    source.add_argument("--display-only", action="store_true",
                        help="rebuild only data/display.geojson, from the committed borders.geojson (no npm)")
    return top


def _printable_streams() -> None:
    """Print in whatever encoding the terminal has, replacing what it cannot show (a
    non-UTF-8 file name, "–" on an ASCII terminal) instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass


#: The failures that end a command with one sentence and exit status 2, by module. A module
#: that was never imported cannot have raised its error, so only loaded ones are checked.
_SENTENCE_ERRORS = {
    "geo.files": ("OutputError", "ReadError"),
    "geo.data": ("DataError",),
    "geo.assets.store": ("AssetsMissing", "UnknownAssetLink"),
    "geo.build_data": ("BuildError",),
    "geo.figure": ("FigureError",),
    "geo.userdata": ("UserDataError",),
    "geo.gazetteer": ("PlaceNameError",),
}


def _sentence_errors() -> tuple[type[BaseException], ...]:
    return tuple(getattr(sys.modules[module], name) for module, names in _SENTENCE_ERRORS.items()
                 if module in sys.modules for name in names)


def main(argv: list[str] | None = None) -> int:
    _printable_streams()
    try:
        args = parser().parse_args(argv)
        from geo import commands

        return commands.COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return INTERRUPTED
    except BrokenPipeError:  # e.g. `kharkiv-map facts | head`
        sys.stderr.close()
        return 0
    except _sentence_errors() as err:
        text = str(err)
        print(f"kharkiv-map: error: {text}{'' if text.endswith('.') else '.'}", file=sys.stderr)
        return 2
    except OSError as err:
        where = files.shown_path(err.filename) if err.filename else "output"
        print(f"kharkiv-map: error: {where}: {err.strerror or err}.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
