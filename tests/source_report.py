"""What the tests need of the source report the map explains, kept in the repository so that
the tests depend on nothing beside it.

The report: a news story of 30-31 May 2024, citing Politico, on President Biden letting
Ukraine use American weapons for counterfire across the border from Kharkiv; the team's copy
is ``shared/article.txt`` beside the repository. The project quotes short passages from it, each
attributed to its paragraph (paragraphs counted from 1, blank lines not counted). Below are
those passages, copied verbatim from the report; every quote the map shows must come from the
passage of the paragraph it names. ``tests/test_places.py`` checks this record against the
report itself where the copy is present (as in CI).
"""

from __future__ import annotations

#: Paragraph number -> the verbatim passages of it that the map may quote.
PASSAGES: dict[int, tuple[str, ...]] = {
    1: (
        "President Joe Biden gave Ukraine the OK to use American-made weapons to strike targets "
        'inside Russia but cautioned that the arms should be used for "counterfire purposes" to '
        "defend its second-largest city of Kharkiv from Russian attacks",
    ),
    2: (
        "The president recently directed his team to ensure that Ukraine is able to use U.S. "
        "weapons for counterfire purposes in Kharkiv so Ukraine can hit back at Russian forces "
        "hitting them or preparing to hit them",
    ),
    3: (
        "defend Kharkiv, which is 12 miles from the Russian border, from attacks launched inside Russia",
    ),
    4: ("The change will allow Kyiv to deploy U.S. weapons - rockets and rocket launchers",),
    5: ("use long-range weapons to attack deep inside Russia",),
    12: ("Blinken said at a news conference in Moldova",),
}


def quoted_from(paragraph: int, quote: str) -> bool:
    """Whether ``quote`` is part of a recorded passage of ``paragraph``."""
    return any(quote in passage for passage in PASSAGES.get(paragraph, ()))
