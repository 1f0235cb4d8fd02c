"""The year (or a quarter) in words: the statistics of a work report in its
phrasing ("全年共收到提案 N 件，经审查立案 M 件……"), each number a piece that
links to its rows. The same pieces make the printable page and the .docx."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lvzhi.reports.figures import SectionSpec
from lvzhi.reports.figures.base import Figure, Section
from lvzhi.reports.period import Period

# Each section's sentence: its msgid names the section's headline figures.
SENTENCES = {
    "proposals": lambda: _(
        "In %(period)s the committee received %(received)s proposals; after review "
        "%(registered)s were registered and %(declined)s were not. The handling units sent "
        "%(replied)s replies, %(on_time_rate)s of them on time, and the proposers were "
        "satisfied or basically satisfied with %(satisfaction_rate)s of the replies they evaluated."
    ),
    "opinions": lambda: _(
        "%(submitted)s public-opinion reports were received and %(used)s used in issues; "
        "%(adopted)s adoptions were recorded at every level and %(instructed)s leaders' "
        "instructions."
    ),
    "consultations": lambda: _(
        "%(held)s consultations were held and %(outcomes_sent)s recommendations sent; "
        "feedback came on time for %(feedback_on_time_rate)s of them."
    ),
    "duties": lambda: _(
        "%(scored)s members were assessed, %(competent_rate)s of them excellent or competent."
    ),
    "public": lambda: _(
        "The public channel received %(messages)s messages and replied to %(replied)s, "
        "%(on_time_rate)s on time; the citizens were satisfied or basically satisfied with "
        "%(satisfaction_rate)s of the replies."
    ),
    "studios": lambda: _(
        "The members' studios held %(activities)s activities and served %(served)s people."
    ),
}
MARK = "\x00"


@dataclass(frozen=True)
class Piece:
    """A run of a sentence: words, or a number with the URL of its rows."""

    text: str
    url: str = ""
    is_number: bool = False


def _shown(figure: Figure) -> str:
    if figure.value is None:
        return "—"
    return f"{figure.value}%" if figure.percent else str(figure.value)


def sentence(section: Section, period: Period) -> list[Piece]:
    """The section's sentence, split at its numbers (marked while formatting,
    so a translation may put them in any order)."""
    figures = {f.key: f for f in section.figures}
    template = SENTENCES[section.key]()
    marked = template % {
        "period": period.label,
        **{key: f"{MARK}{key}{MARK}" for key in figures},
    }
    pieces = []
    for index, part in enumerate(marked.split(MARK)):
        if index % 2 == 0:
            if part:
                pieces.append(Piece(part))
        else:
            figure = figures[part]
            pieces.append(Piece(_shown(figure), figure.url, is_number=True))
    return pieces


def paragraphs(specs: Iterable[SectionSpec], committee: Any, period: Period) -> list[list[Piece]]:
    return [sentence(spec.build(committee, period, detail=False), period) for spec in specs]


def plain(paragraph: list[Piece]) -> str:
    return "".join(piece.text for piece in paragraph)


def title(committee: Any, period: Period) -> str:
    if period.quarter is not None:
        return _("%(committee)s: bulletin of %(period)s") % {
            "committee": committee.name,
            "period": period.label,
        }
    return _("%(committee)s: the work of %(period)s in figures") % {
        "committee": committee.name,
        "period": period.label,
    }
