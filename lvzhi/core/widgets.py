"""The searchable people picker (DESIGN §12: pickers over more than a dozen
people are searchable, allow bulk add and work on a phone).

``PeoplePicker`` is a plain ``<select multiple>`` (it works without
JavaScript and the form validates every id as before) that carries what
static/js/picker.js needs to turn it into a Tom Select: Chinese labels in
``data-picker-*`` attributes, each option's groups (``data-sector="3"``,
``data-special="1 4"``, ``data-studio="2"``) and, in ``data-picker-groups``,
the groups met among the options, for the "add a whole group" control. The
group memberships are read from the options' own rows: the widget joins the
foreign keys and prefetches the many-to-many relations of its queryset, so
a picker costs the same few queries for 20 or 600 people.

Core knows no app's models: a group is named by the attribute path on the
option's row (``sector``, ``special_committees``, ``studios``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Model, Prefetch, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PickerGroup:
    """One kind of group people can be added by."""

    key: str  # the option's data attribute: data-<key>
    label: Any  # the group's heading in the bulk-add control
    path: str  # a foreign key or a many-to-many relation of the option's row
    only: dict[str, Any] = field(default_factory=dict)  # filter on the related rows


# A committee member: by sector, special committee, active studio.
MEMBER_GROUPS: tuple[PickerGroup, ...] = (
    PickerGroup("sector", _("Sectors"), "sector"),
    PickerGroup("special", _("Special committees"), "special_committees"),
    PickerGroup("studio", _("Studios"), "studios", only={"is_active": True}),
)


def _is_many(model: type[Model], path: str) -> bool:
    return bool(model._meta.get_field(path).many_to_many)


def with_groups(queryset: QuerySet[Any], groups: Sequence[PickerGroup]) -> QuerySet[Any]:
    """``queryset`` with what the groups read: one join per foreign key, one
    query per many-to-many relation (whatever the number of rows)."""
    model = queryset.model
    already = {
        getattr(lookup, "prefetch_to", lookup)
        for lookup in getattr(queryset, "_prefetch_related_lookups", ())
    }
    joins, prefetches = [], []
    for group in groups:
        if not _is_many(model, group.path):
            joins.append(group.path)
        elif group.path not in already:
            related = model._meta.get_field(group.path).related_model
            assert related is not None and not isinstance(related, str)
            rows = related._default_manager.filter(**group.only)
            prefetches.append(Prefetch(group.path, queryset=rows))
    if joins:
        queryset = queryset.select_related(*joins)
    return queryset.prefetch_related(*prefetches) if prefetches else queryset


def _group_rows(obj: Model, group: PickerGroup) -> Iterable[Model]:
    value = getattr(obj, group.path)
    if value is None:
        return ()
    return value.all() if hasattr(value, "all") else (value,)


class PeoplePicker(forms.SelectMultiple):
    """A multiple choice of people, searchable and with bulk add in the browser."""

    class Media:
        css = {"all": ["vendor/tom-select/tom-select.bootstrap5.min.css"]}
        js = [
            forms.Script("vendor/tom-select/tom-select.complete.min.js", defer=True),
            forms.Script("js/picker.js", defer=True),
        ]

    def __init__(
        self, attrs: dict[str, Any] | None = None, groups: Sequence[PickerGroup] = MEMBER_GROUPS
    ) -> None:
        super().__init__(attrs)
        self.groups = tuple(groups)
        self._seen: dict[str, dict[int, Model]] = {}

    def optgroups(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> Any:
        if isinstance(self.choices, ModelChoiceIterator):
            self.choices.queryset = with_groups(self.choices.queryset, self.groups)
        return super().optgroups(name, value, attrs)

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        obj = getattr(option["value"], "instance", None)
        if obj is None:
            return option
        for group in self.groups:
            rows = list(_group_rows(obj, group))
            if rows:
                option["attrs"][f"data-{group.key}"] = " ".join(str(row.pk) for row in rows)
            for row in rows:
                self._seen[group.key].setdefault(row.pk, row)
        return option

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        self._seen = {group.key: {} for group in self.groups}
        context = super().get_context(name, value, attrs)
        groups = []
        for group in self.groups:
            seen = self._seen[group.key].values()
            rows = sorted(seen, key=lambda row: (getattr(row, "order", 0), row.pk))
            if rows:
                choices = [[f"{group.key}:{row.pk}", str(row)] for row in rows]
                groups.append({"label": str(group.label), "choices": choices})
        context["widget"]["attrs"].update(
            {
                "data-picker": "",
                "data-picker-groups": json.dumps(groups, ensure_ascii=False),
                "data-picker-placeholder": str(_("Type a name to search")),
                "data-picker-empty": str(_("No one matches.")),
                "data-picker-remove": str(_("Remove")),
                "data-picker-bulk": str(_("Add by sector, special committee or studio")),
                "data-picker-bulk-choose": str(_("Choose a group")),
                "data-picker-add": str(_("Add")),
                "data-picker-added": str(_("Added {count} people.")),
            }
        )
        return context
