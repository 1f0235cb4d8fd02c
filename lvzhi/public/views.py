"""Pages of the public channel. The citizen's pages (/p/…) need no login;
the inbox and the rest are for public staff, leaders and venue members."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from typing import Any, cast

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lvzhi.core import calendar, files
from lvzhi.core.audit import audit_log
from lvzhi.core.context import client_ip
from lvzhi.core.errors import DomainError
from lvzhi.core.models import Attachment
from lvzhi.org.models import Committee, Member
from lvzhi.org.selectors import eligible_members
from lvzhi.public import codes, conversions, forms, selectors, services, workflow
from lvzhi.public.models import Message, Venue
from lvzhi.studios.models import ServiceProject

PAGE_SIZE = 25
# Wrong tracking codes one address may try in an hour before it must wait.
TRACK_MISSES_PER_HOUR = 30


def _require(request: HttpRequest, perm: str) -> Committee:
    committee = getattr(request, "committee", None)
    if committee is None or not request.user.has_perm(perm, committee):
        raise PermissionDenied
    return cast(Committee, committee)


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- The citizen's pages (no login) ------------------------------------------------------------


def _venue_context(venue: Venue) -> dict[str, Any]:
    """Who is behind the venue: members, theme, services and opening times."""
    members = services.venue_members(venue)
    theme = opening_hours = address = ""
    lead = None
    projects: list[ServiceProject] = []
    if venue.studio is not None:
        theme, opening_hours, address = (
            venue.studio.theme,
            venue.studio.opening_hours,
            venue.studio.venue,
        )
        lead = venue.studio.lead
        projects = list(
            ServiceProject.objects.filter(
                studio=venue.studio, status=ServiceProject.Status.ACTIVE
            ).order_by("-id")[:10]
        )
    elif venue.station is not None:
        theme, address = venue.station.area, venue.station.address
        lead = venue.station.master
    return {
        "venue": venue,
        "members": members,
        "lead": lead,
        "theme": theme,
        "introduction": venue.introduction,
        "opening_hours": venue.opening_hours or opening_hours,
        "address": venue.address or address,
        "projects": projects,
        "replies": selectors.public_replies(venue),
        "instructor": venue.station.instructor if venue.station is not None else "",
    }


def _active_venue(code: str) -> Venue:
    venue = (
        Venue.objects.select_related("studio__lead__person", "station__master__person", "committee")
        .filter(code=code.lower(), is_active=True)
        .first()
    )
    if venue is None:
        raise Http404
    return venue


@never_cache
def venue_page(request: HttpRequest, code: str) -> HttpResponse:
    """The QR target: who is behind the venue, recent public replies, the form."""
    venue = _active_venue(code)
    limits = services.settings_of(venue.committee_id)
    if request.method == "POST":
        form = forms.MessageForm(request.POST, request.FILES, max_length=limits.max_length)
        if form.is_valid():
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
                for problem in getattr(error, "errors", None) or [error.message]:
                    form.add_error(None, problem)
            else:
                if result.mobile_dropped:
                    messages.info(
                        request,
                        _(
                            "Your mobile number was not stored because you did not tick the "
                            "consent box."
                        ),
                    )
                return redirect(
                    reverse("public:track", args=[codes.display(result.code)]) + "?new=1"
                )
    else:
        form = forms.MessageForm(
            initial={"form_token": codes.new_form_token()}, max_length=limits.max_length
        )
    return render(request, "public/venue_page.html", _venue_context(venue) | {"form": form})


def _track_misses_key(request: HttpRequest) -> str:
    ip = hashlib.sha256((client_ip(request) or "unknown").encode()).hexdigest()[:32]
    return f"public:track-miss:{ip}:{timezone.now():%Y%m%d%H}"


def _too_many_misses(request: HttpRequest) -> bool:
    return int(cache.get(_track_misses_key(request), 0)) >= TRACK_MISSES_PER_HOUR


def _count_miss(request: HttpRequest) -> None:
    key = _track_misses_key(request)
    cache.add(key, 0, timeout=3600)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)


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
    form = forms.TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("public:track", code=codes.normalise(form.cleaned_data["code"]) or "-")
    return render(request, "public/track_lookup.html", {"form": form})


@never_cache
def track(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen's own message by its code; any wrong code is the same 404."""
    if _too_many_misses(request):
        return _limited_page(request)
    message = services.message_by_code(code)
    if message is None:
        _count_miss(request)
        raise Http404
    rating_form = forms.RatingForm(request.POST or None)
    if request.method == "POST" and rating_form.is_valid():
        try:
            services.message_rate(
                message=message,
                rating=rating_form.cleaned_data["rating"],
                comment=rating_form.cleaned_data["comment"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for rating the reply."))
        return redirect("public:track", code=code)
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
    committee = _require(request, "public.view_inbox")
    qs = selectors.inbox_for(request.user, committee)
    status = request.GET.get("status", "")
    if status in Message.Status.values:
        qs = qs.filter(status=status)
    elif status == "open":
        qs = qs.filter(status__in=[Message.Status.RECEIVED, Message.Status.ASSIGNED])
    venue_id = request.GET.get("venue", "")
    if venue_id.isdigit():
        qs = qs.filter(venue_id=int(venue_id))
    for key, field in (("studio", "venue__studio_id"), ("station", "venue__station_id")):
        value = request.GET.get(key, "")
        if value.isdigit():
            qs = qs.filter(**{field: int(value)})
    page = _page(request, qs.order_by("deadline", "-created_at", "-id") if status == "open" else qs)
    today = timezone.localdate()
    for message in page.object_list:
        message.deadline_state = (
            calendar.deadline_state(message.deadline, today)
            if message.deadline and message.is_open
            else ""
        )
    venues = (
        selectors.venues_of(committee)
        if request.user.has_perm("public.handle_all", committee)
        else None
    )
    return render(
        request,
        "public/inbox.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": Message.Status.choices,
            "venue_id": venue_id,
            "venues": venues,
            "can_convert": True,
        },
    )


def _message_for(request: HttpRequest, pk: int) -> tuple[Committee, Message]:
    committee = _require(request, "public.view_inbox")
    message = get_object_or_404(
        selectors.message_detail(selectors.inbox_for(request.user, committee)), pk=pk
    )
    if not request.user.has_perm("public.view_message", message):
        raise PermissionDenied
    return committee, message


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee, message = _message_for(request, pk)
    roles = services.roles_on(request.user, message)
    actions = workflow.allowed_actions(message.status, roles)
    show_mobile = bool(message.mobile_encrypted) and request.user.has_perm(
        "public.view_mobile", committee
    )
    if show_mobile:
        audit_log(
            action="public.message_view_mobile", request=request, obj=message, committee=committee
        )
    members = services.venue_members(message.venue)
    context = {
        "message": message,
        "actions": actions,
        "show_mobile": show_mobile,
        "photos": files.attachments_of(message, "photo"),
        "reply_form": forms.ReplyForm(),
        "close_form": forms.CloseForm(),
        "assign_form": forms.AssignForm(
            members=Member.objects.filter(pk__in=[m.pk for m in members]).select_related("person")
        ),
        "converters": conversions.available_for(request.user, [message])
        if message.status != Message.Status.HELD
        else [],
        "deadline_state": calendar.deadline_state(message.deadline)
        if message.deadline and message.is_open
        else "",
    }
    return render(request, "public/message_detail.html", context)


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _committee, message = _message_for(request, pk)
    try:
        if action == "approve":
            services.message_approve(message=message, actor=request.user)
        elif action == "reply":
            form: Any = forms.ReplyForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Write the reply (at most 2000 characters)."))
            services.message_reply(
                message=message,
                text=form.cleaned_data["text"],
                public=form.cleaned_data["public"],
                actor=request.user,
            )
        elif action == "close":
            form = forms.CloseForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Give the reason for closing the message."))
            services.message_close(
                message=message, reason=form.cleaned_data["reason"], actor=request.user
            )
        elif action == "assign":
            members = Member.objects.filter(
                pk__in=services.venue_member_ids(message.venue)
            ).select_related("person")
            form = forms.AssignForm(request.POST, members=members)
            if not form.is_valid():
                raise DomainError(_("Choose a member of the venue."))
            services.message_assign(
                message=message, member=form.cleaned_data["member"], actor=request.user
            )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect("public:message_detail", pk=message.pk)


@login_required
@require_POST
def message_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve")


@login_required
@require_POST
def message_reply(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "reply")


@login_required
@require_POST
def message_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "close")


