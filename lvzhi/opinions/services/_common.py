"""What the use cases share: limits, the report's history, notifications,
row locks and the checks of a report's text and submitters."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.core.committee_settings import setting_value
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.notifications import notify
from lvzhi.duties.services import duty_record
from lvzhi.opinions.models import EditedItem, Issue, Report, ReportEvent
from lvzhi.opinions.settings_defs import MAX_CHARS
from lvzhi.org.models import Committee, Member
from lvzhi.org.selectors import current_term

TITLE_MAX = 100
REASON_MAX = 200
ATTACHMENT_PURPOSE = "report"


def share_of(n: int) -> Decimal:
    """Each of n joint submitters' share (rounded down to the ledger's 4 places)."""
    return (Decimal(1) / Decimal(max(n, 1))).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)


def credit_members(
    members: Sequence[Member], *, kind: str, date: Any, source: Any, actor: Any, title: str
) -> None:
    """One duty record of ``kind`` for each member, shared 1/n among them."""
    share = share_of(len(members))
    for member in members:
        duty_record(
            member=member,
            kind=kind,
            date=date,
            source=source,
            actor=actor,
            share=share,
            title=title,
        )


def history(report: Report, action: str, actor: Any, note: str = "") -> ReportEvent:
    """A step of the report's history that leaves its state as it is (its
    draft written, its item edited, forwarded, adopted...). State changes go
    through the state table (``workflow.REPORT_FLOW``)."""
    return ReportEvent.objects.create(
        report=report,
        action=action,
        from_state=report.status,
        to_state=report.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )


def report_url(report: Report) -> str:
    return reverse("opinions:report_detail", args=[report.pk])


def notify_submitters(report: Report, actor: Any, title: str, body: str = "") -> None:
    users = [
        row.member.person.user
        for row in report.submitter_rows.select_related("member__person__user")
        if row.member.person.user_id and row.member.person.user_id != getattr(actor, "pk", None)
    ]
    notify(
        recipients=users,
        title=title,
        body=body or report.title,
        url=report_url(report),
        committee=report.committee,
    )


def lock_report(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",)).select_related("committee").get(pk=report.pk)
    )


def lock_item(item: EditedItem) -> EditedItem:
    return (
        EditedItem.objects.select_for_update(of=("self",)).select_related("issue").get(pk=item.pk)
    )


def lock_issue(issue: Issue) -> Issue:
    return (
        Issue.objects.select_for_update(of=("self",)).select_related("committee").get(pk=issue.pk)
    )


def lock_numbering(committee: Committee) -> None:
    """Serialise numbering (reports, issues) per committee: a row lock on the
    committee (SQLite's write lock anyway); unique constraints are the last guard."""
    Committee.objects.select_for_update().filter(pk=committee.pk).first()


def check_text(committee: Committee, title: str, text: str) -> None:
    errors = []
    if not title.strip():
        errors.append(_("Enter the title of the report."))
    elif len(title.strip()) > TITLE_MAX:
        errors.append(_("The title is too long (at most %(max)s characters).") % {"max": TITLE_MAX})
    limit = setting_value(committee, MAX_CHARS)
    length = len(text.strip())
    if not length:
        errors.append(_("Enter the text of the report."))
    elif length > limit:
        errors.append(
            _("The text has %(count)s characters; at most %(max)s are allowed.")
            % {"count": length, "max": limit}
        )
    if errors:
        raise ValidationFailed(errors[0], errors)


def check_submitters(
    committee: Committee, author: Member, co_submitters: Sequence[Member]
) -> list[Member]:
    term = current_term(committee)
    members = [author, *[m for m in co_submitters if m.pk != author.pk]]
    for member in members:
        if member.committee_id != committee.pk:
            raise ValidationFailed(
                _("%(name)s is not a member of this committee.") % {"name": member.person.name}
            )
        if member.status != Member.Status.IN_OFFICE or (
            term is not None and member.term_id != term.pk
        ):
            raise ValidationFailed(
                _("%(name)s is not a member in office of the current term.")
                % {"name": member.person.name}
            )
    return members
