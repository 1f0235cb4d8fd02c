"""Pages of points, assessments and bulletins. Thin: selectors read, rules
decide, services write; another committee's object is a 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from lvzhi.core.audit import audit_log
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.core.web import (
    FIRST_YEAR,
    LAST_YEAR,
    acting_user,
    committee_for,
    form_page,
    int_param,
    list_page,
    object_for,
    posted,
    require,
    run_action,
    save_form,
    this_year,
    year_param,
)
from lvzhi.duties.models import DutyKind, DutyRecord, Invitation
from lvzhi.duties.views.common import my_member
from lvzhi.org.models import Committee, Member
from lvzhi.points import filters, forms, scheme_views, scoring, selectors, services
from lvzhi.points.models import Assessment, MemberScore, Policy


def _my_member(request: HttpRequest) -> tuple[Committee, Member]:
    return my_member(request, "points.view_own")


def _policy(request: HttpRequest, pk: int, perm: str | None = None) -> Policy:
    committee = committee_for(request, "points.manage")
    return object_for(request, selectors.policy_detail(committee), perm=perm, pk=pk)


def _assessment(request: HttpRequest, pk: int, perm: str | None = None) -> Assessment:
    committee = committee_for(request, "points.manage")
    return object_for(request, selectors.assessment_detail(committee), perm=perm, pk=pk)


def _member_year_context(
    committee: Committee, member: Member, year: int, *, explained: bool = True
) -> dict[str, Any]:
    """The year's policy, score and required duties of a member; ``explained``
    adds where every point came from and the rank (the points pages), while
    the printable duty file shows the stored score and grade, which are kept in
    step with every duty record, and saves the evaluation's queries."""
    policy = scoring.active_policy(committee.pk, year)
    context: dict[str, Any] = {"member": member, "year": year, "policy": policy}
    if policy is None:
        return context
    progress = scoring.progress_of(policy, member)
    context.update(
        {
            "progress": progress,
            "progress_done": sum(1 for p in progress if p.met),
            "progress_total": len(progress),
        }
    )
    if not explained:
        context["stored"] = MemberScore.objects.filter(member=member, year=year).first()
        return context
    stored = selectors.score_with_rank(member, year)
    context.update(
        {
            "explanation": scoring.explain(policy, member),
            "stored": stored,
            "rank": stored.higher + 1 if stored else None,  # type: ignore[attr-defined]
        }
    )
    return context


# --- Members ------------------------------------------------------------------------------


@login_required
def my_points(request: HttpRequest) -> HttpResponse:
    committee, member = _my_member(request)
    year = year_param(request, this_year())
    context = _member_year_context(committee, member, year)
    context["assessment"] = Assessment.objects.filter(member=member, year=year).first()
    context["years"] = range(this_year(), this_year() - 3, -1)
    return render(request, "points/my_points.html", context)


@login_required
def self_report(request: HttpRequest) -> HttpResponse:
    _committee, member = _my_member(request)
    year = year_param(request, this_year())
    assessment = Assessment.objects.filter(member=member, year=year).first()
    return form_page(
        request,
        forms.SelfReportForm(
            posted(request), initial={"text": assessment.self_report if assessment else ""}
        ),
        title=_("My annual self-report"),
        cancel_url=reverse("points:my_points") + f"?year={year}",
        save=lambda data: services.assessment_submit_report(
            member=member, actor=acting_user(request), year=year, text=data["text"]
        ),
        message=_("Your self-report is submitted."),
        template="points/self_report.html",
        year=year,
        assessment=assessment,
    )


@login_required
def duty_file_mine(request: HttpRequest) -> HttpResponse:
    committee, member = _my_member(request)
    return _duty_file(request, committee, member, year_param(request, this_year()))


@login_required
def duty_file(request: HttpRequest, member_pk: int) -> HttpResponse:
    committee = committee_for(request, "points.view_rankings")
    year = year_param(request, this_year())
    member = object_for(
        request,
        selectors.duty_file_members(committee, year),
        perm="points.view_duty_file",
        pk=member_pk,
    )
    audit_log(action="points.duty_file_view", obj=member, committee=committee)
    return _duty_file(request, committee, member, year)


