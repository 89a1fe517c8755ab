"""The engine's shape: no import cycle between its modules (imports inside functions count
too), and each layer says what it is. The layers contract itself is in pyproject.toml and
run by `make lint` (import-linter)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import grimp

import geo


def _cycle(graph: grimp.ImportGraph) -> list[str] | None:
    """One import cycle among the project's modules, or None (depth-first search)."""
    modules = sorted(m for m in graph.modules if m == "geo" or m.startswith("geo."))
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if not imported.startswith("geo"):
                continue
            if state.get(imported) == 1:
                return path[path.index(imported) :] + [imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in modules:
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_import_cycle_among_the_modules():
    graph = grimp.build_graph("geo", include_external_packages=False)
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("geo.a", "geo.b", "geo.c"):
        graph.add_module(name)
    graph.add_import(importer="geo.a", imported="geo.b")
    graph.add_import(importer="geo.b", imported="geo.c")
    assert _cycle(graph) is None
    graph.add_import(importer="geo.c", imported="geo.a")
    assert _cycle(graph) == ["geo.a", "geo.b", "geo.c", "geo.a"]


def test_each_layer_says_what_it_is_and_what_it_may_import():
    packages = [
        m.name
        for m in pkgutil.walk_packages(geo.__path__, "geo.")
        if m.ispkg and m.name not in ("geo._data", "geo.i18n.locale")
    ]
    assert {"geo.core", "geo.i18n", "geo.data", "geo.engine", "geo.cli"} <= set(packages)
    for name in packages:
        doc = importlib.import_module(name).__doc__
        assert doc and len(doc.split()) >= 12, name


ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"https?://")


def long_lines(paths, limit: int = 100) -> tuple[int, int]:
    """(lines longer than ``limit`` characters, not counting lines with a URL; all lines)."""
    long = total = 0
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            total += 1
            long += len(line) > limit and not URL.search(line)
    return long, total


def test_long_lines_are_rare(tmp_path):
    """The formatter wraps code at 100 characters; what it cannot wrap (a docstring's line)
    stays under 0.5 % of the lines."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "x = 1\n" + "y" * 101 + "\n" + "# https://" + "z" * 120 + "\n", encoding="utf-8"
    )
    assert long_lines([sample]) == (1, 3)
    paths = [
        ROOT / "app.py",
        *ROOT.glob("geo/**/*.py"),
        *ROOT.glob("pages/**/*.py"),
        *ROOT.glob("tests/*.py"),
        *ROOT.glob("bench/*.py"),
        *ROOT.glob("docs/*.py"),
    ]
    long, total = long_lines(paths)
    assert long <= 0.005 * total, f"{long} of {total} lines are over 100 characters"
