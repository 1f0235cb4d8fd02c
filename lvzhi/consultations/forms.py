"""Forms of the consultation pages: validation and Chinese messages, no side
effects. Every related choice is limited to the current committee's rows, so
another committee's id is refused; the services check the same again."""

from __future__ import annotations

import secrets
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.accounts.models import RoleAssignment
from lvzhi.consultations.models import (
    Consultation,
    ConsultationFormat,
    ConsultationPlan,
    EvaluationCriterion,
    Inspection,
    OutcomeItem,
    Participant,
    PlanItem,
    PreparationItem,
    SupervisionItem,
    Topic,
    TopicSource,
)
from lvzhi.consultations.settings_defs import PLENARY_SPEECH_FORMATS
from lvzhi.core.widgets import PeoplePicker
from lvzhi.org import selectors as org_selectors
from lvzhi.org.forms import MemberChoiceField, MembersChoiceField, date_input
from lvzhi.org.models import Committee, HandlingUnit, Member, Sector, SectorCluster

MONTHS = [(m, str(m)) for m in range(1, 13)]


def year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def token_field() -> forms.CharField:
    """A hidden one-time token: the same form submitted twice creates one row."""
    return forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


def new_token() -> str:
    return secrets.token_urlsafe(16)


# --- Topics and plans ------------------------------------------------------------------


