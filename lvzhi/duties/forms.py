"""Forms of duty activities and recorded duties: validation and Chinese
messages only; the services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.widgets import PeoplePicker
from lvzhi.duties import selectors
from lvzhi.duties.models import (
    ACTIVITY_FIELDS,
    Activity,
    ActivityKind,
    Contribution,
    DutyProjectLink,
    Invitation,
)
from lvzhi.org.models import (
    Committee,
    Member,
    PlenarySession,
    Sector,
    SpecialCommittee,
    Station,
    Studio,
)

REQUIRED = _("This field is required.")


def _dt_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def not_in_future(day: dt.date) -> None:
    if day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))


def member_label(obj: Any) -> str:
    """A member in a choice: the name and, to tell namesakes apart, the sector."""
    sector = f"（{obj.sector.name}）" if obj.sector_id else ""
    return f"{obj.person.name}{sector}"


def members_to_choose(committee: Committee) -> Any:
    """The members staff choose from, by sector."""
    return (
        selectors.eligible_members(committee)
        .select_related("person", "sector")
        .order_by("sector__order", "sector_id", "id")
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return member_label(obj)


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return member_label(obj)


def unit_field(model: Any, label: Any) -> forms.ModelChoiceField:
    """An optional choice of one of the committee's units (set in the form's ``__init__``)."""
    return forms.ModelChoiceField(label=label, queryset=model.objects.none(), required=False)


# The unit fields of an activity and the model each chooses from.
UNIT_FIELDS = {
    "organiser_special_committee": SpecialCommittee,
    "organiser_sector": Sector,
    "organiser_studio": Studio,
    "organiser_station": Station,
    "scope_sector": Sector,
    "scope_special_committee": SpecialCommittee,
}


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=_dt_widget(),
        error_messages={"invalid": _("Enter a date and time, e.g. 2026-05-20 09:00.")},
    )
    end_at = forms.DateTimeField(
        label=_("Ends at"),
        widget=_dt_widget(),
        error_messages={"invalid": _("Enter a date and time, e.g. 2026-05-20 09:00.")},
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    session_half_days = forms.IntegerField(
        label=_("Half-days of the plenary session"),
        min_value=1,
        max_value=20,
        initial=1,
        help_text=_("Plenary sessions only: each half-day earns this share of a session's points."),
    )
    organiser_kind = forms.ChoiceField(label=_("Organiser"), choices=Activity.Organiser.choices)
    organiser_special_committee = unit_field(SpecialCommittee, _("Organising special committee"))
    organiser_sector = unit_field(Sector, _("Organising sector"))
    organiser_studio = unit_field(Studio, _("Organising studio"))
    organiser_station = unit_field(Station, _("Organising station"))
    scope = forms.ChoiceField(label=_("Who is invited"), choices=Activity.Scope.choices)
    scope_sector = unit_field(Sector, _("Invited sector"))
    scope_special_committee = unit_field(SpecialCommittee, _("Invited special committee"))
    scope_members = MemberMultipleChoiceField(
        label=_("Invited members"),
        queryset=Member.objects.none(),
        required=False,
        widget=PeoplePicker(attrs={"size": 8}),
        help_text=_("Only when chosen members are invited."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("Leave empty for no limit."),
    )

    ORGANISER_LINKS = {
        Activity.Organiser.SPECIAL_COMMITTEE: "organiser_special_committee",
        Activity.Organiser.SECTOR: "organiser_sector",
        Activity.Organiser.STUDIO: "organiser_studio",
        Activity.Organiser.STATION: "organiser_station",
    }

    def __init__(
        self, *args: Any, committee: Committee, activity: Activity | None = None, **kwargs: Any
    ) -> None:
        if activity is not None and "initial" not in kwargs:
            initial = {
                name: getattr(activity, name)
                for name in ACTIVITY_FIELDS
                if name not in ("start_at", "end_at")
            }
            initial["start_at"] = timezone.localtime(activity.start_at)
            initial["end_at"] = timezone.localtime(activity.end_at)
            initial["scope_members"] = list(activity.scope_members.values_list("pk", flat=True))
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for name, model in UNIT_FIELDS.items():
            self.fields[name].queryset = model.objects.filter(committee=committee)  # type: ignore[attr-defined]
        self.fields["scope_members"].queryset = members_to_choose(committee)  # type: ignore[attr-defined]
        if activity is not None and activity.state != Activity.State.DRAFT:
            # Who is invited was fixed when the activity was published.
            for name in ("scope", "scope_sector", "scope_special_committee", "scope_members"):
                self.fields[name].disabled = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_at"), cleaned.get("end_at")
        if start and end and end <= start:
            self.add_error("end_at", _("An activity must end after it starts."))
        organiser = cleaned.get("organiser_kind")
        for kind, field in self.ORGANISER_LINKS.items():
            if organiser == kind:
                if not cleaned.get(field):
                    self.add_error(field, _("Choose the organiser."))
            else:
                cleaned[field] = None
        scope = cleaned.get("scope")
        if not self.fields["scope"].disabled:
            if scope == Activity.Scope.SECTOR and not cleaned.get("scope_sector"):
                self.add_error("scope_sector", _("Choose the sector."))
            if scope == Activity.Scope.SPECIAL_COMMITTEE and not cleaned.get(
                "scope_special_committee"
            ):
                self.add_error("scope_special_committee", _("Choose the special committee."))
            if scope == Activity.Scope.LIST and not cleaned.get("scope_members"):
                self.add_error("scope_members", _("Choose the members to invite."))
            if scope != Activity.Scope.SECTOR:
                cleaned["scope_sector"] = None
            if scope != Activity.Scope.SPECIAL_COMMITTEE:
                cleaned["scope_special_committee"] = None
        if cleaned.get("kind") != ActivityKind.PLENARY:
            cleaned["session_half_days"] = 1
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Give the reason."),
            "max_length": _("The reason is too long (at most 500 characters)."),
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason."))
        return reason


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


# The outcomes staff record by hand or correct to.
OUTCOME_CHOICES = [
    (Invitation.State.ATTENDED, Invitation.State.ATTENDED.label),
    (Invitation.State.EXCUSED, Invitation.State.EXCUSED.label),
    (Invitation.State.ABSENT, Invitation.State.ABSENT.label),
]


class MarkForm(ReasonForm):
    outcome = forms.ChoiceField(label=_("Attendance"), choices=OUTCOME_CHOICES)


class CorrectForm(forms.Form):
    """Correcting attendance after closing: the outcome it should have been, and why."""

    outcome = forms.ChoiceField(label=_("Attendance"), choices=OUTCOME_CHOICES)
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Enter the reason for the correction."),
            "max_length": _("The reason may have at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args: Any, current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome"]
        field.choices = [c for c in OUTCOME_CHOICES if c[0] != current]  # type: ignore[attr-defined]


class StudyNoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(
        label=_("Date"),
        widget=_date_widget(),
        initial=timezone.localdate,
        validators=[not_in_future],
    )
    text = forms.CharField(
        label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )


class SpeechForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    session = forms.ModelChoiceField(
        label=_("Plenary session"),
        queryset=PlenarySession.objects.none(),
        required=False,
    )
    title = forms.CharField(label=_("Title of the speech"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=_date_widget())

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members_to_choose(committee)  # type: ignore[attr-defined]
        self.fields["session"].queryset = PlenarySession.objects.filter(committee=committee)  # type: ignore[attr-defined]


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Contribution.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=_date_widget(), validators=[not_in_future])
    description = forms.CharField(
        label=_("What you did"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A photo, PDF or document, at most 10 MB."),
    )


class ProjectForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    planned_steps = forms.CharField(
        label=_("Planned steps"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("From study through research and consultation to a proposal or report."),
    )


class ProjectLinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DutyProjectLink.Kind.choices)
    activity = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=Activity.objects.none(),
        required=False,
    )
    reference = forms.CharField(
        label=_("Number of the proposal or report"),
        max_length=100,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(  # type: ignore[attr-defined]
            invitations__member=member,
            state__in=[Activity.State.PUBLISHED, Activity.State.CLOSED],
        ).order_by("-start_at")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == DutyProjectLink.Kind.ACTIVITY and not cleaned.get("activity"):
            self.add_error("activity", _("Choose an activity you were invited to."))
        elif (
            cleaned.get("kind")
            and cleaned.get("kind") != DutyProjectLink.Kind.ACTIVITY
            and not (cleaned.get("reference") or "").strip()
        ):
            self.add_error("reference", _("Give the number of the proposal or report."))
        return cleaned
