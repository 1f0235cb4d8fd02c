"""Pages of duty activities: staff run them (drafts, publishing, QR check-in,
leave, attendance, closing); members sign up, ask leave and check in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lvzhi.core.committee_settings import setting_value
from lvzhi.core.corrections import corrections_of
from lvzhi.core.errors import DomainError
from lvzhi.core.exports import export_response
from lvzhi.core.permissions import has_perm
from lvzhi.core.qr import qr_data_uri
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    int_param,
    list_page,
    object_for,
    posted,
    run_action,
)
from lvzhi.duties import checkin, filters, forms, selectors, services
from lvzhi.duties.models import Activity, Invitation
from lvzhi.duties.settings_defs import CHECKIN_MARGIN_MINUTES
from lvzhi.duties.views.common import decision_page, my_member
from lvzhi.duties.workflow import ACTIVITY_FLOW

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


def _staff_step(
    request: HttpRequest, pk: int, step: Callable[..., Any], message: str
) -> HttpResponse:
    """A button of staff on an activity: ``step(activity=, actor=)``, back to the activity."""
    activity = _staff_activity(request, pk)
    return run_action(
        request,
        lambda: step(activity=activity, actor=acting_user(request)),
        message,
        _activity_url(pk),
    )


def _reason_page(
    request: HttpRequest,
    *,
    title: str,
    back: str,
    save: Callable[[str], Any],
    message: str,
    **context: Any,
) -> HttpResponse:
    """A step that needs a reason (cancelling, asking leave): ``save(reason)``."""
    return form_page(
        request,
        forms.ReasonForm(posted(request)),
        title=title,
        cancel_url=back,
        save=lambda data: save(data["reason"]),
        message=message,
        **context,
    )


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.view_activities")
    return list_page(
        request,
        "duties/activity_list.html",
        filters.ActivityFilter(
            request.GET, queryset=selectors.activities_for_staff(committee), committee=committee
        ),
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.manage_activities")
    return form_page(
        request,
        forms.ActivityForm(posted(request), committee=committee),
        title=_("New activity"),
        cancel_url=reverse("duties:activity_list"),
        save=lambda data: services.activity_save(
            committee=committee, actor=acting_user(request), data=data
        ),
        success=lambda activity: _activity_url(activity.pk),
        message=_("The activity is saved as a draft."),
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _staff_activity(request, pk)
    return form_page(
        request,
        forms.ActivityForm(posted(request), committee=activity.committee, activity=activity),
        title=_("Change the activity"),
        cancel_url=_activity_url(pk),
        save=lambda data: services.activity_save(
            committee=activity.committee, actor=acting_user(request), data=data, activity=activity
        ),
        message=_("The activity is saved."),
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request)
    if has_perm(request.user, "duties.view_activities", committee):
        activity = object_for(
            request, selectors.activity_for_staff(committee), perm="duties.view_activity", pk=pk
        )
        return list_page(
            request,
            "duties/activity_detail.html",
            filters.InvitationFilter(
                request.GET,
                queryset=selectors.invitations_of_activity(activity),
                committee=committee,
            ),
            activity=activity,
            events=activity.events.select_related("actor"),
            # The history shows each step and state by its label, never its code.
            event_labels={"create": _("draft created")}
            | {action: ACTIVITY_FLOW.label(action) for action in ACTIVITY_FLOW.actions()},
            state_labels=dict(Activity.State.choices),
            show_invitations=activity.state != Activity.State.DRAFT,
            may_manage=has_perm(request.user, "duties.manage_activities", committee),
            scope_members=activity.scope_members.select_related("person")
            if activity.scope == Activity.Scope.LIST
            else (),
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
def activity_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable sign-in sheet (签到表): every invitee by sector, what they
    answered, their check-in, and a column to sign in."""
    committee = committee_for(request, "duties.manage_activities")
    activity = object_for(
        request, selectors.activity_for_staff(committee), perm="duties.manage_activity", pk=pk
    )
    return render(
        request,
        "duties/activity_sheet.html",
        {"activity": activity, "invitations": selectors.invitations_of_activity(activity)},
    )


@login_required
def activity_export(request: HttpRequest) -> HttpResponse:
    """The attendance of one activity (``?activity=<pk>``) as .xlsx, streamed."""
    committee = committee_for(request, "duties.manage_activities")
    object_for(
        request,
        Activity.objects.filter(committee=committee),
        perm="duties.manage_activity",
        pk=int_param(request.GET.get("activity")) or 0,
    )
    return export_response(request, "duties_attendance")  # type: ignore[return-value]


@login_required
@require_POST
def activity_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_step(
        request,
        pk,
        services.activity_publish,
        _("The activity is published and the members are invited."),
    )


@login_required
@require_POST
def activity_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_step(
        request,
        pk,
        services.activity_close,
        _("The activity is closed and the duty records are written."),
    )


