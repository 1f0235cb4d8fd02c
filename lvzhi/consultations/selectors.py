"""Reads of consultations and supervision, scoped to the committee and the user.

Every function takes the committee the user works in; a view that loads an
object through one of these querysets answers 404 for another committee's
object, and for an object the user may not see."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from lvzhi.accounts.models import Area, Role, RoleAssignment
from lvzhi.accounts.roles import has_role, unit_ids_of
from lvzhi.consultations.models import (
    Consultation,
    ConsultationPlan,
    EvaluationCriterion,
    Finding,
    Inspection,
    OutcomeItem,
    Participant,
    PlanItem,
    Post,
    SupervisionItem,
    SupervisionPlan,
    Topic,
)
from lvzhi.core.permissions import has_perm
from lvzhi.org.models import Committee, HandlingUnit, Member
from lvzhi.org.selectors import member_committee_ids, member_of_user

# The states of an online consultation's posting window.
NOT_OPEN, OPEN, CLOSED = "not_open", "open", "closed"


def sees_everything(user: Any, committee: Committee) -> bool:
    """Staff of the area and the chairpersons' meeting read every consultation."""
    return has_perm(user, "consultations.view_all", committee)


def seat_of(actor: Any, committee: Committee) -> Member | None:
    """The actor's seat in office in the committee's current term, if any."""
    if committee.pk not in member_committee_ids(actor):
        return None
    seat = member_of_user(actor, committee)
    if seat is None or seat.status != Member.Status.IN_OFFICE:
        return None
    return seat


