"""Writes of the public channel: venues, a citizen's message and its
handling (approve, assign, reply, close), the citizen's rating, reminders."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import Area, Role, RoleAssignment
from lvzhi.core import calendar, files
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from lvzhi.core.notifications import notify
from lvzhi.duties.models import DutyKind
from lvzhi.duties.services import duty_record
from lvzhi.org.models import Committee, Member, Station, Studio
from lvzhi.org.selectors import member_of_user
from lvzhi.public import codes, workflow
from lvzhi.public.models import Message, MessageEvent, PublicSettings, Venue

PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
PHOTO_MAX_BYTES = 5 * 1024 * 1024


class RateLimited(DomainError):
    """Too many messages in the last hour (from one address or to one venue)."""


# --- Settings and venues -------------------------------------------------------------------


def settings_of(committee: Committee | int) -> PublicSettings:
    committee_id = committee if isinstance(committee, int) else committee.pk
    found, _created = PublicSettings.objects.get_or_create(committee_id=committee_id)
    return found


def venues_sync(*, committee: Committee, actor: Any) -> int:
    """Give every studio and station of the committee its venue (QR page)."""
    created = 0
    with transaction.atomic():
        for studio in Studio.objects.filter(committee=committee, public_venue__isnull=True):
            Venue.objects.create(
                committee=committee,
                kind=Venue.Kind.STUDIO,
                studio=studio,
                code=codes.new_venue_code(),
            )
            created += 1
        for station in Station.objects.filter(committee=committee, public_venue__isnull=True):
            Venue.objects.create(
                committee=committee,
                kind=Venue.Kind.STATION,
                station=station,
                code=codes.new_venue_code(),
            )
            created += 1
        if created:
            audit_log(
                action="public.venues_sync", actor=actor, committee=committee, created=created
            )
    return created


def room_create(
    *,
    committee: Committee,
    name: str,
    address: str,
    opening_hours: str,
    introduction: str,
    members: Sequence[Member],
    actor: Any,
) -> Venue:
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Give the consultation room a name."))
    if any(m.committee_id != committee.pk for m in members):
        raise ValidationFailed(_("Only members of this committee can be chosen."))
    with transaction.atomic():
        if Venue.objects.filter(committee=committee, kind=Venue.Kind.ROOM, name=name).exists():
            raise Conflict(_("A consultation room of this name exists."))
        venue = Venue.objects.create(
            committee=committee,
            kind=Venue.Kind.ROOM,
            name=name[:100],
            address=address.strip()[:200],
            opening_hours=opening_hours.strip()[:100],
            introduction=introduction.strip(),
            code=codes.new_venue_code(),
        )
        venue.members.set(members)
        audit_log(action="public.room_create", actor=actor, obj=venue, committee=committee)
    return venue


def venue_member_ids(venue: Venue) -> set[int]:
    if venue.kind == Venue.Kind.STUDIO and venue.studio_id:
        return set(
            Studio.members.through.objects.filter(studio_id=venue.studio_id).values_list(
                "member_id", flat=True
            )
        )
    if venue.kind == Venue.Kind.STATION and venue.station_id:
        return set(
            Station.members.through.objects.filter(station_id=venue.station_id).values_list(
                "member_id", flat=True
            )
        )
    return set(venue.members.values_list("pk", flat=True))


def venue_members(venue: Venue) -> list[Member]:
    return list(
        Member.objects.filter(pk__in=venue_member_ids(venue)).select_related("person", "sector")
    )


def public_staff_users(committee_id: int) -> list[Any]:
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            committee_id=committee_id, role=Role.STAFF, area=Area.PUBLIC
        ).select_related("user")
    ]


def roles_on(user: Any, message: Message) -> set[str]:
    """ "staff" and/or "venue": what the user is for this message (workflow.WHO)."""
    found: set[str] = set()
    if not user.is_authenticated:
        return found
    if user.has_perm("public.handle_all", message.committee_id):
        found.add(workflow.STAFF)
    member = member_of_user(user, message.committee)
    if (
        member is not None
        and member.status == Member.Status.IN_OFFICE
        and member.pk in venue_member_ids(message.venue)
    ):
        found.add(workflow.VENUE)
    return found


# --- A citizen sends a message ---------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    message: Message
    code: str
    created: bool
    mobile_dropped: bool = False


def _bump(key: str) -> int:
    cache.add(key, 0, timeout=3600)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return 1


def rate_limit_check(*, venue: Venue, ip: str | None, limits: PublicSettings) -> None:
    """Count this attempt and refuse past the hourly limits (the shared cache
    holds the counters, so they hold across processes)."""
    hour = timezone.now().strftime("%Y%m%d%H")
    ip_key = hashlib.sha256((ip or "unknown").encode()).hexdigest()[:32]
    if _bump(f"public:ip:{ip_key}:{hour}") > limits.per_ip_per_hour:
        raise RateLimited(
            _(
                "You have sent %(n)s messages in the last hour, the most we accept from one "
                "network. Please try again in an hour."
            )
            % {"n": limits.per_ip_per_hour}
        )
    if _bump(f"public:venue:{venue.pk}:{hour}") > limits.per_venue_per_hour:
        raise RateLimited(
            _(
                "This venue has received many messages in the last hour. Please try again in "
                "an hour."
            )
        )


def held_words_in(text: str, words: Sequence[str]) -> list[str]:
    lowered = text.lower()
    return [w for w in words if w.lower() in lowered]


def message_submit(
    *,
    venue: Venue,
    category: str,
    text: str,
    form_token: str,
    name: str = "",
    mobile: str = "",
    consent: bool = False,
    photos: Sequence[UploadedFile] = (),
    ip: str | None = None,
) -> Submitted:
    """Store a citizen's message and give the tracking code.

    The same form posted twice (double click, a reload) is one message: the
    form's token is unique, and a second post returns the first message
    with the same code. The number is stored only with consent."""
    if not form_token or len(form_token) > 64:
        raise ValidationFailed(_("The form has expired. Please open the page again."))
    code = codes.tracking_code_for(form_token)
    existing = Message.objects.filter(form_token=form_token).first()
    if existing is not None:
        return Submitted(existing, code, created=False)
    if not venue.is_active:
        raise ValidationFailed(_("This venue does not take messages at the moment."))
    limits = settings_of(venue.committee_id)
    text = text.strip()
    errors = []
    if not text:
        errors.append(_("Write your question or suggestion."))
    if len(text) > limits.max_length:
        errors.append(
            _("A message has at most %(n)s characters; yours has %(m)s.")
            % {"n": limits.max_length, "m": len(text)}
        )
    if category not in Message.Category.values:
        errors.append(_("Choose a category."))
    if len(photos) > limits.max_photos:
        errors.append(_("You can add at most %(n)s photos.") % {"n": limits.max_photos})
    for photo in photos:
        if (photo.size or 0) > PHOTO_MAX_BYTES:
            errors.append(_("A photo may be at most 5 MB."))
            break
        try:
            kind = files.upload_check(photo)
        except ValidationFailed as error:
            errors.append(error.message)
            break
        if kind not in PHOTO_TYPES:
            errors.append(_("Photos must be JPEG or PNG images."))
            break
    mobile = "".join(ch for ch in mobile if ch.isdigit())
    if mobile and consent and not (len(mobile) == 11 and mobile.startswith("1")):
        errors.append(_("Enter an 11-digit mobile number, or leave it empty."))
    if errors:
        raise ValidationFailed(errors[0], errors)
    rate_limit_check(venue=venue, ip=ip, limits=limits)

    held = held_words_in(f"{name} {text}", limits.word_list())
    status = Message.Status.HELD if held else Message.Status.RECEIVED
    today = timezone.localdate()
    message = Message(
        committee_id=venue.committee_id,
        venue=venue,
        category=category,
        text=text,
        name=name.strip()[:32],
        mobile_consent=bool(consent and mobile),
        tracking_hash=codes.tracking_hash(code),
        form_token=form_token,
        status=status,
        held_words="、".join(held)[:200],
        deadline=None if held else calendar.add_working_days(today, limits.reply_working_days),
    )
    if consent and mobile:
        message.set_mobile(mobile)
    try:
        with transaction.atomic():
            message.save()
            for photo in photos:
                files.attachment_save(
                    committee=venue.committee,
                    owner=message,
                    upload=photo,
                    actor=None,
                    purpose="photo",
                )
            MessageEvent.objects.create(
                message=message, action="submit", to_status=status, note=message.held_words
            )
            _tell_about_new(message)
    except IntegrityError:
        # The same form posted at the same moment from two tabs: the other won.
        existing = Message.objects.filter(form_token=form_token).first()
        if existing is None:
            raise
        return Submitted(existing, code, created=False)
    return Submitted(message, code, created=True, mobile_dropped=bool(mobile and not consent))


def _tell_about_new(message: Message) -> None:
    url = reverse("public:message_detail", args=[message.pk])
    if message.status == Message.Status.HELD:
        notify(
            recipients=public_staff_users(message.committee_id),
            title=_("A message from the public is held for review"),
            body=message.text[:200],
            url=url,
            committee=message.committee,
            email=False,
        )
        return
    users = [m.person.user for m in venue_members(message.venue) if m.person.user_id]
    notify(
        recipients=users,
        title=_("New message to %(venue)s") % {"venue": message.venue.display_name},
        body=message.text[:200],
        url=url,
        committee=message.committee,
        email=False,
    )


def message_by_code(code: str) -> Message | None:
    normalised = codes.normalise(code)
    if len(normalised) != codes.CODE_LENGTH:
        return None
    return (
        Message.objects.filter(tracking_hash=codes.tracking_hash(normalised))
        .select_related("venue", "venue__studio", "venue__station")
        .first()
    )


# --- Handling ---------------------------------------------------------------------------------


def _transition(message: Message, action: str, actor: Any, note: str = "") -> tuple[Message, str]:
    """Lock the message, check the transition and the actor; return (locked row, new status)."""
    locked = Message.objects.select_for_update().select_related("venue").get(pk=message.pk)
    to_status = workflow.next_status(locked.status, action)
    if to_status is None:
        raise Conflict(
            _("This message is %(status)s; that cannot be done now.")
            % {"status": locked.get_status_display()}
        )
    if not workflow.WHO[action] & roles_on(actor, locked):
        raise PermissionDenied(_("You may not handle this message."))
    return locked, to_status


def _event(message: Message, action: str, from_status: str, actor: Any, note: str = "") -> None:
    MessageEvent.objects.create(
        message=message,
        action=action,
        from_status=from_status,
        to_status=message.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:300],
    )


def message_approve(*, message: Message, actor: Any) -> Message:
    """A held message is fine after all: it enters the inbox and its deadline starts."""
    with transaction.atomic():
        locked, to_status = _transition(message, "approve", actor)
        before = locked.status
        locked.status = to_status
        locked.deadline = calendar.add_working_days(
            timezone.localdate(), settings_of(locked.committee_id).reply_working_days
        )
        locked.save(update_fields=["status", "deadline"])
        _event(locked, "approve", before, actor)
        audit_log(
            action="public.message_approve", actor=actor, obj=locked, committee=locked.committee
        )
        _tell_about_new(locked)
    return locked


def message_assign(*, message: Message, member: Member, actor: Any, note: str = "") -> Message:
    with transaction.atomic():
        locked, to_status = _transition(message, "assign", actor)
        if member.pk not in venue_member_ids(locked.venue):
            raise ValidationFailed(_("Assign the message to a member of its venue."))
        before = locked.status
        locked.status = to_status
        locked.assigned_to = member
        locked.save(update_fields=["status", "assigned_to"])
        _event(locked, "assign", before, actor, note or str(member))
        if member.person.user_id:
            notify(
                recipients=[member.person.user],
                title=_("A message from the public was assigned to you"),
                body=locked.text[:200],
                url=reverse("public:message_detail", args=[locked.pk]),
                committee=locked.committee,
            )
    return locked


def message_reply(*, message: Message, text: str, public: bool, actor: Any) -> Message:
    """Answer the citizen. A member of the venue who replies earns a duty
    record (service to the public), once per message."""
    text = text.strip()
    if not text:
        raise ValidationFailed(_("Write the reply."))
    if len(text) > 2000:
        raise ValidationFailed(_("A reply has at most 2000 characters."))
    with transaction.atomic():
        locked, to_status = _transition(message, "reply", actor)
        before = locked.status
        locked.status = to_status
        locked.reply = text
        locked.reply_public = public
        locked.replied_at = timezone.now()
        locked.replied_by = actor
        locked.save(update_fields=["status", "reply", "reply_public", "replied_at", "replied_by"])
        _event(locked, "reply", before, actor, _("public") if public else _("private"))
        member = member_of_user(actor, locked.committee)
        if member is not None and member.pk in venue_member_ids(locked.venue):
            duty_record(
                member=member,
                kind=DutyKind.PUBLIC_SERVICE,
                date=timezone.localdate(),
                source=locked,
                actor=actor,
                title=_("Replied to a message from the public: %(text)s")
                % {"text": locked.text[:40]},
            )
        audit_log(
            action="public.message_reply", actor=actor, obj=locked, committee=locked.committee
        )
    return locked


def message_close(*, message: Message, reason: str, actor: Any) -> Message:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for closing the message."))
    with transaction.atomic():
        locked, to_status = _transition(message, "close", actor)
        before = locked.status
        locked.status = to_status
        locked.close_reason = reason[:300]
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "close_reason", "closed_at"])
        _event(locked, "close", before, actor, reason)
        audit_log(
            action="public.message_close", actor=actor, obj=locked, committee=locked.committee
        )
    return locked


def message_rate(*, message: Message, rating: str, comment: str = "") -> Message:
    """The citizen rates the reply, once."""
    if rating not in Message.Rating.values:
        raise ValidationFailed(_("Choose how satisfied you are."))
    if len(comment) > 300:
        raise ValidationFailed(_("A comment has at most 300 characters."))
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if not locked.reply:
            raise Conflict(_("There is no reply to rate yet."))
        if locked.rating:
            raise Conflict(_("You have already rated this reply."))
        locked.rating = rating
        locked.rating_comment = comment.strip()
        locked.rated_at = timezone.now()
        locked.save(update_fields=["rating", "rating_comment", "rated_at"])
        _event(locked, "rate", locked.status, None, locked.get_rating_display())
    return locked


def settings_update(*, committee: Committee, values: dict[str, Any], actor: Any) -> PublicSettings:
    with transaction.atomic():
        row = settings_of(committee)
        row = PublicSettings.objects.select_for_update().get(pk=row.pk)
        for field, value in values.items():
            setattr(row, field, value)
        row.save()
        audit_log(action="public.settings_update", actor=actor, obj=row, committee=committee)
    return row


# --- Reminders ---------------------------------------------------------------------------------

DUE_SOON_WORKING_DAYS = 2


def reminders_send(*, today: Any = None) -> int:
    """Daily: remind of messages due within two working days and of overdue
    ones, once per message and threshold (the notification's dedupe key)."""
    today = today or timezone.localdate()
    soon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    rows = (
        Message.objects.filter(
            status__in=[Message.Status.RECEIVED, Message.Status.ASSIGNED],
            deadline__isnull=False,
            deadline__lte=soon,
        )
        .select_related(
            "venue", "venue__studio", "venue__station", "assigned_to__person", "committee"
        )
        .order_by("id")
    )
    sent = 0
    staff_by_committee: dict[int, list[Any]] = {}
    for message in rows:
        overdue = message.deadline is not None and message.deadline < today
        threshold = "overdue" if overdue else "due"
        if message.assigned_to is not None and message.assigned_to.person.user_id:
            users = [message.assigned_to.person.user]
        else:
            users = [m.person.user for m in venue_members(message.venue) if m.person.user_id]
        if overdue:
            users += staff_by_committee.setdefault(
                message.committee_id, public_staff_users(message.committee_id)
            )
        title = (
            _("A message from the public is overdue")
            if overdue
            else _("A message from the public is due by %(date)s") % {"date": message.deadline}
        )
        sent += len(
            notify(
                recipients=users,
                title=title,
                body=message.text[:200],
                url=reverse("public:message_detail", args=[message.pk]),
                committee=message.committee,
                dedupe_key=f"public-message-{message.pk}-{threshold}",
            )
        )
    return sent
