"""The scores of a committee's members for a year, computed set-based.

SQL groups the year's live duty records (``member_groups``: one GROUP BY
over member, kind and ledger share; a second one, with the place of each
record in its joint work and the year of the record it is dated by, only
for the kinds whose scheme asks for roles or another record's year); the
policy language (``language.evaluate``) is then applied per member to those
grouped counts, in exact fractions. The same grouped counts serve the
preview of a draft (no write) and the recalculation (one UPDATE of every
score row of the year), so a preview cannot disagree with the result, and
the number of queries does not depend on the number of members or records.
``explain`` shows one member's records next to the same evaluation."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.duties.models import KIND_CATEGORY, DutyCategory, DutyKind, DutyRecord
from lvzhi.org.models import Member
from lvzhi.points import language, schemefile
from lvzhi.points.language import Group, MemberYear, Scheme
from lvzhi.points.models import Grade, MemberScore, Policy, PolicyEntry, Requirement

ZERO = Decimal("0")


# --- The scheme of a policy ---------------------------------------------------------------


def simple_scheme(policy: Policy) -> Scheme:
    """The policy language for a policy kept in the simple fields (points per
    duty kind, caps per category, base, maximum, two thresholds): one part,
    a category per duty category, a kind per ledger event."""
    points = {p.kind: Fraction(p.points) for p in policy.kind_points.all()}
    caps = {c.category: Fraction(c.cap) for c in policy.caps.all()}
    return Scheme(
        name=policy.name,
        parts=(language.Part("total", str(_("Score")), base=Fraction(policy.base_score)),),
        categories=tuple(
            language.Category(c.value, str(c.label), "total", cap=caps.get(c.value))
            for c in DutyCategory
        ),
        kinds=tuple(
            language.Kind(
                code=k.value,
                label=str(k.label),
                category=KIND_CATEGORY.get(k.value, DutyCategory.OTHER),
                points=points[k.value],
                events=(k.value,),
            )
            for k in DutyKind
            if k.value in points
        ),
        grades=(
            language.Grade(
                Grade.EXCELLENT, str(Grade.EXCELLENT.label), Fraction(policy.excellent_threshold)
            ),
            language.Grade(
                Grade.COMPETENT, str(Grade.COMPETENT.label), Fraction(policy.competent_threshold)
            ),
            language.Grade(Grade.NOT_COMPETENT, str(Grade.NOT_COMPETENT.label), Fraction(0)),
        ),
        minimum=Fraction(0),
        maximum=Fraction(policy.max_score),
    )


def scheme_of(policy: Policy) -> Scheme:
    """The rules of a policy: its scheme document, else its simple fields."""
    if policy.scheme:
        return schemefile.load(policy.scheme)
    return simple_scheme(policy)


def scored_members(committee_id: int) -> QuerySet[Member]:
    """Members who get a score: in office in the committee's current term."""
    return Member.objects.filter(
        committee_id=committee_id, status=Member.Status.IN_OFFICE, term__is_current=True
    )


# --- A year's duties, grouped in SQL ------------------------------------------------------


def _special_kinds(scheme: Scheme) -> dict[str, language.Kind]:
    """Events of kinds that need a record's place in its joint work or another
    record's date (the grouped read looks their works up)."""
    return {
        event: kind
        for kind in scheme.kinds
        if kind.roles is not None or kind.year_of
        for event in kind.events
    }


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def _live(committee_id: int, member_ids: list[int] | None) -> QuerySet[DutyRecord]:
    rows = DutyRecord.objects.filter(committee_id=committee_id, withdrawn_at__isnull=True)
    if member_ids is not None:
        rows = rows.filter(member_id__in=member_ids)
    return rows


