"""Pages of the public channel. The citizen's pages (/p/…) need no login;
the inbox and the rest are for public staff, leaders and venue members.

Each view loads through a selector and checks a permission of rules.py with
core.web, calls one service, and redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lvzhi.core import files
from lvzhi.core.audit import audit_log
from lvzhi.core.committee_settings import committee_settings_update, form_values, setting_value
from lvzhi.core.context import client_ip
from lvzhi.core.errors import DomainError
from lvzhi.core.models import Attachment
from lvzhi.core.permissions import has_perm
from lvzhi.core.qr import qr_svg
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_errors_from,
    form_page,
    form_status,
    list_page,
    object_for,
    posted,
    run_action,
    this_year,
    year_param,
)
from lvzhi.org.models import Member
from lvzhi.org.selectors import eligible_members
from lvzhi.public import audit, codes, conversions, forms, guard, selectors, services
from lvzhi.public import settings_defs as limits
from lvzhi.public.filters import MessageFilter
from lvzhi.public.models import Message, Venue
from lvzhi.public.workflow import MESSAGE_FLOW

# --- The citizen's pages (no login) ------------------------------------------------------------


def _venue_context(venue: Venue) -> dict[str, Any]:
    return selectors.venue_page_data(venue)


def _active_venue(code: str) -> Venue:
    venue = selectors.active_venue(code)
    if venue is None:
        raise Http404
    return venue


def _message_send(request: HttpRequest, venue: Venue, form: Form) -> HttpResponse | None:
    """Send the citizen's valid form: the redirect to the tracking page, a
    429 page past the hourly limit, or None (the errors are on the form)."""
    data = form.cleaned_data
    try:
        result = services.message_submit(
            venue=venue,
            category=data["category"],
            text=data["text"],
            form_token=data["form_token"],
            name=data["name"],
            mobile=data["mobile"],
            consent=data["consent"],
            photos=data["photos"],
            ip=client_ip(request),
        )
    except services.RateLimited as error:
        form.add_error(None, error.message)
        context = _venue_context(venue) | {"form": form, "limited": True}
        return render(request, "public/venue_page.html", context, status=429)
    except DomainError as error:
        form_errors_from(form, error)
        return None
    return redirect(reverse("public:track", args=[codes.display(result.code)]) + "?new=1")


@never_cache
def venue_page(request: HttpRequest, code: str) -> HttpResponse:
    """The QR target: who is behind the venue, recent public replies, the form."""
    venue = _active_venue(code)
    max_length = setting_value(venue.committee, limits.MAX_LENGTH)
    if request.method == "POST":
        form = forms.MessageForm(request.POST, request.FILES, max_length=max_length)
        if form.is_valid():
            response = _message_send(request, venue, form)
            if response is not None:
                return response
        elif form.honeypot_filled:
            services.refusal_record(venue=venue, kind=guard.REFUSED_HONEYPOT)
    else:
        form = forms.MessageForm(
            initial={"form_token": codes.new_form_token()}, max_length=max_length
        )
    context = _venue_context(venue) | {"form": form}
    return render(request, "public/venue_page.html", context, status=form_status(form))


def _too_many_misses(request: HttpRequest) -> bool:
    return services.track_misses_exceeded(ip=client_ip(request))


def _count_miss(request: HttpRequest) -> None:
    services.track_miss_count(ip=client_ip(request))


def _limited_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/limited.html",
        {
            "message": _(
                "Too many wrong tracking codes from your network in the last hour. Please "
                "try again in an hour."
            )
        },
        status=429,
    )


@never_cache
def track_lookup(request: HttpRequest) -> HttpResponse:
    form = forms.TrackForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if _too_many_misses(request):
            return _limited_page(request)
        code = codes.normalise(form.cleaned_data["code"])
        if code and services.message_by_code(code) is not None:
            return redirect("public:track", code=code)
        return _unknown_code(request, form)
    return render(request, "public/track_lookup.html", {"form": form})


def _unknown_code(request: HttpRequest, form: forms.TrackForm, status: int = 200) -> HttpResponse:
    """A wrong code answers on the citizen's own tracking form, with what they
    typed kept - never with the site's 404 page, whose way back leads to the
    staff login. Every miss counts towards the brute-force limit."""
    _count_miss(request)
    form.add_error("code", _("This tracking code does not exist. Please check it."))
    return render(request, "public/track_lookup.html", {"form": form}, status=status)


@never_cache
def track(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen's own message by its code; any wrong code is the same 404."""
    if _too_many_misses(request):
        return _limited_page(request)
    message = services.message_by_code(code)
    if message is None:
        form = forms.TrackForm({"code": code[:40]})
        form.is_valid()
        return _unknown_code(request, form, status=404)
    rating_form = forms.RatingForm(posted(request))
    if request.method == "POST" and rating_form.is_valid():
        return run_action(
            request,
            lambda: services.message_rate(code=code, **rating_form.cleaned_data),
            _("Thank you for rating the reply."),
            reverse("public:track", kwargs={"code": code}),
        )
    context = {
        "message": message,
        "code": codes.display(codes.normalise(code)),
        "is_new": request.GET.get("new") == "1",
        "conversions": message.conversions.order_by("id"),
        "rating_form": rating_form,
        "can_rate": bool(message.reply) and not message.rating,
        "venue": message.venue,
    }
    return render(request, "public/track.html", context)


