"""A list's filters, written once (DESIGN §3 "Lists"): every list page's
filters are a django-filter FilterSet on this base, shown by
``core/list_filters.html`` and applied by ``core.web.list_page``.

The base takes the committee the list belongs to, so a choice filter offers
only that committee's rows (``limit_choices``), and a value that does not
validate is ignored rather than emptying the list: the rest of the filters
still apply and the form shows the reason."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

# A select that sends its form when changed (static/js/lvzhi.js); the button
# in the filter bar stays for keyboards and for browsers without script.
AUTOSUBMIT = {"data-autosubmit": ""}


def select(**attrs: Any) -> forms.Select:
    """A filter's select that submits the filter bar when changed."""
    return forms.Select(attrs={**AUTOSUBMIT, **attrs})


def period_filters(
    field: str, since_label: Any, until_label: Any
) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """``since`` and ``until`` on one date (``field``, e.g. ``submitted_at__date``):
    hidden fields that the reports' links fill, so a dashboard figure opens the
    list of exactly its period's rows (lvzhi/reports)."""
    return tuple(  # type: ignore[return-value]
        django_filters.DateFilter(
            label=label, field_name=field, lookup_expr=lookup, widget=forms.HiddenInput
        )
        for label, lookup in ((since_label, "gte"), (until_label, "lte"))
    )


class ListFilterSet(django_filters.FilterSet):
    """The base of every list's filters; ``committee`` scopes the choices."""

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Any] | None = None,
        *,
        committee: Any = None,
        **kwargs: Any,
    ) -> None:
        # An empty query string is an unbound filter: the whole list.
        super().__init__(data or None, queryset=queryset, **kwargs)
        self.committee = committee
        if committee is not None:
            self.limit_choices(committee)

    def limit_choices(self, committee: Any) -> None:
        """Narrow model choice filters to the committee's rows (override)."""

    def choices_of(self, name: str, queryset: QuerySet[Any]) -> None:
        """Offer ``queryset`` in the model choice filter ``name``."""
        self.filters[name].queryset = queryset  # type: ignore[attr-defined]
