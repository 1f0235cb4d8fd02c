"""Pages of 协商活动: the list, a new consultation, its page with the next
steps, and the records of its preparation, people and speeches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lvzhi.consultations import forms, selectors, services
from lvzhi.consultations.filters import ConsultationFilter
from lvzhi.consultations.models import Consultation, PlanItem
from lvzhi.consultations.services import edits
from lvzhi.consultations.views._common import (
    Column,
    flash_form_errors,
    list_or_export,
    visible,
)
from lvzhi.consultations.workflow import (
    BEFORE_OUTCOMES,
    CONSULTATION_FLOW,
    CONSULTATION_STAGES,
    EVALUATION_STATES,
    SPEECH_STATES,
    event_labels,
)
from lvzhi.core.calendar import DeadlineState
from lvzhi.core.corrections import corrections_of
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    int_param,
    object_for,
    posted,
    require,
    run_action,
)

MANAGE = "consultations.manage_consultation"
CONSULTATION_COLUMNS: list[Column] = [
    (gettext_lazy("Year"), lambda c: c.year),
    (gettext_lazy("Title"), lambda c: c.title),
    (gettext_lazy("Format"), lambda c: c.get_format_display()),
    (gettext_lazy("Stage"), lambda c: c.get_state_display()),
    (gettext_lazy("Meeting date"), lambda c: c.meeting_date),
    (
        gettext_lazy("First convener"),
        lambda c: c.first_convener.person.name if c.first_convener else "",
    ),
    (gettext_lazy("Department"), lambda c: c.department.name if c.department else ""),
    (gettext_lazy("Outcomes"), lambda c: c.outcome_count),
    (gettext_lazy("Overdue feedback"), lambda c: c.overdue_count),
]


def consultation_of(request: HttpRequest, pk: int, perm: str | None = None) -> Consultation:
    """A consultation the user may see (else 404), and may ``perm`` (else 403)."""
    consultation = visible(
        request, selectors.consultation_detail, pk, perm="consultations.view_consultation"
    )
    if perm is not None:
        require(request, perm, consultation)
    return consultation


def detail_url(consultation: Consultation, anchor: str = "") -> str:
    return reverse("consultations:consultation_detail", args=[consultation.pk]) + anchor


@login_required
def consultation_list(request: HttpRequest) -> HttpResponseBase:
    committee = committee_for(request, "consultations.view_section")
    user = acting_user(request)
    consultations = ConsultationFilter(
        request.GET, queryset=selectors.consultation_list(user, committee), committee=committee
    )
    return list_or_export(
        request,
        committee,
        "consultations/consultation_list.html",
        consultations,
        name=_("Consultations"),
        columns=CONSULTATION_COLUMNS,
        may_create=has_perm(user, "consultations.create_consultation", committee),
    )


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.create_consultation")
    user = acting_user(request)
    initial: dict[str, Any] = {}
    plan_item_id = int_param(request.GET.get("plan_item"))
    if plan_item_id:
        item = object_for(
            request,
            PlanItem.objects.filter(committee=committee).select_related("topic", "plan"),
            pk=plan_item_id,
        )
        initial = {
            "plan_item": item.pk,
            "title": item.topic.title,
            "format": item.format,
            "year": item.plan.year,
        }
    form = forms.ConsultationForm(posted(request), committee=committee, initial=initial)
    return form_page(
        request,
        form,
        save=lambda d: services.consultation_create(actor=user, committee=committee, **d),
        success=lambda c: detail_url(c),
        message=_("The consultation has been created."),
        title=_("New consultation"),
        cancel_url=reverse("consultations:consultation_list"),
    )


@login_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff change a consultation after creation; past its first step the
    change is a correction (reason, original kept and shown)."""
    consultation = consultation_of(request, pk, perm=MANAGE)
    draft = edits.consultation_in_draft(consultation)
    return form_page(
        request,
        forms.ConsultationEditForm(posted(request), consultation=consultation),
        save=lambda d: services.consultation_update(
            actor=acting_user(request),
            consultation=consultation,
            data=d,
            reason=d.get("reason", ""),
        ),
        success=lambda c: detail_url(c),
        message=_("The consultation is saved.") if draft else _("The correction is recorded."),
        title=_("Change the consultation: %(title)s") % {"title": consultation.title},
        cancel_url=detail_url(consultation),
        intro=""
        if draft
        else _("It has moved past its first step: give the reason; the original values are kept."),
        before_form="core/_corrections.html",
        corrections=corrections_of(consultation),
    )


