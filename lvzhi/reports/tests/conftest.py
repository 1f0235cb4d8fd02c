"""A committee with rows of known numbers (what each report must count), and
another committee's rows that must never be counted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from lvzhi.accounts.models import Role
from lvzhi.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from lvzhi.duties import tally
from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.org.models import Committee, HandlingUnit, Member
from lvzhi.org.tests.factories import HandlingUnitFactory, MemberFactory
from lvzhi.points.models import MemberScore
from lvzhi.proposals.models import (
    Assignment,
    Evaluation,
    Proposal,
    ProposalCategory,
    QualityRating,
    Reply,
)

YEAR = 2026
S = Proposal.Status


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 0))


def make_proposal(member: Member, day: dt.date, status: str, **fields: Any) -> Proposal:
    registered = status not in (S.SUBMITTED, S.DECLINED, S.DRAFT, S.WITHDRAWN)
    return Proposal.objects.create(
        committee=member.committee,
        term=member.term,
        title=f"提案{status}{day}",
        proposer=member,
        status=status,
        submitted_at=None if status == S.DRAFT else at(day),
        registered_at=at(day) if registered else None,
        **fields,
    )


def assign(
    proposal: Proposal, unit: HandlingUnit, *, replied: dt.date | None, due: dt.date, cls: str = ""
) -> Assignment:
    assignment = Assignment.objects.create(
        committee=proposal.committee,
        proposal=proposal,
        unit=unit,
        role=Assignment.Role.LEAD,
        state=Assignment.State.REPLIED if replied else Assignment.State.ACTIVE,
        assigned_on=proposal.submitted_at.date(),  # type: ignore[union-attr]
        reassignment_due=due,
        precontact_due=due,
        reply_due=due,
        replied_on=replied,
    )
    if cls:
        Reply.objects.create(
            assignment=assignment,
            text="答复",
            reply_class=cls,
            class_label=f"{cls}类",
            unit_class=cls,
        )
    return assignment


def record_duties(
    member: Member, registered: list[Proposal], filed: list[Proposal], *, score: str
) -> None:
    """The member's duty records of the year (a proposal registered, one filed)
    and the stored score the points app would keep for them."""
    source = ContentType.objects.get_for_model(Proposal)
    for kind, proposals in (
        (DutyKind.PROPOSAL_REGISTERED, registered),
        (DutyKind.PROPOSAL_FILED, filed),
    ):
        for proposal in proposals:
            DutyRecord.objects.create(
                committee=member.committee,
                member=member,
                kind=kind,
                date=proposal.submitted_at.date(),  # type: ignore[union-attr]
                source_type=source,
                source_id=proposal.pk,
            )
    MemberScore.objects.create(
        committee=member.committee, member=member, year=YEAR, score=Decimal(score)
    )


@dataclass
class Known:
    committee: Committee
    member: Member
    unit: HandlingUnit
    category: ProposalCategory
    proposals: list[Proposal]


@pytest.fixture
def known(committee: Committee, other_committee: Committee, member: Member) -> Known:
    return build_known(committee, other_committee, member)


def build_known(committee: Committee, other_committee: Committee, member: Member) -> Known:
    """In 2026: 4 proposals received (2 registered, 1 declined, 1 waiting),
    a draft not counted; 2 replies (one on time, classes A and B), both
    evaluated (satisfied, basically satisfied); one proposal of 2025 and
    one of another committee. Three members of the term: the member (2
    registered, 1 filed; 30 points), a second (1 filed; 10) and a third
    (nothing; 20)."""
    unit = HandlingUnitFactory(committee=committee, name="市教育局")
    category = ProposalCategory.objects.create(committee=committee, name="教育")
    first = make_proposal(member, dt.date(YEAR, 1, 12), S.EVALUATED, category=category)
    second = make_proposal(
        member, dt.date(YEAR, 4, 2), S.EVALUATED, category=category, kind=Proposal.Kind.JOINT
    )
    declined = make_proposal(member, dt.date(YEAR, 5, 3), S.DECLINED)
    waiting = make_proposal(member, dt.date(YEAR, 11, 20), S.SUBMITTED)
    make_proposal(member, dt.date(YEAR, 2, 1), S.DRAFT)
    make_proposal(member, dt.date(YEAR - 1, 3, 1), S.CLOSED)
    on_time = assign(first, unit, replied=dt.date(YEAR, 3, 1), due=dt.date(YEAR, 4, 12), cls="A")
    assign(second, unit, replied=dt.date(YEAR, 8, 1), due=dt.date(YEAR, 7, 2), cls="B")
    QualityRating.objects.create(assignment=on_time, rating=QualityRating.Rating.GOOD)
    Evaluation.objects.create(
        proposal=first, member=member, contact="satisfied", attitude="satisfied", result="satisfied"
    )
    Evaluation.objects.create(
        proposal=second, member=member, contact="satisfied", attitude="basic", result="basic"
    )
    record_duties(member, [first, second], [declined], score="30")
    second_member = MemberFactory(committee=committee, term=member.term)
    record_duties(second_member, [], [waiting], score="10")
    third = MemberFactory(committee=committee, term=member.term)
    MemberScore.objects.create(committee=committee, member=third, year=YEAR, score=Decimal("20"))
    elsewhere = MemberFactory(committee=other_committee)
    make_proposal(elsewhere, dt.date(YEAR, 1, 12), S.REGISTERED)
    # The duty records were written around the ledger: their summary rows by a recount.
    tally.rebuild()
    return Known(committee, member, unit, category, [first, second, declined, waiting])


@pytest.fixture
def unit_user(known: Known) -> Any:
    user = UserFactory(username="unit")
    RoleAssignmentFactory(user=user, committee=known.committee, role=Role.UNIT, unit=known.unit)
    return user


@pytest.fixture
def staff_of(make_user: Any, committee: Committee) -> Any:
    """staff_of(area) -> a staff user of that area in the committee."""
    return lambda area: make_user(Role.STAFF, committee, area, username=f"staff-{area}")
