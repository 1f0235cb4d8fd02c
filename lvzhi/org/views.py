"""Organisation pages. Thin: selectors read, rules decide, services write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lvzhi.core.filters import ListFilterSet
from lvzhi.core.notifications import notifications_mark_read
from lvzhi.core.selectors import notifications_of
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    list_page,
    object_for,
    posted,
    run_action,
)
from lvzhi.org import filters, forms, selectors, services
from lvzhi.org.middleware import SESSION_KEY
from lvzhi.org.models import Committee, Member
from lvzhi.org.workflow import LEAVE_ACTIONS, MEMBER_FLOW


def _work_in(request: HttpRequest, committee_id: int | None) -> bool:
    """Make ``committee_id`` the committee the user works in, if it is one of
    theirs; says whether it is."""
    available = {c.pk for c in request.available_committees}  # type: ignore[attr-defined]
    if committee_id not in available:
        return False
    request.session[SESSION_KEY] = committee_id
    return True


@login_required
@require_POST
def switch_committee(request: HttpRequest) -> HttpResponse:
    try:
        committee_id = int(request.POST.get("committee", ""))
    except ValueError:
        raise Http404 from None
    if not _work_in(request, committee_id):
        raise Http404
    return redirect("home")


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: mark it read and, when it belongs to another
    committee the user works in, switch to that committee first, so its link
    opens there instead of answering 404 in the current one."""
    notification = object_for(request, notifications_of(request.user), pk=pk)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    current = getattr(request, "committee", None)
    elsewhere = notification.committee_id not in (None, getattr(current, "pk", None))
    if elsewhere and _work_in(request, notification.committee_id):
        messages.info(
            request,
            _("You are now working in %(committee)s.") % {"committee": notification.committee},
        )
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("core:inbox")


# --- The structure rows: one set of pages for every kind ---------------------------------

CHANGE_STRUCTURE = "org.change_structure"


@dataclass(frozen=True)
class Kind:
    """One kind of structure row and what differs between its pages; the
    pages themselves (``row_list``, ``row_detail``, ``row_create``,
    ``row_edit``, ``row_deactivate``) are the same for every kind, and
    urls.py names the kind each URL shows."""

    name: str  # its URL names: org:<name>_list, _detail, …; its templates org/<name>_….html
    section: str  # the tab of the structure navigation
    rows: Callable[[Committee], QuerySet[Any]]  # the selector, scoped to the committee
    form: type[forms.CommitteeModelForm]
    create: Callable[..., Any]  # the services, keyword-only with actor=
    update: Callable[..., Any]
    keyword: str  # the argument naming the row in update and deactivate
    new_title: Promise
    saved: Promise
    after_save: str = ""  # the page after a save when the kind has no detail page
    list_filter: type[ListFilterSet] | None = None
    deactivate: Callable[..., Any] | None = None
    deactivated: Promise | None = None
    details: Callable[[Any], dict[str, Any]] | None = None  # more for the detail page
    list_rows: Callable[[Committee], QuerySet[Any]] | None = None  # when the list needs less

    @property
    def has_detail(self) -> bool:
        return not self.after_save

    def url(self, page: str, obj: Any = None) -> str:
        return reverse(f"org:{self.name}_{page}", args=[obj.pk] if obj is not None else None)

    def saved_url(self, obj: Any) -> str:
        return self.url("detail", obj) if self.has_detail else reverse(self.after_save)


