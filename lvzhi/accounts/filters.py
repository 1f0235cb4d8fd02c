"""Filters of the security administrator's account list and of the auditor's
trail (``core.filters.ListFilterSet``). The selectors keep the committee
scope and the order; a value that does not validate is reported on the form
and ignored."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts import selectors
from lvzhi.core import crypto
from lvzhi.core.audit import Category, audit_codes, audit_label
from lvzhi.core.filters import ListFilterSet
from lvzhi.core.models import AuditEvent
from lvzhi.core.selectors import MAX_YEAR, MIN_YEAR


class UserFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        max_length=64,
        method="search",
        widget=forms.TextInput(
            attrs={"placeholder": _("Username, name or mobile number"), "type": "search"}
        ),
    )

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Part of the username or the name; a whole mobile number through
        its keyed hash (mobiles are never stored in clear)."""
        condition = (
            Q(username__icontains=value)
            | Q(display_name__icontains=value)
            | Q(person__name__icontains=value)
        )
        if value.isdigit():
            condition |= Q(mobile_hash__in=crypto.blind_indexes(value))
        return queryset.filter(condition)


def _in_range(day: date | None) -> None:
    """Dates the trail can hold: far-off ones (9999-12-31) get a message, not a 500."""
    if day and not MIN_YEAR <= day.year <= MAX_YEAR:
        raise forms.ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            params={"min": MIN_YEAR, "max": MAX_YEAR},
        )


def _day_filter(label: Any, method: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label,
        method=method,
        validators=[_in_range],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AuditFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class AuditFilter(ListFilterSet):
    """The trail by category, action, actor, result and days in local time."""

    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Category.choices, empty_label=_("(all)"), method="of_category"
    )
    # Its choices are the actions present in the committee's trail (limit_choices).
    action = django_filters.ChoiceFilter(label=_("Action"), choices=[], empty_label=_("(all)"))
    actor = django_filters.CharFilter(
        label=_("Actor"), field_name="actor_label", lookup_expr="icontains", max_length=150
    )
    result = django_filters.ChoiceFilter(
        label=_("Result"), choices=AuditEvent.Result.choices, empty_label=_("(all)")
    )
    date_from = _day_filter(_("Date from"), "since")
    date_to = _day_filter(_("Date to"), "until")

    class Meta:
        form = AuditFilterForm

    def limit_choices(self, committee: Any) -> None:
        actions = [(code, audit_label(code)) for code in selectors.audit_actions_for(committee)]
        self.filters["action"].extra["choices"] = actions

    def applied(self) -> dict[str, Any]:
        """The filters in force, for the export's audit row."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {key: value for key, value in self.form.cleaned_data.items() if value}

    def of_category(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(action__in=audit_codes(value))

    def since(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        start = datetime.combine(value, time.min, tzinfo=timezone.get_current_timezone())
        return queryset.filter(created_at__gte=start)

    def until(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        if value >= date.max:
            return queryset
        end = datetime.combine(
            value + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
        )
        return queryset.filter(created_at__lt=end)
