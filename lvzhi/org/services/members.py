"""Members' seats and their persons, and the audited reveal of full numbers
(``org.change_roster``, ``org.view_full_personal_data``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lvzhi.core import crypto
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.org import validators
from lvzhi.org.audit import MEMBER_CREATED, MEMBER_UPDATED, VIEW_PERSONAL_DATA
from lvzhi.org.models import Committee, Member, Person, Sector, SpecialCommittee, Term
from lvzhi.org.services._common import apply_changes, audit, save_or_conflict
from lvzhi.org.workflow import LEAVE_ACTIONS, MEMBER_FLOW

CHANGE_ROSTER = "org.change_roster"
VIEW_FULL_PERSONAL_DATA = "org.view_full_personal_data"


# --- Members ------------------------------------------------------------------------


def person_errors(
    *, id_number: str, mobile: str, birth_date: dt.date | None, gender: str
) -> list[str]:
    """What is wrong with a person's numbers (empty numbers are not checked)."""
    errors = []
    if id_number:
        error = validators.id_number_error(id_number)
        if error:
            errors.append(error)
        else:
            if birth_date is not None and birth_date != validators.birth_date_from_id(id_number):
                errors.append(_("The birth date does not match the ID number."))
            if gender and gender != validators.gender_from_id(id_number):
                errors.append(_("The gender does not match the ID number."))
    if mobile:
        error = validators.mobile_error(mobile)
        if error:
            errors.append(error)
    return errors


def _check_member_refs(
    committee: Committee,
    *,
    term: Term,
    sector: Sector | None,
    special_committees: Sequence[SpecialCommittee],
) -> None:
    """A seat refers only to its own committee's term, sector and special committees."""
    if term.committee_id != committee.pk:
        raise ValidationFailed(_("The term belongs to another committee."))
    if sector is not None and sector.committee_id != committee.pk:
        raise ValidationFailed(_("The sector belongs to another committee."))
    if any(s.committee_id != committee.pk for s in special_committees):
        raise ValidationFailed(_("A special committee belongs to another committee."))


def _check_start_in_term(term: Term, start_date: dt.date) -> None:
    if start_date < term.start_date or (term.end_date is not None and start_date > term.end_date):
        raise ValidationFailed(_("The seat must start within the dates of its term."))


def _refuse_second_seat(
    committee: Committee, term: Term, person: Person, exclude_pk: int | None = None
) -> None:
    seats = Member.objects.filter(committee=committee, term=term, person=person)
    if exclude_pk is not None:
        seats = seats.exclude(pk=exclude_pk)
    if seats.exists():
        raise Conflict(
            _("%(name)s already has a seat in %(term)s of this committee.")
            % {"name": person.name, "term": term.name}
        )


def member_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    gender: str,
    party: str,
    id_number: str,
    mobile: str,
    term: Term,
    start_date: dt.date,
    ethnicity: str = "汉族",
    birth_date: dt.date | None = None,
    education: str = "",
    employer: str = "",
    job_title: str = "",
    sector: Sector | None = None,
    position: str = Member.Position.MEMBER,
    special_committees: Sequence[SpecialCommittee] = (),
) -> Member:
    """Give a person a seat. A person already on record with the same ID number
    (say, a member of the city's committee now joining the county's) is reused,
    never duplicated: one person, one login, a seat in each committee."""
    require_perm(actor, CHANGE_ROSTER, committee)
    id_number = validators.normalise_id_number(id_number)
    mobile = mobile.strip()
    if not id_number:
        raise ValidationFailed(_("The ID number is required."))
    if not mobile:
        raise ValidationFailed(_("The mobile number is required."))
    errors = person_errors(id_number=id_number, mobile=mobile, birth_date=birth_date, gender=gender)
    if errors:
        raise ValidationFailed(errors[0], errors)
    _check_member_refs(committee, term=term, sector=sector, special_committees=special_committees)
    _check_start_in_term(term, start_date)
    birth_date = birth_date or validators.birth_date_from_id(id_number)
    person_values = {
        "name": name,
        "gender": gender,
        "ethnicity": ethnicity,
        "birth_date": birth_date,
        "party": party,
        "education": education,
        "employer": employer,
        "job_title": job_title,
    }
    with transaction.atomic():
        person = (
            Person.objects.select_for_update()
            .filter(id_number_hash__in=crypto.blind_indexes(id_number))
            .first()
        )
        reused = person is not None
        if person is not None:
            _refuse_second_seat(committee, term, person)
            # The person's details are shared by every committee they sit on;
            # the latest entry by any of their committees' org staff wins.
            changed = apply_changes(person, person_values)
            if mobile != person.mobile:
                person.set_mobile(mobile)
                changed += ["mobile_encrypted", "mobile_hash"]
            if changed:
                person.save(update_fields=[*changed, "updated_at"])
        else:
            person = Person(**person_values)
            person.set_mobile(mobile)
            person.set_id_number(id_number)
            save_or_conflict(person)
        member = Member(
            committee=committee,
            person=person,
            term=term,
            sector=sector,
            position=position,
            start_date=start_date,
        )
        save_or_conflict(member)
        member.special_committees.set(special_committees)
        audit(
            MEMBER_CREATED,
            actor=actor,
            obj=member,
            committee=committee,
            person=person.pk,
            reused_person="yes" if reused else "no",
        )
    return member


