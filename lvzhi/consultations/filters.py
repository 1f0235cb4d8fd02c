"""The filters of the topic, consultation and finding lists (core.filters).

The selectors keep the committee scope, who sees what and the default order;
these narrow that queryset by the GET parameters the pages and their links
have always used (``year``, ``source``, ``status``, ``state``, ``format``,
``unit``, ``overdue``). A value that does not validate is ignored."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.consultations import selectors
from lvzhi.consultations.models import (
    Consultation,
    ConsultationFormat,
    Finding,
    Topic,
    TopicSource,
)
from lvzhi.core.filters import ListFilterSet, period_filters, select
from lvzhi.core.web import FIRST_YEAR, LAST_YEAR
from lvzhi.org import selectors as org_selectors
from lvzhi.org.models import HandlingUnit


class YearFilter(django_filters.NumberFilter):
    """``?year=``: a whole, plausible year; anything else is ignored."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Year"),
            min_value=FIRST_YEAR,
            max_value=LAST_YEAR,
            widget=forms.NumberInput(attrs={"placeholder": _("Year")}),
            **kwargs,
        )


def overdue_filter(label: Any) -> django_filters.BooleanFilter:
    """``?overdue=1``, a checkbox: only the rows past their deadline."""
    return django_filters.BooleanFilter(
        label=label, method="filter_overdue", widget=forms.CheckboxInput
    )


class TopicFilter(ListFilterSet):
    year = YearFilter()
    source = django_filters.ChoiceFilter(
        label=_("Source"),
        choices=TopicSource.choices,
        empty_label=_("All sources"),
        widget=select(),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Topic.Status.choices,
        empty_label=_("All statuses"),
        widget=select(),
    )

    class Meta:
        model = Topic
        fields = ["year", "source", "status"]


class ConsultationFilter(ListFilterSet):
    year = YearFilter()
    state = django_filters.ChoiceFilter(
        label=_("Stage"),
        choices=Consultation.State.choices,
        empty_label=_("All stages"),
        widget=select(),
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"),
        choices=ConsultationFormat.choices,
        empty_label=_("All formats"),
        widget=select(),
    )
    overdue = overdue_filter(_("Overdue feedback"))
    awaiting = django_filters.BooleanFilter(
        label=_("Awaiting feedback"), method="filter_awaiting", widget=forms.CheckboxInput
    )
    # The reports' links (lvzhi/reports): the rows of a period.
    since, until = period_filters("meeting_date", _("Met from"), _("Met until"))

    class Meta:
        model = Consultation
        fields = ["year", "state", "format", "overdue", "awaiting"]

    def filter_awaiting(
        self, queryset: QuerySet[Consultation], _name: str, value: bool
    ) -> QuerySet[Consultation]:
        return selectors.awaiting_feedback(queryset) if value else queryset

    def filter_overdue(
        self, queryset: QuerySet[Consultation], _name: str, value: bool
    ) -> QuerySet[Consultation]:
        # overdue_count is annotated by selectors.consultation_list.
        return queryset.filter(overdue_count__gt=0) if value else queryset  # type: ignore[misc]


class FindingFilter(ListFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Finding.State.choices,
        empty_label=_("All statuses"),
        widget=select(),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=HandlingUnit.objects.none(),
        empty_label=_("All departments"),
        widget=select(),
    )
    overdue = overdue_filter(_("Overdue"))

    class Meta:
        model = Finding
        fields = ["state", "unit", "overdue"]

    def limit_choices(self, committee: Any) -> None:
        self.choices_of("unit", org_selectors.units_of(committee))

    def filter_overdue(
        self, queryset: QuerySet[Finding], _name: str, value: bool
    ) -> QuerySet[Finding]:
        if not value:
            return queryset
        return queryset.exclude(state=Finding.State.RECTIFIED).filter(
            deadline__lt=timezone.localdate()
        )