def participant_of(actor: Any, consultation: Consultation) -> Participant | None:
    """The actor's participation (as a member seat or an invited login)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return (
        consultation.participants.filter(user=actor).select_related("member").first()
        or consultation.participants.filter(member__person__user=actor)
        .select_related("member")
        .first()
    )


def online_window_state(consultation: Consultation, now: datetime | None = None) -> str:
    """NOT_OPEN, OPEN or CLOSED; posting needs OPEN at the meeting stage."""
    now = now or timezone.now()
    if consultation.opens_at is None or consultation.closes_at is None:
        return CLOSED
    if (
        consultation.state in (Consultation.State.TOPIC, Consultation.State.PREPARATION)
        or now < consultation.opens_at
    ):
        return NOT_OPEN
    if consultation.state != Consultation.State.MEETING or now >= consultation.closes_at:
        return CLOSED
    return OPEN


# --- Topics and plans -------------------------------------------------------------------


def topics_for(user: Any, committee: Committee) -> QuerySet[Topic]:
    """Staff and leaders see every topic; others the topics they proposed
    (filters.TopicFilter narrows the list)."""
    qs = (
        Topic.objects.filter(committee=committee)
        .select_related("proposer_member__person")
        .annotate(plan_item_count=Count("plan_items"))
    )
    if not sees_everything(user, committee):
        qs = qs.filter(proposer=user)
    return qs.order_by("-year", "-id")


def plans_for(user: Any, committee: Committee) -> QuerySet[ConsultationPlan]:
    """Drafts and approved plans for staff and leaders; published plans for all."""
    qs = ConsultationPlan.objects.filter(committee=committee).annotate(item_count=Count("items"))
    if not sees_everything(user, committee):
        qs = qs.filter(status=ConsultationPlan.Status.PUBLISHED)
    return qs.order_by("-year")


def plan_items_of(plan: ConsultationPlan) -> QuerySet[PlanItem]:
    return (
        PlanItem.objects.filter(plan=plan)
        .select_related("topic")
        .annotate(consultation_count=Count("consultations"))
        .order_by("month", "id")
    )


# --- Consultations ---------------------------------------------------------------------


def _overdue_q(today: date) -> Q:
    return Q(
        outcomes__sent_at__isnull=False,
        outcomes__feedback_at__isnull=True,
        outcomes__feedback_deadline__lt=today,
    )


def consultations_for(user: Any, committee: Committee) -> QuerySet[Consultation]:
    """Staff and leaders: all; a member: the consultations they take part in
    or convene; an invited login: those it is invited to."""
    qs = Consultation.objects.filter(committee=committee)
    if sees_everything(user, committee):
        return qs
    mine = Participant.objects.filter(committee=committee).filter(
        Q(user=user) | Q(member__person__user=user)
    )
    return qs.filter(
        Q(pk__in=mine.values("consultation_id")) | Q(first_convener__person__user=user)
    )


def consultation_list(user: Any, committee: Committee) -> QuerySet[Consultation]:
    """The list with each row's overdue outcomes counted in SQL
    (filters.ConsultationFilter narrows it)."""
    today = timezone.localdate()
    return (
        consultations_for(user, committee)
        .select_related("department", "first_convener__person", "sector", "sector_cluster")
        .annotate(
            overdue_count=Count("outcomes", filter=_overdue_q(today), distinct=True),
            outcome_count=Count("outcomes", distinct=True),
        )
        .order_by("-year", "-id")
    )


def consultation_detail(user: Any, committee: Committee) -> QuerySet[Consultation]:
    return consultations_for(user, committee).select_related(
        "department",
        "first_convener__person",
        "sector",
        "sector_cluster",
        "topic",
        "plan_item__plan",
        "evaluation",
    )


def participants_of(consultation: Consultation) -> QuerySet[Participant]:
    return consultation.participants.select_related("member__person", "user").order_by("kind", "id")


def outcomes_of(consultation: Consultation) -> QuerySet[OutcomeItem]:
    return consultation.outcomes.select_related("unit", "feedback_by").order_by("number")


def posts_of(consultation: Consultation) -> QuerySet[Post]:
    """Top-level posts with their replies; hidden posts stay (the template
    shows staff their text and the reason, others a placeholder)."""
    replies = Post.objects.select_related("author", "member__person", "hidden_by").order_by("id")
    return (
        Post.objects.filter(consultation=consultation, parent__isnull=True)
        .select_related("author", "member__person", "hidden_by")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("id")
    )


def criteria_of(
    committee: Committee, *, active_only: bool = False
) -> QuerySet[EvaluationCriterion]:
    qs = EvaluationCriterion.objects.filter(committee=committee)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("order", "id")


# --- What departments and leaders receive ------------------------------------------------


def unit_outcomes(user: Any, committee: Committee) -> QuerySet[OutcomeItem]:
    """Outcomes sent to the departments the user acts for, nothing else."""
    return (
        OutcomeItem.objects.filter(
            committee=committee,
            recipient=OutcomeItem.Recipient.UNIT,
            unit_id__in=unit_ids_of(user, committee),
            sent_at__isnull=False,
        )
        .select_related("consultation", "unit")
        .order_by("feedback_at", "feedback_deadline", "id")
    )


def gov_outcomes(committee: Committee) -> QuerySet[OutcomeItem]:
    return (
        OutcomeItem.objects.filter(
            committee=committee,
            recipient=OutcomeItem.Recipient.PARTY_GOVERNMENT,
            sent_at__isnull=False,
        )
        .select_related("consultation")
        .order_by("-sent_at", "number")
    )


def unit_findings(user: Any, committee: Committee) -> QuerySet[Finding]:
    return (
        Finding.objects.filter(committee=committee, unit_id__in=unit_ids_of(user, committee))
        .select_related("item", "unit")
        .order_by("state", "deadline", "id")
    )


def outcome_for_feedback(user: Any, committee: Committee) -> QuerySet[OutcomeItem]:
    """Outcomes the user may open to answer: staff any, a unit user its own, a
    party or government leader those sent to party and government."""
    if has_perm(user, "consultations.manage", committee):
        return OutcomeItem.objects.filter(
            committee=committee, sent_at__isnull=False
        ).select_related("consultation", "unit")
    if has_role(user, committee, Role.GOV_LEADER):
        return gov_outcomes(committee) | unit_outcomes(user, committee)
    return unit_outcomes(user, committee)


# --- Supervision ---------------------------------------------------------------------


def supervision_plans(committee: Committee) -> QuerySet[SupervisionPlan]:
    return (
        SupervisionPlan.objects.filter(committee=committee)
        .annotate(item_count=Count("items"))
        .order_by("-year")
    )


def supervision_items_of(plan: SupervisionPlan) -> QuerySet[SupervisionItem]:
    return (
        SupervisionItem.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch("subjects", queryset=HandlingUnit.objects.order_by("id")),
            Prefetch(
                "inspections",
                queryset=Inspection.objects.annotate(participant_count=Count("participants")),
            ),
        )
        .annotate(
            finding_count=Count("findings", distinct=True),
            open_finding_count=Count(
                "findings", filter=~Q(findings__state=Finding.State.RECTIFIED), distinct=True
            ),
        )
        .order_by("month", "id")
    )


def inspections_of(committee: Committee) -> QuerySet[Inspection]:
    return Inspection.objects.filter(committee=committee).select_related("item__plan")


def findings_of(committee: Committee) -> QuerySet[Finding]:
    """The committee's findings, nearest deadline first (filters.FindingFilter narrows them)."""
    return (
        Finding.objects.filter(committee=committee)
        .select_related("item", "unit", "inspection")
        .order_by("deadline", "id")
    )


