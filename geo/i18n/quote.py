"""How a value the user gave is repeated in a message: cut to a length, so that one bad
argument cannot flood a terminal or a page. Every message of the program quotes values
through here (``geo.core.units.echo`` adds the quotes), in any language.
"""

from __future__ import annotations

import os

#: How much of a value a message repeats (characters), and of a path.
VALUE_LIMIT = 60
PATH_LIMIT = 160


def shown(value: object, limit: int = VALUE_LIMIT) -> str:
    """``value`` as text for a message, cut to ``limit`` characters plus an ellipsis.

    >>> shown("9" * 100)[-5:]
    '9999…'
    >>> len(shown("9" * 100))
    61
    """
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def shown_path(path: str | os.PathLike, limit: int = PATH_LIMIT) -> str:
    """A path as the user gave it, for a message; a very long one keeps its start and end."""
    text = os.fspath(path)
    text = text if isinstance(text, str) else os.fsdecode(text)
    if len(text) <= limit:
        return text
    head = limit // 3
    return text[:head] + "…" + text[-(limit - head) :]