def _in_work(
    scheme: Scheme, year: int, rows: QuerySet[DutyRecord], events: list[str]
) -> QuerySet[DutyRecord]:
    """The records of ``events`` that count in ``year``, each with its place
    in its work (0: the lead, the first recorded), the size of the work and
    the date that counts (``counts_on``: another record's, if the kind says),
    by correlated counts: one member's records for ``explain``, and the
    reference the grouped read is tested against."""
    special = _special_kinds(scheme)
    start, end = _year_range(year)
    same_work = DutyRecord.objects.filter(
        source_type_id=OuterRef("source_type_id"),
        source_id=OuterRef("source_id"),
        kind=OuterRef("kind"),
        withdrawn_at__isnull=True,
    ).order_by()
    counted = same_work.values("kind").annotate(c=Count("id")).values("c")
    place = Coalesce(Subquery(counted.filter(id__lt=OuterRef("id"))[:1]), Value(0))
    size = Subquery(counted[:1])
    dated_by = [(event, kind.year_of) for event, kind in special.items() if kind.year_of]
    date_of: Any = F("date")
    if dated_by:
        whens = []
        for event, year_of in dated_by:
            other = (
                DutyRecord.objects.filter(
                    source_type_id=OuterRef("source_type_id"),
                    source_id=OuterRef("source_id"),
                    kind=year_of,
                    withdrawn_at__isnull=True,
                )
                .order_by()
                .values("source_id")
                .annotate(d=Min("date"))
                .values("d")
            )
            whens.append(When(kind=event, then=Coalesce(Subquery(other[:1]), F("date"))))
        date_of = Case(*whens, default=F("date"))
    return (
        rows.filter(kind__in=events, date__gte=start - dt.timedelta(days=366))
        .annotate(counts_on=date_of, place=place, size=size)
        .filter(counts_on__gte=start, counts_on__lt=end)
    )


PLACE = 1_000_000  # the grouped read gives a record's work as place × PLACE + size


