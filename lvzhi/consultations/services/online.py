"""网络议政: posts and replies in an online consultation while it is open,
their authors' edits, and moderation by the office staff."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.consultations import audit
from lvzhi.consultations.models import Consultation, Post, PostRevision
from lvzhi.consultations.selectors import (
    CLOSED,
    NOT_OPEN,
    online_window_state,
    participant_of,
)
from lvzhi.consultations.services._common import POST_MAX, clean_text, locked, save_fields
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.duties.models import DutyKind
from lvzhi.duties.services import duty_record


def _check_open(consultation: Consultation, now: datetime) -> None:
    if not consultation.is_online:
        raise Conflict(_("Only online consultations take posts."))
    window = online_window_state(consultation, now)
    if window == NOT_OPEN:
        raise Conflict(_("The online consultation has not opened yet."))
    if window == CLOSED:
        raise Conflict(_("The online consultation has closed."))


def post_create(
    *,
    actor: Any,
    consultation: Consultation,
    text: str,
    parent: Post | None = None,
    token: str = "",
    now: datetime | None = None,
) -> Post:
    """A post, or a reply to one (threads are one level deep: a reply to a
    reply joins its thread). Members posting earn one consultation record per
    consultation."""
    require_perm(
        actor,
        "consultations.post_in_consultation",
        consultation,
        message=_("Only the invited participants may post."),
    )
    now = now or timezone.now()
    with transaction.atomic():
        consultation = locked(Consultation, consultation.pk)
        participant = participant_of(actor, consultation)
        assert participant is not None  # the permission says so
        _check_open(consultation, now)
        if token:
            existing = Post.objects.filter(
                consultation=consultation, author=actor, token=token
            ).first()
            if existing is not None:
                return existing
        text = clean_text(text, label=_("Post"), max_length=POST_MAX)
        if parent is not None:
            if parent.consultation_id != consultation.pk:
                raise ValidationFailed(_("The post replied to belongs to another consultation."))
            parent = Post.objects.get(pk=parent.parent_id or parent.pk)
            if parent.hidden_at is not None:
                raise Conflict(_("A hidden post cannot be replied to."))
        post = Post.objects.create(
            committee=consultation.committee,
            consultation=consultation,
            parent=parent,
            author=actor,
            member=participant.member,
            text=text,
            token=token,
        )
        if participant.member is not None:
            duty_record(
                member=participant.member,
                kind=DutyKind.CONSULTATION,
                date=timezone.localdate(now),
                source=consultation,
                actor=actor,
                title=consultation.title,
            )
        audit_log(action=audit.POST_CREATE, actor=actor, obj=post, consultation=consultation.pk)
    return post


def post_edit(*, actor: Any, post: Post, text: str, now: datetime | None = None) -> Post:
    """The author edits their own post while the consultation is open; the
    former text is kept."""
    require_perm(
        actor, "consultations.edit_post", post, message=_("You may edit only your own posts.")
    )
    now = now or timezone.now()
    with transaction.atomic():
        post = locked(Post, post.pk)
        _check_open(post.consultation, now)
        if post.hidden_at is not None:
            raise Conflict(_("A hidden post cannot be edited."))
        text = clean_text(text, label=_("Post"), max_length=POST_MAX)
        if text == post.text:
            return post
        PostRevision.objects.create(post=post, text=post.text)
        save_fields(post, text=text, edited_at=now)
        audit_log(action=audit.POST_EDIT, actor=actor, obj=post)
    return post


def post_hide(*, actor: Any, post: Post, reason: str) -> Post:
    """Staff hide a post with a reason; it stays in the history (staff still
    see it). The consultation's timeline logs the moderation."""
    require_perm(actor, "consultations.moderate_consultation", post.consultation)
    reason = clean_text(reason, label=_("Reason"), max_length=200)
    with transaction.atomic():
        post = locked(Post, post.pk)
        if post.hidden_at is not None:
            raise Conflict(_("The post is hidden already."))
        save_fields(post, hidden_reason=reason, hidden_at=timezone.now(), hidden_by=actor)
        transition(
            post.consultation,
            "hide_post",
            actor=actor,
            note=_("Post %(id)d hidden: %(reason)s") % {"id": post.pk, "reason": reason},
            data={"post": post.pk, "reason": reason},
            post=post.pk,
            reason=reason,
        )
    return post
