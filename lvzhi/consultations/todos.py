"""The consultations' to-dos on the home page (org.home.register_todos): the
office's topics to shortlist and outcomes waiting for feedback (overdue ones
urgent), the leaders' plans to approve, and the outcomes a department or a
party or government leader has still to answer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.consultations import selectors
from lvzhi.consultations.models import Topic
from lvzhi.org.home import Todo, register_todos


def register() -> None:
    manage = "consultations.manage"
    register_todos(
        "staff:consultations",
        Todo(
            _("Topics to shortlist"),
            "consultations:topic_list",
            lambda r: selectors.topics_for(r.user, r.committee).filter(
                status=Topic.Status.PROPOSED
            ),
            manage,
            f"status={Topic.Status.PROPOSED.value}",
            "lightbulb",
        ),
        Todo(
            _("Consultations awaiting feedback"),
            "consultations:consultation_list",
            lambda r: selectors.awaiting_feedback(selectors.consultations_for(r.user, r.committee)),
            manage,
            "awaiting=on",
            "send",
        ),
        Todo(
            _("Consultations with overdue feedback"),
            "consultations:consultation_list",
            lambda r: selectors.feedback_overdue(selectors.consultations_for(r.user, r.committee)),
            manage,
            "overdue=on",
            "exclamation-octagon",
            urgent=True,
        ),
    )
    register_todos(
        "leader",
        Todo(
            _("Consultation plans to approve"),
            "consultations:plan_list",
            lambda r: selectors.plans_to_approve(r.user, r.committee),
            "consultations.approve_plan",
            icon="calendar-check",
        ),
    )
    register_todos(
        "unit",
        Todo(
            _("Consultation outcomes awaiting your feedback"),
            "consultations:unit_inbox",
            lambda r: selectors.unanswered(selectors.unit_outcomes(r.user, r.committee)),
            "consultations.view_unit_inbox",
            icon="send",
        ),
    )
    register_todos(
        "gov_leader",
        Todo(
            _("Consultation outcomes awaiting feedback"),
            "consultations:gov_outcomes",
            lambda r: selectors.unanswered(selectors.gov_outcomes(r.committee)),
            "consultations.view_gov_outcomes",
            icon="send-check",
        ),
    )
