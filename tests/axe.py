"""axe-core, the accessibility checker the browser tests run in each page (and each frame).

It is a test tool, not part of the map, so it is not in git and not in ``static/``:
``make setup`` runs ``python -m tests.axe install``, which fetches the pinned release with
``npm pack axe-core@<version>`` (no ``node_modules``, no install scripts) and keeps only
``axe.min.js``, checked against its sha256, in ``.cache/axe/`` (gitignored). The fetching
and checking are ``geo.render.web.assets``', so the file is verified exactly as the map's own
scripts are. Without npm the install prints a notice and the audit tests skip; with
``KHARKIV_MAP_REQUIRE_BROWSER`` set (CI) they fail instead.

:func:`audit` injects the script with Playwright and returns axe's violations as plain
dicts, filtered to the impacts that fail a test.
"""

from __future__ import annotations

import sys
from pathlib import Path

from geo.data.scripts import File, Library
from geo.render.web import assets

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
#: axe-core 4.11.1; the checksum matches the release's own sri-history.json
#: ("sha256-fb+r38YGKTbXnIc927X4EaEhn8o5KL2Myd2B8eZfRyA=").
LIBRARY = Library(
    name="axe",
    label="axe-core (accessibility audit)",
    version="4.11.1",
    registry="npm",
    package="axe-core",
    release="4.11.1",
    source="package/",
    files=(File("axe.min.js", "7dbfabdfc6062936d79c873ddbb5f811a1219fca3928bd8cc9dd81f1e65f4720"),),
    project="axe-core",
    licence="MPL-2.0",
    holder="© Deque Systems, Inc.",
    url="https://github.com/dequelabs/axe-core",
)
SCRIPT = CACHE / LIBRARY.name / "axe.min.js"
#: The impacts a test fails on (axe's scale: minor, moderate, serious, critical).
FAILING = ("serious", "critical")
#: WCAG 2.x A and AA rules, plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
INSTALL_HINT = "run `make setup` with npm on PATH (it runs `python -m tests.axe install`)"


def installed() -> bool:
    return assets.problem(LIBRARY, CACHE) is None


def script() -> str:
    """The verified axe-core script (``assets.AssetsMissing`` if absent or altered)."""
    return assets.read(LIBRARY, LIBRARY.files[0], CACHE).decode("utf-8")


def install() -> str:
    """Fetch and check axe-core into ``.cache/axe`` unless it is already there; one line of
    news (without npm, the audit tests will be skipped)."""
    (line,) = assets.install(CACHE, libraries=[LIBRARY])
    return line if installed() else f"{line} The accessibility audit tests will be skipped."


def audit(
    target, source: str, *, context: object = None, disable: tuple[str, ...] = ()
) -> list[dict]:
    """axe's serious and critical violations in one document (a Playwright page or frame).

    Frames are left out (``iframes: false``): audit each frame on its own, so a result always
    says which document it is in. Each violation is ``{"id", "impact", "help", "nodes":
    [{"target", "html", "summary"}]}``."""
    if not target.evaluate("() => typeof window.axe === 'object'"):
        target.add_script_tag(content=source)
    options = {
        "runOnly": {"type": "tag", "values": TAGS},
        "iframes": False,
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disable},
    }
    return target.evaluate(
        """async ([context, options]) => {
            const result = await axe.run(context || document, options);
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300),
                                          summary: n.failureSummary}))}));
        }""",
        [context, options],
    )


def failing(
    violations: list[dict], allowed: dict[tuple[str, str], str] | None = None
) -> list[dict]:
    """The violations of :data:`FAILING` impact, without the nodes ``allowed`` lists by
    (rule id, selector) — each with the reason it cannot be fixed here."""
    allowed = allowed or {}
    out = []
    for v in violations:
        if v["impact"] not in FAILING:
            continue
        nodes = [n for n in v["nodes"] if (v["id"], " ".join(map(str, n["target"]))) not in allowed]
        if nodes:
            out.append({**v, "nodes": nodes})
    return out


def report(violations: list[dict]) -> str:
    """Violations as lines for an assertion message: rule, impact, selector and axe's advice."""
    lines = []
    for v in violations:
        for n in v["nodes"]:
            summary = " ".join((n.get("summary") or "").split())
            lines.append(
                f"{v['id']} ({v['impact']}): {' '.join(map(str, n['target']))} :: {summary[:300]}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] != ["install"]:
        sys.exit("usage: python -m tests.axe install")
    print(install())
