"""Writes of the public channel: venues, a citizen's message and its
handling (approve, assign, reply, close), the citizen's rating, reminders.

Every handling step goes through the message's workflow (workflow.py), which
checks the named permission (rules.py), writes the event row and the audit
row; the citizen's own steps (sending, rating) have no account behind them
and rest on the venue's code and the tracking code instead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import calendar, files
from lvzhi.core.audit import audit_log
from lvzhi.core.committee_settings import setting_value
from lvzhi.core.context import current
from lvzhi.core.errors import Conflict, DomainError, ValidationFailed  # noqa: F401
from lvzhi.core.notifications import notify
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.duties.models import DutyKind
from lvzhi.duties.services import duty_record
from lvzhi.org.models import Committee, Member, Station, Studio
from lvzhi.org.selectors import member_of_user
from lvzhi.public import audit, codes
from lvzhi.public import settings_defs as limits
from lvzhi.public.guard import (  # noqa: F401 — the channel's guards, re-exported
    TRACK_MISSES_PER_HOUR,
    RateLimited,
    held_words_in,
    rate_limit_check,
    refusal_record,
    track_miss_count,
    track_misses_exceeded,
)
from lvzhi.public.models import Message, MessageEvent, Venue
from lvzhi.public.selectors import public_staff_users, venue_member_ids, venue_members

PHOTO_MAX_BYTES = 5 * 1024 * 1024
REPLY_MAX_LENGTH = 2000


# --- Venues ------------------------------------------------------------------------------------


def venues_missing_create(committee: Committee) -> int:
    """Give every studio and station of the committee without one its venue
    (QR page); no permission check — for ``venues_sync`` and the demo seeder."""
    created = 0
    for studio in Studio.objects.filter(committee=committee, public_venue__isnull=True):
        Venue.objects.create(
            committee=committee, kind=Venue.Kind.STUDIO, studio=studio, code=codes.new_venue_code()
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
    return created


def venues_sync(*, committee: Committee, actor: Any) -> int:
    """Give every studio and station of the committee its venue (QR page)."""
    require_perm(actor, "public.manage_venues", committee)
    with transaction.atomic():
        created = venues_missing_create(committee)
        audit_log(action=audit.VENUES_SYNC, actor=actor, committee=committee, created=created)
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
    """A consultation room (协商室): a venue with its own name and members."""
    require_perm(actor, "public.manage_venues", committee)
    name = _room_checked(committee, name, members)
    with transaction.atomic():
        _room_name_free(committee, name)
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
        audit_log(action=audit.ROOM_CREATE, actor=actor, obj=venue, committee=committee)
    return venue


def _room_checked(committee: Committee, name: str, members: Sequence[Member]) -> str:
    """A consultation room's name, stripped, once it and its members are valid."""
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Give the consultation room a name."))
    if any(m.committee_id != committee.pk for m in members):
        raise ValidationFailed(_("Only members of this committee can be chosen."))
    return name


def _room_name_free(committee: Committee, name: str, venue: Venue | None = None) -> None:
    rooms = Venue.objects.filter(committee=committee, kind=Venue.Kind.ROOM, name=name)
    if venue is not None:
        rooms = rooms.exclude(pk=venue.pk)
    if rooms.exists():
        raise Conflict(_("A consultation room of this name exists."))


VENUE_FIELDS = ("name", "address", "opening_hours", "introduction", "is_active")


def _venue_state(venue: Venue) -> dict[str, Any]:
    state: dict[str, Any] = {name: getattr(venue, name) for name in VENUE_FIELDS}
    state["members"] = sorted(venue.members.values_list("pk", flat=True))
    return state


