"""Fixtures of the org tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from lvzhi.org.models import Committee, Member
from lvzhi.org.tests.factories import (
    HandlingUnitFactory,
    PlenarySessionFactory,
    SectorClusterFactory,
    SpecialCommitteeFactory,
    StationFactory,
    StudioFactory,
)


@pytest.fixture
def world(committee: Committee, member: Member) -> SimpleNamespace:
    """One of everything the organisation has, in the test committee."""
    studio = StudioFactory(committee=committee, lead=member)
    studio.members.add(member)
    station = StationFactory(committee=committee, master=member)
    station.members.add(member)
    return SimpleNamespace(
        committee=committee,
        member=member,
        term=member.term,
        session=PlenarySessionFactory(term=member.term),
        cluster=SectorClusterFactory(committee=committee),
        sector=member.sector,
        special=SpecialCommitteeFactory(committee=committee),
        unit=HandlingUnitFactory(committee=committee),
        studio=studio,
        station=station,
    )
