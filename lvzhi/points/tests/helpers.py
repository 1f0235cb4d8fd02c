from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count
from typing import Any

from django.utils import timezone

from lvzhi.duties import services as duties
from lvzhi.duties.models import Activity, ActivityKind
from lvzhi.org.models import Member
from lvzhi.points import services
from lvzhi.points.models import Assessment, Policy

YEAR = 2026
_numbers = count(1)


def source(member: Member) -> Activity:
    """A fresh object to hang a duty record on (every record needs a source)."""
    start = timezone.now()
    return Activity.objects.create(
        committee_id=member.committee_id,
        kind=ActivityKind.OTHER,
        title=f"来源{next(_numbers)}",
        start_at=start,
        end_at=start + dt.timedelta(hours=1),
        place="会议室",
    )


def record(
    member: Member, kind: str, *, share: Any = "1", day: dt.date | None = None, src: Any = None
):
    return duties.duty_record(
        member=member,
        kind=kind,
        date=day or dt.date(YEAR, 5, 1),
        source=src or source(member),
        share=share,
    )


def active_default_policy(committee: Any, year: int = YEAR, **changes: Any) -> Policy:
    policy = services.policy_create_default(committee=committee, year=year, actor=None)
    if changes:
        Policy.objects.filter(pk=policy.pk).update(**changes)
        policy.refresh_from_db()
    services.policy_activate(policy=policy, actor=None)
    policy.refresh_from_db()
    return policy


def open_assessment(member: Member, year: int = YEAR) -> Assessment:
    """The member's assessment of the year, as staff opening the year leave it."""
    return Assessment.objects.get_or_create(
        member=member, year=year, defaults={"committee_id": member.committee_id}
    )[0]


def d(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
