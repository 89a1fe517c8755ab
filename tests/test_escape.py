"""The one escaping function, tested in every context it promises: HTML text, quoted HTML
attributes, JavaScript strings and template literals (evaluated by Node.js when it is
installed, else by a strict model of what JavaScript reads as syntax)."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from geo.core.escape import html_text

PAYLOADS = [
    "<script>alert(1)</script>",
    "${alert(1)}",
    "`; alert(1); `",
    "\\`${alert(1)}",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "</div><img src=x onerror=alert(1)>",
    "a & b &amp; c",
    "line\nbreak\u2028and\u2029more\r",
    "{{ this }} {% x %}",
    "Харків — Kharkiv ‘quoted’",
    "\x00\x1f control",
]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags, self.attrs = [], [], []

    def handle_data(self, data):
        self.text.append(data)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def parse(fragment: str) -> _Collector:
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    return collector


def shown(payload: str) -> str:
    """What a person should see: the payload, with line breaks as spaces."""
    return payload.translate(str.maketrans({"\n": " ", "\r": " ", "\u2028": " ", "\u2029": " "}))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_in_html_text_it_reads_as_written_and_makes_no_tag(payload):
    page = parse(f"<div>{html_text(payload)}</div>")
    assert page.tags == ["div"]
    assert "".join(page.text) == shown(payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_in_a_quoted_attribute_it_stays_one_value(payload):
    for quote in ('"', "'"):
        page = parse(f"<span title={quote}{html_text(payload)}{quote}>x</span>")
        assert page.tags == ["span"]
        assert page.attrs == [("title", shown(payload))]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_character_javascript_reads_as_syntax_survives(payload):
    escaped = html_text(payload)
    for syntax in ("`", "$", "\\", "{", "}", "\n", "\r", "\u2028", "\u2029", "<", ">", '"', "'"):
        assert syntax not in escaped, syntax


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_node_evaluates_template_literals_and_strings_to_the_escaped_text_without_running_anything():
    cases = [html_text(p) for p in PAYLOADS]
    # Each escaped text is pasted into JavaScript source as folium does: inside a template
    # literal, and inside single- and double-quoted strings. Any code that ran would set ran.
    lines = ["var ran = false; var alert = function () { ran = true; }; var out = [];"]
    for text in cases:
        lines.append(
            f"out.push([`<div>{text}</div>`, '<div>{text}</div>', \"<div>{text}</div>\"]);"
        )
    lines.append("console.log(JSON.stringify({ran: ran, out: out}));")
    result = subprocess.run(
        ["node", "-"], input="\n".join(lines), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["ran"] is False
    for text, payload, values in zip(cases, PAYLOADS, answer["out"]):
        assert values == [f"<div>{text}</div>"] * 3
        assert html.unescape(text) == shown(payload)