def venue_update(
    *,
    venue: Venue,
    actor: Any,
    address: str,
    opening_hours: str,
    introduction: str,
    is_active: bool,
    name: str | None = None,
    members: Sequence[Member] | None = None,
) -> Venue:
    """Change a venue's public page after it was made: address, opening hours,
    introduction, whether it takes messages; a consultation room's name and
    members too (a studio's or station's come from its organisation row).
    A room's name or members left at None stay as they are."""
    require_perm(actor, "public.edit_venue", venue)
    is_room = venue.kind == Venue.Kind.ROOM
    if not is_room and (name is not None or members is not None):
        raise ValidationFailed(
            _("The name and members of a studio or station are changed on its own page.")
        )
    if is_room:
        name = _room_checked(venue.committee, venue.name if name is None else name, members or [])
    with transaction.atomic():
        venue = Venue.objects.select_for_update().get(pk=venue.pk)
        before = _venue_state(venue)
        if is_room:
            assert name is not None
            _room_name_free(venue.committee, name, venue)
            venue.name = name[:100]
            if members is not None:
                venue.members.set(members)
        venue.address = address.strip()[:200]
        venue.opening_hours = opening_hours.strip()[:100]
        venue.introduction = introduction.strip()
        venue.is_active = is_active
        venue.save(update_fields=list(VENUE_FIELDS))
        after = _venue_state(venue)
        audit_log(
            action=audit.VENUE_UPDATE,
            actor=actor,
            obj=venue,
            committee=venue.committee,
            before=before,
            after=after,
        )
    return venue


# --- A citizen sends a message -------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    message: Message
    code: str
    created: bool


