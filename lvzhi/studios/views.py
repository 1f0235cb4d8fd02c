"""Pages of the studios app: studios and their work, star ratings, stations,
and the sector rotation. Thin: selectors read, rules decide, services write."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import xlsx_response
from lvzhi.org.models import Committee, Member, Sector
from lvzhi.org.selectors import eligible_members, member_of_user
from lvzhi.studios import forms, selectors, services
from lvzhi.studios.models import DutyWeek, RoundTableLead, StarPolicy, StarRating, StationLeader

PAGE_SIZE = 25


def _require(request: HttpRequest, perm: str, obj: Any = None) -> Committee:
    committee = getattr(request, "committee", None)
    if committee is None or not request.user.has_perm(perm, obj if obj is not None else committee):
        raise PermissionDenied
    return cast(Committee, committee)


def _committee(request: HttpRequest, perm: str) -> Committee:
    return _require(request, perm)


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _to_year(url_name: str, year: int) -> HttpResponse:
    return redirect(f"{reverse(url_name)}?year={year}")


def _year(request: HttpRequest, default: int) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


# --- Studios -------------------------------------------------------------------------------


@login_required
def studio_list(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "studios.view")
    year = _year(request, timezone.localdate().year)
    page = _page(request, selectors.studios_overview(committee, year))
    for studio in page.object_list:
        by_year = {r.year: r for r in studio.recent_ratings}
        studio.rating_now = by_year.get(year)
        studio.rating_last = by_year.get(year - 1)
    return render(
        request,
        "studios/studio_list.html",
        {
            "page_obj": page,
            "year": year,
            "can_rate": request.user.has_perm("studios.view_ratings", committee),
        },
    )


@login_required
def studio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "studios.view")
    studio = get_object_or_404(selectors.studio_of(committee), pk=pk)
    return render(
        request,
        "studios/studio_detail.html",
        {
            "studio": studio,
            "page_obj": _page(request, selectors.activities_of(committee, studio=studio)),
            "ratings": StarRating.objects.filter(studio=studio).order_by("-year")[:5],
            "can_record": request.user.has_perm("studios.record_activity", studio),
            "project_type": ContentType.objects.get_for_model(services.ServiceProject).pk,
        },
    )


@login_required
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "studios.view")
    studio = get_object_or_404(selectors.studio_of(committee), pk=pk)
    _require(request, "studios.record_activity", studio)
    form = forms.ServiceProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_project_create(studio=studio, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(
        request,
        "studios/form.html",
        {"form": form, "title": _("New service project"), "back": studio},
    )


def _activity(
    request: HttpRequest, owner: Any, *, studio: Any = None, station: Any = None
) -> HttpResponse:
    committee = _require(request, "studios.record_activity", owner)
    projects = (
        services.ServiceProject.objects.filter(studio=studio, status="active")
        if studio is not None
        else None
    )
    members = owner.members.select_related("person")
    form = forms.ActivityForm(request.POST or None, projects=projects, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_record(
                committee=committee,
                studio=studio,
                station=station,
                kind=data["kind"],
                day=data["day"],
                title=data["title"],
                project=data.get("project"),
                note=data["note"],
                people_served=data["people_served"] or 0,
                participants=data["participants"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Activity recorded."))
            if studio is not None:
                return redirect("studios:studio_detail", pk=studio.pk)
            return redirect("studios:station_detail", pk=station.pk)
    return render(
        request,
        "studios/form.html",
        {"form": form, "title": _("Record an activity"), "back": owner},
    )


@login_required
def studio_activity(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "studios.view")
    studio = get_object_or_404(selectors.studio_of(committee), pk=pk)
    return _activity(request, studio, studio=studio)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "studios.view")
    project = get_object_or_404(selectors.projects_of(committee), pk=pk)
    return render(
        request,
        "studios/project_detail.html",
        {
            "project": project,
            "activities": project.activities.order_by("-date")[:50],
            "project_type": ContentType.objects.get_for_model(project).pk,
        },
    )


# --- Star ratings ----------------------------------------------------------------------------


@login_required
def rating_list(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "studios.view_ratings")
    year = _year(request, timezone.localdate().year - 1)
    can_rate = request.user.has_perm("studios.rate", committee)
    if request.method == "POST":
        if not can_rate:
            raise PermissionDenied
        services.star_ratings_compute(committee=committee, year=year, actor=request.user)
        messages.success(request, _("Star ratings computed from the data."))
        return _to_year("studios:rating_list", year)
    policy = StarPolicy.objects.filter(committee=committee).first() or StarPolicy(
        committee=committee
    )
    return render(
        request,
        "studios/rating_list.html",
        {
            "page_obj": _page(request, selectors.ratings_of(committee, year)),
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            "can_rate": can_rate,
            "policy": policy,
        },
    )


@login_required
def rating_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "studios.rate")
    row = get_object_or_404(
        StarRating.objects.filter(committee=committee).select_related("studio"), pk=pk
    )
    form = forms.AdjustForm(request.POST or None, initial={"stars": row.stars})
    if request.method == "POST" and form.is_valid():
        try:
            services.star_rating_adjust(rating_row=row, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _to_year("studios:rating_list", row.year)
    return render(
        request,
        "studios/form.html",
        {"form": form, "title": _("Adjust the stars of %(studio)s") % {"studio": row.studio}},
    )


@login_required
def policy_edit(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "studios.rate")
    policy = services.star_policy_of(committee)
    form = forms.PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit_log(action="studios.policy_update", request=request, obj=policy)
        messages.success(request, _("Criteria saved."))
        return redirect("studios:rating_list")
    return render(request, "studios/form.html", {"form": form, "title": _("Star rating criteria")})


# --- Stations --------------------------------------------------------------------------------


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "studios.view")
    return render(
        request,
        "studios/station_list.html",
        {"page_obj": _page(request, selectors.stations_overview(committee))},
    )


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "studios.view")
    station = get_object_or_404(selectors.station_of(committee), pk=pk)
    can_manage = request.user.has_perm("studios.assign_station_members", committee)
    return render(
        request,
        "studios/station_detail.html",
        {
            "station": station,
            "page_obj": _page(request, selectors.activities_of(committee, station=station)),
            "can_record": request.user.has_perm("studios.record_activity", station),
            "can_manage": can_manage,
            "leader_form": forms.LeaderForm(members=eligible_members(committee))
            if can_manage
            else None,
        },
    )


@login_required
def station_activity(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "studios.view")
    station = get_object_or_404(selectors.station_of(committee), pk=pk)
    return _activity(request, station, station=station)


@login_required
@require_POST
def station_leader_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "studios.assign_station_members")
    station = get_object_or_404(selectors.station_of(committee), pk=pk)
    form = forms.LeaderForm(request.POST, members=eligible_members(committee))
    if form.is_valid():
        try:
            services.station_leader_add(station=station, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose a leader."))
    return redirect("studios:station_detail", pk=station.pk)


@login_required
@require_POST
def station_leader_remove(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "studios.assign_station_members")
    leader = get_object_or_404(StationLeader.objects.filter(committee=committee), pk=pk)
    services.station_leader_remove(leader=leader, actor=request.user)
    return redirect("studios:station_detail", pk=leader.station_id)


@login_required
def station_members(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign members by proximity: each member's area, those near the station first."""
    committee = _committee(request, "studios.assign_station_members")
    station = get_object_or_404(selectors.station_of(committee), pk=pk)
    rows = selectors.assignable_members(committee, station)
    if request.method == "POST":
        chosen_ids = {int(i) for i in request.POST.getlist("members") if i.isdigit()}
        areas = {
            row["member"].pk: request.POST.get(f"area_{row['member'].pk}", row["area"])
            for row in rows
        }
        changed_areas = {
            k: v
            for k, v in areas.items()
            if v != next(r["area"] for r in rows if r["member"].pk == k)
        }
        try:
            services.member_areas_set(committee=committee, areas=changed_areas, actor=request.user)
            services.station_members_assign(
                station=station,
                members=[r["member"] for r in rows if r["member"].pk in chosen_ids],
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Station members saved."))
            return redirect("studios:station_detail", pk=station.pk)
    return render(request, "studios/station_members.html", {"station": station, "rows": rows})


# --- Sector rotation ------------------------------------------------------------------------


@login_required
def rotation(request: HttpRequest) -> HttpResponseBase:
    committee = _committee(request, "studios.view_rotation")
    year = _year(request, timezone.localdate().year)
    plan = selectors.plan_of(committee).filter(year=year).first()
    can_plan = request.user.has_perm("studios.plan_rotation", committee)
    weeks = list(selectors.duty_weeks_of(plan)) if plan else []
    if plan and request.GET.get("export") == "xlsx":
        audit_log(action="studios.rotation_export", request=request, obj=plan)
        leads = selectors.leads_of(plan)
        rows: list[list[Any]] = [
            [
                _("Duty week"),
                w.week_start,
                w.sector.name,
                w.sector.cluster.name if w.sector.cluster else "",
            ]
            for w in weeks
        ] + [
            [_("Round table"), f"{lead.cluster.name} #{lead.number}", lead.sector.name, ""]
            for lead in leads
        ]
        return xlsx_response(
            f"rotation-{year}.xlsx",
            str(year),
            [_("Kind"), _("Week starting / round table"), _("Sector"), _("Sector cluster")],
            rows,
        )
    return render(
        request,
        "studios/rotation.html",
        {
            "year": year,
            "plan": plan,
            "weeks": weeks,
            "leads": selectors.leads_of(plan) if plan else [],
            "blocked": plan.blocked_weeks.all() if plan else [],
            "can_plan": can_plan,
            "plan_form": forms.PlanForm(initial={"year": year, "rounds": 4}),
            "blocked_form": forms.BlockedWeekForm(),
            "years": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1),
            "printing": request.GET.get("print") == "1",
        },
    )


