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

# Each row reads Transition(action, button, from states, permission, to state):
# the order of core.workflow.Transition's fields; no "to state" keeps the state.
# The permissions of points/rules.py the rows name:
ACTIVATE = "points.activate_policy"
PUBLISH_ASSESSMENT = "points.publish_assessment"

POLICY_FLOW = Workflow(
    model=Policy,
    event_model=PolicyEvent,
    event_subject="policy",
    audit_prefix="points.policy",
    transitions=[
        # Only a draft's numbers change; an active policy is copied into a new version.
        Transition("change", _("Save"), {P.DRAFT}, "points.change_policy"),
        Transition("activate", _("Activate"), {P.DRAFT}, ACTIVATE, P.ACTIVE),
        # The year's previous active policy, when another is activated.
        Transition("archive", _("Archive"), {P.ACTIVE}, ACTIVATE, P.ARCHIVED, style="secondary"),
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
            {A.OPEN, A.SUBMITTED},
            "points.submit_assessment",
            A.SUBMITTED,
        ),
        Transition(
            "review",
            _("Review"),
            {A.OPEN, A.SUBMITTED, A.REVIEWED},
            "points.review_assessment",
            A.REVIEWED,
        ),
        # The service also needs the year's active policy (a query; not a guard,
        # so the list of assessments draws its buttons without one per row).
        Transition("publish", _("Publish"), {A.REVIEWED}, PUBLISH_ASSESSMENT, A.PUBLISHED),
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
            {B.DRAFT},
            "points.generate_bulletin",
            style="secondary",
        ),
        Transition("publish", _("Publish"), {B.DRAFT}, "points.publish_bulletin", B.PUBLISHED),
    ],
)