def finding_for(user: Any, committee: Committee) -> QuerySet[Finding]:
    """Findings the user may open: staff and leaders any, a unit user its own."""
    if sees_everything(user, committee):
        return findings_of(committee)
    return unit_findings(user, committee)


# --- Deadline reminders (the daily job; across committees, not per user) ------------------

# Reminders start when 30 days or fewer are left (core.calendar.deadline_state: blue).
REMINDER_HORIZON_DAYS = 30


def feedback_reminders_due(today: date) -> QuerySet[OutcomeItem]:
    """Outcomes sent to a department, not answered, whose feedback is due
    within 30 days or overdue, in active committees; one query."""
    return (
        OutcomeItem.objects.filter(
            recipient=OutcomeItem.Recipient.UNIT,
            unit__isnull=False,
            sent_at__isnull=False,
            feedback_at__isnull=True,
            feedback_deadline__lte=today + timedelta(days=REMINDER_HORIZON_DAYS),
            committee__is_active=True,
        )
        .select_related("consultation", "unit", "committee")
        .order_by("committee_id", "feedback_deadline", "id")
    )


def rectification_reminders_due(today: date) -> QuerySet[Finding]:
    """Findings not rectified whose deadline is within 30 days or past, in
    active committees; one query."""
    return (
        Finding.objects.filter(
            deadline__lte=today + timedelta(days=REMINDER_HORIZON_DAYS),
            committee__is_active=True,
        )
        .exclude(state=Finding.State.RECTIFIED)
        .select_related("item", "unit", "committee")
        .order_by("committee_id", "deadline", "id")
    )


def unit_users_by_unit(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], list[Any]]:
    """Active unit users keyed by (committee id, unit id): the users with the
    role "unit" for that department in that committee; one query."""
    wanted = set(pairs)
    if not wanted:
        return {}
    rows = (
        RoleAssignment.objects.filter(
            role=Role.UNIT,
            committee_id__in={c for c, _u in wanted},
            unit_id__in={u for _c, u in wanted},
            user__is_active=True,
        )
        .select_related("user")
        .order_by("id")
    )
    found: dict[tuple[int, int], list[Any]] = {}
    for row in rows:
        key = (row.committee_id, row.unit_id)
        if key in wanted:
            found.setdefault(key, []).append(row.user)
    return found


def consultation_staff_by_committee(committee_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Active staff of the consultations area keyed by committee id; one query."""
    ids = set(committee_ids)
    if not ids:
        return {}
    rows = (
        RoleAssignment.objects.filter(
            role=Role.STAFF,
            area=Area.CONSULTATIONS,
            committee_id__in=ids,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("id")
    )
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(row.committee_id, []).append(row.user)
    return found


# --- What waits for whom (the home page's to-dos, the list's "awaiting" filter) --------


def _unanswered(today: date | None = None) -> QuerySet[OutcomeItem]:
    rows = OutcomeItem.objects.filter(
        consultation=OuterRef("pk"), sent_at__isnull=False, feedback_at__isnull=True
    )
    return rows.filter(feedback_deadline__lt=today) if today else rows


def awaiting_feedback(consultations: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """Consultations with an outcome sent and not yet answered."""
    return consultations.filter(Exists(_unanswered()))


def feedback_overdue(consultations: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """Consultations with an outcome unanswered past its feedback date (the list's ``overdue``)."""
    return consultations.filter(Exists(_unanswered(timezone.localdate())))


def plans_to_approve(user: Any, committee: Committee) -> QuerySet[ConsultationPlan]:
    return plans_for(user, committee).filter(status=ConsultationPlan.Status.DRAFT)


def unanswered(outcomes: QuerySet[OutcomeItem]) -> QuerySet[OutcomeItem]:
    """Outcomes still waiting for the recipient's feedback."""
    return outcomes.filter(feedback_at__isnull=True)