class TopicForm(forms.Form):
    year = year_field()
    source = forms.ChoiceField(label=_("Source"))
    title = forms.CharField(label=_("Topic"), max_length=200)
    rationale = forms.CharField(
        label=_("Rationale"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    proposer_name = forms.CharField(
        label=_("Raised by"),
        max_length=100,
        required=False,
        help_text=_("For topics raised by the public: who raised it (a name or “a citizen”)."),
    )

    def __init__(self, *args: Any, sources: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(s, TopicSource(s).label) for s in sources]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]
        if len(choices) == 1:
            self.fields["source"].initial = choices[0][0]
        if TopicSource.PUBLIC not in sources:
            del self.fields["proposer_name"]


class PlanForm(forms.Form):
    year = year_field()
    title = forms.CharField(label=_("Title"), max_length=200)


class PlanItemForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none())
    format = forms.ChoiceField(label=_("Format"), choices=ConsultationFormat.choices)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int)
    lead = forms.CharField(label=_("Lead body"), max_length=100, required=False)

    def __init__(self, *args: Any, plan: ConsultationPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(  # type: ignore[attr-defined]
            committee_id=plan.committee_id, year=plan.year, status=Topic.Status.SHORTLISTED
        ).exclude(plan_items__plan=plan)


# --- Consultations ---------------------------------------------------------------------


class ConsultationForm(forms.Form):
    year = year_field()
    title = forms.CharField(label=_("Title"), max_length=200)
    format = forms.ChoiceField(label=_("Format"), choices=ConsultationFormat.choices)
    plan_item = forms.ModelChoiceField(
        label=_("Planned topic"), queryset=PlanItem.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    meeting_date = forms.DateField(label=_("Meeting date"), required=False, widget=date_input())
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    first_convener = MemberChoiceField(
        label=_("First convener (a member)"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("Needed for “Let's talk it over”."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        help_text=_(
            "The counterpart or invited department; for “Let's talk it over” the second "
            "convener (the responsible department)."
        ),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        help_text=_("Needed for a sector consultation."),
    )
    sector_cluster = forms.ModelChoiceField(
        label=_("Sector cluster"),
        queryset=SectorCluster.objects.none(),
        required=False,
        help_text=_("Needed for a sector round table."),
    )
    proposal_reference = forms.CharField(
        label=_("Proposal number"),
        max_length=50,
        required=False,
        help_text=_("Needed for a proposal-handling consultation."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at"),
        required=False,
        widget=datetime_input(),
        help_text=_("Online consultation only."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        required=False,
        widget=datetime_input(),
        help_text=_("Online consultation only."),
    )
    token = token_field()

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["plan_item"].queryset = PlanItem.objects.filter(  # type: ignore[attr-defined]
            committee=committee
        ).select_related("topic", "plan")
        f["plan_item"].label_from_instance = lambda i: f"{i.plan.year} · {i.topic.title}"  # type: ignore[attr-defined]
        f["first_convener"].queryset = org_selectors.eligible_members(committee)  # type: ignore[attr-defined]
        f["department"].queryset = org_selectors.units_of(committee, active=True)  # type: ignore[attr-defined]
        f["sector"].queryset = Sector.objects.filter(committee=committee)  # type: ignore[attr-defined]
        f["sector_cluster"].queryset = SectorCluster.objects.filter(committee=committee)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("token", new_token())


def correction_reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed once it has moved past its first step; the original is kept."),
    )


class ConsultationEditForm(ConsultationForm):
    """Changing a consultation after creation: what the creation form asks,
    less the format, year and planned topic (they decide its steps)."""

    reason = correction_reason_field()

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        from lvzhi.consultations.services.edits import CONSULTATION_FIELDS
        from lvzhi.core.corrections import field_values

        kwargs.setdefault("initial", field_values(consultation, CONSULTATION_FIELDS))
        super().__init__(*args, committee=consultation.committee, **kwargs)
        for name in ("year", "format", "plan_item", "token"):
            del self.fields[name]


class TopicEditForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200)
    rationale = forms.CharField(
        label=_("Rationale"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    proposer_name = forms.CharField(label=_("Raised by"), max_length=100, required=False)
    reason = correction_reason_field()


class PageForm(forms.Form):
    """A form with a page of its own (views' record pages): the page's title
    and what the page says once the form is saved."""

    page_title: Any = ""
    saved: Any = ""


class OfConsultation(PageForm):
    """A form that adds a record to one consultation or moves it on."""

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consultation = consultation


class PreparationForm(OfConsultation):
    page_title = _("Add preparation")
    saved = _("The preparation has been recorded.")

    kind = forms.ChoiceField(label=_("Kind"), choices=PreparationItem.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), required=False, widget=date_input())
    reference = forms.CharField(
        label=_("Reference"),
        max_length=300,
        required=False,
        help_text=_("A link to the activity in the duties pages, or a file reference."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ParticipantForm(OfConsultation):
    page_title = _("Add a participant")
    saved = _("The participant has been added.")

    kind = forms.ChoiceField(label=_("Kind"), choices=Participant.Kind.choices)
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none(), required=False)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=64, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    username = forms.CharField(
        label=_("Login (optional)"),
        max_length=150,
        required=False,
        help_text=_("An invited official's login, so they can post in an online consultation."),
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, consultation=consultation, **kwargs)
        self.committee = consultation.committee
        self.fields["member"].queryset = org_selectors.eligible_members(self.committee)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Participant.Kind.MEMBER and not data.get("member"):
            self.add_error("member", _("Choose the member."))
        if kind and kind != Participant.Kind.MEMBER and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the participant's name."))
        # The service takes the login itself (``user``), not its name.
        username = (data.pop("username", None) or "").strip()
        data["user"] = None
        if username and kind != Participant.Kind.MEMBER:
            # Only logins that work in this committee can be invited.
            assignment = (
                RoleAssignment.objects.filter(committee=self.committee, user__username=username)
                .select_related("user")
                .first()
            )
            if assignment is None:
                self.add_error("username", _("No login of this committee has that name."))
            else:
                data["user"] = assignment.user
        return data


class SpeechForm(OfConsultation):
    page_title = _("Record a speech")
    saved = _("The speech has been recorded.")

    speaker = forms.ModelChoiceField(label=_("Speaker"), queryset=Participant.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, consultation=consultation, **kwargs)
        self.fields["speaker"].queryset = consultation.participants.order_by("kind", "id")  # type: ignore[attr-defined]


class OutcomeForm(OfConsultation):
    page_title = _("Add an outcome")
    saved = _("The outcome has been added.")

    text = forms.CharField(
        label=_("Recommendation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    recipient = forms.ChoiceField(label=_("Sent to"), choices=OutcomeItem.Recipient.choices)
    unit = forms.ModelChoiceField(
        label=_("Department"), queryset=HandlingUnit.objects.none(), required=False
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, consultation=consultation, **kwargs)
        self.fields["unit"].queryset = org_selectors.units_of(  # type: ignore[attr-defined]
            consultation.committee, active=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("recipient") == OutcomeItem.Recipient.UNIT and not data.get("unit"):
            self.add_error("unit", _("Choose the department the outcome is sent to."))
        return data


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class StepForm(OfConsultation):
    """A next step of a consultation: a note, and what the step needs (the
    service says which inputs are required)."""

    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    field_order = ["meeting_date", "summary", "feedback_deadline", "review_note", "note"]


class ConveneForm(StepForm):
    meeting_date = forms.DateField(label=_("Meeting date"), required=False, widget=date_input())

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, consultation=consultation, **kwargs)
        if consultation.is_online:
            del self.fields["meeting_date"]
        else:
            self.initial.setdefault("meeting_date", consultation.meeting_date)


class HoldForm(StepForm):
    summary = forms.CharField(
        label=_("Summary (becomes the first outcome)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, consultation=consultation, **kwargs)
        if not consultation.is_online:
            del self.fields["summary"]


class SendForm(StepForm):
    feedback_deadline = forms.DateField(
        label=_("Feedback due"), required=False, widget=date_input()
    )


class ReviewForm(StepForm):
    review_note = forms.CharField(
        label=_("Follow-up review"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# The form of each step a page offers (workflow.CONSULTATION_FLOW's actions).
STEP_FORMS: dict[str, type[StepForm]] = {
    "prepare": StepForm,
    "convene": ConveneForm,
    "hold": HoldForm,
    "send": SendForm,
    "review": ReviewForm,
    "close": StepForm,
}


class PostForm(forms.Form):
    text = forms.CharField(
        label=_("Your view"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    token = token_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())


class PostEditForm(forms.Form):
    text = forms.CharField(
        label=_("Your view"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), max_length=200)


# --- Evaluation ------------------------------------------------------------------------


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    max_score = forms.IntegerField(label=_("Maximum score"), min_value=1, max_value=100)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class EvaluationForm(forms.Form):
    note = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, criteria: list[EvaluationCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name}（{criterion.max_score}）",
                min_value=0,
                max_value=criterion.max_score,
                help_text=criterion.description,
            )
        self.order_fields([f"c{c.pk}" for c in criteria] + ["note"])

    def scores(self) -> dict[int, int]:
        return {c.pk: int(self.cleaned_data[f"c{c.pk}"]) for c in self.criteria}


# --- Supervision ---------------------------------------------------------------------


class SupervisionItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    form = forms.ChoiceField(label=_("Form"), choices=SupervisionItem.Form.choices)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int)
    subjects = forms.ModelMultipleChoiceField(
        label=_("Subject departments"),
        queryset=HandlingUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = org_selectors.units_of(committee, active=True)  # type: ignore[attr-defined]


class OfItem(PageForm):
    """A form that adds a record (an inspection, a finding) to a supervision
    item; its ``page_title`` takes ``%(item)s``."""

    def __init__(self, *args: Any, item: SupervisionItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item


class InspectionForm(OfItem):
    page_title = _("New inspection for %(item)s")
    saved = _("The inspection has been planned.")

    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=date_input())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = MembersChoiceField(
        label=_("Members taking part"),
        queryset=Member.objects.none(),
        widget=PeoplePicker(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, item: SupervisionItem, **kwargs: Any) -> None:
        super().__init__(*args, item=item, **kwargs)
        self.fields["participants"].queryset = org_selectors.eligible_members(item.committee)  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("Report"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class FindingForm(OfItem):
    page_title = _("New finding for %(item)s")
    saved = _("The finding has been sent to the department.")

    unit = forms.ModelChoiceField(label=_("Department"), queryset=HandlingUnit.objects.none())
    text = forms.CharField(
        label=_("Finding"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(label=_("Rectify by"), widget=date_input())
    inspection = forms.ModelChoiceField(
        label=_("Inspection"), queryset=Inspection.objects.none(), required=False
    )

    def __init__(self, *args: Any, item: SupervisionItem, **kwargs: Any) -> None:
        super().__init__(*args, item=item, **kwargs)
        self.fields["unit"].queryset = org_selectors.units_of(item.plan.committee, active=True)  # type: ignore[attr-defined]
        self.fields["inspection"].queryset = item.inspections.all()  # type: ignore[attr-defined]


class RectificationForm(forms.Form):
    note = forms.CharField(
        label=_("Rectification report"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


# --- Committee settings ------------------------------------------------------------------


class SettingsForm(forms.Form):
    """The committee's consultation settings (settings_defs.py)."""

    plenary_speech_formats = forms.MultipleChoiceField(
        # Lazy translations, resolved when the form is shown.
        label=cast(Any, PLENARY_SPEECH_FORMATS.label),
        help_text=cast(Any, PLENARY_SPEECH_FORMATS.help_text),
        choices=ConsultationFormat.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def values(self) -> dict[str, Any]:
        """The cleaned data as committee_settings_update takes it."""
        return {PLENARY_SPEECH_FORMATS.key: list(self.cleaned_data["plenary_speech_formats"])}