# --- Staff and venue members -----------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "public.view_inbox")
    rows = selectors.inbox_for(request.user, committee)
    return list_page(
        request,
        "public/inbox.html",
        MessageFilter(request.GET, queryset=rows, committee=committee),
        handles_all=has_perm(request.user, "public.handle_all", committee),
    )


def _message_for(request: HttpRequest, pk: int) -> Message:
    committee = committee_for(request, "public.view_inbox")
    return object_for(
        request,
        selectors.message_detail(selectors.inbox_for(request.user, committee)),
        perm="public.view_message",
        pk=pk,
    )


def _assign_form(message: Message, data: Any = None) -> forms.AssignForm:
    members = Member.objects.filter(pk__in=selectors.venue_member_ids(message.venue))
    return forms.AssignForm(data, members=members.select_related("person"))


def step_labels() -> dict[str, str]:
    """The timeline's words for each step (users never read a code)."""
    labels = {action: MESSAGE_FLOW.label(action) for action in MESSAGE_FLOW.actions()}
    return {"submit": _("Sent by the citizen"), **labels}


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message_for(request, pk)
    show_mobile = bool(message.mobile_encrypted) and has_perm(
        request.user, "public.view_mobile", message.committee
    )
    if show_mobile:
        audit_log(action=audit.MESSAGE_VIEW_MOBILE, obj=message)
    context = {
        "message": message,
        "show_mobile": show_mobile,
        "photos": files.attachments_of(message, "photo"),
        "reply_form": forms.ReplyForm(),
        "close_form": forms.CloseForm(),
        "assign_form": _assign_form(message),
        "converters": conversions.available_for(request.user, [message]),
        "step_labels": step_labels(),
        "deadline_state": message.deadline_state,
    }
    return render(request, "public/message_detail.html", context)


def _step(
    request: HttpRequest,
    pk: int,
    service: Callable[..., Any],
    form_of: Callable[[Message], Form] | None = None,
    refusal: str = "",
) -> HttpResponse:
    """A button (with its small form, if any) on a message's page: the
    service called with the form's data; an incomplete form is refused with
    ``refusal``, flashed like the service's own refusals."""
    message = _message_for(request, pk)

    def run() -> Any:
        data: dict[str, Any] = {}
        if form_of is not None:
            form = form_of(message)
            if not form.is_valid():
                raise DomainError(refusal)
            data = form.cleaned_data
        return service(message=message, actor=acting_user(request), **data)

    return run_action(request, run, _("Done."), reverse("public:message_detail", args=[message.pk]))


@login_required
@require_POST
def message_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.message_approve)


@login_required
@require_POST
def message_reply(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        services.message_reply,
        lambda _message: forms.ReplyForm(request.POST),
        _("Write the reply (at most 2000 characters)."),
    )


@login_required
@require_POST
def message_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        services.message_close,
        lambda _message: forms.CloseForm(request.POST),
        _("Give the reason for closing the message."),
    )


@login_required
@require_POST
def message_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        services.message_assign,
        lambda message: _assign_form(message, request.POST),
        _("Choose a member of the venue."),
    )


