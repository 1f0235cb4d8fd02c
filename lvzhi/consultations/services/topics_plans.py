"""协商议题 and 年度协商计划: topics from the four sources, the shortlist, and
the annual plan from draft to approval and publication."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.consultations import audit
from lvzhi.consultations.models import ConsultationFormat, ConsultationPlan, PlanItem, Topic
from lvzhi.consultations.models import TopicSource as Source
from lvzhi.consultations.selectors import seat_of
from lvzhi.consultations.services._common import (
    TITLE_MAX,
    YearlyPlanKind,
    clean_month,
    clean_text,
    clean_year,
    created_event,
    locked,
    one_of,
    same_committee,
    yearly_plan_create,
)
from lvzhi.consultations.workflow import PLAN_FLOW, TOPIC_FLOW
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import has_perm, require_perm
from lvzhi.core.workflow import transition
from lvzhi.org.models import Committee, Member

# Who may enter a topic under which source (rules.py).
SOURCE_PERMISSIONS = {
    Source.GOVERNMENT: "consultations.propose_government_topic",
    Source.PUBLIC: "consultations.propose_office_topic",
    Source.OFFICE: "consultations.propose_office_topic",
    Source.MEMBER: "consultations.propose_member_topic",
}
_SOURCE_ORDER = [Source.GOVERNMENT, Source.PUBLIC, Source.OFFICE, Source.MEMBER]


def allowed_topic_sources(actor: Any, committee: Committee) -> list[str]:
    """The sources the actor may enter a topic under: party/government leaders
    set topics (党政点题), members recommend them (委员荐题), staff enter those
    raised by the public (群众出题) and those the office chooses (政协选题)."""
    return [s for s in _SOURCE_ORDER if has_perm(actor, SOURCE_PERMISSIONS[s], committee)]


def _duplicate(title: str, year: int) -> Conflict:
    return Conflict(
        _("A topic “%(title)s” was already proposed for %(year)d.") % {"title": title, "year": year}
    )


def _topic_save(
    *,
    committee: Committee,
    year: int,
    source: str,
    title: str,
    rationale: str,
    actor: Any,
    proposer_member: Member | None = None,
    proposer_name: str = "",
    public_reference: str = "",
) -> Topic:
    title = clean_text(title, label=_("Topic"), max_length=TITLE_MAX)
    rationale = clean_text(rationale, label=_("Rationale"), max_length=2000)
    proposer_name = clean_text(proposer_name, label=_("Proposer"), max_length=100, required=False)
    year = clean_year(year)
    if Topic.objects.filter(committee=committee, year=year, title=title).exists():
        raise _duplicate(title, year)
    try:
        with transaction.atomic():
            topic = Topic.objects.create(
                committee=committee,
                year=year,
                source=source,
                title=title,
                rationale=rationale,
                proposer=actor if getattr(actor, "is_authenticated", False) else None,
                proposer_member=proposer_member,
                proposer_name=proposer_name,
                public_reference=public_reference[:100],
            )
            created_event(TOPIC_FLOW, topic, actor)
            audit_log(action=audit.TOPIC_CREATE, actor=actor, obj=topic, source=source)
    except IntegrityError:
        raise _duplicate(title, year) from None
    return topic


def topic_create(
    *,
    actor: Any,
    committee: Committee,
    year: int,
    source: str,
    title: str,
    rationale: str,
    proposer_name: str = "",
) -> Topic:
    """A topic for the year's plan from one of the four sources."""
    if source not in SOURCE_PERMISSIONS:
        raise ValidationFailed(_("You may not propose a topic from this source."))
    require_perm(
        actor,
        SOURCE_PERMISSIONS[Source(source)],
        committee,
        message=_("You may not propose a topic from this source."),
    )
    member = seat_of(actor, committee) if source == Source.MEMBER else None
    if source == Source.MEMBER and member is not None:
        proposer_name = member.person.name
    elif source == Source.GOVERNMENT and not proposer_name.strip():
        proposer_name = getattr(actor, "display_name", "") or actor.get_username()
    elif source == Source.OFFICE and not proposer_name.strip():
        proposer_name = str(_("Committee office"))
    elif source == Source.PUBLIC and not proposer_name.strip():
        raise ValidationFailed(_("Say who raised the topic (a name or “a citizen”)."))
    return _topic_save(
        committee=committee,
        year=year,
        source=source,
        title=title,
        rationale=rationale,
        actor=actor,
        proposer_member=member,
        proposer_name=proposer_name,
    )


