"""Forms of the studios app: validation and Chinese messages, no side effects."""

from __future__ import annotations

import itertools
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.org.models import Member, Sector
from lvzhi.studios.models import Activity, ServiceProject, StarPolicy


def bootstrap(form: forms.BaseForm) -> None:
    """Give every widget its Bootstrap class (templates render ``{{ field }}``)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(
            widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
        ):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class DateInput(forms.DateInput):
    input_type = "date"


class ServiceProjectForm(Styled):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ActivityForm(Styled):
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


class AdjustForm(Styled):
    stars = forms.TypedChoiceField(
        label=_("Stars"), coerce=int, choices=[(n, "★" * n) for n in range(1, 6)]
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PolicyForm(StyledModelForm):
    class Meta:
        model = StarPolicy
        fields = [
            "target_activities",
            "target_services",
            "weight_activities",
            "weight_on_time",
            "weight_satisfaction",
            "weight_services",
            "two_stars",
            "three_stars",
            "four_stars",
            "five_stars",
            "floor_stars",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        thresholds = [data.get(k) for k in ("two_stars", "three_stars", "four_stars", "five_stars")]
        if all(t is not None for t in thresholds) and (
            not all(a < b for a, b in itertools.pairwise(thresholds))  # type: ignore[operator]
            or thresholds[-1] > 100  # type: ignore[operator]
        ):
            raise forms.ValidationError(
                _("The scores for two to five stars must rise and stay within 100.")
            )
        floor = data.get("floor_stars")
        if floor is not None and not 1 <= floor <= 5:
            self.add_error("floor_stars", _("Between 1 and 5 stars."))
        weights = [
            data.get(k)
            for k in (
                "weight_activities",
                "weight_on_time",
                "weight_satisfaction",
                "weight_services",
            )
        ]
        if all(w is not None for w in weights) and sum(weights) == 0:  # type: ignore[arg-type]
            raise forms.ValidationError(_("At least one weight must be above zero."))
        return data


class LeaderForm(Styled):
    member = forms.ModelChoiceField(label=_("Leader"), queryset=Member.objects.none())
    duty = forms.CharField(label=_("In charge of"), max_length=100, required=False)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class PlanForm(Styled):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    rounds = forms.IntegerField(
        label=_("Round tables per cluster a year"), min_value=1, max_value=12, initial=4
    )


class BlockedWeekForm(Styled):
    week = forms.DateField(label=_("A day in the week"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=100)


class DutyWeekForm(Styled):
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.none())
    week = forms.DateField(label=_("A day in the week"), widget=DateInput)

    def __init__(self, *args: Any, sectors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors  # type: ignore[attr-defined]


class LeadForm(Styled):
    sector = forms.ModelChoiceField(label=_("Lead sector"), queryset=Sector.objects.none())

    def __init__(self, *args: Any, sectors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors  # type: ignore[attr-defined]
