"""Pages of duty activities and recorded duties. Thin: selectors read,
rules decide, services write; another committee's object is a 404."""

from __future__ import annotations

import base64
from collections.abc import Callable
from io import BytesIO
from typing import Any, cast

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lvzhi.core.errors import DomainError
from lvzhi.core.files import attachment_response, attachments_of
from lvzhi.duties import checkin, forms, selectors, services
from lvzhi.duties.models import (
    Activity,
    ActivityKind,
    Contribution,
    DutyProject,
    Invitation,
    PlenarySpeech,
    StudyNote,
)
from lvzhi.org.models import Committee, Member
from lvzhi.org.selectors import member_of_user

PAGE_SIZE = 25


# --- Helpers -----------------------------------------------------------------------


def _require(request: HttpRequest, perm: str) -> Committee:
    committee = getattr(request, "committee", None)
    if committee is None or not request.user.has_perm(perm, committee):
        raise PermissionDenied
    return cast(Committee, committee)


def _my_member(request: HttpRequest) -> tuple[Committee, Member]:
    committee = _require(request, "duties.take_part")
    member = member_of_user(request.user, committee)
    if member is None:
        raise PermissionDenied
    return committee, member


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    message: str,
    title: str,
    cancel_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            return redirect(success(obj))
    context = {"form": form, "title": title, "cancel_url": cancel_url, **(extra or {})}
    return render(request, "duties/form.html", context, status=400 if form.errors else 200)


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


# --- Activities: staff -----------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "duties.view_activities")
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    if state not in Activity.State.values:
        state = ""
    if kind not in ActivityKind.values:
        kind = ""
    qs = selectors.activities_for_staff(
        committee, state=state, kind=kind, query=request.GET.get("q", "")
    )
    return render(
        request,
        "duties/activity_list.html",
        {
            "page_obj": _page(request, qs),
            "states": Activity.State.choices,
            "kinds": ActivityKind.choices,
            "state": state,
            "kind": kind,
            "q": request.GET.get("q", ""),
            "can_manage": request.user.has_perm("duties.manage_activities", committee),
        },
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "duties.manage_activities")
    form = forms.ActivityForm(_data(request), committee=committee)
    return _form_page(
        request,
        form,
        save=lambda data: services.activity_save(
            committee=committee, actor=request.user, data=data, request=request
        ),
        success=lambda a: reverse("duties:activity_detail", args=[a.pk]),
        message=_("The activity is saved as a draft."),
        title=_("New activity"),
        cancel_url=reverse("duties:activity_list"),
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "duties.manage_activities")
    activity = get_object_or_404(Activity.objects.filter(committee=committee), pk=pk)
    form = forms.ActivityForm(_data(request), committee=committee, activity=activity)
    return _form_page(
        request,
        form,
        save=lambda data: services.activity_save(
            committee=committee, actor=request.user, data=data, activity=activity, request=request
        ),
        success=lambda a: reverse("duties:activity_detail", args=[a.pk]),
        message=_("The activity is saved."),
        title=_("Change the activity"),
        cancel_url=reverse("duties:activity_detail", args=[activity.pk]),
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = getattr(request, "committee", None)
    if committee is None:
        raise PermissionDenied
    if request.user.has_perm("duties.view_activities", committee):
        activity = get_object_or_404(selectors.activity_for_staff(committee), pk=pk)
        state = request.GET.get("state", "")
        if state not in Invitation.State.values:
            state = ""
        return render(
            request,
            "duties/activity_detail.html",
            {
                "activity": activity,
                "page_obj": _page(
                    request, selectors.invitations_of_activity(activity, state=state)
                ),
                "state": state,
                "invitation_states": Invitation.State.choices,
                "events": activity.events.select_related("actor"),
                "can_manage": request.user.has_perm("duties.manage_activities", committee),
                "scope_members": activity.scope_members.select_related("person")
                if activity.scope == Activity.Scope.LIST
                else (),
            },
        )
    _committee, member = _my_member(request)
    invitation = get_object_or_404(
        Invitation.objects.filter(
            member=member,
            activity__committee=committee,
            activity__state__in=[
                Activity.State.PUBLISHED,
                Activity.State.CLOSED,
                Activity.State.CANCELLED,
            ],
        ).select_related("activity"),
        activity_id=pk,
    )
    return render(
        request,
        "duties/invitation_detail.html",
        {
            "invitation": invitation,
            "activity": invitation.activity,
            "leave_form": forms.ReasonForm(),
            "can_sign_up": invitation.state
            in (Invitation.State.INVITED, Invitation.State.LEAVE_REFUSED)
            and invitation.activity.state == Activity.State.PUBLISHED,
            "can_ask_leave": invitation.state
            in (
                Invitation.State.INVITED,
                Invitation.State.SIGNED_UP,
                Invitation.State.LEAVE_REFUSED,
            )
            and invitation.activity.state == Activity.State.PUBLISHED,
        },
    )


@login_required
@require_POST
def activity_publish(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "duties.manage_activities")
    activity = get_object_or_404(Activity.objects.filter(committee=committee), pk=pk)
    return _act(
        request,
        lambda: services.activity_publish(activity=activity, actor=request.user, request=request),
        _("The activity is published and the members are invited."),
        reverse("duties:activity_detail", args=[pk]),
    )


@login_required
@require_POST
def activity_close(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "duties.manage_activities")
    activity = get_object_or_404(Activity.objects.filter(committee=committee), pk=pk)
    return _act(
        request,
        lambda: services.activity_close(activity=activity, actor=request.user, request=request),
        _("The activity is closed and the duty records are written."),
        reverse("duties:activity_detail", args=[pk]),
    )


@login_required
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "duties.manage_activities")
    activity = get_object_or_404(Activity.objects.filter(committee=committee), pk=pk)
    form = forms.ReasonForm(_data(request))
    return _form_page(
        request,
        form,
        save=lambda data: services.activity_cancel(
            activity=activity, actor=request.user, reason=data["reason"], request=request
        ),
        success=lambda a: reverse("duties:activity_detail", args=[a.pk]),
        message=_("The activity is cancelled."),
        title=_("Cancel the activity: %(title)s") % {"title": activity.title},
        cancel_url=reverse("duties:activity_detail", args=[activity.pk]),
        extra={"danger": True, "submit_label": _("Cancel the activity")},
    )


