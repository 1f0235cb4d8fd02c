"""The filters of the points lists (the ranking, the year's assessments),
on ``core.filters.ListFilterSet``. The year is not a filter: it chooses the
policy and the scores shown, so the views read it with ``year_param``."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.filters import ListFilterSet, select
from lvzhi.org.models import Sector, SpecialCommittee
from lvzhi.points.models import Assessment, Grade


def unit_filter(model: Any, label: Any, field_name: str, empty_label: Any) -> Any:
    """A choice of one of the committee's units (offered by ``limit_choices``)."""
    return django_filters.ModelChoiceFilter(
        label=label,
        field_name=field_name,
        queryset=model.objects.none(),
        empty_label=empty_label,
        widget=select(),
    )


class RankingFilter(ListFilterSet):
    sector = unit_filter(Sector, _("Sector"), "member__sector", _("All sectors"))
    special_committee = unit_filter(
        SpecialCommittee,
        _("Special committee"),
        "member__special_committees",
        _("All special committees"),
    )
    grade = django_filters.ChoiceFilter(
        label=_("Grade"), choices=Grade.choices, empty_label=_("All grades"), widget=select()
    )
    q = django_filters.CharFilter(
        label=pgettext_lazy("person", "Name"),
        field_name="member__person__name",
        lookup_expr="icontains",
    )

    def limit_choices(self, committee: Any) -> None:
        for name, model in (("sector", Sector), ("special_committee", SpecialCommittee)):
            self.choices_of(name, model.objects.filter(committee=committee).order_by("order", "id"))


class AssessmentFilter(ListFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=Assessment.State.choices,
        empty_label=_("All states"),
        widget=select(),
    )
