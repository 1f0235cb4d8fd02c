"""Staff's editing desk: a submitted report taken into editing, its edited
item changed, reports merged into one item (并稿) or set aside as not used."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.opinions.models import EditedItem, Report
from lvzhi.opinions.services._common import (
    REASON_MAX,
    TITLE_MAX,
    history,
    lock_item,
    lock_report,
    notify_submitters,
)
from lvzhi.opinions.workflow import REPORT_FLOW


def report_accept(*, actor: Any, report: Report) -> EditedItem:
    """Take a submitted report into editing: its edited item starts as a copy
    of the original, which stays as it was."""
    require_perm(actor, "opinions.accept_report", report)
    with transaction.atomic():
        locked = lock_report(report)
        REPORT_FLOW.require_allowed(locked, "accept")
        item = EditedItem.objects.create(
            committee=locked.committee, title=locked.title, text=locked.text, created_by=actor
        )
        transition(report, "accept", actor=actor, changes={"item": item})
        notify_submitters(
            locked, actor, _("Your report is being edited: %(title)s") % {"title": locked.title}
        )
    return item


def check_item_open(item: EditedItem) -> None:
    if item.is_published:
        raise Conflict(_("The item has been published; it can no longer be changed."))


def item_update(*, actor: Any, item: EditedItem, title: str, text: str) -> EditedItem:
    """Change the edited text (the reports' original text never changes)."""
    require_perm(actor, "opinions.edit_item", item)
    title, text = title.strip(), text.strip()
    if not title:
        raise ValidationFailed(_("Enter the title of the item."))
    if len(title) > TITLE_MAX:
        raise ValidationFailed(
            _("The title is too long (at most %(max)s characters).") % {"max": TITLE_MAX}
        )
    if not text:
        raise ValidationFailed(_("Enter the edited text."))
    with transaction.atomic():
        item = lock_item(item)
        check_item_open(item)
        if (item.title, item.text) == (title, text):
            return item
        item.title, item.text = title, text
        item.save(update_fields=["title", "text", "updated_at"])
        for report in item.reports.all():
            history(report, "edit", actor)
        audit_log(action="opinions.item_update", obj=item, committee=item.committee)
    return item


def reports_merge(*, actor: Any, item: EditedItem, reports: Sequence[Report]) -> EditedItem:
    """Merge reports into an item (并稿). A merged report keeps its original;
    its submitters share the item's adoptions. A report in editing brings
    the reports already merged into its own item; that item's edited text is
    kept in the report's history and the emptied item is removed."""
    require_perm(actor, "opinions.edit_item", item)
    for report in reports:
        require_perm(actor, "opinions.merge_report", report)
    if not reports:
        raise ValidationFailed(_("Choose the reports to merge."))
    with transaction.atomic():
        item = lock_item(item)
        check_item_open(item)
        if not item.reports.exists():
            raise Conflict(_("This item has no report left to merge into."))
        for report in reports:
            locked = lock_report(report)
            if locked.committee_id != item.committee_id:
                raise PermissionDenied(_("Reports of another committee cannot be merged here."))
            if locked.item_id == item.pk:
                raise Conflict(_("%(title)s is already in this item.") % {"title": locked.title})
            REPORT_FLOW.require_allowed(locked, "merge")
            note = _("Merged into item: %(title)s") % {"title": item.title}
            old = locked.item
            if old is not None:
                old = lock_item(old)
                check_item_open(old)
                note += "\n" + _("Edited text before the merge:") + "\n" + old.text
                for other in old.reports.exclude(pk=locked.pk):
                    other_locked = lock_report(other)
                    other_locked.item = item
                    other_locked.save(update_fields=["item", "updated_at"])
                    history(other_locked, "merge", actor, note)
            transition(report, "merge", actor=actor, note=note, changes={"item": item})
            if old is not None:
                old.delete()
            notify_submitters(
                locked,
                actor,
                _("Your report was merged with others for publication: %(title)s")
                % {"title": locked.title},
            )
    return item


def report_not_use(*, actor: Any, report: Report, reason: str) -> Report:
    """Mark a report as not used, with the reason the submitters read. Its
    ``opinion_submitted`` duty records stay: submitting counts by itself."""
    require_perm(actor, "opinions.not_use_report", report)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Enter the reason why the report is not used."))
    if len(reason) > REASON_MAX:
        raise ValidationFailed(
            _("The reason is too long (at most %(max)s characters).") % {"max": REASON_MAX}
        )
    with transaction.atomic():
        locked = lock_report(report)
        REPORT_FLOW.require_allowed(locked, "not_use")
        item = locked.item
        if item is not None:
            item = lock_item(item)
            if item.reports.exclude(pk=locked.pk).exists():
                raise Conflict(
                    _("Other reports are merged into this report's item; edit the item instead.")
                )
        locked = transition(
            report,
            "not_use",
            actor=actor,
            note=reason,
            changes={"item": None, "not_used_reason": reason},
        )
        if item is not None:
            item.delete()
        notify_submitters(
            locked,
            actor,
            _("Your report was not used: %(title)s") % {"title": locked.title},
            reason,
        )
    return locked
