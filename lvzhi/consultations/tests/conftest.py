"""Fixtures of the consultation tests: one committee with a user per role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from lvzhi.consultations import services
from lvzhi.consultations.models import Consultation, ConsultationFormat, SupervisionItem
from lvzhi.org.models import Committee, HandlingUnit, Member
from lvzhi.org.tests.factories import HandlingUnitFactory, MemberFactory, PersonFactory


@pytest.fixture
def cstaff(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.STAFF, committee, Area.CONSULTATIONS, username="cstaff")


@pytest.fixture
def leader(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.LEADER, committee, username="leader")


@pytest.fixture
def gov_leader(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.GOV_LEADER, committee, username="gov")


@pytest.fixture
def department(committee: Committee) -> HandlingUnit:
    return HandlingUnitFactory(committee=committee, name="测试市教育局")


@pytest.fixture
def other_department(committee: Committee) -> HandlingUnit:
    return HandlingUnitFactory(committee=committee, name="测试市卫健委")


def unit_user_for(unit: HandlingUnit, username: str) -> User:
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, committee=unit.committee, role=Role.UNIT, unit=unit)
    return user


@pytest.fixture
def unit_user(department: HandlingUnit) -> User:
    return unit_user_for(department, "unit")


@pytest.fixture
def other_unit_user(other_department: HandlingUnit) -> User:
    return unit_user_for(other_department, "unit2")


def seat(committee: Committee, username: str) -> Member:
    user = UserFactory(username=username)
    return MemberFactory(committee=committee, person=PersonFactory(user=user))


@pytest.fixture
def make_seat(committee: Committee) -> Callable[[str], Member]:
    return lambda username: seat(committee, username)


def user_of(member: Member) -> User:
    assert member.person.user is not None
    return member.person.user


@pytest.fixture
def make_consultation(
    cstaff: User, committee: Committee, department: HandlingUnit, member: Member
) -> Callable[..., Consultation]:
    def make(format: str = ConsultationFormat.SPECIAL_MEETING, **kwargs: Any) -> Consultation:
        fields: dict[str, Any] = {
            "year": 2026,
            "title": kwargs.pop("title", f"关于{format}的协商"),
            "format": format,
            "meeting_date": dt.date(2026, 5, 20),
        }
        if format == ConsultationFormat.GOOD_TALK:
            fields["first_convener"] = member
            fields["department"] = department
        if format in (ConsultationFormat.COUNTERPART, ConsultationFormat.INVITED):
            fields["department"] = department
        if format == ConsultationFormat.ONLINE:
            now = timezone.now()
            fields["opens_at"] = now - dt.timedelta(hours=1)
            fields["closes_at"] = now + dt.timedelta(days=3)
        fields.update(kwargs)
        return services.consultation_create(actor=cstaff, committee=committee, **fields)

    return make


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