@login_required
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _staff_activity(request, pk)
    return _reason_page(
        request,
        title=_("Cancel the activity: %(title)s") % {"title": activity.title},
        back=_activity_url(pk),
        save=lambda reason: services.activity_cancel(
            activity=activity, actor=acting_user(request), reason=reason
        ),
        message=_("The activity is cancelled."),
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
    return form_page(
        request,
        forms.MarkForm(posted(request)),
        title=_("Mark attendance: %(name)s") % {"name": invitation.member.person.name},
        cancel_url=_activity_url(invitation.activity_id),
        save=lambda data: services.invitation_mark(
            invitation=invitation,
            actor=acting_user(request),
            outcome=data["outcome"],
            reason=data["reason"],
        ),
        message=_("The attendance is recorded."),
    )


@login_required
def invitation_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """After closing: correct one member's attendance, with a reason; the
    original stays readable here and on the activity's page."""
    committee = committee_for(request, "duties.manage_activities")
    invitation = object_for(
        request,
        Invitation.objects.filter(committee=committee).select_related("member__person", "activity"),
        perm="duties.correct_attendance",
        pk=pk,
    )
    back = _activity_url(invitation.activity_id)
    return form_page(
        request,
        forms.CorrectForm(posted(request), current=invitation.state),
        title=_("Correct attendance: %(name)s") % {"name": invitation.member.person.name},
        cancel_url=back,
        save=lambda data: services.invitation_correct(
            invitation=invitation,
            actor=acting_user(request),
            outcome=data["outcome"],
            reason=data["reason"],
        ),
        success=lambda _invitation: back,
        message=_("The attendance is corrected and the duty record follows it."),
        before_form="duties/_correction_intro.html",
        breadcrumbs=[
            (_("Duty activities"), reverse("duties:activity_list")),
            (invitation.activity.title, back),
        ],
        invitation=invitation,
        corrections=corrections_of(invitation),
        submit_label=_("Correct attendance"),
    )


@login_required
def leave_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.manage_activities")
    return list_page(request, "duties/leave_list.html", selectors.leave_requests(committee))


@login_required
@require_POST
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "duties.manage_activities")
    invitation = object_for(
        request, Invitation.objects.filter(committee=committee), perm="duties.decide_leave", pk=pk
    )
    return decision_page(
        request,
        "approve",
        lambda approve, note: services.invitation_decide_leave(
            invitation=invitation, actor=acting_user(request), approve=approve, note=note
        ),
        (_("Leave approved."), _("Leave refused.")),
        (request.POST.get("next") == "activity" and _activity_url(invitation.activity_id))
        or reverse("duties:leave_list"),
    )


# --- Activities: members ------------------------------------------------------------


@login_required
def my_duties(request: HttpRequest) -> HttpResponse:
    committee, member = my_member(request)
    now = timezone.now()
    invitations = selectors.invitations_of_member(member)
    upcoming = {"activity__end_at__gte": now, "activity__state": Activity.State.PUBLISHED}
    records = selectors.live_records(committee).filter(member=member).order_by("-date", "-id")
    return list_page(
        request,
        "duties/my_duties.html",
        invitations.exclude(**upcoming),
        member=member,
        upcoming=invitations.filter(**upcoming),
        records=records[:10],
    )


@login_required
def open_activities(request: HttpRequest) -> HttpResponse:
    """The activities a member may still sign up for: published, not yet
    started, neither signed up for nor on leave."""
    _committee, member = my_member(request)
    return list_page(
        request, "duties/open_activities.html", selectors.open_invitations(member), member=member
    )


def _own_invitation(request: HttpRequest, activity_pk: int) -> Invitation:
    committee, member = my_member(request)
    return object_for(
        request,
        Invitation.objects.filter(member=member, activity__committee=committee).select_related(
            "activity", "member__person"
        ),
        perm="duties.answer_invitation",
        activity_id=activity_pk,
    )


@login_required
@require_POST
def invitation_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    return run_action(
        request,
        lambda: services.invitation_sign_up(invitation=invitation, actor=acting_user(request)),
        _("You are signed up."),
        _activity_url(pk),
    )


@login_required
@require_POST
def invitation_withdraw_leave(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    return run_action(
        request,
        lambda: services.invitation_withdraw_leave(
            invitation=invitation, actor=acting_user(request)
        ),
        _("Your request for leave is withdrawn."),
        _activity_url(pk),
    )


@login_required
def invitation_leave(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    return _reason_page(
        request,
        title=_("Ask for leave: %(title)s") % {"title": invitation.activity.title},
        back=_activity_url(pk),
        intro=_("%(start)s at %(place)s")
        % {
            "start": timezone.localtime(invitation.activity.start_at).strftime("%Y-%m-%d %H:%M"),
            "place": invitation.activity.place,
        },
        save=lambda reason: services.invitation_request_leave(
            invitation=invitation, actor=acting_user(request), reason=reason
        ),
        message=_("Your request for leave is sent."),
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
                activity=activity, actor=acting_user(request), slot=slot, token=token
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
