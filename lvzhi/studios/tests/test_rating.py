"""The yearly star rating is computed from the data and adjusted with a reason."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.models import AuditEvent
from lvzhi.org.models import Committee
from lvzhi.org.tests.factories import StudioFactory
from lvzhi.public import codes
from lvzhi.public.models import Message
from lvzhi.public.tests.factories import VenueFactory
from lvzhi.studios import services
from lvzhi.studios.models import Activity, StarRating

YEAR = 2025


def activities(
    committee: Committee, studio: Any, n: int, kind: str = "reception", year: int = YEAR
) -> None:
    Activity.objects.bulk_create(
        Activity(
            committee=committee,
            studio=studio,
            kind=kind,
            date=date(year, 3, 1) + timedelta(days=i),
            title=f"活动{i}",
        )
        for i in range(n)
    )


def messages(
    committee: Committee, studio: Any, *, n: int, on_time: int, ratings: list[str]
) -> None:
    venue = VenueFactory(committee=committee, studio=studio)
    sent = timezone.make_aware(datetime(YEAR, 5, 1, 10))
    for i in range(n):
        answered = i < on_time
        message = Message.objects.create(
            committee=committee,
            venue=venue,
            category="question",
            text=f"留言{i}",
            tracking_hash=codes.tracking_hash(codes.new_form_token()[:16]),
            form_token=codes.new_form_token(),
            status=Message.Status.REPLIED if answered else Message.Status.RECEIVED,
            deadline=date(YEAR, 5, 12),
            reply="答复" if answered else "",
            replied_at=sent + timedelta(days=3) if answered else None,
            rating=ratings[i] if i < len(ratings) else "",
        )
        Message.objects.filter(pk=message.pk).update(created_at=sent)


def test_stars_come_from_activities_timeliness_satisfaction_and_services(
    committee: Committee, public_staff: Any
) -> None:
    busy = StudioFactory(committee=committee, name="忙碌工作室")
    quiet = StudioFactory(committee=committee, name="冷清工作室")
    activities(committee, busy, 9)
    activities(committee, busy, 6, kind="service")  # 15 activities, 6 services
    messages(
        committee, busy, n=4, on_time=4, ratings=["satisfied", "satisfied", "basic", "unsatisfied"]
    )
    activities(committee, quiet, 1)
    rows = {
        r.studio_id: r
        for r in services.star_ratings_compute(committee=committee, year=YEAR, actor=public_staff)
    }
    full = rows[busy.pk]
    assert (full.activities, full.services, full.messages, full.on_time, full.rated) == (
        15,
        6,
        4,
        4,
        4,
    )
    assert full.satisfied == Decimal("2.5")
    # 30·1 + 25·1 + 25·(2.5/4) + 20·1 = 90.6 → five stars
    assert full.score == Decimal("90.6") and full.computed_stars == 5
    low = rows[quiet.pk]
    # 30·(1/12) = 2.5 → one star
    assert low.score == Decimal("2.5") and low.computed_stars == 1
    # Activities of other years do not count.
    activities(committee, quiet, 20, year=YEAR + 1)
    again = {
        r.studio_id: r
        for r in services.star_ratings_compute(committee=committee, year=YEAR, actor=public_staff)
    }
    assert again[quiet.pk].activities == 1
    assert StarRating.objects.filter(year=YEAR).count() == 2  # recomputed in place


def test_the_criteria_are_configurable(committee: Committee, public_staff: Any) -> None:
    studio = StudioFactory(committee=committee)
    activities(committee, studio, 3)
    services.star_criteria_update(
        committee=committee,
        actor=public_staff,
        values={
            "studios.rating.target_activities": 3,
            "studios.rating.weight_activities": 100,
            "studios.rating.weight_on_time": 0,
            "studios.rating.weight_satisfaction": 0,
            "studios.rating.weight_services": 0,
        },
    )
    [row] = services.star_ratings_compute(committee=committee, year=YEAR, actor=public_staff)
    assert row.score == Decimal("100.0") and row.computed_stars == 5


def test_staff_adjust_with_a_reason_and_it_is_kept_on_recompute(
    committee: Committee, public_staff: Any
) -> None:
    studio = StudioFactory(committee=committee)
    [row] = services.star_ratings_compute(committee=committee, year=YEAR, actor=public_staff)
    with pytest.raises(ValidationFailed):
        services.star_rating_adjust(rating_row=row, stars=4, reason=" ", actor=public_staff)
    with pytest.raises(ValidationFailed):
        services.star_rating_adjust(rating_row=row, stars=6, reason="x", actor=public_staff)
    services.star_rating_adjust(rating_row=row, stars=3, reason="承办重大活动", actor=public_staff)
    [again] = services.star_ratings_compute(committee=committee, year=YEAR, actor=public_staff)
    assert again.computed_stars == 1 and again.stars == 3 and again.adjust_reason == "承办重大活动"
    assert AuditEvent.objects.filter(action="studios.star_rating_adjust").exists()
    _ = studio


def test_a_studio_below_the_floor_two_years_running_is_flagged(
    committee: Committee, public_staff: Any
) -> None:
    weak = StudioFactory(committee=committee, name="弱工作室")
    recovering = StudioFactory(committee=committee, name="回升工作室")
    services.star_ratings_compute(committee=committee, year=YEAR - 1, actor=public_staff)
    activities(committee, recovering, 12)
    activities(committee, recovering, 6, kind="service")
    messages(committee, recovering, n=2, on_time=2, ratings=["satisfied", "satisfied"])
    rows = {
        r.studio_id: r
        for r in services.star_ratings_compute(committee=committee, year=YEAR, actor=public_staff)
    }
    assert rows[weak.pk].flagged
    assert not rows[recovering.pk].flagged
    # Staff raising last year's or this year's stars above the floor clears the flag.
    services.star_rating_adjust(
        rating_row=rows[weak.pk], stars=3, reason="整改到位", actor=public_staff
    )
    assert not StarRating.objects.get(pk=rows[weak.pk].pk).flagged


def test_the_first_year_is_never_flagged(committee: Committee, public_staff: Any) -> None:
    StudioFactory(committee=committee)
    [row] = services.star_ratings_compute(committee=committee, year=YEAR, actor=public_staff)
    assert row.computed_stars == 1 and not row.flagged
