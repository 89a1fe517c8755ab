from pathlib import Path

import pytest
import shapely

from geo.data import borders as data
from geo.engine import places
from tests import source_report

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "article.txt"


def test_every_quote_is_in_the_passage_of_the_paragraph_it_names():
    quoted = [place for place in places.places() if place.quote]
    assert quoted
    for place in quoted:
        assert source_report.quoted_from(place.paragraph, place.quote), place.name


def test_the_recorded_passages_are_verbatim_from_the_report():
    """The record in tests/source_report.py against the report itself (CI has the copy)."""
    if not ARTICLE.exists():
        pytest.skip(f"the report's copy is not at {ARTICLE}; the record is checked where it is")
    paragraphs = [line for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for number, passages in source_report.PASSAGES.items():
        for passage in passages:
            assert passage in paragraphs[number - 1], number
    for place in places.places():
        if not place.named_in_article:  # context places: the report does not name them
            assert place.name not in " ".join(paragraphs), place.name


def test_the_article_places_are_all_there_and_context_is_flagged():
    named = {p.name for p in places.places() if p.named_in_article}
    assert {"Kharkiv", "Kyiv", "Russia", "Ukraine"} <= named
    assert any("Moldova" in n for n in named) and any("United States" in n for n in named)
    for place in places.places():
        if not place.named_in_article:
            assert place.quote is None and "context" in place.note


def test_coordinates_match_the_gazetteer_values_in_facts():
    # FACTS.md lists GeoNames coordinates, e.g. Kharkiv 49.98177 N 36.25475 E.
    expected = {
        "Kharkiv": (49.98177, 36.25475),
        "Kyiv": (50.45466, 30.5238),
        "Belgorod": (50.60343, 36.58091),
        "Vovchansk": (50.29078, 36.94108),
    }
    got = {p.name: (p.lat, p.lon) for p in places.places()}
    for name, latlon in expected.items():
        assert got[name] == pytest.approx(latlon, abs=1e-5)


def test_country_labels_sit_inside_their_country():
    region = data.region()
    for place in places.places():
        if place.kind == "country":
            code = {"Russia": "RUS", "Ukraine": "UKR"}[place.name]
            assert region.country(code).contains(shapely.Point(place.lon, place.lat))


def test_entries_read_alone_are_the_gazetteers_own():
    from geo.engine import places

    ids = tuple(row[1] for row in places._TABLE if row[1] is not None)
    assert places._entries(ids) == {i: places._gazetteer()[i] for i in ids}
