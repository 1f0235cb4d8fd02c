"""Pages of the studios app: studios and their work, star ratings, stations,
and the sector rotation. Thin: selectors read, rules decide, services write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.audit import audit_log
from lvzhi.core.committee_settings import form_initial, form_values
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import xlsx_response
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    inline_form_action,
    list_page,
    object_for,
    paginate,
    posted,
    require,
    run_action,
    this_year,
    year_param,
)
from lvzhi.org.models import Member, Sector
from lvzhi.org.selectors import eligible_members, member_of_user
from lvzhi.studios import forms, selectors, services
from lvzhi.studios.models import DutyWeek, RoundTableLead, ServiceProject, StarRating, StationLeader
from lvzhi.studios.settings_defs import PREFIX as CRITERIA_PREFIX


def _year_url(url_name: str, year: int) -> str:
    return f"{reverse(url_name)}?year={year}"


# --- Studios -------------------------------------------------------------------------------


@login_required
def studio_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "studios.view")
    year = year_param(request, this_year())
    page = paginate(request, selectors.studios_overview(committee, year))
    for studio in page.object_list:
        by_year = {r.year: r for r in studio.recent_ratings}
        studio.rating_now = by_year.get(year)
        studio.rating_last = by_year.get(year - 1)
    return render(request, "studios/studio_list.html", {"page_obj": page, "year": year})


def _studio(request: HttpRequest, pk: int, perm: str | None = None) -> Any:
    committee = committee_for(request, "studios.view")
    return object_for(request, selectors.studio_of(committee), perm=perm, pk=pk)


def _station(request: HttpRequest, pk: int) -> Any:
    committee = committee_for(request, "studios.view")
    return object_for(request, selectors.station_of(committee), pk=pk)


def _project(request: HttpRequest, pk: int) -> Any:
    committee = committee_for(request, "studios.view")
    return object_for(request, selectors.projects_of(committee), pk=pk)


@login_required
def studio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "studios.view")
    studio = object_for(request, selectors.studio_of(committee), pk=pk)
    return list_page(
        request,
        "studios/studio_detail.html",
        selectors.activities_of(committee, studio=studio),
        studio=studio,
        ratings=StarRating.objects.filter(studio=studio).order_by("-year")[:5],
        project_type=ContentType.objects.get_for_model(ServiceProject).pk,
    )


@login_required
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _studio(request, pk, perm="studios.create_service_project")
    return form_page(
        request,
        forms.ServiceProjectForm(posted(request)),
        title=_("New service project"),
        intro=studio,
        cancel_url=reverse("studios:studio_detail", args=[studio.pk]),
        save=lambda data: services.service_project_create(
            studio=studio, actor=acting_user(request), **data
        ),
        message=_("Service project created."),
    )


def _activity(
    request: HttpRequest, owner: Any, *, studio: Any = None, station: Any = None
) -> HttpResponse:
    require(request, "studios.record_activity", owner)
    projects = selectors.running_projects(studio) if studio is not None else None
    members = owner.members.select_related("person")
    detail = "studios:studio_detail" if studio is not None else "studios:station_detail"
    return form_page(
        request,
        forms.ActivityForm(posted(request), projects=projects, members=members),
        title=_("Record an activity"),
        intro=owner,
        cancel_url=reverse(detail, args=[owner.pk]),
        save=lambda data: services.activity_record(
            committee=owner.committee,
            studio=studio,
            station=station,
            kind=data["kind"],
            day=data["day"],
            title=data["title"],
            project=data.get("project"),
            note=data["note"],
            people_served=data["people_served"] or 0,
            participants=data["participants"],
            actor=acting_user(request),
        ),
        message=_("Activity recorded."),
    )


@login_required
def studio_activity(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _studio(request, pk)
    return _activity(request, studio, studio=studio)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return render(
        request,
        "studios/project_detail.html",
        {
            "project": project,
            "activities": project.activities.order_by("-date")[:50],
            "project_type": ContentType.objects.get_for_model(project).pk,
        },
    )


@login_required
@require_POST
def project_finish(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return run_action(
        request,
        lambda: services.service_project_finish(project=project, actor=acting_user(request)),
        _("The service project is finished."),
        reverse("studios:project_detail", args=[project.pk]),
    )


# --- Star ratings ----------------------------------------------------------------------------


@login_required
def rating_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "studios.view_ratings")
    year = year_param(request, this_year() - 1)
    return list_page(
        request,
        "studios/rating_list.html",
        selectors.ratings_of(committee, year),
        year=year,
        years=range(this_year(), this_year() - 6, -1),
        policy=services.star_criteria(committee),
    )


@login_required
@require_POST
def ratings_compute(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "studios.rate")
    year = year_param(request, this_year() - 1)
    return run_action(
        request,
        lambda: services.star_ratings_compute(
            committee=committee, year=year, actor=acting_user(request)
        ),
        _("Star ratings computed from the data."),
        _year_url("studios:rating_list", year),
    )


@login_required
def rating_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "studios.view_ratings")
    row = object_for(
        request,
        StarRating.objects.filter(committee=committee).select_related("studio"),
        perm="studios.adjust_rating",
        pk=pk,
    )
    return form_page(
        request,
        forms.AdjustForm(posted(request), initial={"stars": row.stars}),
        title=_("Adjust the stars of %(studio)s") % {"studio": row.studio},
        cancel_url=_year_url("studios:rating_list", row.year),
        save=lambda data: services.star_rating_adjust(
            rating_row=row, actor=acting_user(request), **data
        ),
        message=_("The stars are changed."),
    )


@login_required
def policy_edit(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "studios.configure")
    return form_page(
        request,
        forms.CriteriaForm(posted(request), initial=form_initial(committee, CRITERIA_PREFIX)),
        title=_("Star rating criteria"),
        cancel_url=reverse("studios:rating_list"),
        save=lambda data: services.star_criteria_update(
            committee=committee, actor=acting_user(request), values=form_values(data)
        ),
        message=_("Criteria saved."),
    )


# --- Stations --------------------------------------------------------------------------------


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "studios.view")
    return list_page(request, "studios/station_list.html", selectors.stations_overview(committee))


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "studios.view")
    station = object_for(request, selectors.station_of(committee), pk=pk)
    return list_page(
        request,
        "studios/station_detail.html",
        selectors.activities_of(committee, station=station),
        station=station,
        leader_form=forms.LeaderForm(members=eligible_members(committee)),
    )


@login_required
def station_activity(request: HttpRequest, pk: int) -> HttpResponse:
    station = _station(request, pk)
    return _activity(request, station, station=station)


@login_required
@require_POST
def station_leader_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "studios.assign_station_members")
    station = object_for(request, selectors.station_of(committee), pk=pk)
    return inline_form_action(
        request,
        forms.LeaderForm(request.POST, members=eligible_members(committee)),
        lambda data: services.station_leader_add(
            station=station, actor=acting_user(request), **data
        ),
        _("The leader is added to the station."),
        reverse("studios:station_detail", args=[station.pk]),
        invalid=_("Choose a leader."),
    )


@login_required
@require_POST
def station_leader_remove(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "studios.assign_station_members")
    leader = object_for(request, StationLeader.objects.filter(committee=committee), pk=pk)
    return run_action(
        request,
        lambda: services.station_leader_remove(leader=leader, actor=acting_user(request)),
        _("The leader is removed from the station."),
        reverse("studios:station_detail", args=[leader.station_id]),
    )


@login_required
def station_members(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign members by proximity: each member's area, those near the station first."""
    committee = committee_for(request, "studios.assign_station_members")
    station = object_for(request, selectors.station_of(committee), pk=pk)
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
            services.station_roster_save(
                station=station,
                areas=changed_areas,
                members=[r["member"] for r in rows if r["member"].pk in chosen_ids],
                actor=acting_user(request),
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
    committee = committee_for(request, "studios.view_rotation")
    year = year_param(request, this_year())
    plan = selectors.plan_of(committee).filter(year=year).first()
    weeks = list(selectors.duty_weeks_of(plan)) if plan else []
    if plan and request.GET.get("export") == "xlsx":
        audit_log(action="studios.rotation_export", obj=plan)
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
            "plan_form": forms.PlanForm(initial={"year": year, "rounds": 4}),
            "blocked_form": forms.BlockedWeekForm(),
            "years": range(this_year() + 1, this_year() - 4, -1),
            "printing": request.GET.get("print") == "1",
        },
    )


