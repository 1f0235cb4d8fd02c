"""Reads of proposals, scoped to the committee and the user (DESIGN §5)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from lvzhi.accounts.models import Area, Role, RoleAssignment
from lvzhi.accounts.roles import unit_ids_of
from lvzhi.core.models import Attachment, Correction
from lvzhi.core.prefetch import prefetch_present
from lvzhi.org.models import Committee, HandlingUnit, Member
from lvzhi.proposals import workflow
from lvzhi.proposals.models import (
    Assignment,
    AssignmentMessage,
    CoSigner,
    CoUnitOpinion,
    DeclineGround,
    Evaluation,
    ExtensionRequest,
    PreContact,
    Proposal,
    ProposalCategory,
    ReassignmentRequest,
    Reply,
    Satisfaction,
    SupervisionNote,
)
from lvzhi.proposals.rules import LOADED_ASSIGNMENTS, LOADED_COSIGNERS
from lvzhi.proposals.settings_defs import answer_classes


def _list_base(committee: Committee) -> QuerySet[Proposal]:
    return Proposal.objects.filter(committee=committee).select_related(
        "proposer__person", "category", "session", "term"
    )


def proposal_detail_qs(committee: Committee) -> QuerySet[Proposal]:
    """Every proposal of the committee with what the detail page shows; the
    view then checks ``proposals.view_proposal`` on the loaded row."""
    return Proposal.objects.filter(committee=committee).select_related(
        "proposer__person",
        "proposer__sector",
        "category",
        "session",
        "term",
        "decline_ground",
        "letter_unit",
        "merged_into",
        "supervisor",
    )


def proposal_page_qs(committee: Committee) -> QuerySet[Proposal]:
    """``proposal_detail_qs`` with what the detail page and its permission
    checks read: the co-signers and the assignments come with the row (the
    rules read them instead of querying per check), and flags say whether any
    proposal was merged into it, whether it has supervision notes and
    evaluations, so the page does not ask for lists it knows are empty."""
    return (
        proposal_detail_qs(committee)
        .annotate(
            has_merged=Exists(Proposal.objects.filter(merged_into=OuterRef("pk"))),
            has_notes=Exists(SupervisionNote.objects.filter(proposal=OuterRef("pk"))),
            has_evaluations=Exists(Evaluation.objects.filter(proposal=OuterRef("pk"))),
            has_corrections=Exists(
                Correction.objects.filter(
                    committee=OuterRef("committee"),
                    content_type=ContentType.objects.get_for_model(Proposal),
                    object_id=OuterRef("pk"),
                )
            ),
        )
        .prefetch_related(
            Prefetch(
                "cosigners",
                queryset=CoSigner.objects.select_related("member__person", "member__sector"),
                to_attr=LOADED_COSIGNERS,
            ),
            Prefetch("assignments", queryset=_page_assignments(), to_attr=LOADED_ASSIGNMENTS),
        )
    )


# What an assignment's panel lists, each behind an Exists flag on the row.
_ASSIGNMENT_PARTS: dict[str, str | Prefetch] = {
    "has_contacts": "contacts",
    "has_opinions": "opinions",
    "has_replies": Prefetch("replies", queryset=Reply.objects.order_by("round", "id")),
    "has_extension_requests": "extension_requests",
    "has_reassignment_requests": "reassignment_requests",
}


def _page_assignments() -> QuerySet[Assignment]:
    def present(model: Any) -> Exists:
        return Exists(model.objects.filter(assignment=OuterRef("pk")))

    return (
        Assignment.objects.select_related("unit", "quality_rating")
        .annotate(
            has_contacts=present(PreContact),
            has_opinions=present(CoUnitOpinion),
            has_replies=present(Reply),
            has_extension_requests=present(ExtensionRequest),
            has_reassignment_requests=present(ReassignmentRequest),
            message_count=Coalesce(
                Subquery(
                    AssignmentMessage.objects.filter(assignment=OuterRef("pk"))
                    .values("assignment")
                    .annotate(n=Count("id"))
                    .values("n")[:1]
                ),
                0,
            ),
        )
        .order_by("role", "id")
    )


def page_assignments_of(proposal: Proposal) -> list[Assignment]:
    """The assignments loaded by ``proposal_page_qs``, each with its contacts,
    opinions, replies and requests (one query per part some assignment has)."""
    assignments: list[Assignment] = getattr(proposal, LOADED_ASSIGNMENTS)
    prefetch_present(assignments, _ASSIGNMENT_PARTS)
    return assignments


def page_files_of(
    proposal: Proposal, replies: list[Reply], *, purpose: str
) -> tuple[list[Attachment], dict[int, Attachment]]:
    """The proposal's attachments (of ``purpose``) and the signed letter of
    each reply, in one query: (attachments, {reply id: letter})."""
    proposal_type = ContentType.objects.get_for_model(Proposal)
    reply_type = ContentType.objects.get_for_model(Reply)
    rows = Attachment.objects.filter(
        Q(owner_type=proposal_type, owner_id=proposal.pk, purpose=purpose)
        | Q(owner_type=reply_type, owner_id__in=[r.pk for r in replies])
    ).order_by("id")
    attachments: list[Attachment] = []
    letters: dict[int, Attachment] = {}
    for row in rows:
        if row.owner_type_id == proposal_type.pk:
            attachments.append(row)
        else:
            letters[row.owner_id] = row
    return attachments, letters


def my_proposals(committee: Committee, user: Any) -> QuerySet[Proposal]:
    return (
        _list_base(committee)
        .filter(proposer__person__user=user)
        .exclude(status=Proposal.Status.WITHDRAWN)
        .order_by("-created_at", "-id")
    )


def cosign_invitations(committee: Committee, user: Any) -> QuerySet[CoSigner]:
    return (
        CoSigner.objects.filter(proposal__committee=committee, member__person__user=user)
        .exclude(proposal__status=Proposal.Status.WITHDRAWN)
        .select_related("proposal__proposer__person", "proposal__category")
        .order_by("state", "-proposal__created_at", "-id")
    )


def office_proposals(committee: Committee) -> QuerySet[Proposal]:
    """The office's list: every proposal past the draft, numbered ones by
    number (newest first), unnumbered ones first; ``filters.ProposalFilter`` narrows it."""
    return (
        _list_base(committee)
        .filter(status__in=workflow.OFFICE_VISIBLE)
        .order_by(F("number").desc(nulls_first=True), "-submitted_at", "-id")
    )


def review_queue(committee: Committee) -> QuerySet[Proposal]:
    return (
        _list_base(committee)
        .filter(status=Proposal.Status.SUBMITTED)
        .order_by("submitted_at", "id")
    )


def unit_assignments(committee: Committee, user: Any) -> QuerySet[Assignment]:
    """The unit inbox: assignments of the user's units, soonest deadline first."""
    units = unit_ids_of(user, committee)
    return (
        Assignment.objects.filter(committee=committee, unit_id__in=units)
        .exclude(state=Assignment.State.WITHDRAWN)
        .select_related("proposal__proposer__person", "proposal__category", "unit")
        .annotate(effective_due=Coalesce("extended_due", "reply_due"))
        .order_by(F("state").asc(), "effective_due", "id")  # "active" sorts before "replied"
    )


