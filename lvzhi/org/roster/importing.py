"""Writing a checked roster: every row in one transaction with bulk queries
(``org.import_roster``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import crypto
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, DomainError
from lvzhi.core.models import AuditEvent
from lvzhi.core.permissions import require_perm
from lvzhi.org import selectors
from lvzhi.org.audit import ROSTER_IMPORT
from lvzhi.org.models import Committee, Member, Person, Term
from lvzhi.org.roster.format import (
    BATCH_SIZE,
    TITLES,
    ImportResult,
    RosterInvalid,
    RosterProblem,
    _CleanRow,
)
from lvzhi.org.roster.reading import _name_key, _problem, _sorted, check_rows, read_sheet

T = TypeVar("T")

# --- Writing -------------------------------------------------------------------------------


def _in_chunks(values: list[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _current_hashes(numbers: set[str]) -> dict[str, str]:
    """Every hash the key ring makes of each number → the current key's hash."""
    current: dict[str, str] = {}
    for number in sorted(numbers):
        digests = crypto.blind_indexes(number)
        for digest in digests:
            current[digest] = digests[0]
    return current


def _persons_by(field_name: str, rows: list[_CleanRow]) -> list[Person]:
    """Persons whose ``field_name`` hash is one of the rows' numbers under any
    key of the ring (a rotation may be under way). Their hashes of the rows'
    numbers are translated in memory to the current key's, so that they
    compare with the rows' hashes (no decryption needed)."""
    by_field = {
        "id_number_hash": _current_hashes({row.id_number for row in rows}),
        "mobile_hash": _current_hashes({row.mobile for row in rows}),
    }
    found: list[Person] = []
    for chunk in _in_chunks(sorted(by_field[field_name])):
        found.extend(Person.objects.filter(**{f"{field_name}__in": chunk}))
    for person in found:
        for name, current in by_field.items():
            stored = getattr(person, name)
            setattr(person, name, current.get(stored, stored))
    return found


def _check_against_database(
    rows: list[_CleanRow], persons_by_id: dict[str, Person]
) -> list[RosterProblem]:
    """A mobile number already used by another person, or a known ID number
    under a different name (a typing error would overwrite someone else)."""
    problems: list[RosterProblem] = []
    file_id_hashes = {row.id_hash for row in rows}
    owners: dict[str, list[Person]] = defaultdict(list)
    for person in _persons_by("mobile_hash", rows):
        owners[person.mobile_hash].append(person)
    for row in rows:
        existing = persons_by_id.get(row.id_hash)
        if existing is not None and _name_key(existing.name) != _name_key(row.name):
            problems.append(
                _problem(
                    _(
                        "This ID number is registered in the system under a different name. "
                        "Check the ID number; a change of name is made on the member's page."
                    ),
                    row=row.number,
                    column=TITLES["id_number"],
                )
            )
        for owner in owners.get(row.mobile_hash, []):
            # The other person keeps the number unless this file gives them another.
            if owner.id_number_hash != row.id_hash and owner.id_number_hash not in file_id_hashes:
                problems.append(
                    _problem(
                        _("This mobile number is already used by another person in the system."),
                        row=row.number,
                        column=TITLES["mobile"],
                    )
                )
                break
    return problems


_PERSON_FIELDS = ("name", "gender", "birth_date", "party")
_OPTIONAL_PERSON_FIELDS = ("ethnicity", "education", "employer", "job_title")


def _set(obj: Any, values: Mapping[str, Any]) -> set[str]:
    """Set attributes; return the names of those that changed."""
    changed = set()
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.add(name)
    return changed


def _fill_person(person: Person, row: _CleanRow) -> set[str]:
    values = {name: getattr(row, name) for name in _PERSON_FIELDS}
    values.update(
        {
            name: getattr(row, name)
            for name in _OPTIONAL_PERSON_FIELDS
            if getattr(row, name) is not None
        }
    )
    changed = _set(person, values)
    if person.mobile_hash != row.mobile_hash:
        person.set_mobile(row.mobile)
        changed |= {"mobile_encrypted", "mobile_hash"}
    if person.id_number_hash != row.id_hash:
        person.set_id_number(row.id_number)
        changed |= {"id_number_encrypted", "id_number_hash"}
    return changed