def _steps(consultation: Consultation, user: Any) -> list[dict[str, Any]]:
    """The next steps the user may take, each with the small form it needs."""
    steps = []
    for action, row in CONSULTATION_FLOW.actions_for(consultation, user).items():
        form_class = forms.STEP_FORMS.get(action)
        if form_class is None:
            continue  # logged in place by another use case (feedback, moderation)
        steps.append(
            {
                "action": action,
                "label": row.label,
                "style": row.style,
                "form": form_class(consultation=consultation, auto_id=f"step-{action}-%s"),
            }
        )
    return steps


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_of(request, pk)
    user = acting_user(request)
    may_manage = has_perm(user, MANAGE, consultation)
    outcomes = list(selectors.outcomes_of(consultation))
    overdue = [o for o in outcomes if o.deadline_colour == DeadlineState.RED]
    reached = [str(s) for s in CONSULTATION_STAGES].index(consultation.state)
    state = consultation.state
    context: dict[str, Any] = {
        "consultation": consultation,
        "stages": [
            {"label": Consultation.State(s).label, "done": i < reached, "current": i == reached}
            for i, s in enumerate(CONSULTATION_STAGES)
        ],
        "events": consultation.events.select_related("actor"),
        "labels": event_labels(CONSULTATION_FLOW),
        "preparations": consultation.preparations.all(),
        "participants": selectors.participants_of(consultation),
        "speeches": consultation.speeches.select_related("speaker"),
        "outcomes": outcomes,
        "overdue": overdue,
        "can_manage": may_manage,
        "corrections": corrections_of(consultation),
        "steps": _steps(consultation, user),
        "may_prepare": may_manage and state in BEFORE_OUTCOMES,
        "may_record_speech": may_manage and state in SPEECH_STATES,
        "may_write_outcomes": may_manage and state == Consultation.State.OUTCOMES,
        "may_evaluate": has_perm(user, "consultations.evaluate_consultation", consultation)
        and state in EVALUATION_STATES,
    }
    if consultation.is_online:
        window = selectors.online_window_state(consultation)
        context.update(
            {
                "posts": selectors.posts_of(consultation),
                "window_open": window == selectors.OPEN,
                "window_not_open": window == selectors.NOT_OPEN,
                "may_post": window == selectors.OPEN
                and has_perm(user, "consultations.post_in_consultation", consultation),
                "may_moderate": has_perm(user, "consultations.moderate_consultation", consultation),
                "post_form": forms.PostForm(),
            }
        )
    if may_manage:
        evaluation = getattr(consultation, "evaluation", None)
        context["evaluation"] = evaluation
        if evaluation is not None:
            context["scores"] = evaluation.scores.all()
    return render(request, "consultations/consultation_detail.html", context)


STEPS: dict[str, Callable[..., Any]] = {
    "prepare": services.consultation_prepare,
    "convene": services.consultation_convene,
    "hold": services.consultation_hold,
    "send": services.consultation_send,
    "review": services.consultation_review,
    "close": services.consultation_close,
}


@login_required
@require_POST
def consultation_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """One next step's button; the step's service checks its permission."""
    consultation = consultation_of(request, pk, MANAGE)
    action = request.POST.get("action", "")
    step = STEPS.get(action)
    if step is None:
        raise PermissionDenied
    form = forms.STEP_FORMS[action](request.POST, consultation=consultation)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect(detail_url(consultation))
    return run_action(
        request,
        lambda: step(actor=acting_user(request), consultation=consultation, **form.cleaned_data),
        _("The consultation has moved on."),
        detail_url(consultation),
    )


def _record_page(
    form_class: type[forms.OfConsultation], service: Callable[..., Any]
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The page adding one record to a consultation (its preparation, a
    participant, a speech, an outcome) through ``service``."""

    @login_required
    def page(request: HttpRequest, pk: int) -> HttpResponse:
        consultation = consultation_of(request, pk, MANAGE)
        url = detail_url(consultation)
        return form_page(
            request,
            form_class(posted(request), consultation=consultation),
            save=lambda d: service(actor=acting_user(request), consultation=consultation, **d),
            success=url,
            message=str(form_class.saved),
            title=f"{form_class.page_title} · {consultation.title}",
            cancel_url=url,
        )

    return page


preparation_add = _record_page(forms.PreparationForm, services.preparation_add)
participant_add = _record_page(forms.ParticipantForm, services.participant_add)
speech_add = _record_page(forms.SpeechForm, services.speech_record)
outcome_add = _record_page(forms.OutcomeForm, services.outcome_add)


@login_required
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_of(request, pk, "consultations.evaluate_consultation")
    criteria = list(selectors.criteria_of(consultation.committee, active_only=True))
    initial: dict[str, Any] = {}
    evaluation = getattr(consultation, "evaluation", None)
    if evaluation is not None:
        initial = {f"c{s.criterion_id}": s.score for s in evaluation.scores.all()}
        initial["note"] = evaluation.note
    form = forms.EvaluationForm(posted(request), criteria=criteria, initial=initial)
    url = detail_url(consultation)
    return form_page(
        request,
        form,
        save=lambda d: services.evaluation_save(
            actor=acting_user(request),
            consultation=consultation,
            scores=form.scores(),
            note=d.get("note", ""),
        ),
        success=url,
        message=_("The evaluation has been saved."),
        title=_("Evaluate %(title)s") % {"title": consultation.title},
        cancel_url=url,
        before_form=None if criteria else "consultations/_no_criteria.html",
    )