def letters_for_units(committee: Committee, user: Any) -> QuerySet[Proposal]:
    units = unit_ids_of(user, committee)
    return (
        Proposal.objects.filter(committee=committee, letter_unit_id__in=units)
        .select_related("proposer__person", "letter_unit")
        .order_by("-updated_at")
    )


def supervision_board(committee: Committee, *, today: date | None = None) -> QuerySet[Assignment]:
    """Open assignments overdue or due within 30 days (at risk), and those of
    key proposals whatever their due date; most urgent first."""
    today = today or timezone.localdate()
    return (
        Assignment.objects.filter(committee=committee, state=Assignment.State.ACTIVE)
        .annotate(effective_due=Coalesce("extended_due", "reply_due"))
        .filter(Q(effective_due__lte=today + timedelta(days=30)) | Q(proposal__is_key=True))
        .select_related("proposal__proposer__person", "proposal__supervisor", "unit")
        .order_by("effective_due", "id")
    )


def thread_assignments(committee: Committee) -> QuerySet[Assignment]:
    """Assignments with what their thread page shows; the view checks
    ``proposals.view_assignment_thread`` on the loaded row."""
    return Assignment.objects.filter(committee=committee).select_related(
        "proposal__proposer__person", "proposal__category", "unit"
    )


def thread_messages(assignment: Assignment) -> QuerySet[AssignmentMessage]:
    """The assignment's messages, oldest first, each with its pre-contact record."""
    return AssignmentMessage.objects.filter(
        committee_id=assignment.committee_id, assignment=assignment
    ).select_related("precontact")


