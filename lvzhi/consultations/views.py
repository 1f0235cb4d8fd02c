"""Consultation and supervision pages. Thin: selectors read, rules decide,
services write. Objects are loaded through selectors filtered by the current
committee and the user, so anything else answers 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.accounts.models import User
from lvzhi.consultations import forms, selectors, services, workflow
from lvzhi.consultations.models import (
    Consultation,
    ConsultationFormat,
    ConsultationPlan,
    Finding,
    PlanItem,
    Post,
    SupervisionItem,
    SupervisionPlan,
    Topic,
    TopicSource,
)
from lvzhi.core.audit import audit_log
from lvzhi.core.calendar import deadline_state
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.org.models import Committee

PAGE_SIZE = 25


# --- Helpers -------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str) -> Committee:
    """The current committee, if the user holds ``perm`` there; else 403."""
    committee = getattr(request, "committee", None)
    if committee is None or not request.user.has_perm(perm, committee):
        raise PermissionDenied
    return cast(Committee, committee)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    message: str,
    title: str,
    cancel_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Validate, hand the cleaned data to a service, redirect; on any error
    show the form again with the reason (nothing was written)."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            return redirect(success(obj))
    context = {"form": form, "title": title, "cancel_url": cancel_url, **(extra or {})}
    return render(request, "consultations/form.html", context, status=400 if form.errors else 200)


def _act(
    request: HttpRequest, call: Callable[[], Any], message: str, next_url: str
) -> HttpResponse:
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect(next_url)


def _export(
    request: HttpRequest, committee: Committee, name: str, headers: list[str], rows: Any
) -> HttpResponseBase:
    audit_log(action="consultations.export", request=request, committee=committee, list=name)
    return xlsx_response(f"{name}-{today_stamp()}.xlsx", name, headers, rows)


# --- Topics --------------------------------------------------------------------------


@login_required
def topic_list(request: HttpRequest) -> HttpResponseBase:
    committee = _require(request, "consultations.propose_topic")
    user = _actor(request)
    qs = selectors.topics_for(
        user,
        committee,
        year=_int(request.GET.get("year")),
        source=request.GET.get("source", ""),
        status=request.GET.get("status", ""),
    )
    if request.GET.get("export") and services.is_consultation_staff(user, committee):
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
        return _export(request, committee, _("Consultation topics"), headers, rows)
    return render(
        request,
        "consultations/topic_list.html",
        {
            "page_obj": _page(request, qs),
            "is_staff": services.is_consultation_staff(user, committee),
            "sources": TopicSource.choices,
            "statuses": Topic.Status.choices,
        },
    )


@login_required
def topic_create(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "consultations.propose_topic")
    actor = _actor(request)
    sources = services.allowed_topic_sources(actor, committee)
    if not sources:
        raise PermissionDenied
    form = forms.TopicForm(_data(request), sources=sources)
    return _form_page(
        request,
        form,
        save=lambda d: services.topic_create(
            actor=actor,
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
    committee = _require(request, "consultations.manage")
    topic = get_object_or_404(Topic.objects.filter(committee=committee), pk=pk)
    shortlist = request.POST.get("decision") == "shortlist"
    return _act(
        request,
        lambda: services.topic_decide(
            actor=_actor(request),
            topic=topic,
            shortlist=shortlist,
            note=request.POST.get("note", ""),
        ),
        _("The topic has been shortlisted.")
        if shortlist
        else _("The topic has not been shortlisted."),
        reverse("consultations:topic_list") + "?" + request.GET.urlencode(),
    )


# --- Plans ---------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "consultations.view_plans")
    return render(
        request,
        "consultations/plan_list.html",
        {
            "page_obj": _page(request, selectors.plans_for(_actor(request), committee)),
            "can_manage": request.user.has_perm("consultations.manage", committee),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "consultations.manage")
    form = forms.PlanForm(_data(request))
    return _form_page(
        request,
        form,
        save=lambda d: services.plan_create(actor=_actor(request), committee=committee, **d),
        success=lambda plan: reverse("consultations:plan_detail", args=[plan.pk]),
        message=_("The plan has been drafted."),
        title=_("New consultation plan"),
        cancel_url=reverse("consultations:plan_list"),
    )


def _plan(request: HttpRequest, pk: int) -> tuple[Committee, ConsultationPlan]:
    committee = _require(request, "consultations.view_plans")
    plan = get_object_or_404(selectors.plans_for(_actor(request), committee), pk=pk)
    return committee, plan


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee, plan = _plan(request, pk)
    can_manage = request.user.has_perm("consultations.manage", committee)
    return render(
        request,
        "consultations/plan_detail.html",
        {
            "plan": plan,
            "items": selectors.plan_items_of(plan),
            "events": plan.events.select_related("actor"),
            "can_manage": can_manage,
            "can_approve": request.user.has_perm("consultations.approve_plan", committee),
            "actions": workflow.actions_from(workflow.PLAN_TRANSITIONS, plan.status),
            "labels": workflow.PLAN_ACTION_LABELS,
        },
    )


@login_required
def plan_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "consultations.manage")
    plan = get_object_or_404(ConsultationPlan.objects.filter(committee=committee), pk=pk)
    form = forms.PlanItemForm(_data(request), plan=plan)
    url = reverse("consultations:plan_detail", args=[plan.pk])
    return _form_page(
        request,
        form,
        save=lambda d: services.plan_item_add(actor=_actor(request), plan=plan, **d),
        success=lambda item: url,
        message=_("The topic has been placed in the plan."),
        title=_("Place a topic in %(plan)s") % {"plan": plan.title},
        cancel_url=url,
    )


@login_required
@require_POST
def plan_item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    committee = _require(request, "consultations.manage")
    plan = get_object_or_404(ConsultationPlan.objects.filter(committee=committee), pk=pk)
    item = get_object_or_404(plan.items.all(), pk=item_pk)
    return _act(
        request,
        lambda: services.plan_item_remove(actor=_actor(request), item=item),
        _("The topic has been taken out of the plan."),
        reverse("consultations:plan_detail", args=[plan.pk]),
    )


@login_required
@require_POST
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    committee, plan = _plan(request, pk)
    if not request.user.has_perm("consultations.approve_plan", committee):
        raise PermissionDenied
    action = request.POST.get("action", "")
    return _act(
        request,
        lambda: services.plan_transition(
            actor=_actor(request), plan=plan, action=action, note=request.POST.get("note", "")
        ),
        _("The plan has been updated."),
        reverse("consultations:plan_detail", args=[plan.pk]),
    )


# --- Consultations ---------------------------------------------------------------------


@login_required
def consultation_list(request: HttpRequest) -> HttpResponseBase:
    committee = _require(request, "consultations.view_section")
    user = _actor(request)
    qs = selectors.consultation_list(
        user,
        committee,
        year=_int(request.GET.get("year")),
        state=request.GET.get("state", ""),
        format=request.GET.get("format", ""),
        overdue=bool(request.GET.get("overdue")),
    )
    can_manage = services.is_consultation_staff(user, committee)
    if request.GET.get("export") and can_manage:
        rows = (
            (
                c.year,
                c.title,
                c.get_format_display(),
                c.get_state_display(),
                c.meeting_date,
                c.first_convener.person.name if c.first_convener else "",
                c.department.name if c.department else "",
                c.outcome_count,  # type: ignore[attr-defined]
                c.overdue_count,  # type: ignore[attr-defined]
            )
            for c in qs
        )
        headers = [
            _("Year"),
            _("Title"),
            _("Format"),
            _("Stage"),
            _("Meeting date"),
            _("First convener"),
            _("Department"),
            _("Outcomes"),
            _("Overdue feedback"),
        ]
        return _export(request, committee, _("Consultations"), headers, rows)
    return render(
        request,
        "consultations/consultation_list.html",
        {
            "page_obj": _page(request, qs),
            "can_manage": can_manage,
            "states": Consultation.State.choices,
            "formats": ConsultationFormat.choices,
        },
    )


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "consultations.manage")
    initial: dict[str, Any] = {}
    plan_item_id = _int(request.GET.get("plan_item"))
    if plan_item_id:
        item = get_object_or_404(
            PlanItem.objects.filter(committee=committee).select_related("topic", "plan"),
            pk=plan_item_id,
        )
        initial = {
            "plan_item": item.pk,
            "title": item.topic.title,
            "format": item.format,
            "year": item.plan.year,
        }
    form = forms.ConsultationForm(_data(request), committee=committee, initial=initial)
    return _form_page(
        request,
        form,
        save=lambda d: services.consultation_create(
            actor=_actor(request), committee=committee, **d
        ),
        success=lambda c: reverse("consultations:consultation_detail", args=[c.pk]),
        message=_("The consultation has been created."),
        title=_("New consultation"),
        cancel_url=reverse("consultations:consultation_list"),
    )


def _consultation(request: HttpRequest, pk: int) -> tuple[Committee, Consultation]:
    committee = getattr(request, "committee", None)
    if committee is None:
        raise Http404
    consultation = get_object_or_404(
        selectors.consultation_detail(_actor(request), committee), pk=pk
    )
    return committee, consultation


def _managed(request: HttpRequest, pk: int) -> Consultation:
    committee = _require(request, "consultations.manage")
    return get_object_or_404(Consultation.objects.filter(committee=committee), pk=pk)


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee, consultation = _consultation(request, pk)
    user = _actor(request)
    can_manage = services.is_consultation_staff(user, committee)
    today = timezone.localdate()
    outcomes = list(selectors.outcomes_of(consultation))
    for outcome in outcomes:
        outcome.deadline_colour = (  # type: ignore[attr-defined]
            deadline_state(outcome.feedback_deadline, today)
            if outcome.feedback_deadline and outcome.feedback_at is None
            else ""
        )
    overdue = [o for o in outcomes if o.deadline_colour == "red"]  # type: ignore[attr-defined]
    stages = workflow.CONSULTATION_STAGES
    reached = [str(s) for s in stages].index(consultation.state)
    participant = services.participant_of(user, consultation) if consultation.is_online else None
    context = {
        "consultation": consultation,
        "stages": [
            {"label": Consultation.State(s).label, "done": i < reached, "current": i == reached}
            for i, s in enumerate(stages)
        ],
        "events": consultation.events.select_related("actor"),
        "labels": workflow.CONSULTATION_ACTION_LABELS,
        "preparations": consultation.preparations.all(),
        "participants": selectors.participants_of(consultation),
        "speeches": consultation.speeches.select_related("speaker"),
        "outcomes": outcomes,
        "overdue": overdue,
        "can_manage": can_manage,
        "actions": [
            a
            for a in workflow.actions_from(workflow.CONSULTATION_TRANSITIONS, consultation.state)
            if workflow.CONSULTATION_ACTORS[a] == workflow.Who.STAFF
        ],
        "transition_form": forms.TransitionForm(),
        "before_outcomes": consultation.state in workflow.BEFORE_OUTCOMES,
        "State": Consultation.State,
    }
    if consultation.is_online:
        window = services.online_window_state(consultation)
        context.update(
            {
                "posts": selectors.posts_of(consultation),
                "window": window,
                "may_post": participant is not None and window == "open",
                "post_form": forms.PostForm(),
            }
        )
    if can_manage:
        evaluation = getattr(consultation, "evaluation", None)
        context["evaluation"] = evaluation
        if evaluation is not None:
            context["scores"] = evaluation.scores.all()
    return render(request, "consultations/consultation_detail.html", context)


@login_required
@require_POST
def consultation_transition(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _managed(request, pk)
    form = forms.TransitionForm(request.POST)
    url = reverse("consultations:consultation_detail", args=[consultation.pk])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(url)
    action = request.POST.get("action", "")
    return _act(
        request,
        lambda: services.consultation_transition(
            actor=_actor(request), consultation=consultation, action=action, **form.cleaned_data
        ),
        _("The consultation has moved on."),
        url,
    )


def _sub_form(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    call: Callable[[Consultation, dict[str, Any]], Any],
    *,
    title: str,
    message: str,
    form_kwargs: Callable[[Consultation], dict[str, Any]] | None = None,
) -> HttpResponse:
    consultation = _managed(request, pk)
    url = reverse("consultations:consultation_detail", args=[consultation.pk])
    form = form_class(_data(request), **(form_kwargs(consultation) if form_kwargs else {}))
    return _form_page(
        request,
        form,
        save=lambda d: call(consultation, d),
        success=lambda obj: url,
        message=message,
        title=f"{title} · {consultation.title}",
        cancel_url=url,
    )


@login_required
def preparation_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _sub_form(
        request,
        pk,
        forms.PreparationForm,
        lambda c, d: services.preparation_add(actor=_actor(request), consultation=c, **d),
        title=_("Add preparation"),
        message=_("The preparation has been recorded."),
    )


@login_required
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    def call(c: Consultation, d: dict[str, Any]) -> Any:
        d.pop("username", None)
        return services.participant_add(actor=_actor(request), consultation=c, **d)

    return _sub_form(
        request,
        pk,
        forms.ParticipantForm,
        call,
        title=_("Add a participant"),
        message=_("The participant has been added."),
        form_kwargs=lambda c: {"committee": c.committee},
    )


@login_required
def speech_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _sub_form(
        request,
        pk,
        forms.SpeechForm,
        lambda c, d: services.speech_record(actor=_actor(request), consultation=c, **d),
        title=_("Record a speech"),
        message=_("The speech has been recorded."),
        form_kwargs=lambda c: {"consultation": c},
    )


@login_required
def outcome_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _sub_form(
        request,
        pk,
        forms.OutcomeForm,
        lambda c, d: services.outcome_add(actor=_actor(request), consultation=c, **d),
        title=_("Add an outcome"),
        message=_("The outcome has been added."),
        form_kwargs=lambda c: {"committee": c.committee},
    )


@login_required
@require_POST
def outcome_remove(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    consultation = _managed(request, pk)
    outcome = get_object_or_404(consultation.outcomes.all(), pk=outcome_pk)
    return _act(
        request,
        lambda: services.outcome_remove(actor=_actor(request), outcome=outcome),
        _("The outcome has been removed."),
        reverse("consultations:consultation_detail", args=[consultation.pk]),
    )


@login_required
def outcome_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    committee = getattr(request, "committee", None)
    if committee is None:
        raise Http404
    user = _actor(request)
    outcome = get_object_or_404(selectors.outcome_for_feedback(user, committee), pk=pk)
    back = (
        reverse("consultations:consultation_detail", args=[outcome.consultation_id])
        if services.is_consultation_staff(user, committee)
        else reverse("consultations:unit_inbox")
    )
    form = forms.FeedbackForm(_data(request))
    return _form_page(
        request,
        form,
        save=lambda d: services.outcome_feedback_give(actor=user, outcome=outcome, **d),
        success=lambda o: back,
        message=_("The feedback has been recorded."),
        title=_("Feedback on outcome %(number)d of %(title)s")
        % {"number": outcome.number, "title": outcome.consultation.title},
        cancel_url=back,
        extra={"outcome": outcome},
    )


# --- Online posts ----------------------------------------------------------------------


@login_required
@require_POST
def post_create(request: HttpRequest, pk: int) -> HttpResponse:
    _committee, consultation = _consultation(request, pk)
    parent = None
    parent_id = _int(request.POST.get("parent"))
    if parent_id:
        parent = get_object_or_404(Post.objects.filter(consultation=consultation), pk=parent_id)
    form = forms.PostForm(request.POST)
    url = reverse("consultations:consultation_detail", args=[consultation.pk]) + "#posts"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(url)
    return _act(
        request,
        lambda: services.post_create(
            actor=_actor(request),
            consultation=consultation,
            text=form.cleaned_data["text"],
            parent=parent,
            token=form.cleaned_data["token"],
        ),
        _("Your post has been published."),
        url,
    )


def _post(request: HttpRequest, pk: int, post_pk: int) -> tuple[Consultation, Post]:
    _committee, consultation = _consultation(request, pk)
    post = get_object_or_404(Post.objects.filter(consultation=consultation), pk=post_pk)
    return consultation, post


@login_required
def post_edit(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    consultation, post = _post(request, pk, post_pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    url = reverse("consultations:consultation_detail", args=[consultation.pk]) + "#posts"
    form = forms.PostEditForm(_data(request), initial={"text": post.text})
    return _form_page(
        request,
        form,
        save=lambda d: services.post_edit(actor=_actor(request), post=post, **d),
        success=lambda p: url,
        message=_("Your post has been changed."),
        title=_("Edit your post"),
        cancel_url=url,
    )


@login_required
def post_hide(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    _require(request, "consultations.manage")
    consultation, post = _post(request, pk, post_pk)
    url = reverse("consultations:consultation_detail", args=[consultation.pk]) + "#posts"
    form = forms.HideForm(_data(request))
    return _form_page(
        request,
        form,
        save=lambda d: services.post_hide(actor=_actor(request), post=post, **d),
        success=lambda p: url,
        message=_("The post has been hidden; it stays in the history."),
        title=_("Hide a post"),
        cancel_url=url,
        extra={"quote": post.text},
    )


# --- Evaluation ------------------------------------------------------------------------


@login_required
def criterion_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "consultations.manage")
    return render(
        request,
        "consultations/criterion_list.html",
        {"criteria": selectors.criteria_of(committee)},
    )


@login_required
def criterion_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    committee = _require(request, "consultations.manage")
    criterion = None
    initial: dict[str, Any] = {}
    if pk is not None:
        criterion = get_object_or_404(selectors.criteria_of(committee), pk=pk)
        initial = {
            "name": criterion.name,
            "description": criterion.description,
            "max_score": criterion.max_score,
            "order": criterion.order,
            "is_active": criterion.is_active,
        }
    form = forms.CriterionForm(_data(request), initial=initial)
    return _form_page(
        request,
        form,
        save=lambda d: services.criterion_save(
            actor=_actor(request), committee=committee, criterion=criterion, **d
        ),
        success=lambda c: reverse("consultations:criterion_list"),
        message=_("The criterion has been saved."),
        title=_("Edit criterion") if criterion else _("New criterion"),
        cancel_url=reverse("consultations:criterion_list"),
    )


@login_required
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _managed(request, pk)
    criteria = list(selectors.criteria_of(consultation.committee, active_only=True))
    initial: dict[str, Any] = {}
    evaluation = getattr(consultation, "evaluation", None)
    if evaluation is not None:
        initial = {f"c{s.criterion_id}": s.score for s in evaluation.scores.all()}
        initial["note"] = evaluation.note
    form = forms.EvaluationForm(_data(request), criteria=criteria, initial=initial)
    url = reverse("consultations:consultation_detail", args=[consultation.pk])
    return _form_page(
        request,
        form,
        save=lambda d: services.evaluation_save(
            actor=_actor(request),
            consultation=consultation,
            scores=form.scores(),  # type: ignore[attr-defined]
            note=d.get("note", ""),
        ),
        success=lambda e: url,
        message=_("The evaluation has been saved."),
        title=_("Evaluate %(title)s") % {"title": consultation.title},
        cancel_url=url,
        extra={"no_criteria": not criteria},
    )


# --- What departments and party/government receive -------------------------------------


@login_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "consultations.view_unit_inbox")
    user = _actor(request)
    today = timezone.localdate()
    outcomes = _page(request, selectors.unit_outcomes(user, committee))
    for outcome in outcomes:
        outcome.deadline_colour = (
            deadline_state(outcome.feedback_deadline, today)
            if outcome.feedback_deadline and outcome.feedback_at is None
            else ""
        )
    findings = list(selectors.unit_findings(user, committee)[:100])
    for finding in findings:
        finding.deadline_colour = (  # type: ignore[attr-defined]
            deadline_state(finding.deadline, today)
            if finding.state != Finding.State.RECTIFIED
            else ""
        )
    return render(
        request,
        "consultations/unit_inbox.html",
        {"page_obj": outcomes, "findings": findings, "Finding": Finding},
    )


@login_required
def gov_outcomes(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "consultations.view_gov_outcomes")
    return render(
        request,
        "consultations/gov_outcomes.html",
        {"page_obj": _page(request, selectors.gov_outcomes(committee))},
    )


# --- Supervision ---------------------------------------------------------------------


@login_required
def supervision_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "consultations.view_supervision")
    return render(
        request,
        "consultations/supervision_list.html",
        {
            "page_obj": _page(request, selectors.supervision_plans(committee)),
            "can_manage": request.user.has_perm("consultations.manage", committee),
        },
    )


@login_required
def supervision_plan_create(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "consultations.manage")
    form = forms.PlanForm(_data(request))
    return _form_page(
        request,
        form,
        save=lambda d: services.supervision_plan_create(
            actor=_actor(request), committee=committee, **d
        ),
        success=lambda plan: reverse("consultations:supervision_detail", args=[plan.pk]),
        message=_("The supervision plan has been drafted."),
        title=_("New supervision plan"),
        cancel_url=reverse("consultations:supervision_list"),
    )


def _splan(request: HttpRequest, pk: int, perm: str) -> tuple[Committee, SupervisionPlan]:
    committee = _require(request, perm)
    return committee, get_object_or_404(selectors.supervision_plans(committee), pk=pk)


@login_required
def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee, plan = _splan(request, pk, "consultations.view_supervision")
    return render(
        request,
        "consultations/supervision_detail.html",
        {
            "plan": plan,
            "items": selectors.supervision_items_of(plan),
            "can_manage": request.user.has_perm("consultations.manage", committee),
        },
    )


@login_required
@require_POST
def supervision_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _committee, plan = _splan(request, pk, "consultations.manage")
    return _act(
        request,
        lambda: services.supervision_plan_publish(actor=_actor(request), plan=plan),
        _("The supervision plan has been published."),
        reverse("consultations:supervision_detail", args=[plan.pk]),
    )


@login_required
def supervision_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee, plan = _splan(request, pk, "consultations.manage")
    url = reverse("consultations:supervision_detail", args=[plan.pk])
    form = forms.SupervisionItemForm(_data(request), committee=committee)
    return _form_page(
        request,
        form,
        save=lambda d: services.supervision_item_add(actor=_actor(request), plan=plan, **d),
        success=lambda item: url,
        message=_("The supervision item has been added."),
        title=_("Add an item to %(plan)s") % {"plan": plan.title},
        cancel_url=url,
    )


def _item(request: HttpRequest, pk: int) -> Any:
    committee = _require(request, "consultations.manage")
    return get_object_or_404(
        SupervisionItem.objects.filter(committee=committee).select_related("plan"), pk=pk
    )


@login_required
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    url = reverse("consultations:supervision_detail", args=[item.plan_id])
    form = forms.InspectionForm(_data(request), committee=item.committee)
    return _form_page(
        request,
        form,
        save=lambda d: services.inspection_create(actor=_actor(request), item=item, **d),
        success=lambda i: reverse("consultations:inspection_detail", args=[i.pk]),
        message=_("The inspection has been planned."),
        title=_("New inspection for %(item)s") % {"item": item.title},
        cancel_url=url,
    )


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "consultations.view_supervision")
    inspection = get_object_or_404(selectors.inspections_of(committee), pk=pk)
    return render(
        request,
        "consultations/inspection_detail.html",
        {
            "inspection": inspection,
            "participants": inspection.participants.select_related("person", "sector"),
            "findings": inspection.findings.select_related("unit"),
            "can_manage": request.user.has_perm("consultations.manage", committee),
            "report_form": forms.ReportForm(),
        },
    )


@login_required
def inspection_hold(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "consultations.manage")
    inspection = get_object_or_404(selectors.inspections_of(committee), pk=pk)
    url = reverse("consultations:inspection_detail", args=[inspection.pk])
    form = forms.ReportForm(_data(request))
    return _form_page(
        request,
        form,
        save=lambda d: services.inspection_hold(actor=_actor(request), inspection=inspection, **d),
        success=lambda i: url,
        message=_("The inspection has been recorded as held."),
        title=_("Inspection held: %(title)s") % {"title": inspection.title},
        cancel_url=url,
    )


@login_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    url = reverse("consultations:supervision_detail", args=[item.plan_id])
    form = forms.FindingForm(_data(request), item=item)
    return _form_page(
        request,
        form,
        save=lambda d: services.finding_create(actor=_actor(request), item=item, **d),
        success=lambda f: reverse("consultations:finding_detail", args=[f.pk]),
        message=_("The finding has been sent to the department."),
        title=_("New finding for %(item)s") % {"item": item.title},
        cancel_url=url,
    )


@login_required
def finding_list(request: HttpRequest) -> HttpResponseBase:
    committee = _require(request, "consultations.view_supervision")
    qs = selectors.findings_of(
        committee,
        state=request.GET.get("state", ""),
        unit=_int(request.GET.get("unit")),
        overdue=bool(request.GET.get("overdue")),
    )
    if request.GET.get("export") and request.user.has_perm("consultations.manage", committee):
        rows = (
            (f.item.title, f.unit.name, f.text, f.deadline, f.get_state_display(), f.rectification)
            for f in qs
        )
        headers = [
            _("Item"),
            _("Department"),
            _("Finding"),
            _("Rectify by"),
            _("Status"),
            _("Rectification report"),
        ]
        return _export(request, committee, _("Supervision findings"), headers, rows)
    today = timezone.localdate()
    page = _page(request, qs)
    for finding in page:
        finding.deadline_colour = (
            deadline_state(finding.deadline, today)
            if finding.state != Finding.State.RECTIFIED
            else ""
        )
    return render(
        request,
        "consultations/finding_list.html",
        {
            "page_obj": page,
            "states": Finding.State.choices,
            "can_manage": request.user.has_perm("consultations.manage", committee),
        },
    )


def _finding(request: HttpRequest, pk: int) -> tuple[Committee, Finding]:
    committee = getattr(request, "committee", None)
    if committee is None:
        raise Http404
    return committee, get_object_or_404(selectors.finding_for(_actor(request), committee), pk=pk)


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee, finding = _finding(request, pk)
    user = _actor(request)
    colour = deadline_state(finding.deadline) if finding.state != Finding.State.RECTIFIED else ""
    return render(
        request,
        "consultations/finding_detail.html",
        {
            "finding": finding,
            "colour": colour,
            "events": finding.events.select_related("actor"),
            "labels": workflow.FINDING_ACTION_LABELS,
            "can_manage": services.is_consultation_staff(user, committee),
            "may_report": finding.state == Finding.State.SENT
            and services.may_report_rectification(user, finding),
            "report_form": forms.RectificationForm(),
            "return_form": forms.ReturnForm(),
            "State": Finding.State,
        },
    )


@login_required
@require_POST
def finding_transition(request: HttpRequest, pk: int) -> HttpResponse:
    _committee, finding = _finding(request, pk)
    action = request.POST.get("action", "")
    return _act(
        request,
        lambda: services.finding_transition(
            actor=_actor(request), finding=finding, action=action, note=request.POST.get("note", "")
        ),
        _("The finding has been updated."),
        reverse("consultations:finding_detail", args=[finding.pk]),
    )
