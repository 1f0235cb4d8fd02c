"""The state table of a member's seat (DESIGN §5, Workflow): a member in
office leaves it by resigning or by being removed; a seat that has ended
stays on record and never returns to office (a new term is a new seat)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.workflow import Transition, Workflow
from lvzhi.org.models import Member, MemberEvent

S = Member.Status

MEMBER_FLOW = Workflow(
    model=Member,
    event_model=MemberEvent,
    event_subject="member",
    audit_prefix="member",
    transitions=[
        Transition(
            "resign",
            _("Record resignation"),
            source={S.IN_OFFICE},
            target=S.RESIGNED,
            permission="org.change_roster",
            style="danger",
        ),
        Transition(
            "remove",
            _("Record removal"),
            source={S.IN_OFFICE},
            target=S.REMOVED,
            permission="org.change_roster",
            style="danger",
        ),
    ],
)

# The action that ends a seat with each status the form offers.
LEAVE_ACTIONS = {S.RESIGNED: "resign", S.REMOVED: "remove"}
