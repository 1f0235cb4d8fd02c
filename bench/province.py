#!/usr/bin/env python
"""The province dataset for the benchmarks (DESIGN §7, issue 16), on PostgreSQL.

A province committee, 12 cities and 87 counties below them (100 committees),
≈ 50,000 members in office in the current term (and the term before), four
years (2023–2026) of proposals (≈ 300,000, with their timeline, co-signers,
assignments, contacts, co-unit opinions, replies, evaluations, quality
ratings and supervision notes, in the state mix of the demo), duty
activities with their invitations and invitation timeline (≈ 3.8 million),
study notes, ≈ 5 million duty records and ≈ 2 million audit rows.

How it is built:

* the skeleton through the ORM and the apps' own code: committees, terms,
  sessions, sectors, special committees, units, studios, stations and the
  rosters from the demo's generator (lvzhi/org/demo: invented people, ID
  region 99xxxx), the proposal categories and decline grounds
  (``defaults_ensure``), the points policies (``policy_create_default`` and
  ``policy_activate``), the bench logins and their roles;
* everything that grows with the data by COPY (psycopg's ``cursor.copy()``),
  committee by committee, with ids reserved from each table's sequence, so
  every row points at rows of its own committee; the loaded tables' foreign
  keys, unique constraints and secondary indexes are dropped for the load and
  re-created after it (as a restore does), which checks every row once;
* deadlines from the app's own functions (``proposals.workflow``, working
  days from ``core.calendar``), cached per day since no bench committee
  overrides a setting; duty-record shares as the services give them
  (``share_of``, plenary half-days);
* audit rows for the proposal and activity transitions, linked into the
  platform's hash chain exactly as ``AuditEvent.save`` does
  (``core.audit_chain.row_hash``), the chain head moved once at the end, so
  ``manage.py audit_verify`` passes;
* the scores last, by the set-based recalculation (``points.scoring``).

All of it runs in one transaction: a failed build leaves nothing behind, and
a database that has the province committee is not built again.

    DATABASE_URL=postgres://… python bench/province.py [--fraction 0.02]

``--fraction F`` scales the number of cities and counties (at least one of
each) and so every count; ``--seat-scale S`` shrinks each committee's roster
(for tests). ``--check`` counts the rows that break each invariant
(``invariants()``: tenancy, numbering, states, deadlines, shares, scores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # bench/generate.py, next to this file: the Django setup

PREFIX = "bench-prov"
PROVINCE_CODE = f"{PREFIX}-00"
CITIES = 12
COUNTIES = 87
# Seats in each term: 900 + 12 × 600 + 87 × 480 = 49,860 in office.
SEATS = {"provincial": 900, "city": 600, "county": 480}
PROPOSALS_PER_SEAT = 6.0  # over the four years: ≈ 300,000
YEARS = (2023, 2024, 2025, 2026)
NOTES_PER_YEAR = 3  # study notes per member and year
SEED = 20261203
TZ = ZoneInfo("Asia/Shanghai")
IP_BLOCK = "10.16"
USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36"

# The bench logins (all with the demo password).
PROVINCE_STAFF = "bench_prov_staff"
COUNTY_STAFF = "bench_county_staff"
PROVINCE_LEADER = "bench_prov_leader"
PROVINCE_UNIT = "bench_prov_unit"
PROVINCE_AUDITOR = "bench_prov_auditor"
PROVINCE_MEMBER = "bench_prov_member"
COUNTY_MEMBER = "bench_county_member"

# Invented place names: two characters of this list and a suffix.
PLACE_CHARS = "青云澜岚溪桐松柏梅竹荷枫榆槐栗杉桦棠霞虹星月泉湖川原野丘峰岭谷"


def refuse_sqlite() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit(
            "bench/province.py builds the province dataset on PostgreSQL only: set "
            "DATABASE_URL=postgres://… to a scratch database (SQLite is the county "
            "dataset's, bench/generate.py)."
        )


# --- The committees ------------------------------------------------------------------


def _places(n: int, rng: random.Random) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        name = rng.choice(PLACE_CHARS) + rng.choice(PLACE_CHARS)
        if name[0] != name[1] and name not in seen:
            seen.add(name)
            names.append(name)
    return names


def committee_specs(fraction: float, seat_scale: float = 1.0) -> list[Any]:
    """The province, then its cities, then its counties (each under a city)."""
    from lvzhi.org import demo
    from lvzhi.org.models import Committee

    cities = max(1, round(CITIES * fraction))
    counties = max(1, round(COUNTIES * fraction))
    rng = random.Random(SEED)
    places = _places(1 + cities + counties, rng)
    total = sum(demo.CITY_SIZES.values())

    def spec(
        code: str, level: str, place: str, name: str, parent: str | None, first_term: int
    ) -> Any:
        seats = max(40, round(SEATS[level] * seat_scale))
        sizes = {k: max(2, round(v * seats / total)) for k, v in demo.CITY_SIZES.items()}
        sizes["经济界"] += seats - sum(sizes.values())
        terms = []
        for i in range(2):
            start = dt.date(2023 - 5 * i, 1, 8 + (first_term % 5))
            end = None if i == 0 else dt.date(2028 - 5 * i, 1, 7 + (first_term % 5))
            terms.append(
                demo.TermSpec(first_term - i, start, end, i == 0, demo._openings(start, 5), 4)
            )
        return demo.CommitteeSpec(
            code=code,
            name=name,
            short_name=f"{place}政协",
            level=level,
            place=place,
            parent_code=parent,
            terms=tuple(terms),
            sector_sizes=sizes,
            vice_chairs=6 if level != "county" else 4,
            standing=max(4, seats // 10),
            resigned=max(1, seats // 100),
            court=f"{place}人民法院",
            lower_unit=f"{place}城关街道办事处",
        )

    province = places[0] + "省"
    specs = [
        spec(
            PROVINCE_CODE,
            Committee.Level.PROVINCIAL,
            province,
            f"中国人民政治协商会议{province}委员会",
            None,
            12,
        )
    ]
    city_codes = []
    for i in range(cities):
        place = places[1 + i] + "市"
        code = f"{PREFIX}-c{i + 1:02d}"
        city_codes.append(code)
        specs.append(
            spec(
                code,
                Committee.Level.CITY,
                place,
                f"中国人民政治协商会议{place}委员会",
                PROVINCE_CODE,
                9,
            )
        )
    for i in range(counties):
        place = places[1 + cities + i] + "县"
        specs.append(
            spec(
                f"{PREFIX}-x{i + 1:03d}",
                Committee.Level.COUNTY,
                place,
                f"中国人民政治协商会议{place}委员会",
                city_codes[i % cities],
                7,
            )
        )
    return specs


@dataclass
class Tenant:
    """What the bulk phase needs of one committee (ids only)."""

    committee: Any
    term_id: int
    sessions: dict[int, tuple[int, dt.date]]  # year -> (session id, opening day)
    members: list[Any]  # current-term Member rows (in office or resigned)
    specials: dict[int, list[int]]  # member id -> special committee ids
    sectors: list[int]
    special_ids: list[int]
    units: list[int]
    unit_names: dict[int, str]
    categories: list[int]
    grounds: list[tuple[int, str]]
    staff: Any
    leader: Any = None


def build_skeleton(specs: list[Any], stdout: Any) -> list[Tenant]:
    """Committees with their rosters, configuration, policies and logins (ORM)."""
    from lvzhi.accounts.models import Area, Role
    from lvzhi.org import demo
    from lvzhi.org.models import HandlingUnit, Member, PlenarySession
    from lvzhi.points import services as points
    from lvzhi.proposals import services as proposals
    from lvzhi.proposals.models import DeclineGround, ProposalCategory

    rng = random.Random(SEED + 1)
    seeder = demo.Seeder(stdout)
    pools: list[Any] = []
    tenants: list[Tenant] = []
    for n, spec in enumerate(specs):
        seats = sum(spec.sector_sizes.values())
        # A pool numbers at most 49,500 people (ID region 99xx + a 2-digit block).
        if not pools or pools[-1].count + 2 * seats > 49_000:
            number = 10 + len(pools)
            pools.append(demo.PersonPool(rng, region=f"99{number}", mobile=f"13{number}"))
        seeded = demo.seed_committee(spec, seeder=seeder, pool=pools[-1])
        committee = seeded.committee
        proposals.defaults_ensure(committee)
        staff = seeder.user(f"bench_{committee.code}_staff", f"{committee.short_name}工作人员")
        for area in Area:
            if area.value:
                seeder.role(staff, committee, Role.STAFF, area=area.value)
        leader = None
        if n == 0:
            leader = seeder.user(PROVINCE_LEADER, "基准省主席会议成员")
            seeder.role(leader, committee, Role.LEADER)
        for year in (2025, 2026):
            policy = points.policy_create_default(
                committee=committee,
                year=year,
                actor=staff,
                requirement_code="six-ones" if n == 0 else "five-ones",
            )
            points.policy_activate(policy=policy, actor=staff)
        term = seeded.terms[spec.terms[0].number]
        members = list(
            Member.objects.filter(committee=committee, term=term)
            .select_related("person")
            .order_by("id")
        )
        through = Member.special_committees.through
        specials: dict[int, list[int]] = {}
        for member_id, special_id in through.objects.filter(
            member__committee=committee, member__term=term
        ).values_list("member_id", "specialcommittee_id"):
            specials.setdefault(member_id, []).append(special_id)
        units = list(
            HandlingUnit.objects.filter(committee=committee, is_active=True)
            .order_by("id")
            .values_list("id", "name")
        )
        tenants.append(
            Tenant(
                committee=committee,
                term_id=term.pk,
                sessions={
                    s.year: (s.pk, s.start_date)
                    for s in PlenarySession.objects.filter(committee=committee, term=term)
                },
                members=members,
                specials=specials,
                sectors=sorted(s.pk for s in seeded.sectors.values()),
                special_ids=sorted({i for ids in specials.values() for i in ids}),
                units=[u for u, _ in units],
                unit_names=dict(units),
                categories=list(
                    ProposalCategory.objects.filter(committee=committee)
                    .order_by("order")
                    .values_list("id", flat=True)
                ),
                grounds=list(
                    DeclineGround.objects.filter(committee=committee)
                    .order_by("order")
                    .values_list("id", "text")
                ),
                staff=staff,
                leader=leader,
            )
        )
        if n % 10 == 0:
            stdout.write(f"  skeleton: {n + 1}/{len(specs)} committees\n")
    _logins(seeder, tenants)
    return tenants


def _logins(seeder: Any, tenants: list[Tenant]) -> None:
    """The bench logins: staff, unit, auditor and a member in the province, staff
    and a member in the first county."""
    from lvzhi.accounts.models import Area, Role
    from lvzhi.org.models import Committee, Member

    province = tenants[0]
    county = next(t for t in tenants if t.committee.level == Committee.Level.COUNTY)
    for username, tenant, label in (
        (PROVINCE_STAFF, province, "基准省政协机关工作人员"),
        (COUNTY_STAFF, county, f"{county.committee.short_name}机关工作人员"),
    ):
        user = seeder.user(username, label)
        for area in Area:
            if area.value:
                seeder.role(user, tenant.committee, Role.STAFF, area=area.value)
    unit = province.units[0]
    from lvzhi.org.models import HandlingUnit

    user = seeder.user(PROVINCE_UNIT, f"{province.unit_names[unit]}提案联络员")
    seeder.role(user, province.committee, Role.UNIT, unit=HandlingUnit.objects.get(pk=unit))
    user = seeder.user(PROVINCE_AUDITOR, "基准省审计管理员")
    seeder.role(user, province.committee, Role.AUDITOR)
    for username, tenant in ((PROVINCE_MEMBER, province), (COUNTY_MEMBER, county)):
        member = next(
            m
            for m in tenant.members
            if m.status == Member.Status.IN_OFFICE and m.position == Member.Position.MEMBER
        )
        member = Member.objects.select_related("person").get(pk=member.pk)
        seeder.user(username, member.person.name, person=member.person)


# --- Bulk writing ----------------------------------------------------------------------


class Ids:
    """Ids handed out from each table's own sequence (one writer: the build)."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.next: dict[str, int] = {}

    def take(self, table: str) -> int:
        if table not in self.next:
            self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            self.next[table] = self.cursor.fetchone()[0]
        value = self.next[table]
        self.next[table] = value + 1
        return value

    def finish(self) -> None:
        """Move every sequence past the ids handed out."""
        for table, value in self.next.items():
            self.cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, value - 1]
            )


