"""Pages of duty activities: staff run them (drafts, publishing, QR check-in,
leave, attendance, closing); members sign up, ask leave and check in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lvzhi.core.committee_settings import setting_value
from lvzhi.core.errors import DomainError
from lvzhi.core.permissions import has_perm
from lvzhi.core.qr import qr_data_uri
from lvzhi.core.web import (
    committee_for,
    object_for,
    paginate,
    posted,
    run_action,
    save_form,
)
from lvzhi.duties import checkin, forms, selectors, services
from lvzhi.duties.models import (
    Activity,
    ActivityKind,
    Invitation,
)
from lvzhi.duties.settings_defs import CHECKIN_MARGIN_MINUTES
from lvzhi.duties.views.common import form_page, my_member, note_of

# --- Activities: staff -----------------------------------------------------------------


def _staff_activity(request: HttpRequest, pk: int) -> Activity:
    committee = committee_for(request, "duties.manage_activities")
    return object_for(
        request,
        Activity.objects.filter(committee=committee),
        perm="duties.manage_activity",
        pk=pk,
    )


def _activity_url(pk: int) -> str:
    return reverse("duties:activity_detail", args=[pk])


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.view_activities")
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
            "page_obj": paginate(request, qs),
            "states": Activity.State.choices,
            "kinds": ActivityKind.choices,
            "state": state,
            "kind": kind,
            "q": request.GET.get("q", ""),
        },
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.manage_activities")
    form = forms.ActivityForm(posted(request), committee=committee)
    activity = save_form(
        request,
        form,
        lambda data: services.activity_save(committee=committee, actor=request.user, data=data),
        _("The activity is saved as a draft."),
    )
    if activity:
        return redirect(_activity_url(activity.pk))
    return form_page(
        request, form, title=_("New activity"), cancel_url=reverse("duties:activity_list")
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _staff_activity(request, pk)
    form = forms.ActivityForm(posted(request), committee=activity.committee, activity=activity)
    saved = save_form(
        request,
        form,
        lambda data: services.activity_save(
            committee=activity.committee, actor=request.user, data=data, activity=activity
        ),
        _("The activity is saved."),
    )
    if saved:
        return redirect(_activity_url(pk))
    return form_page(request, form, title=_("Change the activity"), cancel_url=_activity_url(pk))


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request)
    if has_perm(request.user, "duties.view_activities", committee):
        activity = object_for(
            request, selectors.activity_for_staff(committee), perm="duties.view_activity", pk=pk
        )
        state = request.GET.get("state", "")
        if state not in Invitation.State.values:
            state = ""
        return render(
            request,
            "duties/activity_detail.html",
            {
                "activity": activity,
                "page_obj": paginate(
                    request, selectors.invitations_of_activity(activity, state=state)
                ),
                "state": state,
                "invitation_states": Invitation.State.choices,
                "events": activity.events.select_related("actor"),
                "show_invitations": activity.state != Activity.State.DRAFT,
                "scope_members": activity.scope_members.select_related("person")
                if activity.scope == Activity.Scope.LIST
                else (),
            },
        )
    _committee, member = my_member(request)
    invitation = object_for(
        request,
        selectors.invitations_of_member(member, with_cancelled=True).filter(
            activity__committee=committee
        ),
        activity_id=pk,
    )
    return render(
        request,
        "duties/invitation_detail.html",
        {
            "invitation": invitation,
            "activity": invitation.activity,
            "cancelled": invitation.activity.state == Activity.State.CANCELLED,
        },
    )


@login_required
@require_POST
def activity_publish(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _staff_activity(request, pk)
    return run_action(
        request,
        lambda: services.activity_publish(activity=activity, actor=request.user),
        _("The activity is published and the members are invited."),
        _activity_url(pk),
    )


@login_required
@require_POST
def activity_close(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _staff_activity(request, pk)
    return run_action(
        request,
        lambda: services.activity_close(activity=activity, actor=request.user),
        _("The activity is closed and the duty records are written."),
        _activity_url(pk),
    )


@login_required
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _staff_activity(request, pk)
    form = forms.ReasonForm(posted(request))
    done = save_form(
        request,
        form,
        lambda data: services.activity_cancel(
            activity=activity, actor=request.user, reason=data["reason"]
        ),
        _("The activity is cancelled."),
    )
    if done:
        return redirect(_activity_url(pk))
    return form_page(
        request,
        form,
        title=_("Cancel the activity: %(title)s") % {"title": activity.title},
        cancel_url=_activity_url(pk),
        danger=True,
        submit_label=_("Cancel the activity"),
    )


def _qr_context(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    now = timezone.now()
    slot, token = checkin.current_code(activity.pk, now)
    url = request.build_absolute_uri(reverse("duties:checkin", args=[activity.pk, slot, token]))
    minutes = setting_value(activity.committee, CHECKIN_MARGIN_MINUTES)
    margin = dt.timedelta(minutes=minutes)
    return {
        "activity": activity,
        "checkin_url": url,
        "qr_data_uri": qr_data_uri(url),
        "open": activity.state == Activity.State.PUBLISHED
        and checkin.in_window(activity.start_at, activity.end_at, now, margin),
        "now": now,
        "margin_minutes": minutes,
    }


@never_cache
@login_required
def activity_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The page staff show at the venue; htmx refreshes the code every 30 s."""
    committee = committee_for(request, "duties.manage_activities")
    activity = object_for(
        request, selectors.activity_for_staff(committee), perm="duties.manage_activity", pk=pk
    )
    template = (
        "duties/_qr_code.html" if request.headers.get("HX-Request") else "duties/activity_qr.html"
    )
    return render(request, template, _qr_context(request, activity))