def _submission_errors(
    venue: Venue, category: str, text: str, mobile: str, consent: bool, photos: Sequence[Any]
) -> list[str]:
    max_length = setting_value(venue.committee, limits.MAX_LENGTH)
    max_photos = setting_value(venue.committee, limits.MAX_PHOTOS)
    errors = []
    if not text:
        errors.append(_("Write your question or suggestion."))
    if len(text) > max_length:
        errors.append(
            _("A message has at most %(n)s characters; yours has %(m)s.")
            % {"n": max_length, "m": len(text)}
        )
    if category not in Message.Category.values:
        errors.append(_("Choose a category."))
    if len(photos) > max_photos:
        errors.append(_("You can add at most %(n)s photos.") % {"n": max_photos})
    for photo in photos:
        if (photo.size or 0) > PHOTO_MAX_BYTES:
            errors.append(_("A photo may be at most 5 MB."))
            break
        try:
            files.upload_check(photo, kinds=files.PHOTOS)
        except ValidationFailed as error:
            errors.append(error.message)
            break
    if mobile and consent and not (len(mobile) == 11 and mobile.startswith("1")):
        errors.append(_("Enter an 11-digit mobile number, or leave it empty."))
    return errors


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

    Anyone may send one to an open venue (the venue's code is the only
    credential): no permission is asked. The same form posted twice (double
    click, a reload) is one message: the form's token is unique, and a
    second post returns the first message with the same code. The number is
    stored only with consent. ``ip`` (default: the request's) is the key of
    the hourly limit."""
    if not form_token or len(form_token) > 64:
        raise ValidationFailed(_("The form has expired. Please open the page again."))
    code = codes.tracking_code_for(form_token)
    existing = Message.objects.filter(form_token=form_token).first()
    if existing is not None:
        # The code first shown, also if SECRET_KEY was rotated since.
        return Submitted(existing, codes.tracking_code_of(existing, form_token), created=False)
    if not venue.is_active:
        raise ValidationFailed(_("This venue does not take messages at the moment."))
    text = text.strip()
    mobile = "".join(ch for ch in mobile if ch.isdigit())
    errors = _submission_errors(venue, category, text, mobile, consent, photos)
    if errors:
        raise ValidationFailed(errors[0], errors)
    surge = rate_limit_check(venue=venue, ip=ip if ip is not None else current().ip)

    held = held_words_in(f"{name} {text}", setting_value(venue.committee, limits.HELD_WORDS))
    # Past the venue's hourly surge threshold a message is held for staff to
    # look at (empty held_words says why), not refused.
    status = Message.Status.HELD if held or surge else Message.Status.RECEIVED
    reply_days = setting_value(venue.committee, limits.REPLY_WORKING_DAYS)
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
        deadline=None
        if status == Message.Status.HELD
        else calendar.add_working_days(timezone.localdate(), reply_days),
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
            # The first step of the timeline: the message starts in its state
            # (there is no state before it, so it is not a row of the table).
            MessageEvent.objects.create(
                message=message, action="submit", to_state=status, note=message.held_words
            )
            audit_log(action=audit.MESSAGE_SUBMIT, obj=message, status=status)
            _tell_about_new(message)
    except IntegrityError:
        # The same form posted at the same moment from two tabs: the other won.
        existing = Message.objects.filter(form_token=form_token).first()
        if existing is None:
            raise
        return Submitted(existing, code, created=False)
    return Submitted(message, code, created=True)


def _tell_about_new(message: Message) -> None:
    url = reverse("public:message_detail", args=[message.pk])
    if message.is_held:
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
        Message.objects.filter(tracking_hash__in=codes.tracking_hashes(normalised))
        .select_related("venue", "venue__studio", "venue__station")
        .first()
    )


# --- Handling -------------------------------------------------------------------------------


def message_approve(*, message: Message, actor: Any) -> Message:
    """A held message is fine after all: it enters the inbox and its deadline starts."""
    # Asked before our transaction, so that a refusal's audit row is kept.
    require_perm(actor, "public.approve_message", message)
    reply_days = setting_value(message.committee, limits.REPLY_WORKING_DAYS)
    with transaction.atomic():
        locked = transition(
            message,
            "approve",
            actor=actor,
            changes={"deadline": calendar.add_working_days(timezone.localdate(), reply_days)},
        )
        _tell_about_new(locked)
    return locked


def message_assign(*, message: Message, member: Member, actor: Any, note: str = "") -> Message:
    """Give the message to one member of its venue (again, to reassign)."""
    require_perm(actor, "public.assign_message", message)
    if member.pk not in venue_member_ids(message.venue):
        raise ValidationFailed(_("Assign the message to a member of its venue."))
    with transaction.atomic():
        locked = transition(
            message,
            "assign",
            actor=actor,
            note=(note or str(member))[:300],
            changes={"assigned_to": member},
            data={"member": member.pk},
        )
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
    require_perm(actor, "public.reply_message", message)
    text = text.strip()
    if not text:
        raise ValidationFailed(_("Write the reply."))
    if len(text) > REPLY_MAX_LENGTH:
        raise ValidationFailed(_("A reply has at most 2000 characters."))
    with transaction.atomic():
        locked = transition(
            message,
            "reply",
            actor=actor,
            note=_("public") if public else _("private"),
            changes={
                "reply": text,
                "reply_public": public,
                "replied_at": timezone.now(),
                "replied_by": actor,
            },
            data={"public": public},
        )
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
    return locked


def message_close(*, message: Message, reason: str, actor: Any) -> Message:
    """Close the message, with the reason the citizen reads."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for closing the message."))
    return transition(
        message,
        "close",
        actor=actor,
        note=reason[:300],
        changes={"close_reason": reason[:300], "closed_at": timezone.now()},
    )


def message_rate(*, code: str, rating: str, comment: str = "") -> Message:
    """The citizen rates the reply, once.

    The citizen has no account: the tracking code is their credential, and
    this service checks it itself (an unknown code is refused), so the step
    goes through the workflow with no actor and no permission check —
    the table still decides the states it is allowed in and writes the
    event and audit rows."""
    if rating not in Message.Rating.values:
        raise ValidationFailed(_("Choose how satisfied you are."))
    comment = comment.strip()
    if len(comment) > 300:
        raise ValidationFailed(_("A comment has at most 300 characters."))
    message = message_by_code(code)
    if message is None:
        raise ValidationFailed(_("Check the tracking code."))
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if not locked.reply:
            raise Conflict(_("There is no reply to rate yet."))
        if locked.rating:
            raise Conflict(_("You have already rated this reply."))
        return transition(
            locked,
            "rate",
            actor=None,
            check_permission=False,
            note=str(Message.Rating(rating).label),
            changes={"rating": rating, "rating_comment": comment, "rated_at": timezone.now()},
            data={"rating": rating},
        )


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
