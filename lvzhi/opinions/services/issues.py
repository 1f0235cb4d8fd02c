"""Issues (期刊/专报): created with the next number, filled with edited
items while a draft, then published — which publishes their reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.opinions.models import EditedItem, Issue, IssueKind, Report
from lvzhi.opinions.services._common import (
    lock_issue,
    lock_item,
    lock_numbering,
    notify_submitters,
)
from lvzhi.opinions.workflow import ISSUE_FLOW
from lvzhi.org.models import Committee


def _check_issue_fields(kind: str, year: int) -> None:
    if kind not in IssueKind.values:
        raise ValidationFailed(_("Choose the kind of issue."))
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Enter a real year."))


def issue_create(
    *,
    actor: Any,
    committee: Committee,
    kind: str,
    year: int,
    date: dt.date,
    title: str = "",
    to_upper: bool = False,
    to_party: bool = False,
    to_government: bool = False,
) -> Issue:
    """A new draft issue with the next number of its kind in its year."""
    require_perm(actor, "opinions.create_issue", committee)
    _check_issue_fields(kind, year)
    with transaction.atomic():
        lock_numbering(committee)
        top = Issue.objects.filter(committee=committee, year=year, kind=kind).aggregate(
            top=Max("number")
        )["top"]
        issue = Issue.objects.create(
            committee=committee,
            kind=kind,
            year=year,
            number=(top or 0) + 1,
            title=title.strip(),
            date=date,
            to_upper=to_upper,
            to_party=to_party,
            to_government=to_government,
            created_by=actor,
        )
        audit_log(action="opinions.issue_create", obj=issue, committee=committee)
    return issue


def issue_update(
    *,
    actor: Any,
    issue: Issue,
    date: dt.date,
    title: str = "",
    to_upper: bool = False,
    to_party: bool = False,
    to_government: bool = False,
) -> Issue:
    """Change a draft issue's date, title and recipients."""
    updated: Issue = transition(
        issue,
        "update",
        actor=actor,
        changes={
            "date": date,
            "title": title.strip(),
            "to_upper": to_upper,
            "to_party": to_party,
            "to_government": to_government,
        },
    )
    return updated


def issue_add_items(*, actor: Any, issue: Issue, items: Sequence[EditedItem]) -> Issue:
    """Put items at the end of a draft issue, in the order given."""
    require_perm(actor, "opinions.edit_issue", issue)
    if not items:
        raise ValidationFailed(_("Choose the items to put in the issue."))
    with transaction.atomic():
        locked: Issue = transition(
            issue, "add_items", actor=actor, data={"items": [item.title for item in items]}
        )
        top = locked.items.aggregate(top=Max("position"))["top"] or 0
        for item in items:
            item = lock_item(item)
            if item.committee_id != locked.committee_id:
                raise PermissionDenied(_("Items of another committee cannot be put in this issue."))
            if item.issue_id is not None:
                raise Conflict(_("%(title)s is already in an issue.") % {"title": item.title})
            top += 1
            item.issue, item.position = locked, top
            item.save(update_fields=["issue", "position", "updated_at"])
    return locked


def issue_remove_item(*, actor: Any, issue: Issue, item: EditedItem) -> Issue:
    """Take an item out of a draft issue (it waits for another issue)."""
    require_perm(actor, "opinions.edit_issue", issue)
    with transaction.atomic():
        locked: Issue = transition(issue, "remove_item", actor=actor, data={"item": item.title})
        item = lock_item(item)
        if item.issue_id != locked.pk:
            raise Conflict(_("The item is not in this issue."))
        item.issue, item.position = None, 0
        item.save(update_fields=["issue", "position", "updated_at"])
    return locked


def issue_move_item(*, actor: Any, issue: Issue, item: EditedItem, up: bool) -> Issue:
    """Move an item one place up or down in a draft issue."""
    require_perm(actor, "opinions.edit_issue", issue)
    with transaction.atomic():
        locked: Issue = transition(
            issue,
            "move_item",
            actor=actor,
            data={"item": item.title, "direction": "up" if up else "down"},
        )
        items = list(locked.items.select_for_update().order_by("position", "id"))
        index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
        if index is None:
            raise Conflict(_("The item is not in this issue."))
        other = index - 1 if up else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        for position, it in enumerate(items, start=1):
            if it.position != position:
                it.position = position
                it.save(update_fields=["position"])
    return locked


def issue_publish(*, actor: Any, issue: Issue) -> Issue:
    """Publish a draft issue: its reports in editing become used (merged ones
    are published with them) and their submitters are told; the issue and
    its items are frozen."""
    require_perm(actor, "opinions.publish_issue", issue)
    with transaction.atomic():
        locked = lock_issue(issue)
        ISSUE_FLOW.require_allowed(locked, "publish")
        items = list(locked.items.order_by("position", "id"))
        if not items:
            raise ValidationFailed(_("Put at least one item in the issue before publishing it."))
        if not (locked.to_upper or locked.to_party or locked.to_government):
            raise ValidationFailed(_("Choose at least one recipient of the issue."))
        published: Issue = transition(
            issue, "publish", actor=actor, changes={"published_at": timezone.now()}
        )
        note = str(published)
        for item in items:
            for report in (
                Report.objects.filter(item=item).select_related("committee").order_by("id")
            ):
                transition(report, "publish", actor=actor, note=note)
                notify_submitters(
                    report,
                    actor,
                    _("Your report was published in %(issue)s") % {"issue": note},
                    item.title,
                )
    return published