def _duty_file(
    request: HttpRequest, committee: Committee, member: Member, year: int
) -> HttpResponse:
    """The printable file: the stored score and grade (kept in step with every
    duty record), the required duties counted off the year's records, which
    are listed anyway, and the score and assessment joined to the member
    (selectors.duty_file_members)."""
    if getattr(member, "duty_file_year", None) != year:
        member = selectors.duty_file_members(committee, year).get(pk=member.pk)
    records = list(
        DutyRecord.objects.filter(
            member=member, date__year=year, withdrawn_at__isnull=True
        ).order_by("date", "id")
    )
    requirements = selectors.active_requirements(committee, year)
    context = {
        "committee": committee,
        "member": member,
        "year": year,
        "requirement_set": requirements[0].requirement_set if requirements else None,
        "progress": scoring.progress_in(requirements, records),
        # (A join that found no row leaves its attribute unset.)
        "stored": getattr(member, "year_score", None),
        "assessment": getattr(member, "year_assessment", None),
        "invitations": Invitation.objects.filter(member=member, activity__start_at__year=year)
        .select_related("activity")
        .order_by("activity__start_at"),
        # Every study note has its live record (same title and date), so the
        # notes are read off the records instead of a query of their own.
        "notes": [r for r in records if r.kind == DutyKind.STUDY_NOTE],
        "projects": selectors.projects_with_links(member, year),
        "records": records,
    }
    return render(request, "points/duty_file.html", context)


# --- Rankings ------------------------------------------------------------------------------


@login_required
def ranking(request: HttpRequest) -> HttpResponse | FileResponse:
    committee = committee_for(request, "points.view_rankings")
    year = year_param(request, this_year())
    ranking_filter = filters.RankingFilter(
        request.GET, queryset=selectors.ranking(committee, year), committee=committee
    )
    qs = ranking_filter.qs
    if request.GET.get("export") == "xlsx":
        audit_log(action="points.ranking_export", committee=committee, year=year)
        rows = (
            (
                i,
                s.member.person.name,
                s.member.sector.name if s.member.sector is not None else "",
                s.score,
                s.grade_label or s.get_grade_display(),
            )
            for i, s in enumerate(qs.iterator(chunk_size=500), start=1)
        )
        return xlsx_response(
            f"积分排名-{year}-{today_stamp()}.xlsx",
            _("Points ranking"),
            [pgettext("rank", "Place"), _("Member"), _("Sector"), _("Score"), _("Grade")],
            rows,
        )
    return list_page(
        request,
        "points/ranking.html",
        ranking_filter,
        year=year,
        policy=scoring.active_policy(committee.pk, year),
    )


@login_required
def candidates(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "points.view_rankings")
    year = year_param(request, this_year())
    policy = scoring.active_policy(committee.pk, year)
    rows = services.excellent_candidates(policy) if policy else []
    return render(request, "points/candidates.html", {"rows": rows, "year": year, "policy": policy})


# --- Policies --------------------------------------------------------------------------------


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "points.manage")
    return list_page(
        request, "points/policy_list.html", selectors.policies_of(committee), this_year=this_year()
    )


@login_required
@require_POST
def policy_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "points.manage")
    year = int_param(request.POST.get("year")) or 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        messages.error(request, _("Enter a year between 2000 and 2100."))
        return redirect("points:policy_list")
    policy = services.policy_create_default(
        committee=committee, year=year, actor=acting_user(request)
    )
    messages.success(request, _("A draft policy with the default rules is created."))
    return redirect("points:policy_edit", pk=policy.pk)


@login_required
@require_POST
def policy_copy(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request, pk, "points.copy_policy")
    new = services.policy_copy(policy=policy, actor=acting_user(request))
    messages.success(request, _("A new draft version is created."))
    return redirect("points:policy_edit", pk=new.pk)


@login_required
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request, pk)
    if policy.scheme:
        return scheme_views.scheme_edit(request, policy)
    return scheme_views.draft_page(
        request,
        policy,
        lambda data: forms.PolicyForm(data, policy=policy),
        lambda form, _data: services.policy_update(
            policy=policy, actor=acting_user(request), data=form.service_data()
        ),
        "points/policy_edit.html",
    )


@login_required
def policy_preview(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request, pk)
    rows = scoring.preview(policy)
    changed = [r for r in rows if r["changed"]]
    return render(
        request,
        "points/policy_preview.html",
        {
            "policy": policy,
            "page_obj": Paginator(changed, 50).get_page(request.GET.get("page")),
            "changed_count": len(changed),
            "total": len(rows),
        },
    )


@login_required
@require_POST
def policy_activate(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request, pk)
    return run_action(
        request,
        lambda: services.policy_activate(policy=policy, actor=acting_user(request)),
        _("The policy is active and every score of the year is recalculated."),
        reverse("points:policy_list"),
    )


# --- Assessments ------------------------------------------------------------------------------


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "points.manage")
    year = year_param(request, this_year())
    return list_page(
        request,
        "points/assessment_list.html",
        filters.AssessmentFilter(
            request.GET, queryset=selectors.assessments_of(committee, year), committee=committee
        ),
        year=year,
    )


