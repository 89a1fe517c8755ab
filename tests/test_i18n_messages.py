"""The engine's messages in Ukrainian: bad distances, bad link values, bad uploads, outputs that
cannot be written, places not found, damaged data. Each is made in the language current when it
is raised; in Ukrainian it stays one sentence naming the value, with no English words of the
catalogue's messages left (the list comes from the catalogue: every word of an English msgid
that no translation keeps); in English it reads exactly as before (typed out here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo import i18n
from geo.core import files
from geo.core.units import DistanceError
from geo.data import borders as data
from geo.engine import classify, gazetteer, layers, zones
from geo.i18n import catalogues
from geo.render.web import userlayer
from geo.userfiles import reading, userdata
from pages.shared import viewstate

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
#: Quoted values, commands in backticks, and tokens such as paths, keys and file names: what a
#: message repeats or tells people to type, not its prose.
_TECHNICAL = re.compile(r"'[^']*'|`[^`]*`|\S*[/_=.@:<>]\S*|--\S+")


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", _PLACEHOLDER.sub(" ", text))}


def _english_words() -> frozenset[str]:
    """Words of the catalogue's English messages that no Ukrainian translation keeps (so not
    technical tokens such as GeoJSON, UTF, sha256 or lat_column, which stay as typed)."""
    english, kept = set(), set()
    for ids, strings in catalogues.entries("uk", "messages"):
        for text in ids:
            english |= words(text)
        for text in strings:
            kept |= words(text)
    return frozenset(english - kept)


ENGLISH = _english_words()


def english_in(message: str) -> set[str]:
    return words(_TECHNICAL.sub(" ", message)) & ENGLISH


def check(make, *values: str, listed: tuple[str, ...] = ()) -> str:
    """``make()`` (a message, messages, or a call that raises one) in Ukrainian, checked: each
    message one line, all of them naming each of ``values``, no English prose (``listed``: values
    a message lists as accepted, such as basemap names); the same in English does have English
    prose (so the check can fail). Returns the English messages, one a line."""
    with i18n.language("uk"):
        messages = lines_of(make)
    english = "\n".join(lines_of(make))
    assert messages and all("\n" not in m for m in messages), messages
    for value in values:
        assert value in "\n".join(messages), (value, messages)
    for message in messages:
        prose = re.sub("|".join(map(re.escape, listed)) or "^$", " ", message)
        assert not english_in(prose), (english_in(prose), message)
    assert english_in(english), english
    assert "\n".join(messages) != english
    return english


def lines_of(make) -> list[str]:
    try:
        result = make()
    except Exception as err:  # noqa: BLE001 - the message is what is checked
        return [str(err)]
    return [result] if isinstance(result, str) else list(result)


def text_of(make) -> str:
    return "\n".join(lines_of(make))


def test_the_list_of_english_words_is_real():
    assert {
        "not",
        "the",
        "and",
        "folder",
        "file",
        "distance",
        "range",
        "skipped",
        "instead",
    } <= ENGLISH
    assert not {"geojson", "utf", "sha", "lat", "lon"} & ENGLISH  # kept as typed


# --------------------------------------------------------------------------- distances and links


@pytest.mark.parametrize("text", ["500km", "80", "12 furlongs", "abc", "inf km"])
def test_a_bad_distance_is_one_ukrainian_sentence(text):
    check(lambda: zones.parse_radius(text), repr(text), "radius", "12mi")


def test_a_bad_distance_in_english_reads_as_before():
    with pytest.raises(DistanceError) as err:
        zones.parse_radius("500km")
    assert str(err.value) == (
        "radius '500km' is out of range: radius takes a distance with a unit (m, km or mi) "
        "from 1.609 km to 160.9 km (1 mi to 100 mi), e.g. 12mi."
    )
    with i18n.language("uk"), pytest.raises(DistanceError) as err:
        zones.parse_depth("80")
    assert str(err.value) == (
        "depth '80' не має одиниці: depth приймає відстань з одиницею (m, km або mi) від 5 км "
        "до 300 км (від 3,107 милі до 186,4 милі), напр. 80km."
    )


def test_a_message_follows_the_language_current_when_it_is_raised():
    said = []
    for code in ("en", "uk", "en", "uk"):
        with i18n.language(code):
            said.append(text_of(lambda: zones.parse_radius("abc")))
    assert said[0] == said[2] and said[1] == said[3] and said[0] != said[1]


BAD_LINK = {
    "radius": "abc",
    "depth": "1e999km",
    "layers": "roads",
    "basemap": "satellite",
    "lang": "xx",
}


@pytest.mark.parametrize("key", list(BAD_LINK))
def test_a_bad_link_value_warns_in_ukrainian_and_falls_back(key):
    default = {**viewstate.to_query(viewstate.DEFAULT), "lang": "en"}[key]

    def warning():
        view, warnings = viewstate.from_query({key: BAD_LINK[key]})
        assert view == viewstate.DEFAULT and len(warnings) == 1
        return warnings[0]

    check(warning, repr(BAD_LINK[key]), f"{key}={default}", listed=viewstate.BASEMAPS)
    with i18n.language("uk"):
        assert warning().endswith(f"; натомість використано {key}={default}.")


def test_link_warnings_in_english_read_as_before():
    _view, warnings = viewstate.from_query(
        {"basemap": "satellite", "lang": "xx", "radius": "9" * 300}
    )
    assert warnings == [
        "radius is 300 characters long, which is no radius this map takes (e.g. radius=12mi); "
        "using radius=12mi instead.",
        "basemap 'satellite' is not one of osm, none: basemap takes osm or none, e.g. basemap=osm; "
        "using basemap=osm instead.",
        "lang 'xx' is not a language of this map: lang takes en (English), uk (Українська), e.g. "
        "lang=uk; "
        "using lang=en instead.",
    ]
    with i18n.language("uk"):
        long = viewstate.from_query({"radius": "9" * 300})[1][0]
    assert "9" * 60 not in long and not english_in(long)


# --------------------------------------------------------------------------- uploads


def read(blob: bytes, name: str, **options):
    return lambda: userdata.read(blob, name, **options)


def messages_of(blob: bytes, name: str):
    return lambda: userdata.read(blob, name).messages


def test_skipped_csv_rows_are_reported_in_ukrainian():
    blob = b"name,lat,lon\nA,abc,36.2\nB,50,36.3\nC,50\n"
    english = check(messages_of(blob, "points.csv"), "'points.csv'", "'abc'")
    assert english.splitlines() == [
        "'points.csv', line 2: has 'abc' where a number of degrees belongs (e.g. 50.0); skipped.",
        "'points.csv', line 4: has 2 fields where the header has 3; skipped.",
    ]
    with i18n.language("uk"):
        got = userdata.read(blob, "points.csv")
    assert got.skipped == 2 and [f.where for f in got.features] == ["рядок 3"]
    assert got.messages[1] == "'points.csv', рядок 4: має 2 поля, а в заголовку їх 3; пропущено."


def test_messages_beyond_the_limit_are_counted_in_ukrainian_plural_forms():
    def last(bad: int) -> str:
        blob = b"name,lat,lon\n" + b"".join(
            b"n%d,x,36\n" % i for i in range(reading.MAX_MESSAGES + bad)
        )
        return userdata.read(blob, "many.csv").messages[-1]

    check(lambda: last(21), "'many.csv'", "21")
    with i18n.language("uk"):
        assert [last(n) for n in (1, 3, 5)] == [
            "'many.csv': ще 1 подібне повідомлення не показано.",
            "'many.csv': ще 3 подібні повідомлення не показано.",
            "'many.csv': ще 5 подібних повідомлень не показано.",
        ]
    assert last(5) == "'many.csv': 5 more messages like these are not shown."


@pytest.mark.parametrize(
    "blob, name, values",
    [
        (b"name,lat,lon\nX\xe9,50,36\n", "bad.csv", ["'bad.csv'", "0xE9"]),
        (b"lat,lon\n36.2,49.9\n36.3,49.8\n", "swapped.csv", ["'swapped.csv'", "lat_column="]),
        (b"name,x1\nA,1\n", "nocol.csv", ["'nocol.csv'", "'name, x1'"]),
        (b"lat,lon,LAT\n1,2,3\n", "twice.csv", ["'twice.csv'", "'LAT'"]),
        (b"lat,lon\n", "empty.csv", ["'empty.csv'"]),
        (b"hello", "map.docx", ["'map.docx'", "GeoJSON", "20 МБ", "50\u00a0000"]),
        (
            b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
            b'"geometry":{"type":"Point","coordinates":[4000000,6000000]}}]}',
            "proj.geojson",
            ["'proj.geojson'", "4\u00a0000\u00a0000"],
        ),
    ],
)
def test_an_unusable_upload_is_refused_in_one_ukrainian_sentence(blob, name, values):
    english = check(read(blob, name), *values)
    assert english.startswith(f"'{name}' ")


def test_geojson_features_are_reported_in_ukrainian():
    blob = (
        b'{"type":"FeatureCollection","features":['
        b'{"type":"Feature","properties":{},"geometry":null},'
        b'{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[500,20]}},'
        b'{"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":['
        b'{"type":"Point","coordinates":[36,50]},{"type":"LineString","coordinates":[[36,50],[36.1,50.1]]}]}},'
        b'{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":'
        b"[[[36,50],[36.2,50.2],[36.2,50],[36,50.2],[36,50]]]}}]}"
    )
    english = check(
        messages_of(blob, "mixed.geojson"), "'mixed.geojson'", "500", "shapely.make_valid"
    )
    assert english.splitlines()[2] == (
        "'mixed.geojson', feature 3: mixes points and lines; it is kept as one feature for each."
    )
    with i18n.language("uk"):
        got = userdata.read(blob, "mixed.geojson")
    assert [f.where for f in got.features] == ["об’єкт 3 (точки)", "об’єкт 3 (лінії)", "об’єкт 4"]


# --------------------------------------------------------------------------- files, places, data


def test_outputs_that_cannot_be_written_are_refused_in_ukrainian(tmp_path):
    missing = tmp_path / "missing" / "map.html"
    english = check(lambda: files.write_all({missing: "x"}), str(missing))
    assert english == f"cannot write {missing}: the folder {missing.parent} does not exist."
    check(lambda: files.write_all({tmp_path: "x"}), str(tmp_path), str(tmp_path / "map.html"))
    same = tmp_path / "a.html"
    check(lambda: files.write_all({same: "x", str(tmp_path / "." / "a.html"): "y"}), str(same))
    check(lambda: files.write_all({"": "x"}), "map.html")
    assert not any(tmp_path.iterdir())


def test_a_file_that_cannot_be_read_says_why_in_ukrainian(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    gone = Path("gone.geojson")
    english = check(lambda: files.read_regular(gone, 10), str(gone))
    assert english == f"{gone} cannot be read (No such file or directory)"
    with i18n.language("uk"):
        assert text_of(lambda: files.read_regular(gone, 10)).endswith(
            "(немає такого файлу або теки)"
        )
    check(lambda: userdata.read_path(gone), repr(str(gone)))


def test_places_not_found_in_ukrainian():
    english = check(lambda: gazetteer.find("Qwzxvbn", None).message, "'Qwzxvbn'", "Харків")
    assert english == (
        "No place called 'Qwzxvbn' was found offline (turn on the online search to ask "
        "OpenStreetMap); "
        "check the spelling, e.g. Kharkiv or Харків."
    )
    check(lambda: gazetteer.check_name("  "), "Харків")
    check(lambda: gazetteer.check_name("x" * 300), "'" + "x" * 60 + "…'", "200")


def test_a_damaged_checksum_list_in_ukrainian(tmp_path):
    (tmp_path / data.CHECKSUMS_FILE).write_text("zz\n")
    english = check(
        lambda: data.expected_checksums(tmp_path),
        str(tmp_path / data.CHECKSUMS_FILE),
        "'zz'",
        data.REBUILD,
    )
    assert english.endswith(
        f"line 1 is not \"<sha256>  <file name>\" ('zz'); restore it from git or run "
        f"{data.REBUILD}."
    )


# --------------------------------------------------------------------------- what the engine shows


def test_depth_presets_are_named_in_ukrainian():
    for name, depth in zones.DEPTH_PRESETS.items():
        with i18n.language("uk"):
            shown = i18n._(name)
        assert shown != name and f"{depth.km:.0f} км" in shown and not english_in(shown)


@pytest.fixture(scope="module")
def built():
    return layers.layers(zones.Params())


def test_classified_rows_read_in_ukrainian_with_english_keys(built):
    with i18n.language("uk"):
        (row,) = classify.classify(
            userdata.read(b"name,lat,lon\nBelgorod,50.60343,36.58091\n", "mine.csv"), built
        )
        answers = classify.answers(row, built)
        popup = userlayer.popup_html(row)
        legend = userlayer.legend_entry("Мої місця", 1)["label"]
    assert answers["km_country"] == "Росія" and row.country == "Russia"
    assert list(answers) == list(classify.answers_header()) and answers["km_kind"] == "point"
    assert "До кордону:" in popup and "До центру Харкова:" in popup and "Росія" in popup
    ours = re.sub(r"<[^>]*>", " ", popup).replace(
        row.zone_name, " "
    )  # the zone's name is the registry's
    assert "рядок 2" in ours and not english_in(ours.replace("name", " ").replace("Belgorod", " "))
    assert legend == "Мої місця (1 об’єкт)"
    assert classify.answers(row, built)["km_country"] == "Russia"
    assert "To Kharkiv's centre:" in userlayer.popup_html(row)
    assert userlayer.legend_entry("Mine", 1_200)["label"] == "Mine (1,200 features)"