def cosigning_member(proposal: Proposal, user: Any) -> Member | None:
    """The user's confirmed co-signer membership of the proposal, if any."""
    row = (
        CoSigner.objects.filter(
            proposal=proposal, member__person__user=user, state=CoSigner.State.CONFIRMED
        )
        .select_related("member__person")
        .first()
    )
    return row.member if row is not None else None


def thread_proposers(proposal: Proposal) -> list[Member]:
    """Who writes on the proposers' side: the lead proposer, then the confirmed co-signers."""
    cosigners = CoSigner.objects.filter(
        proposal=proposal, state=CoSigner.State.CONFIRMED
    ).select_related("member__person")
    return [proposal.proposer, *(c.member for c in cosigners)]


def assignments_of(proposal: Proposal) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(proposal=proposal)
        .select_related("unit")
        .prefetch_related(
            "contacts",
            "opinions",
            Prefetch("replies", queryset=Reply.objects.order_by("round", "id")),
            "extension_requests",
            "reassignment_requests",
        )
        .order_by("role", "id")
    )


def categories_of(committee: Committee, *, keep: int | None = None) -> QuerySet[ProposalCategory]:
    """The active categories offered in forms; ``keep``: a draft's own category,
    kept even when deactivated so saving the draft does not silently drop it."""
    active = Q(is_active=True) | Q(pk=keep) if keep is not None else Q(is_active=True)
    return ProposalCategory.objects.filter(active, committee=committee).order_by("order", "id")


def all_categories_of(committee: Committee) -> QuerySet[ProposalCategory]:
    """Active and deactivated: for filtering old proposals."""
    return ProposalCategory.objects.filter(committee=committee).order_by(
        "-is_active", "order", "id"
    )


def grounds_of(committee: Committee) -> QuerySet[DeclineGround]:
    return DeclineGround.objects.filter(committee=committee, is_active=True).order_by("order", "id")


def config_rows(
    committee: Committee, model: type[ProposalCategory] | type[DeclineGround]
) -> QuerySet[Any]:
    """The settings page: every row of the list in order, with ``in_use``
    (some proposal refers to it, so it can be deactivated but not deleted)."""
    uses = Proposal.objects.filter(
        **(
            {"category": OuterRef("pk")}
            if model is ProposalCategory
            else {"decline_ground": OuterRef("pk")}
        )
    )
    return (
        model.objects.filter(committee=committee)  # type: ignore[attr-defined]
        .annotate(in_use=Exists(uses))
        .order_by("order", "id")
    )


def cosigner_candidates(committee: Committee, *, exclude: Member | None = None) -> QuerySet[Member]:
    qs = Member.objects.filter(
        committee=committee, status=Member.Status.IN_OFFICE, term__is_current=True
    ).select_related("person", "sector")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("sector__order", "id")


def units_for_assignment(committee: Committee) -> QuerySet[HandlingUnit]:
    return HandlingUnit.objects.filter(committee=committee, is_active=True).order_by("kind", "id")


def merge_targets(committee: Committee, proposal: Proposal) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(committee=committee, status__in=workflow.MERGE_TARGETS)
        .exclude(pk=proposal.pk)
        .order_by("-number")
    )


def users_with_role(committee: Any, role: str, area: str | None = None) -> QuerySet[Any]:
    filters: dict[str, Any] = {
        "role_assignments__committee": committee,
        "role_assignments__role": role,
    }
    if area is not None:
        filters["role_assignments__area"] = area
    return get_user_model().objects.filter(is_active=True, **filters).distinct()


def proposals_staff(committee: Any) -> QuerySet[Any]:
    return users_with_role(committee, Role.STAFF, Area.PROPOSALS)


def leaders_of(committee: Any) -> QuerySet[Any]:
    return users_with_role(committee, Role.LEADER)


