"""Pages of 民主监督: supervision plans and items, inspections, and findings
with their rectification."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lvzhi.consultations import forms, selectors, services
from lvzhi.consultations.filters import FindingFilter
from lvzhi.consultations.models import Finding, SupervisionItem, SupervisionPlan
from lvzhi.consultations.views._common import (
    Column,
    list_or_export,
    run_step,
    visible,
)
from lvzhi.consultations.workflow import FINDING_FLOW, event_labels
from lvzhi.core.calendar import DeadlineState
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

FINDING_COLUMNS: list[Column] = [
    (gettext_lazy("Item"), lambda f: f.item.title),
    (gettext_lazy("Department"), lambda f: f.unit.name),
    (gettext_lazy("Finding"), lambda f: f.text),
    (gettext_lazy("Rectify by"), lambda f: f.deadline),
    (gettext_lazy("Status"), lambda f: f.get_state_display()),
    (gettext_lazy("Rectification report"), lambda f: f.rectification),
]


@login_required
def supervision_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.view_supervision")
    return list_page(
        request, "consultations/supervision_list.html", selectors.supervision_plans(committee)
    )


@login_required
def supervision_plan_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "consultations.create_supervision_plan")
    form = forms.PlanForm(posted(request))
    return form_page(
        request,
        form,
        save=lambda d: services.supervision_plan_create(
            actor=acting_user(request), committee=committee, **d
        ),
        success=lambda plan: reverse("consultations:supervision_detail", args=[plan.pk]),
        message=_("The supervision plan has been drafted."),
        title=_("New supervision plan"),
        cancel_url=reverse("consultations:supervision_list"),
    )


def _splan(request: HttpRequest, pk: int, perm: str | None = None) -> SupervisionPlan:
    committee = committee_for(request, "consultations.view_supervision")
    plan = object_for(request, selectors.supervision_plans(committee), pk=pk)
    if perm is not None:
        require(request, perm, plan)
    return plan


@login_required
def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _splan(request, pk)
    return render(
        request,
        "consultations/supervision_detail.html",
        {"plan": plan, "items": selectors.supervision_items_of(plan)},
    )


@login_required
@require_POST
def supervision_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _splan(request, pk, "consultations.publish_supervision_plan")
    return run_action(
        request,
        lambda: services.supervision_plan_publish(actor=acting_user(request), plan=plan),
        _("The supervision plan has been published."),
        reverse("consultations:supervision_detail", args=[plan.pk]),
    )


@login_required
def supervision_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _splan(request, pk, "consultations.edit_supervision_plan")
    url = reverse("consultations:supervision_detail", args=[plan.pk])
    form = forms.SupervisionItemForm(posted(request), committee=plan.committee)
    return form_page(
        request,
        form,
        save=lambda d: services.supervision_item_add(actor=acting_user(request), plan=plan, **d),
        success=url,
        message=_("The supervision item has been added."),
        title=_("Add an item to %(plan)s") % {"plan": plan.title},
        cancel_url=url,
    )


def _item(request: HttpRequest, pk: int, perm: str) -> SupervisionItem:
    committee = committee_for(request, "consultations.view_supervision")
    item = object_for(
        request,
        SupervisionItem.objects.filter(committee=committee).select_related("plan"),
        pk=pk,
    )
    require(request, perm, item)
    return item


def _item_record_page(
    perm: str, form_class: type[forms.OfItem], service: Callable[..., Any], detail: str
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The page adding an inspection or a finding to a supervision item
    through ``service``; then the new record's page (URL name ``detail``)."""

    @login_required
    def page(request: HttpRequest, pk: int) -> HttpResponse:
        item = _item(request, pk, perm)
        return form_page(
            request,
            form_class(posted(request), item=item),
            save=lambda d: service(actor=acting_user(request), item=item, **d),
            success=lambda row: reverse(detail, args=[row.pk]),
            message=str(form_class.saved),
            title=str(form_class.page_title) % {"item": item.title},
            cancel_url=reverse("consultations:supervision_detail", args=[item.plan_id]),
        )

    return page


inspection_create = _item_record_page(
    "consultations.plan_inspection",
    forms.InspectionForm,
    services.inspection_create,
    "consultations:inspection_detail",
)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "consultations.view_supervision")
    inspection = object_for(request, selectors.inspections_of(committee), pk=pk)
    return render(
        request,
        "consultations/inspection_detail.html",
        {
            "inspection": inspection,
            "participants": inspection.participants.select_related("person", "sector"),
            "findings": inspection.findings.select_related("unit"),
        },
    )


@login_required
def inspection_hold(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "consultations.view_supervision")
    inspection = object_for(
        request, selectors.inspections_of(committee), perm="consultations.hold_inspection", pk=pk
    )
    url = reverse("consultations:inspection_detail", args=[inspection.pk])
    user = acting_user(request)
    form = forms.ReportForm(posted(request))
    return form_page(
        request,
        form,
        save=lambda d: services.inspection_hold(actor=user, inspection=inspection, **d),
        success=url,
        message=_("The inspection has been recorded as held."),
        title=_("Inspection held: %(title)s") % {"title": inspection.title},
        cancel_url=url,
    )


finding_create = _item_record_page(
    "consultations.send_finding",
    forms.FindingForm,
    services.finding_create,
    "consultations:finding_detail",
)


@login_required
def finding_list(request: HttpRequest) -> HttpResponseBase:
    committee = committee_for(request, "consultations.view_supervision")
    findings = FindingFilter(
        request.GET, queryset=selectors.findings_of(committee), committee=committee
    )
    return list_or_export(
        request,
        committee,
        "consultations/finding_list.html",
        findings,
        name=_("Supervision findings"),
        columns=FINDING_COLUMNS,
    )


def _finding(request: HttpRequest, pk: int) -> Finding:
    return visible(request, selectors.finding_for, pk, perm="consultations.view_finding")


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    colour = finding.deadline_colour
    return render(
        request,
        "consultations/finding_detail.html",
        {
            "finding": finding,
            "open": bool(colour),
            "overdue": colour == DeadlineState.RED,
            "events": finding.events.select_related("actor"),
            "labels": event_labels(FINDING_FLOW),
            "report_form": forms.RectificationForm(),
        },
    )


FINDING_STEPS: dict[str, Callable[..., Any]] = {
    "report": lambda actor, finding, note: services.finding_report(
        actor=actor, finding=finding, rectification=note
    ),
    "confirm": services.finding_confirm,
    "return": services.finding_return,
}


@login_required
@require_POST
def finding_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """A button of the finding's state table; the step's service checks its permission."""
    finding = _finding(request, pk)
    return run_step(
        request,
        FINDING_STEPS,
        _("The finding has been updated."),
        reverse("consultations:finding_detail", args=[finding.pk]),
        finding=finding,
    )
