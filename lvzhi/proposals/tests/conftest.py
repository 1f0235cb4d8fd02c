"""A committee with everyone the proposal chain needs: a lead proposer, two
co-signers, the proposal office, a leader, three handling units with a user
each, and a second committee for tenancy checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from lvzhi.org.models import Committee, HandlingUnit, Member, PlenarySession, Term
from lvzhi.org.tests.factories import (
    CommitteeFactory,
    HandlingUnitFactory,
    MemberFactory,
    PersonFactory,
    PlenarySessionFactory,
    TermFactory,
)
from lvzhi.proposals import services
from lvzhi.proposals.models import DeclineGround, ProposalCategory


@dataclass
class World:
    committee: Committee
    term: Term
    session: PlenarySession
    proposer: Member
    cosigner: Member
    cosigner2: Member
    staff: User
    leader: User
    lead_unit: HandlingUnit
    co_unit: HandlingUnit
    other_unit: HandlingUnit
    lead_user: User
    co_user: User
    other_unit_user: User
    other_committee: Committee
    other_member: Member
    other_staff: User
    category: ProposalCategory
    ground: DeclineGround

    @property
    def proposer_user(self) -> User:
        return self.proposer.person.user  # type: ignore[return-value]

    @property
    def cosigner_user(self) -> User:
        return self.cosigner.person.user  # type: ignore[return-value]

    @property
    def cosigner2_user(self) -> User:
        return self.cosigner2.person.user  # type: ignore[return-value]


def make_member(committee: Committee, term: Term, username: str, name: str) -> Member:
    user = UserFactory(username=username, display_name=name, email=f"{username}@example.org")
    person = PersonFactory(user=user, name=name)
    return MemberFactory(committee=committee, term=term, person=person)


def make_unit_user(committee: Committee, unit: HandlingUnit, username: str) -> User:
    user = UserFactory(username=username, email=f"{username}@example.org")
    RoleAssignmentFactory(user=user, committee=committee, role=Role.UNIT, unit=unit)
    return user


def make_role_user(committee: Committee, username: str, role: str, area: str = "") -> User:
    user = UserFactory(username=username, email=f"{username}@example.org")
    RoleAssignmentFactory(user=user, committee=committee, role=role, area=area)
    return user


def build_world(code: str = "p-city") -> World:
    committee = CommitteeFactory(name=f"提案测试市政协{code}", code=code)
    term = TermFactory(committee=committee, number=15, name="十五届", is_current=True)
    session = PlenarySessionFactory(
        term=term,
        number=2,
        name="十五届二次会议",
        year=2026,
        start_date=dt.date(2026, 1, 10),
        end_date=dt.date(2026, 1, 14),
        proposal_window_start=dt.date(2025, 12, 20),
        proposal_window_end=dt.date(2026, 1, 13),
    )
    services.defaults_ensure(committee)
    other = CommitteeFactory(name=f"别处县政协{code}", code=f"{code}-other")
    other_term = TermFactory(committee=other, number=9, name="九届", is_current=True)
    services.defaults_ensure(other)
    lead_unit = HandlingUnitFactory(committee=committee, name="测试市教育局")
    co_unit = HandlingUnitFactory(committee=committee, name="测试市财政局")
    other_unit = HandlingUnitFactory(committee=committee, name="测试市公安局")
    return World(
        committee=committee,
        term=term,
        session=session,
        proposer=make_member(committee, term, f"{code}-proposer", "李提案"),
        cosigner=make_member(committee, term, f"{code}-cosigner", "王附议"),
        cosigner2=make_member(committee, term, f"{code}-cosigner2", "张附议"),
        staff=make_role_user(committee, f"{code}-staff", Role.STAFF, Area.PROPOSALS),
        leader=make_role_user(committee, f"{code}-leader", Role.LEADER),
        lead_unit=lead_unit,
        co_unit=co_unit,
        other_unit=other_unit,
        lead_user=make_unit_user(committee, lead_unit, f"{code}-lead"),
        co_user=make_unit_user(committee, co_unit, f"{code}-co"),
        other_unit_user=make_unit_user(committee, other_unit, f"{code}-otherunit"),
        other_committee=other,
        other_member=make_member(other, other_term, f"{code}-othermember", "赵外县"),
        other_staff=make_role_user(other, f"{code}-otherstaff", Role.STAFF, Area.PROPOSALS),
        category=ProposalCategory.objects.get(committee=committee, name="社会建设"),
        ground=DeclineGround.objects.get(committee=committee, text="不属于政协提案范围"),
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def draft(world: World, **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "actor": world.proposer_user,
        "committee": world.committee,
        "title": "关于加强校园周边交通安全的建议",
        "category": world.category,
        "kind": "individual",
        "reason": "上下学高峰时段校门口拥堵，存在安全隐患。",
        "suggestions": "一、设置潮汐车道；二、增派交警和志愿者。",
    }
    values.update(kwargs)
    return services.proposal_draft_save(**values)


def submitted(world: World, **kwargs: Any) -> Any:
    proposal = draft(world, **kwargs)
    return services.proposal_submit(
        actor=kwargs.get("actor", world.proposer_user), proposal=proposal
    )


def registered(world: World, **kwargs: Any) -> Any:
    proposal = submitted(world, **kwargs)
    return services.proposal_register(actor=world.staff, proposal=proposal)


def assigned(world: World, today: dt.date | None = None, **kwargs: Any) -> Any:
    proposal = registered(world, **kwargs)
    services.proposal_assign(
        actor=world.staff,
        proposal=proposal,
        lead=world.lead_unit,
        co_units=[world.co_unit],
        today=today,
    )
    proposal.refresh_from_db()
    return proposal


def lead_assignment(proposal: Any) -> Any:
    return proposal.assignments.get(role="lead")


def replied(world: World, reply_class: str = "B", **kwargs: Any) -> Any:
    proposal = assigned(world, **kwargs)
    assignment = lead_assignment(proposal)
    services.assignment_accept(actor=world.lead_user, assignment=assignment)
    services.assignment_precontact(
        actor=world.lead_user,
        assignment=assignment,
        when=timezone.localdate(),
        way="phone",
        summary="电话沟通了办理思路。",
    )
    services.assignment_reply(
        actor=world.lead_user,
        assignment=assignment,
        text="经研究，答复如下……",
        reply_class=reply_class,
    )
    proposal.refresh_from_db()
    return proposal
