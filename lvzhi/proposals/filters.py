"""The filters of the proposal lists (the office's list and its export, the
unit inbox, the supervision board). The selectors give the committee's rows
a user may see, in their order; these narrow them by the query string."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lvzhi.core.filters import ListFilterSet, period_filters, select
from lvzhi.core.web import FIRST_YEAR, LAST_YEAR
from lvzhi.org.models import HandlingUnit
from lvzhi.proposals import selectors
from lvzhi.proposals.models import Assignment, ExtensionRequest, Proposal, ProposalCategory


class YearFilter(django_filters.NumberFilter):
    # A whole number: the year lookups take an int, not a Decimal.
    field_class = forms.IntegerField


# What the office's list can be narrowed to: the proposals waiting for a decision
# or past due (the home page's to-dos link here).
WAITING_EXTENSION, WAITING_REASSIGNMENT, WAITING_OVERDUE, WAITING_OPEN = (
    "extension",
    "reassignment",
    "overdue",
    "open",
)
WAITING_CHOICES = [
    (WAITING_EXTENSION, _("Extension requested")),
    (WAITING_REASSIGNMENT, _("Reassignment requested")),
    (WAITING_OVERDUE, _("Reply overdue")),
    (WAITING_OPEN, _("Still in handling")),
]
WAITING_SELECTORS = {
    WAITING_EXTENSION: selectors.with_pending_extension,
    WAITING_REASSIGNMENT: selectors.with_pending_reassignment,
    WAITING_OVERDUE: selectors.with_overdue_assignment,
    WAITING_OPEN: selectors.still_open,
}


class ProposalFilter(ListFilterSet):
    """The office's list (and its Excel export, same parameters)."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text", max_length=50, widget=forms.TextInput()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Proposal.Status.choices,
        empty_label=_("All states"),
        widget=select(),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=ProposalCategory.objects.none(),
        empty_label=_("All categories"),
        widget=select(),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Proposal.Kind.choices, empty_label=_("All kinds"), widget=select()
    )
    year = YearFilter(
        label=_("Year"),
        field_name="submitted_at",
        lookup_expr="year",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Handling unit"),
        field_name="assignments__unit",
        queryset=HandlingUnit.objects.none(),
        empty_label=_("All units"),
        distinct=True,
        widget=select(),
    )
    key = django_filters.BooleanFilter(
        label=_("Key proposals only"), method="filter_key", widget=forms.CheckboxInput()
    )
    waiting = django_filters.ChoiceFilter(
        label=_("To do"),
        choices=WAITING_CHOICES,
        empty_label=_("All"),
        method="filter_waiting",
        widget=select(),
    )
    supervisor = django_filters.ModelChoiceFilter(
        label=_("Supervising leader"),
        queryset=get_user_model().objects.none(),
        empty_label=_("All leaders"),
        widget=select(),
    )
    # The reports' links (lvzhi/reports): submitted within a period, registered ones.
    since, until = period_filters("submitted_at__date", _("Submitted from"), _("Submitted until"))
    registered = django_filters.BooleanFilter(
        label=_("Registered"),
        field_name="registered_at",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.HiddenInput,
    )

    def limit_choices(self, committee: Any) -> None:
        # Deactivated categories too: old proposals are filed under them.
        self.choices_of("category", selectors.all_categories_of(committee))
        self.choices_of(
            "unit", HandlingUnit.objects.filter(committee=committee).order_by("kind", "id")
        )
        self.choices_of("supervisor", selectors.leaders_of(committee).order_by("id"))

    def filter_waiting(
        self, queryset: QuerySet[Proposal], _name: str, value: str
    ) -> QuerySet[Proposal]:
        narrow = WAITING_SELECTORS.get(value)
        return narrow(queryset) if narrow else queryset

    def filter_text(
        self, queryset: QuerySet[Proposal], _name: str, value: str
    ) -> QuerySet[Proposal]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(title__icontains=text) | Q(proposer__person__name__icontains=text))

    def filter_key(
        self, queryset: QuerySet[Proposal], _name: str, value: bool
    ) -> QuerySet[Proposal]:
        # An unticked box means "all", not "only the proposals that are not key".
        return queryset.filter(is_key=True) if value else queryset


