"""One escaping function for text that reaches a map page.

Text on the map (popups, tooltips, labels, the legend, and any property of a user's own
feature) passes through several readers before a person sees it: an HTML parser, and —
because folium wraps popup and tooltip HTML in JavaScript template literals
(``bindTooltip(`<div>…</div>`)``, ``$(`<div>…</div>`)``) — a JavaScript parser first.
HTML escaping alone does not cover the second: a backtick ends the literal and ``${…}``
runs as code.

:func:`html_text` guarantees that its result, placed

* between HTML tags or inside a quoted HTML attribute value,
* inside a JavaScript template literal, or a single- or double-quoted JavaScript string,
  which is then parsed as HTML,

contains no character that any of these readers treats as syntax: ``& < > " '`` are HTML
character references, and the backtick, ``$``, ``\\`` and ``{``/``}`` are numeric character
references, which JavaScript leaves alone and HTML turns back into the characters. Line
breaks become spaces (a raw line break would end a quoted JavaScript string). So the text
shows exactly as written and never runs.

>>> html_text("<b>${alert(1)}</b> `x` \\\\")
'&lt;b&gt;&#36;&#123;alert(1)&#125;&lt;/b&gt; &#96;x&#96; &#92;'
"""

from __future__ import annotations

import html

_EXTRA = str.maketrans(
    {
        "`": "&#96;",
        "$": "&#36;",
        "\\": "&#92;",
        "{": "&#123;",
        "}": "&#125;",
        "\n": " ",
        "\r": " ",
        "\u2028": " ",
        "\u2029": " ",
    }
)


def html_text(text: object) -> str:
    """``text`` as HTML that reads as the same characters in every context listed above."""
    return html.escape(str(text), quote=True).translate(_EXTRA)
