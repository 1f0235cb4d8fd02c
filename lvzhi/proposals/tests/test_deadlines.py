"""Deadline rules counted with the holiday table (2026 is seeded: the Spring
Festival holiday 15–23 February with make-up working days on Saturday
14 and Saturday 28 February; Labour Day 1–5 May with Saturday 9 May worked)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lvzhi.core.models import Notification
from lvzhi.proposals import services, tasks, workflow
from lvzhi.proposals.models import Assignment
from lvzhi.proposals.tests.conftest import World, lead_assignment, registered

FRIDAY_BEFORE_SPRING_FESTIVAL = dt.date(2026, 2, 13)


@pytest.mark.django_db
def test_ten_and_fifteen_working_days_skip_the_holiday_and_count_make_up_days() -> None:
    deadlines = workflow.assignment_deadlines(FRIDAY_BEFORE_SPRING_FESTIVAL)
    # Sat 14 Feb (make-up) is day 1; 15–23 Feb off; 24–27 Feb days 2–5; Sat 28 Feb day 6;
    # 2–5 Mar days 7–10.
    assert deadlines["reassignment_due"] == dt.date(2026, 3, 5)
    assert deadlines["precontact_due"] == dt.date(2026, 3, 12)
    # Three calendar months, not working days.
    assert deadlines["reply_due"] == dt.date(2026, 5, 13)


@pytest.mark.django_db
def test_evaluation_window_skips_labour_day_and_counts_saturday_9_may() -> None:
    # Replied Thu 30 Apr: 1–5 May off; 6, 7, 8 May days 1–3; Sat 9 May day 4; … 25 May day 15.
    assert workflow.evaluation_due(dt.date(2026, 4, 30)) == dt.date(2026, 5, 25)


def test_months_end_on_the_last_day_of_a_shorter_month() -> None:
    assert workflow.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert workflow.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert workflow.add_months(dt.date(2026, 10, 15), 3) == dt.date(2027, 1, 15)


def test_assignment_stores_the_deadlines_of_its_day(world: World) -> None:
    proposal = registered(world)
    services.proposal_assign(
        actor=world.staff,
        proposal=proposal,
        lead=world.lead_unit,
        today=FRIDAY_BEFORE_SPRING_FESTIVAL,
    )
    a = lead_assignment(proposal)
    assert (a.assigned_on, a.reassignment_due, a.precontact_due, a.reply_due) == (
        FRIDAY_BEFORE_SPRING_FESTIVAL,
        dt.date(2026, 3, 5),
        dt.date(2026, 3, 12),
        dt.date(2026, 5, 13),
    )
    assert workflow.extension_limit(a.assigned_on) == dt.date(2026, 8, 13)


def _reminders(user: Any) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, dedupe_key__startswith="proposals:")
        .order_by("id")
        .values_list("dedupe_key", flat=True)
    )


def test_reminders_go_once_per_threshold(world: World) -> None:
    proposal = registered(world)
    services.proposal_assign(
        actor=world.staff,
        proposal=proposal,
        lead=world.lead_unit,
        today=FRIDAY_BEFORE_SPRING_FESTIVAL,
    )
    due = dt.date(2026, 5, 13)
    assert tasks.deadline_reminders_send(today=due - dt.timedelta(days=31)) == 0
    assert tasks.deadline_reminders_send(today=due - dt.timedelta(days=30)) == 1  # blue
    assert tasks.deadline_reminders_send(today=due - dt.timedelta(days=20)) == 0  # still blue
    assert tasks.deadline_reminders_send(today=due - dt.timedelta(days=7)) == 1  # yellow
    assert tasks.deadline_reminders_send(today=due - dt.timedelta(days=7)) == 0  # rerun
    assert tasks.deadline_reminders_send(today=due + dt.timedelta(days=1)) == 1  # red
    assert tasks.deadline_reminders_send(today=due + dt.timedelta(days=5)) == 0
    keys = _reminders(world.lead_user)
    assert [k.rsplit(":", 1)[1] for k in keys] == ["blue", "yellow", "red"]
    titles = list(
        Notification.objects.filter(recipient=world.lead_user, dedupe_key__startswith="proposals:")
        .order_by("id")
        .values_list("title", flat=True)
    )
    assert all(proposal.title in t for t in titles)


def test_an_overdue_key_proposal_reminds_its_supervisor(world: World) -> None:
    proposal = registered(world)
    services.proposal_assign(
        actor=world.staff,
        proposal=proposal,
        lead=world.lead_unit,
        today=FRIDAY_BEFORE_SPRING_FESTIVAL,
    )
    services.proposal_mark_key(actor=world.leader, proposal=proposal, supervisor=world.leader)
    tasks.deadline_reminders_send(today=dt.date(2026, 5, 14))
    assert _reminders(world.leader)


def test_replied_assignments_are_not_reminded(world: World) -> None:
    proposal = registered(world)
    services.proposal_assign(
        actor=world.staff,
        proposal=proposal,
        lead=world.lead_unit,
        today=FRIDAY_BEFORE_SPRING_FESTIVAL,
    )
    Assignment.objects.update(state=Assignment.State.REPLIED)
    assert tasks.deadline_reminders_send(today=dt.date(2026, 5, 14)) == 0


def test_the_daily_job_runs_reminders_and_expiry(world: World) -> None:
    assert tasks.proposal_deadlines_daily.call_local() == 0
