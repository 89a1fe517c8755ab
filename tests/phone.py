"""A phone for the browser tests: a 390 × 844 touch screen (an iPhone 12 to 15), with every
request off this machine blocked as in ``conftest.offline_page``, and what the tests measure
on it: how much of the map the controls and the legend cover, the tap targets' sizes and the
size of the text in them."""

from __future__ import annotations

import contextlib

from tests.conftest import is_local

SIZE = {"width": 390, "height": 844}
#: At most this share of the map may lie under controls and the legend when a page opens.
MAX_COVER = 0.30
MIN_TAP_PX = 44
MIN_TEXT_PX = 16

#: The share of the main map's area under any of its controls (the legend included), and
#: every box counted: sampled on a 2-pixel grid, so overlapping controls count once.
COVER = """(selector) => {
    const map = document.querySelector(selector);
    const r = map.getBoundingClientRect();
    const boxes = [...map.querySelectorAll(':scope > .leaflet-control-container .leaflet-control')]
        .filter(e => getComputedStyle(e).visibility !== 'hidden')
        .map(e => e.getBoundingClientRect()).filter(b => b.width > 0 && b.height > 0);
    let under = 0, all = 0;
    for (let x = r.left + 1; x < r.right; x += 2) for (let y = r.top + 1; y < r.bottom; y += 2) {
        all++;
        if (boxes.some(b => x >= b.left && x < b.right && y >= b.top && y < b.bottom)) under++;
    }
    const round = b => [b.left, b.top, b.width, b.height].map(Math.round);
    return {share: under / all, boxes: boxes.map(round)};
}"""

#: Every visible thing a finger can press in the page (buttons, links, inputs and what
#: acts as one), with its size and the size of its text.
TAP_TARGETS = """(selector) => {
    const scope = document.querySelector(selector) || document;
    return [...scope.querySelectorAll('a[href], button, input, summary, [role=button]')]
        .filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0
            && getComputedStyle(e).visibility !== 'hidden'; })
        .map(e => { const b = e.getBoundingClientRect();
            const label = e.matches('input[type=checkbox], input[type=radio]')
                && e.closest('label');
            const target = label ? label.getBoundingClientRect() : b;
            const name = e.textContent || e.title || e.getAttribute('aria-label') || '';
            return {what: (typeof e.className === 'string' && e.className ? e.className : e.tagName)
                        + ' ' + name.trim().slice(0, 30),
                    width: target.width, height: target.height,
                    font: parseFloat(getComputedStyle(e).fontSize)}; });
}"""

#: The size of every piece of visible text inside ``selector`` (each element with text of its
#: own).
TEXT_SIZES = """(selector) => {
    const out = [];
    document.querySelectorAll(selector).forEach(scope => {
        const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode, e = node.parentElement;
            if (!node.textContent.trim() || !e) continue;
            const b = e.getBoundingClientRect();
            if (b.width === 0 || b.height === 0) continue;
            out.push({text: node.textContent.trim().slice(0, 30),
                      size: parseFloat(getComputedStyle(e).fontSize)});
        }
    });
    return out;
}"""


@contextlib.contextmanager
def phone_page(browser):
    """A page on a phone's screen whose requests off this machine are aborted and recorded in
    ``page.blocked``; script errors go to ``page.errors``."""
    context = browser.new_context(viewport=SIZE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.blocked, page.errors = [], []

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            page.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    try:
        yield page
    finally:
        context.close()


def small_targets(page, selector: str) -> list[dict]:
    """The tap targets in ``selector`` smaller than 44 × 44 px, or with text under 16 px."""
    return [
        t
        for t in page.evaluate(TAP_TARGETS, selector)
        if t["width"] < MIN_TAP_PX - 0.5
        or t["height"] < MIN_TAP_PX - 0.5
        or t["font"] < MIN_TEXT_PX - 0.01
    ]


def small_text(page, selector: str) -> list[dict]:
    """The visible text in ``selector`` written smaller than 16 px."""
    return [t for t in page.evaluate(TEXT_SIZES, selector) if t["size"] < MIN_TEXT_PX - 0.01]
