"""Writes to the organisation: one function per use case (DESIGN §4).

Every function is keyword-only, takes the acting user, runs in one
transaction, locks the rows it changes, writes the audit trail and raises a
``DomainError`` with a message for the user when a rule refuses the change
(nothing is written then). Forms check the same things first for friendly
field errors; the checks here hold for every caller (views, import, API)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lvzhi.core import crypto
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.org import validators
from lvzhi.org.models import (
    Committee,
    HandlingUnit,
    Member,
    Person,
    PlenarySession,
    Sector,
    SectorCluster,
    SpecialCommittee,
    Station,
    Studio,
    Term,
)

# How long before a plenary session the proposal window may open at most.
PROPOSAL_WINDOW_MAX_LEAD = dt.timedelta(days=180)


def _audit(
    action: str,
    *,
    actor: Any,
    obj: models.Model,
    committee: Committee | int,
    request: HttpRequest | None,
    **detail: Any,
) -> None:
    committee_obj = (
        committee if isinstance(committee, Committee) else Committee.objects.get(pk=committee)
    )
    audit_log(
        action=action, actor=actor, request=request, obj=obj, committee=committee_obj, **detail
    )


def _changed(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the values on obj; return the names of the fields that changed."""
    changed = []
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed.append(field)
    return changed


