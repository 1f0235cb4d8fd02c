"""民主监督: the year's supervision plan and its items, inspections with the
members who took part, and findings sent to departments for rectification."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.consultations import audit
from lvzhi.consultations.models import (
    Finding,
    Inspection,
    SupervisionItem,
    SupervisionPlan,
)
from lvzhi.consultations.services._common import (
    TEXT_MAX,
    TITLE_MAX,
    YearlyPlanKind,
    active_unit,
    chosen,
    clean_month,
    clean_text,
    created_event,
    current,
    in_office_member,
    locked,
    one_of,
    today,
    unit_users,
    yearly_plan_create,
)
from lvzhi.consultations.workflow import (
    FINDING_FLOW,
    INSPECTION_FLOW,
    SUPERVISION_PLAN_FLOW,
)
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.notifications import notify
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.duties.models import DutyKind
from lvzhi.duties.services import duty_record
from lvzhi.org.models import Committee, HandlingUnit, Member

SUPERVISION_PLAN = YearlyPlanKind(
    SUPERVISION_PLAN_FLOW,
    "consultations.create_supervision_plan",
    audit.SUPERVISION_PLAN_CREATE,
    gettext_lazy("The supervision plan for %(year)d exists already."),
)


def supervision_plan_create(
    *, actor: Any, committee: Committee, year: int, title: str
) -> SupervisionPlan:
    plan: SupervisionPlan = yearly_plan_create(SUPERVISION_PLAN, actor, committee, year, title)
    return plan


def supervision_plan_publish(*, actor: Any, plan: SupervisionPlan) -> SupervisionPlan:
    result: SupervisionPlan = transition(plan, "publish", actor=actor)
    return result


def supervision_item_add(
    *,
    actor: Any,
    plan: SupervisionPlan,
    title: str,
    form: str,
    month: int,
    subjects: Iterable[HandlingUnit],
    description: str = "",
) -> SupervisionItem:
    require_perm(actor, "consultations.edit_supervision_plan", plan)
    title = clean_text(title, label=_("Title"), max_length=TITLE_MAX)
    description = clean_text(description, label=_("Description"), max_length=2000, required=False)
    one_of(form, SupervisionItem.Form, _("Choose the form of supervision."))
    month = clean_month(month)
    subjects = chosen(
        subjects, plan.committee, active_unit, _("Choose at least one department to supervise.")
    )
    with transaction.atomic():
        plan = locked(SupervisionPlan, plan.pk)
        if plan.items.filter(title=title).exists():
            raise Conflict(_("The plan has an item “%(title)s” already.") % {"title": title})
        item = SupervisionItem.objects.create(
            committee=plan.committee,
            plan=plan,
            title=title,
            form=form,
            month=month,
            description=description,
        )
        item.subjects.set(subjects)
        audit_log(action=audit.SUPERVISION_ITEM_ADD, actor=actor, obj=item, plan=plan.pk)
    return item


def inspection_create(
    *,
    actor: Any,
    item: SupervisionItem,
    title: str,
    date: date,
    participants: Iterable[Member],
    place: str = "",
) -> Inspection:
    require_perm(actor, "consultations.plan_inspection", item)
    title = clean_text(title, label=_("Title"), max_length=TITLE_MAX)
    place = clean_text(place, label=_("Place"), max_length=200, required=False)
    participants = chosen(
        participants, item.committee, in_office_member, _("Choose the members taking part.")
    )
    if item.inspections.filter(title=title, date=date).exists():
        raise Conflict(_("This inspection has been recorded already."))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            committee=item.committee, item=item, title=title, date=date, place=place
        )
        inspection.participants.set(participants)
        created_event(INSPECTION_FLOW, inspection, actor)
        audit_log(action=audit.INSPECTION_CREATE, actor=actor, obj=inspection)
    return inspection


def inspection_hold(*, actor: Any, inspection: Inspection, report: str) -> Inspection:
    """The inspection took place: its report is written and every member who
    took part gets an inspection duty record."""
    require_perm(actor, "consultations.hold_inspection", inspection)
    with transaction.atomic():
        current(INSPECTION_FLOW, inspection, "hold")
        report = clean_text(report, label=_("Report"), max_length=TEXT_MAX)
        transition(inspection, "hold", actor=actor, changes={"report": report})
        for member in inspection.participants.all():
            duty_record(
                member=member,
                kind=DutyKind.INSPECTION,
                date=inspection.date,
                source=inspection,
                actor=actor,
                title=inspection.title,
            )
    return inspection


def finding_create(
    *,
    actor: Any,
    item: SupervisionItem,
    unit: HandlingUnit,
    text: str,
    deadline: date,
    inspection: Inspection | None = None,
) -> Finding:
    """A finding sent to a department with the date it must be rectified by."""
    require_perm(actor, "consultations.send_finding", item)
    active_unit(unit, item.committee)
    if inspection is not None and inspection.item_id != item.pk:
        raise ValidationFailed(_("The inspection belongs to another item."))
    text = clean_text(text, label=_("Finding"), max_length=TEXT_MAX)
    if deadline <= today():
        raise ValidationFailed(_("The rectification deadline must be in the future."))
    if Finding.objects.filter(item=item, unit=unit, text=text).exists():
        raise Conflict(_("This finding has been sent to the department already."))
    with transaction.atomic():
        finding = Finding.objects.create(
            committee=item.committee,
            item=item,
            inspection=inspection,
            unit=unit,
            text=text,
            deadline=deadline,
        )
        created_event(FINDING_FLOW, finding, actor)
        audit_log(action=audit.FINDING_CREATE, actor=actor, obj=finding, unit=unit.pk)
        notify(
            recipients=unit_users([unit.pk]),
            title=_("A supervision finding for your department"),
            body=_("Please rectify and report by %(date)s.") % {"date": deadline},
            url=reverse("consultations:unit_inbox"),
            committee=item.committee,
            dedupe_key=f"finding-{finding.pk}",
        )
    return finding


def finding_report(*, actor: Any, finding: Finding, rectification: str) -> Finding:
    """The department (or staff for it) reports how the finding was rectified."""
    require_perm(
        actor,
        "consultations.report_finding",
        finding,
        message=_("Only the department concerned or the office staff may report."),
    )
    with transaction.atomic():
        current(FINDING_FLOW, finding, "report")
        text = clean_text(rectification, label=_("Rectification report"), max_length=TEXT_MAX)
        result: Finding = transition(
            finding, "report", actor=actor, note=text[:500], changes={"rectification": text}
        )
    return result


def finding_confirm(*, actor: Any, finding: Finding, note: str = "") -> Finding:
    """Staff confirm the rectification: the finding is closed."""
    require_perm(actor, "consultations.review_finding", finding)
    note = clean_text(note, label=_("Note"), max_length=500, required=False)
    result: Finding = transition(finding, "confirm", actor=actor, note=note)
    return result


def finding_return(*, actor: Any, finding: Finding, note: str = "") -> Finding:
    """Staff return the rectification as not yet enough, saying why."""
    require_perm(actor, "consultations.review_finding", finding)
    with transaction.atomic():
        current(FINDING_FLOW, finding, "return")
        note = clean_text(note, label=_("Note"), max_length=500)
        result: Finding = transition(finding, "return", actor=actor, note=note)
    return result
