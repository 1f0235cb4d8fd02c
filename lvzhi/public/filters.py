"""The inbox's filters: status (or "waiting for a reply"), venue, and the
studio or station a studio's or station's page links with."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lvzhi.core.filters import ListFilterSet, period_filters, select
from lvzhi.public import selectors
from lvzhi.public.models import Message, Venue

OPEN = "open"
OVERDUE = "overdue"
NEAREST_FIRST = ("deadline", "-created_at", "-id")


class MessageFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (OPEN, _("Waiting for a reply")),
            (OVERDUE, _("Past the reply deadline")),
            *Message.Status.choices,
        ],
        empty_label=_("All states"),
        method="filter_status",
        widget=select(id="status-filter"),
    )
    venue = django_filters.ModelChoiceFilter(
        label=_("Venue"),
        queryset=Venue.objects.none(),
        empty_label=_("All venues"),
        widget=select(id="venue-filter"),
    )
    studio = django_filters.NumberFilter(field_name="venue__studio_id", widget=forms.HiddenInput)
    station = django_filters.NumberFilter(field_name="venue__station_id", widget=forms.HiddenInput)
    # The reports' links (lvzhi/reports): the rows of a period.
    since, until = period_filters("created_at__date", _("Sent from"), _("Sent until"))

    class Meta:
        model = Message
        fields = ["status", "venue", "studio", "station"]

    def limit_choices(self, committee: Any) -> None:
        venues = Venue.objects.filter(committee=committee).select_related("studio", "station")
        self.choices_of("venue", venues.order_by("kind", "id"))

    def filter_status(self, queryset: QuerySet[Message], _name: str, value: str) -> Any:
        if value == OPEN:
            # Waiting for a reply: the nearest deadline first.
            return selectors.waiting_for_reply(queryset).order_by("deadline", "-created_at", "-id")
        if value == OVERDUE:
            return selectors.past_reply_deadline(queryset).order_by(
                "deadline", "-created_at", "-id"
            )
        return queryset.filter(status=value)
