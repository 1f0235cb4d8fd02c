"""Badges of the proposal pages: status colours and timeline labels (from the
state table). Deadline badges are core_tags' ``deadline_badge``."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from lvzhi.proposals.models import Proposal
from lvzhi.proposals.workflow import PROPOSAL_FLOW

register = template.Library()
S = Proposal.Status

STATUS_COLOURS = {
    S.DRAFT: "secondary",
    S.SUBMITTED: "info",
    S.RETURNED: "warning",
    S.WITHDRAWN: "secondary",
    S.REGISTERED: "primary",
    S.DECLINED: "dark",
    S.MERGED: "dark",
    S.ASSIGNED: "primary",
    S.IN_HANDLING: "primary",
    S.REPLIED: "success",
    S.REHANDLING: "danger",
    S.EVALUATED: "success",
    S.CLOSED: "secondary",
}
# The one timeline line that is not a step of the table: the draft's creation.
CREATED = _("draft created")


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "secondary")  # type: ignore[call-overload, no-any-return]


@register.filter
def event_label(action: str) -> str:
    """The timeline's words for a step, from the state table."""
    return str(CREATED) if action == "create" else PROPOSAL_FLOW.label(action)
