"""Pages of points, assessments and bulletins. Thin: selectors read, rules
decide, services write; another committee's object is a 404."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.duties.models import DutyProject, DutyRecord, Invitation, StudyNote
from lvzhi.org.models import Committee, Member, Sector, SpecialCommittee
from lvzhi.org.selectors import member_of_user
from lvzhi.points import forms, scoring, selectors, services
from lvzhi.points.models import Assessment, Bulletin, Grade, MemberScore, Policy

PAGE_SIZE = 25


def _require(request: HttpRequest, perm: str) -> Committee:
    committee = getattr(request, "committee", None)
    if committee is None or not request.user.has_perm(perm, committee):
        raise PermissionDenied
    return cast(Committee, committee)


def _my_member(request: HttpRequest) -> tuple[Committee, Member]:
    committee = _require(request, "points.view_own")
    member = member_of_user(request.user, committee)
    if member is None:
        raise PermissionDenied
    return committee, member


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _act(
    request: HttpRequest, action: Callable[[], Any], message: str, next_url: str
) -> HttpResponse:
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect(next_url)


def _member_year_context(committee: Committee, member: Member, year: int) -> dict[str, Any]:
    policy = scoring.active_policy(committee.pk, year)
    context: dict[str, Any] = {"member": member, "year": year, "policy": policy}
    if policy is None:
        return context
    stored = MemberScore.objects.filter(member=member, year=year).first()
    explanation = scoring.explain(policy, member)
    progress = scoring.progress_of(policy, member)
    context.update(
        {
            "explanation": explanation,
            "stored": stored,
            "rank": selectors.rank_of(stored) if stored else None,
            "progress": progress,
            "progress_done": sum(1 for p in progress if p.met),
            "progress_total": len(progress),
        }
    )
    return context


# --- Members ------------------------------------------------------------------------------


@login_required
def my_points(request: HttpRequest) -> HttpResponse:
    committee, member = _my_member(request)
    year = _year(request)
    context = _member_year_context(committee, member, year)
    context["assessment"] = Assessment.objects.filter(member=member, year=year).first()
    context["years"] = range(timezone.localdate().year, timezone.localdate().year - 3, -1)
    return render(request, "points/my_points.html", context)


@login_required
def self_report(request: HttpRequest) -> HttpResponse:
    _committee, member = _my_member(request)
    year = _year(request)
    assessment = Assessment.objects.filter(member=member, year=year).first()
    form = forms.SelfReportForm(
        request.POST if request.method == "POST" else None,
        initial={"text": assessment.self_report if assessment else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_submit_report(
                member=member, actor=request.user, year=year, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your self-report is submitted."))
            return redirect(reverse("points:my_points") + f"?year={year}")
    return render(
        request,
        "points/self_report.html",
        {"form": form, "year": year, "assessment": assessment},
        status=400 if form.errors else 200,
    )


@login_required
def duty_file_mine(request: HttpRequest) -> HttpResponse:
    committee, member = _my_member(request)
    return _duty_file(request, committee, member, _year(request))


@login_required
def duty_file(request: HttpRequest, member_pk: int) -> HttpResponse:
    committee = _require(request, "points.view_rankings")
    member = get_object_or_404(
        Member.objects.filter(committee=committee).select_related("person", "sector", "term"),
        pk=member_pk,
    )
    audit_log(action="points.duty_file_view", request=request, obj=member, committee=committee)
    return _duty_file(request, committee, member, _year(request))


def _duty_file(
    request: HttpRequest, committee: Committee, member: Member, year: int
) -> HttpResponse:
    context = _member_year_context(committee, member, year)
    context.update(
        {
            "committee": committee,
            "invitations": Invitation.objects.filter(member=member, activity__start_at__year=year)
            .select_related("activity")
            .order_by("activity__start_at"),
            "notes": StudyNote.objects.filter(member=member, date__year=year).order_by("date"),
            "projects": DutyProject.objects.filter(member=member, year=year).prefetch_related(
                "links"
            ),
            "records": DutyRecord.objects.filter(
                member=member, date__year=year, withdrawn_at__isnull=True
            ).order_by("date", "id"),
            "assessment": Assessment.objects.filter(member=member, year=year).first(),
        }
    )
    return render(request, "points/duty_file.html", context)


# --- Rankings ------------------------------------------------------------------------------


def _ranking_filters(request: HttpRequest, committee: Committee) -> dict[str, Any]:
    sector = special = None
    if request.GET.get("sector", "").isdigit():
        sector = Sector.objects.filter(committee=committee, pk=request.GET["sector"]).first()
    if request.GET.get("special_committee", "").isdigit():
        special = SpecialCommittee.objects.filter(
            committee=committee, pk=request.GET["special_committee"]
        ).first()
    grade = request.GET.get("grade", "")
    return {
        "sector": sector,
        "special_committee": special,
        "query": request.GET.get("q", ""),
        "grade": grade if grade in Grade.values else "",
    }


@login_required
def ranking(request: HttpRequest) -> HttpResponse | FileResponse:
    committee = _require(request, "points.view_rankings")
    year = _year(request)
    filters = _ranking_filters(request, committee)
    qs = selectors.ranking(committee, year, **filters)
    if request.GET.get("export") == "xlsx":
        audit_log(action="points.ranking_export", request=request, committee=committee, year=year)
        rows = (
            (
                i,
                s.member.person.name,
                s.member.sector.name if s.member.sector is not None else "",
                s.score,
                s.get_grade_display(),
            )
            for i, s in enumerate(qs.iterator(chunk_size=500), start=1)
        )
        return xlsx_response(
            f"积分排名-{year}-{today_stamp()}.xlsx",
            _("Points ranking"),
            [_("Place"), _("Member"), _("Sector"), _("Score"), _("Grade")],
            rows,
        )
    page = _page(request, qs)
    return render(
        request,
        "points/ranking.html",
        {
            "page_obj": page,
            "offset": page.start_index() - 1 if page.paginator.count else 0,
            "year": year,
            "sectors": Sector.objects.filter(committee=committee).order_by("order", "id"),
            "special_committees": SpecialCommittee.objects.filter(committee=committee).order_by(
                "order", "id"
            ),
            "grades": Grade.choices,
            "filters": filters,
            "policy": scoring.active_policy(committee.pk, year),
        },
    )


@login_required
def candidates(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "points.view_rankings")
    year = _year(request)
    policy = scoring.active_policy(committee.pk, year)
    rows = services.excellent_candidates(policy) if policy else []
    return render(request, "points/candidates.html", {"rows": rows, "year": year, "policy": policy})


# --- Policies --------------------------------------------------------------------------------


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "points.manage")
    return render(
        request,
        "points/policy_list.html",
        {
            "page_obj": _page(request, selectors.policies_of(committee)),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
@require_POST
def policy_create(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "points.manage")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        messages.error(request, _("Enter a year between 2000 and 2100."))
        return redirect("points:policy_list")
    policy = services.policy_create_default(committee=committee, year=year, actor=request.user)
    messages.success(request, _("A draft policy with the default rules is created."))
    return redirect("points:policy_edit", pk=policy.pk)


@login_required
@require_POST
def policy_copy(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "points.manage")
    policy = get_object_or_404(selectors.policy_detail(committee), pk=pk)
    new = services.policy_copy(policy=policy, actor=request.user)
    messages.success(request, _("A new draft version is created."))
    return redirect("points:policy_edit", pk=new.pk)


@login_required
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "points.manage")
    policy = get_object_or_404(selectors.policy_detail(committee), pk=pk)
    editable = policy.status == Policy.Status.DRAFT
    form = forms.PolicyForm(
        request.POST if request.method == "POST" and editable else None, policy=policy
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.policy_update(
                policy=policy, actor=request.user, data=form.service_data(), request=request
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The draft policy is saved. Check the preview before activating it.")
            )
            return redirect("points:policy_preview", pk=policy.pk)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "points/policy_edit.html",
        {"form": form, "policy": policy, "editable": editable},
        status=400 if form.errors else 200,
    )


@login_required
def policy_preview(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "points.manage")
    policy = get_object_or_404(selectors.policy_detail(committee), pk=pk)
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
            "grade_labels": dict(Grade.choices),
        },
    )


@login_required
@require_POST
def policy_activate(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "points.manage")
    policy = get_object_or_404(Policy.objects.filter(committee=committee), pk=pk)
    return _act(
        request,
        lambda: services.policy_activate(policy=policy, actor=request.user, request=request),
        _("The policy is active and every score of the year is recalculated."),
        reverse("points:policy_list"),
    )


# --- Assessments ------------------------------------------------------------------------------


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "points.manage")
    year = _year(request)
    state = request.GET.get("state", "")
    if state not in Assessment.State.values:
        state = ""
    return render(
        request,
        "points/assessment_list.html",
        {
            "page_obj": _page(request, selectors.assessments_of(committee, year, state=state)),
            "year": year,
            "state": state,
            "states": Assessment.State.choices,
        },
    )


@login_required
@require_POST
def assessment_open_all(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "points.manage")
    year = (
        _year(request)
        if request.GET.get("year")
        else int(request.POST.get("year") or timezone.localdate().year)
    )
    members = scoring.scored_members(committee.pk).values_list("pk", flat=True)
    Assessment.objects.bulk_create(
        [Assessment(committee=committee, member_id=pk, year=year) for pk in members],
        ignore_conflicts=True,
    )
    audit_log(action="points.assessment_open", request=request, committee=committee, year=year)
    messages.success(request, _("Assessments are opened for every member."))
    return redirect(reverse("points:assessment_list") + f"?year={year}")


@login_required
def assessment_review(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "points.manage")
    assessment = get_object_or_404(
        Assessment.objects.filter(committee=committee).select_related(
            "member__person", "member__sector"
        ),
        pk=pk,
    )
    form = forms.ReviewForm(
        request.POST if request.method == "POST" else None,
        initial={
            "adjustment": assessment.adjustment,
            "reason": assessment.adjustment_reason,
            "note": assessment.review_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_review(
                assessment=assessment,
                actor=request.user,
                adjustment=form.cleaned_data["adjustment"] or Decimal(0),
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The review is saved."))
            return redirect(reverse("points:assessment_list") + f"?year={assessment.year}")
    context = _member_year_context(committee, assessment.member, assessment.year)
    context.update({"form": form, "assessment": assessment})
    return render(
        request, "points/assessment_review.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def assessment_publish(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "points.manage")
    assessment = get_object_or_404(Assessment.objects.filter(committee=committee), pk=pk)
    return _act(
        request,
        lambda: services.assessment_publish(
            assessment=assessment, actor=request.user, request=request
        ),
        _("The assessment is published."),
        reverse("points:assessment_list") + f"?year={assessment.year}",
    )


# --- Bulletins ---------------------------------------------------------------------------------


@login_required
def bulletin_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "points.view_rankings")
    today = timezone.localdate()
    qs = selectors.bulletins_of(committee)
    if not request.user.has_perm("points.manage", committee):
        qs = qs.filter(state=Bulletin.State.PUBLISHED)
    return render(
        request,
        "points/bulletin_list.html",
        {
            "page_obj": _page(request, qs),
            "form": forms.BulletinGenerateForm(
                initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1}
            ),
            "can_manage": request.user.has_perm("points.manage", committee),
        },
    )


@login_required
@require_POST
def bulletin_generate(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "points.manage")
    form = forms.BulletinGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year and a quarter."))
        return redirect("points:bulletin_list")
    try:
        bulletin = services.bulletin_generate(
            committee=committee,
            year=form.cleaned_data["year"],
            quarter=form.cleaned_data["quarter"],
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("points:bulletin_list")
    messages.success(request, _("The bulletin is generated. Review it before publishing."))
    return redirect("points:bulletin_detail", pk=bulletin.pk)


def _bulletin(request: HttpRequest, pk: int) -> tuple[Committee, Bulletin]:
    committee = _require(request, "points.view_rankings")
    qs = Bulletin.objects.filter(committee=committee)
    if not request.user.has_perm("points.manage", committee):
        qs = qs.filter(state=Bulletin.State.PUBLISHED)
    return committee, get_object_or_404(qs, pk=pk)


@login_required
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee, bulletin = _bulletin(request, pk)
    return render(
        request,
        "points/bulletin_detail.html",
        {"bulletin": bulletin, "can_manage": request.user.has_perm("points.manage", committee)},
    )


@login_required
@require_POST
def bulletin_publish(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "points.manage")
    bulletin = get_object_or_404(Bulletin.objects.filter(committee=committee), pk=pk)
    return _act(
        request,
        lambda: services.bulletin_publish(
            bulletin=bulletin,
            actor=request.user,
            note=request.POST.get("note", "")[:2000],
            request=request,
        ),
        _("The bulletin is published."),
        reverse("points:bulletin_detail", args=[pk]),
    )


@login_required
def bulletin_export(request: HttpRequest, pk: int) -> FileResponse:
    committee, bulletin = _bulletin(request, pk)
    audit_log(action="points.bulletin_export", request=request, obj=bulletin, committee=committee)
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
