"""The score of a member for a year, computed in the database.

    score = clamp(0, max_score,
                  base_score
                  + Σ over categories  min(Σ positive points × share, category cap)
                  + Σ penalties (negative points × share, never capped))

``score_expression`` builds that formula as one SQL expression over the
duty records of an outer member row. The same expression serves the
preview of a draft policy (a SELECT) and the recalculation (one UPDATE of
every score of the year), so the preview cannot disagree with the result,
and the number of queries does not depend on the number of members.
``explain`` computes the same figures in Python for one member, record by
record, for the member's page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least, Round
from django.utils import timezone

from lvzhi.duties.models import KIND_CATEGORY, DutyCategory, DutyRecord
from lvzhi.org.models import Member
from lvzhi.points.models import Grade, MemberScore, Policy, Requirement

DEC = DecimalField(max_digits=12, decimal_places=4)
# Inside the formula numbers are plain SQL numbers: a DecimalField output would
# wrap every step in CAST(… AS NUMERIC) on SQLite and deepen the expression.
NUM = FloatField()
ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rules:
    """A policy's numbers, read once (three small queries)."""

    policy: Policy
    points: dict[str, Decimal]
    caps: dict[str, Decimal]

    @classmethod
    def of(cls, policy: Policy) -> Rules:
        return cls(
            policy=policy,
            points={p.kind: p.points for p in policy.kind_points.all()},
            caps={c.category: c.cap for c in policy.caps.all()},
        )


def _records(member_ref: str, year: int) -> QuerySet[DutyRecord]:
    return DutyRecord.objects.filter(
        member_id=OuterRef(member_ref), withdrawn_at__isnull=True, date__year=year
    )


def _weighted_sum(member_ref: str, year: int, kinds: dict[str, Decimal]) -> Expression:
    """Σ points(kind) × share over the member's live records of those kinds."""
    if not kinds:
        return Value(ZERO, output_field=NUM)
    points = Case(
        *[When(kind=kind, then=Value(value, output_field=NUM)) for kind, value in kinds.items()],
        default=Value(ZERO, output_field=NUM),
        output_field=NUM,
    )
    total = (
        _records(member_ref, year)
        .filter(kind__in=list(kinds))
        .order_by()
        .values("member_id")
        .annotate(total=Sum(points * F("share"), output_field=NUM))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=NUM), Value(ZERO, output_field=NUM))


def _balanced_sum(parts: list[Any]) -> Any:
    """a + b + c … as a balanced tree: SQLite's parser has a small stack, and a
    long left-deep chain of additions overflows it."""
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2
    return ExpressionWrapper(
        _balanced_sum(parts[:middle]) + _balanced_sum(parts[middle:]), output_field=NUM
    )


def score_expression(rules: Rules, *, member_ref: str, year: int) -> Expression:
    """The score as an SQL expression of the outer row's member id (``member_ref``)."""
    policy = rules.policy
    parts: list[Any] = [Value(policy.base_score, output_field=NUM)]
    by_category: dict[str, dict[str, Decimal]] = defaultdict(dict)
    penalties: dict[str, Decimal] = {}
    for kind, value in rules.points.items():
        if value > 0:
            by_category[KIND_CATEGORY.get(kind, DutyCategory.OTHER)][kind] = value
        elif value < 0:
            penalties[kind] = value
    for category, kinds in sorted(by_category.items()):
        earned = _weighted_sum(member_ref, year, kinds)
        cap = rules.caps.get(category)
        parts.append(Least(earned, Value(cap, output_field=NUM)) if cap is not None else earned)
    if penalties:
        parts.append(_weighted_sum(member_ref, year, penalties))
    total = _balanced_sum(parts)
    clamped = Greatest(
        Value(ZERO, output_field=NUM),
        Least(Value(policy.max_score, output_field=NUM), total, output_field=NUM),
        output_field=NUM,
    )
    return Round(clamped, 2, output_field=DEC)


def grade_expression(policy: Policy, score: Expression | str) -> Case:
    ref = F(score) if isinstance(score, str) else score
    return Case(
        When(Q(_gte(ref, policy.excellent_threshold)), then=Value(Grade.EXCELLENT)),
        When(Q(_gte(ref, policy.competent_threshold)), then=Value(Grade.COMPETENT)),
        default=Value(Grade.NOT_COMPETENT),
        output_field=CharField(),
    )


def _gte(ref: Any, threshold: Decimal) -> Any:
    from django.db.models.lookups import GreaterThanOrEqual

    return GreaterThanOrEqual(ref, Value(threshold, output_field=DEC))


def grade_of(policy: Policy, score: Decimal) -> str:
    if score >= policy.excellent_threshold:
        return Grade.EXCELLENT
    if score >= policy.competent_threshold:
        return Grade.COMPETENT
    return Grade.NOT_COMPETENT


def scored_members(committee_id: int) -> QuerySet[Member]:
    """Members who get a score: in office in the committee's current term."""
    return Member.objects.filter(
        committee_id=committee_id, status=Member.Status.IN_OFFICE, term__is_current=True
    )


# --- Writing scores ---------------------------------------------------------------


