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
from math import lcm
from typing import NamedTuple

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


class Group(NamedTuple):
    """``count`` records of one kind with the same weight in the ledger and
    the same place in their joint work (``place`` 0 = the lead, of ``size``).
    A named tuple: a recalculation makes one per grouped row."""

    kind: str
    count: int  # type: ignore[assignment]  # (shadows tuple.count, unused here)
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


def _unmet(
    scheme: Scheme, position: str, by_kind: dict[str, int]
) -> list[tuple[RequirementSet, Item]]:
    """The requirement items a member's records (``by_kind``: kind → number)
    leave unmet."""
    return [
        (rset, item)
        for rset in scheme.requirement_sets
        for item in rset.items
        if (not item.positions or position in item.positions)
        and sum(by_kind.get(k, 0) for k in item.kinds) < item.count
    ]


def _capped_grade(
    scheme: Scheme,
    grade: str,
    unmet: list[tuple[RequirementSet, Item]],
    vetoes: list[str],
) -> tuple[str, list[str]]:
    """The grade after every unmet requirement set and every veto recorded
    has capped it, and the labels of what capped it."""
    capped_by: list[str] = []
    for rset in {rset.code: rset for rset, _item in unmet}.values():
        if rset.cap_grade:
            grade = _lower(scheme, grade, rset.cap_grade)
            capped_by.append(rset.label)
    if vetoes:
        by_code = {v.code: v for v in scheme.vetoes}
        for code in vetoes:
            if code in by_code:
                grade = _lower(scheme, grade, by_code[code].cap_grade)
                capped_by.append(by_code[code].label)
    return grade, capped_by


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
    records: dict[str, int] = defaultdict(int)
    for group in year.groups:
        records[group.kind] += group.count
    unmet = _unmet(scheme, year.position, records)
    grade, capped_by = _capped_grade(scheme, grade_for(scheme, Fraction(score)), unmet, year.vetoes)
    return Result(
        exact=exact,
        score=score,
        grade=grade,
        grade_label=scheme.grade_label(grade),
        parts=parts,
        unmet=[item.label for _rset, item in unmet],
        capped_by=capped_by,
    )


# --- Many members at once -----------------------------------------------------------------


class Outcome(NamedTuple):
    """What a recalculation stores of a member's ``Result``."""

    score: Decimal
    grade: str
    grade_label: str


def _denominators(scheme: Scheme) -> int:
    """The least common denominator of every number in the scheme."""
    values: list[Fraction] = []
    for part in scheme.parts:
        values += [v for v in (part.base, part.cap, part.floor) if v is not None]
    for category in scheme.categories:
        values += [points for _n, points in category.tiers]
        if category.cap is not None:
            values.append(category.cap)
    for kind in scheme.kinds:
        values += [kind.points, *kind.positions.values(), *(p for _n, p in kind.count.tiers)]
        if kind.cap is not None:
            values.append(kind.cap)
    values += [v for v in (scheme.minimum, scheme.maximum) if v is not None]
    return lcm(1, *(Fraction(v).denominator for v in values))