class MyProposalFilter(ListFilterSet):
    """A member's own proposals: all, or what waits for them (the home page's
    to-dos link here)."""

    NARROW = {"to_send": selectors.unsent, "to_evaluate": selectors.replied}

    show = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[
            ("to_send", _("To send (drafts and returned for revision)")),
            ("to_evaluate", _("Replies to evaluate")),
        ],
        empty_label=_("All my proposals"),
        method="filter_show",
        widget=select(id="show-filter"),
    )

    def filter_show(
        self, queryset: QuerySet[Proposal], _name: str, value: str
    ) -> QuerySet[Proposal]:
        narrow = self.NARROW.get(value)
        return narrow(queryset) if narrow else queryset


class UnitInboxFilter(ListFilterSet):
    """The unit inbox, by the assignment's state (taken-away ones are not
    listed) and by what waits: to sign for, due within 7 days, overdue."""

    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[c for c in Assignment.State.choices if c[0] != Assignment.State.WITHDRAWN],
        empty_label=_("All"),
    )
    waiting = django_filters.ChoiceFilter(
        label=_("To do"),
        choices=[
            (selectors.UNIT_TO_SIGN, _("To sign for")),
            (selectors.UNIT_DUE_SOON, _("Due within 7 days")),
            (selectors.UNIT_OVERDUE, _("Overdue")),
        ],
        empty_label=_("All"),
        method="filter_waiting",
    )

    def filter_waiting(
        self, queryset: QuerySet[Assignment], _name: str, value: str
    ) -> QuerySet[Assignment]:
        return selectors.unit_waiting(queryset, value)


class SupervisionFilter(ListFilterSet):
    """The supervision board, by handling unit; key proposals only; those
    whose supervising leader is the user (我督办的: needs ``request=``)."""

    unit = django_filters.ModelChoiceFilter(
        label=_("Handling unit"),
        queryset=HandlingUnit.objects.none(),
        empty_label=_("All units"),
        widget=select(id="unit-filter"),
    )
    key = django_filters.BooleanFilter(
        label=_("Key proposals only"),
        method="filter_key",
        widget=forms.CheckboxInput(attrs={"id": "key-filter"}),
    )
    mine = django_filters.BooleanFilter(
        label=_("Supervised by me"),
        method="filter_mine",
        widget=forms.CheckboxInput(attrs={"id": "mine-filter"}),
    )

    def filter_key(
        self, queryset: QuerySet[Assignment], _name: str, value: bool
    ) -> QuerySet[Assignment]:
        return queryset.filter(proposal__is_key=True) if value else queryset

    def filter_mine(
        self, queryset: QuerySet[Assignment], _name: str, value: bool
    ) -> QuerySet[Assignment]:
        user = getattr(self.request, "user", None)
        if not value or user is None:
            return queryset
        return queryset.filter(proposal__is_key=True, proposal__supervisor_id=user.pk)

    def limit_choices(self, committee: Any) -> None:
        self.choices_of("unit", selectors.units_for_assignment(committee))


class RequestFilter(ListFilterSet):
    """The office's queue of the units' requests: extension or reassignment
    (``kind``: the view picks the rows), by state (pending, approved, refused)."""

    kind = django_filters.ChoiceFilter(
        label=_("Request"),
        choices=[
            (selectors.REQUEST_EXTENSION, _("Extension requests")),
            (selectors.REQUEST_REASSIGNMENT, _("Reassignment requests")),
        ],
        empty_label=None,
        method="filter_kind",
        widget=select(id="request-kind"),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=ExtensionRequest.State.choices,
        empty_label=_("All"),
        widget=select(id="request-state"),
    )

    def filter_kind(self, queryset: QuerySet[Any], _name: str, _value: str) -> QuerySet[Any]:
        return queryset  # the view read the rows of the kind asked for

    @staticmethod
    def kind_of(data: Any) -> str:
        kind = (data or {}).get("kind")
        return (
            selectors.REQUEST_REASSIGNMENT
            if kind == selectors.REQUEST_REASSIGNMENT
            else selectors.REQUEST_EXTENSION
        )