def _name_taken(
    model: type[models.Model], committee_id: int, name: str, exclude_pk: int | None = None
) -> bool:
    qs = model._default_manager.filter(committee_id=committee_id, name=name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _refuse_duplicate_name(
    model: type[models.Model], committee_id: int, name: str, exclude_pk: int | None = None
) -> None:
    if _name_taken(model, committee_id, name, exclude_pk):
        raise Conflict(_("The name “%(name)s” is already used in this committee.") % {"name": name})


def _save_or_conflict(obj: models.Model, **kwargs: Any) -> None:
    """Save; a unique constraint hit by a concurrent write becomes a clear error."""
    try:
        with transaction.atomic():
            obj.save(**kwargs)
    except IntegrityError as exc:
        raise Conflict(_("This record duplicates one that already exists.")) from exc


def _check_members_eligible(
    committee: Committee, members: Iterable[Member], already: Iterable[int] = ()
) -> None:
    """Chosen members belong to the committee and are in office (or were chosen before)."""
    from lvzhi.org.selectors import eligible_members

    chosen = {m.pk for m in members}
    if not chosen:
        return
    allowed = set(
        eligible_members(committee, include=already)
        .filter(pk__in=chosen)
        .values_list("pk", flat=True)
    )
    if chosen - allowed:
        raise ValidationFailed(
            _("Only members of this committee in office in the current term can be chosen.")
        )


# --- Terms and plenary sessions --------------------------------------------------


def _check_term(
    committee: Committee,
    *,
    number: int,
    start_date: dt.date,
    end_date: dt.date | None,
    term: Term | None = None,
) -> None:
    if end_date is not None and end_date <= start_date:
        raise ValidationFailed(_("The end date must be after the start date."))
    others = Term.objects.filter(committee=committee, number=number)
    if term is not None:
        others = others.exclude(pk=term.pk)
    if others.exists():
        raise Conflict(_("This committee already has a term with this number."))
    if term is not None:
        sessions = PlenarySession.objects.filter(term=term)
        outside = models.Q(start_date__lt=start_date)
        if end_date is not None:
            outside |= models.Q(end_date__gt=end_date)
        if sessions.filter(outside).exists():
            raise ValidationFailed(
                _("Some plenary sessions of this term fall outside these dates.")
            )


def _make_only_current(term: Term) -> None:
    """One current term per committee: marking a term current unmarks the others."""
    Term.objects.filter(committee_id=term.committee_id, is_current=True).exclude(pk=term.pk).update(
        is_current=False
    )


def term_create(
    *,
    actor: Any,
    committee: Committee,
    number: int,
    name: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    is_current: bool = False,
    request: HttpRequest | None = None,
) -> Term:
    with transaction.atomic():
        # Lock the committee's terms so two staff cannot both make a term current.
        list(Term.objects.select_for_update().filter(committee=committee))
        _check_term(committee, number=number, start_date=start_date, end_date=end_date)
        term = Term(
            committee=committee,
            number=number,
            name=name,
            start_date=start_date,
            end_date=end_date,
            is_current=is_current,
        )
        _save_or_conflict(term)
        if is_current:
            _make_only_current(term)
        _audit("term_created", actor=actor, obj=term, committee=committee, request=request)
    return term


def term_update(
    *,
    actor: Any,
    term: Term,
    number: int,
    name: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    is_current: bool = False,
    request: HttpRequest | None = None,
) -> Term:
    with transaction.atomic():
        list(Term.objects.select_for_update().filter(committee_id=term.committee_id))
        term = Term.objects.select_related("committee").get(pk=term.pk)
        _check_term(
            term.committee, number=number, start_date=start_date, end_date=end_date, term=term
        )
        changed = _changed(
            term,
            {
                "number": number,
                "name": name,
                "start_date": start_date,
                "end_date": end_date,
                "is_current": is_current,
            },
        )
        if changed:
            _save_or_conflict(term, update_fields=changed)
        if is_current:
            _make_only_current(term)
        _audit(
            "term_updated",
            actor=actor,
            obj=term,
            committee=term.committee,
            request=request,
            fields=",".join(changed),
        )
    return term


def _check_session(
    term: Term,
    *,
    number: int,
    start_date: dt.date,
    end_date: dt.date,
    proposal_window_start: dt.date,
    proposal_window_end: dt.date,
    session: PlenarySession | None = None,
) -> None:
    if end_date < start_date:
        raise ValidationFailed(_("The closing date cannot be before the opening date."))
    if start_date < term.start_date or (term.end_date is not None and end_date > term.end_date):
        raise ValidationFailed(_("The session must take place within the dates of its term."))
    if proposal_window_end < proposal_window_start:
        raise ValidationFailed(_("The proposal window must open before it closes."))
    if proposal_window_end > end_date:
        raise ValidationFailed(
            _("The proposal window must close by the closing date of the session.")
        )
    if proposal_window_start < start_date - PROPOSAL_WINDOW_MAX_LEAD:
        raise ValidationFailed(
            _("The proposal window may open at most 180 days before the session.")
        )
    others = PlenarySession.objects.filter(term=term, number=number)
    if session is not None:
        others = others.exclude(pk=session.pk)
    if others.exists():
        raise Conflict(_("This term already has a session with this number."))


def session_create(
    *,
    actor: Any,
    term: Term,
    number: int,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    proposal_window_start: dt.date,
    proposal_window_end: dt.date,
    request: HttpRequest | None = None,
) -> PlenarySession:
    with transaction.atomic():
        term = (
            Term.objects.select_for_update(of=("self",)).select_related("committee").get(pk=term.pk)
        )
        values: dict[str, Any] = {
            "number": number,
            "name": name,
            "start_date": start_date,
            "end_date": end_date,
            "proposal_window_start": proposal_window_start,
            "proposal_window_end": proposal_window_end,
        }
        _check_session(
            term,
            number=number,
            start_date=start_date,
            end_date=end_date,
            proposal_window_start=proposal_window_start,
            proposal_window_end=proposal_window_end,
        )
        session = PlenarySession(
            committee=term.committee, term=term, year=start_date.year, **values
        )
        _save_or_conflict(session)
        _audit(
            "session_created", actor=actor, obj=session, committee=term.committee, request=request
        )
    return session


def session_update(
    *,
    actor: Any,
    session: PlenarySession,
    number: int,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    proposal_window_start: dt.date,
    proposal_window_end: dt.date,
    request: HttpRequest | None = None,
) -> PlenarySession:
    with transaction.atomic():
        session = (
            PlenarySession.objects.select_for_update(of=("self",))
            .select_related("term", "committee")
            .get(pk=session.pk)
        )
        values: dict[str, Any] = {
            "number": number,
            "name": name,
            "start_date": start_date,
            "end_date": end_date,
            "proposal_window_start": proposal_window_start,
            "proposal_window_end": proposal_window_end,
        }
        _check_session(
            session.term,
            session=session,
            number=number,
            start_date=start_date,
            end_date=end_date,
            proposal_window_start=proposal_window_start,
            proposal_window_end=proposal_window_end,
        )
        changed = _changed(session, {**values, "year": start_date.year})
        if changed:
            _save_or_conflict(session, update_fields=changed)
        _audit(
            "session_updated",
            actor=actor,
            obj=session,
            committee=session.committee,
            request=request,
            fields=",".join(changed),
        )
    return session


# --- Sector clusters, sectors, special committees ------------------------------------


def cluster_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    order: int = 0,
    request: HttpRequest | None = None,
) -> SectorCluster:
    with transaction.atomic():
        _refuse_duplicate_name(SectorCluster, committee.pk, name)
        cluster = SectorCluster(committee=committee, name=name, order=order)
        _save_or_conflict(cluster)
        _audit("cluster_created", actor=actor, obj=cluster, committee=committee, request=request)
    return cluster


