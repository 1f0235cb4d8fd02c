"""Forms of the studios app: validation and Chinese messages, no side effects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.core.committee_settings import form_values, settings_form_class
from lvzhi.org.models import Member, Sector
from lvzhi.studios.models import Activity, ServiceProject
from lvzhi.studios.services import star_criteria_errors
from lvzhi.studios.settings_defs import CRITERIA, PREFIX


class DateInput(forms.DateInput):
    input_type = "date"


class ServiceProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    day = forms.DateField(label=_("Date"), widget=DateInput)
    title = forms.CharField(label=_("Title"), max_length=100)
    project = forms.ModelChoiceField(
        label=_("Service project"), queryset=ServiceProject.objects.none(), required=False
    )
    people_served = forms.IntegerField(
        label=_("People served"), min_value=0, max_value=100000, initial=0
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Members taking part"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, projects: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["participants"].queryset = members  # type: ignore[attr-defined]
        if projects is None or not projects.exists():
            del self.fields["project"]


class AdjustForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Stars"), coerce=int, choices=[(n, "★" * n) for n in range(1, 6)]
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CriteriaForm(settings_form_class(PREFIX)):  # type: ignore[misc]
    """The star-rating criteria: one field per committee setting, checked as a whole."""

    field_order = [d.key.replace(".", "__") for d in CRITERIA]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {k.removeprefix(PREFIX): v for k, v in form_values(data).items()}
        for error in star_criteria_errors(values):
            self.add_error(None, error)
        return data


class LeaderForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Leader"), queryset=Member.objects.none())
    duty = forms.CharField(label=_("In charge of"), max_length=100, required=False)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    rounds = forms.IntegerField(
        label=_("Round tables per cluster a year"), min_value=1, max_value=12, initial=4
    )


class BlockedWeekForm(forms.Form):
    week = forms.DateField(label=_("A day in the week"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=100)


class DutyWeekForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.none())
    week = forms.DateField(label=_("A day in the week"), widget=DateInput)

    def __init__(self, *args: Any, sectors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors  # type: ignore[attr-defined]


class LeadForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("Lead sector"), queryset=Sector.objects.none())

    def __init__(self, *args: Any, sectors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors  # type: ignore[attr-defined]