class _GroupedRead:
    """One statement grouping the year's live records over member, event,
    ledger share, place in joint work (0: the lead, the first recorded of the
    same source and kind) and size of the work — one column, place × PLACE +
    size — with a count. The place and
    size count every live record of the work — the lead may be another
    member's, of another committee or recorded in another year — and a kind
    with ``year_of`` counts in the year of its source's first record of that
    event. Equal to ``_in_work``'s correlated counts, record by record
    (tests/test_recomputation.py).

    The duty ledger has no index on the event, so every read of the year's
    records costs about one raw GROUP BY; two plans, measured
    (docs/points.md, "Recomputation speed"):

    * ``scanned`` (SQLite): one scan of the year's records; only the records
      of kinds with roles or ``year_of`` run a correlated lookup through the
      (source type, source) index. SQLite reads a second scan of the year's
      records slower than those lookups.
    * ``windowed`` (PostgreSQL): two grouped SELECTs joined by UNION ALL —
      the plain events; the events with roles or ``year_of`` through their
      works (the distinct sources of the year's records, every live record
      of each joined back by the index and ranked by window functions).
      PostgreSQL runs a correlated lookup per record ~4× slower than a hash
      join and a sort."""

    def __init__(
        self, scheme: Scheme, committee_id: int, year: int, member_ids: list[int] | None
    ) -> None:
        self.table = DutyRecord._meta.db_table  # every value in the SQL is a parameter
        self.committee_id = committee_id
        self.member_ids = member_ids
        special = _special_kinds(scheme)
        self.events = list(scheme.kind_of_event())
        self.special = list(special)
        self.plain = [e for e in self.events if e not in special]
        self.roles = [e for e, k in special.items() if k.roles is not None]
        self.dated = {e: k.year_of for e, k in special.items() if k.year_of}
        self.targets = sorted(set(self.dated.values()))
        start, end = _year_range(year)
        day = connection.ops.adapt_datefield_value
        self.first, self.last = day(start), day(end)
        self.last_day = day(end - dt.timedelta(days=1))
        self.before = day(start - dt.timedelta(days=366))

    @staticmethod
    def marks(values: list[Any]) -> str:
        return ", ".join(["%s"] * len(values))

    def members(self, alias: str) -> tuple[str, list[Any]]:
        if self.member_ids is None:
            return "", []
        return f" AND {alias}.member_id IN ({self.marks(self.member_ids)})", list(self.member_ids)

    def candidate(self, alias: str, events: list[str]) -> tuple[str, list[Any]]:
        """``alias``'s row is one of ``events`` that may count in the year: its
        own date in the year or, dated by another record, within a year before."""
        undated = [e for e in events if e not in self.dated]
        dated = [e for e in events if e in self.dated]
        ranges, values = [], []
        if undated:
            ranges.append(
                f"{alias}.kind IN ({self.marks(undated)}) AND {alias}.date >= %s "
                f"AND {alias}.date < %s"
            )
            values += [*undated, self.first, self.last]
        if dated:
            ranges.append(f"{alias}.kind IN ({self.marks(dated)}) AND {alias}.date >= %s")
            values += [*dated, self.before]
        where, extra = self.members(alias)
        sql = (
            f"{alias}.committee_id = %s AND {alias}.withdrawn_at IS NULL{where} "
            f"AND (({') OR ('.join(ranges)}))"
        )
        return sql, [self.committee_id, *extra, *values]

    def counts_on(self, alias: str, date_of: Any) -> tuple[str, list[Any]]:
        """The date that counts for ``alias``'s row (``date_of(i)``: the SQL
        of the date of its source's first record of ``targets[i]``)."""
        if not self.dated:
            return f"{alias}.date", []
        whens = " ".join(
            f"WHEN %s THEN COALESCE({date_of(self.targets.index(t))}, {alias}.date)"
            for t in self.dated.values()
        )
        return f"CASE {alias}.kind {whens} ELSE {alias}.date END", list(self.dated)

    def scanned(self) -> tuple[str, list[Any]]:
        t = self.table
        same_work = (
            f"FROM {t} p WHERE p.source_type_id = r.source_type_id AND p.source_id = r.source_id "
            "AND p.withdrawn_at IS NULL"
        )
        params: list[Any] = []
        ps = "1"
        if self.roles:
            ps = (
                f"CASE WHEN r.kind IN ({self.marks(self.roles)}) THEN (SELECT "
                f"SUM(CASE WHEN p.id < r.id THEN 1 ELSE 0 END) * {PLACE} + COUNT(*) "
                f"{same_work} AND p.kind = r.kind) ELSE 1 END"
            )
            params += self.roles
        on, on_params = self.counts_on(
            "r", lambda i: f"(SELECT MIN(p.date) {same_work} AND p.kind = %s)"
        )
        # The target events' parameters sit inside each WHEN, after its event.
        if self.dated:
            on_params = [v for e in self.dated for v in (e, self.dated[e])]
        where, where_params = self.candidate("r", self.events)
        # ``ps`` once in the output and the key: SQLite flattens the
        # subquery and would run the lookup once per mention.
        sql = (
            "SELECT member_id, kind, share, ps, COUNT(*) "  # noqa: S608
            f"FROM (SELECT r.member_id, r.kind, r.share, {ps} AS ps, {on} AS counts_on "
            f"FROM {t} r WHERE {where}) x "
            "WHERE counts_on BETWEEN %s AND %s GROUP BY member_id, kind, share, ps"
        )
        return sql, [*params, *on_params, *where_params, self.first, self.last_day]

    def windowed(self) -> tuple[str, list[Any]]:
        t = self.table
        selects: list[str] = []
        params: list[Any] = []
        if self.plain:
            where, where_params = self.candidate("r", self.plain)
            selects.append(
                f"SELECT r.member_id, r.kind, r.share, 1, COUNT(*) FROM {t} r "  # noqa: S608
                f"WHERE {where} GROUP BY r.member_id, r.kind, r.share"
            )
            params += where_params
        if self.special:
            work = "PARTITION BY o.source_type_id, o.source_id, o.kind ORDER BY o.id"
            place, size, window_params = "0", "1", []
            if self.roles:
                role = f"CASE WHEN o.kind IN ({self.marks(self.roles)})"
                place = f"{role} THEN ROW_NUMBER() OVER ({work}) - 1 ELSE 0 END"
                size = (
                    f"{role} THEN COUNT(*) OVER ({work} ROWS BETWEEN UNBOUNDED PRECEDING "
                    "AND UNBOUNDED FOLLOWING) ELSE 1 END"
                )
                window_params = [*self.roles, *self.roles]
            dates = "".join(
                f", MIN(CASE WHEN o.kind = %s THEN o.date END) "
                f"OVER (PARTITION BY o.source_type_id, o.source_id) AS d{i}"
                for i in range(len(self.targets))
            )
            on, on_params = self.counts_on("x", lambda i: f"x.d{i}")
            events = sorted(set(self.special) | set(self.targets))
            y_where, y_params = self.candidate("y", self.special)
            x_where, x_params = self.candidate("x", self.special)
            selects.append(
                f"SELECT x.member_id, x.kind, x.share, x.place * {PLACE} + x.size, COUNT(*) "  # noqa: S608
                "FROM ("
                "SELECT o.committee_id, o.member_id, o.kind, o.share, o.date, o.withdrawn_at, "
                f"{place} AS place, {size} AS size{dates} "
                f"FROM (SELECT DISTINCT y.source_type_id, y.source_id FROM {t} y "
                f"WHERE {y_where}) k "
                f"JOIN {t} o ON o.source_type_id = k.source_type_id AND o.source_id = k.source_id "
                f"WHERE o.withdrawn_at IS NULL AND o.kind IN ({self.marks(events)})"
                f") x WHERE {x_where} AND {on} >= %s AND {on} < %s "
                "GROUP BY x.member_id, x.kind, x.share, x.place, x.size"
            )
            params += [
                *window_params,
                *self.targets,
                *y_params,
                *events,
                *x_params,
                *on_params,
                self.first,
                *on_params,
                self.last,
            ]
        return " UNION ALL ".join(selects), params


