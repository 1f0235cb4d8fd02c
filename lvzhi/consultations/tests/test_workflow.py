"""The consultation workflow: every stage, every format's particulars, the
history and the duty records each step writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.consultations import services
from lvzhi.consultations.filters import ConsultationFilter
from lvzhi.consultations.models import (
    Consultation,
    ConsultationEvent,
    ConsultationFormat,
    OutcomeItem,
    Participant,
)
from lvzhi.consultations.selectors import consultation_list, unit_outcomes
from lvzhi.core.calendar import DeadlineState, deadline_state
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.models import Notification
from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.org.models import Committee, HandlingUnit, Member
from lvzhi.org.tests.factories import (
    HandlingUnitFactory,
    MemberFactory,
    SectorClusterFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db
C = Consultation.State
FUTURE = timezone.localdate() + dt.timedelta(days=40)


def history(consultation: Consultation) -> list[tuple[str, str, str]]:
    return list(
        ConsultationEvent.objects.filter(consultation=consultation).values_list(
            "action", "from_state", "to_state"
        )
    )


def live_duties(member: Member) -> list[tuple[str, str]]:
    return list(
        DutyRecord.objects.filter(member=member, withdrawn_at__isnull=True)
        .order_by("id")
        .values_list("kind", "source_type__model")
    )


def test_a_let_us_talk_it_over_goes_from_topic_to_closed_with_two_conveners_and_feedback(
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    unit_user: User,
    department: HandlingUnit,
    member: Member,
    make_seat: Callable[[str], Member],
) -> None:
    consultation = make_consultation(ConsultationFormat.GOOD_TALK, title="老旧小区加装电梯")
    assert consultation.first_convener == member
    assert consultation.department == department
    other = make_seat("m2")
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    services.preparation_add(
        actor=cstaff,
        consultation=consultation,
        kind="research",
        title="走访三个小区",
        reference="/duties/activities/12/",
    )
    services.consultation_convene(actor=cstaff, consultation=consultation)
    for seat in (member, other):
        services.participant_add(
            actor=cstaff, consultation=consultation, kind="member", member=seat
        )
    official = services.participant_add(
        actor=cstaff,
        consultation=consultation,
        kind="official",
        name="王局长",
        organisation="教育局",
    )
    services.participant_add(
        actor=cstaff, consultation=consultation, kind="public", name="居民代表"
    )
    speaker = Participant.objects.get(consultation=consultation, member=member)
    services.speech_record(
        actor=cstaff, consultation=consultation, speaker=speaker, title="加快审批"
    )
    services.speech_record(actor=cstaff, consultation=consultation, speaker=official, title="回应")
    services.consultation_hold(actor=cstaff, consultation=consultation)
    first = services.outcome_add(
        actor=cstaff,
        consultation=consultation,
        text="简化审批流程",
        recipient="unit",
        unit=department,
    )
    second = services.outcome_add(
        actor=cstaff, consultation=consultation, text="设立专项资金", recipient="party_government"
    )
    services.consultation_send(actor=cstaff, consultation=consultation, feedback_deadline=FUTURE)
    assert Notification.objects.filter(recipient=unit_user).count() == 1
    services.outcome_feedback_give(actor=unit_user, outcome=first, feedback="已简化为一个窗口")
    consultation.refresh_from_db()
    assert consultation.state == C.SENT  # one item still waits for feedback
    services.outcome_feedback_give(actor=cstaff, outcome=second, feedback="已列入预算")
    consultation.refresh_from_db()
    assert consultation.state == C.FEEDBACK
    services.consultation_review(
        actor=cstaff, consultation=consultation, review_note="半年后回访，已落实"
    )
    services.consultation_close(actor=cstaff, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.state == C.CLOSED
    assert history(consultation) == [
        ("create", "", C.TOPIC),
        ("prepare", C.TOPIC, C.PREPARATION),
        ("convene", C.PREPARATION, C.MEETING),
        ("hold", C.MEETING, C.OUTCOMES),
        ("send", C.OUTCOMES, C.SENT),
        ("feedback", C.SENT, C.SENT),
        ("feedback", C.SENT, C.SENT),
        ("feedback_complete", C.SENT, C.FEEDBACK),
        ("review", C.FEEDBACK, C.REVIEW),
        ("close", C.REVIEW, C.CLOSED),
    ]
    # Each member who took part: one consultation record (the speech at a
    # non-plenary format is the same record, not a second one).
    assert live_duties(member) == [(DutyKind.CONSULTATION, "consultation")]
    assert live_duties(other) == [(DutyKind.CONSULTATION, "consultation")]
    first.refresh_from_db()
    assert first.feedback_by == unit_user


def test_let_us_talk_it_over_needs_both_conveners_and_nothing_is_created(
    cstaff: User, committee: Committee, department: HandlingUnit, member: Member
) -> None:
    for convener, unit in ((None, department), (member, None), (None, None)):
        with pytest.raises(ValidationFailed) as error:
            services.consultation_create(
                actor=cstaff,
                committee=committee,
                year=2026,
                title="有事好商量",
                format=ConsultationFormat.GOOD_TALK,
                first_convener=convener,
                department=unit,
            )
        assert len(error.value.errors) == (convener is None) + (unit is None)
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    ("format", "missing_message"),
    [
        (ConsultationFormat.COUNTERPART, "Choose the department this consultation is held with."),
        (ConsultationFormat.INVITED, "Choose the department this consultation is held with."),
        (ConsultationFormat.SECTOR, "Choose the sector holding the consultation."),
        (ConsultationFormat.ROUND_TABLE, "Choose the sector cluster holding the round table."),
        (ConsultationFormat.PROPOSAL_HANDLING, "Give the number of the proposal being handled."),
        (
            ConsultationFormat.ONLINE,
            "An online consultation needs an opening and a closing time.",
        ),
    ],
)
def test_each_format_refuses_a_consultation_without_its_particulars(
    cstaff: User, committee: Committee, format: str, missing_message: str
) -> None:
    from django.utils.translation import gettext

    with pytest.raises(ValidationFailed) as error:
        services.consultation_create(
            actor=cstaff, committee=committee, year=2026, title="议题", format=format
        )
    assert gettext(missing_message) in error.value.errors
    assert not Consultation.objects.exists()


def test_each_format_is_created_with_its_particulars(
    make_consultation: Callable[..., Consultation], committee: Committee
) -> None:
    sector = SectorFactory(committee=committee)
    cluster = SectorClusterFactory(committee=committee)
    made = [
        make_consultation(ConsultationFormat.STANDING_MEETING),
        make_consultation(ConsultationFormat.SPECIAL_MEETING),
        make_consultation(ConsultationFormat.COUNTERPART),
        make_consultation(ConsultationFormat.SECTOR, sector=sector),
        make_consultation(ConsultationFormat.PROPOSAL_HANDLING, proposal_reference="2026-015"),
        make_consultation(ConsultationFormat.INVITED),
        make_consultation(ConsultationFormat.GOOD_TALK),
        make_consultation(ConsultationFormat.ROUND_TABLE, sector_cluster=cluster),
        make_consultation(ConsultationFormat.ONLINE),
    ]
    assert {c.format for c in made} == set(ConsultationFormat.values)
    by_format = {c.format: c for c in made}
    assert by_format[ConsultationFormat.SECTOR].sector == sector
    assert by_format[ConsultationFormat.ROUND_TABLE].sector_cluster == cluster
    assert by_format[ConsultationFormat.PROPOSAL_HANDLING].proposal_reference == "2026-015"
    assert by_format[ConsultationFormat.ONLINE].closes_at is not None
    # A particular of another format is not kept (no stray sector on a meeting).
    assert by_format[ConsultationFormat.SPECIAL_MEETING].first_convener is None


def test_another_committees_department_or_member_or_a_member_out_of_office_is_refused(
    cstaff: User, committee: Committee, other_committee: Committee, member: Member
) -> None:
    foreign_unit = HandlingUnitFactory(committee=other_committee)
    foreign_member = MemberFactory(committee=other_committee)
    gone = MemberFactory(committee=committee, status=Member.Status.RESIGNED)
    own_unit = HandlingUnitFactory(committee=committee)
    for convener, unit in ((member, foreign_unit), (foreign_member, own_unit), (gone, own_unit)):
        with pytest.raises(ValidationFailed):
            services.consultation_create(
                actor=cstaff,
                committee=committee,
                year=2026,
                title="有事好商量",
                format=ConsultationFormat.GOOD_TALK,
                first_convener=convener,
                department=unit,
            )
    assert not Consultation.objects.exists()


def test_the_same_form_submitted_twice_creates_one_consultation(
    make_consultation: Callable[..., Consultation],
) -> None:
    first = make_consultation(token="abc")
    second = make_consultation(token="abc")
    assert first.pk == second.pk
    assert Consultation.objects.count() == 1


def test_only_consultation_staff_move_a_consultation(
    make_consultation: Callable[..., Consultation],
    member_user: User,
    unit_user: User,
    leader: User,
    make_user: Callable[..., User],
    committee: Committee,
) -> None:
    consultation = make_consultation()
    other_staff = make_user("staff", committee, "proposals", username="pstaff")
    for actor in (member_user, unit_user, leader, other_staff):
        with pytest.raises(PermissionDenied):
            services.consultation_prepare(actor=actor, consultation=consultation)
    assert history(consultation) == [("create", "", C.TOPIC)]


def test_stage_conditions_convene_needs_a_date_hold_needs_people_send_needs_outcomes_and_deadline(
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    member: Member,
    department: HandlingUnit,
) -> None:
    consultation = make_consultation(meeting_date=None)
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    with pytest.raises(ValidationFailed):
        services.consultation_convene(actor=cstaff, consultation=consultation)
    services.consultation_convene(
        actor=cstaff, consultation=consultation, meeting_date=dt.date(2026, 6, 1)
    )
    with pytest.raises(ValidationFailed):
        services.consultation_hold(actor=cstaff, consultation=consultation)
    services.participant_add(actor=cstaff, consultation=consultation, kind="member", member=member)
    with pytest.raises(Conflict):
        services.participant_add(
            actor=cstaff, consultation=consultation, kind="member", member=member
        )
    services.consultation_hold(actor=cstaff, consultation=consultation)
    with pytest.raises(ValidationFailed):
        services.consultation_send(
            actor=cstaff, consultation=consultation, feedback_deadline=FUTURE
        )
    services.outcome_add(
        actor=cstaff, consultation=consultation, text="建议一", recipient="unit", unit=department
    )
    with pytest.raises(ValidationFailed):
        services.consultation_send(actor=cstaff, consultation=consultation)
    with pytest.raises(ValidationFailed):
        services.consultation_send(
            actor=cstaff,
            consultation=consultation,
            feedback_deadline=timezone.localdate(),
        )
    consultation.refresh_from_db()
    assert consultation.state == C.OUTCOMES
    assert [e[0] for e in history(consultation)] == ["create", "prepare", "convene", "hold"]
    # Participation earned the record at the meeting's date.
    record = DutyRecord.objects.get(member=member)
    assert (record.kind, record.date) == (DutyKind.CONSULTATION, dt.date(2026, 6, 1))


def test_a_speech_at_a_standing_committee_meeting_is_a_plenary_speech(
    make_consultation: Callable[..., Consultation], cstaff: User, member: Member
) -> None:
    consultation = make_consultation(ConsultationFormat.STANDING_MEETING)
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    services.consultation_convene(actor=cstaff, consultation=consultation)
    speaker = services.participant_add(
        actor=cstaff, consultation=consultation, kind="member", member=member
    )
    speech = services.speech_record(
        actor=cstaff, consultation=consultation, speaker=speaker, title="关于营商环境"
    )
    record = DutyRecord.objects.get(member=member, kind=DutyKind.PLENARY_SPEECH)
    assert record.source_id == speech.pk
    with pytest.raises(Conflict):
        services.speech_record(
            actor=cstaff, consultation=consultation, speaker=speaker, title="关于营商环境"
        )
    services.consultation_hold(actor=cstaff, consultation=consultation)
    assert sorted(k for k, _ in live_duties(member)) == [
        DutyKind.CONSULTATION,
        DutyKind.PLENARY_SPEECH,
    ]


def _sent(
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    member: Member,
    units: list[HandlingUnit],
    deadline: dt.date = FUTURE,
) -> Consultation:
    consultation = make_consultation(ConsultationFormat.COUNTERPART, department=units[0])
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    services.consultation_convene(actor=cstaff, consultation=consultation)
    services.participant_add(actor=cstaff, consultation=consultation, kind="member", member=member)
    services.consultation_hold(actor=cstaff, consultation=consultation)
    for index, unit in enumerate(units):
        services.outcome_add(
            actor=cstaff,
            consultation=consultation,
            text=f"建议{index}",
            recipient="unit",
            unit=unit,
        )
    services.consultation_send(actor=cstaff, consultation=consultation, feedback_deadline=deadline)
    return consultation


def test_a_department_answers_only_its_own_outcomes_and_only_once(
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    member: Member,
    department: HandlingUnit,
    other_department: HandlingUnit,
    unit_user: User,
    other_unit_user: User,
    member_user: User,
) -> None:
    consultation = _sent(make_consultation, cstaff, member, [department, other_department])
    mine, theirs = consultation.outcomes.order_by("number")
    for actor in (other_unit_user, member_user):
        with pytest.raises(PermissionDenied):
            services.outcome_feedback_give(actor=actor, outcome=mine, feedback="好")
    with pytest.raises(ValidationFailed):
        services.outcome_feedback_give(actor=unit_user, outcome=mine, feedback="   ")
    services.outcome_feedback_give(actor=unit_user, outcome=mine, feedback="已办理")
    with pytest.raises(Conflict):
        services.outcome_feedback_give(actor=unit_user, outcome=mine, feedback="再答一次")
    mine.refresh_from_db()
    assert mine.feedback == "已办理"
    assert list(unit_outcomes(unit_user, consultation.committee)) == [mine]
    assert list(unit_outcomes(other_unit_user, consultation.committee)) == [theirs]


def test_overdue_feedback_is_counted_per_consultation_and_coloured_red(
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    member: Member,
    department: HandlingUnit,
    committee: Committee,
) -> None:
    consultation = _sent(make_consultation, cstaff, member, [department])
    OutcomeItem.objects.filter(consultation=consultation).update(
        feedback_deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    row = consultation_list(cstaff, committee).get(pk=consultation.pk)
    assert row.overdue_count == 1
    overdue = ConsultationFilter({"overdue": "1"}, queryset=consultation_list(cstaff, committee))
    assert list(overdue.qs) == [row]
    outcome = consultation.outcomes.get()
    assert outcome.feedback_deadline is not None
    assert deadline_state(outcome.feedback_deadline) == DeadlineState.RED


def test_online_consultation_is_concluded_after_it_closes_and_its_summary_becomes_the_outcome(
    make_consultation: Callable[..., Consultation], cstaff: User, member: Member
) -> None:
    consultation = make_consultation(ConsultationFormat.ONLINE)
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    services.consultation_convene(actor=cstaff, consultation=consultation)
    services.participant_add(actor=cstaff, consultation=consultation, kind="member", member=member)
    with pytest.raises(ValidationFailed):
        services.consultation_hold(actor=cstaff, consultation=consultation, summary="小结")
    assert consultation.closes_at is not None
    later = consultation.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationFailed):
        services.consultation_hold(actor=cstaff, consultation=consultation, summary="", now=later)
    services.consultation_hold(
        actor=cstaff,
        consultation=consultation,
        summary="网民建议增加公交线路",
        now=later,
    )
    outcome = consultation.outcomes.get()
    assert (outcome.number, outcome.text) == (1, "网民建议增加公交线路")
    assert outcome.recipient == OutcomeItem.Recipient.PARTY_GOVERNMENT
    consultation.refresh_from_db()
    assert consultation.summary == "网民建议增加公交线路"


def _duty_count(**filters: Any) -> int:
    return DutyRecord.objects.filter(withdrawn_at__isnull=True, **filters).count()
