"""The Classroom story and the About page in Ukrainian: no English sentence of theirs is left,
their figures are written the Ukrainian way and agree with the English ones, and the quotes
(the article's, the other sources') are still there, in English.

The English to look for is read from the "texts" catalogue: every run of three words of a
msgid whose translation differs. Runs that also occur in what these texts embed from other
parts of the program (stage, layer and place names, which their own catalogues translate) or
in the quotes are left out, so that this checks these texts and not the others'.
"""

from __future__ import annotations

import re

import pytest

from geo import i18n
from geo.engine import facts, places, stages, zones
from geo.engine import layers as registry
from geo.i18n import catalogues
from geo.narrative import about, story
from tests import test_app
from tests.test_app import ABOUT, CLASSROOM, assert_clean, open_page

#: Words separated by single spaces; a run of three of them is a phrase.
RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?: [A-Za-z][A-Za-z'’-]*)+")
CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")
#: The app's pages run as a served app runs them (an autouse fixture, here too).
navigation_pages = test_app.navigation_pages


def phrases(text: str) -> set[str]:
    """Every run of three words of ``text`` (placeholders and Markdown emphasis break runs)."""
    found = set()
    for segment in re.split(r"\{[^{}]*\}|\*\*", text):
        for run in RUN.findall(segment):
            words = run.split(" ")
            found.update(" ".join(words[i : i + 3]) for i in range(len(words) - 2))
    return found


def foreign_english() -> str:
    """In English, what these texts embed from other parts, and the quotes they show."""
    values = registry.template_values(zones.Params())
    parts = [
        *values.values(),
        places.ARTICLE,
        *zones.DEPTH_PRESETS,
        stages.KURSK_NOTE,
        stages.PUBLISHED_QUOTE,
        stages.PUBLISHED_SOURCE,
        stages.PUBLISHED_DEFINITION,
        stages.MEASURED_DEFINITION,
        stages.WHY_DIFFERENT,
    ]
    for spec in registry.REGISTRY:
        texts = [spec.title, spec.legend, spec.tooltip or "", spec.here or "", spec.area_name or ""]
        parts += texts + [text.format(**values) for text in texts]
    for stage in stages.STAGES:
        parts += [stage.label, stage.title, stage.description, stage.source, stage.quote]
    for place in places.places():
        parts += [place.name, place.quote or "", place.note]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def english(built) -> set[str]:
    """The phrases of the catalogue's translated msgids, less those of other parts and quotes."""
    found = set()
    for ids, strings in catalogues.entries("uk", "texts"):
        if strings[0] and strings != ids:
            found |= phrases(ids[0])
    quotes = "\n".join(step.quote or "" for step in told("en", built)[0])
    return found - phrases(foreign_english()) - phrases(quotes)


def english_left(text: str, english: set[str]) -> list[str]:
    return sorted(
        p for p in english if re.search(rf"(?<![A-Za-z'’]){re.escape(p)}(?![A-Za-z'’])", text)
    )


@pytest.fixture(scope="module")
def built():
    return registry.layers(story.PARAMS), registry.layers(story.LATER)


def told(language: str, built) -> tuple[tuple[story.Step, ...], list[tuple[str, str]]]:
    """The story's steps and the About sections as the pages make them, in ``language``."""
    layers, later = built
    with i18n.language(language):
        steps = story.steps(layers, facts.figures(layers), facts.stage_figures(story.PARAMS), later)
        sections = about.sections(facts.figures(layers))
    return steps, sections


def as_text(steps, sections) -> str:
    return "\n".join(
        [*(f"{s.title}\n{s.text}" for s in steps), *(f"{h}\n{t}" for h, t in sections)]
    )


def test_the_english_phrases_are_many_and_the_english_texts_have_them(english, built):
    """The check below can fail: in English, the same texts show most of the phrases."""
    assert len(english) > 400
    shown = english_left(as_text(*told("en", built)), english)
    assert len(shown) > 0.9 * len(english), sorted(english - set(shown))[:20]


def test_no_english_sentence_is_left_in_ukrainian(english, built):
    steps, sections = told("uk", built)
    assert not english_left(as_text(steps, sections), english)
    for step in steps:
        assert CYRILLIC.search(step.title) and CYRILLIC.search(step.text), step.number
    for heading, body in sections:
        assert CYRILLIC.search(heading) and CYRILLIC.search(body), heading


def test_a_bad_step_is_refused_in_ukrainian(english):
    with i18n.language("uk"):
        number, problem = story.step_from_query("nine", 6)
    assert number == 1 and "'nine'" in problem and "step=2" in problem
    assert CYRILLIC.search(problem) and not english_left(problem, english)


def figures_of(text: str) -> list[str]:
    """The figures with units: ``34.6 km``, ``26,499 km²`` / ``34,6 км``, ``26 499 км²``."""
    return re.findall(
        r"\d(?:[\d,.\u00a0 ]*\d)? (?:km²|km|miles|mi|км²|км|миль|милі|миля)(?![A-Za-zА-Яа-я])", text
    )


def as_number(figure: str, language: str) -> float:
    digits = figure.rsplit(" ", 1)[0]
    if language == "uk":
        return float(digits.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    return float(digits.replace(",", ""))


def test_figures_are_written_the_ukrainian_way_and_agree_with_the_english(built):
    (en_steps, en_sections), (uk_steps, uk_sections) = told("en", built), told("uk", built)
    pairs = [(e.text, u.text) for e, u in zip(en_steps, uk_steps)]
    pairs.append((en_sections[-1][1], uk_sections[-1][1]))  # the limits: the measured distance
    for en, uk in pairs:
        en_figures, uk_figures = figures_of(en), figures_of(uk)
        assert en_figures, en
        assert sorted(as_number(f, "en") for f in en_figures) == sorted(
            as_number(f, "uk") for f in uk_figures
        )
        assert not re.search(r"\d,\d{3}\b|\d\.\d|\b(km|mi)\b", uk), uk
    said = as_text(uk_steps, uk_sections)
    assert re.search(r"\d{1,3}\u00a0\d{3} км²", said)  # 26 499 км²
    assert re.search(r"\d+,\d км \(\d+,\d милі\)", said)  # 34,6 км (21,5 милі)
    assert re.search(
        r"\d+,\d+° пн\. ш\., \d+,\d+° сх\. д\.", said
    )  # 49,925° пн. ш., 38,063° сх. д.


def test_the_quotes_stay_in_english_with_a_note(built):
    (en_steps, en_sections), (uk_steps, uk_sections) = told("en", built), told("uk", built)
    for en, uk in zip(en_steps, uk_steps):
        assert uk.quote == en.quote  # the quote the page shows under the step
    english_text, ukrainian = as_text(en_steps, en_sections), as_text(uk_steps, uk_sections)
    # Quotes whose marks are part of another part's sentence (a stage's source) are that part's.
    quoted = {
        q for q in re.findall(r'"([^"]+)"', english_text) if f'"{q}"' not in foreign_english()
    }
    assert {
        "anywhere",
        "for counterfire purposes",
        "rockets and rocket launchers",
        "12 miles",
    } <= quoted
    for quote in quoted:
        assert f"«{quote}»" in ukrainian or f'"{quote}"' in ukrainian, quote
    assert "англійською" in uk_sections[1][1]  # the sources: the quotes are given in English


# --------------------------------------------------------------------------- the pages


def page_text(at) -> str:
    """What the page's own content says: the main area, less the map's text description (the
    map part's) and the sidebar."""
    described = {m.value for e in at.expander for m in e.markdown}
    parts = [e.value for e in at.main.title] + [e.value for e in at.main.subheader]
    parts += [m.value for m in at.main.markdown if m.value not in described]
    parts += [c.value for c in at.main.caption] + [b.label for b in at.main.button]
    return "\n".join(re.sub(r"\\(.)", r"\1", p) for p in parts)


def test_the_classroom_page_in_ukrainian(english, built):
    at = open_page(CLASSROOM, {"lang": "uk", "step": "3"})
    assert_clean(at)
    steps, _sections = told("uk", built)
    assert at.title[0].value == steps[2].title and CYRILLIC.search(steps[2].title)
    said = page_text(at)
    assert not english_left(said, english)
    assert steps[2].text in said
    assert CYRILLIC.search(at.button(key="next").label) and CYRILLIC.search(
        at.button(key="previous").label
    )
    assert re.search(r"\d{1,3}\u00a0\d{3} км²", said)
    at.button(key="next").click().run()  # step 4 has a quote from the article
    said = page_text(at)
    assert steps[3].quote in said and "англійською" in said
    assert not english_left(said, english)


def test_the_about_page_in_ukrainian(english, built):
    at = open_page(ABOUT, {"lang": "uk"})
    assert_clean(at)
    said = page_text(at)
    assert not english_left(said, english)
    _steps, sections = told("uk", built)
    assert [h.value for h in at.main.subheader] == [heading for heading, _body in sections]
    assert CYRILLIC.search(at.title[0].value)
    assert "«rockets and rocket launchers»" in said
    assert re.search(r"найближчої точки кордону — \d+,\d км \(\d+,\d милі\)", said)