def _grouped_sql(
    scheme: Scheme,
    committee_id: int,
    year: int,
    member_ids: list[int] | None,
    *,
    windowed: bool | None = None,
) -> tuple[str, list[Any]]:
    """The grouped read (``_GroupedRead``) in the plan measured best for
    the database: windowed on PostgreSQL, scanned on SQLite."""
    read = _GroupedRead(scheme, committee_id, year, member_ids)
    if windowed is None:
        windowed = connection.vendor != "sqlite"
    return read.windowed() if windowed else read.scanned()


def member_years(
    scheme: Scheme,
    committee_id: int,
    year: int,
    member_ids: list[int] | None = None,
) -> dict[int, MemberYear]:
    """Every scored member's year as the language reads it (or some
    members', the ledger listener's), in three queries whatever the number
    of members or records: the members, one grouped read of their records
    (``_grouped_sql``) and the staff entries."""
    members = scored_members(committee_id)
    if member_ids is not None:
        members = Member.objects.filter(committee_id=committee_id, pk__in=member_ids)
    years = {
        pk: MemberYear(position=p) for pk, p in members.order_by().values_list("pk", "position")
    }
    ids = None if member_ids is None else list(years)
    kinds = scheme.kind_of_event()
    if kinds and years:
        sql, params = _grouped_sql(scheme, committee_id, year, ids)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        shares: dict[Any, Fraction] = {}
        for member_id, event, share, work, n in rows:
            year_of = years.get(member_id)
            if year_of is None:
                continue
            weight = shares.get(share)
            if weight is None:  # SQLite gives a float, PostgreSQL a Decimal
                weight = shares[share] = language.unit_share(Decimal(str(share)))
            place, size = divmod(work, PLACE)
            year_of.groups.append(Group(kinds[event].code, n, weight, place, size))
    _add_entries(years, committee_id, year, ids)
    return years


