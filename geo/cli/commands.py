"""What each ``kharkiv-map`` command does once its arguments are read (``geo.cli`` reads
them). Each takes the parsed arguments and returns the exit status; a failure that is the
user's to fix raises the module's one-sentence error, which ``geo.cli.program.main`` prints.

Heavy modules are imported inside the command that needs them, so ``facts`` never loads
folium and ``--help`` loads none of this.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from geo import i18n
from geo.core import files
from geo.i18n import _, ngettext, quote


def _size(content: str | bytes) -> int:
    return len(content) if isinstance(content, bytes) else len(content.encode())


def _wrote(path, size: int, features: int | None = None) -> str:
    """``wrote map.html (1,234 bytes)``, with the number of features when given."""
    size_text = ngettext("{n} byte", "{n} bytes", size).format(n=i18n.number(size))
    if features is None:
        return _("wrote {path} ({size})").format(path=quote.shown_path(path), size=size_text)
    features_text = ngettext("{n} feature", "{n} features", features).format(
        n=i18n.number(features)
    )
    return _("wrote {path} ({features}, {size})").format(
        path=quote.shown_path(path), features=features_text, size=size_text
    )


def _note(message: str) -> None:
    print(_("note: {message}").format(message=message), file=sys.stderr)


def _table_number(value: float, width: int) -> str:
    """A distance in a printed table: one decimal, right-aligned, the language's decimal sign."""
    return f"{value:{width}.1f}".replace(".", i18n.decimal_sign())


def _own_files(scripts: bool = False) -> list[Path]:
    """The program's own files a command reads, which no output may replace: the data files
    and, for the exported page (``scripts``), the map's installed scripts."""
    from geo.data import borders

    found = borders.data_files()
    if scripts:
        from geo.data import scripts as manifest
        from geo.render.web import assets

        folder = assets.vendor_dir()
        found += [
            assets.location(library, file, folder)
            for library in manifest.LIBRARIES
            for file in library.files
        ]
    return found


def params(args):
    from geo.engine import zones

    return zones.Params(radius=args.radius, depth=args.depth, stage=args.stage, source=args.source)


LAYER_ENDINGS = (".geojson", ".gpkg", ".kml")


def run_export(args) -> int:
    from geo.engine import layers
    from geo.render.web import export

    if args.layers is not None and Path(args.layers).suffix.lower() not in LAYER_ENDINGS:
        raise files.OutputError(
            _(
                "{path} does not end in .geojson, .gpkg or .kml, which set the layers' format; "
                "e.g. --layers layers.gpkg."
            ).format(path=quote.shown_path(args.layers))
        )
    outputs = [path for path in (args.out, args.geojson, args.layers) if path is not None]
    own = _own_files(scripts=True)
    files.check_outputs(outputs, inputs=own)  # before the map is built: a bad path costs nothing
    built = layers.layers(params(args))
    page, notices = export.map_html(built, args.basemap, cdn=args.cdn)
    for notice in notices:
        _note(notice)
    contents = {args.out: page}
    if args.geojson is not None:
        contents[args.geojson] = export.geojson_text(built)
    if args.layers is not None:
        from geo.render import gis  # GDAL, only for these files

        contents[args.layers] = gis.layers_file(built, Path(args.layers).suffix)
    files.write_all(contents, inputs=own)
    for path, content in contents.items():
        print(_wrote(path, _size(content)))
    return 0


def run_story(args) -> int:
    from geo.engine import layers, zones
    from geo.narrative import story
    from geo.render.web import storypage

    own = _own_files(scripts=True)
    files.check_outputs([args.out], inputs=own)  # before the map is built: a bad path costs nothing
    asked = zones.Params(radius=args.radius, depth=args.depth)  # the story sets the stages
    page, notices = storypage.story_html(
        layers.layers(asked), layers.layers(story.later(asked)), args.basemap
    )
    for notice in notices:
        _note(notice)
    files.write_all({args.out: page}, inputs=own)
    print(_wrote(args.out, len(page.encode())))
    return 0


def run_site(args) -> int:
    from geo.core import folders
    from geo.render import site

    folders.previous_files(args.out)  # before anything is made: a bad folder costs nothing
    contents, notices = site.site_files(args.basemap)
    for notice in notices:
        _note(notice)
    folders.write_folder(args.out, contents)
    size = site.total_bytes(contents) + len(folders.manifest_text(contents).encode())
    written = len(contents) + 1  # and the manifest
    print(
        _("wrote {files} into {path} ({size}); open {index}").format(
            files=ngettext("{n} file", "{n} files", written).format(n=i18n.number(written)),
            path=quote.shown_path(args.out),
            size=ngettext("{n} byte", "{n} bytes", size).format(n=i18n.number(size)),
            index=quote.shown_path(str(Path(args.out) / site.INDEX)),
        )
    )
    return 0


