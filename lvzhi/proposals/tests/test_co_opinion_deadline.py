"""A co-unit's opinion to the lead unit (会办意见) is due by a committee
setting (proposals.co_opinion_months), stored on its assignment when it is
made: a later change applies to later assignments only."""

from __future__ import annotations

import datetime as dt

from lvzhi.core.committee_settings import committee_settings_update
from lvzhi.proposals.tests.conftest import World, assigned

ASSIGNED_ON = dt.date(2026, 3, 16)


def test_only_co_units_get_an_opinion_deadline_one_month_by_default(world: World) -> None:
    proposal = assigned(world, today=ASSIGNED_ON)
    by_role = {a.role: a.co_opinion_due for a in proposal.assignments.all()}
    assert by_role == {"lead": None, "co": dt.date(2026, 4, 16)}


def test_a_committee_on_two_months_applies_it_to_later_assignments(world: World) -> None:
    earlier = assigned(world, today=ASSIGNED_ON)
    committee_settings_update(
        actor=world.staff, committee=world.committee, values={"proposals.co_opinion_months": 2}
    )
    later = assigned(world, today=ASSIGNED_ON)
    assert earlier.assignments.get(role="co").co_opinion_due == dt.date(2026, 4, 16)
    assert later.assignments.get(role="co").co_opinion_due == dt.date(2026, 5, 16)


def test_the_detail_page_shows_the_co_units_deadline_until_it_has_answered(
    world: World, client
) -> None:
    proposal = assigned(world, today=ASSIGNED_ON)
    client.force_login(world.staff)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "2026-04-16" in page