def unit_users(unit: HandlingUnit) -> QuerySet[Any]:
    user_ids = RoleAssignment.objects.filter(
        committee_id=unit.committee_id, role=Role.UNIT, unit=unit
    ).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=user_ids)


def excellent_proposals(committee: Committee, year: int) -> QuerySet[Proposal]:
    return _list_base(committee).filter(excellent_year=year).order_by("number", "id")


def excellent_years(committee: Committee) -> list[int]:
    years = (
        Proposal.objects.filter(committee=committee, excellent_year__isnull=False)
        .values_list("excellent_year", flat=True)
        .distinct()
        .order_by("-excellent_year")
    )
    return [int(y) for y in years if y is not None]


def unit_statistics(committee: Committee, *, year: int | None = None) -> list[dict[str, Any]]:
    """Per unit: assignments, replies, on-time replies, the replies of each
    class of the committee's answer-class scheme (``classes``: code, label,
    count, share), the solved ones (as each reply recorded it when made) and
    satisfaction — two GROUP BY queries, whatever the number of proposals."""
    scheme = answer_classes(committee)
    per_class = {
        f"class_{index}": Count("replies", filter=Q(replies__reply_class=c["code"]), distinct=True)
        for index, c in enumerate(scheme)
    }
    assignments = Assignment.objects.filter(committee=committee).exclude(
        state=Assignment.State.WITHDRAWN
    )
    if year:
        assignments = assignments.filter(assigned_on__year=year)
    rows = (
        assignments.values("unit_id", "unit__name")
        .annotate(
            total=Count("id", distinct=True),
            replied=Count("id", filter=Q(replied_on__isnull=False), distinct=True),
            on_time=Count(
                "id",
                filter=Q(replied_on__isnull=False)
                & Q(replied_on__lte=Coalesce(F("extended_due"), F("reply_due"))),
                distinct=True,
            ),
            replies_count=Count("replies", distinct=True),
            solved=Count("replies", filter=Q(replies__solved=True), distinct=True),
            **per_class,
        )
        .order_by("unit__name")
    )
    # Satisfaction per unit, read from the committee's own replying
    # assignments (indexed by committee) out to their proposals' evaluations,
    # never from the evaluations of the whole province inwards.
    replying = assignments.filter(
        role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT],
        proposal__evaluations__not_evaluated=False,
    )
    satisfaction: dict[int, dict[str, int]] = {}
    for ev in (
        replying.values("unit_id", "proposal__evaluations__result")
        .annotate(n=Count("proposal__evaluations", distinct=True))
        .order_by()
    ):
        satisfaction.setdefault(ev["unit_id"], {})[ev["proposal__evaluations__result"]] = ev["n"]
    result = []
    for grouped in rows:
        row: dict[str, Any] = dict(grouped)
        sat = satisfaction.get(row["unit_id"], {})
        evaluated = sum(sat.values())
        replies = row["replies_count"]
        counts = [row.pop(f"class_{index}") for index in range(len(scheme))]
        result.append(
            {
                **row,
                "on_time_rate": _pct(row["on_time"], row["replied"]),
                "classes": [
                    {**c, "count": n, "share": _pct(n, replies)}
                    for c, n in zip(scheme, counts, strict=True)
                ],
                "solved_rate": _pct(row["solved"], replies),
                "satisfied": sat.get(Satisfaction.SATISFIED, 0),
                "basic": sat.get(Satisfaction.BASIC, 0),
                "dissatisfied": sat.get(Satisfaction.DISSATISFIED, 0),
                "satisfaction_rate": _pct(
                    sat.get(Satisfaction.SATISFIED, 0) + sat.get(Satisfaction.BASIC, 0), evaluated
                ),
            }
        )
    return result


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- What waits for whom (the home page's to-dos, the queues' "waiting" filters) -----


def effective_due() -> Coalesce:
    """An assignment's reply date: the extended one when granted."""
    return Coalesce("extended_due", "reply_due")


