"""Issue 11, public channel: limits counted atomically in a table, limits
that suit shared networks with a surge that holds, bounded settings, held
words matched after normalising, and refusals audited per minute."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.core import ratelimit
from lvzhi.core.committee_settings import committee_settings_update, setting_value
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.models import AuditEvent, CommitteeSetting, RateCounter
from lvzhi.public import codes, forms, guard, services, settings_defs
from lvzhi.public.models import Message, Venue
from lvzhi.public.tests.conftest import public_settings_set


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_messages_from_one_address_get_exactly_the_limit_through(
    venue: Venue,
) -> None:
    public_settings_set(venue.committee, per_ip_per_hour=5)
    outcomes: list[str] = []
    start = threading.Barrier(20)

    def send(i: int) -> None:
        try:
            start.wait()
            services.message_submit(
                venue=venue,
                category=Message.Category.SUGGESTION,
                text=f"同时发送的留言 {i}",
                form_token=codes.new_form_token(),
                ip="198.51.100.20",
            )
            outcomes.append("sent")
        except services.RateLimited:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("sent") == 5
    assert outcomes.count("refused") == 15
    assert Message.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_parallel_counts_never_share_a_number() -> None:
    seen: list[int] = []
    start = threading.Barrier(20)

    def bump() -> None:
        try:
            start.wait()
            seen.append(ratelimit.counter_bump("test:parallel"))
        finally:
            connection.close()

    threads = [threading.Thread(target=bump) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == list(range(1, 21))
    assert ratelimit.counter_value("test:parallel") == 20


def test_a_community_centre_and_a_busy_venue_are_held_not_refused(
    submit: Callable[..., Any], venue: Venue
) -> None:
    """60 messages from 12 addresses (a community centre's Wi-Fi, a few
    phones): none is refused; past the venue's surge threshold they wait for
    staff review instead of the venue closing for an hour."""
    threshold = setting_value(venue.committee, settings_defs.PER_VENUE_PER_HOUR)
    assert setting_value(venue.committee, settings_defs.PER_IP_PER_HOUR) > 5
    statuses = [submit(ip=f"192.0.2.{i % 12}").message.status for i in range(60)]
    assert len(statuses) == 60  # no RateLimited raised
    assert statuses[:threshold] == [Message.Status.RECEIVED] * threshold
    assert statuses[threshold:] == [Message.Status.HELD] * (60 - threshold)
    assert not Message.objects.filter(status=Message.Status.HELD).exclude(deadline=None).exists()


def test_a_surge_held_message_says_why_to_staff(
    client: Client, submit: Callable[..., Any], venue: Venue, public_staff: Any
) -> None:
    public_settings_set(venue.committee, per_venue_per_hour=1)
    submit(ip="192.0.2.1")
    held = submit(ip="192.0.2.2").message
    client.force_login(public_staff)
    page = client.get(reverse("public:message_detail", args=[held.pk])).content.decode()
    assert "“”" not in page
    assert "many messages" in page or "大量" in page or "较多" in page


@pytest.mark.parametrize("bad", [0, -1, 99_999_999, 10_001])
@pytest.mark.parametrize("key", ["public.per_ip_per_hour", "public.per_venue_per_hour"])
def test_limit_settings_outside_their_bounds_are_refused_and_nothing_changes(
    venue: Venue, public_staff: Any, key: str, bad: int
) -> None:
    committee = venue.committee
    with pytest.raises(ValidationFailed) as refused:
        committee_settings_update(actor=public_staff, committee=committee, values={key: bad})
    message = refused.value.message
    assert "at least" in message or "at most" in message or "不能" in message or "至" in message
    assert not CommitteeSetting.objects.filter(key=key).exists()
    # The settings form refuses it too, before the service is asked.
    form = forms.settings_form({key.replace(".", "__"): str(bad)}, committee=committee)
    assert not form.is_valid()
    assert key.replace(".", "__") in form.errors


def test_limit_settings_within_their_bounds_are_taken(venue: Venue, public_staff: Any) -> None:
    committee_settings_update(
        actor=public_staff,
        committee=venue.committee,
        values={"public.per_ip_per_hour": 10_000, "public.per_venue_per_hour": 1},
    )
    assert setting_value(venue.committee, settings_defs.PER_IP_PER_HOUR) == 10_000


@pytest.mark.parametrize(
    "text",
    [
        "低价广告请联系",  # as listed
        "低价ｇｕａｎｇ告",  # no: a different word — see the next test for NFKC
        "低价廣告请联系",  # traditional
        "低价广\u200b告请联系",  # zero-width space
        "低价广\u200d\ufeff告",  # zero-width joiner, BOM
        "低价 广 　告",  # spaces, an ideographic space
        "低价广\u00ad告",  # soft hyphen
    ],
)
def test_held_words_are_matched_after_normalising(text: str) -> None:
    found = services.held_words_in(text, ["广告"])
    if "ｇｕａｎｇ" in text:
        assert found == []
    else:
        assert found == ["广告"]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("ＶＸ加我", "vx"),  # full-width letters (NFKC), case
        ("加V X：12345", "vx"),  # spaces between letters
        ("代開發票", "代开发票"),  # traditional text, simplified word
        ("代开发票", "代開發票"),  # a word listed in traditional
        ("赌\u2060博网站", "赌博"),  # word joiner
    ],
)
def test_each_normalisation_holds(text: str, word: str) -> None:
    assert services.held_words_in(text, [word]) == [word]


def test_a_disguised_held_word_holds_the_message(submit: Callable[..., Any], venue: Venue) -> None:
    public_settings_set(venue.committee, held_words=["代开发票"])
    assert submit(text="低价代 開\u200b發票").message.status == Message.Status.HELD


def _refusal_rows() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="public.refused").order_by("pk"))


def test_rate_limit_refusals_are_audited_once_a_minute_per_venue(
    submit: Callable[..., Any], venue: Venue
) -> None:
    public_settings_set(venue.committee, per_ip_per_hour=1)
    submit(ip="203.0.113.50")
    for _ in range(25):
        with pytest.raises(services.RateLimited):
            submit(ip="203.0.113.50")
    rows = _refusal_rows()
    assert len(rows) == 1
    assert rows[0].detail["kind"] == guard.REFUSED_RATE
    assert rows[0].committee_id == venue.committee_id
    minute = rows[0].detail["minute"]
    key = f"refused:{guard.REFUSED_RATE}:{venue.pk}"
    assert RateCounter.objects.get(key=key, window=minute).count == 25


def test_honeypot_refusals_are_audited_once_a_minute_per_venue(
    client: Client, venue: Venue
) -> None:
    url = reverse("public:venue_page", args=[venue.code])
    for _ in range(10):
        response = client.post(
            url,
            {
                "category": "suggestion",
                "text": "spam",
                "form_token": codes.new_form_token(),
                "website": "http://spam.example",
            },
        )
        assert response.status_code == 400
    assert not Message.objects.exists()
    rows = _refusal_rows()
    assert [r.detail["kind"] for r in rows] == [guard.REFUSED_HONEYPOT]


def test_pruning_sums_up_a_flooded_minute_in_one_row_and_drops_old_counters(
    submit: Callable[..., Any], venue: Venue
) -> None:
    public_settings_set(venue.committee, per_ip_per_hour=1)
    submit(ip="203.0.113.60")
    for _ in range(7):
        with pytest.raises(services.RateLimited):
            submit(ip="203.0.113.60")
    RateCounter.objects.update(created_at=timezone.now() - timedelta(hours=4))
    ratelimit.rate_counters_prune()
    summary = AuditEvent.objects.get(action="public.refusals_counted")
    assert str(summary.detail["count"]) == "7" and summary.detail["kind"] == guard.REFUSED_RATE
    assert not RateCounter.objects.exists()
    ratelimit.rate_counters_prune()  # nothing is summed twice
    assert AuditEvent.objects.filter(action="public.refusals_counted").count() == 1