def cluster_update(
    *,
    actor: Any,
    cluster: SectorCluster,
    name: str,
    order: int = 0,
    request: HttpRequest | None = None,
) -> SectorCluster:
    with transaction.atomic():
        cluster = SectorCluster.objects.select_for_update().get(pk=cluster.pk)
        _refuse_duplicate_name(SectorCluster, cluster.committee_id, name, cluster.pk)
        changed = _changed(cluster, {"name": name, "order": order})
        if changed:
            _save_or_conflict(cluster, update_fields=changed)
        _audit(
            "cluster_updated",
            actor=actor,
            obj=cluster,
            committee=cluster.committee_id,
            request=request,
            fields=",".join(changed),
        )
    return cluster


def _check_sector_refs(
    committee: Committee,
    cluster: SectorCluster | None,
    conveners: Sequence[Member],
    already: Iterable[int] = (),
) -> None:
    if cluster is not None and cluster.committee_id != committee.pk:
        raise ValidationFailed(_("The sector cluster belongs to another committee."))
    _check_members_eligible(committee, conveners, already)


def sector_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    cluster: SectorCluster | None = None,
    order: int = 0,
    conveners: Sequence[Member] = (),
    request: HttpRequest | None = None,
) -> Sector:
    with transaction.atomic():
        _refuse_duplicate_name(Sector, committee.pk, name)
        _check_sector_refs(committee, cluster, conveners)
        sector = Sector(committee=committee, name=name, cluster=cluster, order=order)
        _save_or_conflict(sector)
        sector.conveners.set(conveners)
        _audit("sector_created", actor=actor, obj=sector, committee=committee, request=request)
    return sector


def sector_update(
    *,
    actor: Any,
    sector: Sector,
    name: str,
    cluster: SectorCluster | None = None,
    order: int = 0,
    conveners: Sequence[Member] = (),
    request: HttpRequest | None = None,
) -> Sector:
    with transaction.atomic():
        sector = (
            Sector.objects.select_for_update(of=("self",))
            .select_related("committee")
            .get(pk=sector.pk)
        )
        _refuse_duplicate_name(Sector, sector.committee_id, name, sector.pk)
        already = list(sector.conveners.values_list("pk", flat=True))
        _check_sector_refs(sector.committee, cluster, conveners, already)
        changed = _changed(sector, {"name": name, "cluster": cluster, "order": order})
        if changed:
            _save_or_conflict(sector, update_fields=changed)
        if set(already) != {m.pk for m in conveners}:
            sector.conveners.set(conveners)
            changed.append("conveners")
        _audit(
            "sector_updated",
            actor=actor,
            obj=sector,
            committee=sector.committee,
            request=request,
            fields=",".join(changed),
        )
    return sector


def special_committee_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    order: int = 0,
    request: HttpRequest | None = None,
) -> SpecialCommittee:
    with transaction.atomic():
        _refuse_duplicate_name(SpecialCommittee, committee.pk, name)
        special = SpecialCommittee(committee=committee, name=name, order=order)
        _save_or_conflict(special)
        _audit(
            "special_committee_created",
            actor=actor,
            obj=special,
            committee=committee,
            request=request,
        )
    return special


