"""Filters of the organisation's lists (``core.filters.ListFilterSet``).

The selectors give each list its committee scope, its joins and its order;
these narrow it by the GET parameters the pages and the export links use
(``q``, ``term``, ``sector``, ``special_committee``, ``position``, ``status``,
``party``, ``kind``, ``active``). A value that does not validate — another
committee's sector, a kind that does not exist — is ignored."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from lvzhi.core import crypto
from lvzhi.core.filters import ListFilterSet
from lvzhi.org.models import HandlingUnit, Member, Party, Sector, SpecialCommittee, Term


def _by_active(queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
    return queryset.filter(is_active=value == "1")


def active_filter() -> django_filters.ChoiceFilter:
    """``?active=1`` the rows in use, ``?active=0`` the deactivated ones."""
    return django_filters.ChoiceFilter(
        label=_("active"),
        choices=[("1", _("Active")), ("0", _("Deactivated"))],
        method=_by_active,
        empty_label=_("All"),
    )


def search_field(placeholder: Any = None) -> dict[str, Any]:
    """The arguments of a search box's filter."""
    attrs = {"placeholder": placeholder} if placeholder else {}
    return {"label": _("Search"), "max_length": 64, "widget": forms.TextInput(attrs=attrs)}


class ObjectChoiceField(forms.ChoiceField):
    """A choice among a few rows read once: rendering and validating it costs
    no further query (the roster page keeps a fixed number of queries)."""

    def __init__(self, *, empty_label: Any, **kwargs: Any) -> None:
        self.empty_label = empty_label
        self.objects: dict[str, Any] = {}
        super().__init__(choices=[], **kwargs)

    def set_objects(self, objects: Iterable[Any]) -> None:
        self.objects = {str(obj.pk): obj for obj in objects}
        self.choices = [("", self.empty_label), *((k, str(o)) for k, o in self.objects.items())]

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.objects.get(value) if value else None


class ObjectChoiceFilter(django_filters.Filter):
    """Filters by one of the rows given to ``ListFilterSet.objects_of``."""

    field_class = ObjectChoiceField


class ActiveFilter(ListFilterSet):
    """Studios and stations: in use or deactivated."""

    active = active_filter()


class UnitFilter(ListFilterSet):
    """Handling units by part of the name, kind and whether they are in use."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", **search_field())
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=HandlingUnit.Kind.choices, empty_label=_("All")
    )
    active = active_filter()


class MemberFilter(ListFilterSet):
    """The roster. Without a ``term`` parameter the current term is shown, an
    empty ``term`` shows every term, a wrong one the current term again."""

    q = django_filters.CharFilter(
        method="search", **search_field(_("Name, or full mobile or ID number"))
    )
    term = ObjectChoiceFilter(label=_("term"), empty_label=_("All terms"))
    sector = ObjectChoiceFilter(label=_("sector"), empty_label=_("All"))
    special_committee = ObjectChoiceFilter(
        label=_("special committee"), field_name="special_committees", empty_label=_("All")
    )
    position = django_filters.ChoiceFilter(
        label=_("position"), choices=Member.Position.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=Member.Status.choices, empty_label=_("All")
    )
    party = django_filters.ChoiceFilter(
        label=_("party affiliation"),
        field_name="person__party",
        choices=Party.choices,
        empty_label=_("All"),
    )

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Any] | None = None,
        *,
        committee: Any,
        **kwargs: Any,
    ) -> None:
        # Read once: the current term, the choices and their validation.
        self.terms = list(Term.objects.filter(committee=committee).order_by("-number"))
        self.current_term = next((term for term in self.terms if term.is_current), None)
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if "term" not in data and self.current_term is not None:
            data["term"] = str(self.current_term.pk)
        super().__init__(data, queryset, committee=committee, **kwargs)

    def limit_choices(self, committee: Any) -> None:
        in_order = ("order", "id")
        self.objects_of("term", self.terms)
        self.objects_of("sector", Sector.objects.filter(committee=committee).order_by(*in_order))
        self.objects_of(
            "special_committee",
            SpecialCommittee.objects.filter(committee=committee).order_by(*in_order),
        )

    def objects_of(self, name: str, objects: Iterable[Any]) -> None:
        """Offer ``objects`` in the ``ObjectChoiceFilter`` ``name``."""
        cast(ObjectChoiceField, self.filters[name].field).set_objects(objects)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if "term" in self.form.errors and self.current_term is not None:
            queryset = queryset.filter(term=self.current_term)
        return super().filter_queryset(queryset)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Part of the name, or a whole mobile or ID number through the keyed
        hash (numbers are never stored in clear, so never matched in part)."""
        # Numbers are typed with spaces or hyphens now and then (138 0013 8000).
        digests = crypto.blind_indexes(re.sub(r"[\s-]", "", value))
        return queryset.filter(
            Q(person__name__icontains=value)
            | Q(person__mobile_hash__in=digests)
            | Q(person__id_number_hash__in=digests)
        )
