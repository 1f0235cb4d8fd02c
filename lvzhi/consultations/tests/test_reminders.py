"""The daily reminders before feedback and rectification deadlines: to the
department's unit users and the consultations staff of that committee only,
once per threshold (blue ≤ 30 days, yellow ≤ 7 days, red overdue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from lvzhi.consultations import services, tasks
from lvzhi.consultations.models import (
    Consultation,
    ConsultationFormat,
    Finding,
    OutcomeItem,
    SupervisionItem,
)
from lvzhi.core.models import Notification
from lvzhi.org.models import Committee, HandlingUnit, Member
from lvzhi.org.tests.factories import HandlingUnitFactory

from .conftest import unit_user_for

pytestmark = pytest.mark.django_db
DEADLINE = timezone.localdate() + dt.timedelta(days=40)
BLUE_DAY = DEADLINE - dt.timedelta(days=20)
YELLOW_DAY = DEADLINE - dt.timedelta(days=5)
RED_DAY = DEADLINE + dt.timedelta(days=1)


def reminders(user: User) -> list[str]:
    """The reminder keys a user holds (the notices sent on sending are not reminders)."""
    return sorted(
        Notification.objects.filter(
            recipient=user, dedupe_key__startswith="consultations:"
        ).values_list("dedupe_key", flat=True)
    )


def sent_consultation(
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    member: Member,
    units: list[HandlingUnit | None],
) -> Consultation:
    """A counterpart consultation whose outcomes went out, one per unit
    (None: to party and government), feedback due on DEADLINE."""
    department = next(u for u in units if u is not None)
    consultation = make_consultation(ConsultationFormat.COUNTERPART, department=department)
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    services.consultation_convene(actor=cstaff, consultation=consultation)
    services.participant_add(actor=cstaff, consultation=consultation, kind="member", member=member)
    services.consultation_hold(actor=cstaff, consultation=consultation)
    for index, unit in enumerate(units):
        services.outcome_add(
            actor=cstaff,
            consultation=consultation,
            text=f"建议{index}",
            recipient="unit" if unit else "party_government",
            unit=unit,
        )
    services.consultation_send(actor=cstaff, consultation=consultation, feedback_deadline=DEADLINE)
    return consultation


@pytest.fixture
def item(cstaff: User, committee: Committee, department: HandlingUnit) -> SupervisionItem:
    plan = services.supervision_plan_create(
        actor=cstaff, committee=committee, year=2026, title="2026年民主监督计划"
    )
    return services.supervision_item_add(
        actor=cstaff,
        plan=plan,
        title="义务教育“双减”落实情况",
        form=SupervisionItem.Form.INSPECTION,
        month=4,
        subjects=[department],
    )


@pytest.fixture
def bystanders(
    make_user: Callable[..., User], committee: Committee, department: HandlingUnit
) -> list[User]:
    """Users who must never be reminded of this committee's items: staff of
    another area, a leader, and a unit user for the same department whose
    assignment is recorded in another committee."""
    elsewhere = HandlingUnitFactory().committee
    misassigned = UserFactory(username="misassigned")
    RoleAssignmentFactory(user=misassigned, committee=elsewhere, role=Role.UNIT, unit=department)
    return [
        make_user(Role.STAFF, committee, Area.PROPOSALS, username="pstaff"),
        make_user(Role.LEADER, committee, username="leader"),
        misassigned,
    ]


def test_feedback_reminders_go_to_the_departments_unit_users_and_staff_only(
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    member: Member,
    department: HandlingUnit,
    other_department: HandlingUnit,
    unit_user: User,
    other_unit_user: User,
    bystanders: list[User],
) -> None:
    colleague = unit_user_for(department, "unit-colleague")
    consultation = sent_consultation(
        make_consultation, cstaff, member, [department, other_department, None]
    )
    mine, theirs, to_government = consultation.outcomes.order_by("number")
    # The other department's feedback is due later: nothing yet.
    OutcomeItem.objects.filter(pk=theirs.pk).update(
        feedback_deadline=DEADLINE + dt.timedelta(days=30)
    )

    assert tasks.deadline_reminders_send(today=BLUE_DAY) == 3
    key = f"consultations:outcome:{mine.pk}:blue"
    assert reminders(unit_user) == reminders(colleague) == reminders(cstaff) == [key]
    assert reminders(other_unit_user) == []
    for user in bystanders:
        assert reminders(user) == []
    notice = Notification.objects.get(recipient=unit_user, dedupe_key=key)
    assert notice.committee_id == consultation.committee_id
    assert notice.url == f"/consultations/outcomes/{mine.pk}/feedback/"
    assert consultation.title in notice.title
    # Outcomes to party and government are followed by staff, not reminded.
    assert not Notification.objects.filter(dedupe_key__contains=f":{to_government.pk}:").exists()


def test_each_threshold_notifies_once_even_when_the_job_runs_twice(
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    member: Member,
    department: HandlingUnit,
    unit_user: User,
) -> None:
    consultation = sent_consultation(make_consultation, cstaff, member, [department])
    outcome = consultation.outcomes.get()
    assert tasks.deadline_reminders_send(today=DEADLINE - dt.timedelta(days=31)) == 0
    for day, state in ((BLUE_DAY, "blue"), (YELLOW_DAY, "yellow"), (RED_DAY, "red")):
        assert tasks.deadline_reminders_send(today=day) == 2  # the unit user and staff
        assert tasks.deadline_reminders_send(today=day) == 0
        assert f"consultations:outcome:{outcome.pk}:{state}" in reminders(unit_user)
    assert tasks.deadline_reminders_send(today=RED_DAY + dt.timedelta(days=10)) == 0
    assert reminders(unit_user) == reminders(cstaff)
    assert len(reminders(unit_user)) == 3


def test_an_answered_outcome_is_not_reminded(
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    member: Member,
    department: HandlingUnit,
    other_department: HandlingUnit,
    unit_user: User,
    other_unit_user: User,
) -> None:
    consultation = sent_consultation(
        make_consultation, cstaff, member, [department, other_department]
    )
    mine, theirs = consultation.outcomes.order_by("number")
    services.outcome_feedback_give(actor=unit_user, outcome=mine, feedback="已办理")
    assert tasks.deadline_reminders_send(today=RED_DAY) == 2  # only the other one
    assert reminders(unit_user) == []
    assert reminders(other_unit_user) == [f"consultations:outcome:{theirs.pk}:red"]
    assert reminders(cstaff) == [f"consultations:outcome:{theirs.pk}:red"]


def test_rectification_reminders_go_to_the_department_and_staff_once_per_threshold(
    item: SupervisionItem,
    cstaff: User,
    department: HandlingUnit,
    unit_user: User,
    other_unit_user: User,
    bystanders: list[User],
) -> None:
    finding = services.finding_create(
        actor=cstaff, item=item, unit=department, text="课后服务不足", deadline=DEADLINE
    )
    for day, state in ((BLUE_DAY, "blue"), (YELLOW_DAY, "yellow"), (RED_DAY, "red")):
        assert tasks.deadline_reminders_send(today=day) == 2
        assert tasks.deadline_reminders_send(today=day) == 0
        key = f"consultations:finding:{finding.pk}:{state}"
        assert key in reminders(unit_user) and key in reminders(cstaff)
    assert len(reminders(unit_user)) == 3
    assert reminders(other_unit_user) == []
    for user in bystanders:
        assert reminders(user) == []
    notice = Notification.objects.get(
        recipient=unit_user, dedupe_key=f"consultations:finding:{finding.pk}:red"
    )
    assert item.title in notice.title
    assert notice.url == f"/consultations/findings/{finding.pk}/"


def test_a_rectified_finding_is_not_reminded_and_a_reported_one_only_to_staff(
    item: SupervisionItem, cstaff: User, department: HandlingUnit, unit_user: User
) -> None:
    rectified = services.finding_create(
        actor=cstaff, item=item, unit=department, text="已整改", deadline=DEADLINE
    )
    reported = services.finding_create(
        actor=cstaff, item=item, unit=department, text="已报告", deadline=DEADLINE
    )
    for finding in (rectified, reported):
        services.finding_report(actor=unit_user, finding=finding, rectification="已办")
    services.finding_confirm(actor=cstaff, finding=rectified)
    assert tasks.deadline_reminders_send(today=RED_DAY) == 1
    assert reminders(cstaff) == [f"consultations:finding:{reported.pk}:red"]
    assert reminders(unit_user) == []
    # Returned to the department, it is the department's turn again.
    services.finding_return(actor=cstaff, finding=reported, note="未完成")
    assert tasks.deadline_reminders_send(today=RED_DAY) == 1
    assert reminders(unit_user) == [f"consultations:finding:{reported.pk}:red"]
    assert Finding.objects.get(pk=rectified.pk).state == Finding.State.RECTIFIED


def test_another_committees_items_remind_only_its_own_people(
    make_user: Callable[..., User],
    other_committee: Committee,
    item: SupervisionItem,
    cstaff: User,
    department: HandlingUnit,
    unit_user: User,
) -> None:
    their_staff = make_user(Role.STAFF, other_committee, Area.CONSULTATIONS, username="ostaff")
    their_unit = HandlingUnitFactory(committee=other_committee, name="外市教育局")
    their_unit_user = unit_user_for(their_unit, "ounit")
    plan = services.supervision_plan_create(
        actor=their_staff, committee=other_committee, year=2026, title="外市监督计划"
    )
    their_item = services.supervision_item_add(
        actor=their_staff,
        plan=plan,
        title="外市事项",
        form=SupervisionItem.Form.MEETING,
        month=5,
        subjects=[their_unit],
    )
    theirs = services.finding_create(
        actor=their_staff, item=their_item, unit=their_unit, text="外市问题", deadline=DEADLINE
    )
    ours = services.finding_create(
        actor=cstaff, item=item, unit=department, text="本市问题", deadline=DEADLINE
    )
    assert tasks.deadline_reminders_send(today=RED_DAY) == 4
    assert (
        reminders(their_staff)
        == reminders(their_unit_user)
        == [f"consultations:finding:{theirs.pk}:red"]
    )
    assert reminders(cstaff) == reminders(unit_user) == [f"consultations:finding:{ours.pk}:red"]
    notice = Notification.objects.get(
        recipient=their_staff, dedupe_key__startswith="consultations:"
    )
    assert notice.committee_id == other_committee.pk


def test_selection_queries_do_not_grow_with_the_number_of_items(
    make_consultation: Callable[..., Consultation],
    item: SupervisionItem,
    cstaff: User,
    member: Member,
    committee: Committee,
    department: HandlingUnit,
    other_department: HandlingUnit,
    unit_user: User,
    other_unit_user: User,
) -> None:
    def selection_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            today = RED_DAY
            outcomes = list(tasks.selectors.feedback_reminders_due(today))
            findings = list(tasks.selectors.rectification_reminders_due(today))
            tasks.selectors.unit_users_by_unit(
                [(o.committee_id, o.unit_id) for o in outcomes]
                + [(f.committee_id, f.unit_id) for f in findings]
            )
            tasks.selectors.consultation_staff_by_committee([committee.pk])
            for o in outcomes:
                assert o.consultation.title and o.unit and o.committee
            for f in findings:
                assert f.item.title and f.unit and f.committee
        return len(ctx.captured_queries)

    sent_consultation(make_consultation, cstaff, member, [department])
    services.finding_create(actor=cstaff, item=item, unit=department, text="一", deadline=DEADLINE)
    few = selection_queries()
    sent_consultation(
        make_consultation, cstaff, member, [department, other_department, other_department]
    )
    for text in ("二", "三"):
        services.finding_create(
            actor=cstaff, item=item, unit=other_department, text=text, deadline=DEADLINE
        )
    assert selection_queries() == few == 4


def test_the_daily_job_runs_the_reminders(
    make_consultation: Callable[..., Consultation],
    item: SupervisionItem,
    cstaff: User,
    member: Member,
    department: HandlingUnit,
    unit_user: User,
) -> None:
    assert tasks.consultation_deadlines_daily.call_local() == 0
    consultation = sent_consultation(make_consultation, cstaff, member, [department])
    finding = services.finding_create(
        actor=cstaff, item=item, unit=department, text="逾期问题", deadline=DEADLINE
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    OutcomeItem.objects.filter(consultation=consultation).update(feedback_deadline=yesterday)
    Finding.objects.filter(pk=finding.pk).update(deadline=yesterday)
    assert tasks.consultation_deadlines_daily.call_local() == 4
    assert tasks.consultation_deadlines_daily.call_local() == 0
    outcome = consultation.outcomes.get()
    assert reminders(unit_user) == sorted(
        [f"consultations:finding:{finding.pk}:red", f"consultations:outcome:{outcome.pk}:red"]
    )