def _add_entries(
    years: dict[int, MemberYear], committee_id: int, year: int, ids: list[int] | None
) -> None:
    """What staff recorded by hand, into the members' years (one query)."""
    entries = PolicyEntry.objects.filter(committee_id=committee_id, year=year)
    if ids is not None:
        entries = entries.filter(member_id__in=ids)
    for member_id, kind, code, points in entries.values_list("member_id", "type", "code", "points"):
        if member_id not in years:
            continue
        if kind == PolicyEntry.Type.DUTY:
            years[member_id].groups.append(Group(code, 1))
        elif kind == PolicyEntry.Type.ADJUSTMENT:
            years[member_id].adjustments.append(Fraction(points))
        else:
            years[member_id].vetoes.append(code)


def evaluate_all(
    policy: Policy,
    member_ids: list[int] | None = None,
    scheme: Scheme | None = None,
) -> dict[int, language.Outcome]:
    """Each member's score, grade and label (``language.outcomes``: what
    ``language.evaluate`` gives, for all of them at once)."""
    scheme = scheme or scheme_of(policy)
    years = member_years(scheme, policy.committee_id, policy.year, member_ids)
    return language.outcomes(scheme, years)


# --- Writing scores ---------------------------------------------------------------

STORE_BATCH = 5000  # members per INSERT: 4 parameters each, under SQLite's 32,766


def _store(policy: Policy, results: dict[int, language.Outcome]) -> int:
    """Write every member's score row in one INSERT … ON CONFLICT DO UPDATE
    per ``STORE_BATCH`` members (SQLite ≥ 3.24 and PostgreSQL): missing rows
    are created, existing ones of the committee updated."""
    table = MemberScore._meta.db_table  # every value is a parameter
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    columns = "committee_id, member_id, year, policy_id, score, grade, grade_label, computed_at"
    items = list(results.items())
    written = 0
    with connection.cursor() as cursor:
        for at in range(0, len(items), STORE_BATCH):
            batch = items[at : at + STORE_BATCH]
            params: list[Any] = [policy.committee_id, policy.year, policy.pk, now]
            for member_id, result in batch:
                score = ops.adapt_decimalfield_value(result.score, 7, 2)
                params += [member_id, score, result.grade, result.grade_label]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
            # WHERE true: SQLite reads ON CONFLICT after a bare SELECT as a join.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608
                "SELECT %s, v.column1, %s, %s, v.column2, v.column3, v.column4, %s "
                f"FROM (VALUES {values}) v WHERE true "
                "ON CONFLICT (member_id, year) DO UPDATE SET policy_id = excluded.policy_id, "
                "score = excluded.score, grade = excluded.grade, "
                "grade_label = excluded.grade_label, computed_at = excluded.computed_at "
                f"WHERE {table}.committee_id = excluded.committee_id",
                params,
            )
            written += cursor.rowcount
    return written


def recalculate(policy: Policy, *, member_ids: list[int] | None = None) -> int:
    """Recompute the year's stored scores under ``policy``: the members, one
    grouped read, the staff entries, the evaluation over the grouped rows
    and one INSERT … ON CONFLICT DO UPDATE, whatever the number of members
    (up to ``STORE_BATCH``). ``member_ids`` limits it to some members (the
    ledger listener)."""
    results = evaluate_all(policy, member_ids)
    if not results:
        return 0
    with transaction.atomic():
        return _store(policy, results)


def _stored_label(row: Any) -> str:
    """A stored grade's label (rows stored before schemes named grades carry none)."""
    return str(row["grade_label"] or dict(Grade.choices).get(row["grade"], row["grade"]))


