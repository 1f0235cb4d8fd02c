"""Forms of the organisation pages: validation and messages, no side effects.

Every choice of a related row (term, sector, special committee, member…) is
limited to the current committee's rows, so another committee's id is
refused with a clear message; the services check the same again."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from lvzhi.core import crypto
from lvzhi.org import selectors, validators
from lvzhi.org.models import (
    Committee,
    Education,
    Gender,
    HandlingUnit,
    Member,
    Party,
    Person,
    PlenarySession,
    Sector,
    SectorCluster,
    SpecialCommittee,
    Station,
    Studio,
    Term,
)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UniqueNameMixin:
    """Names are unique per committee: a clear message rather than a database error."""

    committee: Committee
    instance: Any
    cleaned_data: dict[str, Any]

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        model = type(self.instance)
        taken = model._default_manager.filter(committee=self.committee, name=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                gettext("The name “%(name)s” is already used in this committee.") % {"name": name}
            )
        return name


class CommitteeModelForm(forms.ModelForm):
    """A model form bound to the current committee; it never saves itself:
    views hand ``cleaned_data`` to a service."""

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        self.committee = committee
        super().__init__(*args, **kwargs)


# --- Terms and sessions --------------------------------------------------------------


class TermForm(CommitteeModelForm):
    class Meta:
        model = Term
        fields = ["number", "name", "start_date", "end_date", "is_current"]
        widgets = {"start_date": date_input(), "end_date": date_input()}
        help_texts = {
            "is_current": _("Marking this term current unmarks the committee's other terms."),
        }

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        taken = Term.objects.filter(committee=self.committee, number=number)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                gettext("This committee already has a term with this number.")
            )
        return int(number)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", gettext("The end date must be after the start date."))
        return data


class PlenarySessionForm(CommitteeModelForm):
    class Meta:
        model = PlenarySession
        fields = [
            "number",
            "name",
            "start_date",
            "end_date",
            "proposal_window_start",
            "proposal_window_end",
        ]
        widgets = {
            "start_date": date_input(),
            "end_date": date_input(),
            "proposal_window_start": date_input(),
            "proposal_window_end": date_input(),
        }
        help_texts = {
            "proposal_window_end": _(
                "Plenary proposals are accepted inside the window; it closes by the last day "
                "of the session at the latest."
            ),
        }

    def __init__(self, *args: Any, term: Term, **kwargs: Any) -> None:
        self.term = term
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        opens, closes = data.get("proposal_window_start"), data.get("proposal_window_end")
        if start and end and end < start:
            self.add_error(
                "end_date", gettext("The closing date cannot be before the opening date.")
            )
        if opens and closes and closes < opens:
            self.add_error(
                "proposal_window_end", gettext("The proposal window must open before it closes.")
            )
        if end and closes and closes > end:
            self.add_error(
                "proposal_window_end",
                gettext("The proposal window must close by the closing date of the session."),
            )
        number = data.get("number")
        if number is not None:
            taken = PlenarySession.objects.filter(term=self.term, number=number)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "number", gettext("This term already has a session with this number.")
                )
        return data


# --- Clusters, sectors, special committees -----------------------------------------------


class SectorClusterForm(UniqueNameMixin, CommitteeModelForm):
    class Meta:
        model = SectorCluster
        fields = ["name", "order"]


class SpecialCommitteeForm(UniqueNameMixin, CommitteeModelForm):
    class Meta:
        model = SpecialCommittee
        fields = ["name", "order"]


class MemberLabel:
    """A member in a choice: the name, then the sector (for other apps' member
    choices too; the queryset selects ``person`` and ``sector``)."""

    def label_from_instance(self, obj: Any) -> str:
        sector = f"（{obj.sector.name}）" if obj.sector_id else ""
        return f"{obj.person.name}{sector}"


class MemberChoiceField(MemberLabel, forms.ModelChoiceField):
    """One member."""


class MembersChoiceField(MemberLabel, forms.ModelMultipleChoiceField):
    """Several members."""


def _members_field(label: Any, queryset: QuerySet[Member]) -> MembersChoiceField:
    return MembersChoiceField(
        queryset=queryset,
        widget=forms.SelectMultiple(attrs={"size": "8"}),
        required=False,
        label=label,
        help_text=_("Members of this committee in office. Hold Ctrl (or ⌘) to choose several."),
        error_messages={
            "invalid_choice": _("Choose members of this committee in office."),
            "invalid_pk_value": _("Choose members of this committee in office."),
        },
    )


class SectorForm(UniqueNameMixin, CommitteeModelForm):
    class Meta:
        model = Sector
        fields = ["name", "cluster", "order", "conveners"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cluster = self.fields["cluster"]
        assert isinstance(cluster, forms.ModelChoiceField)
        cluster.queryset = SectorCluster.objects.filter(committee=self.committee)
        cluster.error_messages["invalid_choice"] = _("Choose a sector cluster of this committee.")
        already = (
            list(self.instance.conveners.values_list("pk", flat=True)) if self.instance.pk else []
        )
        self.fields["conveners"] = _members_field(
            _("conveners"), selectors.eligible_members(self.committee, include=already)
        )


# --- Members --------------------------------------------------------------------------

ID_NUMBER_HELP = _("18 characters; the birth date and gender are checked against it.")


class MemberForm(forms.Form):
    """A member's seat and the person behind it, in one form.

    On edit the mobile and ID number fields start empty: a full number is
    shown only through the audited reveal action. Leave them empty to keep
    the numbers on record."""

    name = forms.CharField(label=_("full name"), max_length=64)
    gender = forms.ChoiceField(label=_("gender"), choices=Gender.choices)
    ethnicity = forms.CharField(label=_("ethnicity"), max_length=32, initial="汉族")
    birth_date = forms.DateField(
        label=_("birth date"),
        required=False,
        widget=date_input(),
        help_text=_("Leave empty to take it from the ID number."),
    )
    party = forms.ChoiceField(label=_("party affiliation"), choices=Party.choices)
    education = forms.ChoiceField(
        label=_("education"), choices=[("", "---------"), *Education.choices], required=False
    )
    employer = forms.CharField(label=_("employer"), max_length=128, required=False)
    job_title = forms.CharField(label=_("job title"), max_length=128, required=False)
    mobile = forms.CharField(
        label=_("mobile"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=ID_NUMBER_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    term = forms.ModelChoiceField(
        label=_("term"),
        queryset=Term.objects.none(),
        error_messages={"invalid_choice": _("Choose a term of this committee.")},
    )
    sector = forms.ModelChoiceField(
        label=_("sector"),
        queryset=Sector.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose a sector of this committee.")},
    )
    position = forms.ChoiceField(
        label=_("position"), choices=Member.Position.choices, initial=Member.Position.MEMBER
    )
    special_committees = forms.ModelMultipleChoiceField(
        label=_("special committees"),
        queryset=SpecialCommittee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose special committees of this committee."),
            "invalid_pk_value": _("Choose special committees of this committee."),
        },
    )
    start_date = forms.DateField(label=_("in office from"), widget=date_input())

    def __init__(
        self, *args: Any, committee: Committee, member: Member | None = None, **kwargs: Any
    ) -> None:
        self.committee = committee
        self.member = member
        if member is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(member)
        super().__init__(*args, **kwargs)
        term_field = self.fields["term"]
        sector_field = self.fields["sector"]
        specials_field = self.fields["special_committees"]
        assert isinstance(term_field, forms.ModelChoiceField)
        assert isinstance(sector_field, forms.ModelChoiceField)
        assert isinstance(specials_field, forms.ModelMultipleChoiceField)
        term_field.queryset = Term.objects.filter(committee=committee)
        sector_field.queryset = Sector.objects.filter(committee=committee)
        specials_field.queryset = SpecialCommittee.objects.filter(committee=committee)
        if member is None:
            current = selectors.current_term(committee)
            if current is not None and "term" not in self.initial:
                self.initial["term"] = current.pk
        else:
            person = member.person
            keep = gettext("Leave empty to keep the number on record (%(masked)s).")
            self.fields["mobile"].required = False
            self.fields["mobile"].help_text = keep % {"masked": person.mobile_masked or "—"}
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = (
                keep % {"masked": person.id_number_masked or "—"} + " " + str(ID_NUMBER_HELP)
            )

    @staticmethod
    def initial_from(member: Member) -> dict[str, Any]:
        person = member.person
        return {
            "name": person.name,
            "gender": person.gender,
            "ethnicity": person.ethnicity,
            "birth_date": person.birth_date,
            "party": person.party,
            "education": person.education,
            "employer": person.employer,
            "job_title": person.job_title,
            "term": member.term_id,
            "sector": member.sector_id,
            "position": member.position,
            "special_committees": [s.pk for s in member.special_committees.all()],
            "start_date": member.start_date,
        }

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(gettext("Enter the member's name."))
        return str(name)

    def clean_mobile(self) -> str:
        mobile = re.sub(r"[\s-]", "", self.cleaned_data.get("mobile") or "")
        if mobile:
            error = validators.mobile_error(mobile)
            if error:
                raise forms.ValidationError(error)
        return mobile

    def clean_id_number(self) -> str:
        id_number = validators.normalise_id_number(self.cleaned_data.get("id_number") or "")
        if id_number:
            error = validators.id_number_error(id_number)
            if error:
                raise forms.ValidationError(error)
            digests = crypto.blind_indexes(id_number)
            if (
                self.member is not None
                and self.member.person.id_number_hash not in digests
                and Person.objects.filter(id_number_hash__in=digests).exists()
            ):
                raise forms.ValidationError(
                    gettext("Another person on record already has this ID number.")
                )
        return id_number

    def _id_number_on_record(self) -> str:
        return self.member.person.id_number if self.member is not None else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        id_number = data.get("id_number") or self._id_number_on_record()
        if (
            id_number
            and "id_number" not in self.errors
            and not validators.id_number_error(id_number)
        ):
            from_id = validators.birth_date_from_id(id_number)
            if data.get("birth_date") and data["birth_date"] != from_id:
                self.add_error(
                    "birth_date", gettext("The birth date does not match the ID number.")
                )
            elif not data.get("birth_date"):
                data["birth_date"] = from_id
            if data.get("gender") and data["gender"] != validators.gender_from_id(id_number):
                self.add_error("gender", gettext("The gender does not match the ID number."))
        term, start = data.get("term"), data.get("start_date")
        if (
            term
            and start
            and (start < term.start_date or (term.end_date and start > term.end_date))
        ):
            self.add_error(
                "start_date", gettext("The seat must start within the dates of its term.")
            )
        if term and data.get("id_number"):
            self._refuse_second_seat(term, data["id_number"])
        elif term and self.member is not None and term.pk != self.member.term_id:
            self._refuse_second_seat(term, self.member.person.id_number)
        return data

    def _refuse_second_seat(self, term: Term, id_number: str) -> None:
        seats = Member.objects.filter(
            committee=self.committee,
            term=term,
            person__id_number_hash__in=crypto.blind_indexes(id_number),
        )
        if self.member is not None:
            seats = seats.exclude(pk=self.member.pk)
        seat = seats.select_related("person").first()
        if seat is not None:
            self.add_error(
                None,
                gettext("%(name)s already has a seat in %(term)s of this committee.")
                % {"name": seat.person.name, "term": term.name},
            )


class MemberDeactivateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("way of leaving"),
        choices=[
            (Member.Status.RESIGNED, Member.Status.RESIGNED.label),
            (Member.Status.REMOVED, Member.Status.REMOVED.label),
        ],
    )
    end_date = forms.DateField(label=_("left office on"), widget=date_input())
    reason = forms.CharField(
        label=_("reason for leaving"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the date and number of the decision, or the resignation letter."),
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        self.member = member
        kwargs.setdefault("initial", {"end_date": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(gettext("Give the reason the member leaves office."))
        return str(reason)

    def clean_end_date(self) -> dt.date:
        end_date: dt.date = self.cleaned_data["end_date"]
        if end_date < self.member.start_date:
            raise forms.ValidationError(
                gettext("The date of leaving cannot be before the start of the seat.")
            )
        return end_date


# --- Handling units, studios, stations ----------------------------------------------------

phone_validator = RegexValidator(
    r"^[0-9+()\- ]{5,32}$",
    _("Enter a telephone number: digits, spaces, hyphens and brackets only."),
)


class HandlingUnitForm(UniqueNameMixin, CommitteeModelForm):
    class Meta:
        model = HandlingUnit
        fields = ["name", "kind", "contact_name", "contact_phone", "address", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].validators.append(phone_validator)
        if not self.instance.pk:
            del self.fields["is_active"]


class _GroupForm(UniqueNameMixin, CommitteeModelForm):
    """A studio or a station: members in office, one of them leads."""

    leader_field = ""
    leader_message = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        already = (
            list(self.instance.members.values_list("pk", flat=True)) if self.instance.pk else []
        )
        leader_id = getattr(self.instance, f"{self.leader_field}_id", None)
        eligible = selectors.eligible_members(
            self.committee, include=[*already, *([leader_id] if leader_id else [])]
        )
        leader = self.fields[self.leader_field]
        self.fields[self.leader_field] = MemberChoiceField(
            queryset=eligible,
            required=False,
            label=leader.label,
            help_text=_("One of the members chosen below."),
            error_messages={"invalid_choice": _("Choose members of this committee in office.")},
        )
        self.fields["members"] = _members_field(_("members"), eligible)
        if not self.instance.pk:
            del self.fields["is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        leader = data.get(self.leader_field)
        members = data.get("members")
        if leader is not None and members is not None and leader not in members:
            self.add_error(self.leader_field, gettext(self.leader_message))
        return data


class StudioForm(_GroupForm):
    leader_field = "lead"
    leader_message = gettext_noop("The lead member must be one of the studio's members.")

    class Meta:
        model = Studio
        fields = ["name", "theme", "venue", "opening_hours", "lead", "members", "is_active"]


class StationForm(_GroupForm):
    leader_field = "master"
    leader_message = gettext_noop("The station master must be one of the station's members.")

    class Meta:
        model = Station
        fields = ["name", "address", "area", "instructor", "master", "members", "is_active"]
