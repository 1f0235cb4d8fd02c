"""Daily jobs of the proposals app: deadline reminders (once per threshold)
and "not evaluated" after the evaluation window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lvzhi.core.calendar import DeadlineState, deadline_state
from lvzhi.core.context import acting_as
from lvzhi.core.notifications import notify
from lvzhi.proposals import selectors, services
from lvzhi.proposals.models import Assignment

_TITLES = {
    DeadlineState.BLUE: gettext_noop("Reply due within 30 days: %(title)s"),
    DeadlineState.YELLOW: gettext_noop("Reply due within 7 days: %(title)s"),
    DeadlineState.RED: gettext_noop("Reply overdue: %(title)s"),
}


# Told of every reminder (the assignment and the reminder's key, unique per
# threshold and round) in the transaction of its notices, whether or not the
# unit has users to notify: the API's webhooks announce it to the unit's own
# system. Filled once at start-up (ApiConfig.register), the same in every process.
_reminder_listeners: list[Callable[[Assignment, str], None]] = []


def reminder_listen(listener: Callable[[Assignment, str], None]) -> None:
    if listener not in _reminder_listeners:
        _reminder_listeners.append(listener)


def deadline_reminders_send(*, today: date | None = None) -> int:
    """Remind the units of open assignments once per threshold (blue, yellow,
    red) and handling round; an overdue key proposal also reminds its
    supervising leader. ``notify(dedupe_key=...)`` makes a rerun a no-op, and
    so does the listeners' own key."""
    today = today or timezone.localdate()
    sent = 0
    rows = (
        Assignment.objects.filter(state=Assignment.State.ACTIVE)
        .select_related("proposal__supervisor", "proposal__committee", "unit")
        .order_by("id")
    )
    for assignment in rows.iterator(chunk_size=500):
        state = deadline_state(assignment.due, today)
        if state == DeadlineState.NORMAL:
            continue
        proposal = assignment.proposal
        key = f"proposals:a{assignment.pk}:r{proposal.round}:{assignment.due}:{state}"
        recipients = list(selectors.unit_users(assignment.unit))
        if state == DeadlineState.RED and proposal.is_key and proposal.supervisor:
            recipients.append(proposal.supervisor)
        with transaction.atomic():
            sent += len(
                notify(
                    recipients=recipients,
                    title=_(_TITLES[state]) % {"title": proposal.title},
                    body=_("Reply by %(date)s.") % {"date": assignment.due},
                    url=reverse("proposals:detail", args=[proposal.pk]),
                    committee=proposal.committee,
                    dedupe_key=key,
                )
            )
            for listener in _reminder_listeners:
                listener(assignment, key)
    return sent


@db_periodic_task(crontab(hour="7", minute="30"))
def proposal_deadlines_daily() -> int:
    """Daily at 07:30: deadline reminders, then "not evaluated" after the window."""
    with acting_as(channel="job:proposal_deadlines"):
        sent = deadline_reminders_send()
        services.evaluations_expire()
    return sent
