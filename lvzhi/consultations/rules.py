"""Who may do what with consultations and supervision (DESIGN §1): the only
statement of it. Services, views, templates and the state tables of
workflow.py all ask these named permissions.

Staff of the "consultations" area manage everything; leaders read and
approve the plan; members propose topics and see the published plan and the
consultations they take part in; a department's unit users see and answer
only the outcomes and findings sent to their department; party/government
leaders propose topics (党政点题) and read the outcomes sent to party and
government. Committee-level permissions take the committee as the object;
object-level ones (``consultations.<verb>_<object>``) take the object, whose
committee the role predicates check."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.roles import unit_ids_of
from lvzhi.accounts.rules import is_gov_leader, is_leader, is_staff_in, is_unit
from lvzhi.consultations.models import OutcomeItem
from lvzhi.org.rules import is_member

is_consultation_staff = is_staff_in(Area.CONSULTATIONS)
is_public_staff = is_staff_in(Area.PUBLIC)
sees_everything = is_consultation_staff | is_leader


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- Relations to an object --------------------------------------------------------------


@rules.predicate
def is_published_plan(user: Any, plan: Any = None) -> bool:
    return plan is not None and plan.status == "published"


@rules.predicate
def is_participant(user: Any, consultation: Any = None) -> bool:
    """Takes part in the consultation (by a member seat or an invited login)."""
    if consultation is None or not _authenticated(user):
        return False
    from lvzhi.consultations.selectors import participant_of

    return participant_of(user, consultation) is not None


@rules.predicate
def is_first_convener(user: Any, consultation: Any = None) -> bool:
    if consultation is None or not _authenticated(user) or not consultation.first_convener_id:
        return False
    return bool(consultation.first_convener.person.user_id == user.pk)


@rules.predicate
def is_unit_answering(user: Any, consultation: Any = None) -> bool:
    """A unit user of a department an outcome of the consultation was sent to."""
    if consultation is None:
        return False
    units = unit_ids_of(user, consultation)
    return bool(units) and consultation.outcomes.filter(unit_id__in=units).exists()


@rules.predicate
def has_outcome_for_party_or_government(user: Any, consultation: Any = None) -> bool:
    return bool(
        consultation is not None
        and consultation.outcomes.filter(
            recipient=OutcomeItem.Recipient.PARTY_GOVERNMENT, sent_at__isnull=False
        ).exists()
    )


@rules.predicate
def is_unit_of_outcome(user: Any, outcome: Any = None) -> bool:
    return bool(
        outcome is not None
        and outcome.recipient == "unit"
        and outcome.unit_id in unit_ids_of(user, outcome)
    )


@rules.predicate
def is_for_party_or_government(user: Any, outcome: Any = None) -> bool:
    return bool(outcome is not None and outcome.recipient == OutcomeItem.Recipient.PARTY_GOVERNMENT)


@rules.predicate
def is_unit_of_finding(user: Any, finding: Any = None) -> bool:
    return finding is not None and finding.unit_id in unit_ids_of(user, finding)


@rules.predicate
def is_post_author(user: Any, post: Any = None) -> bool:
    return post is not None and _authenticated(user) and post.author_id == user.pk


# --- The section, read by role (committee-level) -----------------------------------------

rules.add_perm("consultations.manage", is_consultation_staff)
rules.add_perm("consultations.view_section", is_consultation_staff | is_leader | is_member)
rules.add_perm("consultations.view_all", sees_everything)
rules.add_perm(
    "consultations.view_plans", is_consultation_staff | is_leader | is_member | is_gov_leader
)
rules.add_perm("consultations.view_draft_plans", sees_everything)
rules.add_perm("consultations.view_unit_inbox", is_unit)
rules.add_perm("consultations.view_gov_outcomes", is_gov_leader | is_leader | is_consultation_staff)
rules.add_perm("consultations.view_supervision", sees_everything)
rules.add_perm("consultations.export", is_consultation_staff)
rules.add_perm("consultations.configure", is_consultation_staff)

# --- Topics (协商议题) -------------------------------------------------------------------

rules.add_perm("consultations.propose_topic", is_consultation_staff | is_member | is_gov_leader)
# One permission per source: 党政点题, 委员荐题, and the office's entries of
# topics raised by the public (群众出题) or chosen by the office (政协选题).
rules.add_perm("consultations.propose_government_topic", is_gov_leader)
rules.add_perm("consultations.propose_member_topic", is_member)
rules.add_perm("consultations.propose_office_topic", is_consultation_staff)
# 三听三转: staff of either area turn a citizen's message into a topic.
rules.add_perm("consultations.convert_public_topic", is_consultation_staff | is_public_staff)
rules.add_perm("consultations.decide_topic", is_consultation_staff)
# Staff change a topic's wording after it was proposed (a correction once decided).
rules.add_perm("consultations.edit_topic", is_consultation_staff)

# --- The annual plan (协商计划) ------------------------------------------------------------

rules.add_perm("consultations.create_plan", is_consultation_staff)
rules.add_perm(
    "consultations.view_plan",
    sees_everything | ((is_member | is_gov_leader) & is_published_plan),
)
rules.add_perm("consultations.edit_plan", is_consultation_staff)
rules.add_perm("consultations.approve_plan", is_consultation_staff | is_leader)
rules.add_perm("consultations.publish_plan", is_consultation_staff)

# --- Consultations (协商活动) ---------------------------------------------------------------

rules.add_perm("consultations.create_consultation", is_consultation_staff)
rules.add_perm(
    "consultations.view_consultation", sees_everything | is_participant | is_first_convener
)
rules.add_perm("consultations.manage_consultation", is_consultation_staff)
rules.add_perm(
    "consultations.answer_consultation",
    is_consultation_staff
    | is_unit_answering
    | (is_gov_leader & has_outcome_for_party_or_government),
)
# Staff record any answer; a department answers its own outcomes; a party or
# government leader answers, in the app, those sent to party and government.
rules.add_perm(
    "consultations.answer_outcome",
    is_consultation_staff | is_unit_of_outcome | (is_gov_leader & is_for_party_or_government),
)
rules.add_perm("consultations.evaluate_consultation", is_consultation_staff)
rules.add_perm("consultations.configure_evaluation", is_consultation_staff)

# --- Online consultation (网络议政) ---------------------------------------------------------

rules.add_perm("consultations.post_in_consultation", is_participant)
rules.add_perm("consultations.edit_post", is_post_author)
rules.add_perm("consultations.moderate_consultation", is_consultation_staff)

# --- Democratic supervision (民主监督) -------------------------------------------------------

rules.add_perm("consultations.create_supervision_plan", is_consultation_staff)
rules.add_perm("consultations.edit_supervision_plan", is_consultation_staff)
rules.add_perm("consultations.publish_supervision_plan", is_consultation_staff)
rules.add_perm("consultations.plan_inspection", is_consultation_staff)
rules.add_perm("consultations.hold_inspection", is_consultation_staff)
rules.add_perm("consultations.send_finding", is_consultation_staff)
rules.add_perm("consultations.view_finding", sees_everything | is_unit_of_finding)
rules.add_perm("consultations.report_finding", is_consultation_staff | is_unit_of_finding)
rules.add_perm("consultations.review_finding", is_consultation_staff)
