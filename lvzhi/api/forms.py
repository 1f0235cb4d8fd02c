from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.api.models import ApiToken
from lvzhi.api.services import MAX_DAYS
from lvzhi.org.models import HandlingUnit
from lvzhi.org.selectors import units_of


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Where the token is used, e.g. my phone.")
    )
    scope = forms.ChoiceField(
        label=_("Scope"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90
    )


class UnitCredentialForm(forms.Form):
    unit: forms.ModelChoiceField[HandlingUnit] = forms.ModelChoiceField(
        label=_("Handling unit"), queryset=HandlingUnit.objects.none()
    )
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("The unit's system, e.g. its OA.")
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=365
    )

    def __init__(self, *args: Any, committee: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(committee, active=True)  # type: ignore[attr-defined]


class WebhookForm(forms.Form):
    unit: forms.ModelChoiceField[HandlingUnit] = forms.ModelChoiceField(
        label=_("Handling unit"), queryset=HandlingUnit.objects.none()
    )
    # A CharField: the service checks the address and says why in Chinese.
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        help_text=_("The unit's system receives a signed POST here (http or https)."),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