def topic_create_from_public(
    *,
    committee: Committee,
    year: int,
    title: str,
    rationale: str,
    proposer_name: str,
    public_reference: str,
    actor: Any = None,
) -> Topic:
    """群众出题 from the public channel (三听三转): the public app calls this
    when staff convert a citizen's message into a consultation topic."""
    require_perm(
        actor,
        "consultations.convert_public_topic",
        committee,
        message=_("Only office staff may convert a message into a topic."),
    )
    return _topic_save(
        committee=committee,
        year=year,
        source=Source.PUBLIC,
        title=title,
        rationale=rationale,
        actor=actor,
        proposer_name=proposer_name or str(_("a citizen")),
        public_reference=public_reference,
    )


def topic_shortlist(*, actor: Any, topic: Topic, note: str = "") -> Topic:
    """Staff put a topic on the shortlist, from which the plan is drawn."""
    require_perm(actor, "consultations.decide_topic", topic)
    note = clean_text(note, label=_("Note"), max_length=200, required=False)
    result: Topic = transition(
        topic, "shortlist", actor=actor, note=note, changes={"status_note": note}
    )
    return result


def topic_decline(*, actor: Any, topic: Topic, note: str = "") -> Topic:
    """Staff decide not to shortlist a topic, saying why."""
    require_perm(actor, "consultations.decide_topic", topic)
    note = clean_text(note, label=_("Note"), max_length=200)
    result: Topic = transition(
        topic, "decline", actor=actor, note=note, changes={"status_note": note}
    )
    return result


# --- The annual plan -------------------------------------------------------------------


CONSULTATION_PLAN = YearlyPlanKind(
    PLAN_FLOW,
    "consultations.create_plan",
    audit.PLAN_CREATE,
    gettext_lazy("The plan for %(year)d exists already."),
)


def plan_create(*, actor: Any, committee: Committee, year: int, title: str) -> ConsultationPlan:
    plan: ConsultationPlan = yearly_plan_create(CONSULTATION_PLAN, actor, committee, year, title)
    return plan


def _plan_draft(plan: ConsultationPlan) -> None:
    if plan.status != ConsultationPlan.Status.DRAFT:
        raise Conflict(_("The plan can only be changed while it is a draft."))


def plan_item_add(
    *, actor: Any, plan: ConsultationPlan, topic: Topic, format: str, month: int, lead: str = ""
) -> PlanItem:
    require_perm(actor, "consultations.edit_plan", plan)
    same_committee(topic, plan.committee, _("The topic does not belong to this committee."))
    with transaction.atomic():
        plan = locked(ConsultationPlan, plan.pk)
        _plan_draft(plan)
        topic = locked(Topic, topic.pk)
        if topic.status != Topic.Status.SHORTLISTED:
            raise ValidationFailed(_("Only shortlisted topics can be placed in the plan."))
        if topic.year != plan.year:
            raise ValidationFailed(_("The topic was proposed for another year."))
        one_of(format, ConsultationFormat, _("Choose a consultation format."))
        month = clean_month(month)
        lead = clean_text(lead, label=_("Lead body"), max_length=100, required=False)
        if PlanItem.objects.filter(plan=plan, topic=topic).exists():
            raise Conflict(_("The topic is in the plan already."))
        item = PlanItem.objects.create(
            committee=plan.committee, plan=plan, topic=topic, format=format, month=month, lead=lead
        )
        audit_log(action=audit.PLAN_ITEM_ADD, actor=actor, obj=plan, topic=topic.title)
    return item


def plan_item_remove(*, actor: Any, item: PlanItem) -> None:
    require_perm(actor, "consultations.edit_plan", item.plan)
    with transaction.atomic():
        plan = locked(ConsultationPlan, item.plan_id)
        _plan_draft(plan)
        if item.consultations.exists():
            raise Conflict(_("A consultation was started from this topic; it stays in the plan."))
        title = item.topic.title
        item.delete()
        audit_log(action=audit.PLAN_ITEM_REMOVE, actor=actor, obj=plan, topic=title)


def _note(note: str) -> str:
    return clean_text(note, label=_("Note"), max_length=500, required=False)


def plan_approve(*, actor: Any, plan: ConsultationPlan, note: str = "") -> ConsultationPlan:
    """The plan is approved (by the office staff or the chairpersons' meeting)."""
    result: ConsultationPlan = transition(
        plan, "approve", actor=actor, note=_note(note), changes={"approved_at": timezone.now()}
    )
    return result


def plan_reopen(*, actor: Any, plan: ConsultationPlan, note: str = "") -> ConsultationPlan:
    """An approved plan goes back to draft to be changed."""
    result: ConsultationPlan = transition(plan, "reopen", actor=actor, note=_note(note))
    return result


def plan_publish(*, actor: Any, plan: ConsultationPlan, note: str = "") -> ConsultationPlan:
    """The approved plan is published: members and leaders see it."""
    result: ConsultationPlan = transition(
        plan, "publish", actor=actor, note=_note(note), changes={"published_at": timezone.now()}
    )
    return result
