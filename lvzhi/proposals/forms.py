"""Forms of the proposal pages: validation and Chinese messages, no side
effects. Every choice of a related row is limited to the current committee,
so another committee's id is refused; the services check again."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.models import User
from lvzhi.core.widgets import PeoplePicker
from lvzhi.org.models import Committee, HandlingUnit, Member, PlenarySession
from lvzhi.org.selectors import current_term
from lvzhi.proposals import selectors, services
from lvzhi.proposals.models import (
    MESSAGE_MAX,
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    DeclineGround,
    PreContact,
    Proposal,
    ProposalCategory,
    QualityRating,
    Satisfaction,
)
from lvzhi.proposals.settings_defs import (
    CLASS_CODE_MAX,
    CLASS_LABEL_MAX,
    MAX_CLASSES,
    PRESETS,
    answer_class_choices,
)


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.name}（{obj.sector.name if obj.sector else ''}）"


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.is_active:
            return str(obj.name)
        return str(_("%(name)s (no longer in use)") % {"name": obj.name})


class CommitteeForm(forms.Form):
    """A panel form whose choices are the committee's rows: ``limit_choices``
    narrows them (override), so another committee's id is refused."""

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices(committee)

    def limit_choices(self, committee: Committee) -> None:
        """Set the model choice fields' querysets (override)."""

    def choices_of(self, name: str, queryset: Any) -> None:
        self.fields[name].queryset = queryset  # type: ignore[attr-defined]


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    category = CategoryChoice(
        label=_("Category"),
        queryset=ProposalCategory.objects.none(),
        required=False,  # type: ignore[arg-type]
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Proposal.Kind.choices)
    on_behalf_of = forms.CharField(
        label=_("Filed in the name of"),
        max_length=64,
        required=False,
        help_text=_("For sector, party or organisation and special committee proposals."),
    )
    session = forms.ModelChoiceField(
        label=_("Plenary session"),
        queryset=PlenarySession.objects.none(),
        required=False,
        empty_label=_("None — a regular proposal"),
        help_text=_("Plenary proposals are accepted only inside the session's proposal window."),
    )
    reason = forms.CharField(
        label=_("Reason for the proposal"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The problem and why it matters (案由)."),
    )
    suggestions = forms.CharField(
        label=_("Suggestions"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What should be done, concretely (办法)."),
    )
    cosigners = MemberChoice(
        label=_("Co-signers"),
        queryset=Member.objects.none(),
        required=False,
        widget=PeoplePicker(attrs={"size": 6}),
        help_text=_("Joint proposals only: members of this committee you invite to co-sign."),
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        committee: Committee,
        proposer: Member | None,
        keep_category: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        # Active categories only; a draft's own deactivated category stays selectable.
        self.fields["category"].queryset = selectors.categories_of(  # type: ignore[attr-defined]
            committee, keep=keep_category
        )
        term = current_term(committee)
        self.fields["session"].queryset = PlenarySession.objects.filter(  # type: ignore[attr-defined]
            committee=committee, term=term
        ).order_by("-start_date")
        self.fields["cosigners"].queryset = selectors.cosigner_candidates(  # type: ignore[attr-defined]
            committee, exclude=proposer
        )
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = uuid.uuid4()


class DeclineForm(CommitteeForm):
    ground = forms.ModelChoiceField(label=_("Ground"), queryset=DeclineGround.objects.none())
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)
    letter_unit = forms.ModelChoiceField(
        label=_("Forward as a suggestion letter to"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        empty_label=_("Do not forward"),
    )

    def limit_choices(self, committee: Committee) -> None:
        self.choices_of("ground", selectors.grounds_of(committee))
        self.choices_of("letter_unit", selectors.units_for_assignment(committee))


class ConfigRowForm(forms.Form):
    """Add or rename a category or decline ground: not empty, not too long,
    not a name the committee's list already has."""

    name = forms.CharField(
        label=_("Name"),
        error_messages={"required": _("Enter a name.")},
    )

    def __init__(
        self,
        *args: Any,
        committee: Committee,
        model: type[ProposalCategory] | type[DeclineGround],
        row: ProposalCategory | DeclineGround | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.committee, self.model, self.row = committee, model, row
        self.column, self.limit = services.config_field(model)
        field = self.fields["name"]
        field.label = _("Category name") if model is ProposalCategory else _("Ground for declining")
        field.widget.attrs["maxlength"] = str(self.limit)

    def clean_name(self) -> str:
        value = str(self.cleaned_data["name"]).strip()
        if len(value) > self.limit:
            raise forms.ValidationError(
                _("At most %(limit)s characters (now %(count)s).")
                % {"limit": self.limit, "count": len(value)}
            )
        same = self.model.objects.filter(committee=self.committee, **{self.column: value})  # type: ignore[attr-defined]
        if self.row is not None:
            same = same.exclude(pk=self.row.pk)
        if same.exists():
            raise forms.ValidationError(_("“%(name)s” is already in the list.") % {"name": value})
        return value


class ConvertForm(CommitteeForm):
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=HandlingUnit.objects.none())

    def limit_choices(self, committee: Committee) -> None:
        self.choices_of("unit", selectors.units_for_assignment(committee))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_MAX)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Proposal.objects.none())
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args: Any, committee: Committee, proposal: Proposal, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        field.queryset = selectors.merge_targets(committee, proposal)  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: f"{p.number_label} {p.title}"  # type: ignore[attr-defined]


class AssignForm(CommitteeForm):
    lead = forms.ModelChoiceField(
        label=_("Lead unit"),
        queryset=HandlingUnit.objects.none(),
        required=False,  # type: ignore[arg-type]
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-units"),
        queryset=HandlingUnit.objects.none(),
        required=False,  # type: ignore[arg-type]
    )
    split_units = forms.ModelMultipleChoiceField(
        label=_("Split handling units"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        help_text=_("Instead of a lead unit: two or more units each reply on their part."),
    )

    def limit_choices(self, committee: Committee) -> None:
        units = selectors.units_for_assignment(committee)
        for name in ("lead", "co_units", "split_units"):
            self.choices_of(name, units)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("lead") and not data.get("split_units"):
            raise forms.ValidationError(_("Choose a lead unit or split handling units."))
        return data


class PreContactForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_date())
    way = forms.ChoiceField(label=_("Way"), choices=PreContact.Way.choices)
    summary = forms.CharField(
        label=_("Summary"), max_length=NOTE_MAX * 4, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())


class CorrectionForm(forms.Form):
    """The office's correction of a submitted proposal's title, category and kind."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    category = CategoryChoice(label=_("Category"), queryset=ProposalCategory.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Proposal.Kind.choices)
    on_behalf_of = forms.CharField(
        label=_("Filed in the name of"),
        max_length=64,
        required=False,
        help_text=_("For sector, party or organisation and special committee proposals."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": proposal.title,
                "category": proposal.category_id,
                "kind": proposal.kind,
                "on_behalf_of": proposal.on_behalf_of,
            },
        )
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["category"])
        field.queryset = selectors.categories_of(proposal.committee, keep=proposal.category_id)


class MessageForm(forms.Form):
    """A message on an assignment's thread; the replying unit may mark it as
    its 办前面商 record (``with_contact``)."""

    text = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact_way = forms.ChoiceField(
        label=_("Record it as the pre-reply contact (办前面商)"),
        choices=[("", _("No, an ordinary message")), *PreContact.Way.choices],
        required=False,
    )
    contact_date = forms.DateField(label=_("Contact date"), required=False, widget=_date())

    def __init__(self, *args: Any, with_contact: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_contact:
            del self.fields["contact_way"], self.fields["contact_date"]
        else:
            self.initial.setdefault("contact_date", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("contact_way"):
            data["contact_date"] = None
        return data


class _ClassChoiceForm(forms.Form):
    """A form offering the classes of the committee's answer-class scheme."""

    blank_class = False

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = answer_class_choices(committee)
        field = cast(forms.ChoiceField, self.fields["reply_class"])
        field.choices = [("", "—"), *choices] if self.blank_class else choices


class ReplyForm(_ClassChoiceForm):
    blank_class = True

    text = forms.CharField(
        label=_("Reply"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    reply_class = forms.ChoiceField(label=_("Class"))
    letter = forms.FileField(
        label=_("Signed reply letter"),
        required=False,
        help_text=_("PDF or image of the signed and sealed letter, at most 10 MB."),
    )


class ReviewReplyForm(_ClassChoiceForm):
    reply = forms.IntegerField(widget=forms.HiddenInput)
    reply_class = forms.ChoiceField(label=_("Class"))
    reason = forms.CharField(label=_("Reason for changing the class"), max_length=NOTE_MAX)


class ExtensionForm(forms.Form):
    requested_due = forms.DateField(label=_("New reply date"), widget=_date())
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_MAX)


class DecisionForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
    )


def _satisfaction(label: Any) -> forms.ChoiceField:
    """One of the three satisfaction questions, answered by a radio button."""
    return forms.ChoiceField(label=label, choices=Satisfaction.choices, widget=forms.RadioSelect)


class EvaluationForm(forms.Form):
    contact = _satisfaction(_("Contact before replying"))
    attitude = _satisfaction(_("Attitude"))
    result = _satisfaction(_("Result"))
    comments = forms.CharField(label=_("Comments"), max_length=NOTE_MAX, required=False)


class QualityForm(forms.Form):
    rating = forms.ChoiceField(label=_("Quality"), choices=QualityRating.Rating.choices)
    comments = forms.CharField(label=_("Comments"), max_length=NOTE_MAX, required=False)


class KeyForm(CommitteeForm):
    supervisor = forms.ModelChoiceField(
        label=_("Supervising leader"),
        queryset=User.objects.none(),
        required=False,  # type: ignore[arg-type]
    )
    is_key = forms.TypedChoiceField(
        label=_("Key proposal"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Mark as key proposal")), ("0", _("Not a key proposal"))],
    )

    def limit_choices(self, committee: Committee) -> None:
        self.choices_of("supervisor", selectors.leaders_of(committee))


class ExcellentForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    selected = forms.TypedChoiceField(
        label=_("Excellent proposals"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Select")), ("0", _("Remove"))],
        initial="1",
    )


class AnswerPresetForm(forms.Form):
    """Replace the committee's answer classes with one of the shipped schemes."""

    preset = forms.ChoiceField(
        label=_("Scheme"), choices=[(key, label) for key, (label, _rows) in PRESETS.items()]
    )

    def scheme(self) -> list[dict[str, Any]]:
        return [dict(c) for c in PRESETS[self.cleaned_data["preset"]][1]]


class AnswerClassesForm(forms.Form):
    """The committee's answer classes, one row each (code, label, counts as
    solved); empty rows are left out. The scheme is checked by the setting
    (settings_defs.ANSWER_CLASSES), so a refused one changes nothing."""

    def __init__(self, *args: Any, scheme: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]] = []
        for index in range(MAX_CLASSES):
            current = scheme[index] if index < len(scheme) else {}
            # Shown in a table under its column head: named for screen readers.
            self.fields[f"code_{index}"] = forms.CharField(
                label=_("Code"),
                required=False,
                max_length=CLASS_CODE_MAX,
                widget=forms.TextInput(attrs={"aria-label": _("Code")}),
                initial=current.get("code", ""),
            )
            self.fields[f"label_{index}"] = forms.CharField(
                label=_("Label"),
                required=False,
                max_length=CLASS_LABEL_MAX,
                widget=forms.TextInput(attrs={"aria-label": _("Label")}),
                initial=current.get("label", ""),
            )
            self.fields[f"solved_{index}"] = forms.BooleanField(
                label=_("Counts as solved"), required=False, initial=current.get("solved", False)
            )
            self.rows.append(
                (self[f"code_{index}"], self[f"label_{index}"], self[f"solved_{index}"])
            )

    def scheme(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [
            {
                "code": d[f"code_{i}"].strip(),
                "label": d[f"label_{i}"].strip(),
                "solved": bool(d[f"solved_{i}"]),
            }
            for i in range(MAX_CLASSES)
            if d[f"code_{i}"].strip() or d[f"label_{i}"].strip()
        ]
