"""The policy language: a committee's points rules as data, and the one
function that applies them to a member's year.

Pure Python, no database: ``scoring`` feeds ``evaluate`` the member's duty
records already grouped by SQL (kind, exact weight, place in a joint work,
size of the joint work → how many records), and ``schemefile`` reads and
writes the same structures as JSON.

Arithmetic is exact (``fractions.Fraction``): a third of a session is 1/3,
never 0.3333. The score is rounded once, at the very end, to the scheme's
``places`` (2 by default) half up.

Order of evaluation, per member (docs/points.md, "Score"):

1. per kind: the points (by the member's position if the kind says so) ×
   each record's weight (its role in joint work, else its ledger share),
   after the count rule (from the Nth, at most N, once, tiers) and the
   kind's own cap;
2. per category: the positive points of its kinds, capped (or replaced by a
   tier on the number of records); deductions (negative points) are never
   absorbed by a cap;
3. per part: base + capped earnings, capped at the part's cap, then the
   deductions, stopping at the part's floor;
4. total: Σ parts + manual adjustments, clamped to [minimum, maximum];
   rounded once;
5. grade: the highest grade whose threshold the score reaches, then capped by
   every unmet requirement set and every veto item recorded."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

ZERO = Fraction(0)
ONE = Fraction(1)
STANDING = "standing"  # any position but an ordinary member's


@dataclass(frozen=True)
class CountRule:
    """Which of a kind's records count: from the Nth, at most N, once a year,
    or tiers (``[(2, 30)]``: two or more records earn 30 in all)."""

    start: int = 1
    at_most: int | None = None
    once: bool = False
    tiers: tuple[tuple[int, Fraction], ...] = ()


PLAIN = CountRule()  # every record counts


@dataclass(frozen=True)
class Roles:
    """Points in joint work (records of one source and kind, first = the lead).

    ``lead``/``others``: the fraction of the kind's points each earns;
    ``split_others``: the others share ``others`` between them; ``at_most``:
    only the first N members (the lead included) are credited. A work with a
    single member is not joint: it earns the full points."""

    lead: Fraction = ONE
    others: Fraction = ONE
    split_others: bool = False
    at_most: int | None = None


@dataclass(frozen=True)
class Kind:
    """One of the committee's duty kinds. ``events`` are the platform's event
    codes (what the apps record) that count as this kind; a kind with no
    events is recorded by staff (``manual``)."""

    code: str
    label: str
    category: str
    points: Fraction
    events: tuple[str, ...] = ()
    positions: dict[str, Fraction] = field(default_factory=dict)
    count: CountRule = PLAIN
    roles: Roles | None = None
    cap: Fraction | None = None
    # The year of another record of the same source counts (e.g. an excellent
    # proposal counts in the year it was filed: "proposal_filed").
    year_of: str = ""

    @property
    def manual(self) -> bool:
        return not self.events

    def points_for(self, position: str) -> Fraction:
        if position in self.positions:
            return self.positions[position]
        if position != "member" and STANDING in self.positions:
            return self.positions[STANDING]
        return self.points


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    part: str
    cap: Fraction | None = None
    tiers: tuple[tuple[int, Fraction], ...] = ()


@dataclass(frozen=True)
class Part:
    code: str
    label: str
    base: Fraction = ZERO
    cap: Fraction | None = None
    floor: Fraction | None = None


@dataclass(frozen=True)
class Grade:
    code: str
    label: str
    minimum: Fraction  # the score from which this grade is given


@dataclass(frozen=True)
class Item:
    """One requirement: ``count`` records of any of ``kinds``; only members in
    ``positions`` (all when empty) must meet it."""

    label: str
    kinds: tuple[str, ...]
    count: int = 1
    positions: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequirementSet:
    code: str
    label: str
    items: tuple[Item, ...]
    cap_grade: str = ""  # unmet: the grade is at most this one


@dataclass(frozen=True)
class Veto:
    """一票否决: an item staff record with a reason; it caps the grade."""

    code: str
    label: str
    cap_grade: str


@dataclass(frozen=True)
class Scheme:
    name: str
    parts: tuple[Part, ...]
    categories: tuple[Category, ...]
    kinds: tuple[Kind, ...]
    grades: tuple[Grade, ...] = ()  # highest first
    requirement_sets: tuple[RequirementSet, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    minimum: Fraction | None = ZERO
    maximum: Fraction | None = Fraction(100)
    places: int = 2

    def kind_of_event(self) -> dict[str, Kind]:
        return {event: kind for kind in self.kinds for event in kind.events}

    def kind(self, code: str) -> Kind | None:
        return next((k for k in self.kinds if k.code == code), None)

    def grade_label(self, code: str) -> str:
        return next((g.label for g in self.grades if g.code == code), "")


# --- A member's year, as SQL groups it ---------------------------------------------------


@dataclass(frozen=True)
class Group:
    """``count`` records of one kind with the same weight in the ledger and
    the same place in their joint work (``place`` 0 = the lead, of ``size``)."""

    kind: str
    count: int
    share: Fraction = ONE
    place: int = 0
    size: int = 1


@dataclass
class MemberYear:
    position: str = "member"
    groups: list[Group] = field(default_factory=list)
    adjustments: list[Fraction] = field(default_factory=list)
    vetoes: list[str] = field(default_factory=list)


@dataclass
class KindResult:
    kind: Kind
    records: int
    counted: int
    points: Fraction


@dataclass
class CategoryResult:
    category: Category
    earned: Fraction
    counted: Fraction
    deductions: Fraction
    kinds: list[KindResult]


@dataclass
class PartResult:
    part: Part
    total: Fraction
    categories: list[CategoryResult]


@dataclass
class Result:
    exact: Fraction
    score: Decimal
    grade: str
    grade_label: str
    parts: list[PartResult]
    unmet: list[str]
    capped_by: list[str]


@lru_cache(maxsize=1024)
def unit_share(share: Decimal) -> Fraction:
    """The exact weight of a ledger share: the ledger keeps 4 places, so a
    third is stored as 0.3333; a share within 0.0001 of 1/n is read as 1/n."""
    exact = Fraction(share)
    if exact <= 0:
        return ZERO
    n = round(1 / exact)
    if n and abs(Fraction(1, n) - exact) < Fraction(1, 10000):
        return Fraction(1, n)
    return exact


def _weight(group: Group, roles: Roles | None) -> Fraction:
    if roles is None:
        return group.share
    if group.size <= 1:
        return ONE
    if roles.at_most is not None and group.place >= roles.at_most:
        return ZERO
    if group.place == 0:
        return roles.lead
    if not roles.split_others:
        return roles.others
    credited = group.size if roles.at_most is None else min(group.size, roles.at_most)
    return roles.others / (credited - 1)


def _tier(tiers: tuple[tuple[int, Fraction], ...], number: int) -> Fraction:
    reached = [points for at_least, points in tiers if number >= at_least]
    return max(reached) if reached else ZERO


def _kind_points(kind: Kind, groups: list[Group], position: str) -> KindResult:
    if not groups:
        return KindResult(kind, 0, 0, ZERO)
    rule = kind.count
    if rule is PLAIN or rule == PLAIN:
        # Every record counts: Σ weight × count, without listing each record.
        pairs = [(_weight(g, kind.roles), g.count) for g in groups]
        number = sum(n for w, n in pairs if w)
        total = kind.points_for(position) * sum((w * n for w, n in pairs), ZERO)
        if kind.cap is not None and total > kind.cap:
            total = kind.cap
        return KindResult(kind, number, number, total)
    weights: list[Fraction] = []
    for group in groups:
        weight = _weight(group, kind.roles)
        if weight:
            weights.extend([weight] * group.count)
    # In the member's favour: "from the Nth" passes over the smallest weights,
    # "at most N" keeps the largest.
    weights.sort(reverse=True)
    counted = weights[: max(len(weights) - (rule.start - 1), 0)]
    if rule.at_most is not None:
        counted = counted[: rule.at_most]
    if rule.once:
        counted = counted[:1]
    points = kind.points_for(position)
    if rule.tiers:
        total = _tier(rule.tiers, len(counted))
    elif rule.once and counted:
        total = points
    else:
        total = points * sum(counted, ZERO)
    if kind.cap is not None and total > kind.cap:
        total = kind.cap
    return KindResult(kind, len(weights), len(counted), total)


def grade_for(scheme: Scheme, score: Fraction) -> str:
    for grade in scheme.grades:
        if score >= grade.minimum:
            return grade.code
    return scheme.grades[-1].code if scheme.grades else ""


def _lower(scheme: Scheme, grade: str, cap: str) -> str:
    order = [g.code for g in scheme.grades]
    if grade not in order or cap not in order:
        return grade
    return order[max(order.index(grade), order.index(cap))]


def _unmet(scheme: Scheme, year: MemberYear) -> list[tuple[RequirementSet, Item]]:
    by_kind: dict[str, int] = defaultdict(int)
    for group in year.groups:
        by_kind[group.kind] += group.count
    return [
        (rset, item)
        for rset in scheme.requirement_sets
        for item in rset.items
        if (not item.positions or year.position in item.positions)
        and sum(by_kind[k] for k in item.kinds) < item.count
    ]


def rounded(value: Fraction, places: int) -> Decimal:
    """The documented rounding: half up, to ``places`` decimals, once."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def evaluate(scheme: Scheme, year: MemberYear) -> Result:
    by_kind: dict[str, list[Group]] = defaultdict(list)
    for group in year.groups:
        by_kind[group.kind].append(group)
    kinds_of: dict[str, list[KindResult]] = defaultdict(list)
    for kind in scheme.kinds:
        kinds_of[kind.category].append(_kind_points(kind, by_kind[kind.code], year.position))
    parts: list[PartResult] = []
    for part in scheme.parts:
        categories: list[CategoryResult] = []
        for category in (c for c in scheme.categories if c.part == part.code):
            results = kinds_of[category.code]
            earned = sum((r.points for r in results if r.points > 0), ZERO)
            deductions = sum((r.points for r in results if r.points < 0), ZERO)
            counted = earned
            if category.tiers:
                number = sum(r.counted for r in results if r.kind.points >= 0)
                counted = _tier(category.tiers, number)
            if category.cap is not None and counted > category.cap:
                counted = category.cap
            categories.append(CategoryResult(category, earned, counted, deductions, results))
        total = part.base + sum((c.counted for c in categories), ZERO)
        if part.cap is not None and total > part.cap:
            total = part.cap
        total += sum((c.deductions for c in categories), ZERO)
        if part.floor is not None and total < part.floor:
            total = part.floor
        parts.append(PartResult(part, total, categories))
    exact = sum((p.total for p in parts), ZERO) + sum(year.adjustments, ZERO)
    if scheme.maximum is not None and exact > scheme.maximum:
        exact = scheme.maximum
    if scheme.minimum is not None and exact < scheme.minimum:
        exact = scheme.minimum
    score = rounded(exact, scheme.places)
    grade = grade_for(scheme, Fraction(score))
    unmet = _unmet(scheme, year)
    capped_by: list[str] = []
    for rset in {rset.code: rset for rset, _item in unmet}.values():
        if rset.cap_grade:
            grade = _lower(scheme, grade, rset.cap_grade)
            capped_by.append(rset.label)
    vetoes = {v.code: v for v in scheme.vetoes}
    for code in year.vetoes:
        if code in vetoes:
            grade = _lower(scheme, grade, vetoes[code].cap_grade)
            capped_by.append(vetoes[code].label)
    return Result(
        exact=exact,
        score=score,
        grade=grade,
        grade_label=scheme.grade_label(grade),
        parts=parts,
        unmet=[item.label for _rset, item in unmet],
        capped_by=capped_by,
    )
