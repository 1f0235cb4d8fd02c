"""Quality evaluation against the committee's standard, and democratic
supervision: plan, inspections with participants, findings followed until
rectified."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.consultations import services
from lvzhi.consultations.filters import FindingFilter
from lvzhi.consultations.models import (
    Consultation,
    Evaluation,
    Finding,
    FindingEvent,
    SupervisionItem,
    SupervisionPlan,
)
from lvzhi.consultations.selectors import findings_of, unit_findings
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.models import Notification
from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.org.models import Committee, HandlingUnit, Member
from lvzhi.org.tests.factories import HandlingUnitFactory

pytestmark = pytest.mark.django_db
SOON = timezone.localdate() + dt.timedelta(days=30)


def test_a_consultation_is_scored_per_criterion_against_the_committees_standard(
    make_consultation: Callable[..., Consultation], cstaff: User, committee: Committee
) -> None:
    consultation = make_consultation()
    Consultation.objects.filter(pk=consultation.pk).update(state=Consultation.State.REVIEW)
    topic = services.criterion_save(
        actor=cstaff, committee=committee, name="选题精准", max_score=20
    )
    result = services.criterion_save(
        actor=cstaff, committee=committee, name="成果转化", max_score=30
    )
    services.criterion_save(
        actor=cstaff, committee=committee, name="停用项", max_score=10, is_active=False
    )
    with pytest.raises(Conflict):
        services.criterion_save(actor=cstaff, committee=committee, name="选题精准", max_score=5)
    with pytest.raises(ValidationFailed):
        services.criterion_save(actor=cstaff, committee=committee, name="太高", max_score=101)
    with pytest.raises(ValidationFailed):  # above the maximum
        services.evaluation_save(
            actor=cstaff, consultation=consultation, scores={topic.pk: 21, result.pk: 10}
        )
    with pytest.raises(ValidationFailed):  # a criterion without a score
        services.evaluation_save(actor=cstaff, consultation=consultation, scores={topic.pk: 10})
    assert not Evaluation.objects.exists()
    evaluation = services.evaluation_save(
        actor=cstaff, consultation=consultation, scores={topic.pk: 18, result.pk: 25}, note="良好"
    )
    assert (evaluation.total, evaluation.max_total) == (43, 50)
    assert list(evaluation.scores.values_list("criterion_name", "score")) == [
        ("选题精准", 18),
        ("成果转化", 25),
    ]
    evaluation = services.evaluation_save(
        actor=cstaff, consultation=consultation, scores={topic.pk: 20, result.pk: 30}
    )
    assert evaluation.total == 50 and evaluation.scores.count() == 2


def test_a_consultation_is_not_evaluated_before_its_feedback(
    make_consultation: Callable[..., Consultation], cstaff: User, committee: Committee
) -> None:
    consultation = make_consultation()
    criterion = services.criterion_save(actor=cstaff, committee=committee, name="a", max_score=5)
    with pytest.raises(Conflict):
        services.evaluation_save(actor=cstaff, consultation=consultation, scores={criterion.pk: 3})


def test_the_supervision_plan_lists_items_with_subjects_and_forms_and_is_published(
    item: SupervisionItem, cstaff: User, department: HandlingUnit, other_committee: Committee
) -> None:
    plan = item.plan
    assert list(item.subjects.all()) == [department]
    with pytest.raises(ValidationFailed):
        services.supervision_item_add(
            actor=cstaff, plan=plan, title="无对象", form="meeting", month=5, subjects=[]
        )
    with pytest.raises(ValidationFailed):
        services.supervision_item_add(
            actor=cstaff,
            plan=plan,
            title="别处",
            form="meeting",
            month=5,
            subjects=[HandlingUnitFactory(committee=other_committee)],
        )
    with pytest.raises(Conflict):
        services.supervision_item_add(
            actor=cstaff,
            plan=plan,
            title=item.title,
            form="meeting",
            month=5,
            subjects=[department],
        )
    services.supervision_plan_publish(actor=cstaff, plan=plan)
    plan.refresh_from_db()
    assert plan.status == SupervisionPlan.Status.PUBLISHED
    assert plan.items.count() == 1


def test_an_inspection_held_gives_each_participant_an_inspection_record(
    item: SupervisionItem, cstaff: User, member: Member, make_seat: Callable[[str], Member]
) -> None:
    other = make_seat("m2")
    inspection = services.inspection_create(
        actor=cstaff,
        item=item,
        title="走访三所学校",
        date=dt.date(2026, 4, 10),
        participants=[member, other],
    )
    assert not DutyRecord.objects.exists()
    with pytest.raises(ValidationFailed):
        services.inspection_hold(actor=cstaff, inspection=inspection, report="")
    services.inspection_hold(actor=cstaff, inspection=inspection, report="总体良好")
    with pytest.raises(Conflict):
        services.inspection_hold(actor=cstaff, inspection=inspection, report="再来")
    records = DutyRecord.objects.filter(kind=DutyKind.INSPECTION, date=dt.date(2026, 4, 10))
    assert sorted(records.values_list("member_id", flat=True)) == sorted([member.pk, other.pk])


def test_a_finding_is_followed_until_rectified_by_the_department_and_staff(
    item: SupervisionItem,
    cstaff: User,
    department: HandlingUnit,
    unit_user: User,
    other_unit_user: User,
    committee: Committee,
) -> None:
    with pytest.raises(ValidationFailed):
        services.finding_create(
            actor=cstaff,
            item=item,
            unit=department,
            text="课后服务不足",
            deadline=timezone.localdate(),
        )
    finding = services.finding_create(
        actor=cstaff, item=item, unit=department, text="课后服务不足", deadline=SOON
    )
    with pytest.raises(Conflict):
        services.finding_create(
            actor=cstaff, item=item, unit=department, text="课后服务不足", deadline=SOON
        )
    assert Notification.objects.filter(recipient=unit_user).count() == 1
    assert list(unit_findings(unit_user, committee)) == [finding]
    assert list(unit_findings(other_unit_user, committee)) == []
    with pytest.raises(PermissionDenied):
        services.finding_report(actor=other_unit_user, finding=finding, rectification="x")
    with pytest.raises(Conflict):
        services.finding_confirm(actor=cstaff, finding=finding)
    services.finding_report(actor=unit_user, finding=finding, rectification="已增加课后服务")
    with pytest.raises(PermissionDenied):
        services.finding_confirm(actor=unit_user, finding=finding)
    with pytest.raises(ValidationFailed):  # a return says why
        services.finding_return(actor=cstaff, finding=finding)
    services.finding_return(actor=cstaff, finding=finding, note="未覆盖农村学校")
    services.finding_report(actor=unit_user, finding=finding, rectification="农村学校已覆盖")
    services.finding_confirm(actor=cstaff, finding=finding)
    finding.refresh_from_db()
    assert (finding.state, finding.rectification) == (Finding.State.RECTIFIED, "农村学校已覆盖")
    assert list(
        FindingEvent.objects.filter(finding=finding).values_list("action", "from_state", "to_state")
    ) == [
        ("create", "", "sent"),
        ("report", "sent", "reported"),
        ("return", "reported", "sent"),
        ("report", "sent", "reported"),
        ("confirm", "reported", "rectified"),
    ]


def test_overdue_findings_are_picked_out_until_rectified(
    item: SupervisionItem, cstaff: User, department: HandlingUnit, committee: Committee
) -> None:
    late = services.finding_create(
        actor=cstaff, item=item, unit=department, text="逾期", deadline=SOON
    )
    services.finding_create(actor=cstaff, item=item, unit=department, text="未到期", deadline=SOON)
    Finding.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))

    def overdue() -> list[Finding]:
        return list(FindingFilter({"overdue": "1"}, queryset=findings_of(committee)).qs)

    assert overdue() == [late]
    Finding.objects.filter(pk=late.pk).update(state=Finding.State.RECTIFIED)
    assert overdue() == []