def _fill_seat(seat: Member, row: _CleanRow) -> set[str]:
    values: dict[str, Any] = {"sector_id": row.sector.pk, "start_date": row.start_date}
    if row.position is not None:
        values["position"] = row.position
    return _set(seat, values)


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _write(
    *, committee: Committee, term: Term, rows: list[_CleanRow], columns: set[str]
) -> _Counts:
    """Create or update every row (inside the caller's transaction). Only
    what changed is written, so importing the same file again writes nothing."""
    now = timezone.now()
    persons_by_id = {p.id_number_hash: p for p in _persons_by("id_number_hash", rows)}
    problems = _check_against_database(rows, persons_by_id)
    if problems:
        raise RosterInvalid(_sorted(problems))

    known_person_ids = [p.pk for p in persons_by_id.values()]
    # Persons: match by the keyed hash of the ID number, across committees.
    new_persons: list[Person] = []
    changed_persons: list[Person] = []
    person_fields: set[str] = set()
    changed_rows: set[int] = set()
    for row in rows:
        person = persons_by_id.get(row.id_hash)
        if person is None:
            person = Person()
            _fill_person(person, row)
            persons_by_id[row.id_hash] = person
            new_persons.append(person)
        elif changed := _fill_person(person, row):
            person.updated_at = now
            person_fields |= changed
            changed_persons.append(person)
            changed_rows.add(row.number)
    Person.objects.bulk_create(new_persons, batch_size=BATCH_SIZE)
    if changed_persons:
        Person.objects.bulk_update(
            changed_persons, sorted(person_fields | {"updated_at"}), batch_size=BATCH_SIZE
        )

    # Seats: the person's seat in the current term, if any, is updated.
    seats: dict[int, Member] = {}
    for chunk in _in_chunks(known_person_ids):
        for seat in Member.objects.filter(committee=committee, term=term, person_id__in=chunk):
            seats[seat.person_id] = seat
    new_members: list[Member] = []
    changed_members: list[Member] = []
    member_fields: set[str] = set()
    ordered: list[tuple[_CleanRow, Member, bool]] = []
    for row in rows:
        person = persons_by_id[row.id_hash]
        existing_seat = seats.get(person.pk)
        if existing_seat is None:
            seat = Member(
                committee=committee,
                term=term,
                person=person,
                sector=row.sector,
                position=row.position or Member.Position.MEMBER,
                status=Member.Status.IN_OFFICE,
                start_date=row.start_date,
            )
            new_members.append(seat)
            ordered.append((row, seat, True))
            continue
        seat = existing_seat
        if changed := _fill_seat(seat, row):
            seat.updated_at = now
            member_fields |= changed
            changed_members.append(seat)
            changed_rows.add(row.number)
        ordered.append((row, seat, False))
    Member.objects.bulk_create(new_members, batch_size=BATCH_SIZE)
    if changed_members:
        Member.objects.bulk_update(
            changed_members, sorted(member_fields | {"updated_at"}), batch_size=BATCH_SIZE
        )

    # Special committees: replace the set of a seat only where it differs.
    if "special_committees" in columns:
        through = Member.special_committees.through
        current: dict[int, set[int]] = defaultdict(set)
        for chunk in _in_chunks([seat.pk for _row, seat, new in ordered if not new]):
            for member_id, special_id in through.objects.filter(member_id__in=chunk).values_list(
                "member_id", "specialcommittee_id"
            ):
                current[member_id].add(special_id)
        replace: list[int] = []
        links = []
        for row, seat, new in ordered:
            wanted = {special.pk for special in row.special_committees or []}
            if not new and wanted == current[seat.pk]:
                continue
            if not new:
                replace.append(seat.pk)
                changed_rows.add(row.number)
            links += [through(member_id=seat.pk, specialcommittee_id=pk) for pk in sorted(wanted)]
        for chunk in _in_chunks(replace):
            through.objects.filter(member_id__in=chunk).delete()
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)

    created = len(new_members)
    updated = len({row.number for row, _seat, new in ordered if not new} & changed_rows)
    return _Counts(created=created, updated=updated, unchanged=len(rows) - created - updated)


def roster_import(
    *,
    actor: Any,
    committee: Committee,
    file: IO[bytes],
) -> ImportResult:
    """Check the whole file, then create or update every member in one
    transaction into the committee's current term.

    Raises RosterInvalid (every problem, nothing written), Conflict (a
    concurrent import added the same persons) or DomainError."""
    require_perm(actor, "org.import_roster", committee)
    try:
        term = selectors.current_term(committee)
        if term is None:
            raise DomainError(
                _(
                    "This committee has no current term. Set the current term "
                    "before importing the roster."
                )
            )
        sheet = read_sheet(file)
        columns = {key for key in sheet.columns if key}
        rows = check_rows(committee, sheet)
        try:
            with transaction.atomic():
                # One import per committee at a time (PostgreSQL); SQLite's
                # IMMEDIATE transactions already serialise writers. The database
                # checks run under this lock, so they see a concurrent import.
                term = Term.objects.select_for_update().get(pk=term.pk)
                counts = _write(committee=committee, term=term, rows=rows, columns=columns)
                audit_log(
                    action=ROSTER_IMPORT,
                    actor=actor,
                    obj=term,
                    committee=committee,
                    rows=len(rows),
                    created=counts.created,
                    updated=counts.updated,
                    unchanged=counts.unchanged,
                )
        except IntegrityError:
            # Another committee's import created the same person between our
            # check and our write. Nothing of this file was written.
            raise Conflict(
                _(
                    "Another roster import added some of these persons at the same time. "
                    "Nothing was imported from this file; upload it again."
                )
            ) from None
    except DomainError as error:
        problems = getattr(error, "problems", [])
        audit_log(
            action=ROSTER_IMPORT,
            actor=actor,
            committee=committee,
            result=AuditEvent.Result.FAILURE,
            errors=len(problems) or 1,
            reason=error.message if not problems else "",
        )
        raise
    return ImportResult(
        created=counts.created, updated=counts.updated, unchanged=counts.unchanged, term=term
    )