def preview(policy: Policy) -> list[dict[str, Any]]:
    """What ``recalculate(policy)`` would store, without writing: each scored
    member's current and new score and grade."""
    scheme = scheme_of(policy)
    results = evaluate_all(policy, scheme=scheme)
    stored = {
        row["member_id"]: row
        for row in MemberScore.objects.filter(
            committee_id=policy.committee_id, year=policy.year
        ).values("member_id", "score", "grade", "grade_label")
    }
    members = (
        scored_members(policy.committee_id)
        .values("pk", "person__name", "sector__name")
        .order_by("sector__order", "sector_id", "pk")
    )
    rows: list[dict[str, Any]] = []
    for values in members:
        result = results[values["pk"]]
        old = stored.get(values["pk"])
        old_score = None if old is None else old["score"]
        row = dict(values)
        row.update(
            new_score=result.score,
            new_grade=result.grade,
            new_grade_label=result.grade_label,
            old_score=old_score,
            old_grade=None if old is None else old["grade"],
            old_grade_label="" if old is None else _stored_label(old),
            delta=result.score - (old_score or ZERO),
            changed=old is None or result.score != old_score or result.grade != old["grade"],
        )
        rows.append(row)
    return rows


def active_policy(committee_id: int, year: int) -> Policy | None:
    # The requirement set comes along: score cards and duty files name it.
    return (
        Policy.objects.filter(committee_id=committee_id, year=year, status=Policy.Status.ACTIVE)
        .select_related("requirement_set")
        .first()
    )


def on_ledger_change(records: Any) -> None:
    """Ledger listener: recompute the scores the written or withdrawn records
    touch, in the transaction that changed the ledger. A record may count in
    the year before its own (a kind dated by another record of its source)."""
    touched: dict[tuple[int, int], set[int]] = defaultdict(set)
    # The other members of the same work: a co-signer joining changes the lead's share.
    # One condition per source type (a batch can hold thousands of records).
    sources: dict[int, set[int]] = defaultdict(set)
    for record in records:
        sources[record.source_type_id].add(record.source_id)
    same_work = Q(pk__in=[])
    for source_type_id, source_ids in sources.items():
        same_work |= Q(source_type_id=source_type_id, source_id__in=sorted(source_ids))
    rows = [(r.committee_id, r.member_id, r.date) for r in records]
    rows += DutyRecord.objects.filter(same_work, withdrawn_at__isnull=True).values_list(
        "committee_id", "member_id", "date"
    )
    for committee_id, member_id, date in rows:
        for year in (date.year, date.year - 1):
            touched[(committee_id, year)].add(member_id)
    for (committee_id, year), member_ids in touched.items():
        policy = active_policy(committee_id, year)
        if policy is not None:
            recalculate(policy, member_ids=sorted(member_ids))


def grade_of(policy: Policy, score: Decimal) -> tuple[str, str]:
    """The grade code and label a score reaches under the policy's scale."""
    scheme = scheme_of(policy)
    code = language.grade_for(scheme, Fraction(score))
    return code, scheme.grade_label(code)


# --- Explaining a score ---------------------------------------------------------------


@dataclass
class Line:
    record: DutyRecord
    points: Decimal


@dataclass
class CategoryTotal:
    category: str
    label: str
    earned: Decimal = ZERO
    cap: Decimal | None = None
    counted: Decimal = ZERO
    lines: list[Line] = field(default_factory=list)


@dataclass
class Explanation:
    policy: Policy
    base: Decimal
    categories: list[CategoryTotal]
    penalties: list[Line]
    penalty_total: Decimal
    score: Decimal
    grade: str
    grade_label: str
    unmet: list[str]
    capped_by: list[str]

    def get_grade_display(self) -> str:
        return self.grade_label


def _dec(value: Fraction | None) -> Decimal | None:
    return None if value is None else language.rounded(value, 2)


