"""Daily job of the consultations app: reminders before feedback and
rectification deadlines, once per threshold (blue ≤ 30 days, yellow ≤ 7
days, red overdue — core.calendar.deadline_state)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lvzhi.consultations import selectors
from lvzhi.consultations.models import Finding
from lvzhi.core.calendar import DeadlineState, deadline_state
from lvzhi.core.notifications import notify

_FEEDBACK_TITLES = {
    DeadlineState.BLUE: gettext_noop("Consultation feedback due within 30 days: %(title)s"),
    DeadlineState.YELLOW: gettext_noop("Consultation feedback due within 7 days: %(title)s"),
    DeadlineState.RED: gettext_noop("Consultation feedback overdue: %(title)s"),
}
_RECTIFICATION_TITLES = {
    DeadlineState.BLUE: gettext_noop("Rectification due within 30 days: %(title)s"),
    DeadlineState.YELLOW: gettext_noop("Rectification due within 7 days: %(title)s"),
    DeadlineState.RED: gettext_noop("Rectification overdue: %(title)s"),
}


def deadline_reminders_send(*, today: date | None = None) -> int:
    """Remind departments and the consultations staff of due feedback on
    outcomes and due rectification of findings. Each item reminds each
    recipient once per threshold: ``notify(dedupe_key=...)`` makes a rerun a
    no-op. A finding whose rectification is reported waits for staff to
    confirm it, so only staff are reminded of it. Returns the number of
    notifications written.

    Queries: one per item list and one per recipient group (unit users,
    staff), whatever the number of items; notify() then checks and writes
    per recipient."""
    today = today or timezone.localdate()
    outcomes = [
        (o, state)
        for o in selectors.feedback_reminders_due(today)
        if o.feedback_deadline is not None
        and (state := deadline_state(o.feedback_deadline, today)) != DeadlineState.NORMAL
    ]
    findings = [
        (f, state)
        for f in selectors.rectification_reminders_due(today)
        if (state := deadline_state(f.deadline, today)) != DeadlineState.NORMAL
    ]
    unit_users = selectors.unit_users_by_unit(
        [(o.committee_id, o.unit_id) for o, _s in outcomes if o.unit_id is not None]
        + [(f.committee_id, f.unit_id) for f, _s in findings]
    )
    staff = selectors.consultation_staff_by_committee(
        [o.committee_id for o, _s in outcomes] + [f.committee_id for f, _s in findings]
    )
    sent = 0
    for outcome, state in outcomes:
        recipients = unit_users.get((outcome.committee_id, outcome.unit_id or 0), [])
        sent += len(
            notify(
                recipients=[*recipients, *staff.get(outcome.committee_id, [])],
                title=_(_FEEDBACK_TITLES[state]) % {"title": outcome.consultation.title},
                body=_("Outcome %(number)d for %(unit)s: feedback due by %(date)s.")
                % {
                    "number": outcome.number,
                    "unit": outcome.unit,
                    "date": outcome.feedback_deadline,
                },
                url=reverse("consultations:outcome_feedback", args=[outcome.pk]),
                committee=outcome.committee,
                dedupe_key=f"consultations:outcome:{outcome.pk}:{state}",
            )
        )
    for finding, state in findings:
        recipients = (
            unit_users.get((finding.committee_id, finding.unit_id), [])
            if finding.state == Finding.State.SENT
            else []
        )
        sent += len(
            notify(
                recipients=[*recipients, *staff.get(finding.committee_id, [])],
                title=_(_RECTIFICATION_TITLES[state]) % {"title": finding.item.title},
                body=_("Finding for %(unit)s, to be rectified by %(date)s: %(text)s")
                % {"unit": finding.unit, "date": finding.deadline, "text": finding.text[:200]},
                url=reverse("consultations:finding_detail", args=[finding.pk]),
                committee=finding.committee,
                dedupe_key=f"consultations:finding:{finding.pk}:{state}",
            )
        )
    return sent


@db_periodic_task(crontab(hour="7", minute="40"))
def consultation_deadlines_daily() -> int:
    """Daily at 07:40: feedback and rectification reminders."""
    return deadline_reminders_send()
