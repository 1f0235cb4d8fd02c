"""Applying a plan by natural keys: rows that exist are left alone."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.core import crypto
from lvzhi.org.demo.data import (
    CLUSTERS,
    OPENING_HOURS,
    PASSWORD,
    SPECIAL_COMMITTEES,
    STREETS,
    STUDIOS,
    UNITS,
    Writer,
    cn_number,
)
from lvzhi.org.demo.plan import CommitteeSpec, PersonPool, PersonSpec, SeatSpec
from lvzhi.org.models import (
    Committee,
    Gender,
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

# --- Applying the plan by natural keys -------------------------------------------------


class Seeder:
    """Creates what is missing, leaves what exists untouched; counts what it made."""

    def __init__(self, stdout: Writer) -> None:
        self.stdout = stdout
        self.created: dict[str, int] = {}
        self._password_hash = ""

    def _count(self, label: str, created: bool | int) -> None:
        if created:
            self.created[label] = self.created.get(label, 0) + int(created)

    def committee(self, spec: CommitteeSpec) -> Committee:
        parent = Committee.objects.get(code=spec.parent_code) if spec.parent_code else None
        committee, created = Committee.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "level": spec.level,
                "parent": parent,
            },
        )
        self._count("委员会", created)
        return committee

    def terms(self, committee: Committee, spec: CommitteeSpec) -> dict[int, Term]:
        terms: dict[int, Term] = {}
        for t in spec.terms:
            term, created = Term.objects.get_or_create(
                committee=committee,
                number=t.number,
                defaults={
                    "name": f"第{cn_number(t.number)}届",
                    "start_date": t.start,
                    "end_date": t.end,
                    "is_current": t.is_current,
                },
            )
            self._count("届次", created)
            terms[t.number] = term
            for n, opening in enumerate(t.openings, start=1):
                _, created = PlenarySession.objects.get_or_create(
                    committee=committee,
                    term=term,
                    number=n,
                    defaults={
                        "name": f"第{cn_number(t.number)}届委员会第{cn_number(n)}次会议",
                        "year": opening.year,
                        "start_date": opening,
                        "end_date": opening + timedelta(days=t.session_days - 1),
                        # Plenary proposals: from two months before until the
                        # second day of the session.
                        "proposal_window_start": opening - timedelta(days=60),
                        "proposal_window_end": opening + timedelta(days=1),
                    },
                )
                self._count("全体会议", created)
        return terms

    def sectors(self, committee: Committee) -> tuple[dict[str, Sector], set[str]]:
        sectors: dict[str, Sector] = {}
        new: set[str] = set()
        order = 0
        for c_order, (cluster_name, names) in enumerate(CLUSTERS, start=1):
            cluster, created = SectorCluster.objects.get_or_create(
                committee=committee, name=cluster_name, defaults={"order": c_order}
            )
            self._count("界别联组", created)
            for name in names:
                order += 1
                sector, created = Sector.objects.get_or_create(
                    committee=committee, name=name, defaults={"cluster": cluster, "order": order}
                )
                self._count("界别", created)
                sectors[name] = sector
                if created:
                    new.add(name)
        return sectors, new

    def special_committees(self, committee: Committee) -> dict[str, SpecialCommittee]:
        found: dict[str, SpecialCommittee] = {}
        for order, name in enumerate(SPECIAL_COMMITTEES, start=1):
            obj, created = SpecialCommittee.objects.get_or_create(
                committee=committee, name=name, defaults={"order": order}
            )
            self._count("专委会", created)
            found[name] = obj
        return found

    def units(
        self, committee: Committee, spec: CommitteeSpec, pool: PersonPool
    ) -> dict[str, HandlingUnit]:
        found: dict[str, HandlingUnit] = {}
        place = spec.place
        for n, (pattern, kind) in enumerate(UNITS, start=1):
            name = pattern.format(p=place, court=spec.court, lower=spec.lower_unit)
            contact = pool.name(Gender.MALE if n % 3 else Gender.FEMALE)
            unit, created = HandlingUnit.objects.get_or_create(
                committee=committee,
                name=name,
                defaults={
                    "kind": kind,
                    "contact_name": contact,
                    "contact_phone": pool.phone(),
                    "address": f"{place}人民路{n * 2 + 1}号",
                },
            )
            self._count("承办单位", created)
            found[name] = unit
        return found

    def persons(self, specs: Iterable[PersonSpec]) -> dict[int, Person]:
        """Persons by plan index, found by the keyed hash of the ID number."""
        by_hash: dict[str, PersonSpec] = {}
        for spec in specs:
            by_hash.setdefault(crypto.blind_index(spec.id_number), spec)
        # Any key of the ring (a rotation may be under way), keyed by the current hash.
        known = [d for spec in by_hash.values() for d in crypto.blind_indexes(spec.id_number)]
        existing = {
            crypto.blind_index(p.id_number): p
            for p in Person.objects.filter(id_number_hash__in=known)
        }
        missing = []
        for digest, spec in by_hash.items():
            if digest in existing:
                continue
            person = Person(
                name=spec.name,
                gender=spec.gender,
                ethnicity=spec.ethnicity,
                birth_date=spec.birth_date,
                party=spec.party,
                education=spec.education,
                employer=spec.employer,
                job_title=spec.job_title,
            )
            person.set_mobile(spec.mobile)
            person.set_id_number(spec.id_number)
            missing.append(person)
        if missing:
            Person.objects.bulk_create(missing, batch_size=500)
            fresh = [digest for digest in by_hash if digest not in existing]
            existing.update(
                {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=fresh)}
            )
        self._count("人员", len(missing))
        return {spec.index: existing[digest] for digest, spec in by_hash.items()}

    def members(
        self,
        committee: Committee,
        terms: dict[int, Term],
        seats: list[SeatSpec],
        sectors: dict[str, Sector],
        specials: dict[str, SpecialCommittee],
    ) -> dict[tuple[int, int], Member]:
        """Seats by (term number, person index); only missing seats are created,
        with their special committees."""
        people = self.persons(s.person for s in seats)
        key_of = {(terms[s.term_number].pk, people[s.person.index].pk): s for s in seats}
        existing = {
            (m.term_id, m.person_id): m
            for m in Member.objects.filter(committee=committee, term__in=terms.values())
        }
        new: list[Member] = []
        for (term_id, person_id), seat in key_of.items():
            if (term_id, person_id) in existing:
                continue
            assert seat.start is not None
            new.append(
                Member(
                    committee=committee,
                    term_id=term_id,
                    person_id=person_id,
                    sector=sectors[seat.sector],
                    position=seat.position,
                    status=seat.status,
                    start_date=seat.start,
                    end_date=seat.end,
                    end_reason=seat.end_reason,
                )
            )
        if new:
            Member.objects.bulk_create(new, batch_size=500)
            created_keys = {(m.term_id, m.person_id) for m in new}
            existing = {
                (m.term_id, m.person_id): m
                for m in Member.objects.filter(committee=committee, term__in=terms.values())
            }
            through = Member.special_committees.through
            links = [
                through(member_id=existing[key].pk, specialcommittee_id=specials[name].pk)
                for key in created_keys
                for name in key_of[key].special
            ]
            through._default_manager.bulk_create(links, batch_size=500, ignore_conflicts=True)
        self._count("委员席位", len(new))
        return {
            (seat.term_number, seat.person.index): existing[key] for key, seat in key_of.items()
        }

    def conveners(self, sectors: dict[str, Sector], pairs: list[tuple[str, Member]]) -> None:
        """Conveners of newly created sectors (staff may change them later)."""
        through = Sector.conveners.through
        links = [through(sector_id=sectors[name].pk, member_id=member.pk) for name, member in pairs]
        through._default_manager.bulk_create(links, ignore_conflicts=True)

    def studios(
        self,
        committee: Committee,
        place: str,
        current: list[Member],
        sectors: dict[str, Sector],
        rng: random.Random,
        extra: dict[str, list[Member]],
    ) -> dict[str, Studio]:
        found: dict[str, Studio] = {}
        active = [m for m in current if m.status == Member.Status.IN_OFFICE]
        for n, (name, theme, sector_name) in enumerate(STUDIOS, start=1):
            sector_id = sectors[sector_name].pk
            in_sector = [m for m in active if m.sector_id == sector_id] or active
            lead = rng.choice(in_sector)
            others = rng.sample([m for m in active if m.pk != lead.pk], rng.randint(3, 6))
            studio, created = Studio.objects.get_or_create(
                committee=committee,
                name=name,
                defaults={
                    "theme": theme,
                    "venue": f"{place}{STREETS[(n - 1) % len(STREETS)]}党群服务中心{n % 3 + 1}楼",
                    "opening_hours": OPENING_HOURS[n % len(OPENING_HOURS)],
                    "lead": lead,
                },
            )
            self._count("委员工作室", created)
            if created:
                studio.members.add(lead, *others, *extra.get(name, []))
            found[name] = studio
        return found

    def stations(
        self,
        committee: Committee,
        place: str,
        current: list[Member],
        rng: random.Random,
        pool: PersonPool,
        extra: dict[str, list[Member]],
    ) -> dict[str, Station]:
        found: dict[str, Station] = {}
        active = [m for m in current if m.status == Member.Status.IN_OFFICE]
        masters = rng.sample(active, len(STREETS))
        for street, master in zip(STREETS, masters, strict=True):
            name = f"{street}委员联络站"
            others = rng.sample([m for m in active if m.pk != master.pk], rng.randint(4, 8))
            instructor = pool.name(Gender.FEMALE if rng.random() < 0.4 else Gender.MALE)
            station, created = Station.objects.get_or_create(
                committee=committee,
                name=name,
                defaults={
                    "address": f"{place}{street}便民服务中心",
                    "area": f"{street}全域",
                    "master": master,
                    "instructor": instructor,
                },
            )
            self._count("委员联络站", created)
            if created:
                station.members.add(master, *others, *extra.get(name, []))
            found[name] = station
        return found

    def user(
        self,
        username: str,
        display_name: str,
        *,
        person: Person | None = None,
        mobile: str = "",
    ) -> User:
        """The user by username; created with the demo password if missing."""
        user = User.objects.filter(username=username).first()
        if user is None:
            if not self._password_hash:
                # One hash for all demo users: hashing is slow on purpose.
                self._password_hash = make_password(PASSWORD)
            user = User(
                username=username,
                display_name=display_name,
                password=self._password_hash,
                password_changed_at=timezone.now(),
            )
            if mobile:
                user.set_mobile(mobile)
            user.save()
            self._count("用户", True)
        if person is not None and person.user_id is None:
            person.user = user
            person.save(update_fields=["user", "updated_at"])
        return user

    def role(
        self,
        user: User,
        committee: Committee,
        role: str,
        *,
        area: str = "",
        unit: HandlingUnit | None = None,
    ) -> None:
        _, created = RoleAssignment.objects.get_or_create(
            user=user, committee=committee, role=role, area=area, defaults={"unit": unit}
        )
        self._count("角色分配", created)