TERMS = Kind(
    name="term",
    section="committee",
    rows=selectors.terms_of,
    form=forms.TermForm,
    create=services.term_create,
    update=services.term_update,
    keyword="term",
    new_title=_lazy("New term"),
    saved=_lazy("The term has been saved."),
    after_save="org:structure",
)
CLUSTERS = Kind(
    name="cluster",
    section="clusters",
    rows=selectors.clusters_of,
    form=forms.SectorClusterForm,
    create=services.cluster_create,
    update=services.cluster_update,
    keyword="cluster",
    new_title=_lazy("New sector cluster"),
    saved=_lazy("The sector cluster has been saved."),
    after_save="org:cluster_list",
)
SECTORS = Kind(
    name="sector",
    section="sectors",
    rows=selectors.sectors_of,
    form=forms.SectorForm,
    create=services.sector_create,
    update=services.sector_update,
    keyword="sector",
    new_title=_lazy("New sector"),
    saved=_lazy("The sector has been saved."),
    after_save="org:sector_list",
)
SPECIAL_COMMITTEES = Kind(
    name="special_committee",
    section="special_committees",
    rows=selectors.special_committees_of,
    form=forms.SpecialCommitteeForm,
    create=services.special_committee_create,
    update=services.special_committee_update,
    keyword="special_committee",
    new_title=_lazy("New special committee"),
    saved=_lazy("The special committee has been saved."),
    after_save="org:special_committee_list",
)
UNITS = Kind(
    name="unit",
    section="units",
    rows=selectors.units_of,
    form=forms.HandlingUnitForm,
    create=services.unit_create,
    update=services.unit_update,
    keyword="unit",
    new_title=_lazy("New handling unit"),
    saved=_lazy("The handling unit has been saved."),
    list_filter=filters.UnitFilter,
    deactivate=services.unit_deactivate,
    deactivated=_lazy("The handling unit has been deactivated."),
    details=lambda unit: {"accounts": selectors.unit_accounts(unit)},
)
STUDIOS = Kind(
    name="studio",
    section="studios",
    rows=selectors.studio_detail,
    list_rows=selectors.studios_of,  # the list shows no members
    form=forms.StudioForm,
    create=services.studio_create,
    update=services.studio_update,
    keyword="studio",
    new_title=_lazy("New studio"),
    saved=_lazy("The studio has been saved."),
    list_filter=filters.ActiveFilter,
    deactivate=services.studio_deactivate,
    deactivated=_lazy("The studio has been deactivated."),
)
STATIONS = Kind(
    name="station",
    section="stations",
    rows=selectors.station_detail,
    list_rows=selectors.stations_of,
    form=forms.StationForm,
    create=services.station_create,
    update=services.station_update,
    keyword="station",
    new_title=_lazy("New liaison station"),
    saved=_lazy("The liaison station has been saved."),
    list_filter=filters.ActiveFilter,
    deactivate=services.station_deactivate,
    deactivated=_lazy("The liaison station has been deactivated."),
)


def _page_context(request: HttpRequest, committee: Committee, kind: Kind) -> dict[str, Any]:
    return {
        "can_change": request.user.has_perm(CHANGE_STRUCTURE, committee),
        "can_view_roster": request.user.has_perm("org.view_roster", committee),
        "section": kind.section,
    }


@login_required
def row_list(request: HttpRequest, kind: Kind) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    rows = (kind.list_rows or kind.rows)(committee)
    if kind.list_filter is not None:
        rows = kind.list_filter(request.GET, queryset=rows, committee=committee)
    return list_page(
        request, f"org/{kind.name}_list.html", rows, **_page_context(request, committee, kind)
    )


@login_required
def row_detail(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    committee = committee_for(request, "org.view_structure")
    obj = object_for(request, kind.rows(committee), pk=pk)
    context = {
        kind.name: obj,
        **_page_context(request, committee, kind),
        **(kind.details(obj) if kind.details else {}),
    }
    return render(request, f"org/{kind.name}_detail.html", context)


@login_required
def row_create(request: HttpRequest, kind: Kind) -> HttpResponse:
    committee = committee_for(request, CHANGE_STRUCTURE)
    return form_page(
        request,
        kind.form(posted(request), committee=committee),
        title=str(kind.new_title),
        cancel_url=reverse(kind.after_save) if kind.after_save else kind.url("list"),
        save=lambda data: kind.create(actor=acting_user(request), committee=committee, **data),
        success=kind.saved_url,
        message=str(kind.saved),
    )


@login_required
def row_edit(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    committee = committee_for(request, CHANGE_STRUCTURE)
    obj = object_for(request, kind.rows(committee), pk=pk)
    return form_page(
        request,
        kind.form(posted(request), committee=committee, instance=obj),
        title=_("Edit %(name)s") % {"name": obj.name},
        cancel_url=kind.saved_url(obj),
        save=lambda data: kind.update(actor=acting_user(request), **{kind.keyword: obj}, **data),
        success=kind.saved_url,
        message=str(kind.saved),
    )


@login_required
@require_POST
def row_deactivate(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    committee = committee_for(request, CHANGE_STRUCTURE)
    obj = object_for(request, kind.rows(committee), pk=pk)
    deactivate = kind.deactivate
    if deactivate is None:
        raise Http404
    return run_action(
        request,
        lambda: deactivate(actor=acting_user(request), **{kind.keyword: obj}),
        str(kind.deactivated),
        kind.url("detail", obj),
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
            "can_change": request.user.has_perm(CHANGE_STRUCTURE, committee),
            "section": "committee",
        },
    )


def _session_page(
    request: HttpRequest, form: BaseForm, *, title: str, save: Callable[[dict[str, Any]], Any]
) -> HttpResponse:
    structure_url = reverse("org:structure")
    return form_page(
        request,
        form,
        title=title,
        cancel_url=structure_url,
        save=save,
        success=structure_url,
        message=_("The plenary session has been saved."),
    )


@login_required
def session_create(request: HttpRequest, term_pk: int) -> HttpResponse:
    committee = committee_for(request, CHANGE_STRUCTURE)
    term = object_for(request, selectors.terms_of(committee), pk=term_pk)
    return _session_page(
        request,
        forms.PlenarySessionForm(posted(request), committee=committee, term=term),
        title=_("New plenary session of %(term)s") % {"term": term.name},
        save=lambda data: services.session_create(actor=acting_user(request), term=term, **data),
    )


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, CHANGE_STRUCTURE)
    session = object_for(request, selectors.sessions_of(committee), pk=pk)
    form = forms.PlenarySessionForm(
        posted(request), committee=committee, term=session.term, instance=session
    )
    return _session_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": session.name},
        save=lambda data: services.session_update(
            actor=acting_user(request), session=session, **data
        ),
    )


