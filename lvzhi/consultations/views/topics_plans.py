"""Pages of 协商议题 and the annual plan."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lvzhi.consultations import forms, selectors, services
from lvzhi.consultations.filters import TopicFilter
from lvzhi.consultations.models import ConsultationPlan, Topic
from lvzhi.consultations.services import edits
from lvzhi.consultations.views._common import Column, list_or_export, run_step, visible
from lvzhi.consultations.workflow import PLAN_FLOW, event_labels
from lvzhi.core.corrections import corrections_of
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    list_page,
    object_for,
    posted,
    require,
    run_action,
)

TOPIC_BADGES = {
    Topic.Status.PROPOSED: "text-bg-info",
    Topic.Status.SHORTLISTED: "text-bg-success",
    Topic.Status.DECLINED: "text-bg-secondary",
}
TOPIC_COLUMNS: list[Column] = [
    (gettext_lazy("Year"), lambda t: t.year),
    (gettext_lazy("Source"), lambda t: t.get_source_display()),
    (gettext_lazy("Topic"), lambda t: t.title),
    (gettext_lazy("Rationale"), lambda t: t.rationale),
    (gettext_lazy("Proposer"), lambda t: t.proposer_name),
    (gettext_lazy("Status"), lambda t: t.get_status_display()),
]


@login_required
def topic_list(request: HttpRequest) -> HttpResponseBase:
    committee = committee_for(request, "consultations.propose_topic")
    topics = TopicFilter(
        request.GET,
        queryset=selectors.topics_for(acting_user(request), committee),
        committee=committee,
    )
    return list_or_export(
        request,
        committee,
        "consultations/topic_list.html",
        topics,
        name=_("Consultation topics"),
        columns=TOPIC_COLUMNS,
        badges=TOPIC_BADGES,
    )


@login_required
def topic_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.propose_topic")
    user = acting_user(request)
    sources = services.allowed_topic_sources(user, committee)
    if not sources:
        raise PermissionDenied
    form = forms.TopicForm(posted(request), sources=sources)
    return form_page(
        request,
        form,
        save=lambda d: services.topic_create(
            actor=user,
            committee=committee,
            year=d["year"],
            source=d["source"],
            title=d["title"],
            rationale=d["rationale"],
            proposer_name=d.get("proposer_name", ""),
        ),
        success=lambda t: reverse("consultations:topic_list"),
        message=_("The topic has been proposed."),
        title=_("Propose a consultation topic"),
        cancel_url=reverse("consultations:topic_list"),
    )


# The staff's decision on a topic: its service and what the page then says.
TOPIC_DECISIONS = {
    "shortlist": (services.topic_shortlist, gettext_lazy("The topic has been shortlisted.")),
    "decline": (services.topic_decline, gettext_lazy("The topic has not been shortlisted.")),
}


@login_required
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff change a topic's wording; once decided the change is a
    correction (reason, original kept and shown here)."""
    committee = committee_for(request, "consultations.manage")
    topic = object_for(
        request,
        selectors.topics_for(acting_user(request), committee),
        perm="consultations.edit_topic",
        pk=pk,
    )
    draft = edits.topic_in_draft(topic)
    back = reverse("consultations:topic_list")
    return form_page(
        request,
        forms.TopicEditForm(
            posted(request),
            initial={name: getattr(topic, name) for name in edits.TOPIC_FIELDS},
        ),
        save=lambda d: services.topic_update(
            actor=acting_user(request), topic=topic, data=d, reason=d.get("reason", "")
        ),
        success=back,
        message=_("The topic is saved.") if draft else _("The correction is recorded."),
        title=_("Change the topic: %(title)s") % {"title": topic.title},
        cancel_url=back,
        intro=""
        if draft
        else _("The topic is decided: give the reason; the original values are kept."),
        before_form="core/_corrections.html",
        corrections=corrections_of(topic),
    )


@login_required
@require_POST
def topic_decide(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "consultations.manage")
    topic = object_for(request, selectors.topics_for(acting_user(request), committee), pk=pk)
    decision = "shortlist" if request.POST.get("decision") == "shortlist" else "decline"
    decide, message = TOPIC_DECISIONS[decision]
    return run_action(
        request,
        lambda: decide(actor=acting_user(request), topic=topic, note=request.POST.get("note", "")),
        str(message),
        reverse("consultations:topic_list") + "?" + request.GET.urlencode(),
    )


# --- Plans ---------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.view_plans")
    return list_page(
        request,
        "consultations/plan_list.html",
        selectors.plans_for(acting_user(request), committee),
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.create_plan")
    form = forms.PlanForm(posted(request))
    return form_page(
        request,
        form,
        save=lambda d: services.plan_create(actor=acting_user(request), committee=committee, **d),
        success=lambda plan: reverse("consultations:plan_detail", args=[plan.pk]),
        message=_("The plan has been drafted."),
        title=_("New consultation plan"),
        cancel_url=reverse("consultations:plan_list"),
    )


def _plan(request: HttpRequest, pk: int) -> ConsultationPlan:
    return visible(
        request,
        selectors.plans_for,
        pk,
        perm="consultations.view_plan",
        committee_perm="consultations.view_plans",
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    user = acting_user(request)
    draft = plan.status == ConsultationPlan.Status.DRAFT
    return render(
        request,
        "consultations/plan_detail.html",
        {
            "plan": plan,
            "items": selectors.plan_items_of(plan),
            "events": plan.events.select_related("actor"),
            "labels": event_labels(PLAN_FLOW),
            "may_edit_items": draft and has_perm(user, "consultations.edit_plan", plan),
            "may_start": not draft and has_perm(user, "consultations.create_consultation", plan),
            "may_see_history": has_perm(user, "consultations.view_draft_plans", plan),
        },
    )


@login_required
def plan_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    require(request, "consultations.edit_plan", plan)
    form = forms.PlanItemForm(posted(request), plan=plan)
    url = reverse("consultations:plan_detail", args=[plan.pk])
    return form_page(
        request,
        form,
        save=lambda d: services.plan_item_add(actor=acting_user(request), plan=plan, **d),
        success=lambda item: url,
        message=_("The topic has been placed in the plan."),
        title=_("Place a topic in %(plan)s") % {"plan": plan.title},
        cancel_url=url,
    )


@login_required
@require_POST
def plan_item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    item = object_for(request, plan.items.all(), perm="consultations.edit_plan", pk=item_pk)
    return run_action(
        request,
        lambda: services.plan_item_remove(actor=acting_user(request), item=item),
        _("The topic has been taken out of the plan."),
        reverse("consultations:plan_detail", args=[plan.pk]),
    )


PLAN_STEPS = {
    "approve": services.plan_approve,
    "reopen": services.plan_reopen,
    "publish": services.plan_publish,
}


@login_required
@require_POST
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """A button of the plan's state table; the service checks its permission."""
    plan = _plan(request, pk)
    # The broadest permission of the table gates the page; the step's own
    # permission is checked by the service.
    require(request, "consultations.approve_plan", plan)
    return run_step(
        request,
        PLAN_STEPS,
        _("The plan has been updated."),
        reverse("consultations:plan_detail", args=[plan.pk]),
        plan=plan,
    )