@login_required
def message_photo(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    message = _message_for(request, pk)
    attachment = get_object_or_404(
        Attachment.objects.filter(
            owner_type=ContentType.objects.get_for_model(Message), owner_id=message.pk
        ),
        pk=attachment_pk,
    )
    return files.attachment_response(attachment)


@login_required
def convert(request: HttpRequest) -> HttpResponse:
    """三听三转 from the chosen messages (one or several)."""
    committee = committee_for(request, "public.view_inbox")
    raw_ids = (
        request.POST.getlist("ids") if request.method == "POST" else request.GET.getlist("ids")
    )
    ids = [int(i) for i in raw_ids if str(i).isdigit()][:50]
    chosen = [
        m
        for m in selectors.inbox_for(request.user, committee).filter(pk__in=ids)
        if MESSAGE_FLOW.allowed(m, "convert")
    ]
    if not chosen:
        messages.error(request, _("Choose at least one message (not held for review)."))
        return redirect("public:inbox")
    available = conversions.available_for(request.user, chosen)
    if not available:
        raise PermissionDenied
    form = forms.ConversionForm(
        request.POST if "kind" in request.POST else None,
        initial={
            "title": chosen[0].text[:40],
            "body": "\n\n".join(f"【{m.get_category_display()}】{m.text}" for m in chosen),
        },
        kinds=[(c.kind, str(c.label)) for c in available],
        members=eligible_members(committee),
    )
    # One message: back to it; several: back to the inbox they were chosen in.
    back = (
        reverse("public:message_detail", args=[chosen[0].pk])
        if len(chosen) == 1
        else reverse("public:inbox")
    )
    return form_page(
        request,
        form,
        title=_("Convert messages"),
        cancel_url=back,
        save=lambda data: conversions.conversion_create(
            messages=chosen, actor=acting_user(request), **data
        ),
        message=_("Done."),
        template="public/convert.html",
        chosen=chosen,
    )


@login_required
def conversion_sources(request: HttpRequest, type_pk: int, object_pk: int) -> HttpResponse:
    """The messages an item (project, proposal, topic…) was made from: the link back."""
    committee = committee_for(request, "public.view_inbox")
    rows = (
        selectors.inbox_for(request.user, committee)
        .filter(conversions__target_type_id=type_pk, conversions__target_id=object_pk)
        .distinct()
    )
    conversion = (
        conversions.Conversion.objects.filter(
            committee=committee, target_type_id=type_pk, target_id=object_pk
        )
        .order_by("id")
        .first()
    )
    if conversion is None:
        raise Http404
    return list_page(request, "public/conversion_sources.html", rows, conversion=conversion)


@login_required
def venue_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "public.manage_venues")
    if request.method == "POST":
        created = services.venues_sync(committee=committee, actor=acting_user(request))
        messages.success(request, _("%(n)s new QR pages.") % {"n": created})
        return redirect("public:venue_list")
    return list_page(request, "public/venue_list.html", selectors.venues_of(committee))


@login_required
def room_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "public.manage_venues")
    return form_page(
        request,
        forms.RoomForm(posted(request), members=eligible_members(committee)),
        title=_("New consultation room"),
        cancel_url=reverse("public:venue_list"),
        save=lambda data: services.room_create(
            committee=committee, actor=acting_user(request), **data
        ),
        message=_("Done."),
    )


@login_required
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "public.manage_venues")
    venue = object_for(request, selectors.venues_of(committee), perm="public.edit_venue", pk=pk)
    is_room = venue.kind == Venue.Kind.ROOM
    initial = {
        "name": venue.name,
        "address": venue.address,
        "opening_hours": venue.opening_hours,
        "introduction": venue.introduction,
        "is_active": venue.is_active,
        "members": list(venue.members.all()) if is_room else [],
    }
    return form_page(
        request,
        forms.VenueForm(
            posted(request),
            initial=initial,
            members=eligible_members(committee),
            is_room=is_room,
        ),
        title=_("Change the venue %(name)s") % {"name": venue.display_name},
        cancel_url=reverse("public:venue_list"),
        save=lambda data: services.venue_update(venue=venue, actor=acting_user(request), **data),
        message=_("The venue has been changed."),
    )


@login_required
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "public.view_inbox")
    venue = object_for(request, selectors.venues_of(committee), perm="public.print_poster", pk=pk)
    url = request.build_absolute_uri(reverse("public:venue_page", args=[venue.code]))
    context = {
        "venue": venue,
        "url": url,
        "qr": qr_svg(url),
        "reply_days": setting_value(committee, limits.REPLY_WORKING_DAYS),
    }
    return render(request, "public/poster.html", context)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "public.view_report")
    year = year_param(request)
    data = selectors.report(committee, year)
    return render(
        request,
        "public/report.html",
        {
            "data": data,
            "year": year,
            "years": range(this_year(), this_year() - 5, -1),
            "status_rows": _rows(Message.Status.choices, data["by_status"]),
            "kind_rows": _rows(Venue.Kind.choices, data["by_venue_kind"]),
            "rating_rows": _rows(Message.Rating.choices, data["ratings"]),
        },
    )


def _rows(choices: list[tuple[str, Any]], counts: dict[str, int]) -> list[tuple[Any, int]]:
    return [(label, counts.get(value, 0)) for value, label in choices]


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "public.configure")
    here = reverse("public:settings")
    return form_page(
        request,
        forms.settings_form(posted(request), committee=committee),
        title=_("Public channel settings"),
        cancel_url=reverse("public:inbox"),
        save=lambda data: committee_settings_update(
            actor=acting_user(request), committee=committee, values=form_values(data)
        ),
        success=here,
        message=_("Settings saved."),
    )