@login_required
def invitation_mark(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "duties.manage_activities")
    invitation = object_for(
        request,
        Invitation.objects.filter(committee=committee).select_related("member__person", "activity"),
        perm="duties.mark_attendance",
        pk=pk,
    )
    form = forms.MarkForm(posted(request))
    done = save_form(
        request,
        form,
        lambda data: services.invitation_mark(
            invitation=invitation,
            actor=request.user,
            outcome=data["outcome"],
            reason=data["reason"],
        ),
        _("The attendance is recorded."),
    )
    if done:
        return redirect(_activity_url(invitation.activity_id))
    return form_page(
        request,
        form,
        title=_("Mark attendance: %(name)s") % {"name": invitation.member.person.name},
        cancel_url=_activity_url(invitation.activity_id),
    )


@login_required
def leave_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.manage_activities")
    return render(
        request,
        "duties/leave_list.html",
        {"page_obj": paginate(request, selectors.leave_requests(committee))},
    )


@login_required
@require_POST
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "duties.manage_activities")
    invitation = object_for(
        request, Invitation.objects.filter(committee=committee), perm="duties.decide_leave", pk=pk
    )
    approve = request.POST.get("decision") == "approve"
    note = note_of(request)
    return run_action(
        request,
        lambda: services.invitation_decide_leave(
            invitation=invitation, actor=request.user, approve=approve, note=note
        ),
        _("Leave approved.") if approve else _("Leave refused."),
        (request.POST.get("next") == "activity" and _activity_url(invitation.activity_id))
        or reverse("duties:leave_list"),
    )


# --- Activities: members ------------------------------------------------------------


@login_required
def my_duties(request: HttpRequest) -> HttpResponse:
    committee, member = my_member(request)
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
            "page_obj": paginate(
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
    committee, member = my_member(request)
    return object_for(
        request,
        Invitation.objects.filter(member=member, activity__committee=committee),
        perm="duties.answer_invitation",
        activity_id=activity_pk,
    )


@login_required
@require_POST
def invitation_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    return run_action(
        request,
        lambda: services.invitation_sign_up(invitation=invitation, actor=request.user),
        _("You are signed up."),
        _activity_url(pk),
    )


@login_required
def invitation_leave(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    form = forms.ReasonForm(posted(request))
    done = save_form(
        request,
        form,
        lambda data: services.invitation_request_leave(
            invitation=invitation, actor=request.user, reason=data["reason"]
        ),
        _("Your request for leave is sent."),
    )
    if done:
        return redirect(_activity_url(pk))
    return form_page(request, form, title=_("Ask for leave"), cancel_url=_activity_url(pk))


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
