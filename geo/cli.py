"""``kharkiv-map``: the map, its figures and its files from a terminal.

    kharkiv-map export --out map.html [--geojson layers.geojson] [--radius 12mi] [--depth 80km]
                       [--stage 2024-05-30] [--basemap osm|none] [--cdn]
    kharkiv-map facts [--json] [--radius 12mi] [--depth 80km] [--stage 2024-05-30]
    kharkiv-map assets install [--dest DIR] [--no-npm]
    kharkiv-map assets status [--dest DIR]
    kharkiv-map data rebuild [--package FILE | --display-only]

Exit status: 0 on success, 1 when ``assets status`` finds a bundle missing, 2 for a bad
argument, unwritable path, or missing data/assets, always with one sentence on stderr;
130 when interrupted (Ctrl-C), quietly. Output goes out in the terminal's encoding, with
what it cannot show replaced.

Modules are imported where they are needed (the layers when the parser is built, folium
and the map builder only by ``export``), so ``--help`` and ``facts`` start without folium,
and Ctrl-C while they load still ends quietly.
"""

from __future__ import annotations

import argparse
import json
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

    fac = sub.add_parser("facts", help="print the measured figures")
    fac.add_argument("--json", action="store_true", help="print JSON instead of a table")
    geometry_options(fac)

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


def _params(args):
    from geo import zones

    return zones.Params(radius=args.radius, depth=args.depth, stage=args.stage)


def _export(args) -> int:
    from geo import export, layers

    outputs = [path for path in (args.out, args.geojson) if path is not None]
    files.check_outputs(outputs)  # before the map is built: a bad path costs nothing
    built = layers.layers(_params(args))
    page, notices = export.map_html(built, args.basemap, cdn=args.cdn)
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)
    contents = {args.out: page}
    if args.geojson is not None:
        contents[args.geojson] = export.geojson_text(built)
    files.write_all(contents)
    for path, text in contents.items():
        print(f"wrote {files.shown_path(path)} ({len(text.encode()):,} bytes)")
    return 0


def _facts(args) -> int:
    from geo import facts, layers

    params = _params(args)
    figures = facts.figures(layers.layers(params))
    rows = facts.stage_figures(params)
    if args.json:
        print(json.dumps({**facts.to_json(figures), "stages": facts.stages_json(rows)}, indent=2, ensure_ascii=False))
    else:
        print(facts.as_table(figures) + "\n\n" + facts.stages_table(rows))
    return 0


def _assets(args) -> int:
    from geo import assets

    folder = args.dest if args.dest is not None else assets.vendor_dir()
    if args.action == "install":
        for line in assets.install(folder, use_npm=not args.no_npm):
            print(line)
        print(f"Map assets are in {files.shown_path(folder)}.")
        return 0
    intact = assets.status(folder)
    for name, ok in intact.items():
        bundle = assets.BUNDLES[name]
        print(f"{bundle.label} ({bundle.spec}): {'installed' if ok else 'missing or altered'}")
    return 0 if all(intact.values()) else 1


def _data(args) -> int:
    from geo import build_data

    print(build_data.rebuild(args.package, display_only=args.display_only))
    return 0


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
}


def _sentence_errors() -> tuple[type[BaseException], ...]:
    return tuple(getattr(sys.modules[module], name) for module, names in _SENTENCE_ERRORS.items()
                 if module in sys.modules for name in names)


def main(argv: list[str] | None = None) -> int:
    _printable_streams()
    try:
        args = parser().parse_args(argv)
        commands = {"export": _export, "facts": _facts, "assets": _assets, "data": _data}
        return commands[args.command](args)
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
