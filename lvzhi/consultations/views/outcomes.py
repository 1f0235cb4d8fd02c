"""Pages of 协商成果 and 反馈: removing a draft outcome, a department's
feedback, what departments and party/government receive, the committee's
evaluation standard and its consultation settings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.consultations import forms, selectors, services
from lvzhi.consultations.models import EvaluationCriterion
from lvzhi.consultations.settings_defs import PLENARY_SPEECH_FORMATS
from lvzhi.consultations.views.consultations import MANAGE, consultation_of, detail_url
from lvzhi.core.committee_settings import committee_settings_update, setting_value
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    list_page,
    object_for,
    posted,
    run_action,
)


@login_required
@require_POST
def outcome_remove(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    consultation = consultation_of(request, pk, MANAGE)
    outcome = object_for(request, consultation.outcomes.all(), pk=outcome_pk)
    return run_action(
        request,
        lambda: services.outcome_remove(actor=acting_user(request), outcome=outcome),
        _("The outcome has been removed."),
        detail_url(consultation),
    )


@login_required
def outcome_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request)
    user = acting_user(request)
    outcome = object_for(
        request,
        selectors.outcome_for_feedback(user, committee),
        perm="consultations.answer_outcome",
        pk=pk,
    )
    if has_perm(user, MANAGE, outcome.consultation):
        back = detail_url(outcome.consultation)
    elif outcome.recipient == outcome.Recipient.PARTY_GOVERNMENT:
        back = reverse("consultations:gov_outcomes")
    else:
        back = reverse("consultations:unit_inbox")
    form = forms.FeedbackForm(posted(request))
    return form_page(
        request,
        form,
        save=lambda d: services.outcome_feedback_give(actor=user, outcome=outcome, **d),
        success=back,
        message=_("The feedback has been recorded."),
        title=_("Feedback on outcome %(number)d of %(title)s")
        % {"number": outcome.number, "title": outcome.consultation.title},
        cancel_url=back,
        before_form="consultations/_outcome_card.html",
        outcome=outcome,
    )


@login_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.view_unit_inbox")
    user = acting_user(request)
    return list_page(
        request,
        "consultations/unit_inbox.html",
        selectors.unit_outcomes(user, committee),
        findings=selectors.unit_findings(user, committee)[:100],
    )


@login_required
def gov_outcomes(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.view_gov_outcomes")
    return list_page(request, "consultations/gov_outcomes.html", selectors.gov_outcomes(committee))


# --- The evaluation standard -------------------------------------------------------------


@login_required
def criterion_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.configure_evaluation")
    return render(
        request,
        "consultations/criterion_list.html",
        {"criteria": selectors.criteria_of(committee)},
    )


@login_required
def criterion_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    committee = committee_for(request, "consultations.configure_evaluation")
    criterion: EvaluationCriterion | None = None
    initial: dict[str, Any] = {}
    if pk is not None:
        criterion = object_for(request, selectors.criteria_of(committee), pk=pk)
        initial = model_to_dict(criterion, fields=list(forms.CriterionForm.base_fields))
    form = forms.CriterionForm(posted(request), initial=initial)
    return form_page(
        request,
        form,
        save=lambda d: services.criterion_save(
            actor=acting_user(request), committee=committee, criterion=criterion, **d
        ),
        success=reverse("consultations:criterion_list"),
        message=_("The criterion has been saved."),
        title=_("Edit criterion") if criterion else _("New criterion"),
        cancel_url=reverse("consultations:criterion_list"),
    )


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    """The committee's consultation settings; reading them writes nothing."""
    committee = committee_for(request, "consultations.configure")
    initial = {"plenary_speech_formats": setting_value(committee, PLENARY_SPEECH_FORMATS)}
    form = forms.SettingsForm(posted(request), initial=initial)
    return form_page(
        request,
        form,
        save=lambda d: committee_settings_update(
            actor=acting_user(request), committee=committee, values=form.values()
        ),
        success=reverse("consultations:settings"),
        message=_("The settings have been saved."),
        title=_("Consultation settings"),
        cancel_url=reverse("consultations:criterion_list"),
    )
