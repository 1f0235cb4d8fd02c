"""The staff queue's filters: search text, status, category, year and how
the report was submitted. The queue selector keeps the scope (the
committee's submitted reports) and the order; these narrow it."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lvzhi.core.filters import ListFilterSet, period_filters, select
from lvzhi.opinions import selectors
from lvzhi.opinions.models import Category, Issue, Report, ReportStatus, SubmitterKind


class ReportFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        empty_label=_("All"),
        choices=[c for c in ReportStatus.choices if c[0] != ReportStatus.DRAFT],
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.none(), empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    submitter_kind = django_filters.ChoiceFilter(
        label=_("Submitted as"), empty_label=_("All"), choices=SubmitterKind.choices
    )
    # The reports' links (lvzhi/reports): the rows of a period.
    since, until = period_filters("submitted_at__date", _("Submitted from"), _("Submitted until"))

    class Meta:
        model = Report
        fields = ["q", "status", "category", "year", "submitter_kind"]

    def limit_choices(self, committee: Any) -> None:
        self.choices_of("category", selectors.categories_of(committee, active=None))

    def search(self, queryset: QuerySet[Report], _name: str, value: str) -> QuerySet[Report]:
        """The title, a submitter's name or the group's name."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(submitter_rows__member__person__name__icontains=value)
            | Q(group_name__icontains=value)
        ).distinct()


class MyReportFilter(ListFilterSet):
    """A member's own reports by status (the home page's "drafts" links here)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), empty_label=_("All"), choices=ReportStatus.choices, widget=select()
    )


class IssueFilter(ListFilterSet):
    """Issues; a party or government leader's to-do opens those awaiting an instruction."""

    awaiting = django_filters.BooleanFilter(
        label=_("Awaiting an instruction"),
        method="filter_awaiting",
        widget=forms.CheckboxInput,
    )

    def filter_awaiting(
        self, queryset: QuerySet[Issue], _name: str, value: bool
    ) -> QuerySet[Issue]:
        return selectors.awaiting_instruction(queryset) if value else queryset
