"""The plan of a demo committee: terms, persons and seats, drawn from a
seeded random generator so every run makes the same plan."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from lvzhi.org.demo.data import (
    _PROFESSIONS,
    DEMOCRATIC_PARTIES,
    EDUCATIONS,
    EMPLOYERS,
    ETHNICITIES,
    FEMALE_CHARS,
    MALE_CHARS,
    RESIGN_REASONS,
    SECTOR_NAMES,
    SECTOR_PARTY,
    SPECIAL_COMMITTEES,
    SURNAMES,
)
from lvzhi.org.models import Gender, Member, Party
from lvzhi.org.validators import make_id_number

# --- The plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class TermSpec:
    number: int
    start: date
    end: date | None
    is_current: bool
    openings: tuple[date, ...]  # opening day of the plenary session of each year
    session_days: int = 4


@dataclass(frozen=True)
class CommitteeSpec:
    code: str
    name: str
    short_name: str
    level: str
    place: str  # "示例市": prefix of department and employer names
    parent_code: str | None
    terms: tuple[TermSpec, ...]  # newest (current) first
    sector_sizes: dict[str, int]  # seats per sector in every term
    vice_chairs: int
    standing: int  # 常委 besides the chair, vice-chairs and secretary-general
    resigned: int  # members who resigned, per term
    court: str = ""  # the court among the handling units
    lower_unit: str = ""  # a lower-level government among the handling units
    carry_over: float = 0.6  # share of a term's members who sat in the term before


@dataclass
class PersonSpec:
    index: int
    name: str
    gender: str
    ethnicity: str
    birth_date: date
    party: str
    education: str
    employer: str
    job_title: str
    mobile: str
    id_number: str


@dataclass
class SeatSpec:
    person: PersonSpec
    term_number: int
    sector: str
    position: str = Member.Position.MEMBER
    status: str = Member.Status.IN_OFFICE
    start: date | None = None
    end: date | None = None
    end_reason: str = ""
    special: list[str] = field(default_factory=list)


def _weighted(rng: random.Random, options: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


class PersonPool:
    """Invents people. Numbers come from a running index, so they are unique:
    ID = region (99xxxx, not a real region) + birth date + sequence + check."""

    def __init__(self, rng: random.Random, *, region: str = "9901", mobile: str = "1390") -> None:
        self.rng = rng
        self.region = region
        self.mobile = mobile
        self.count = 0
        self.phones = 0
        self.names: set[str] = set()

    def name(self, gender: str) -> str:
        chars = MALE_CHARS if gender == Gender.MALE else FEMALE_CHARS
        for _attempt in range(50):
            given = self.rng.choice(chars)
            if self.rng.random() < 0.8:
                second = self.rng.choice(chars + (MALE_CHARS + FEMALE_CHARS)[::7])
                if second != given or gender == Gender.FEMALE:  # 婷婷 yes, 智智 no
                    given += second
            name = self.rng.choice(SURNAMES) + given
            if name not in self.names:
                break
        self.names.add(name)
        return name

    def phone(self) -> str:
        """A contact number in the demo block (139-0009-xxxx)."""
        self.phones += 1
        return f"{self.mobile}009{self.phones:04d}"

    def new(self, sector: str, place: str, *, name: str = "", gender: str = "") -> PersonSpec:
        rng = self.rng
        self.count += 1
        index = self.count
        gender = gender or (Gender.FEMALE if rng.random() < 0.35 else Gender.MALE)
        if name:
            self.names.add(name)
        else:
            name = self.name(gender)
        birth = date(1958, 1, 1) + timedelta(days=rng.randrange(365 * 32))
        party = SECTOR_PARTY.get(sector) or _weighted(
            rng,
            (
                (Party.CPC, 40),
                (Party.MASSES, 22),
                (Party.NONPARTY, 10),
                *((p, 4) for p in DEMOCRATIC_PARTIES),
                (Party.JS, 4),
            ),
        )
        employer, titles = rng.choice(EMPLOYERS.get(sector, _PROFESSIONS))
        # Region 99xxxx + birth date + 3-digit sequence (odd for men) + check.
        block, offset = divmod(index, 500)
        sequence = f"{offset * 2 + (1 if gender == Gender.MALE else 0):03d}"
        region = f"{self.region}{block + 1:02d}"
        id_number = make_id_number(f"{region}{birth:%Y%m%d}{sequence}")
        return PersonSpec(
            index=index,
            name=name,
            gender=gender,
            ethnicity=_weighted(rng, ETHNICITIES),
            birth_date=birth,
            party=party,
            education=_weighted(rng, EDUCATIONS),
            employer=employer.format(p=place),
            job_title=rng.choice(titles),
            mobile=f"{self.mobile}{index:07d}",
            id_number=id_number,
        )


def build_roster(
    spec: CommitteeSpec,
    pool: PersonPool,
    *,
    fixed: Sequence[SeatSpec] = (),
) -> list[SeatSpec]:
    """Seats of every term of the committee. ``fixed`` seats (the demo logins,
    people shared with another committee) go into the current term as given
    and are never picked for a position or a resignation."""
    rng = pool.rng
    seats: list[SeatSpec] = []
    newer: dict[str, list[PersonSpec]] = {}
    for term in spec.terms:
        term_seats: list[SeatSpec] = []
        by_sector: dict[str, list[PersonSpec]] = {}
        for sector in SECTOR_NAMES:
            size = spec.sector_sizes.get(sector, 0)
            people: list[PersonSpec] = []
            if term.is_current:
                people += [s.person for s in fixed if s.sector == sector]
            else:
                previous = [p for p in newer.get(sector, []) if p not in people]
                carried = min(len(previous), round(size * spec.carry_over))
                people += rng.sample(previous, carried)
            while len(people) < size:
                people.append(pool.new(sector, spec.place))
            by_sector[sector] = people
            for person in people:
                term_seats.append(SeatSpec(person=person, term_number=term.number, sector=sector))
        newer = by_sector
        _assign_positions(rng, term, term_seats, spec, fixed_people={s.person.index for s in fixed})
        if term.is_current:
            wanted = {s.person.index: s for s in fixed}
            for seat in term_seats:
                if seat.person.index in wanted:
                    seat.position = wanted[seat.person.index].position
        seats += term_seats
    return seats


def _assign_positions(
    rng: random.Random,
    term: TermSpec,
    seats: list[SeatSpec],
    spec: CommitteeSpec,
    *,
    fixed_people: set[int],
) -> None:
    free = [s for s in seats if s.person.index not in fixed_people]
    cpc = [s for s in free if s.sector == "中共"] or free
    chair, secretary = rng.sample(cpc, 2)
    chair.position = Member.Position.CHAIR
    secretary.position = Member.Position.SECRETARY_GENERAL
    # Vice-chairs come from different sectors: the CPC, the parties, business.
    vice_sectors = ["中共", "民革", "民盟", "民建", "民进", "农工党", "九三学社", "工商联"]
    vice_chairs = []
    for sector in vice_sectors[: spec.vice_chairs]:
        candidates = [
            s for s in free if s.sector == sector and s.position == Member.Position.MEMBER
        ]
        if candidates:
            seat = rng.choice(candidates)
            seat.position = Member.Position.VICE_CHAIR
            vice_chairs.append(seat)
    if term.is_current:
        # Today's leaders work for the committee or lead their party's local body.
        committee_office = spec.place + "政协"
        chair.person.employer, chair.person.job_title = committee_office, "主席"
        secretary.person.employer, secretary.person.job_title = committee_office, "秘书长"
        for seat in vice_chairs:
            if seat.sector == "中共":
                seat.person.employer, seat.person.job_title = committee_office, "副主席"
            elif seat.sector == "工商联":
                seat.person.employer = f"{spec.place}工商业联合会"
                seat.person.job_title = "主席"
            else:
                seat.person.employer = f"{seat.sector}{spec.place}委员会"
                seat.person.job_title = "主委"
    plain = [s for s in free if s.position == Member.Position.MEMBER]
    for seat in rng.sample(plain, min(spec.standing, len(plain))):
        seat.position = Member.Position.STANDING
    # Leaders sit on the proposals committee or none; the others on one or two.
    for seat in seats:
        if seat.position == Member.Position.CHAIR:
            continue
        roll = rng.random()
        count = 2 if roll < 0.1 else 1 if roll < 0.85 else 0
        seat.special = rng.sample(SPECIAL_COMMITTEES, count)
    # Start and end dates: everybody from the term's first day, a few joined
    # later (增补) and a few resigned (辞去委员职务).
    term_end = term.end or date(term.start.year + 5, term.start.month, term.start.day)
    for seat in seats:
        seat.start = term.start
        if not term.is_current:
            seat.end = term_end
            seat.end_reason = "任期届满"
    plain = [s for s in free if s.position == Member.Position.MEMBER]
    chosen = rng.sample(plain, min(len(plain), spec.resigned + 3))
    for seat in chosen[: spec.resigned]:
        seat.status = Member.Status.RESIGNED
        seat.end = term.start + timedelta(days=400 + rng.randrange(600))
        seat.end_reason = rng.choice(RESIGN_REASONS)
    for seat in chosen[spec.resigned :]:
        seat.start = term.openings[min(2, len(term.openings) - 1)]
