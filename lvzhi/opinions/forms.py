"""Forms of the public-opinion pages: validation and Chinese messages, no
side effects. Choices of related rows are limited to the current committee,
so another committee's id is refused; the services check the same again."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lvzhi.core.web import this_year
from lvzhi.core.widgets import PeoplePicker
from lvzhi.opinions import selectors
from lvzhi.opinions.models import (
    Category,
    EditedItem,
    ForwardTarget,
    IssueKind,
    Level,
    NationalMode,
    Report,
    SubmitterKind,
)
from lvzhi.opinions.services import REASON_MAX, TITLE_MAX
from lvzhi.opinions.settings_defs import MAX_CHARS
from lvzhi.org.forms import date_input
from lvzhi.org.models import Committee, Member, SpecialCommittee
from lvzhi.org.selectors import eligible_members


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    cast(Any, form.fields[name]).queryset = queryset


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        sector = f"（{obj.sector.name}）" if obj.sector_id else ""
        return f"{obj.person.name}{sector}"


class ReportChoiceField(forms.ModelMultipleChoiceField):
    """Reports to merge, by checkbox."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {
        "required": _("Choose the reports to merge."),
        "invalid_choice": _("Choose reports that may still be merged."),
    }

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title} — {obj.author.person.name}"


class ItemChoiceField(forms.ModelMultipleChoiceField):
    """Items to put in an issue, by checkbox."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {
        "required": _("Choose the items to put in the issue."),
        "invalid_choice": _("Choose items that are not in an issue yet."),
    }

    def label_from_instance(self, obj: Any) -> str:
        names = "、".join(
            row.member.person.name
            for report in obj.reports.all()
            for row in report.submitter_rows.all()
        )
        return f"{obj.title}（{names}）" if names else obj.title


class ReportForm(forms.Form):
    """A member's draft: title, text within the committee's limit, category,
    who submits it, co-submitters and an attachment."""

    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Enter the title of the report."),
            "max_length": _("The title is too long (at most 100 characters)."),
        },
    )
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=True,
        error_messages={"required": _("Enter the text of the report.")},
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    submitter_kind = forms.ChoiceField(
        label=_("Submitted as"),
        choices=SubmitterKind.choices,
        initial=SubmitterKind.MEMBER,
        error_messages={"required": _("Choose who submits the report.")},
    )
    special_committee = forms.ModelChoiceField(
        label=_("Special committee"),
        queryset=SpecialCommittee.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    group_name = forms.CharField(
        label=_("Party or organisation group"),
        max_length=100,
        required=False,
        help_text=_("Only when the report is submitted in the name of a group."),
    )
    co_submitters = MemberChoiceField(
        label=_("Co-submitters"),
        queryset=Member.objects.none(),
        required=False,
        widget=PeoplePicker(attrs={"size": 6}),
        help_text=_("Members who wrote the report with you; the duty points are shared."),
        error_messages={
            "invalid_choice": _("Choose co-submitters among the members of this committee."),
            "invalid_pk_value": _("Choose co-submitters among the members of this committee."),
        },
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Optional: PDF, image, Word, Excel or PowerPoint, at most 10 MB."),
    )

    def __init__(
        self, *args: Any, committee: Committee, author: Member, max_chars: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.committee, self.author, self.max_chars = committee, author, max_chars
        _set_queryset(self, "category", selectors.categories_of(committee))
        _set_queryset(self, "special_committee", author.special_committees.all())
        _set_queryset(self, "co_submitters", eligible_members(committee).exclude(pk=author.pk))
        self.fields["text"].widget.attrs["data-maxchars"] = str(max_chars)
        self.fields["text"].help_text = gettext("At most %(max)s characters.") % {"max": max_chars}
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = uuid.uuid4()

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if len(text) > self.max_chars:
            raise forms.ValidationError(
                gettext("The text has %(count)s characters; at most %(max)s are allowed.")
                % {"count": len(text), "max": self.max_chars}
            )
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("submitter_kind")
        if kind == SubmitterKind.SECTOR and self.author.sector_id is None:
            self.add_error(
                "submitter_kind", gettext("You belong to no sector, so you cannot submit for one.")
            )
        if kind == SubmitterKind.SPECIAL_COMMITTEE and not data.get("special_committee"):
            self.add_error("special_committee", gettext("Choose one of your special committees."))
        if kind == SubmitterKind.GROUP and not str(data.get("group_name", "")).strip():
            self.add_error(
                "group_name", gettext("Enter the name of the party or organisation group.")
            )
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter the reason."),
            "max_length": _("The reason is too long (at most 200 characters)."),
        },
    )


class ItemForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Enter the title of the item."),
            "max_length": _("The title is too long (at most 100 characters)."),
        },
    )
    text = forms.CharField(
        label=_("Edited text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": _("Enter the edited text.")},
    )


class MergeForm(forms.Form):
    reports = ReportChoiceField(
        label=_("Reports to merge into this item"), queryset=Report.objects.none()
    )

    def __init__(self, *args: Any, item: EditedItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "reports", selectors.merge_candidates(item))


class IssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IssueKind.choices)
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        initial=this_year,
        error_messages={"required": _("Enter the year."), "invalid": _("Enter a real year.")},
    )
    date = forms.DateField(
        label=_("Date"),
        widget=date_input(),
        initial=timezone.localdate,
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter a real date, e.g. 2026-10-01."),
        },
    )
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    to_upper = forms.BooleanField(label=_("To the upper committee"), required=False)
    to_party = forms.BooleanField(label=_("To the party committee"), required=False)
    to_government = forms.BooleanField(label=_("To the government"), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
            del self.fields["year"]


class AddItemsForm(forms.Form):
    items = ItemChoiceField(label=_("Items to add"), queryset=EditedItem.objects.none())

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "items", selectors.items_ready(committee))


def _date_field() -> forms.DateField:
    return forms.DateField(
        label=_("Date"),
        widget=date_input(),
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter a real date, e.g. 2026-10-01."),
        },
    )


class DateNotInFutureMixin:
    cleaned_data: dict[str, Any]

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext("The date cannot be in the future."))
        return day


class ForwardForm(DateNotInFutureMixin, forms.Form):
    target = forms.ChoiceField(label=_("Sent to"), choices=ForwardTarget.choices)
    target_name = forms.CharField(
        label=_("Recipient"),
        max_length=100,
        required=False,
        help_text=_("e.g. the provincial CPPCC's information office"),
    )
    date = _date_field()
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AdoptionForm(DateNotInFutureMixin, forms.Form):
    level = forms.ChoiceField(
        label=_("Adopted by"),
        choices=Level.choices,
        error_messages={"required": _("Choose the level that adopted the item.")},
    )
    national_mode = forms.ChoiceField(
        label=_("National adoption"),
        choices=[("", _("(not national)")), *NationalMode.choices],
        required=False,
        help_text=_("Only for the national CPPCC: on its own or in a combined report."),
    )
    date = _date_field()
    text = forms.CharField(
        label=_("Text or note"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("level") == Level.NATIONAL and not data.get("national_mode"):
            self.add_error(
                "national_mode",
                gettext("Say whether the national CPPCC adopted it on its own or combined."),
            )
        return data


class InstructionForm(DateNotInFutureMixin, forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    leader_title = forms.CharField(
        label=_("Leader"),
        max_length=100,
        help_text=_("The leader's title, e.g. vice-governor of the province"),
        error_messages={"required": _("Enter the leader's title.")},
    )
    date = _date_field()
    text = forms.CharField(
        label=_("Text of the instruction"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class InstructionWriteForm(forms.Form):
    """A party or government leader's own instruction, written in the app."""

    leader_title = forms.CharField(
        label=_("Your title"),
        max_length=100,
        help_text=_("As it should appear with the instruction, e.g. county magistrate"),
        error_messages={"required": _("Enter the leader's title.")},
    )
    text = forms.CharField(
        label=_("Instruction"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": _("Write the instruction.")},
    )


class SettingsForm(forms.Form):
    max_chars = forms.IntegerField(
        label=_("Maximum length of a report (characters)"),
        min_value=MAX_CHARS.min_value,
        max_value=MAX_CHARS.max_value,
        error_messages={
            "required": _("Enter the limit."),
            "min_value": _("The limit must be between 100 and 10,000 characters."),
            "max_value": _("The limit must be between 100 and 10,000 characters."),
        },
    )
    categories = forms.CharField(
        label=_("Categories"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "One a line, in the order members see them. A category left out is "
            "hidden from new reports; old reports keep it."
        ),
    )

    def clean_categories(self) -> list[str]:
        names = [line.strip() for line in str(self.cleaned_data["categories"]).splitlines()]
        names = [n for n in names if n]
        for name in names:
            if len(name) > 32:
                raise forms.ValidationError(
                    gettext("A category name is too long (at most 32 characters): %(name)s")
                    % {"name": name}
                )
        return names
