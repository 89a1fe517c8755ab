"""The policy over time: each stage of the U.S. permission as reported, with its date, source
and what it permitted. Dates, sources and quoted phrases are from the project's fact sheet;
quotes are short and attributed.

A stage names the line the counterfire permission was measured from (``origin``): the
Kharkiv sector (30 May 2024, the article's moment and the default everywhere), the whole
Russia–Ukraine land border (20 June 2024), or none (before 30 May). The counterfire depth D
applies to every stage that permits counterfire.

17 November 2024: ATACMS use inside Russia was reported, reportedly limited at first to
Kursk Oblast. No package on the registries this project installs from ships Russian oblast
boundaries under an open licence, so the Kursk part is not drawn and its area is not
measured (``kursk_unmeasured``): the map says so instead of guessing.

A stage's title, description and the definitions below are English, marked for the
catalogue (``N_``) and shown through ``_()``; its label is its date written in the current
language (``i18n.date_text``). Its source and quote stay as published, in English.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from geo.core.units import echo
from geo.i18n import N_, _, date_text


@dataclass(frozen=True)
class Stage:
    id: str  # the ISO date, as written in links: ?stage=2024-06-20
    title: str
    description: str  # one sentence
    source: str  # publication and date
    quote: str  # a short quoted phrase
    origin: str | None  # "sector", "border", or None when no counterfire was permitted
    kursk_unmeasured: bool = False
    #: The day a stage that ended before it is named by ("Before 30 May 2024"); None: the
    #: stage is named by its own date.
    before: datetime.date | None = None

    @property
    def date(self) -> str:
        return self.id

    @property
    def label(self) -> str:
        """The date for people, in the current language: ``30 May 2024`` / ``30 травня 2024``,
        ``Before 30 May 2024`` / ``До 30 травня 2024``."""
        if self.before is not None:
            return _("Before {date}").format(date=date_text(self.before))
        return date_text(datetime.date.fromisoformat(self.id))

    @property
    def when(self) -> str:
        """The stage in a sentence: ``on 30 May 2024``, ``before 30 May 2024``."""
        if self.before is not None:
            return _("before {date}").format(date=date_text(self.before))
        return _("on {date}").format(date=date_text(datetime.date.fromisoformat(self.id)))


STAGES: tuple[Stage, ...] = (
    Stage(
        "2024-05-29",
        N_("No U.S. weapons across the border"),
        N_(
            "U.S.-supplied weapons were not to be used on Russian territory: everything in their "
            "reach "
            "across the border was off-limits."
        ),
        'ISW, which calls it the "sanctuary" (9–10 June 2024)',
        "territory in range of US-provided weapons but that Ukrainian forces are not allowed to "
        "strike",
        None,
        before=datetime.date(2024, 5, 30),
    ),
    Stage(
        "2024-05-30",
        N_("Counterfire from the Kharkiv sector"),
        N_(
            "The U.S. let Ukraine use its weapons for counterfire against Russian forces across "
            "the border "
            "from the Kharkiv region; long-range ATACMS strikes deep inside Russia stayed barred."
        ),
        "AP, Politico and Reuters, 30–31 May 2024",
        "for counter-fire purposes in the Kharkiv region",
        "sector",
    ),
    Stage(
        "2024-06-20",
        N_("Counterfire along the whole border"),
        N_(
            "U.S. officials said the permission covered Russian forces attacking across the "
            "border anywhere "
            "along it."
        ),
        "Jake Sullivan on PBS, reported by Politico, 20 June 2024",
        "anywhere that Russian forces are coming across the border",
        "border",
    ),
    Stage(
        "2024-11-17",
        N_("ATACMS allowed inside Russia"),
        N_(
            "The U.S. allowed Ukraine to use ATACMS missiles inside Russia, reportedly limited "
            "at first to "
            "Kursk Oblast, where Ukrainian forces held ground; counterfire along the border "
            "continued."
        ),
        "NYT, AP, CNN and Washington Post, 17 November 2024; the Kursk limit as reported by Axios",
        "reportedly limited to Kursk Oblast",
        "border",
        kursk_unmeasured=True,
    ),
)

#: The published claim the measured shares stand beside.
PUBLISHED_SOURCE = "ISW, Russian Offensive Campaign Assessment, 9–10 June 2024"
PUBLISHED_QUOTE = "reduced the size of Russia's ground sanctuary by at most 16%"
PUBLISHED_SHARE = 0.16
PUBLISHED_DEFINITION = N_(
    "ISW's sanctuary: Russian territory in range of U.S.-provided weapons (ATACMS) that "
    "Ukrainian forces are "
    "not allowed to strike with them, measured from Ukrainian-held territory with ISW's own "
    "method and "
    "target set; it published no geometry."
)
MEASURED_DEFINITION = N_(
    "This map's sanctuary: Russian territory (without Crimea) within 300 km (ATACMS reach) of the "
    "international Russia–Ukraine land border that a stage leaves off-limits; the permitted "
    "share is the "
    "counterfire zone's area over the whole reach's, both geodesic."
)
WHY_DIFFERENT = N_(
    "The figures differ because they measure different things: ISW measured from the ground "
    "Ukraine held "
    "(not the international border) and counted its own set of targets, while the map measures "
    "areas from "
    "the international land border. The measured share is an area ratio, not a count of targets."
)

BY_ID = {stage.id: stage for stage in STAGES}
DEFAULT = BY_ID["2024-05-30"]
KURSK_NOTE = N_("reportedly limited to Kursk Oblast; bounds not drawn")


class StageError(ValueError):
    """A stage someone asked for that does not exist; one sentence naming it and the choices."""


def parse_stage(text: object) -> Stage:
    """The stage with this id (its date), e.g. ``"2024-06-20"``.

    >>> parse_stage(" 2024-06-20 ").label
    '20 June 2024'
    >>> parse_stage("2025-01-01")
    Traceback (most recent call last):
    geo.engine.stages.StageError: stage '2025-01-01' is not a stage of the policy: stage takes one of 2024-05-29, 2024-05-30, 2024-06-20, 2024-11-17, e.g. 2024-06-20.
    """
    found = BY_ID.get(str(text).strip())
    if found is None:
        raise StageError(
            _(
                "stage {value} is not a stage of the policy: stage takes one of {choices}, "
                "e.g. 2024-06-20."
            ).format(value=echo(text), choices=", ".join(BY_ID))
        )
    return found