def with_pending_extension(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Proposals with a unit's extension request the office has not decided."""
    pending = ExtensionRequest.objects.filter(
        assignment__proposal=OuterRef("pk"), state=ExtensionRequest.State.PENDING
    )
    return proposals.filter(Exists(pending))


def with_pending_reassignment(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Proposals with a unit's reassignment request the office has not decided."""
    pending = ReassignmentRequest.objects.filter(
        assignment__proposal=OuterRef("pk"), state=ReassignmentRequest.State.PENDING
    )
    return proposals.filter(Exists(pending))


def with_overdue_assignment(
    proposals: QuerySet[Proposal], *, today: date | None = None
) -> QuerySet[Proposal]:
    """Proposals with an assignment still open past its (extended) reply date."""
    today = today or timezone.localdate()
    # The committee in the subquery too: PostgreSQL then reads only the
    # committee's assignments (1.7 ms) instead of every open assignment of
    # the province (35 ms on the province dataset, bench/province.py).
    overdue = (
        Assignment.objects.filter(
            committee=OuterRef("committee"), proposal=OuterRef("pk"), state=Assignment.State.ACTIVE
        )
        .annotate(due_on=effective_due())
        .filter(due_on__lt=today)
    )
    return proposals.filter(Exists(overdue))


def still_open(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Registered and not yet evaluated or closed."""
    return proposals.filter(status__in=workflow.OPEN)


REQUEST_PENDING = ExtensionRequest.State.PENDING

UNIT_TO_SIGN, UNIT_DUE_SOON, UNIT_OVERDUE = "to_sign", "due_soon", "overdue"
DUE_SOON_DAYS = 7


def unit_waiting(
    assignments: QuerySet[Assignment], waiting: str, *, today: date | None = None
) -> QuerySet[Assignment]:
    """A unit's open assignments: ``to_sign`` (not yet signed for),
    ``due_soon`` (reply due within 7 days) or ``overdue``."""
    today = today or timezone.localdate()
    open_ = assignments.filter(state=Assignment.State.ACTIVE).annotate(due_on=effective_due())
    if waiting == UNIT_TO_SIGN:
        return open_.filter(accepted_on__isnull=True)
    if waiting == UNIT_DUE_SOON:
        return open_.filter(due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
    if waiting == UNIT_OVERDUE:
        return open_.filter(due_on__lt=today)
    return assignments


def unsent(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Still to be sent: drafts and those returned for revision."""
    return proposals.filter(status__in=[Proposal.Status.DRAFT, Proposal.Status.RETURNED])


def replied(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Replied to and waiting for the proposer's satisfaction evaluation."""
    return proposals.filter(status=Proposal.Status.REPLIED)


def drafts_of(committee: Committee, user: Any) -> QuerySet[Proposal]:
    """The user's proposals still to be sent."""
    return unsent(my_proposals(committee, user))


def awaiting_my_evaluation(committee: Committee, user: Any) -> QuerySet[Proposal]:
    """The user's proposals waiting for their satisfaction evaluation."""
    return replied(my_proposals(committee, user))


def cosign_requests(committee: Committee, user: Any) -> QuerySet[CoSigner]:
    """Co-signing invitations the user has still to answer, on proposals still in drafting."""
    return cosign_invitations(committee, user).filter(
        state=CoSigner.State.INVITED, proposal__status__in=workflow.DRAFTING
    )


REQUEST_EXTENSION, REQUEST_REASSIGNMENT = "extension", "reassignment"


def unit_requests(committee: Committee, kind: str) -> QuerySet[Any]:
    """The units' extension (``kind="extension"``) or reassignment requests
    to the office, pending first, then the newest; ``filters.RequestFilter``
    narrows them by state."""
    model = ReassignmentRequest if kind == REQUEST_REASSIGNMENT else ExtensionRequest
    return (
        model.objects.filter(assignment__committee=committee)
        .select_related("assignment__unit", "assignment__proposal", "decided_by")
        .order_by(
            # "pending" sorts after "approved" and "refused": put it first by hand.
            Case(When(state=REQUEST_PENDING, then=0), default=1),
            "-created_at",
            "-id",
        )
    )


def pending_requests(committee: Committee, kind: str) -> QuerySet[Any]:
    """The requests of ``kind`` waiting for the office's decision."""
    return unit_requests(committee, kind).filter(state=REQUEST_PENDING)


def key_proposals_supervised_by(committee: Committee, user: Any) -> QuerySet[Proposal]:
    """Open key proposals the user supervises (督办)."""
    return still_open(office_proposals(committee).filter(is_key=True, supervisor=user))
