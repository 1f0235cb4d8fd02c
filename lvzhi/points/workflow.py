"""The state tables of points: policies, annual assessments, quarterly bulletins.

Every change of a status goes through ``core.workflow.transition`` with one
of these; the permissions named here are defined in ``points/rules.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.workflow import Transition, Workflow
from lvzhi.points.models import (
    Assessment,
    AssessmentEvent,
    Bulletin,
    BulletinEvent,
    Policy,
    PolicyEvent,
)

P = Policy.Status
A = Assessment.State
B = Bulletin.State


POLICY_FLOW = Workflow(
    model=Policy,
    event_model=PolicyEvent,
    event_subject="policy",
    audit_prefix="points.policy",
    transitions=[
        # Only a draft's numbers change; an active policy is copied into a new version.
        Transition("change", _("Save"), source={P.DRAFT}, permission="points.change_policy"),
        Transition(
            "activate",
            _("Activate"),
            source={P.DRAFT},
            target=P.ACTIVE,
            permission="points.activate_policy",
        ),
        # The year's previous active policy, when another is activated.
        Transition(
            "archive",
            _("Archive"),
            source={P.ACTIVE},
            target=P.ARCHIVED,
            permission="points.activate_policy",
            style="secondary",
        ),
    ],
)

ASSESSMENT_FLOW = Workflow(
    model=Assessment,
    event_model=AssessmentEvent,
    event_subject="assessment",
    audit_prefix="points.assessment",
    state_field="state",
    transitions=[
        # The member may rewrite the self-report until staff have reviewed it.
        Transition(
            "submit",
            _("Submit the self-report"),
            source={A.OPEN, A.SUBMITTED},
            target=A.SUBMITTED,
            permission="points.submit_assessment",
        ),
        Transition(
            "review",
            _("Review"),
            source={A.OPEN, A.SUBMITTED, A.REVIEWED},
            target=A.REVIEWED,
            permission="points.review_assessment",
        ),
        Transition(
            "publish",
            _("Publish"),
            source={A.REVIEWED},
            target=A.PUBLISHED,
            # The service also needs the year's active policy (a query; not a guard,
            # so the list of assessments draws its buttons without one per row).
            permission="points.publish_assessment",
        ),
    ],
)

BULLETIN_FLOW = Workflow(
    model=Bulletin,
    event_model=BulletinEvent,
    event_subject="bulletin",
    audit_prefix="points.bulletin",
    state_field="state",
    transitions=[
        # A draft's figures are computed again; a published bulletin stays as it was.
        Transition(
            "regenerate",
            _("Generate again"),
            source={B.DRAFT},
            permission="points.generate_bulletin",
            style="secondary",
        ),
        Transition(
            "publish",
            _("Publish"),
            source={B.DRAFT},
            target=B.PUBLISHED,
            permission="points.publish_bulletin",
        ),
    ],
)