@login_required
@require_POST
def assessment_open_all(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "points.manage")
    year = (
        year_param(request, this_year())
        if request.GET.get("year")
        else int_param(request.POST.get("year")) or this_year()
    )
    return run_action(
        request,
        lambda: services.assessments_open(
            committee=committee, year=year, actor=acting_user(request)
        ),
        _("Assessments are opened for every member."),
        reverse("points:assessment_list") + f"?year={year}",
    )


@login_required
def assessment_review(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk, "points.review_assessment")
    form = forms.ReviewForm(
        posted(request),
        initial={
            "adjustment": assessment.adjustment,
            "reason": assessment.adjustment_reason,
            "note": assessment.review_note,
        },
    )
    return form_page(
        request,
        form,
        title=_("Review: %(name)s (%(year)s)")
        % {"name": assessment.member.person.name, "year": assessment.year},
        cancel_url=reverse("points:assessment_list") + f"?year={assessment.year}",
        save=lambda data: services.assessment_review(
            assessment=assessment,
            actor=acting_user(request),
            adjustment=data["adjustment"] or Decimal(0),
            reason=data["reason"],
            note=data["note"],
        ),
        message=_("The review is saved."),
        before_form="points/_assessment_review_head.html",
        submit_label=_("Save the review"),
        cancel_label=_("Back"),
        assessment=assessment,
        **_member_year_context(committee_for(request), assessment.member, assessment.year),
    )


@login_required
@require_POST
def assessment_publish(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    return run_action(
        request,
        lambda: services.assessment_publish(assessment=assessment, actor=acting_user(request)),
        _("The assessment is published."),
        reverse("points:assessment_list") + f"?year={assessment.year}",
    )


# --- Bulletins ---------------------------------------------------------------------------------


@login_required
def bulletin_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "points.view_rankings")
    today = timezone.localdate()
    return list_page(
        request,
        "points/bulletin_list.html",
        selectors.bulletins_for(committee, request.user),
        form=forms.BulletinGenerateForm(
            initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1}
        ),
    )


@login_required
@require_POST
def bulletin_generate(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "points.generate_bulletin")
    form = forms.BulletinGenerateForm(request.POST)
    bulletin = save_form(
        request,
        form,
        lambda data: services.bulletin_generate(
            committee=committee, actor=acting_user(request), **data
        ),
        _("The bulletin is generated. Review it before publishing."),
    )
    if bulletin is None:
        # The list page has the form; the reason goes back there as a message.
        for error in form.non_field_errors() or [_("Choose a year and a quarter.")]:
            messages.error(request, str(error))
        return redirect("points:bulletin_list")
    return redirect("points:bulletin_detail", pk=bulletin.pk)


def _bulletin(request: HttpRequest, pk: int) -> Any:
    committee = committee_for(request, "points.view_rankings")
    return object_for(
        request, selectors.bulletins_of(committee), perm="points.view_bulletin", pk=pk
    )


@login_required
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "points/bulletin_detail.html", {"bulletin": _bulletin(request, pk)})


@login_required
@require_POST
def bulletin_publish(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    require(request, "points.publish_bulletin", bulletin)
    return run_action(
        request,
        lambda: services.bulletin_publish(
            bulletin=bulletin, actor=acting_user(request), note=request.POST.get("note", "")[:2000]
        ),
        _("The bulletin is published."),
        reverse("points:bulletin_detail", args=[pk]),
    )


@login_required
def bulletin_export(request: HttpRequest, pk: int) -> FileResponse:
    bulletin = _bulletin(request, pk)
    audit_log(action="points.bulletin_export", obj=bulletin)
    rows = []
    for s in bulletin.data.get("sectors", []):
        unmet = "；".join(f"{u['name']}（{'、'.join(u['unmet'])}）" for u in s["unmet"])
        rows.append(
            [
                s["sector"],
                s["members"],
                s["active_members"],
                s["records"],
                s["invited"],
                s["attended"],
                s["attendance_rate"],
                s["average_score"],
                unmet,
            ]
        )
    return xlsx_response(
        f"季度通报-{bulletin.year}Q{bulletin.quarter}.xlsx",
        _("Quarterly bulletin"),
        [
            _("Sector"),
            _("Members"),
            _("Members with duties this quarter"),
            _("Duty records"),
            _("Invitations"),
            _("Attended"),
            _("Attendance rate (%)"),
            _("Average score"),
            _("Members short of the required duties"),
        ],
        rows,
    )
