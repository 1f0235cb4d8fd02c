"""The dashboard's sections, one module each, and the staff area each belongs to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.models import Area
from lvzhi.reports.figures import consultations, duties, opinions, proposals, public, studios
from lvzhi.reports.figures.base import Counts, Section, TableBuilder


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: Promise
    area: str
    build: Callable[..., Section]
    # The tables the section can build one at a time (an export of one of them).
    tables: Mapping[str, TableBuilder] = field(default_factory=dict, hash=False, compare=False)
    # The headline's counts, when the section takes them made with others'
    # (``build(..., counted=)``; base.counted_sections: the year's text).
    counts: Counts | None = None
    # What the year's text passes to ``build`` besides ``detail=False``: it
    # reads the headline figures only.
    text_options: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


SECTIONS = {
    spec.key: spec
    for spec in (
        SectionSpec(
            "proposals",
            _("Proposals"),
            Area.PROPOSALS,
            proposals.section,
            proposals.TABLES,
            text_options={"tables_too": False},
        ),
        SectionSpec(
            "opinions",
            _("Public-opinion reports"),
            Area.OPINIONS,
            opinions.section,
            counts=opinions.counts,
        ),
        SectionSpec(
            "consultations",
            _("Consultations"),
            Area.CONSULTATIONS,
            consultations.section,
            counts=consultations.counts,
        ),
        SectionSpec("duties", _("Duties"), Area.DUTIES, duties.section, duties.TABLES),
        SectionSpec(
            "public", _("Public channel"), Area.PUBLIC, public.section, counts=public.counts
        ),
        # Studios' records are kept by the organisation office.
        SectionSpec("studios", _("Studios"), Area.ORG, studios.section),
    )
}
