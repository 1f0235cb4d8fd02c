"""Forms of the accounts app: validation and messages only, no side effects."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts import totp
from lvzhi.accounts.models import Area, Role, User

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none"}
        ),
        error_messages={"required": _("Enter your username or mobile number.")},
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )


class CodeForm(forms.Form):
    """A six-digit TOTP code (login verification and enrolment)."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
        error_messages={"required": _("Enter the six-digit code from your authenticator app.")},
    )

    recovery_allowed = False

    def clean_code(self) -> str:
        raw = self.cleaned_data["code"]
        code = raw.strip().replace(" ", "")
        if len(code) == 6 and code.isdigit():
            return str(code)
        if self.recovery_allowed and totp.recovery_code_normalised(raw) is not None:
            return str(raw)
        raise forms.ValidationError(_("The code has six digits."))


class LoginCodeForm(CodeForm):
    """The login step: the app's code or, without the phone, a recovery code."""

    recovery_allowed = True


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form (old password, new password twice, the policy validators)
    with our widgets and one more rule: the new password must be new."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, autocomplete in (
            ("old_password", "current-password"),
            ("new_password1", "new-password"),
            ("new_password2", "new-password"),
        ):
            self.fields[name].widget.attrs.update({"autocomplete": autocomplete})
        self.fields["old_password"].widget.attrs.pop("autofocus", None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new = cleaned.get("new_password2")
        if new and cleaned.get("old_password") == new:
            self.add_error("new_password2", _("The new password must differ from the current one."))
        return cleaned


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only; at most 150 characters."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    display_name = forms.CharField(
        label=_("Full name"),
        max_length=64,
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=11,
        required=False,
        help_text=_("Optional. The user may then log in with it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("An account with this username already exists."))
        return username

    def clean_mobile(self) -> str:
        mobile = self.cleaned_data["mobile"].strip()
        if mobile and not MOBILE_RE.match(mobile):
            raise forms.ValidationError(_("Enter an 11-digit mainland mobile number."))
        return mobile


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])
    area = forms.ChoiceField(
        label=_("Functional area"),
        choices=Area.choices,
        required=False,
        help_text=_("Required for office staff."),
    )
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Handling unit"),
        queryset=None,  # set per committee in __init__
        required=False,
        help_text=_("Required for handling-unit accounts."),
    )

    def __init__(self, *args: Any, committee: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        handling_unit = apps.get_model("org", "HandlingUnit")
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = handling_unit.objects.filter(
            committee=committee, is_active=True
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        if role == Role.STAFF and not cleaned.get("area"):
            self.add_error("area", _("Office staff need a functional area."))
        if role == Role.UNIT and not cleaned.get("unit"):
            self.add_error("unit", _("A handling-unit account needs its handling unit."))
        return cleaned