def _plan(request: HttpRequest, pk: int) -> Any:
    committee = committee_for(request, "studios.plan_rotation")
    return object_for(request, selectors.plan_of(committee), pk=pk)


@login_required
@require_POST
def rotation_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "studios.plan_rotation")
    form = forms.PlanForm(request.POST)
    year = form.cleaned_data["year"] if form.is_valid() else None

    def create(data: dict[str, Any]) -> Any:
        actor = acting_user(request)
        plan = services.rotation_plan_create(
            committee=committee, year=data["year"], rounds=data["rounds"], actor=actor
        )
        return services.rotation_generate(plan=plan, actor=actor)

    return inline_form_action(
        request,
        form,
        create,
        _("Rotation plan created and laid out."),
        _year_url("studios:rotation", year) if year else reverse("studios:rotation"),
        invalid=_("Give a year and the number of round tables."),
    )


@login_required
@require_POST
def rotation_generate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return run_action(
        request,
        lambda: services.rotation_generate(plan=plan, actor=acting_user(request)),
        _("The rotation was laid out again."),
        _year_url("studios:rotation", plan.year),
    )


@login_required
@require_POST
def blocked_week_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return inline_form_action(
        request,
        forms.BlockedWeekForm(request.POST),
        lambda data: services.blocked_week_add(
            plan=plan, week_start=data["week"], reason=data["reason"], actor=acting_user(request)
        ),
        _("Week blocked. Lay out the rotation again to apply it."),
        _year_url("studios:rotation", plan.year),
        invalid=_("Give a day of the week and a reason."),
    )


