"""Generated input for everything a person can type into the map: the distance parser, every
URL parameter, the story step and the command line. No exception but the documented one,
one sentence each, nothing written on error.

``make test`` runs a modest number of examples; ``make fuzz`` runs at least 10,000 per
target (``HYPOTHESIS_PROFILE=fuzz``)."""

from __future__ import annotations

import contextlib
import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.core.units import DistanceError
from geo.engine import zones
from geo.narrative import story
from pages.shared import viewstate

settings.register_profile(
    "default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
#: The command line builds layers for each new valid R and D: fewer examples in ``make test``.
CLI_EXAMPLES = (
    max(settings.default.max_examples, 10_000)
    if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
    else 40
)

#: Text that looks like a distance often enough to reach every branch of the parser.
number = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet="0123456789.eE+-٠١٢٣٤٥٦٧٨٩０１２３４５６７８９", max_size=30),
)
unit = st.sampled_from(
    ["", "m", "km", "mi", "KM", "Mi", "ｍｉ", "furlong", " km", "km ", "µm", "ml"]
)
distance_text = st.one_of(st.builds(lambda n, u: n + u, number, unit), st.text(max_size=300))


def _one_sentence(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message
    assert len(message) < 800


@given(distance_text)
def test_the_distance_parser_answers_a_distance_or_one_sentence(text):
    for parse, (low, high) in (
        (zones.parse_radius, zones.RADIUS_RANGE),
        (zones.parse_depth, zones.DEPTH_RANGE),
    ):
        try:
            value = parse(text)
        except DistanceError as err:
            _one_sentence(str(err))
        else:
            assert low.m * (1 - 1e-6) <= value.m <= high.m * (1 + 1e-6)


query_value = st.one_of(
    st.text(max_size=250), distance_text, st.lists(st.text(max_size=40), max_size=3)
)
query = st.dictionaries(
    st.sampled_from([*viewstate.QUERY_KEYS, "step", "lang", "other"]), query_value, max_size=7
)


@given(query)
def test_the_url_state_never_fails_and_each_bad_value_is_one_warning(q):
    view, warnings = viewstate.from_query(q)
    assert isinstance(view, viewstate.ViewState)
    assert len(warnings) <= len(q)
    for warning in warnings:
        _one_sentence(warning)
    again, more = viewstate.from_query(viewstate.to_query(view))  # what it writes, it reads back
    assert again == view and not more


@given(st.one_of(st.none(), st.text(max_size=6000)), st.integers(1, 12))
def test_the_story_step_is_a_step_or_step_one_with_one_sentence(asked, count):
    number, warning = story.step_from_query(asked, count)
    assert 1 <= number <= count
    if warning is not None:
        assert number == 1
        _one_sentence(warning)


argument = st.one_of(
    st.sampled_from(
        [
            "--radius",
            "--depth",
            "--stage",
            "--json",
            "--basemap",
            "--cdn",
            "--out",
            "--geojson",
            "--help",
            "-h",
            "--",
            "-",
            "facts",
            "export",
            "=",
            "--radius=--",
            "--depth=--",
        ]
    ),
    distance_text,
    st.text(max_size=40),
)


@settings(max_examples=CLI_EXAMPLES)
@given(st.sampled_from(["facts", "export"]), st.lists(argument, max_size=6))
def test_the_command_line_in_process_exits_cleanly_and_writes_nothing_on_error(command, args):
    from geo.cli import program as cli

    here = set(os.listdir("."))
    out, err = io.StringIO(), io.StringIO()
    # "export" needs --out; pointing it at a folder that does not exist keeps every run from
    # writing, so only argument handling is exercised here (writing has its own tests).
    argv = [command, *args] + (
        ["--out", "/nonexistent-kharkiv-map-folder/m.html"] if command == "export" else []
    )
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
            status = stop.code
    assert status in (0, 2), (argv, err.getvalue())
    if status == 2:
        lines = err.getvalue().strip().splitlines()
        assert len(lines) == 1, err.getvalue()
        assert "Traceback" not in err.getvalue()
    assert set(os.listdir(".")) == here
