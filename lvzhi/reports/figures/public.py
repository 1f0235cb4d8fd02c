"""The public channel (码上商): messages of the period, replies on time, the
citizens' ratings and what the messages became (三听三转)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext_lazy as _

from lvzhi.org.models import Committee
from lvzhi.public.models import Conversion, Message
from lvzhi.reports.figures.base import (
    Cell,
    Counted,
    Figure,
    Section,
    Table,
    counted_with_previous,
    pct,
    rows_url,
    with_previous,
    within,
)
from lvzhi.reports.period import Period

INBOX = "public:inbox"


def received(committee: Committee, period: Period) -> QuerySet[Message]:
    return Message.objects.filter(
        committee=committee,
        **within(period, "created_at__date"),
    )


def counts(committee: Committee, period: Period) -> dict[str, QuerySet[Any]]:
    """On time: replied on or before the message's reply date."""
    messages = received(committee, period)
    replied = messages.filter(replied_at__isnull=False)
    rated = messages.exclude(rating="")
    return {
        "messages": messages,
        "replied": replied,
        "on_time": replied.filter(replied_at__date__lte=F("deadline")),
        "rated": rated,
        "content": rated.filter(rating__in=[Message.Rating.SATISFIED, Message.Rating.BASIC]),
    }


def section(
    committee: Committee, period: Period, *, detail: bool = True, counted: Counted | None = None
) -> Section:
    n, before = counted or counted_with_previous(committee, period, counts)
    figures = [
        Figure("messages", _("Messages received"), n["messages"], rows_url(INBOX, period)),
        # Not linked: a replied message may since have been closed, so no
        # status of the inbox lists exactly these.
        Figure("replied", _("Replied"), n["replied"]),
        Figure("on_time_rate", _("Replied on time"), pct(n["on_time"], n["replied"]), percent=True),
        Figure(
            "satisfaction_rate",
            _("Satisfied or basically satisfied"),
            pct(n["content"], n["rated"]),
            percent=True,
        ),
    ]
    figures = with_previous(figures, before)
    if not detail:
        return Section("public", _("Public channel"), figures, [])
    conversions = (
        Conversion.objects.filter(
            committee=committee,
            **within(period, "created_at__date"),
        )
        .values("target_kind", "target_label")
        .annotate(n=Count("id"))
        .order_by("-n", "target_kind")
    )
    table = Table(
        "public.conversions",
        _("What the messages became"),
        [_("Converted into"), _("Conversions")],
        [[Cell(r["target_label"] or r["target_kind"]), Cell(r["n"])] for r in conversions],
        chart="pie",
    )
    labels = dict(Message.Category.choices)
    by_category = (
        received(committee, period).values("category").annotate(n=Count("id")).order_by("-n")
    )
    categories = Table(
        "public.by_category",
        _("Messages by category"),
        [_("Category"), _("Messages")],
        [[Cell(labels.get(r["category"], r["category"])), Cell(r["n"])] for r in by_category],
    )
    return Section("public", _("Public channel"), figures, [table, categories])