def special_committee_update(
    *,
    actor: Any,
    special_committee: SpecialCommittee,
    name: str,
    order: int = 0,
    request: HttpRequest | None = None,
) -> SpecialCommittee:
    with transaction.atomic():
        special = SpecialCommittee.objects.select_for_update().get(pk=special_committee.pk)
        _refuse_duplicate_name(SpecialCommittee, special.committee_id, name, special.pk)
        changed = _changed(special, {"name": name, "order": order})
        if changed:
            _save_or_conflict(special, update_fields=changed)
        _audit(
            "special_committee_updated",
            actor=actor,
            obj=special,
            committee=special.committee_id,
            request=request,
            fields=",".join(changed),
        )
    return special


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
    request: HttpRequest | None = None,
) -> Member:
    """Give a person a seat. A person already on record with the same ID number
    (say, a member of the city's committee now joining the county's) is reused,
    never duplicated: one person, one login, a seat in each committee."""
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
            .filter(id_number_hash=crypto.blind_index(id_number))
            .first()
        )
        reused = person is not None
        if person is not None:
            _refuse_second_seat(committee, term, person)
            # The person's details are shared by every committee they sit on;
            # the latest entry by any of their committees' org staff wins.
            changed = _changed(person, person_values)
            if mobile != person.mobile:
                person.set_mobile(mobile)
                changed += ["mobile_encrypted", "mobile_hash"]
            if changed:
                person.save(update_fields=[*changed, "updated_at"])
        else:
            person = Person(**person_values)
            person.set_mobile(mobile)
            person.set_id_number(id_number)
            _save_or_conflict(person)
        member = Member(
            committee=committee,
            person=person,
            term=term,
            sector=sector,
            position=position,
            start_date=start_date,
        )
        _save_or_conflict(member)
        member.special_committees.set(special_committees)
        _audit(
            "member_created",
            actor=actor,
            obj=member,
            committee=committee,
            request=request,
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
    request: HttpRequest | None = None,
) -> Member:
    """Change a seat and its person. An empty ``mobile`` or ``id_number`` keeps
    the number on record (edit forms never show full numbers).

    Decision: the person's details (name, numbers, employer…) are shared by
    every committee the person sits on, and org staff of any of those
    committees may correct them. Two committees keeping two versions of one
    person's name or mobile would be worse than either correcting it; the
    audit row names the committee and the fields that changed."""
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

        person_changed = _changed(
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
        if id_number and crypto.blind_index(id_number) != person.id_number_hash:
            digest = crypto.blind_index(id_number)
            if Person.objects.filter(id_number_hash=digest).exclude(pk=person.pk).exists():
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

        member_changed = _changed(
            member,
            {"term": term, "sector": sector, "position": position, "start_date": start_date},
        )
        if member.end_date is not None and member.end_date < start_date:
            raise ValidationFailed(_("The start date cannot be after the date the member left."))
        if member_changed:
            _save_or_conflict(member, update_fields=[*member_changed, "updated_at"])
            changed_labels += member_changed
        old_specials = set(member.special_committees.values_list("pk", flat=True))
        if old_specials != {s.pk for s in special_committees}:
            member.special_committees.set(special_committees)
            changed_labels.append("special_committees")
        _audit(
            "member_updated",
            actor=actor,
            obj=member,
            committee=committee,
            request=request,
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
    request: HttpRequest | None = None,
) -> Member:
    """A member leaves office (resigned or removed). Members are never deleted:
    their duties, proposals and points stay attached to the seat."""
    if status not in (Member.Status.RESIGNED, Member.Status.REMOVED):
        raise ValidationFailed(_("Choose whether the member resigned or was removed."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason the member leaves office."))
    with transaction.atomic():
        member = (
            Member.objects.select_for_update(of=("self",))
            .select_related("committee")
            .get(pk=member.pk)
        )
        if member.status != Member.Status.IN_OFFICE:
            raise Conflict(_("This member has already left office."))
        if end_date < member.start_date:
            raise ValidationFailed(_("The date of leaving cannot be before the start of the seat."))
        member.status = status
        member.end_date = end_date
        member.end_reason = reason
        member.save(update_fields=["status", "end_date", "end_reason", "updated_at"])
        _audit(
            "member_deactivated",
            actor=actor,
            obj=member,
            committee=member.committee,
            request=request,
            status=status,
        )
    return member


# --- Handling units -------------------------------------------------------------------


def unit_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    request: HttpRequest | None = None,
) -> HandlingUnit:
    with transaction.atomic():
        _refuse_duplicate_name(HandlingUnit, committee.pk, name)
        unit = HandlingUnit(
            committee=committee,
            name=name,
            kind=kind,
            contact_name=contact_name,
            contact_phone=contact_phone,
            address=address,
        )
        _save_or_conflict(unit)
        _audit("unit_created", actor=actor, obj=unit, committee=committee, request=request)
    return unit


def unit_update(
    *,
    actor: Any,
    unit: HandlingUnit,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> HandlingUnit:
    with transaction.atomic():
        unit = HandlingUnit.objects.select_for_update().get(pk=unit.pk)
        _refuse_duplicate_name(HandlingUnit, unit.committee_id, name, unit.pk)
        changed = _changed(
            unit,
            {
                "name": name,
                "kind": kind,
                "contact_name": contact_name,
                "contact_phone": contact_phone,
                "address": address,
                "is_active": is_active,
            },
        )
        if changed:
            _save_or_conflict(unit, update_fields=changed)
        _audit(
            "unit_updated",
            actor=actor,
            obj=unit,
            committee=unit.committee_id,
            request=request,
            fields=",".join(changed),
        )
    return unit


def _deactivate(
    model: type[HandlingUnit] | type[Studio] | type[Station],
    obj: HandlingUnit | Studio | Station,
    *,
    action: str,
    actor: Any,
    request: HttpRequest | None,
) -> Any:
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        if not locked.is_active:
            raise Conflict(_("This has already been deactivated."))
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        _audit(action, actor=actor, obj=locked, committee=locked.committee_id, request=request)
    return locked


def unit_deactivate(
    *, actor: Any, unit: HandlingUnit, request: HttpRequest | None = None
) -> HandlingUnit:
    """A unit no longer receives proposals; its past assignments stay."""
    result: HandlingUnit = _deactivate(
        HandlingUnit, unit, action="unit_deactivated", actor=actor, request=request
    )
    return result


# --- Studios and stations ---------------------------------------------------------------


def _check_group(
    committee: Committee,
    *,
    leader: Member | None,
    members: Sequence[Member],
    already: Iterable[int],
    leader_message: str,
) -> None:
    _check_members_eligible(committee, members, already)
    if leader is not None and leader.pk not in {m.pk for m in members}:
        raise ValidationFailed(leader_message)


def _group_create(
    model: Any,
    *,
    actor: Any,
    committee: Committee,
    fields: dict[str, Any],
    leader_field: str,
    members: Sequence[Member],
    leader_message: str,
    action: str,
    request: HttpRequest | None,
) -> Any:
    """Create a studio or a station: a named group of members with a leader."""
    with transaction.atomic():
        _refuse_duplicate_name(model, committee.pk, fields["name"])
        _check_group(
            committee,
            leader=fields[leader_field],
            members=members,
            already=(),
            leader_message=leader_message,
        )
        group = model(committee=committee, **fields)
        _save_or_conflict(group)
        group.members.set(members)
        _audit(action, actor=actor, obj=group, committee=committee, request=request)
    return group


def _group_update(
    model: Any,
    group: Any,
    *,
    actor: Any,
    fields: dict[str, Any],
    leader_field: str,
    members: Sequence[Member],
    leader_message: str,
    action: str,
    request: HttpRequest | None,
) -> Any:
    """Update a studio or a station under a row lock; audit what changed."""
    with transaction.atomic():
        group = (
            model.objects.select_for_update(of=("self",))
            .select_related("committee")
            .get(pk=group.pk)
        )
        _refuse_duplicate_name(model, group.committee_id, fields["name"], group.pk)
        already = list(group.members.values_list("pk", flat=True))
        _check_group(
            group.committee,
            leader=fields[leader_field],
            members=members,
            already=already,
            leader_message=leader_message,
        )
        changed = _changed(group, fields)
        if changed:
            _save_or_conflict(group, update_fields=changed)
        if set(already) != {m.pk for m in members}:
            group.members.set(members)
            changed.append("members")
        _audit(
            action,
            actor=actor,
            obj=group,
            committee=group.committee,
            request=request,
            fields=",".join(changed),
        )
    return group


def studio_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    theme: str = "",
    venue: str = "",
    opening_hours: str = "",
    lead: Member | None = None,
    members: Sequence[Member] = (),
    request: HttpRequest | None = None,
) -> Studio:
    studio: Studio = _group_create(
        Studio,
        actor=actor,
        committee=committee,
        fields={
            "name": name,
            "theme": theme,
            "venue": venue,
            "opening_hours": opening_hours,
            "lead": lead,
        },
        leader_field="lead",
        members=members,
        leader_message=_("The lead member must be one of the studio's members."),
        action="studio_created",
        request=request,
    )
    return studio


def studio_update(
    *,
    actor: Any,
    studio: Studio,
    name: str,
    theme: str = "",
    venue: str = "",
    opening_hours: str = "",
    lead: Member | None = None,
    members: Sequence[Member] = (),
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> Studio:
    updated: Studio = _group_update(
        Studio,
        studio,
        actor=actor,
        fields={
            "name": name,
            "theme": theme,
            "venue": venue,
            "opening_hours": opening_hours,
            "lead": lead,
            "is_active": is_active,
        },
        leader_field="lead",
        members=members,
        leader_message=_("The lead member must be one of the studio's members."),
        action="studio_updated",
        request=request,
    )
    return updated


def studio_deactivate(*, actor: Any, studio: Studio, request: HttpRequest | None = None) -> Studio:
    result: Studio = _deactivate(
        Studio, studio, action="studio_deactivated", actor=actor, request=request
    )
    return result


def station_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    address: str = "",
    area: str = "",
    instructor: str = "",
    master: Member | None = None,
    members: Sequence[Member] = (),
    request: HttpRequest | None = None,
) -> Station:
    station: Station = _group_create(
        Station,
        actor=actor,
        committee=committee,
        fields={
            "name": name,
            "address": address,
            "area": area,
            "instructor": instructor,
            "master": master,
        },
        leader_field="master",
        members=members,
        leader_message=_("The station master must be one of the station's members."),
        action="station_created",
        request=request,
    )
    return station


def station_update(
    *,
    actor: Any,
    station: Station,
    name: str,
    address: str = "",
    area: str = "",
    instructor: str = "",
    master: Member | None = None,
    members: Sequence[Member] = (),
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> Station:
    updated: Station = _group_update(
        Station,
        station,
        actor=actor,
        fields={
            "name": name,
            "address": address,
            "area": area,
            "instructor": instructor,
            "master": master,
            "is_active": is_active,
        },
        leader_field="master",
        members=members,
        leader_message=_("The station master must be one of the station's members."),
        action="station_updated",
        request=request,
    )
    return updated


def station_deactivate(
    *, actor: Any, station: Station, request: HttpRequest | None = None
) -> Station:
    result: Station = _deactivate(
        Station, station, action="station_deactivated", actor=actor, request=request
    )
    return result


# --- Personal data --------------------------------------------------------------------


def personal_data_reveal(
    *, actor: Any, member: Member, request: HttpRequest | None = None
) -> dict[str, str]:
    """The full mobile and ID number of a member's person. The caller has
    checked ``org.view_full_personal_data``; every call leaves an audit row."""
    person = member.person
    _audit(
        "view_personal_data",
        actor=actor,
        obj=member,
        committee=member.committee_id,
        request=request,
        person=person.pk,
        fields="mobile,id_number",
    )
    return {"mobile": person.mobile, "id_number": person.id_number}
