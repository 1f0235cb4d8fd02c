"""The list filters (filters.py): an allowed value narrows the list, a value
that does not validate is ignored, and a choice offers only the committee's rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.consultations import services
from lvzhi.consultations.filters import ConsultationFilter, FindingFilter, TopicFilter
from lvzhi.consultations.models import Consultation, ConsultationFormat, SupervisionItem
from lvzhi.consultations.selectors import consultation_list, findings_of, topics_for
from lvzhi.org.models import Committee, HandlingUnit
from lvzhi.org.tests.factories import HandlingUnitFactory

SOON = timezone.localdate() + dt.timedelta(days=30)


def _topic(cstaff: User, committee: Committee, year: int, title: str) -> None:
    services.topic_create(
        actor=cstaff, committee=committee, year=year, source="office", title=title, rationale="理由"
    )


def test_topics_filter_by_year_and_source_and_ignore_a_bad_value(
    cstaff: User, committee: Committee
) -> None:
    _topic(cstaff, committee, 2026, "今年")
    _topic(cstaff, committee, 2025, "去年")
    topics = topics_for(cstaff, committee)

    def titles(query: dict[str, str]) -> list[str]:
        found = TopicFilter(query, queryset=topics, committee=committee).qs
        return sorted(t.title for t in found)

    assert titles({"year": "2025"}) == ["去年"]
    assert titles({"source": "office", "year": "2026"}) == ["今年"]
    assert titles({"source": "member"}) == []
    # Not a number, not a plausible year, not a source: ignored, the whole list.
    assert titles({"year": "abc"}) == ["今年", "去年"]
    assert titles({"year": "20260"}) == ["今年", "去年"]
    assert titles({"source": "nonsense", "year": "2025"}) == ["去年"]


def test_consultations_filter_by_format_and_stage(
    make_consultation: Callable[..., Consultation], cstaff: User, committee: Committee
) -> None:
    meeting = make_consultation(ConsultationFormat.SPECIAL_MEETING)
    make_consultation(ConsultationFormat.COUNTERPART)
    rows = consultation_list(cstaff, committee)

    def found(query: dict[str, str]) -> list[Consultation]:
        return list(ConsultationFilter(query, queryset=rows, committee=committee).qs)

    assert found({"format": ConsultationFormat.SPECIAL_MEETING}) == [meeting]
    assert len(found({"state": Consultation.State.TOPIC})) == 2
    assert found({"state": Consultation.State.CLOSED}) == []
    assert len(found({"state": "nonsense"})) == 2


def test_the_department_filter_offers_only_the_committees_departments(
    item: SupervisionItem,
    cstaff: User,
    committee: Committee,
    other_committee: Committee,
    department: HandlingUnit,
    other_department: HandlingUnit,
) -> None:
    foreign = HandlingUnitFactory(committee=other_committee, name="外市教育局")
    mine = services.finding_create(
        actor=cstaff, item=item, unit=department, text="问题", deadline=SOON
    )
    services.finding_create(
        actor=cstaff, item=item, unit=other_department, text="另一问题", deadline=SOON
    )
    findings = findings_of(committee)
    bar = FindingFilter({}, queryset=findings, committee=committee)
    offered = set(bar.form.fields["unit"].queryset)  # type: ignore[attr-defined]
    assert department in offered and foreign not in offered
    by_unit = FindingFilter({"unit": str(department.pk)}, queryset=findings, committee=committee)
    assert list(by_unit.qs) == [mine]
    # Another committee's department is not a choice: ignored.
    foreign_unit = FindingFilter({"unit": str(foreign.pk)}, queryset=findings, committee=committee)
    assert foreign_unit.qs.count() == 2


def test_the_finding_list_page_shows_the_filter_bar(
    client: Client, cstaff: User, item: SupervisionItem, department: HandlingUnit
) -> None:
    services.finding_create(actor=cstaff, item=item, unit=department, text="问题", deadline=SOON)
    client.force_login(cstaff)
    page = client.get(reverse("consultations:finding_list"), {"state": "sent", "unit": "x"})
    assert page.status_code == 200
    assert page.context["filter"] is not None
    assert [f.text for f in page.context["page_obj"]] == ["问题"]
