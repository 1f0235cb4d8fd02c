"""The year (or a quarter) in words: the statistics of a work report in its
phrasing ("全年共收到提案 N 件，经审查立案 M 件……"), each number a piece that
links to its rows. The same pieces make the printable page and the .docx."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lvzhi.reports.figures import SectionSpec, proposals
from lvzhi.reports.figures.base import Section, Table, counted_sections
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
# ?text= of the year page: the standing committee's report on proposal handling.
PROPOSAL_REPORT = "proposals"


@dataclass(frozen=True)
class Piece:
    """A run of a sentence: words, or a number with the URL of its rows."""

    text: str
    url: str = ""
    is_number: bool = False


def _split(marked: str, numbers: dict[str, Piece]) -> list[Piece]:
    """Cut a formatted sentence at its marked numbers."""
    pieces = []
    for index, part in enumerate(marked.split(MARK)):
        if index % 2 == 0:
            if part:
                pieces.append(Piece(part))
        else:
            pieces.append(numbers[part])
    return pieces


def _mark(key: str) -> str:
    return f"{MARK}{key}{MARK}"


def _number(value: Any, url: str = "", percent: bool = False) -> Piece:
    shown = "—" if value is None else (f"{value}%" if percent else str(value))
    return Piece(shown, url, is_number=True)


def sentence(section: Section, period: Period) -> list[Piece]:
    """The section's sentence, split at its numbers (marked while formatting,
    so a translation may put them in any order)."""
    figures = {f.key: f for f in section.figures}
    marked = SENTENCES[section.key]() % {
        "period": period.label,
        **{key: _mark(key) for key in figures},
    }
    return _split(marked, {k: _number(f.value, f.url, f.percent) for k, f in figures.items()})


def _listing(table: Table, part: Callable[[], str], sentence_of: Callable[[], str]) -> list[Piece]:
    """A sentence listing a table's rows ("教育类2件、医疗类1件"), each count linked."""
    numbers: dict[str, Piece] = {}
    parts = []
    for index, row in enumerate(table.rows):
        key = f"n{index}"
        numbers[key] = _number(row[1].value, row[1].url)
        share = row[2].value if len(row) > 2 else None
        parts.append(part() % {"name": row[0].value, "n": _mark(key), "share": share})
    return _split(sentence_of() % {"parts": _("; ").join(parts) or "—"}, numbers)


def proposal_report(committee: Any, period: Period) -> list[list[Piece]]:
    """The standing committee's report on proposal handling: the headline,
    then the proposals by subject, the replies by class and the units."""
    section = proposals.section(committee, period)
    tables = {t.key: t for t in section.tables}
    units = tables["proposals.by_unit"]
    return [
        sentence(section, period),
        _listing(
            tables["proposals.by_category"],
            lambda: _("%(name)s: %(n)s"),
            lambda: _("By subject: %(parts)s."),
        ),
        _listing(
            tables["proposals.answer_classes"],
            lambda: _("%(name)s: %(n)s (%(share)s%%)"),
            lambda: _("By the class of the reply: %(parts)s."),
        ),
        _split(
            _("%(units)s handling units took part.") % {"units": _mark("units")},
            {"units": _number(len(units.rows))},
        ),
    ]


def paragraphs(specs: Iterable[SectionSpec], committee: Any, period: Period) -> list[list[Piece]]:
    """Each section's sentence from its headline figures: the sections that
    count with others count in one query (base.counted_sections), and none
    builds a table the text does not read."""
    specs = list(specs)
    counts = {s.key: s.counts for s in specs if s.counts is not None}
    counted = counted_sections(committee, period, counts) if counts else {}
    return [
        sentence(
            spec.build(
                committee,
                period,
                detail=False,
                **spec.text_options,
                **({"counted": counted[spec.key]} if spec.key in counted else {}),
            ),
            period,
        )
        for spec in specs
    ]


def counts_anything(paragraphs: list[list[Piece]]) -> bool:
    """Whether a number of the text counts something: a rate is only there
    when a count is, so a text of zeros and dashes is a period without data."""
    return any(p.is_number and p.text not in ("0", "—") for par in paragraphs for p in par)


def plain(paragraph: list[Piece]) -> str:
    return "".join(piece.text for piece in paragraph)


def title(committee: Any, period: Period, *, text: str = "") -> str:
    if text == PROPOSAL_REPORT:
        return _("%(committee)s: proposal handling in %(period)s") % {
            "committee": committee.name,
            "period": period.label,
        }
    if period.quarter is not None:
        return _("%(committee)s: bulletin of %(period)s") % {
            "committee": committee.name,
            "period": period.label,
        }
    return _("%(committee)s: the work of %(period)s in figures") % {
        "committee": committee.name,
        "period": period.label,
    }
