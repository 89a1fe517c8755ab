"""``kharkiv-map``: the map and its figures from a terminal.

    kharkiv-map export --out map.html [--geojson layers.geojson] [--radius 12mi] [--depth 80km]
                       [--stage 2024-05-30] [--basemap osm|none] [--cdn]
    kharkiv-map facts [--json] [--radius 12mi] [--depth 80km] [--stage 2024-05-30]

Exit status: 0 on success, 2 for a bad argument, unwritable path, or missing data/assets,
always with one sentence on stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from geo import assets, export, facts, layers, stages, zones
from geo.data import DataError
from geo.viewstate import BASEMAPS
from geo.units import DistanceError


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Let "--radius -5mi" reach the distance check (and its clear message) instead of
        # argparse reading "-5mi" as an unknown option.
        self._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[a-zA-Z]*$")

    def error(self, message: str):  # one sentence, status 2, no usage dump
        message = message if message.endswith(".") else message + "."
        self.exit(2, f"{self.prog}: error: {message}\n")


def _radius(text: str):
    try:
        return zones.parse_radius(text)
    except DistanceError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _depth(text: str):
    try:
        return zones.parse_depth(text)
    except DistanceError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _stage(text: str):
    try:
        return stages.parse_stage(text)
    except stages.StageError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="kharkiv-map", description="The Kharkiv border map: export it, or print its measured figures.")
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    presets = ", ".join(f"{d.km:.0f}km" for d in zones.DEPTH_PRESETS.values())

    def geometry_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--radius", type=_radius, default=zones.RADIUS_DEFAULT, metavar="DIST",
                       help="R for the border band and the ring around Kharkiv, 1mi–100mi (default 12mi)")
        p.add_argument("--depth", type=_depth, default=zones.DEPTH_DEFAULT, metavar="DIST",
                       help=f"D, depth of the counterfire zone into Russia, 5km–300km (default 80km; presets {presets})")
        p.add_argument("--stage", type=_stage, default=stages.DEFAULT, metavar="DATE",
                       help=f"the stage of the policy: {', '.join(stages.BY_ID)} (default {stages.DEFAULT.id}, "
                       "the article's moment)")

    exp = sub.add_parser("export", help="write the map as a standalone HTML page, and the layers as GeoJSON")
    exp.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    exp.add_argument("--geojson", type=Path, help="also write the layers and places as RFC 7946 GeoJSON")
    geometry_options(exp)
    exp.add_argument("--basemap", choices=BASEMAPS, default="osm",
                     help="osm: OpenStreetMap tiles (needs internet for the tiles); none: plain background")
    exp.add_argument("--cdn", action="store_true",
                     help="link Leaflet and plugins from public CDNs instead of inlining them (smaller file)")

    fac = sub.add_parser("facts", help="print the measured figures")
    fac.add_argument("--json", action="store_true", help="print JSON instead of a table")
    geometry_options(fac)
    return top


def _params(args) -> zones.Params:
    return zones.Params(radius=args.radius, depth=args.depth, stage=args.stage)


def _export(args) -> int:
    for path in (args.out, args.geojson):
        if path is not None:
            export.check_writable(path)
    built = layers.layers(_params(args))
    page, notices = export.map_html(built, args.basemap, cdn=args.cdn)
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)
    geojson = export.geojson_text(built) if args.geojson else None
    export.write_atomic(args.out, page)
    print(f"wrote {args.out} ({len(page.encode()):,} bytes)")
    if geojson is not None:
        export.write_atomic(args.geojson, geojson)
        print(f"wrote {args.geojson} ({len(geojson.encode()):,} bytes)")
    return 0


def _facts(args) -> int:
    params = _params(args)
    figures = facts.figures(layers.layers(params))
    rows = facts.stage_figures(params)
    if args.json:
        print(json.dumps({**facts.to_json(figures), "stages": facts.stages_json(rows)}, indent=2, ensure_ascii=False))
    else:
        print(facts.as_table(figures) + "\n\n" + facts.stages_table(rows))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return {"export": _export, "facts": _facts}[args.command](args)
    except (export.OutputError, DataError, assets.AssetsMissing) as err:
        print(f"kharkiv-map: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `kharkiv-map facts | head`
        sys.stderr.close()
        return 0
    except OSError as err:
        print(f"kharkiv-map: error: {err.filename or 'output'}: {err.strerror}.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