def explain(policy: Policy, member: Member) -> Explanation:
    """Every point of a member's year with its source and date, and the same
    evaluation that gives the stored score. The page lists each record, so
    its groups are counted from those listed rows (two queries in all)."""
    scheme = scheme_of(policy)
    kinds = scheme.kind_of_event()
    rows = _live(member.committee_id, [member.pk])
    records = list(_in_work(scheme, policy.year, rows, list(kinds)).order_by("date", "id"))
    counts = Counter(
        (kinds[r.kind].code, language.unit_share(r.share), r.place or 0, r.size or 1)  # type: ignore[attr-defined]
        for r in records
    )
    year = MemberYear(
        position=member.position,
        groups=[
            Group(code, n, share, place, size) for (code, share, place, size), n in counts.items()
        ],
    )
    _add_entries({member.pk: year}, member.committee_id, policy.year, [member.pk])
    result = language.evaluate(scheme, year)
    by_kind: dict[str, list[DutyRecord]] = defaultdict(list)
    for record in records:
        by_kind[kinds[record.kind].code].append(record)
    categories: list[CategoryTotal] = []
    penalties: list[Line] = []
    for part in result.parts:
        for cat in part.categories:
            total = CategoryTotal(
                cat.category.code,
                cat.category.label,
                earned=language.rounded(cat.earned, 2),
                cap=_dec(cat.category.cap),
                counted=language.rounded(cat.counted, 2),
            )
            for kind in cat.kinds:
                unit = kind.kind.points_for(member.position)
                for record in by_kind[kind.kind.code]:
                    value = language.rounded(unit * language.unit_share(record.share), 2)
                    (penalties if unit < 0 else total.lines).append(Line(record, value))
            if total.lines or cat.earned:
                categories.append(total)
    return Explanation(
        policy=policy,
        base=language.rounded(sum((p.part.base for p in result.parts), Fraction(0)), 2),
        categories=categories,
        penalties=penalties,
        penalty_total=language.rounded(
            sum((c.deductions for p in result.parts for c in p.categories), Fraction(0)), 2
        ),
        score=result.score,
        grade=result.grade,
        grade_label=result.grade_label,
        unmet=result.unmet,
        capped_by=result.capped_by,
    )


# --- Required duties ----------------------------------------------------------------------


@dataclass
class Progress:
    requirement: Requirement
    done: int
    needed: int

    @property
    def met(self) -> bool:
        return self.done >= self.needed


def requirement_annotations(
    requirements: list[Requirement], year: int, prefix: str = ""
) -> dict[str, Any]:
    """Count(...) per requirement over ``<prefix>duty_records`` of live records in the year."""
    rel = f"{prefix}duty_records"
    return {
        f"req_{r.pk}": Count(
            rel,
            filter=Q(
                **{
                    f"{rel}__kind__in": r.kinds,
                    f"{rel}__withdrawn_at__isnull": True,
                    f"{rel}__date__year": year,
                }
            ),
            distinct=True,
        )
        for r in requirements
    }


def requirements_of(policy: Policy | None) -> list[Requirement]:
    if policy is None or policy.requirement_set_id is None:
        return []
    return list(
        Requirement.objects.filter(requirement_set_id=policy.requirement_set_id).order_by(
            "order", "id"
        )
    )


def progress_of(policy: Policy, member: Member) -> list[Progress]:
    requirements = requirements_of(policy)
    if not requirements:
        return []
    counts = Member.objects.filter(pk=member.pk).aggregate(
        **requirement_annotations(requirements, policy.year)
    )
    return [Progress(r, min(counts[f"req_{r.pk}"], r.count), r.count) for r in requirements]


def progress_in(requirements: list[Requirement], records: list[Any]) -> list[Progress]:
    """``progress_of`` over the member's live records of the policy's year
    already read (the duty file lists them): the same count, per requirement
    the records of its kinds, without a query."""
    return [
        Progress(r, min(sum(1 for rec in records if rec.kind in r.kinds), r.count), r.count)
        for r in requirements
    ]


def members_with_progress(
    policy: Policy, members: QuerySet[Member]
) -> tuple[list[Requirement], QuerySet[Member]]:
    requirements = requirements_of(policy)
    return requirements, members.annotate(**requirement_annotations(requirements, policy.year))


def unmet_labels(requirements: list[Requirement], row: Any) -> list[str]:
    return [r.label for r in requirements if getattr(row, f"req_{r.pk}") < r.count]
