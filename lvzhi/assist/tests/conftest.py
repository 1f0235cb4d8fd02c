"""The proposals test world (a committee with proposer, co-signers, office,
leader, three units, and a second committee), reused for assist."""

from __future__ import annotations

import datetime as dt

import pytest

from lvzhi.org.models import PlenarySession
from lvzhi.org.tests.factories import PlenarySessionFactory
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.tests.conftest import World, build_world

__all__ = ["World"]

SCHOOL = {
    "title": "关于缓解学校上下学高峰交通拥堵的建议",
    "reason": "上下学高峰时段校门口车辆乱停乱放，接送家长占道等候，学生过马路存在安全隐患。",
    "suggestions": "一、在学校周边设置限时停车区；二、高峰时段增派交警疏导交通；三、施划人行横道。",
}


def in_past_year(proposal: Proposal, year: int = 2024) -> Proposal:
    """Move a proposal into a session of an earlier year of its own term
    (a past year's history)."""
    session = PlenarySession.objects.filter(term=proposal.term, year=year).first()
    if session is None:
        session = PlenarySessionFactory(
            term=proposal.term,
            number=year - 2020,
            name=f"{year}年会议",
            year=year,
            start_date=dt.date(year, 1, 10),
            end_date=dt.date(year, 1, 14),
            proposal_window_start=dt.date(year - 1, 12, 20),
            proposal_window_end=dt.date(year, 1, 13),
        )
    Proposal.objects.filter(pk=proposal.pk).update(session=session)
    return proposal


@pytest.fixture
def world(db: None) -> World:
    return build_world("as-city")
