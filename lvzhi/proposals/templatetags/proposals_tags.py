"""Badges of the proposal pages: status colours, deadline marks, event labels."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from lvzhi.core.calendar import DeadlineState, deadline_state

register = template.Library()

STATUS_COLOURS = {
    "draft": "secondary",
    "submitted": "info",
    "returned": "warning",
    "withdrawn": "secondary",
    "registered": "primary",
    "declined": "dark",
    "merged": "dark",
    "assigned": "primary",
    "in_handling": "primary",
    "replied": "success",
    "rehandling": "danger",
    "evaluated": "success",
    "closed": "secondary",
}

DEADLINE_LABELS = {
    DeadlineState.NORMAL: _("on schedule"),
    DeadlineState.BLUE: _("due within 30 days"),
    DeadlineState.YELLOW: _("due within 7 days"),
    DeadlineState.RED: _("overdue"),
}
DEADLINE_CLASSES = {
    DeadlineState.NORMAL: "text-bg-light border",
    DeadlineState.BLUE: "text-bg-primary",
    DeadlineState.YELLOW: "text-bg-warning",
    DeadlineState.RED: "text-bg-danger",
}

EVENT_LABELS = {
    "create": _("draft created"),
    "submit": _("submitted"),
    "withdraw": _("withdrawn"),
    "cosign_answer": _("co-signer answered"),
    "register": _("registered"),
    "decline": _("declined"),
    "convert": _("forwarded as a suggestion letter"),
    "return": _("returned for revision"),
    "merge": _("merged into another proposal"),
    "merge_in": _("another proposal merged into this one"),
    "assign": _("assigned"),
    "accept": _("accepted by the unit"),
    "precontact": _("proposer contacted"),
    "co_opinion": _("co-unit opinion sent"),
    "request_extension": _("extension requested"),
    "decide_extension": _("extension decided"),
    "request_reassignment": _("reassignment requested"),
    "refuse_reassignment": _("reassignment refused"),
    "reassign": _("reassigned"),
    "split_reply": _("one unit replied"),
    "reply": _("replied"),
    "review_reply": _("class of the reply changed"),
    "evaluate": _("evaluated"),
    "evaluate_dissatisfied": _("dissatisfied: sent back for re-handling"),
    "cosigner_evaluate": _("co-signer evaluated"),
    "not_evaluated": _("not evaluated in time"),
    "rate_quality": _("unit rated the proposal"),
    "mark_key": _("key proposal setting"),
    "supervise": _("supervision note"),
    "select_excellent": _("excellent proposal selection"),
    "close": _("closed"),
}


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "secondary")


@register.filter
def event_label(action: str) -> Any:
    return EVENT_LABELS.get(action, action)


@register.inclusion_tag("proposals/_deadline.html")
def deadline_badge(day: date | None, today: date | None = None) -> dict[str, Any]:
    if day is None:
        return {"day": None}
    state = deadline_state(day, today)
    return {
        "day": day,
        "state": str(state),
        "label": DEADLINE_LABELS[state],
        "css": DEADLINE_CLASSES[state],
    }
