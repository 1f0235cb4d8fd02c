"""Forms of the points app: validation and Chinese messages, no side effects."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.duties.models import KIND_CATEGORY, DutyCategory, DutyKind
from lvzhi.org.models import Member
from lvzhi.points import schemefile
from lvzhi.points.models import Policy, PolicyEntry, RequirementSet
from lvzhi.points.presets import PRESET_SCHEMES
from lvzhi.points.services import policy_errors

# The renderer adds form-control (core.form_renderer); the small size stays.
NUMBER = {"class": "form-control form-control-sm", "step": "0.01"}


def _decimal(label: Any, required: bool = True, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs=NUMBER),
        error_messages={
            "invalid": _("Enter a number."),
            "required": _("This field is required."),
            "max_digits": _("The number is too large."),
            "max_decimal_places": _("At most two decimal places."),
        },
        **kwargs,
    )


class PolicyForm(forms.Form):
    """A draft policy: its scalar numbers, points for each duty kind and a cap per category."""

    name = forms.CharField(label=_("Name"), max_length=100)
    requirement_set = forms.ModelChoiceField(
        label=_("Required duties"),
        queryset=RequirementSet.objects.none(),
        required=False,
    )
    base_score = _decimal(_("Base score"))
    max_score = _decimal(_("Maximum score"))
    excellent_threshold = _decimal(_("Excellent from"))
    competent_threshold = _decimal(_("Competent from"))

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            initial: dict[str, Any] = {
                name: getattr(policy, name)
                for name in (
                    "name",
                    "base_score",
                    "max_score",
                    "excellent_threshold",
                    "competent_threshold",
                )
            }
            initial["requirement_set"] = policy.requirement_set_id
            for p in policy.kind_points.all():
                initial[f"points_{p.kind}"] = p.points
            for c in policy.caps.all():
                initial[f"cap_{c.category}"] = c.cap
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["requirement_set"].queryset = RequirementSet.objects.filter(  # type: ignore[attr-defined]
            committee_id=policy.committee_id
        )
        for kind, label in DutyKind.choices:
            self.fields[f"points_{kind}"] = _decimal(label, required=False)
        for category, label in DutyCategory.choices:
            self.fields[f"cap_{category}"] = _decimal(
                label, required=False, help_text=_("Empty: no cap.")
            )

    def kind_fields(self) -> list[tuple[Any, list[Any]]]:
        """Points fields grouped by category, with the category's cap field first."""
        groups = []
        for category, label in DutyCategory.choices:
            kinds = [self[f"points_{k}"] for k in DutyKind.values if KIND_CATEGORY[k] == category]
            groups.append((label, [self[f"cap_{category}"], *kinds]))
        return groups

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        points = {k: cleaned.get(f"points_{k}") for k in DutyKind.values}
        caps = {c: cleaned.get(f"cap_{c}") for c in DutyCategory.values}
        cleaned["points"] = {k: v for k, v in points.items() if v is not None}
        cleaned["caps"] = {c: v for c, v in caps.items() if v is not None}
        if not self.errors:
            for error in policy_errors(cleaned):
                self.add_error(None, error)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "name",
                "requirement_set",
                "base_score",
                "max_score",
                "excellent_threshold",
                "competent_threshold",
                "points",
                "caps",
            )
        }


class SelfReportForm(forms.Form):
    text = forms.CharField(
        label=_("Self-report"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What you did this year as a member, and what you plan next."),
        error_messages={"required": _("Write your self-report.")},
    )


class ReviewForm(forms.Form):
    adjustment = forms.DecimalField(
        label=_("Adjustment (points)"),
        max_digits=6,
        decimal_places=2,
        initial=Decimal(0),
        min_value=Decimal(-100),
        max_value=Decimal(100),
        widget=forms.NumberInput(attrs={"step": "0.5"}),
        error_messages={"invalid": _("Enter a number.")},
    )
    reason = forms.CharField(
        label=_("Reason for the adjustment"),
        max_length=500,
        required=False,
    )
    note = forms.CharField(label=_("Review note"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("adjustment") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the adjustment."))
        return cleaned


class BulletinGenerateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[
            (1, _("first quarter")),
            (2, _("second quarter")),
            (3, _("third quarter")),
            (4, _("fourth quarter")),
        ],
    )


SCHEME_MAX_BYTES = 512 * 1024


def parse_scheme_text(text: str) -> Any:
    """The JSON of a scheme file, or a located Chinese message for broken JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise forms.ValidationError(
            _("The file is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": error.lineno, "column": error.colno}
        ) from error


BLANK = "blank"


class SchemeNewForm(forms.Form):
    """A draft from nothing (a blank scheme built on the editor's page), from a
    shipped scheme or from a scheme file sent by another office; ``document``
    is the scheme file of the first and the last."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    preset = forms.ChoiceField(label=_("Shipped scheme"), required=False)
    upload = forms.FileField(
        label=_("Or a scheme file (JSON)"),
        required=False,
        help_text=_("The format is described in the project's documentation."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        preset = self.fields["preset"]
        assert isinstance(preset, forms.ChoiceField)
        preset.choices = [
            ("", "—"),
            (BLANK, _("A blank scheme (build it part by part on the page)")),
            *PRESET_SCHEMES.items(),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload, preset = cleaned.get("upload"), cleaned.get("preset")
        if bool(upload) == bool(preset):
            raise forms.ValidationError(_("Choose a shipped scheme or a file, one of them."))
        if upload:
            if upload.size > SCHEME_MAX_BYTES:
                raise forms.ValidationError(_("A scheme file is at most 512 KB."))
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("Save the file as UTF-8 text.")) from error
            cleaned["document"] = parse_scheme_text(text)
        elif preset == BLANK:
            cleaned["document"] = schemefile.blank()
        return cleaned


class SchemeForm(forms.Form):
    """A draft's whole scheme as its scheme file: checked on saving, every
    error located by its path."""

    document = forms.CharField(
        label=_("Scheme (JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "font-monospace small"}),
        max_length=SCHEME_MAX_BYTES,
    )

    def clean_document(self) -> Any:
        return parse_scheme_text(self.cleaned_data["document"])


class EntryForm(forms.Form):
    """What staff record by hand for a member's year, with its reason."""

    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    entry_type = forms.ChoiceField(label=_("Type"), choices=PolicyEntry.Type.choices)
    code = forms.ChoiceField(label=_("Kind or veto item"), required=False)
    points = forms.DecimalField(
        label=_("Adjustment (points)"),
        max_digits=6,
        decimal_places=2,
        required=False,
        error_messages={"invalid": _("Enter a number.")},
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, members: Any, codes: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = members
        code = self.fields["code"]
        assert isinstance(code, forms.ChoiceField)
        code.choices = [("", "—"), *codes]


class TalkRecordForm(forms.Form):
    """谈话记录: the convener's talk with a member about the year's grade."""

    date = forms.DateField(
        label=_("Date of the talk"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the date of the talk."),
            "invalid": _("Enter a real date, e.g. 2026-10-01."),
        },
    )
    summary = forms.CharField(
        label=pgettext_lazy("talk", "Summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was said: the reasons for the low score and what the member said."),
        error_messages={
            "required": _("Write what the talk was about."),
            "max_length": _("The summary is at most 2000 characters."),
        },
    )
    next_step = forms.CharField(
        label=pgettext_lazy("talk", "Next step"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the member will do, and when the convener checks again."),
        error_messages={
            "required": _("Write the next step agreed."),
            "max_length": _("The next step is at most 500 characters."),
        },
    )