@login_required
def duty_week_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "studios.plan_rotation")
    row = object_for(
        request, DutyWeek.objects.filter(committee=committee).select_related("plan"), pk=pk
    )
    form = forms.DutyWeekForm(
        posted(request),
        sectors=Sector.objects.filter(committee=committee).order_by("order", "id"),
        initial={"sector": row.sector_id, "week": row.week_start},
    )
    return _rotation_form(
        request,
        form,
        row.plan,
        _("Change a duty week"),
        lambda data: services.duty_week_update(
            duty_week=row,
            sector=data["sector"],
            week_start=data["week"],
            actor=acting_user(request),
        ),
        _("The duty week is changed."),
    )


@login_required
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "studios.plan_rotation")
    row = object_for(
        request,
        RoundTableLead.objects.filter(committee=committee).select_related("plan", "cluster"),
        pk=pk,
    )
    form = forms.LeadForm(
        posted(request),
        sectors=Sector.objects.filter(committee=committee, cluster=row.cluster).order_by(
            "order", "id"
        ),
        initial={"sector": row.sector_id},
    )
    return _rotation_form(
        request,
        form,
        row.plan,
        _("Change a round-table lead"),
        lambda data: services.round_table_lead_update(
            lead=row, sector=data["sector"], actor=acting_user(request)
        ),
        _("The round-table lead is changed."),
    )


def _rotation_form(
    request: HttpRequest,
    form: Any,
    plan: Any,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    message: str,
) -> HttpResponse:
    """A hand edit of the rotation: back to the plan's year."""
    back = _year_url("studios:rotation", plan.year)
    return form_page(
        request, form, title=title, cancel_url=back, save=save, success=back, message=message
    )


@login_required
def my_duty(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "studios.view_own_duty")
    member: Member | None = member_of_user(request.user, committee)
    if member is None:
        raise PermissionDenied
    return render(
        request,
        "studios/my_duty.html",
        {"member": member, **selectors.upcoming_duty(member)},
    )