class Table:
    """Rows for one table, written by COPY when flushed."""

    def __init__(self, name: str, columns: str) -> None:
        self.name = name
        self.columns = tuple(c.strip() for c in columns.split(","))
        self.rows: list[tuple[Any, ...]] = []
        self.total = 0
        self.seconds = 0.0

    def add(self, *row: Any) -> None:
        self.rows.append(row)

    def flush(self, raw_cursor: Any) -> None:
        if not self.rows:
            return
        started = time.monotonic()
        sql = f"COPY {self.name} ({', '.join(self.columns)}) FROM STDIN"
        with raw_cursor.copy(sql) as copy:
            for row in self.rows:
                copy.write_row(row)
        self.total += len(self.rows)
        self.seconds += time.monotonic() - started
        self.rows = []


def _tables() -> dict[str, Table]:
    specs = {
        "proposal": (
            "proposals_proposal",
            "id, committee_id, term_id, session_id, title, category_id, kind, on_behalf_of, "
            "reason, suggestions, proposer_id, status, number, created_at, updated_at, "
            "submitted_at, registered_at, return_reason, decline_ground_id, letter_unit_id, "
            "merged_into_id, round, replied_on, evaluation_due, is_key, supervisor_id, "
            "excellent_year",
        ),
        "proposal_event": (
            "proposals_proposalevent",
            "proposal_id, from_state, to_state, action, actor_id, note, data, created_at",
        ),
        "cosigner": (
            "proposals_cosigner",
            "proposal_id, member_id, state, answered_at",
        ),
        "assignment": (
            "proposals_assignment",
            "id, committee_id, proposal_id, unit_id, role, state, assigned_on, accepted_on, "
            "reassignment_due, precontact_due, reply_due, co_opinion_due, extended_due, "
            "replied_on",
        ),
        "precontact": (
            "proposals_precontact",
            "assignment_id, date, way, summary, created_at, created_by_id",
        ),
        "opinion": (
            "proposals_counitopinion",
            "assignment_id, text, created_at, created_by_id",
        ),
        "reply": (
            "proposals_reply",
            "assignment_id, round, text, reply_class, class_label, solved, unit_class, "
            "unit_class_label, class_change_reason, created_at, created_by_id",
        ),
        "evaluation": (
            "proposals_evaluation",
            "proposal_id, member_id, round, contact, attitude, result, comments, "
            "not_evaluated, created_at",
        ),
        "rating": (
            "proposals_qualityrating",
            "assignment_id, rating, comments, created_at, created_by_id",
        ),
        "note": (
            "proposals_supervisionnote",
            "proposal_id, text, author_id, created_at",
        ),
        "activity": (
            "duties_activity",
            "id, committee_id, kind, title, description, start_at, end_at, place, "
            "session_half_days, organiser_kind, organiser_special_committee_id, "
            "organiser_sector_id, organiser_studio_id, organiser_station_id, scope, "
            "scope_sector_id, scope_special_committee_id, capacity, state, created_by_id, "
            "created_at, updated_at",
        ),
        "activity_event": (
            "duties_activityevent",
            "activity_id, from_state, to_state, action, actor_id, note, data, created_at",
        ),
        "invitation": (
            "duties_invitation",
            "id, committee_id, activity_id, member_id, state, leave_reason, checked_in_at, "
            "attendance_method, updated_at",
        ),
        "invitation_event": (
            "duties_invitationevent",
            "invitation_id, from_state, to_state, action, actor_id, note, data, created_at",
        ),
        "study_note": (
            "duties_studynote",
            "id, committee_id, member_id, title, text, date, created_at, updated_at",
        ),
        "duty": (
            "duties_dutyrecord",
            "committee_id, member_id, kind, date, share, title, source_type_id, source_id, "
            "created_at, created_by_id, withdrawn_at, withdrawn_reason",
        ),
        "audit": (
            "core_auditevent",
            "id, created_at, actor_id, actor_label, action, object_type, object_id, "
            "object_label, committee_id, result, ip, user_agent, request_id, channel, detail",
        ),
        # Each audit row's place in the hash chain (core.audit_seal), after its row.
        "audit_seal": ("core_auditseal", "event_id, seq, prev_hash, hash"),
    }
    return {key: Table(name, columns) for key, (name, columns) in specs.items()}


@dataclass
class AuditRow:
    """The fields ``core.audit_chain.row_hash`` reads, as they are stored."""

    seq: int
    created_at: dt.datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    committee_id: int | None
    result: str
    ip: str | None
    user_agent: str
    request_id: str
    channel: str
    detail: dict[str, Any]
    prev_hash: str = ""


class Chain:
    """Continues the platform's audit chain from its head: each row and its
    seal, as ``core.audit_seal`` would write them after the row's commit."""

    def __init__(
        self, table: Table, seals: Table, ids: Ids, seq: int, last_hash: str, rng: random.Random
    ) -> None:
        from lvzhi.core.audit import audit_action
        from lvzhi.core.audit_chain import row_hash

        self.table = table
        self.seals = seals
        self.ids = ids
        self.seq = seq
        self.last_hash = last_hash
        self.rng = rng
        self.row_hash = row_hash
        self.known = functools.lru_cache(maxsize=None)(lambda code: audit_action(code) is not None)

    def log(
        self,
        *,
        action: str,
        when: dt.datetime,
        actor: Any,
        object_type: str,
        object_id: int,
        object_label: str,
        committee_id: int,
        detail: dict[str, Any],
    ) -> None:
        if not self.known(action):
            return  # the app audits only registered codes
        self.seq += 1
        row = AuditRow(
            seq=self.seq,
            created_at=when,
            actor_id=actor.pk if actor is not None else None,
            actor_label=actor.username if actor is not None else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_label=object_label[:200],
            committee_id=committee_id,
            result="success",
            ip=f"{IP_BLOCK}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}",
            user_agent=USER_AGENT,
            request_id=uuid.UUID(int=self.rng.getrandbits(128)).hex,
            channel="web",
            detail=detail,
            prev_hash=self.last_hash,
        )
        digest = self.row_hash(row)
        event_id = self.ids.take(self.table.name)
        self.table.add(
            event_id,
            row.created_at,
            row.actor_id,
            row.actor_label,
            row.action,
            row.object_type,
            row.object_id,
            row.object_label,
            row.committee_id,
            row.result,
            row.ip,
            row.user_agent,
            row.request_id,
            row.channel,
            json.dumps(row.detail, ensure_ascii=False),
        )
        self.seals.add(event_id, row.seq, row.prev_hash, digest)
        self.last_hash = digest


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