def outcomes(scheme: Scheme, years: dict[int, MemberYear]) -> dict[int, Outcome]:
    """``evaluate`` for many members at once, giving what it gives each of
    them (score, grade and its label), in a fraction of the time.

    The same rules in the same order, in integers: every number of the
    scheme and every weight met in ``years`` (shares, roles in joint work)
    is an exact multiple of 1/D for one common denominator D, so sums, caps,
    floors, tiers and bounds are integer operations, and the exact total
    T/D is rounded once by ``rounded`` like ``evaluate``'s.
    ``tests/test_outcomes.py`` checks the two agree on random schemes."""
    kinds = scheme.kinds
    kind_codes = {k.code for k in kinds}
    roles = {k.code: k.roles for k in kinds}
    # The exact weight of each distinct (kind, share, place, size) met. The
    # share is keyed by identity (hashing a Fraction is slow; the groups
    # hold every share alive, so no identity is reused during the call).
    weight_of: dict[tuple[str, int, int, int], Fraction] = {}
    for year in years.values():
        for group in year.groups:
            key = (group.kind, id(group.share), group.place, group.size)
            if key not in weight_of and group.kind in kind_codes:
                weight_of[key] = _weight(group, roles[group.kind])
    scale_s = _denominators(scheme)
    scale_w = lcm(1, *(w.denominator for w in weight_of.values()))
    scale = scale_s * scale_w  # D

    def whole(value: Fraction) -> int:  # value × D, exact
        return int(value * scale)

    weight = {key: int(w * scale_w) for key, w in weight_of.items()}
    earns = {k.code: k.points >= 0 for k in kinds}  # counts towards a category's tiers
    requirements = bool(scheme.requirement_sets)
    kind_cap = {k.code: None if k.cap is None else whole(k.cap) for k in kinds}
    kind_tiers = {k.code: tuple((n, whole(p)) for n, p in k.count.tiers) for k in kinds}
    plain = {k.code: k.count == PLAIN for k in kinds}
    points_cache: dict[tuple[str, str], int] = {}
    categories = [
        (
            c.code,
            c.part,
            tuple((n, whole(p)) for n, p in c.tiers),
            None if c.cap is None else whole(c.cap),
        )
        for c in scheme.categories
    ]
    parts = [
        (
            p.code,
            whole(p.base),
            None if p.cap is None else whole(p.cap),
            None if p.floor is None else whole(p.floor),
        )
        for p in scheme.parts
    ]
    maximum = None if scheme.maximum is None else whole(scheme.maximum)
    minimum = None if scheme.minimum is None else whole(scheme.minimum)
    rounded_of: dict[int, Decimal] = {}
    grade_of: dict[Decimal, str] = {}
    labels = {g.code: scheme.grade_label(g.code) for g in scheme.grades}

    def tier(tiers: tuple[tuple[int, int], ...], number: int) -> int:
        reached = [points for at_least, points in tiers if number >= at_least]
        return max(reached) if reached else 0

    results: dict[int, Outcome] = {}
    for member_id, year in years.items():
        position = year.position
        pairs_of: dict[str, list[tuple[int, int]]] = defaultdict(list)
        records: dict[str, int] = defaultdict(int)
        for code, count, share, place, size in year.groups:
            if requirements:
                records[code] += count
            if code in kind_codes:
                pairs_of[code].append((weight[(code, id(share), place, size)], count))
        earned: dict[str, int] = defaultdict(int)
        deductions: dict[str, int] = defaultdict(int)
        numbers: dict[str, int] = defaultdict(int)
        for kind in kinds:
            pairs = pairs_of.get(kind.code)
            if not pairs:
                continue
            unit = points_cache.get((kind.code, position))
            if unit is None:
                unit = points_cache[(kind.code, position)] = int(
                    kind.points_for(position) * scale_s
                )
            if plain[kind.code]:
                counted = weighted = 0
                for w, n in pairs:
                    if w:
                        counted += n
                        weighted += w * n
                total = unit * weighted
            else:
                rule = kind.count
                pairs = sorted(((w, n) for w, n in pairs if w), reverse=True)
                number = sum(n for _w, n in pairs)
                counted = min(max(number - (rule.start - 1), 0), number)
                if rule.at_most is not None:
                    counted = min(counted, rule.at_most)
                if rule.once:
                    counted = min(counted, 1)
                if rule.tiers:
                    total = tier(kind_tiers[kind.code], counted)
                elif rule.once and counted:
                    total = unit * scale_w
                else:  # the largest weights first, ``counted`` of them
                    left, best = counted, 0
                    for w, n in pairs:
                        if left <= 0:
                            break
                        best += w * min(n, left)
                        left -= n
                    total = unit * best
            cap = kind_cap[kind.code]
            if cap is not None and total > cap:
                total = cap
            if total > 0:
                earned[kind.category] += total
            elif total < 0:
                deductions[kind.category] += total
            if earns[kind.code]:
                numbers[kind.category] += counted
        part_total: dict[str, int] = defaultdict(int)
        part_deductions: dict[str, int] = defaultdict(int)
        for code, part, tiers, cap in categories:
            counted_points = tier(tiers, numbers[code]) if tiers else earned[code]
            if cap is not None and counted_points > cap:
                counted_points = cap
            part_total[part] += counted_points
            part_deductions[part] += deductions[code]
        exact_whole = 0
        for code, base, cap, floor in parts:
            total = base + part_total[code]
            if cap is not None and total > cap:
                total = cap
            total += part_deductions[code]
            if floor is not None and total < floor:
                total = floor
            exact_whole += total
        if year.adjustments:
            exact = Fraction(exact_whole, scale) + sum(year.adjustments, ZERO)
            if scheme.maximum is not None and exact > scheme.maximum:
                exact = scheme.maximum
            if scheme.minimum is not None and exact < scheme.minimum:
                exact = scheme.minimum
            score = rounded(exact, scheme.places)
        else:
            if maximum is not None and exact_whole > maximum:
                exact_whole = maximum
            if minimum is not None and exact_whole < minimum:
                exact_whole = minimum
            score = rounded_of.get(exact_whole)  # type: ignore[assignment]
            if score is None:
                score = rounded_of[exact_whole] = rounded(
                    Fraction(exact_whole, scale), scheme.places
                )
        grade = grade_of.get(score)
        if grade is None:
            grade = grade_of[score] = grade_for(scheme, Fraction(score))
        if requirements or year.vetoes:
            unmet = _unmet(scheme, position, records) if requirements else []
            grade, _capped = _capped_grade(scheme, grade, unmet, year.vetoes)
        results[member_id] = Outcome(score, grade, labels.get(grade, ""))
    return results