# --- Members -------------------------------------------------------------------------


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.view_roster")
    return list_page(
        request,
        "org/member_list.html",
        filters.MemberFilter(
            request.GET, queryset=selectors.member_list(committee), committee=committee
        ),
        can_change=request.user.has_perm("org.change_roster", committee),
        can_import=request.user.has_perm("org.import_roster", committee),
        can_export=request.user.has_perm("org.export_roster", committee),
        can_export_full=request.user.has_perm("org.export_full_personal_data", committee),
        filtered=any(k != "page" for k in request.GET),
    )


def _member(request: HttpRequest, pk: int, perm: str) -> tuple[Committee, Member]:
    """The committee, if ``perm`` holds there, and one of its seats."""
    committee = committee_for(request, perm)
    return committee, object_for(request, selectors.members_of(committee), pk=pk)


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee, member = _member(request, pk, "org.view_roster")
    return render(request, "org/member_detail.html", _member_context(request, committee, member))


def _member_context(request: HttpRequest, committee: Committee, member: Member) -> dict[str, Any]:
    return {
        "member": member,
        "person": member.person,
        "seats": selectors.seats_of_person(committee, member),
        "can_change": request.user.has_perm("org.change_roster", committee),
        "can_reveal": request.user.has_perm("org.view_full_personal_data", committee),
        # Birth dates (issue 11): the full date for org staff, who keep the
        # roster, and for the member themself; everyone else sees the year.
        "full_birth_date": request.user.has_perm("org.view_full_birth_date", member),
    }


def _member_url(member: Member) -> str:
    return reverse("org:member_detail", args=[member.pk])


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "org.change_roster")
    return form_page(
        request,
        forms.MemberForm(posted(request), committee=committee),
        title=_("New member"),
        cancel_url=reverse("org:member_list"),
        save=lambda data: services.member_create(
            actor=acting_user(request), committee=committee, **data
        ),
        success=_member_url,
        message=_("The member has been saved."),
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee, member = _member(request, pk, "org.change_roster")
    return form_page(
        request,
        forms.MemberForm(posted(request), committee=committee, member=member),
        title=_("Edit %(name)s") % {"name": member.person.name},
        cancel_url=_member_url(member),
        save=lambda data: services.member_update(actor=acting_user(request), member=member, **data),
        success=_member_url,
        message=_("The member has been saved."),
    )


@login_required
def member_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the form (status, date, reason); POST makes the member leave office."""
    _committee, member = _member(request, pk, "org.change_roster")
    if not any(MEMBER_FLOW.allowed(member, action) for action in LEAVE_ACTIONS.values()):
        messages.error(request, _("This member has already left office."))
        return redirect("org:member_detail", pk=member.pk)
    return form_page(
        request,
        forms.MemberDeactivateForm(posted(request), member=member),
        title=_("%(name)s leaves office") % {"name": member.person.name},
        cancel_url=_member_url(member),
        save=lambda data: services.member_deactivate(
            actor=acting_user(request), member=member, **data
        ),
        success=_member_url,
        message=_("The member has left office."),
        submit_label=_("Leave office"),
        danger=True,
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
    committee, member = _member(request, pk, "org.view_full_personal_data")
    numbers = services.personal_data_reveal(actor=acting_user(request), member=member)
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
            "full_birth_date": True,  # their own
        },
    )