EMPTY = "{}"
SATISFACTION = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}
KIND_NAMES = {
    "research": "调研",
    "inspection": "视察",
    "consultation": "协商",
    "training": "培训",
    "public_service": "为民服务",
    "report_back": "述职",
    "study": "学习",
    "other": "活动",
}


# --- Proposals -----------------------------------------------------------------------


@dataclass
class Plan:
    """One proposal's facts, drawn before its rows are written."""

    index: int
    year: int
    state: str
    proposer: Any
    cosigners: list[Any] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    plenary: bool = False


class Deadlines:
    """The app's deadline functions, cached by day (no bench committee
    overrides a setting, which ``build`` checks, so every committee gets the
    same dates the province does)."""

    def __init__(self, committee: Any) -> None:
        from lvzhi.proposals import workflow

        self.assignment = functools.lru_cache(maxsize=None)(
            lambda day: workflow.assignment_deadlines(day, committee)
        )
        self.co_opinion = functools.lru_cache(maxsize=None)(
            lambda day: workflow.co_opinion_due(day, committee)
        )
        self.evaluation = functools.lru_cache(maxsize=None)(
            lambda day: workflow.evaluation_due(day, committee)
        )
        self.rehandling = functools.lru_cache(maxsize=None)(
            lambda day: workflow.rehandling_due(day, committee)
        )


