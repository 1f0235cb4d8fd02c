"""The filters of the points lists (the ranking, the year's assessments),
on ``core.filters.ListFilterSet``. The year is not a filter: it chooses the
policy and the scores shown, so the views read it with ``year_param``."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from lvzhi.core.filters import ListFilterSet, select
from lvzhi.org.models import Sector, SpecialCommittee
from lvzhi.points.models import Assessment, Grade


class RankingFilter(ListFilterSet):
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        field_name="member__sector",
        queryset=Sector.objects.none(),
        empty_label=_("All sectors"),
        widget=select(),
    )
    special_committee = django_filters.ModelChoiceFilter(
        label=_("Special committee"),
        field_name="member__special_committees",
        queryset=SpecialCommittee.objects.none(),
        empty_label=_("All special committees"),
        widget=select(),
    )
    grade = django_filters.ChoiceFilter(
        label=_("Grade"), choices=Grade.choices, empty_label=_("All grades"), widget=select()
    )
    q = django_filters.CharFilter(
        label=_("Name"), field_name="member__person__name", lookup_expr="icontains"
    )

    def limit_choices(self, committee: Any) -> None:
        self.choices_of(
            "sector", Sector.objects.filter(committee=committee).order_by("order", "id")
        )
        self.choices_of(
            "special_committee",
            SpecialCommittee.objects.filter(committee=committee).order_by("order", "id"),
        )


class AssessmentFilter(ListFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=Assessment.State.choices,
        empty_label=_("All states"),
        widget=select(),
    )
