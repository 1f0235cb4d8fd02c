from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.api.models import ApiToken
from lvzhi.api.services import MAX_DAYS


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
