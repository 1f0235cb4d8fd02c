"""The sector convener's follow-up of a low grade (谈话记录): a write of its
own, kept apart from the policies and assessments of ``points.services``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm, user_or_none
from lvzhi.org.models import Member
from lvzhi.points.models import TalkRecord


def talk_record_add(
    *,
    actor: Any,
    member: Member,
    year: int,
    date: dt.date | None,
    summary: str,
    next_step: str,
) -> TalkRecord:
    """Record a convener's talk (谈话记录) with a member about the year's
    grade: its date, what was said and the next step. The same talk sent
    twice (a double submission) is refused, not stored twice."""
    require_perm(actor, "points.record_talk", member)
    summary, next_step = summary.strip(), next_step.strip()
    today = timezone.localdate()
    errors: list[str] = []
    if date is None:
        errors.append(_("Give the date of the talk."))
    elif date > today:
        errors.append(_("The talk cannot be dated in the future."))
    elif date.year < year:
        errors.append(_("A talk about a year's grade is held in that year or later."))
    if not summary:
        errors.append(_("Write what the talk was about."))
    elif len(summary) > 2000:
        errors.append(_("The summary is at most 2000 characters."))
    if not next_step:
        errors.append(_("Write the next step agreed."))
    elif len(next_step) > 500:
        errors.append(_("The next step is at most 500 characters."))
    if member.status != Member.Status.IN_OFFICE:
        errors.append(_("The member is no longer in office."))
    if errors or date is None:
        raise ValidationFailed(errors[0], errors)
    with transaction.atomic():
        # The member's row serialises two submissions of the same talk.
        # (Ordered by pk: the default ordering joins the nullable sector, which
        # PostgreSQL cannot lock.)
        Member.objects.select_for_update().filter(pk=member.pk).order_by("pk").first()
        if TalkRecord.objects.filter(member=member, year=year, date=date, summary=summary).exists():
            raise Conflict(_("This talk is already recorded."))
        talk = TalkRecord.objects.create(
            committee_id=member.committee_id,
            member=member,
            year=year,
            date=date,
            summary=summary,
            next_step=next_step,
            created_by=user_or_none(actor),
        )
        audit_log(
            action="points.talk_record_add",
            actor=actor,
            obj=talk,
            member=member.pk,
            year=year,
            talk_date=str(date),
        )
    return talk
