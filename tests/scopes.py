"""Fixture scopes for engine results, and how a mutmut run is recognised (see conftest.py and
README, "Mutation testing")."""

from __future__ import annotations

import os


def collecting_mutation_stats() -> bool:
    """mutmut's first pass, which records the engine functions each test calls."""
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


def shared(scope: str):
    """A fixture scope that is ``scope``, except in mutmut's first pass: there every test makes
    its own engine results (with the caches emptied), so that each test is recorded as calling
    the engine functions behind its fixtures, not only the first test that built them."""

    def decide(fixture_name, config):
        return "function" if collecting_mutation_stats() else scope

    return decide
