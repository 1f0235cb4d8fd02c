"""The filters of the duties lists (activities, an activity's invitations,
services to confirm, duty projects), on ``core.filters.ListFilterSet``.
The GET parameter names are those the pages always used (``q``, ``state``,
``kind``), so old links keep working."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from lvzhi.core.filters import ListFilterSet, period_filters, select
from lvzhi.duties.models import Activity, ActivityKind, Contribution, DutyProject, Invitation


def state_filter(choices: Any, **kwargs: Any) -> django_filters.ChoiceFilter:
    """The state select every duties list has."""
    kwargs.setdefault("empty_label", _("All states"))
    return django_filters.ChoiceFilter(label=_("State"), choices=choices, widget=select(), **kwargs)


class ActivityFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")
    state = state_filter(Activity.State.choices)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ActivityKind.choices, empty_label=_("All kinds"), widget=select()
    )
    # The reports' links (lvzhi/reports): the rows of a period.
    since, until = period_filters("start_at__date", _("Starting from"), _("Starting until"))


class InvitationFilter(ListFilterSet):
    state = state_filter(Invitation.State.choices)


class ProjectFilter(ListFilterSet):
    state = state_filter(DutyProject.State.choices)


ALL = "all"


class ContributionFilter(ListFilterSet):
    """Staff open the list on what awaits them: without ``?state=`` it shows
    the submitted items; ``?state=all`` shows every state."""

    state = state_filter(
        [(ALL, _("All states")), *Contribution.State.choices],
        empty_label=None,
        method="filter_state",
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("state", Contribution.State.SUBMITTED)
        super().__init__(data, *args, **kwargs)

    def filter_state(
        self, queryset: QuerySet[Contribution], _name: str, value: str
    ) -> QuerySet[Contribution]:
        return queryset if value == ALL else queryset.filter(state=value)