def _plan(request: HttpRequest, pk: int) -> Any:
    committee = _committee(request, "studios.plan_rotation")
    return get_object_or_404(selectors.plan_of(committee), pk=pk)


@login_required
@require_POST
def rotation_create(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "studios.plan_rotation")
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a year and the number of round tables."))
        return redirect("studios:rotation")
    try:
        plan = services.rotation_plan_create(
            committee=committee,
            year=form.cleaned_data["year"],
            rounds=form.cleaned_data["rounds"],
            actor=request.user,
        )
        services.rotation_generate(plan=plan, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return _to_year("studios:rotation", form.cleaned_data["year"])


@login_required
@require_POST
def rotation_generate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        services.rotation_generate(plan=plan, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The rotation was laid out again."))
    return _to_year("studios:rotation", plan.year)


@login_required
@require_POST
def blocked_week_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = forms.BlockedWeekForm(request.POST)
    if form.is_valid():
        try:
            services.blocked_week_add(
                plan=plan,
                week_start=form.cleaned_data["week"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Week blocked. Lay out the rotation again to apply it."))
    else:
        messages.error(request, _("Give a day of the week and a reason."))
    return _to_year("studios:rotation", plan.year)


@login_required
def duty_week_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "studios.plan_rotation")
    row = get_object_or_404(
        DutyWeek.objects.filter(committee=committee).select_related("plan"), pk=pk
    )
    sectors = Sector.objects.filter(committee=committee).order_by("order", "id")
    form = forms.DutyWeekForm(
        request.POST or None,
        sectors=sectors,
        initial={"sector": row.sector_id, "week": row.week_start},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.duty_week_update(
                duty_week=row,
                sector=form.cleaned_data["sector"],
                week_start=form.cleaned_data["week"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _to_year("studios:rotation", row.plan.year)
    return render(request, "studios/form.html", {"form": form, "title": _("Change a duty week")})


@login_required
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "studios.plan_rotation")
    row = get_object_or_404(
        RoundTableLead.objects.filter(committee=committee).select_related("plan", "cluster"), pk=pk
    )
    sectors = Sector.objects.filter(committee=committee, cluster=row.cluster).order_by(
        "order", "id"
    )
    form = forms.LeadForm(request.POST or None, sectors=sectors, initial={"sector": row.sector_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.round_table_lead_update(
                lead=row, sector=form.cleaned_data["sector"], actor=request.user
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _to_year("studios:rotation", row.plan.year)
    return render(
        request, "studios/form.html", {"form": form, "title": _("Change a round-table lead")}
    )


@login_required
def my_duty(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "studios.view_own_duty")
    member: Member | None = member_of_user(request.user, committee)
    if member is None:
        raise PermissionDenied
    return render(
        request,
        "studios/my_duty.html",
        {"member": member, **selectors.upcoming_duty(member)},
    )