@login_required
@require_POST
def message_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "assign")


@login_required
def message_photo(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    _committee, message = _message_for(request, pk)
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
    committee = _require(request, "public.view_inbox")
    raw_ids = (
        request.POST.getlist("ids") if request.method == "POST" else request.GET.getlist("ids")
    )
    ids = [int(i) for i in raw_ids if str(i).isdigit()][:50]
    chosen = list(
        selectors.inbox_for(request.user, committee)
        .filter(pk__in=ids)
        .exclude(status=Message.Status.HELD)
    )
    if not chosen:
        messages.error(request, _("Choose at least one message (not held for review)."))
        return redirect("public:inbox")
    available = conversions.available_for(request.user, chosen)
    if not available:
        raise PermissionDenied
    members = eligible_members(committee)
    initial = {
        "title": chosen[0].text[:40],
        "body": "\n\n".join(f"【{m.get_category_display()}】{m.text}" for m in chosen),
    }
    form = forms.ConversionForm(
        request.POST if "kind" in request.POST else None,
        initial=initial,
        kinds=[(c.kind, str(c.label)) for c in available],
        members=members,
    )
    if request.method == "POST" and form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            conversion = conversions.conversion_create(
                kind=data["kind"],
                messages=chosen,
                title=data["title"],
                body=data["body"],
                member=data["member"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(label)s: %(title)s")
                % {"label": conversion.target_label, "title": conversion.target_title},
            )
            if len(chosen) == 1:
                return redirect("public:message_detail", pk=chosen[0].pk)
            return redirect("public:inbox")
    return render(request, "public/convert.html", {"form": form, "chosen": chosen})


@login_required
def conversion_sources(request: HttpRequest, type_pk: int, object_pk: int) -> HttpResponse:
    """The messages an item (project, proposal, topic…) was made from: the link back."""
    committee = _require(request, "public.view_inbox")
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
    return render(
        request,
        "public/conversion_sources.html",
        {"conversion": conversion, "page_obj": _page(request, rows)},
    )


@login_required
def venue_list(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "public.manage_venues")
    if request.method == "POST":
        created = services.venues_sync(committee=committee, actor=request.user)
        messages.success(request, _("%(n)s new QR pages.") % {"n": created})
        return redirect("public:venue_list")
    return render(
        request,
        "public/venue_list.html",
        {"page_obj": _page(request, selectors.venues_of(committee))},
    )


@login_required
def room_create(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "public.manage_venues")
    form = forms.RoomForm(request.POST or None, members=eligible_members(committee))
    if request.method == "POST" and form.is_valid():
        try:
            services.room_create(committee=committee, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("public:venue_list")
    return render(request, "public/room_form.html", {"form": form})


def qr_svg(url: str) -> str:
    """An SVG QR code rendered here (no outside service)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@login_required
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _require(request, "public.view_inbox")
    venue = get_object_or_404(selectors.venues_of(committee), pk=pk)
    if not request.user.has_perm("public.print_poster", venue):
        raise PermissionDenied
    url = request.build_absolute_uri(reverse("public:venue_page", args=[venue.code]))
    return render(
        request,
        "public/poster.html",
        {"venue": venue, "url": url, "qr": mark_safe(qr_svg(url))},  # noqa: S308 -- our SVG
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "public.view_report")
    year_raw = request.GET.get("year", "")
    year = int(year_raw) if year_raw.isdigit() and 2000 <= int(year_raw) <= 2100 else None
    data = selectors.report(committee, year)
    status_rows = [
        (label, data["by_status"].get(value, 0)) for value, label in Message.Status.choices
    ]
    kind_rows = [
        (label, data["by_venue_kind"].get(value, 0)) for value, label in Venue.Kind.choices
    ]
    rating_rows = [
        (label, data["ratings"].get(value, 0)) for value, label in Message.Rating.choices
    ]
    return render(
        request,
        "public/report.html",
        {
            "data": data,
            "year": year,
            "years": range(date.today().year, date.today().year - 5, -1),
            "status_rows": status_rows,
            "kind_rows": kind_rows,
            "rating_rows": rating_rows,
        },
    )


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    committee = _require(request, "public.change_settings")
    current = services.settings_of(committee)
    form = forms.SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in form.Meta.fields}
        current.refresh_from_db()
        services.settings_update(committee=committee, values=values, actor=request.user)
        messages.success(request, _("Settings saved."))
        return redirect("public:settings")
    return render(request, "public/settings.html", {"form": form})