def _qr_context(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    now = timezone.now()
    slot, token = checkin.current_code(activity.pk, now)
    url = request.build_absolute_uri(reverse("duties:checkin", args=[activity.pk, slot, token]))
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = BytesIO()
    image.save(buffer)
    data_uri = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    return {
        "activity": activity,
        "checkin_url": url,
        "qr_data_uri": data_uri,
        "open": activity.state == Activity.State.PUBLISHED
        and checkin.in_window(activity.start_at, activity.end_at, now),
        "now": now,
        "margin_minutes": int(checkin.CHECKIN_MARGIN.total_seconds() // 60),
    }


@never_cache
@login_required
def activity_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The page staff show at the venue; htmx refreshes the code every 30 s."""
    committee = _require(request, "duties.manage_activities")
    activity = get_object_or_404(selectors.activity_for_staff(committee), pk=pk)
    template = (
        "duties/_qr_code.html" if request.headers.get("HX-Request") else "duties/activity_qr.html"
    )
    return render(request, template, _qr_context(request, activity))


@login_required
def invitation_mark(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "duties.manage_activities")
    invitation = get_object_or_404(
        Invitation.objects.filter(committee=committee).select_related("member__person", "activity"),
        pk=pk,
    )
    form = forms.MarkForm(_data(request))
    return _form_page(
        request,
        form,
        save=lambda data: services.invitation_mark(
            invitation=invitation,
            actor=request.user,
            outcome=data["outcome"],
            reason=data["reason"],
            request=request,
        ),
        success=lambda i: reverse("duties:activity_detail", args=[invitation.activity_id]),
        message=_("The attendance is recorded."),
        title=_("Mark attendance: %(name)s") % {"name": invitation.member.person.name},
        cancel_url=reverse("duties:activity_detail", args=[invitation.activity_id]),
    )


@login_required
def leave_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "duties.manage_activities")
    return render(
        request,
        "duties/leave_list.html",
        {
            "page_obj": _page(request, selectors.leave_requests(committee)),
            "note_form": forms.NoteForm(),
        },
    )


@login_required
@require_POST
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "duties.manage_activities")
    invitation = get_object_or_404(Invitation.objects.filter(committee=committee), pk=pk)
    approve = request.POST.get("decision") == "approve"
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(
        request,
        lambda: services.invitation_decide_leave(
            invitation=invitation, actor=request.user, approve=approve, note=note, request=request
        ),
        _("Leave approved.") if approve else _("Leave refused."),
        (
            request.POST.get("next") == "activity"
            and reverse("duties:activity_detail", args=[invitation.activity_id])
        )
        or reverse("duties:leave_list"),
    )


# --- Activities: members ------------------------------------------------------------


@login_required
def my_duties(request: HttpRequest) -> HttpResponse:
    committee, member = _my_member(request)
    now = timezone.now()
    invitations = selectors.invitations_of_member(member)
    return render(
        request,
        "duties/my_duties.html",
        {
            "member": member,
            "upcoming": invitations.filter(
                activity__end_at__gte=now, activity__state=Activity.State.PUBLISHED
            ),
            "page_obj": _page(
                request,
                invitations.exclude(
                    activity__end_at__gte=now, activity__state=Activity.State.PUBLISHED
                ),
            ),
            "records": selectors.live_records(committee)
            .filter(member=member)
            .order_by("-date", "-id")[:10],
        },
    )


def _own_invitation(request: HttpRequest, activity_pk: int) -> Invitation:
    committee, member = _my_member(request)
    return get_object_or_404(
        Invitation.objects.filter(member=member, activity__committee=committee),
        activity_id=activity_pk,
    )


@login_required
@require_POST
def invitation_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    return _act(
        request,
        lambda: services.invitation_sign_up(invitation=invitation, actor=request.user),
        _("You are signed up."),
        reverse("duties:activity_detail", args=[pk]),
    )


@login_required
def invitation_leave(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    form = forms.ReasonForm(_data(request))
    return _form_page(
        request,
        form,
        save=lambda data: services.invitation_request_leave(
            invitation=invitation, actor=request.user, reason=data["reason"]
        ),
        success=lambda i: reverse("duties:activity_detail", args=[pk]),
        message=_("Your request for leave is sent."),
        title=_("Ask for leave"),
        cancel_url=reverse("duties:activity_detail", args=[pk]),
    )


@never_cache
@login_required
def checkin_view(request: HttpRequest, pk: int, slot: int, token: str) -> HttpResponse:
    """What the QR code opens on the member's phone. GET checks the code and
    asks to confirm; POST checks the member in (the code is checked again)."""
    committee = getattr(request, "committee", None)
    activity = Activity.objects.filter(pk=pk).first()
    if activity is None:
        raise Http404
    # The phone may be switched to another committee: the activity's own
    # committee must be one the user works in, else it does not exist for them.
    available = {c.pk for c in getattr(request, "available_committees", [])}
    if (committee is None or activity.committee_id != committee.pk) and (
        activity.committee_id not in available
    ):
        raise Http404
    error = ""
    done = None
    code = checkin.check_code(activity.pk, slot, token)
    if request.method == "POST":
        try:
            done = services.invitation_check_in(
                activity=activity, actor=request.user, slot=slot, token=token
            )
        except DomainError as exc:
            error = exc.message
    elif not code.ok:
        error = (
            _("This check-in code has expired. Scan the code on the screen again.")
            if code.reason == "expired"
            else _("This check-in code is not valid.")
        )
    status = 400 if error else 200
    return render(
        request,
        "duties/checkin.html",
        {"activity": activity, "error": error, "done": done},
        status=status,
    )


# --- Study notes ----------------------------------------------------------------------


@login_required
def note_list(request: HttpRequest) -> HttpResponse:
    _committee, member = _my_member(request)
    return render(
        request,
        "duties/note_list.html",
        {"page_obj": _page(request, selectors.study_notes_of(member))},
    )


@login_required
def note_create(request: HttpRequest) -> HttpResponse:
    _committee, member = _my_member(request)
    form = forms.StudyNoteForm(_data(request))
    return _form_page(
        request,
        form,
        save=lambda data: services.study_note_save(member=member, actor=request.user, **data),
        success=lambda n: reverse("duties:note_list"),
        message=_("Your study note is saved."),
        title=_("New study note"),
        cancel_url=reverse("duties:note_list"),
    )


@login_required
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _committee, member = _my_member(request)
    note = get_object_or_404(StudyNote.objects.filter(member=member), pk=pk)
    form = forms.StudyNoteForm(
        _data(request), initial={"title": note.title, "text": note.text, "date": note.date}
    )
    return _form_page(
        request,
        form,
        save=lambda data: services.study_note_save(
            member=member, actor=request.user, note=note, **data
        ),
        success=lambda n: reverse("duties:note_list"),
        message=_("Your study note is saved."),
        title=_("Change the study note"),
        cancel_url=reverse("duties:note_list"),
    )


@login_required
@require_POST
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _committee, member = _my_member(request)
    note = get_object_or_404(StudyNote.objects.filter(member=member), pk=pk)
    return _act(
        request,
        lambda: services.study_note_delete(note=note, actor=request.user),
        _("The study note is deleted."),
        reverse("duties:note_list"),
    )


# --- Plenary speeches (staff) ----------------------------------------------------------


@login_required
def speech_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "duties.review_duties")
    return render(
        request,
        "duties/speech_list.html",
        {"page_obj": _page(request, selectors.speeches_of(committee))},
    )


@login_required
def speech_create(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "duties.review_duties")
    form = forms.SpeechForm(_data(request), committee=committee)
    return _form_page(
        request,
        form,
        save=lambda data: services.speech_register(actor=request.user, request=request, **data),
        success=lambda s: reverse("duties:speech_list"),
        message=_("The speech is registered."),
        title=_("Register a plenary speech"),
        cancel_url=reverse("duties:speech_list"),
    )


@login_required
@require_POST
def speech_delete(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "duties.review_duties")
    speech = get_object_or_404(PlenarySpeech.objects.filter(committee=committee), pk=pk)
    return _act(
        request,
        lambda: services.speech_withdraw(speech=speech, actor=request.user, request=request),
        _("The speech is removed and its duty record withdrawn."),
        reverse("duties:speech_list"),
    )


# --- Services and contributions ----------------------------------------------------------


@login_required
def contribution_mine(request: HttpRequest) -> HttpResponse:
    _committee, member = _my_member(request)
    qs = Contribution.objects.filter(member=member).order_by("-date", "-id")
    return render(request, "duties/contribution_mine.html", {"page_obj": _page(request, qs)})


@login_required
def contribution_create(request: HttpRequest) -> HttpResponse:
    _committee, member = _my_member(request)
    form = forms.ContributionForm(_data(request), request.FILES or None)
    return _form_page(
        request,
        form,
        save=lambda data: services.contribution_submit(member=member, actor=request.user, **data),
        success=lambda c: reverse("duties:contribution_mine"),
        message=_("Your item is sent to the office for confirmation."),
        title=_("Report a service or contribution"),
        cancel_url=reverse("duties:contribution_mine"),
        extra={"multipart": True},
    )


@login_required
def contribution_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "duties.review_duties")
    state = request.GET.get("state", Contribution.State.SUBMITTED)
    if state not in Contribution.State.values:
        state = ""
    return render(
        request,
        "duties/contribution_list.html",
        {
            "page_obj": _page(request, selectors.contributions_of(committee, state=state)),
            "state": state,
            "states": Contribution.State.choices,
            "note_form": forms.NoteForm(),
        },
    )


@login_required
@require_POST
def contribution_review(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "duties.review_duties")
    item = get_object_or_404(Contribution.objects.filter(committee=committee), pk=pk)
    confirm = request.POST.get("decision") == "confirm"
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(
        request,
        lambda: services.contribution_review(
            item=item, actor=request.user, confirm=confirm, note=note, request=request
        ),
        _("The item is confirmed and recorded.") if confirm else _("The item is not confirmed."),
        reverse("duties:contribution_list"),
    )


@login_required
def contribution_evidence(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Evidence is served to the member who reported it and to duties staff."""
    committee = getattr(request, "committee", None)
    if committee is None:
        raise PermissionDenied
    items = Contribution.objects.filter(committee=committee)
    if not request.user.has_perm("duties.review_duties", committee):
        _committee, member = _my_member(request)
        items = items.filter(member=member)
    item = get_object_or_404(items, pk=pk)
    attachment = get_object_or_404(attachments_of(item, "evidence"), pk=attachment_pk)
    return attachment_response(attachment)


# --- Annual duty projects ---------------------------------------------------------------


@login_required
def project_mine(request: HttpRequest) -> HttpResponse:
    committee, member = _my_member(request)
    qs = selectors.project_detail(committee).filter(member=member)
    return render(request, "duties/project_mine.html", {"page_obj": _page(request, qs)})


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    _committee, member = _my_member(request)
    form = forms.ProjectForm(_data(request), initial={"year": timezone.localdate().year})
    return _form_page(
        request,
        form,
        save=lambda data: services.project_declare(member=member, actor=request.user, **data),
        success=lambda p: reverse("duties:project_mine"),
        message=_("Your duty project is declared and awaits approval."),
        title=_("Declare an annual duty project"),
        cancel_url=reverse("duties:project_mine"),
    )


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _committee, member = _my_member(request)
    project = get_object_or_404(DutyProject.objects.filter(member=member), pk=pk)
    form = forms.ProjectForm(
        _data(request),
        initial={
            "year": project.year,
            "topic": project.topic,
            "planned_steps": project.planned_steps,
        },
    )
    return _form_page(
        request,
        form,
        save=lambda data: services.project_declare(
            member=member, actor=request.user, project=project, **data
        ),
        success=lambda p: reverse("duties:project_mine"),
        message=_("Your duty project is declared and awaits approval."),
        title=_("Change the duty project"),
        cancel_url=reverse("duties:project_mine"),
    )


@login_required
def project_link(request: HttpRequest, pk: int) -> HttpResponse:
    _committee, member = _my_member(request)
    project = get_object_or_404(DutyProject.objects.filter(member=member), pk=pk)
    form = forms.ProjectLinkForm(_data(request), member=member)
    return _form_page(
        request,
        form,
        save=lambda data: services.project_link(project=project, actor=request.user, **data),
        success=lambda link: reverse("duties:project_mine"),
        message=_("The work is linked to your project."),
        title=_("Link work to: %(topic)s") % {"topic": project.topic},
        cancel_url=reverse("duties:project_mine"),
    )


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "duties.review_duties")
    state = request.GET.get("state", "")
    if state not in DutyProject.State.values:
        state = ""
    return render(
        request,
        "duties/project_list.html",
        {
            "page_obj": _page(
                request,
                selectors.project_detail(committee)
                .filter(**({"state": state} if state else {}))
                .order_by("-year", "-id"),
            ),
            "state": state,
            "states": DutyProject.State.choices,
            "note_form": forms.NoteForm(),
        },
    )


@login_required
@require_POST
def project_review(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "duties.review_duties")
    project = get_object_or_404(DutyProject.objects.filter(committee=committee), pk=pk)
    approve = request.POST.get("decision") == "approve"
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(
        request,
        lambda: services.project_review(
            project=project, actor=request.user, approve=approve, note=note, request=request
        ),
        _("The project is approved.") if approve else _("The project is returned for revision."),
        reverse("duties:project_list"),
    )
