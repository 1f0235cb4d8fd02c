"""Handling deadlines a committee sets: a co-unit's opinion to the lead unit
(会办意见, proposals.co_opinion_months), stored on its assignment when it is
made so a later change applies to later assignments only; and how far one
extension request may reach (proposals.extension_step_months)."""

from __future__ import annotations

import datetime as dt

from lvzhi.core.committee_settings import committee_settings_update
from lvzhi.core.errors import ValidationFailed
from lvzhi.proposals import services
from lvzhi.proposals.models import ExtensionRequest
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


def test_one_extension_adds_at_most_the_committees_step(world: World) -> None:
    proposal = assigned(world, today=ASSIGNED_ON)  # reply due 2026-06-16
    lead = proposal.assignments.get(role="lead")
    committee_settings_update(
        actor=world.staff, committee=world.committee, values={"proposals.extension_step_months": 1}
    )
    try:
        services.extension_request(
            actor=world.lead_user,
            assignment=lead,
            requested_due=dt.date(2026, 7, 17),
            reason="调研",
        )
    except ValidationFailed as refused:
        assert "2026-07-16" in refused.message
    else:
        raise AssertionError("a two-month step was accepted")
    assert not ExtensionRequest.objects.filter(assignment=lead).exists()
    services.extension_request(
        actor=world.lead_user, assignment=lead, requested_due=dt.date(2026, 7, 16), reason="调研"
    )
    assert ExtensionRequest.objects.filter(assignment=lead).count() == 1
