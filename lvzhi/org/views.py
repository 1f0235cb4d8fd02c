"""Organisation pages. Thin: selectors read, rules decide, services write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lvzhi.accounts.models import User
from lvzhi.core.web import committee_for, object_for, paginate, posted, run_action, save_form
from lvzhi.org import forms, selectors, services
from lvzhi.org.middleware import SESSION_KEY
from lvzhi.org.models import Committee, Member
from lvzhi.org.workflow import LEAVE_ACTIONS, MEMBER_FLOW


@login_required
@require_POST
def switch_committee(request: HttpRequest) -> HttpResponse:
    available = {c.pk for c in request.available_committees}  # type: ignore[attr-defined]
    try:
        committee_id = int(request.POST.get("committee", ""))
    except ValueError:
        raise Http404 from None
    if committee_id not in available:
        raise Http404
    request.session[SESSION_KEY] = committee_id
    return redirect("home")


# --- Helpers -------------------------------------------------------------------------


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for a link to the same rows elsewhere."""
    query = request.GET.copy()
    query.pop("page", None)
    return str(query.urlencode())


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    message: str,
    title: str,
    cancel_url: str,
    template: str = "org/form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Validate, hand the cleaned data to a service, redirect; on any error
    show the form again with the reason (nothing was written)."""
    obj = save_form(request, form, save, message)
    if obj is not None:
        return redirect(success(obj))
    context = {"form": form, "title": title, "cancel_url": cancel_url, **(extra or {})}
    return render(request, template, context)


def _deactivate_page(
    request: HttpRequest,
    obj: Any,
    *,
    service: Callable[..., Any],
    keyword: str,
    message: str,
    next_url: str,
) -> HttpResponse:
    return run_action(
        request, lambda: service(actor=_actor(request), **{keyword: obj}), message, next_url
    )


# --- Committee, terms and sessions --------------------------------------------------


@login_required
def structure(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    return render(
        request,
        "org/structure.html",
        {
            "committee": selectors.committee_overview(committee),
            "terms": selectors.terms_of(committee),
            "can_change": request.user.has_perm("org.change_structure", committee),
            "section": "committee",
        },
    )


@login_required
def term_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    form = forms.TermForm(posted(request), committee=committee)
    return _form_page(
        request,
        form,
        save=lambda data: services.term_create(actor=_actor(request), committee=committee, **data),
        success=lambda term: reverse("org:structure"),
        message=_("The term has been saved."),
        title=_("New term"),
        cancel_url=reverse("org:structure"),
    )


@login_required
def term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    term = object_for(request, selectors.terms_of(committee), pk=pk)
    title = _("Edit %(name)s") % {"name": term.name}
    form = forms.TermForm(posted(request), committee=committee, instance=term)
    return _form_page(
        request,
        form,
        save=lambda data: services.term_update(actor=_actor(request), term=term, **data),
        success=lambda term: reverse("org:structure"),
        message=_("The term has been saved."),
        title=title,
        cancel_url=reverse("org:structure"),
    )


@login_required
def session_create(request: HttpRequest, term_pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    term = object_for(request, selectors.terms_of(committee), pk=term_pk)
    form = forms.PlenarySessionForm(posted(request), committee=committee, term=term)
    return _form_page(
        request,
        form,
        save=lambda data: services.session_create(actor=_actor(request), term=term, **data),
        success=lambda session: reverse("org:structure"),
        message=_("The plenary session has been saved."),
        title=_("New plenary session of %(term)s") % {"term": term.name},
        cancel_url=reverse("org:structure"),
    )


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    session = object_for(request, selectors.sessions_of(committee), pk=pk)
    title = _("Edit %(name)s") % {"name": session.name}
    form = forms.PlenarySessionForm(
        posted(request), committee=committee, term=session.term, instance=session
    )
    return _form_page(
        request,
        form,
        save=lambda data: services.session_update(actor=_actor(request), session=session, **data),
        success=lambda session: reverse("org:structure"),
        message=_("The plenary session has been saved."),
        title=title,
        cancel_url=reverse("org:structure"),
    )


# --- Sector clusters, sectors, special committees ----------------------------------------


@login_required
def cluster_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    return render(
        request,
        "org/cluster_list.html",
        {
            "page_obj": paginate(request, selectors.clusters_of(committee)),
            "can_change": request.user.has_perm("org.change_structure", committee),
            "section": "clusters",
        },
    )


@login_required
def cluster_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    form = forms.SectorClusterForm(posted(request), committee=committee)
    return _form_page(
        request,
        form,
        save=lambda data: services.cluster_create(
            actor=_actor(request), committee=committee, **data
        ),
        success=lambda obj: reverse("org:cluster_list"),
        message=_("The sector cluster has been saved."),
        title=_("New sector cluster"),
        cancel_url=reverse("org:cluster_list"),
    )


@login_required
def cluster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    cluster = object_for(request, selectors.clusters_of(committee), pk=pk)
    title = _("Edit %(name)s") % {"name": cluster.name}
    form = forms.SectorClusterForm(posted(request), committee=committee, instance=cluster)
    return _form_page(
        request,
        form,
        save=lambda data: services.cluster_update(actor=_actor(request), cluster=cluster, **data),
        success=lambda obj: reverse("org:cluster_list"),
        message=_("The sector cluster has been saved."),
        title=title,
        cancel_url=reverse("org:cluster_list"),
    )


@login_required
def sector_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    return render(
        request,
        "org/sector_list.html",
        {
            "page_obj": paginate(request, selectors.sectors_of(committee)),
            "can_change": request.user.has_perm("org.change_structure", committee),
            "can_view_roster": request.user.has_perm("org.view_roster", committee),
            "section": "sectors",
        },
    )


@login_required
def sector_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    form = forms.SectorForm(posted(request), committee=committee)
    return _form_page(
        request,
        form,
        save=lambda data: services.sector_create(
            actor=_actor(request), committee=committee, **data
        ),
        success=lambda obj: reverse("org:sector_list"),
        message=_("The sector has been saved."),
        title=_("New sector"),
        cancel_url=reverse("org:sector_list"),
    )


@login_required
def sector_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    sector = object_for(request, selectors.sectors_of(committee), pk=pk)
    title = _("Edit %(name)s") % {"name": sector.name}
    form = forms.SectorForm(posted(request), committee=committee, instance=sector)
    return _form_page(
        request,
        form,
        save=lambda data: services.sector_update(actor=_actor(request), sector=sector, **data),
        success=lambda obj: reverse("org:sector_list"),
        message=_("The sector has been saved."),
        title=title,
        cancel_url=reverse("org:sector_list"),
    )


@login_required
def special_committee_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    return render(
        request,
        "org/special_committee_list.html",
        {
            "page_obj": paginate(request, selectors.special_committees_of(committee)),
            "can_change": request.user.has_perm("org.change_structure", committee),
            "section": "special_committees",
        },
    )


@login_required
def special_committee_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    form = forms.SpecialCommitteeForm(posted(request), committee=committee)
    return _form_page(
        request,
        form,
        save=lambda data: services.special_committee_create(
            actor=_actor(request), committee=committee, **data
        ),
        success=lambda obj: reverse("org:special_committee_list"),
        message=_("The special committee has been saved."),
        title=_("New special committee"),
        cancel_url=reverse("org:special_committee_list"),
    )


@login_required
def special_committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    special = object_for(request, selectors.special_committees_of(committee), pk=pk)
    title = _("Edit %(name)s") % {"name": special.name}
    form = forms.SpecialCommitteeForm(posted(request), committee=committee, instance=special)
    return _form_page(
        request,
        form,
        save=lambda data: services.special_committee_update(
            actor=_actor(request), special_committee=special, **data
        ),
        success=lambda obj: reverse("org:special_committee_list"),
        message=_("The special committee has been saved."),
        title=title,
        cancel_url=reverse("org:special_committee_list"),
    )


# --- Members -------------------------------------------------------------------------


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.view_roster")
    filter_form = forms.MemberFilterForm(request.GET, committee=committee)
    members = selectors.member_list(committee, **filter_form.filters())
    return render(
        request,
        "org/member_list.html",
        {
            "filter_form": filter_form,
            "page_obj": paginate(request, members),
            "can_change": request.user.has_perm("org.change_roster", committee),
            "can_import": request.user.has_perm("org.import_roster", committee),
            "can_export": request.user.has_perm("org.export_roster", committee),
            "export_query": _without_page(request),
            "filtered": any(k != "page" for k in request.GET),
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.view_roster")
    member = object_for(request, selectors.members_of(committee), pk=pk)
    return render(request, "org/member_detail.html", _member_context(request, committee, member))


def _member_context(request: HttpRequest, committee: Committee, member: Member) -> dict[str, Any]:
    return {
        "member": member,
        "person": member.person,
        "seats": selectors.seats_of_person(committee, member),
        "can_change": request.user.has_perm("org.change_roster", committee),
        "can_reveal": request.user.has_perm("org.view_full_personal_data", committee),
    }


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.change_roster")
    form = forms.MemberForm(posted(request), committee=committee)
    return _form_page(
        request,
        form,
        save=lambda data: services.member_create(
            actor=_actor(request), committee=committee, **data
        ),
        success=lambda member: reverse("org:member_detail", args=[member.pk]),
        message=_("The member has been saved."),
        title=_("New member"),
        cancel_url=reverse("org:member_list"),
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_roster")
    member = object_for(request, selectors.members_of(committee), pk=pk)
    title = _("Edit %(name)s") % {"name": member.person.name}
    form = forms.MemberForm(posted(request), committee=committee, member=member)
    return _form_page(
        request,
        form,
        save=lambda data: services.member_update(actor=_actor(request), member=member, **data),
        success=lambda member: reverse("org:member_detail", args=[member.pk]),
        message=_("The member has been saved."),
        title=title,
        cancel_url=reverse("org:member_detail", args=[member.pk]),
    )


@login_required
def member_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the form (status, date, reason); POST makes the member leave office."""
    committee = committee_for(request, "org.change_roster")
    member = object_for(request, selectors.members_of(committee), pk=pk)
    if not any(MEMBER_FLOW.allowed(member, action) for action in LEAVE_ACTIONS.values()):
        messages.error(request, _("This member has already left office."))
        return redirect("org:member_detail", pk=member.pk)
    form = forms.MemberDeactivateForm(posted(request), member=member)
    return _form_page(
        request,
        form,
        save=lambda data: services.member_deactivate(actor=_actor(request), member=member, **data),
        success=lambda member: reverse("org:member_detail", args=[member.pk]),
        message=_("The member has left office."),
        title=_("%(name)s leaves office") % {"name": member.person.name},
        cancel_url=reverse("org:member_detail", args=[member.pk]),
        extra={"submit_label": _("Leave office"), "danger": True},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The full mobile and ID number, for those allowed; every view is audited.

    POST, or GET from htmx (the button on the detail page). A plain GET is
    refused so a link, a prefetch or a crawler never reveals anything."""
    if request.method == "GET" and not getattr(request, "htmx", False):
        return HttpResponseNotAllowed(["POST"])
    committee = committee_for(request, "org.view_full_personal_data")
    member = object_for(request, selectors.members_of(committee), pk=pk)
    numbers = services.personal_data_reveal(actor=_actor(request), member=member)
    context = {**_member_context(request, committee, member), "revealed": numbers}
    if getattr(request, "htmx", False):
        return render(request, "org/_member_numbers.html", context)
    return render(request, "org/member_detail.html", context)


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    """The member's own seat in the current committee.

    Decision: the numbers stay masked here too, even for the member's own
    record — a phone left unlocked on a desk must not show an ID number,
    and one rule everywhere is easier to trust. A member who needs a number
    corrected asks the office."""
    committee = getattr(request, "committee", None)
    if committee is None:
        raise Http404
    own = selectors.member_of_user(request.user, committee)
    if own is None:
        raise Http404
    member = selectors.members_of(committee).get(pk=own.pk)
    return render(
        request,
        "org/my_profile.html",
        {
            "member": member,
            "person": member.person,
            "seats": selectors.seats_of_person(committee, member),
        },
    )


# --- Handling units ------------------------------------------------------------------


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    filter_form = forms.UnitFilterForm(request.GET)
    units = selectors.units_of(committee, **filter_form.filters())
    return render(
        request,
        "org/unit_list.html",
        {
            "filter_form": filter_form,
            "page_obj": paginate(request, units),
            "can_change": request.user.has_perm("org.change_structure", committee),
            "section": "units",
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    unit = object_for(request, selectors.units_of(committee), pk=pk)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "accounts": selectors.unit_accounts(unit),
            "can_change": request.user.has_perm("org.change_structure", committee),
            "section": "units",
        },
    )


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    form = forms.HandlingUnitForm(posted(request), committee=committee)
    return _form_page(
        request,
        form,
        save=lambda data: services.unit_create(actor=_actor(request), committee=committee, **data),
        success=lambda unit: reverse("org:unit_detail", args=[unit.pk]),
        message=_("The handling unit has been saved."),
        title=_("New handling unit"),
        cancel_url=reverse("org:unit_list"),
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    unit = object_for(request, selectors.units_of(committee), pk=pk)
    title = _("Edit %(name)s") % {"name": unit.name}
    form = forms.HandlingUnitForm(posted(request), committee=committee, instance=unit)
    return _form_page(
        request,
        form,
        save=lambda data: services.unit_update(actor=_actor(request), unit=unit, **data),
        success=lambda unit: reverse("org:unit_detail", args=[unit.pk]),
        message=_("The handling unit has been saved."),
        title=title,
        cancel_url=reverse("org:unit_detail", args=[unit.pk]),
    )


@login_required
@require_POST
def unit_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    unit = object_for(request, selectors.units_of(committee), pk=pk)
    return _deactivate_page(
        request,
        unit,
        service=services.unit_deactivate,
        keyword="unit",
        message=_("The handling unit has been deactivated."),
        next_url=reverse("org:unit_detail", args=[unit.pk]),
    )


# --- Studios and stations ---------------------------------------------------------------


@login_required
def studio_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    filter_form = forms.ActiveFilterForm(request.GET)
    return render(
        request,
        "org/studio_list.html",
        {
            "filter_form": filter_form,
            "page_obj": paginate(request, selectors.studios_of(committee, **filter_form.filters())),
            "can_change": request.user.has_perm("org.change_structure", committee),
            "section": "studios",
        },
    )


@login_required
def studio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    studio = object_for(request, selectors.studio_detail(committee), pk=pk)
    return render(
        request,
        "org/studio_detail.html",
        {
            "studio": studio,
            "can_change": request.user.has_perm("org.change_structure", committee),
            "can_view_roster": request.user.has_perm("org.view_roster", committee),
            "section": "studios",
        },
    )


@login_required
def studio_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    form = forms.StudioForm(posted(request), committee=committee)
    return _form_page(
        request,
        form,
        save=lambda data: services.studio_create(
            actor=_actor(request), committee=committee, **data
        ),
        success=lambda studio: reverse("org:studio_detail", args=[studio.pk]),
        message=_("The studio has been saved."),
        title=_("New studio"),
        cancel_url=reverse("org:studio_list"),
    )


@login_required
def studio_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    studio = object_for(request, selectors.studio_detail(committee), pk=pk)
    title = _("Edit %(name)s") % {"name": studio.name}
    form = forms.StudioForm(posted(request), committee=committee, instance=studio)
    return _form_page(
        request,
        form,
        save=lambda data: services.studio_update(actor=_actor(request), studio=studio, **data),
        success=lambda studio: reverse("org:studio_detail", args=[studio.pk]),
        message=_("The studio has been saved."),
        title=title,
        cancel_url=reverse("org:studio_detail", args=[studio.pk]),
    )


@login_required
@require_POST
def studio_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    studio = object_for(request, selectors.studios_of(committee), pk=pk)
    return _deactivate_page(
        request,
        studio,
        service=services.studio_deactivate,
        keyword="studio",
        message=_("The studio has been deactivated."),
        next_url=reverse("org:studio_detail", args=[studio.pk]),
    )


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    filter_form = forms.ActiveFilterForm(request.GET)
    return render(
        request,
        "org/station_list.html",
        {
            "filter_form": filter_form,
            "page_obj": paginate(
                request, selectors.stations_of(committee, **filter_form.filters())
            ),
            "can_change": request.user.has_perm("org.change_structure", committee),
            "section": "stations",
        },
    )


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    station = object_for(request, selectors.station_detail(committee), pk=pk)
    return render(
        request,
        "org/station_detail.html",
        {
            "station": station,
            "can_change": request.user.has_perm("org.change_structure", committee),
            "can_view_roster": request.user.has_perm("org.view_roster", committee),
            "section": "stations",
        },
    )


@login_required
def station_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    form = forms.StationForm(posted(request), committee=committee)
    return _form_page(
        request,
        form,
        save=lambda data: services.station_create(
            actor=_actor(request), committee=committee, **data
        ),
        success=lambda station: reverse("org:station_detail", args=[station.pk]),
        message=_("The liaison station has been saved."),
        title=_("New liaison station"),
        cancel_url=reverse("org:station_list"),
    )


@login_required
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    station = object_for(request, selectors.station_detail(committee), pk=pk)
    title = _("Edit %(name)s") % {"name": station.name}
    form = forms.StationForm(posted(request), committee=committee, instance=station)
    return _form_page(
        request,
        form,
        save=lambda data: services.station_update(actor=_actor(request), station=station, **data),
        success=lambda station: reverse("org:station_detail", args=[station.pk]),
        message=_("The liaison station has been saved."),
        title=title,
        cancel_url=reverse("org:station_detail", args=[station.pk]),
    )


@login_required
@require_POST
def station_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.change_structure")
    station = object_for(request, selectors.stations_of(committee), pk=pk)
    return _deactivate_page(
        request,
        station,
        service=services.station_deactivate,
        keyword="station",
        message=_("The liaison station has been deactivated."),
        next_url=reverse("org:station_detail", args=[station.pk]),
    )