def _ensure_rows(policy: Policy, member_ids: list[int] | None = None) -> None:
    """INSERT … SELECT a zero score row for every scored member without one
    (one statement; ON CONFLICT works on SQLite ≥ 3.24 and PostgreSQL)."""
    members = scored_members(policy.committee_id)
    if member_ids is not None:
        members = Member.objects.filter(committee_id=policy.committee_id, pk__in=member_ids)
    select_sql, params = (
        members.order_by()
        .annotate(score_member=F("pk"))
        .values("score_member")
        .query.sql_with_params()
    )
    table = MemberScore._meta.db_table
    # The table name comes from the model's meta; every value is a parameter.
    columns = "committee_id, member_id, year, policy_id, score, grade, computed_at"
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT %s, sub.score_member, %s, %s, 0, %s, NULL "  # noqa: S608
        f"FROM ({select_sql}) sub WHERE 1=1 ON CONFLICT (member_id, year) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [policy.committee_id, policy.year, policy.pk, str(Grade.NOT_COMPETENT), *params]
        )


def recalculate(policy: Policy, *, member_ids: list[int] | None = None) -> int:
    """Recompute the year's stored scores under ``policy`` in three statements
    (insert missing rows, update scores, update grades), whatever the number
    of members. ``member_ids`` limits it to some members (the ledger listener)."""
    rules = Rules.of(policy)
    with transaction.atomic():
        _ensure_rows(policy, member_ids)
        rows = MemberScore.objects.filter(committee_id=policy.committee_id, year=policy.year)
        if member_ids is not None:
            rows = rows.filter(member_id__in=member_ids)
        count = rows.update(
            score=score_expression(rules, member_ref="member_id", year=policy.year),
            policy=policy,
            computed_at=timezone.now(),
        )
        rows.update(grade=grade_expression(policy, "score"))
    return count


def preview(policy: Policy) -> list[dict[str, Any]]:
    """What ``recalculate(policy)`` would store, without writing: one SELECT of
    each scored member's current and new score and grade."""
    rules = Rules.of(policy)
    stored = MemberScore.objects.filter(member_id=OuterRef("pk"), year=policy.year)
    rows = (
        scored_members(policy.committee_id)
        .annotate(
            new_score=score_expression(rules, member_ref="pk", year=policy.year),
            new_grade=grade_expression(policy, "new_score"),
            old_score=Subquery(stored.values("score")[:1], output_field=DEC),
            old_grade=Subquery(stored.values("grade")[:1], output_field=CharField()),
        )
        .values(
            "pk", "person__name", "sector__name", "new_score", "new_grade", "old_score", "old_grade"
        )
        .order_by("sector__order", "sector_id", "pk")
    )
    result: list[dict[str, Any]] = []
    for values in rows:
        row: dict[str, Any] = dict(values)
        new = Decimal(row["new_score"]).quantize(CENT, ROUND_HALF_UP)
        old = None if row["old_score"] is None else Decimal(row["old_score"]).quantize(CENT)
        row["new_score"] = new
        row["old_score"] = old
        row["delta"] = new - (old or ZERO)
        row["changed"] = old is None or new != old or row["new_grade"] != row["old_grade"]
        result.append(row)
    return result


def active_policy(committee_id: int, year: int) -> Policy | None:
    return Policy.objects.filter(
        committee_id=committee_id, year=year, status=Policy.Status.ACTIVE
    ).first()


def on_ledger_change(records: Any) -> None:
    """Ledger listener: recompute the scores the written or withdrawn records
    touch, in the transaction that changed the ledger."""
    touched: dict[tuple[int, int], set[int]] = defaultdict(set)
    for record in records:
        touched[(record.committee_id, record.date.year)].add(record.member_id)
    for (committee_id, year), member_ids in touched.items():
        policy = active_policy(committee_id, year)
        if policy is not None:
            recalculate(policy, member_ids=sorted(member_ids))


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

    def get_grade_display(self) -> str:
        return str(Grade(self.grade).label)


def explain(policy: Policy, member: Member) -> Explanation:
    """Every point of a member's year with its source and date (same formula as SQL)."""
    rules = Rules.of(policy)
    records = list(
        DutyRecord.objects.filter(
            member=member, withdrawn_at__isnull=True, date__year=policy.year
        ).order_by("date", "id")
    )
    categories: dict[str, CategoryTotal] = {}
    penalties: list[Line] = []
    for record in records:
        value = rules.points.get(record.kind, ZERO) * record.share
        if value < 0:
            penalties.append(Line(record, value.quantize(CENT, ROUND_HALF_UP)))
            continue
        category = KIND_CATEGORY.get(record.kind, DutyCategory.OTHER)
        total = categories.setdefault(
            category,
            CategoryTotal(
                category, str(DutyCategory(category).label), cap=rules.caps.get(category)
            ),
        )
        total.lines.append(Line(record, value.quantize(CENT, ROUND_HALF_UP)))
        total.earned += value
    for total in categories.values():
        total.counted = min(total.earned, total.cap) if total.cap is not None else total.earned
    penalty_total = sum((line.points for line in penalties), ZERO)
    raw = (
        policy.base_score
        + sum((t.counted for t in categories.values()), ZERO)
        + sum(
            (rules.points.get(line.record.kind, ZERO) * line.record.share for line in penalties),
            ZERO,
        )
    )
    score = max(ZERO, min(policy.max_score, raw)).quantize(CENT, ROUND_HALF_UP)
    ordered = sorted(categories.values(), key=lambda t: list(DutyCategory.values).index(t.category))
    return Explanation(
        policy, policy.base_score, ordered, penalties, penalty_total, score, grade_of(policy, score)
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


def members_with_progress(
    policy: Policy, members: QuerySet[Member]
) -> tuple[list[Requirement], QuerySet[Member]]:
    requirements = requirements_of(policy)
    return requirements, members.annotate(**requirement_annotations(requirements, policy.year))


def unmet_labels(requirements: list[Requirement], row: Any) -> list[str]:
    return [r.label for r in requirements if getattr(row, f"req_{r.pk}") < r.count]