class Builder:
    """Writes one committee's rows into the tables, with ids from ``ids``."""

    def __init__(
        self,
        tables: dict[str, Table],
        ids: Ids,
        chain: Chain,
        deadlines: Deadlines,
        types: dict[str, int],
        classes: list[dict[str, Any]],
        today: dt.date,
    ) -> None:
        self.t = tables
        self.ids = ids
        self.chain = chain
        self.deadlines = deadlines
        self.types = types
        self.classes = classes
        self.today = today
        self.now = at(today, 8)
        self.clock = self.now  # the time of a proposal's last event (set per proposal)

    # Proposals ------------------------------------------------------------------------

    def proposals(self, tenant: Tenant, rng: random.Random, count: int) -> None:
        from lvzhi.org.models import Member
        from lvzhi.proposals import demo

        in_office = [m for m in tenant.members if m.status == Member.Status.IN_OFFICE]
        self.term_start = min(m.start_date for m in tenant.members)
        # Members from the term's first day (a few joined later).
        self.founders = [m for m in in_office if m.start_date == self.term_start]
        years = [y for y in YEARS if y <= self.today.year]
        registered: list[tuple[dt.datetime, int, int]] = []  # (registered_at, id, row index)
        plans: list[Plan] = []
        for i in range(count):
            year = years[i % len(years)]
            weights = demo.THIS_YEAR if year == self.today.year else demo.LAST_YEAR
            state = rng.choices([s for s, _ in weights], [w for _, w in weights])[0]
            plan = Plan(i, year, state, rng.choice(in_office))
            kind = rng.choices(["individual", "joint", "sector", "party"], [60, 25, 8, 7])[0]
            plan.plenary = rng.random() < 0.7
            if kind == "joint":
                others = rng.sample(in_office, k=rng.choice([1, 2, 3]) + 1)
                plan.cosigners = [m for m in others if m.pk != plan.proposer.pk][:3]
            plan.units = rng.sample(
                tenant.units, k=min(len(tenant.units), rng.choice([1, 1, 2, 3]))
            )
            plans.append(plan)
            self._proposal(tenant, rng, plan, kind, registered)
        # Numbers in the order of registration, from 1 in the term.
        rows = self.t["proposal"].rows
        number_at = self.t["proposal"].columns.index("number")
        registered.sort()
        for number, (_when, _pk, row_index) in enumerate(registered, start=1):
            row = list(rows[row_index])
            row[number_at] = number
            rows[row_index] = tuple(row)
        self.last_number = len(registered)

    def _event(
        self,
        tenant: Tenant,
        pk: int,
        title: str,
        action: str,
        frm: str,
        to: str,
        when: dt.datetime,
        actor: Any,
        note: str = "",
        *,
        own: bool = True,
    ) -> dt.datetime:
        if own:
            # The proposal's own timeline strictly in order (steps on one day
            # a minute apart); ``own=False``: an event on another proposal.
            when = max(when, self.clock + dt.timedelta(minutes=1))
            self.clock = when
        self.t["proposal_event"].add(
            pk, frm, to, action, actor.pk if actor else None, note, EMPTY, when
        )
        self.chain.log(
            action=f"proposal.{action}",
            when=when,
            actor=actor,
            object_type="proposals.proposal",
            object_id=pk,
            object_label=title,
            committee_id=tenant.committee.pk,
            detail={"from_state": frm, "to_state": to},
        )
        return when

    def _duty(
        self,
        tenant: Tenant,
        member_id: int,
        kind: str,
        day: dt.date,
        source: str,
        source_id: int,
        title: str,
        actor: Any,
        share: Decimal = Decimal("1.0000"),
    ) -> None:
        self.t["duty"].add(
            tenant.committee.pk,
            member_id,
            kind,
            day,
            share,
            title[:200],
            self.types[source],
            source_id,
            at(day, 18),
            actor.pk if actor is not None else None,
            None,
            "",
        )

    def _dates(self, plan: Plan, tenant: Tenant, rng: random.Random) -> tuple[dt.date, dt.date]:
        """Submission day and the latest day the history may reach."""
        from lvzhi.proposals import demo

        S = demo.S
        if plan.year < self.today.year:
            end = dt.date(plan.year, 12, 20)
            if plan.plenary and plan.year in tenant.sessions:
                opening = tenant.sessions[plan.year][1]
                return opening - dt.timedelta(days=rng.randrange(1, 55)), end
            return dt.date(plan.year, 2, 10) + dt.timedelta(days=rng.randrange(240)), end
        plan.plenary = False
        if plan.state in (S.ASSIGNED, S.IN_HANDLING):
            back = 20 + rng.randrange(91)
            return self.today - dt.timedelta(days=back + 20), self.today
        span = max(30, demo.DEPTH[plan.state] * 25)
        start = self.today - dt.timedelta(days=span + rng.randrange(60))
        return max(start, dt.date(plan.year, 1, 3)), self.today

    def _proposal(
        self,
        tenant: Tenant,
        rng: random.Random,
        plan: Plan,
        kind: str,
        registered: list[tuple[dt.datetime, int, int]],
    ) -> None:
        from lvzhi.duties.models import DutyKind
        from lvzhi.proposals import demo
        from lvzhi.proposals.services._common import share_of

        S = demo.S
        staff, leader = tenant.staff, tenant.leader
        pk = self.ids.take("proposals_proposal")
        submitted_on, end = self._dates(plan, tenant, rng)
        submitted_on = max(submitted_on, self.term_start)
        if plan.proposer.start_date > submitted_on:
            plan.proposer = rng.choice(self.founders)
        plan.cosigners = [
            m for m in plan.cosigners if m.start_date <= submitted_on and m.pk != plan.proposer.pk
        ]
        category_index = rng.randrange(len(tenant.categories))
        topic = list(demo.TOPICS)[category_index % len(demo.TOPICS)]
        title = rng.choice(demo.TOPICS[topic]).format(p=tenant.committee.short_name[:-2])
        sector = None
        if kind == "sector":
            sector = plan.proposer.sector_id
            if sector is None:
                kind = "individual"
        on_behalf = ""
        if kind == "sector":
            on_behalf = "界别"
        elif kind == "party":
            on_behalf = "民盟"
        created = at(submitted_on - dt.timedelta(days=2), 9)
        f: dict[str, Any] = {
            "session": tenant.sessions[plan.year][0]
            if plan.plenary and plan.year in tenant.sessions
            else None,
            "number": None,
            "submitted_at": None,
            "registered_at": None,
            "return_reason": "",
            "decline_ground": None,
            "letter_unit": None,
            "merged_into": None,
            "round": 1,
            "replied_on": None,
            "evaluation_due": None,
            "is_key": False,
            "supervisor": None,
            "excellent_year": None,
        }
        last = created
        self.clock = created - dt.timedelta(minutes=1)
        self._event(tenant, pk, title, "create", S.DRAFT, S.DRAFT, created, None)
        confirmed = plan.state != S.DRAFT
        for member in plan.cosigners:
            self.t["cosigner"].add(
                pk,
                member.pk,
                "confirmed" if confirmed else "invited",
                at(submitted_on, 8) if confirmed else None,
            )
        status: str = S.DRAFT
        if plan.state != S.DRAFT:
            depth = demo.DEPTH[plan.state]
            day = submitted_on
            f["submitted_at"] = last = self._event(
                tenant, pk, title, "submit", S.DRAFT, S.SUBMITTED, at(day), None
            )
            self._duty(
                tenant, plan.proposer.pk, DutyKind.PROPOSAL_FILED, day, "proposal", pk, title, None
            )
            for member in plan.cosigners:
                self._duty(
                    tenant,
                    member.pk,
                    DutyKind.PROPOSAL_FILED,
                    day,
                    "proposal",
                    pk,
                    title,
                    None,
                    share_of(len(plan.cosigners)),
                )
            status = S.SUBMITTED
            if plan.state in (S.RETURNED, S.WITHDRAWN, S.DECLINED, S.MERGED):
                day = min(end, day + dt.timedelta(days=6))
                last = at(day)
                if plan.state == S.RETURNED:
                    f["return_reason"] = "建议部分过于笼统，请补充具体措施和调研数据。"
                    self._event(
                        tenant,
                        pk,
                        title,
                        "return",
                        status,
                        S.RETURNED,
                        last,
                        staff,
                        f["return_reason"],
                    )
                    status = S.RETURNED
                elif plan.state == S.WITHDRAWN:
                    self._event(
                        tenant,
                        pk,
                        title,
                        "withdraw",
                        status,
                        S.WITHDRAWN,
                        last,
                        None,
                        "与他人提案重复",
                    )
                    status = S.WITHDRAWN
                elif plan.state == S.DECLINED:
                    ground_id, ground = tenant.grounds[plan.index % len(tenant.grounds)]
                    f["decline_ground"] = ground_id
                    self._event(
                        tenant, pk, title, "decline", status, S.DECLINED, last, staff, ground
                    )
                    status = S.DECLINED
                    if rng.random() < 0.5:
                        unit = plan.units[0]
                        f["letter_unit"] = unit
                        last = at(day, 11)
                        self._event(
                            tenant,
                            pk,
                            title,
                            "convert",
                            S.DECLINED,
                            S.DECLINED,
                            last,
                            staff,
                            tenant.unit_names[unit],
                        )
                elif registered:
                    target_when, target, target_row = registered[-1]
                    target_title = self.t["proposal"].rows[target_row][4]
                    f["merged_into"] = target
                    self._event(
                        tenant, pk, title, "merge", status, S.MERGED, last, staff, target_title
                    )
                    target_status = self.t["proposal"].rows[target_row][11]
                    self._event(
                        tenant,
                        target,
                        target_title,
                        "merge_in",
                        target_status,
                        target_status,
                        max(last, target_when),
                        staff,
                        title,
                        own=False,
                    )
                    self._duty(
                        tenant,
                        plan.proposer.pk,
                        DutyKind.PROPOSAL_REGISTERED,
                        day,
                        "proposal",
                        pk,
                        title,
                        staff,
                    )
                    status = S.MERGED
            elif depth >= 2:
                day = min(end, day + dt.timedelta(days=8))
                f["registered_at"] = last = self._event(
                    tenant, pk, title, "register", status, S.REGISTERED, at(day), staff
                )
                self._duty(
                    tenant,
                    plan.proposer.pk,
                    DutyKind.PROPOSAL_REGISTERED,
                    day,
                    "proposal",
                    pk,
                    title,
                    staff,
                )
                status = S.REGISTERED
                if rng.random() < 0.08:
                    f["is_key"], f["supervisor"] = True, leader.pk if leader else None
                    last = at(day, 15)
                    self._event(
                        tenant,
                        pk,
                        title,
                        "mark_key",
                        status,
                        status,
                        last,
                        leader,
                        str(leader or ""),
                    )
                    self._duty(
                        tenant,
                        plan.proposer.pk,
                        DutyKind.PROPOSAL_KEY,
                        day,
                        "proposal",
                        pk,
                        title,
                        leader,
                    )
                if depth >= 3:
                    status, last = self._handle(tenant, rng, plan, pk, title, status, f, day, end)
                if plan.year < self.today.year and plan.state == S.CLOSED and rng.random() < 0.15:
                    f["excellent_year"] = plan.year
                    day = dt.date(plan.year, 12, 20)
                    self._duty(
                        tenant,
                        plan.proposer.pk,
                        DutyKind.PROPOSAL_EXCELLENT,
                        day,
                        "proposal",
                        pk,
                        title,
                        staff,
                    )
                    for member in plan.cosigners:
                        self._duty(
                            tenant,
                            member.pk,
                            DutyKind.PROPOSAL_EXCELLENT,
                            day,
                            "proposal",
                            pk,
                            title,
                            staff,
                            share_of(len(plan.cosigners)),
                        )
        row_index = len(self.t["proposal"].rows)
        if f["registered_at"] is not None:
            registered.append((f["registered_at"], pk, row_index))
        self.t["proposal"].add(
            pk,
            tenant.committee.pk,
            tenant.term_id,
            f["session"],
            title,
            tenant.categories[category_index],
            kind,
            on_behalf,
            demo.REASONS[plan.index % 2].format(p=tenant.committee.short_name[:-2]),
            demo.SUGGESTIONS[plan.index % 2],
            plan.proposer.pk,
            status,
            None,
            created,
            self.clock,
            f["submitted_at"],
            f["registered_at"],
            f["return_reason"],
            f["decline_ground"],
            f["letter_unit"],
            f["merged_into"],
            f["round"],
            f["replied_on"],
            f["evaluation_due"],
            f["is_key"],
            f["supervisor"],
            f["excellent_year"],
        )

    def _handle(
        self,
        tenant: Tenant,
        rng: random.Random,
        plan: Plan,
        pk: int,
        title: str,
        status: str,
        f: dict[str, Any],
        day: dt.date,
        end: dt.date,
    ) -> tuple[str, dt.datetime]:
        """Assignment to the end of the chain, as the demo's Builder does."""
        from lvzhi.proposals import demo

        S = demo.S
        staff = tenant.staff
        depth = demo.DEPTH[plan.state]
        if plan.year == self.today.year and plan.state in (S.ASSIGNED, S.IN_HANDLING):
            assigned_on = self.today - dt.timedelta(days=20 + rng.randrange(91))
            assigned_on = max(assigned_on, day)
        else:
            assigned_on = min(end, day + dt.timedelta(days=7))
        deadlines = self.deadlines.assignment(assigned_on)
        assignments: list[list[Any]] = []
        for n, unit in enumerate(plan.units):
            role = "lead" if n == 0 else "co"
            assignments.append(
                [
                    self.ids.take("proposals_assignment"),
                    tenant.committee.pk,
                    pk,
                    unit,
                    role,
                    "active",
                    assigned_on,
                    None,
                    deadlines["reassignment_due"],
                    deadlines["precontact_due"],
                    deadlines["reply_due"],
                    self.deadlines.co_opinion(assigned_on) if role == "co" else None,
                    None,
                    None,
                ]
            )
        lead = assignments[0]
        names = "、".join(
            f"{tenant.unit_names[a[3]]}（{'主办单位' if a[4] == 'lead' else '会办单位'}）"
            for a in assignments
        )
        last = at(assigned_on)
        self._event(tenant, pk, title, "assign", status, S.ASSIGNED, last, staff, names)
        status = S.ASSIGNED
        try:
            if depth < 4:
                return status, last
            accepted = min(end, assigned_on + dt.timedelta(days=2))
            lead[7] = accepted
            last = at(accepted)
            self._event(
                tenant,
                pk,
                title,
                "accept",
                status,
                S.IN_HANDLING,
                last,
                None,
                tenant.unit_names[lead[3]],
            )
            status = S.IN_HANDLING
            contact_day = min(end, assigned_on + dt.timedelta(days=12))
            if plan.index % 4 or depth > 5:
                self.t["precontact"].add(
                    lead[0],
                    contact_day,
                    "phone" if plan.index % 2 else "visit",
                    "与提案人沟通办理思路，听取意见。",
                    at(contact_day),
                    None,
                )
                last = at(contact_day)
                self._event(
                    tenant,
                    pk,
                    title,
                    "precontact",
                    status,
                    status,
                    last,
                    None,
                    tenant.unit_names[lead[3]],
                )
            for co in assignments[1:]:
                co_day = min(end, contact_day + dt.timedelta(days=5))
                self.t["opinion"].add(
                    co[0],
                    "我单位同意主办单位的办理意见，将在职责范围内配合落实。",
                    at(co_day),
                    None,
                )
                last = max(last, at(co_day, 11))
                self._event(
                    tenant,
                    pk,
                    title,
                    "co_opinion",
                    status,
                    status,
                    at(co_day, 11),
                    None,
                    tenant.unit_names[co[3]],
                )
            if depth < 6:
                return status, last
            late = plan.index % 9 == 0
            replied_on = min(
                end,
                lead[10] + dt.timedelta(days=6)
                if late
                else assigned_on + dt.timedelta(days=50 + plan.index % 30),
            )
            replied_on = max(replied_on, contact_day)
            rehandled = rng.random() < 0.08
            rounds = 2 if rehandled or plan.state == S.REHANDLING else 1
            weights = [45, 40, 15, *[10] * len(self.classes)][: len(self.classes)]
            chosen = rng.choices(self.classes, weights)[0]
            satisfaction = rng.choices(["satisfied", "basic", "dissatisfied"], [70, 25, 5])[0]
            for round_ in range(1, rounds + 1):
                self.t["reply"].add(
                    lead[0],
                    round_,
                    demo.REPLY_TEXT,
                    chosen["code"],
                    chosen["label"],
                    chosen["solved"],
                    chosen["code"],
                    chosen["label"],
                    "",
                    at(replied_on),
                    None,
                )
                last = at(replied_on, 11)
                self._event(
                    tenant,
                    pk,
                    title,
                    "reply",
                    status,
                    S.REPLIED,
                    last,
                    None,
                    f"{tenant.unit_names[lead[3]]}：{chosen['label']}",
                )
                status = S.REPLIED
                for a in assignments:
                    a[5], a[13] = "replied", replied_on
                f["replied_on"] = replied_on
                f["evaluation_due"] = self.deadlines.evaluation(replied_on)
                if plan.state == S.REPLIED:
                    return status, last
                eval_day = min(end, replied_on + dt.timedelta(days=5))
                last_round = round_ == rounds
                result = "dissatisfied" if not last_round else satisfaction
                if plan.state == S.REHANDLING and last_round:
                    result = "dissatisfied"
                self.t["evaluation"].add(
                    pk,
                    plan.proposer.pk,
                    round_,
                    "satisfied",
                    "satisfied",
                    result,
                    "" if result != "dissatisfied" else "答复未回应核心问题",
                    False,
                    at(eval_day, 14),
                )
                last = at(eval_day, 14)
                if result == "dissatisfied" and (not last_round or plan.state == S.REHANDLING):
                    self._event(
                        tenant,
                        pk,
                        title,
                        "evaluate_dissatisfied",
                        status,
                        S.REHANDLING,
                        last,
                        None,
                        "不满意",
                    )
                    status = S.REHANDLING
                    f["round"], f["evaluation_due"] = round_ + 1, None
                    lead[5], lead[10], lead[13] = (
                        "active",
                        self.deadlines.rehandling(eval_day),
                        None,
                    )
                    if plan.state == S.REHANDLING:
                        return status, last
                    replied_on = min(end, eval_day + dt.timedelta(days=20))
                    continue
                note = f"{plan.proposer.person.name}：{SATISFACTION[result]}"
                self._event(tenant, pk, title, "evaluate", status, S.EVALUATED, last, None, note)
                status = S.EVALUATED
            self.t["rating"].add(
                lead[0], ["good", "good", "fair", "poor"][plan.index % 4], "", last, None
            )
            if f["is_key"]:
                self.t["note"].add(
                    pk, "请主办单位加强与提案人沟通，确保办理质量。", f["supervisor"], last
                )
            if plan.state == S.CLOSED:
                close_day = min(end, replied_on + dt.timedelta(days=15))
                last = max(last, at(close_day, 16))
                self._event(tenant, pk, title, "close", status, S.CLOSED, last, staff)
                status = S.CLOSED
            return status, last
        finally:
            for a in assignments:
                self.t["assignment"].add(*a)

    # Activities --------------------------------------------------------------------

    def activities(self, tenant: Tenant, rng: random.Random) -> None:
        from lvzhi.duties.models import ActivityKind as K
        from lvzhi.org.models import Member

        members = tenant.members
        by_sector: dict[int | None, list[Any]] = {}
        by_special: dict[int, list[Any]] = {}
        for m in members:
            by_sector.setdefault(m.sector_id, []).append(m)
            for s in tenant.specials.get(m.pk, []):
                by_special.setdefault(s, []).append(m)
        standing = [m for m in members if m.position != Member.Position.MEMBER]
        place = tenant.committee.short_name
        for year in YEARS:
            plan: list[tuple[str, str, dt.datetime, int, dict[str, Any], list[Any]]] = []
            if year in tenant.sessions:
                opening = tenant.sessions[year][1]
                for half in range(4):
                    start = at(
                        opening + dt.timedelta(days=half // 2), 9 if half % 2 == 0 else 14, 30
                    )
                    title = f"{year}年全体会议第{half + 1}个半天"
                    plan.append((K.PLENARY, title, start, 4, {"scope": "all"}, members))
            for n in range(6):
                start = at(dt.date(year, 2 + n * 2, 10 + n), 9)
                plan.append(
                    (
                        K.STANDING,
                        f"{year}年常委会第{n + 1}次会议",
                        start,
                        1,
                        {"scope": "standing"},
                        standing,
                    )
                )
            kinds = (K.RESEARCH, K.INSPECTION, K.CONSULTATION, K.TRAINING)
            for s_index, special in enumerate(tenant.special_ids):
                for n in range(7):
                    month = 1 + (n * 12 // 7 + s_index) % 12
                    start = at(dt.date(year, month, 1 + (s_index * 3 + n) % 27), 9)
                    extra = {
                        "scope": "special_committee",
                        "scope_special_committee": special,
                        "organiser_kind": "special_committee",
                        "organiser_special_committee": special,
                    }
                    kind: str = kinds[n % len(kinds)]
                    plan.append(
                        (
                            kind,
                            f"{year}年专委会{KIND_NAMES[kind]}（{n + 1}）",
                            start,
                            1,
                            extra,
                            by_special.get(special, []),
                        )
                    )
            kinds_s = (
                K.RESEARCH,
                K.CONSULTATION,
                K.PUBLIC_SERVICE,
                K.REPORT_BACK,
                K.STUDY,
                K.OTHER,
            )
            for s_index, sector in enumerate(tenant.sectors):
                for n in range(6):
                    start = at(
                        dt.date(year, 1 + (n * 2 + s_index) % 12, 1 + (s_index + n * 5) % 27),
                        14,
                        30,
                    )
                    extra = {
                        "scope": "sector",
                        "scope_sector": sector,
                        "organiser_kind": "sector",
                        "organiser_sector": sector,
                    }
                    kind = kinds_s[n % len(kinds_s)]
                    plan.append(
                        (
                            kind,
                            f"{year}年界别{KIND_NAMES[kind]}（{n + 1}）",
                            start,
                            1,
                            extra,
                            by_sector.get(sector, []),
                        )
                    )
            for n in range(4):
                start = at(dt.date(year, 3 + n * 3, 18), 9)
                plan.append(
                    (K.STUDY, f"{year}年委员学习会（{n + 1}）", start, 1, {"scope": "all"}, members)
                )
            for kind, title, start, half_days, extra, invited in plan:
                self._activity(tenant, rng, kind, title, start, half_days, extra, invited, place)

    def _activity(
        self,
        tenant: Tenant,
        rng: random.Random,
        kind: str,
        title: str,
        start: dt.datetime,
        half_days: int,
        extra: dict[str, Any],
        invited: Sequence[Any],
        place: str,
    ) -> None:
        from lvzhi.duties.models import ABSENT_KIND, ATTENDED_KIND, EXCUSED_KIND
        from lvzhi.org.models import Member

        day = start.date()
        members = [
            m
            for m in invited
            if m.start_date <= day
            and (m.status == Member.Status.IN_OFFICE or (m.end_date and m.end_date >= day))
            and (day <= self.today or m.status == Member.Status.IN_OFFICE)
        ]
        if not members:
            return
        staff = tenant.staff
        pk = self.ids.take("duties_activity")
        end_at = start + dt.timedelta(hours=3)
        ended = end_at < self.now
        created = start - dt.timedelta(days=14)
        published = created + dt.timedelta(hours=2)
        # When it closed (for an open one, never read: no outcome is written).
        closed_at = end_at + dt.timedelta(days=1)
        committee_id = tenant.committee.pk
        self.t["activity"].add(
            pk,
            committee_id,
            kind,
            title,
            "",
            start,
            end_at,
            f"{place}机关会议室",
            half_days,
            extra.get("organiser_kind", "office"),
            extra.get("organiser_special_committee"),
            extra.get("organiser_sector"),
            None,
            None,
            extra["scope"],
            extra.get("scope_sector"),
            extra.get("scope_special_committee"),
            None,
            "closed" if ended else "published",
            staff.pk,
            created,
            closed_at if ended else published,
        )
        events = self.t["activity_event"]
        log = functools.partial(
            self.chain.log,
            actor=staff,
            object_type="duties.activity",
            object_id=pk,
            object_label=title,
            committee_id=committee_id,
        )
        events.add(pk, "", "draft", "create", staff.pk, "", EMPTY, created)
        log(action="duties.activity.create", when=created, detail={})
        events.add(pk, "draft", "published", "publish", staff.pk, "", EMPTY, published)
        log(
            action="duties.activity.publish",
            when=published,
            detail={"from_state": "draft", "to_state": "published", "invited": str(len(members))},
        )
        share = Decimal("1.0000")
        if kind == "plenary" and half_days > 1:
            share = (Decimal("1") / half_days).quantize(Decimal("0.0001"))
        outcomes: Counter[str] = Counter()
        invitations = self.t["invitation"]
        ievents = self.t["invitation_event"]
        for member in members:
            iid = self.ids.take("duties_invitation")
            ievents.add(iid, "", "invited", "invite", staff.pk, "", EMPTY, published)
            roll = rng.random()
            checked_in, method, reason = None, "", ""
            if not ended:
                state = (
                    "signed_up" if roll < 0.5 else ("leave_requested" if roll < 0.6 else "invited")
                )
                if state == "signed_up":
                    ievents.add(
                        iid,
                        "invited",
                        state,
                        "sign_up",
                        None,
                        "",
                        EMPTY,
                        published + dt.timedelta(days=1),
                    )
                elif state == "leave_requested":
                    reason = "工作冲突"
                    ievents.add(
                        iid,
                        "invited",
                        state,
                        "request_leave",
                        None,
                        reason,
                        EMPTY,
                        published + dt.timedelta(days=1),
                    )
                updated = published + dt.timedelta(days=1)
            elif roll < 0.8:
                state = "attended"
                if roll < 0.5:
                    checked_in, method = start - dt.timedelta(minutes=10), "qr"
                    ievents.add(iid, "invited", state, "check_in", None, "", EMPTY, checked_in)
                    updated = checked_in
                else:
                    method, updated = "manual", end_at
                    ievents.add(
                        iid,
                        "invited",
                        state,
                        "mark_attended",
                        staff.pk,
                        "会务组登记",
                        EMPTY,
                        end_at,
                    )
            elif roll < 0.9:
                state, method, reason = "excused", "closing", "工作冲突"
                asked = published + dt.timedelta(days=2)
                ievents.add(
                    iid, "invited", "leave_requested", "request_leave", None, reason, EMPTY, asked
                )
                ievents.add(
                    iid,
                    "leave_requested",
                    "leave_approved",
                    "approve_leave",
                    staff.pk,
                    "",
                    EMPTY,
                    asked + dt.timedelta(hours=3),
                )
                ievents.add(iid, "leave_approved", state, "close", staff.pk, "", EMPTY, closed_at)
                updated = closed_at
            else:
                state, method, updated = "absent", "closing", closed_at
                ievents.add(iid, "invited", state, "close", staff.pk, "", EMPTY, closed_at)
            invitations.add(
                iid, committee_id, pk, member.pk, state, reason, checked_in, method, updated
            )
            if ended:
                outcomes[state] += 1
                duty_kind = {
                    "attended": ATTENDED_KIND,
                    "excused": EXCUSED_KIND,
                    "absent": ABSENT_KIND,
                }[state].get(kind)
                if duty_kind is not None:
                    self.t["duty"].add(
                        committee_id,
                        member.pk,
                        duty_kind,
                        day,
                        share,
                        title,
                        self.types["activity"],
                        pk,
                        closed_at,
                        staff.pk,
                        None,
                        "",
                    )
        if ended:
            events.add(pk, "published", "closed", "close", staff.pk, "", EMPTY, closed_at)
            log(
                action="duties.activity.close",
                when=closed_at,
                detail={
                    "from_state": "published",
                    "to_state": "closed",
                    "outcomes": {k: str(v) for k, v in sorted(outcomes.items())},
                },
            )

    # Study notes ---------------------------------------------------------------------

    def study_notes(self, tenant: Tenant, rng: random.Random) -> None:
        from lvzhi.duties import demo as duties_demo
        from lvzhi.duties.models import DutyKind
        from lvzhi.org.models import Member

        for member in tenant.members:
            for year in YEARS:
                for n in range(NOTES_PER_YEAR):
                    day = dt.date(year, 2 + n * 3 + rng.randrange(3), 1 + rng.randrange(27))
                    if day > self.today or day < member.start_date:
                        continue
                    if member.status != Member.Status.IN_OFFICE and (
                        member.end_date is None or day > member.end_date
                    ):
                        continue
                    pk = self.ids.take("duties_studynote")
                    title = duties_demo.NOTE_TITLES[(n + year) % len(duties_demo.NOTE_TITLES)]
                    when = at(day, 20)
                    self.t["study_note"].add(
                        pk,
                        tenant.committee.pk,
                        member.pk,
                        title,
                        "结合本职工作谈学习体会。",
                        day,
                        when,
                        when,
                    )
                    self._duty(
                        tenant, member.pk, DutyKind.STUDY_NOTE, day, "study_note", pk, title, None
                    )


def detach(cursor: Any, tables: list[str]) -> list[str]:
    """Drop the foreign keys, unique constraints and secondary indexes of
    ``tables`` for the load (as a restore does) and return the statements
    that put them back. Putting them back checks every row: a foreign key
    is validated, a unique index refuses duplicates, so the invariants the
    database guards are checked once over the whole load instead of per row.
    Primary keys stay."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
        "FROM pg_constraint WHERE contype IN ('f', 'u') AND conrelid = ANY(%s::regclass[]) "
        "ORDER BY contype DESC, conrelid::regclass::text, conname",
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
        "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _definition, _kind in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    # Unique constraints ('u') before the foreign keys ('f'), as sorted above.
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition, _kind in constraints
    ]


# --- Search entries -------------------------------------------------------------------

# A proposal's text, units and names in one statement per committee, in the
# orders the ORM's prefetches give them (Assignment: reply_due, id; CoSigner: id).
PROPOSAL_TEXT_SQL = """
    SELECT p.id, p.committee_id, s.year, p.created_at, p.number, p.title, p.reason,
           p.suggestions, p.on_behalf_of, COALESCE(c.name, ''),
           ARRAY(SELECT u.name FROM proposals_assignment a
                 JOIN org_handlingunit u ON u.id = a.unit_id
                 WHERE a.proposal_id = p.id ORDER BY a.reply_due, a.id),
           ARRAY(SELECT pe.name FROM proposals_cosigner x
                 JOIN org_member m ON m.id = x.member_id JOIN org_person pe ON pe.id = m.person_id
                 WHERE x.proposal_id = p.id ORDER BY x.id),
           proposer.name
    FROM proposals_proposal p
    JOIN org_member pm ON pm.id = p.proposer_id
    JOIN org_person proposer ON proposer.id = pm.person_id
    LEFT JOIN org_plenarysession s ON s.id = p.session_id
    LEFT JOIN proposals_proposalcategory c ON c.id = p.category_id
    WHERE p.committee_id = %s ORDER BY p.id"""
ENTRY_COLUMNS = "committee_id, kind, object_id, year, title, body, tokens, terms, url, indexed_at"


def search_entries(committee_ids: list[int], stdout: Any = sys.stdout) -> int:
    """The proposals' search entries (lvzhi/assist), so the search and the
    similar proposals are measured on the dataset: each committee's
    proposals read in one statement, made into entries by the indexer's own
    ``proposal_entry`` (jieba; the generated texts repeat, and its line cache
    cuts each distinct line once) and written by COPY; then the proposals
    are marked indexed, as ``search_rebuild`` leaves them. Equal to what
    ``search_rebuild`` writes (tests/test_bench_province.py)."""
    from django.db import connection
    from django.utils import timezone

    from lvzhi.assist import indexing
    from lvzhi.assist.models import Kind
    from lvzhi.assist.sources import SOURCES, ProposalText, proposal_entry

    started, now = time.monotonic(), timezone.now()
    tops = indexing.top_ids(SOURCES[Kind.PROPOSAL])
    written = 0
    with connection.cursor() as cursor:
        for n, committee_id in enumerate(committee_ids):
            cursor.execute(PROPOSAL_TEXT_SQL, [committee_id])
            entries = [
                proposal_entry(
                    ProposalText(
                        pk=pk,
                        committee_id=committee,
                        year=session_year or created.year,
                        number=number,
                        title=title,
                        reason=reason,
                        suggestions=suggestions,
                        on_behalf_of=on_behalf,
                        category=category,
                        units=list(units),
                        names=[proposer, *cosigners],
                    )
                )
                for (
                    pk,
                    committee,
                    session_year,
                    created,
                    number,
                    title,
                    reason,
                    suggestions,
                    on_behalf,
                    category,
                    units,
                    cosigners,
                    proposer,
                ) in cursor.fetchall()
            ]
            sql = f"COPY assist_searchentry ({ENTRY_COLUMNS}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for e in entries:
                    copy.write_row(
                        (
                            e.committee_id,
                            Kind.PROPOSAL.value,
                            e.object_id,
                            e.year,
                            e.title,
                            e.body,
                            e.words,
                            e.terms,
                            e.url,
                            now,
                        )
                    )
            written += len(entries)
            if n % 10 == 0 or n == len(committee_ids) - 1:
                elapsed = time.monotonic() - started
                stdout.write(f"  search entries: {n + 1}/{len(committee_ids)}, {elapsed:.0f} s\n")
    indexing.mark_indexed(Kind.PROPOSAL, now, tops)
    return written


# --- Invariants ---------------------------------------------------------------------

# Each query counts the rows of the bench committees that break one rule (0: kept).
# ``%(c)s`` is the list of bench committee ids.
INVARIANT_SQL: dict[str, str] = {
    # Tenancy: every row's committee is the committee of what it points at.
    "proposal: term, proposer, category, session, ground, unit, merged-into in its committee": """
        SELECT count(*) FROM proposals_proposal p
        JOIN org_term t ON t.id = p.term_id
        JOIN org_member m ON m.id = p.proposer_id
        LEFT JOIN proposals_proposalcategory c ON c.id = p.category_id
        LEFT JOIN org_plenarysession s ON s.id = p.session_id
        LEFT JOIN proposals_declineground g ON g.id = p.decline_ground_id
        LEFT JOIN org_handlingunit u ON u.id = p.letter_unit_id
        LEFT JOIN proposals_proposal mi ON mi.id = p.merged_into_id
        WHERE p.committee_id = ANY(%(c)s) AND (t.committee_id <> p.committee_id
          OR m.committee_id <> p.committee_id OR m.term_id <> p.term_id
          OR c.committee_id <> p.committee_id OR s.committee_id <> p.committee_id
          OR g.committee_id <> p.committee_id OR u.committee_id <> p.committee_id
          OR mi.committee_id <> p.committee_id)""",
    "assignment: proposal and unit in its committee": """
        SELECT count(*) FROM proposals_assignment a
        JOIN proposals_proposal p ON p.id = a.proposal_id
        JOIN org_handlingunit u ON u.id = a.unit_id
        WHERE p.committee_id = ANY(%(c)s)
          AND (a.committee_id <> p.committee_id OR u.committee_id <> p.committee_id)""",
    "co-signer and evaluation: member of the proposal's committee": """
        SELECT (SELECT count(*) FROM proposals_cosigner x
                JOIN proposals_proposal p ON p.id = x.proposal_id
                JOIN org_member m ON m.id = x.member_id
                WHERE p.committee_id = ANY(%(c)s) AND m.committee_id <> p.committee_id)
             + (SELECT count(*) FROM proposals_evaluation x
                JOIN proposals_proposal p ON p.id = x.proposal_id
                JOIN org_member m ON m.id = x.member_id
                WHERE p.committee_id = ANY(%(c)s) AND m.committee_id <> p.committee_id)""",
    "invitation: activity and member in its committee": """
        SELECT count(*) FROM duties_invitation i
        JOIN duties_activity a ON a.id = i.activity_id
        JOIN org_member m ON m.id = i.member_id
        WHERE a.committee_id = ANY(%(c)s)
          AND (i.committee_id <> a.committee_id OR m.committee_id <> a.committee_id)""",
    "activity: organiser and scope in its committee": """
        SELECT count(*) FROM duties_activity a
        LEFT JOIN org_sector s ON s.id = a.scope_sector_id
        LEFT JOIN org_specialcommittee sc ON sc.id = a.scope_special_committee_id
        LEFT JOIN org_sector os ON os.id = a.organiser_sector_id
        LEFT JOIN org_specialcommittee osc ON osc.id = a.organiser_special_committee_id
        WHERE a.committee_id = ANY(%(c)s) AND (s.committee_id <> a.committee_id
          OR sc.committee_id <> a.committee_id OR os.committee_id <> a.committee_id
          OR osc.committee_id <> a.committee_id)""",
    "duty record: member and source in its committee, source exists": """
        SELECT count(*) FROM duties_dutyrecord r
        JOIN org_member m ON m.id = r.member_id
        LEFT JOIN proposals_proposal p ON r.source_type_id = %(proposal)s AND p.id = r.source_id
        LEFT JOIN duties_activity a ON r.source_type_id = %(activity)s AND a.id = r.source_id
        LEFT JOIN duties_studynote n ON r.source_type_id = %(study_note)s AND n.id = r.source_id
        WHERE r.committee_id = ANY(%(c)s) AND (m.committee_id <> r.committee_id
          OR COALESCE(p.committee_id, a.committee_id, n.committee_id) IS DISTINCT FROM
             r.committee_id)""",
    "duty record: share in (0, 1]": """
        SELECT count(*) FROM duties_dutyrecord
        WHERE committee_id = ANY(%(c)s) AND NOT (share > 0 AND share <= 1)""",
    "duty record of an activity: the member's invitation ended in that outcome": """
        SELECT count(*) FROM duties_dutyrecord r
        LEFT JOIN duties_invitation i ON i.activity_id = r.source_id AND i.member_id = r.member_id
          AND i.state IN ('attended', 'excused', 'absent')
        WHERE r.committee_id = ANY(%(c)s) AND r.source_type_id = %(activity)s AND i.id IS NULL""",
    "proposal filed: the lead's share 1, each co-signer's 1/n rounded down": """
        SELECT count(*) FROM duties_dutyrecord r
        JOIN proposals_proposal p ON p.id = r.source_id
        WHERE r.committee_id = ANY(%(c)s) AND r.source_type_id = %(proposal)s
          AND r.kind = 'proposal_filed' AND r.share <> CASE WHEN r.member_id = p.proposer_id
            THEN 1 ELSE trunc(1.0 / (SELECT count(*) FROM proposals_cosigner x
                                      WHERE x.proposal_id = p.id), 4) END""",
    "audit row of a proposal or activity: in the object's committee": """
        SELECT count(*) FROM core_auditevent e
        LEFT JOIN proposals_proposal p ON e.object_type = 'proposals.proposal'
          AND p.id = e.object_id::bigint
        LEFT JOIN duties_activity a ON e.object_type = 'duties.activity'
          AND a.id = e.object_id::bigint
        WHERE e.committee_id = ANY(%(c)s)
          AND e.object_type IN ('proposals.proposal', 'duties.activity')
          AND COALESCE(p.committee_id, a.committee_id) IS DISTINCT FROM e.committee_id""",
    # Numbering: 1..n in order of registration, numbered exactly when registered.
    "numbering: 1..n per committee and term, counter at n": """
        SELECT count(*) FROM (
          SELECT p.committee_id, p.term_id, count(p.number) AS n, max(p.number) AS top,
                 count(DISTINCT p.number) AS d, max(k.last_number) AS counter
          FROM proposals_proposal p
          LEFT JOIN proposals_numbercounter k
            ON k.committee_id = p.committee_id AND k.term_id = p.term_id
          WHERE p.committee_id = ANY(%(c)s) GROUP BY p.committee_id, p.term_id) x
        WHERE n <> d OR COALESCE(top, 0) <> n OR COALESCE(counter, 0) <> n""",
    "numbering: numbered exactly when registered": """
        SELECT count(*) FROM proposals_proposal WHERE committee_id = ANY(%(c)s)
          AND (number IS NULL) <> (registered_at IS NULL)""",
    # States: the timeline ends in the state; assignments agree with it.
    "state: the last event's target is the proposal's state": """
        SELECT count(*) FROM proposals_proposal p
        JOIN LATERAL (SELECT e.to_state FROM proposals_proposalevent e WHERE e.proposal_id = p.id
                      ORDER BY e.created_at DESC, e.id DESC LIMIT 1) last ON true
        WHERE p.committee_id = ANY(%(c)s) AND last.to_state <> p.status""",
    "state: assignments exist exactly from 'assigned' on, an open one while in handling": """
        SELECT count(*) FROM proposals_proposal p
        LEFT JOIN LATERAL (SELECT count(*) AS n,
                                  count(*) FILTER (WHERE a.state = 'active') AS open,
                                  count(*) FILTER (WHERE a.role = 'lead') AS leads,
                                  bool_or(a.role = 'lead' AND a.accepted_on IS NOT NULL) AS accepted
                           FROM proposals_assignment a WHERE a.proposal_id = p.id) a ON true
        WHERE p.committee_id = ANY(%(c)s) AND CASE
          WHEN p.status IN ('draft', 'submitted', 'returned', 'withdrawn', 'declined', 'merged',
                            'registered') THEN a.n <> 0
          WHEN p.status = 'assigned' THEN a.leads <> 1 OR a.open = 0 OR a.accepted
          WHEN p.status IN ('in_handling', 'rehandling') THEN a.leads <> 1 OR a.open = 0
                                                          OR NOT a.accepted
          ELSE a.leads <> 1 OR a.open <> 0 OR p.replied_on IS NULL END""",
}


def invariants() -> dict[str, int]:
    """Each rule the dataset keeps, with the number of rows that break it
    (all 0 on a sound build); the deadlines and the scores are checked
    against the app's own functions."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from lvzhi.duties import tally
    from lvzhi.duties.models import Activity, StudyNote
    from lvzhi.org.models import Committee
    from lvzhi.points import scoring
    from lvzhi.points.models import MemberScore, Policy
    from lvzhi.proposals import workflow
    from lvzhi.proposals.models import Assignment, Proposal

    committees = list(
        Committee.objects.filter(code__startswith=PREFIX).values_list("pk", flat=True)
    )
    params: dict[str, Any] = {
        "c": committees,
        "proposal": ContentType.objects.get_for_model(Proposal).pk,
        "activity": ContentType.objects.get_for_model(Activity).pk,
        "study_note": ContentType.objects.get_for_model(StudyNote).pk,
    }
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for label, sql in INVARIANT_SQL.items():
            cursor.execute(sql, params)
            found[label] = cursor.fetchone()[0]
    province = Committee.objects.get(code=PROVINCE_CODE)
    # Deadlines: every distinct (day, dates) pair against the app's functions.
    first_round = Assignment.objects.filter(committee_id__in=committees, proposal__round=1)
    wrong = 0
    for day, *dates in (
        first_round.order_by()  # no ordering columns in the DISTINCT
        .values_list("assigned_on", "reassignment_due", "precontact_due", "reply_due")
        .distinct()
    ):
        expected = workflow.assignment_deadlines(day, province)
        wrong += dates != [expected[k] for k in ("reassignment_due", "precontact_due", "reply_due")]
    for replied, due in (
        Proposal.objects.filter(committee_id__in=committees, evaluation_due__isnull=False)
        .order_by()
        .values_list("replied_on", "evaluation_due")
        .distinct()
    ):
        wrong += replied is None or due != workflow.evaluation_due(replied, province)
    found["deadlines: as proposals.workflow computes them (working days)"] = wrong
    # Scores: what a recalculation would store now.
    wrong = 0
    for policy in Policy.objects.filter(committee_id__in=committees, status=Policy.Status.ACTIVE):
        results = scoring.evaluate_all(policy)
        stored = dict(
            MemberScore.objects.filter(
                committee_id=policy.committee_id, year=policy.year
            ).values_list("member_id", "score")
        )
        wrong += sum(1 for pk, r in results.items() if stored.get(pk) != r.score)
    found["scores: equal to a recalculation"] = wrong
    for table, count in tally.mismatches().items():
        found[f"{table}: equal to a recount"] = count
    return found


# --- The build -------------------------------------------------------------------------


# The planner settings of deploy/postgresql.conf a database can take on its own
# (shared_buffers needs a server restart): measured pages then get the plans a
# deployment on SSD gets, e.g. an index lookup of a committee's replies instead
# of a scan of the province's (random_page_cost 4, the server default, prefers it).
DEPLOY_PLANNER = {"random_page_cost": "1.1", "effective_cache_size": "16GB", "work_mem": "32MB"}


def tune_like_deploy() -> None:
    """Give this database the planner settings of deploy/postgresql.conf
    (for the connections opened after this one)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for name, value in DEPLOY_PLANNER.items():
            cursor.execute(
                f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
                f"SET {name} = %s",
                [value],
            )
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])


def exists() -> bool:
    from lvzhi.org.models import Committee

    return Committee.objects.filter(code=PROVINCE_CODE).exists()


def build(
    fraction: float = 1.0,
    *,
    seat_scale: float = 1.0,
    stdout: Any = sys.stdout,
) -> dict[str, Any]:
    """Build the dataset (in one transaction); returns the row counts and timings."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from lvzhi.core.models import AuditChainHead, CommitteeSetting
    from lvzhi.duties import tally
    from lvzhi.duties.models import Activity, StudyNote
    from lvzhi.points import scoring
    from lvzhi.points.models import Policy
    from lvzhi.proposals.models import NumberCounter, Proposal
    from lvzhi.proposals.settings_defs import answer_classes

    refuse_sqlite()
    if exists():
        raise SystemExit(f"the province dataset ({PROVINCE_CODE}) is there already")
    timings: dict[str, float] = {}
    started = time.monotonic()
    today = timezone.localdate()
    with transaction.atomic():
        specs = committee_specs(fraction, seat_scale)
        stdout.write(f"province: {len(specs)} committees\n")
        tenants = build_skeleton(specs, stdout)
        timings["skeleton (ORM)"] = time.monotonic() - started
        ids_of = [t.committee.pk for t in tenants]
        if CommitteeSetting.objects.filter(committee_id__in=ids_of).exists():
            raise RuntimeError("a bench committee overrides a setting: deadlines are cached")
        bulk_started = time.monotonic()
        types = {
            "proposal": ContentType.objects.get_for_model(Proposal).pk,
            "activity": ContentType.objects.get_for_model(Activity).pk,
            "study_note": ContentType.objects.get_for_model(StudyNote).pk,
        }
        province = tenants[0].committee
        classes = answer_classes(province)
        deadlines = Deadlines(province)
        tables = _tables()
        with connection.cursor() as cursor:
            # The skeleton's deferred checks now, so its tables can be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            raw = cursor.cursor
            restore = detach(cursor, [t.name for t in tables.values()])
            # A seal's insert moves the chain head (core 0013): two million
            # updates of one row in one transaction; the head is moved once
            # at the end instead.
            cursor.execute("ALTER TABLE core_auditseal DISABLE TRIGGER core_auditseal_moves_head")
            restore.append("ALTER TABLE core_auditseal ENABLE TRIGGER core_auditseal_moves_head")
            ids = Ids(cursor)
            head = AuditChainHead.locked()
            chain = Chain(
                tables["audit"],
                tables["audit_seal"],
                ids,
                head.seq,
                head.last_hash,
                random.Random(SEED + 2),
            )
            builder = Builder(tables, ids, chain, deadlines, types, classes, today)
            counters = []
            for n, tenant in enumerate(tenants):
                rng = random.Random(f"{SEED}:{tenant.committee.code}")
                in_office = sum(1 for m in tenant.members if m.status == "in_office")
                builder.proposals(tenant, rng, round(in_office * PROPOSALS_PER_SEAT))
                counters.append((tenant, builder.last_number))
                builder.activities(tenant, rng)
                builder.study_notes(tenant, rng)
                # Parents before children (the foreign keys are checked per statement).
                for table in tables.values():
                    table.flush(raw)
                if n % 10 == 0 or n == len(tenants) - 1:
                    elapsed = time.monotonic() - bulk_started
                    stdout.write(f"  bulk: {n + 1}/{len(tenants)} committees, {elapsed:.0f} s\n")
            ids.finish()
            head.seq, head.last_hash = chain.seq, chain.last_hash
            head.save(update_fields=["seq", "last_hash"])
            timings["bulk (COPY)"] = time.monotonic() - bulk_started
            restore_started = time.monotonic()
            for statement in restore:
                cursor.execute(statement)
            timings["indexes and constraints (re-created, checked)"] = (
                time.monotonic() - restore_started
            )
        for tenant, last_number in counters:
            NumberCounter.objects.update_or_create(
                committee=tenant.committee,
                term_id=tenant.term_id,
                defaults={"last_number": last_number},
            )
        score_started = time.monotonic()
        scored = 0
        for policy in Policy.objects.filter(
            committee_id__in=ids_of, status=Policy.Status.ACTIVE
        ).order_by("committee_id", "year"):
            scored += scoring.recalculate(policy)
        timings["scores (recalculate)"] = time.monotonic() - score_started
        # The duties app's summary rows (duties.tally), by its own set-based recount.
        tally_started = time.monotonic()
        tallied = tally.rebuild()
        timings["duty and invitation tallies (rebuild)"] = time.monotonic() - tally_started
        search_started = time.monotonic()
        entries = search_entries(ids_of, stdout)
        timings["search entries (assist)"] = time.monotonic() - search_started
    analyze_started = time.monotonic()
    with connection.cursor() as cursor:
        for name in [*(table.name for table in tables.values()), *tallied, "assist_searchentry"]:
            cursor.execute(f"ANALYZE {name}")
    timings["analyze"] = time.monotonic() - analyze_started
    timings["total"] = time.monotonic() - started
    counts: dict[str, Any] = {"committees": len(tenants)}
    counts["members in office (current term)"] = sum(
        1 for t in tenants for m in t.members if m.status == "in_office"
    )
    counts.update({table.name: table.total for table in tables.values()})
    for table in tables.values():
        timings[f"  COPY {table.name}"] = table.seconds
    counts["member scores"] = scored
    counts.update(tallied)
    counts["assist_searchentry (proposals)"] = entries
    return {"counts": counts, "timings": timings}


def add_search_entries() -> None:
    """The search entries of a dataset built without them (in one transaction)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from lvzhi.assist.models import Kind, SearchEntry
    from lvzhi.org.models import Committee

    call_command("migrate", verbosity=0, interactive=False)
    bench = Committee.objects.filter(code__startswith=PREFIX).order_by("id")
    ids = list(bench.values_list("pk", flat=True))
    if SearchEntry.objects.filter(kind=Kind.PROPOSAL, committee_id__in=ids).exists():
        print("the dataset's proposals have search entries already: nothing to do")
        return
    started = time.monotonic()
    with transaction.atomic():
        written = search_entries(ids)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assist_searchentry")
    print(f"search entries: {written:,} in {time.monotonic() - started:.0f} s")


def print_report(report: dict[str, Any], write: Callable[[str], object] = print) -> None:
    for label, count in report["counts"].items():
        write(f"{label:>34}: {count:,}")
    for label, seconds in report["timings"].items():
        write(f"{label:>34}: {seconds:,.1f} s")


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fraction", type=float, default=1.0, help="share of the cities and counties"
    )
    parser.add_argument("--seat-scale", type=float, default=1.0, help="share of each roster")
    parser.add_argument(
        "--check", action="store_true", help="check the invariants of the built dataset"
    )
    parser.add_argument(
        "--search-entries",
        action="store_true",
        help="only write the proposals' search entries (a dataset built before they were)",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    generate.setup_django()
    refuse_sqlite()
    if args.search_entries:
        add_search_entries()
        return
    if args.check:
        broken = 0
        for label, count in invariants().items():
            print(f"{count:>8}  {label}")
            broken += count
        raise SystemExit(1 if broken else 0)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if exists():
        print(f"province dataset ({PROVINCE_CODE}) already there: nothing to do")
        return
    print_report(build(args.fraction, seat_scale=args.seat_scale))


if __name__ == "__main__":
    main()