FIGURE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def run_figure(args) -> int:
    from geo.engine import layers
    from geo.render.print import figure

    ending = Path(args.out).suffix.lower()
    if ending not in FIGURE_FORMATS:
        raise files.OutputError(
            _(
                "{path} does not end in .png, .svg or .pdf, which set the figure's format; e.g. "
                "--out map.png."
            ).format(path=quote.shown_path(args.out))
        )
    size = figure.parse_size(args.size)
    own = _own_files()
    files.check_outputs([args.out], inputs=own)
    picture = figure.render(
        layers.layers(params(args)), size=size, fmt=FIGURE_FORMATS[ending], scale=args.scale
    )
    files.write_all({args.out: picture}, inputs=own)
    print(_wrote(args.out, len(picture)))
    return 0


CLASSIFY_FORMATS = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}


def run_classify(args) -> int:
    from geo.engine import classify, layers

    for out in args.out:
        if Path(out).suffix.lower() not in CLASSIFY_FORMATS:
            raise files.OutputError(
                _(
                    "{path} does not end in .csv, .geojson, .json or .gpkg, which set the "
                    "answers' format; e.g. --out points.geojson."
                ).format(path=quote.shown_path(out))
            )
    read = [args.input, *_own_files()]
    files.check_outputs(args.out, inputs=read)
    asked = params(args)
    data, rows = classify.read_and_classify(
        Path(args.input),
        args.input,
        lambda: layers.layers(asked),
        encoding=args.encoding,
        lat_column=args.lat_column,
        lon_column=args.lon_column,
    )
    for message in data.messages:
        _note(message)
    built = layers.layers(asked)  # built once, above, and kept by the engine's cache
    writers = {"csv": classify.to_csv, "geojson": classify.to_geojson, "gpkg": _answers_gpkg}
    contents = {
        out: writers[CLASSIFY_FORMATS[Path(out).suffix.lower()]](rows, built) for out in args.out
    }
    files.write_all(contents, inputs=read)
    for path, content in contents.items():
        print(_wrote(path, _size(content), features=len(rows)))
    if not args.out:
        for row in rows:
            print(
                _(
                    "{where:<14} {country:<8} {zone:<42} border {to_border} km  Kharkiv "
                    "{to_kharkiv} km"
                ).format(
                    where=row.feature.where,
                    country=_(row.country),
                    zone=_(row.zone_name),
                    to_border=_table_number(row.to_border.km, 8),
                    to_kharkiv=_table_number(row.to_kharkiv.km, 8),
                )
            )
    classified = ngettext("{n} feature classified", "{n} features classified", len(rows)).format(
        n=i18n.number(len(rows))
    )
    if data.skipped:
        classified = _("{classified}, {skipped} skipped").format(
            classified=classified, skipped=i18n.number(data.skipped)
        )
    print(classified + ".", file=sys.stderr)
    return 0


def _answers_gpkg(rows, built) -> bytes:
    from geo.render import gis  # GDAL's writer, only for a GeoPackage

    return gis.answers_gpkg(rows, built)


def run_where(args) -> int:
    from geo.core.units import length_text
    from geo.engine import gazetteer, layers

    found = gazetteer.find(args.name, layers.layers(params(args)), online=args.online)
    if found.answer is None:
        print(f"kharkiv-map: {found.message}", file=sys.stderr)
        return 1
    best, answer = found.matches[0], found.answer
    print(
        f"{best.name} ({best.country or _('country not given')}), {answer.coordinates} — "
        f"{best.source}"
    )
    print(answer.sentence)
    print(
        _("To the border: {to_border}; to Kharkiv's centre: {to_kharkiv}").format(
            to_border=length_text(answer.to_border), to_kharkiv=length_text(answer.to_kharkiv)
        )
    )
    for other in found.matches[1:]:
        print(
            _("  also: {name} ({country}), {lat:.5f}, {lon:.5f}").format(
                name=other.name, country=other.country, lat=other.lat, lon=other.lon
            )
        )
    if found.message:
        _note(found.message)
    return 0


def run_facts(args) -> int:
    from geo.engine import facts, layers

    asked = params(args)
    figures = facts.figures(layers.build(asked, drawn=False))  # figures need no drawings
    rows = facts.stage_figures(asked)
    if args.json:
        print(json.dumps(facts.document(figures, rows), indent=2, ensure_ascii=False))
    else:
        print(facts.as_table(figures) + "\n\n" + facts.stages_table(rows))
    return 0


def run_assets(args) -> int:
    from geo.data.scripts import LIBRARIES
    from geo.render.web import assets

    folder = args.dest if args.dest is not None else assets.vendor_dir()
    if args.action == "install":
        for line in assets.install(folder, use_npm=not args.no_npm):
            print(line)
        print(_("Map assets are in {path}.").format(path=quote.shown_path(folder)))
        return 0
    intact = assets.status(folder)
    for library in LIBRARIES:
        state = _("installed") if intact[library.name] else _("missing or altered")
        print(f"{_(library.label)} ({library.spec}): {state}")
    return 0 if all(intact.values()) else 1


def run_data(args) -> int:
    from geo.tools import rebuild as build_data

    print(build_data.rebuild(args.package, display_only=args.display_only, source=args.source))
    return 0


COMMANDS = {
    "export": run_export,
    "story": run_story,
    "site": run_site,
    "figure": run_figure,
    "facts": run_facts,
    "classify": run_classify,
    "where": run_where,
    "assets": run_assets,
    "data": run_data,
}
