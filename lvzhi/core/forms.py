"""Forms of the shared kernel: validation and Chinese messages, no side effects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import Holiday
from lvzhi.core.services import DUPLICATE_DATE, NAME_MAX_LENGTH, WORKDAY_ON_WEEKDAY


class HolidayForm(forms.Form):
    """One row of the holiday calendar; ``instance`` is the row being edited."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter a real date, e.g. 2026-10-01."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Holiday.Kind.choices,
        help_text=_(
            "A holiday is a day off on any day of the week; a make-up working day "
            "is a Saturday or Sunday on which people work."
        ),
        error_messages={"required": _("Choose the kind of day.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. National Day")}),
        error_messages={
            "required": _("Enter the name of the holiday."),
            "max_length": _("The name is too long (at most 64 characters)."),
        },
    )

    def __init__(self, *args: Any, instance: Holiday | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "date": instance.date,
                "kind": instance.kind,
                "name": instance.name,
            }
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the name of the holiday."))
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, kind = cleaned.get("date"), cleaned.get("kind")
        if day is None:
            return cleaned
        if kind == Holiday.Kind.WORKDAY and day.weekday() < 5:
            self.add_error("kind", WORKDAY_ON_WEEKDAY)
        others = Holiday.objects.filter(date=day)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            self.add_error("date", str(DUPLICATE_DATE) % {"date": day.isoformat()})
        return cleaned
