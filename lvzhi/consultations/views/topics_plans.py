"""Pages of 协商议题 and the annual plan."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.consultations import forms, selectors, services
from lvzhi.consultations.models import ConsultationPlan, Topic, TopicSource
from lvzhi.consultations.views._common import actor, export, form_page, int_param
from lvzhi.consultations.workflow import PLAN_FLOW, event_labels
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import committee_for, object_for, paginate, posted, require, run_action

TOPIC_BADGES = {
    Topic.Status.PROPOSED: "text-bg-info",
    Topic.Status.SHORTLISTED: "text-bg-success",
    Topic.Status.DECLINED: "text-bg-secondary",
}


@login_required
def topic_list(request: HttpRequest) -> HttpResponseBase:
    committee = committee_for(request, "consultations.propose_topic")
    user = actor(request)
    qs = selectors.topics_for(
        user,
        committee,
        year=int_param(request.GET.get("year")),
        source=request.GET.get("source", ""),
        status=request.GET.get("status", ""),
    )
    may_export = has_perm(user, "consultations.export", committee)
    if request.GET.get("export") and may_export:
        rows = (
            (
                t.year,
                t.get_source_display(),
                t.title,
                t.rationale,
                t.proposer_name,
                t.get_status_display(),
            )
            for t in qs.iterator()
        )
        headers = [_("Year"), _("Source"), _("Topic"), _("Rationale"), _("Proposer"), _("Status")]
        return export(committee, _("Consultation topics"), headers, rows)
    return render(
        request,
        "consultations/topic_list.html",
        {
            "page_obj": paginate(request, qs),
            "may_export": may_export,
            "sources": TopicSource.choices,
            "statuses": Topic.Status.choices,
            "badges": TOPIC_BADGES,
        },
    )


@login_required
def topic_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.propose_topic")
    user = actor(request)
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


@login_required
@require_POST
def topic_decide(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "consultations.manage")
    topic = object_for(request, selectors.topics_for(actor(request), committee), pk=pk)
    note = request.POST.get("note", "")
    back = reverse("consultations:topic_list") + "?" + request.GET.urlencode()
    if request.POST.get("decision") == "shortlist":
        return run_action(
            request,
            lambda: services.topic_shortlist(actor=actor(request), topic=topic, note=note),
            _("The topic has been shortlisted."),
            back,
        )
    return run_action(
        request,
        lambda: services.topic_decline(actor=actor(request), topic=topic, note=note),
        _("The topic has not been shortlisted."),
        back,
    )


# --- Plans ---------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.view_plans")
    return render(
        request,
        "consultations/plan_list.html",
        {"page_obj": paginate(request, selectors.plans_for(actor(request), committee))},
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.create_plan")
    form = forms.PlanForm(posted(request))
    return form_page(
        request,
        form,
        save=lambda d: services.plan_create(actor=actor(request), committee=committee, **d),
        success=lambda plan: reverse("consultations:plan_detail", args=[plan.pk]),
        message=_("The plan has been drafted."),
        title=_("New consultation plan"),
        cancel_url=reverse("consultations:plan_list"),
    )


def _plan(request: HttpRequest, pk: int) -> ConsultationPlan:
    committee = committee_for(request, "consultations.view_plans")
    return object_for(
        request,
        selectors.plans_for(actor(request), committee),
        perm="consultations.view_plan",
        pk=pk,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    user = actor(request)
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
    if not has_perm(request.user, "consultations.edit_plan", plan):
        raise PermissionDenied
    form = forms.PlanItemForm(posted(request), plan=plan)
    url = reverse("consultations:plan_detail", args=[plan.pk])
    return form_page(
        request,
        form,
        save=lambda d: services.plan_item_add(actor=actor(request), plan=plan, **d),
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
        lambda: services.plan_item_remove(actor=actor(request), item=item),
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
    step = PLAN_STEPS.get(request.POST.get("action", ""))
    if step is None:
        raise PermissionDenied
    return run_action(
        request,
        lambda: step(actor=actor(request), plan=plan, note=request.POST.get("note", "")),
        _("The plan has been updated."),
        reverse("consultations:plan_detail", args=[plan.pk]),
    )