def member_update(
    *,
    actor: Any,
    member: Member,
    name: str,
    gender: str,
    party: str,
    term: Term,
    start_date: dt.date,
    ethnicity: str = "汉族",
    birth_date: dt.date | None = None,
    education: str = "",
    employer: str = "",
    job_title: str = "",
    sector: Sector | None = None,
    position: str = Member.Position.MEMBER,
    special_committees: Sequence[SpecialCommittee] = (),
    mobile: str = "",
    id_number: str = "",
) -> Member:
    """Change a seat and its person. An empty ``mobile`` or ``id_number`` keeps
    the number on record (edit forms never show full numbers).

    Decision: the person's details (name, numbers, employer…) are shared by
    every committee the person sits on, and org staff of any of those
    committees may correct them. Two committees keeping two versions of one
    person's name or mobile would be worse than either correcting it; the
    audit row names the committee and the fields that changed."""
    require_perm(actor, CHANGE_ROSTER, member)
    id_number = validators.normalise_id_number(id_number)
    mobile = mobile.strip()
    with transaction.atomic():
        member = (
            Member.objects.select_for_update(of=("self",))
            .select_related("committee")
            .get(pk=member.pk)
        )
        person = Person.objects.select_for_update().get(pk=member.person_id)
        committee = member.committee
        errors = person_errors(
            id_number=id_number or person.id_number,
            mobile=mobile,
            birth_date=birth_date,
            gender=gender,
        )
        if errors:
            raise ValidationFailed(errors[0], errors)
        _check_member_refs(
            committee, term=term, sector=sector, special_committees=special_committees
        )
        _check_start_in_term(term, start_date)
        if birth_date is None and (id_number or person.id_number):
            birth_date = validators.birth_date_from_id(id_number or person.id_number)
        if term.pk != member.term_id:
            _refuse_second_seat(committee, term, person, exclude_pk=member.pk)

        person_changed = apply_changes(
            person,
            {
                "name": name,
                "gender": gender,
                "ethnicity": ethnicity,
                "birth_date": birth_date,
                "party": party,
                "education": education,
                "employer": employer,
                "job_title": job_title,
            },
        )
        changed_labels = list(person_changed)
        if mobile and mobile != person.mobile:
            person.set_mobile(mobile)
            person_changed += ["mobile_encrypted", "mobile_hash"]
            changed_labels.append("mobile")
        if id_number and person.id_number_hash not in crypto.blind_indexes(id_number):
            digests = crypto.blind_indexes(id_number)
            if Person.objects.filter(id_number_hash__in=digests).exclude(pk=person.pk).exists():
                raise Conflict(_("Another person on record already has this ID number."))
            person.set_id_number(id_number)
            person_changed += ["id_number_encrypted", "id_number_hash"]
            changed_labels.append("id_number")
        if person_changed:
            try:
                with transaction.atomic():
                    person.save(update_fields=[*person_changed, "updated_at"])
            except IntegrityError as exc:
                raise Conflict(_("Another person on record already has this ID number.")) from exc

        member_changed = apply_changes(
            member,
            {"term": term, "sector": sector, "position": position, "start_date": start_date},
        )
        if member.end_date is not None and member.end_date < start_date:
            raise ValidationFailed(_("The start date cannot be after the date the member left."))
        if member_changed:
            save_or_conflict(member, update_fields=[*member_changed, "updated_at"])
            changed_labels += member_changed
        old_specials = set(member.special_committees.values_list("pk", flat=True))
        if old_specials != {s.pk for s in special_committees}:
            member.special_committees.set(special_committees)
            changed_labels.append("special_committees")
        audit(
            MEMBER_UPDATED,
            actor=actor,
            obj=member,
            committee=committee,
            fields=",".join(changed_labels),
        )
    return member


def member_deactivate(
    *,
    actor: Any,
    member: Member,
    status: str,
    end_date: dt.date,
    reason: str,
) -> Member:
    """A member leaves office (resigned or removed): the ``resign`` or
    ``remove`` transition of MEMBER_FLOW, with the date and the reason.
    Members are never deleted: their duties, proposals and points stay
    attached to the seat."""
    require_perm(actor, CHANGE_ROSTER, member)
    action = LEAVE_ACTIONS.get(status)  # type: ignore[call-overload]
    if action is None:
        raise ValidationFailed(_("Choose whether the member resigned or was removed."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason the member leaves office."))
    with transaction.atomic():
        locked = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
        if not MEMBER_FLOW.allowed(locked, action):
            raise Conflict(_("This member has already left office."))
        if end_date < locked.start_date:
            raise ValidationFailed(_("The date of leaving cannot be before the start of the seat."))
        return transition(  # type: ignore[no-any-return]
            member,
            action,
            actor=actor,
            note=reason,
            changes={"end_date": end_date, "end_reason": reason},
            data={"end_date": end_date.isoformat()},
            status=status,
        )


# --- Personal data --------------------------------------------------------------------


def personal_data_reveal(*, actor: Any, member: Member) -> dict[str, str]:
    """The full mobile and ID number of a member's person. The caller has
    checked ``org.view_full_personal_data``; every call leaves an audit row."""
    require_perm(actor, VIEW_FULL_PERSONAL_DATA, member)
    person = member.person
    audit(
        VIEW_PERSONAL_DATA,
        actor=actor,
        obj=member,
        committee=member.committee_id,
        person=person.pk,
        fields="mobile,id_number",
    )
    return {"mobile": person.mobile, "id_number": person.id_number}
