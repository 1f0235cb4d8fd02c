"""The dashboard's sections, one module each, and the staff area each belongs to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.models import Area
from lvzhi.reports.figures import consultations, duties, opinions, proposals, public, studios
from lvzhi.reports.figures.base import Section


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: Promise
    area: str
    build: Callable[..., Section]


SECTIONS = {
    spec.key: spec
    for spec in (
        SectionSpec("proposals", _("Proposals"), Area.PROPOSALS, proposals.section),
        SectionSpec("opinions", _("Public-opinion reports"), Area.OPINIONS, opinions.section),
        SectionSpec("consultations", _("Consultations"), Area.CONSULTATIONS, consultations.section),
        SectionSpec("duties", _("Duties"), Area.DUTIES, duties.section),
        SectionSpec("public", _("Public channel"), Area.PUBLIC, public.section),
        # Studios' records are kept by the organisation office.
        SectionSpec("studios", _("Studios"), Area.ORG, studios.section),
    )
}
