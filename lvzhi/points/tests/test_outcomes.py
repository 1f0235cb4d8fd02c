"""``language.outcomes`` (many members at once, in integers) gives exactly
what ``language.evaluate`` (one member, in fractions) gives: on the shipped
schemes and on random schemes that use every element of the language."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from lvzhi.points import presets, schemefile
from lvzhi.points.language import (
    Category,
    CountRule,
    Grade,
    Group,
    Item,
    Kind,
    MemberYear,
    Outcome,
    Part,
    RequirementSet,
    Roles,
    Scheme,
    Veto,
    evaluate,
    outcomes,
    unit_share,
)

F = Fraction
POSITIONS = ["member", "standing", "chair", "vice_chair"]
SHARES = [unit_share(Decimal(s)) for s in ("1", "0.5", "0.3333", "0.25", "0.1667", "0.1234", "0")]


def maybe(rng: random.Random, value, p: float = 0.4):
    return value if rng.random() < p else None


def fraction(rng: random.Random, low: int, high: int) -> Fraction:
    return F(rng.randint(low, high), rng.choice([1, 1, 2, 3, 4]))


def random_scheme(rng: random.Random) -> Scheme:
    parts = tuple(
        Part(
            f"p{i}",
            f"部分{i}",
            base=rng.choice([F(0), F(0), F(50), fraction(rng, 0, 60)]),
            cap=maybe(rng, fraction(rng, 10, 80)),
            floor=maybe(rng, fraction(rng, -10, 20)),
        )
        for i in range(rng.randint(1, 3))
    )
    categories = tuple(
        Category(
            f"c{i}",
            f"类别{i}",
            rng.choice(parts).code,
            cap=maybe(rng, fraction(rng, 0, 40)),
            tiers=tuple(
                (rng.randint(1, 5), fraction(rng, 0, 40)) for _ in range(rng.choice([0, 0, 1, 2]))
            ),
        )
        for i in range(rng.randint(1, 4))
    )
    kinds = []
    for i in range(rng.randint(1, 7)):
        rule = rng.choice(
            [
                CountRule(),
                CountRule(),
                CountRule(start=rng.randint(1, 4)),
                CountRule(at_most=rng.randint(1, 4)),
                CountRule(once=True),
                CountRule(tiers=((rng.randint(1, 3), fraction(rng, 1, 30)),)),
                CountRule(start=rng.randint(1, 3), at_most=rng.randint(1, 5)),
            ]
        )
        roles = maybe(
            rng,
            Roles(
                lead=rng.choice([F(1), F(1, 2), F(2, 3)]),
                others=rng.choice([F(0), F(1, 2), F(1), F(1, 3)]),
                split_others=rng.random() < 0.5,
                at_most=maybe(rng, rng.randint(1, 4)),
            ),
        )
        positions = {}
        for position in rng.sample(POSITIONS[1:], rng.randint(0, 2)):
            positions[position] = fraction(rng, -6, 12)
        kinds.append(
            Kind(
                code=f"k{i}",
                label=f"种类{i}",
                category=rng.choice(categories).code,
                points=fraction(rng, -10, 30),
                events=(f"k{i}",),
                positions=positions,
                count=rule,
                roles=roles,
                cap=maybe(rng, fraction(rng, 0, 30), 0.3),
            )
        )
    grades = ()
    if rng.random() < 0.8:
        grades = (
            Grade("a", "优秀", fraction(rng, 70, 95)),
            Grade("b", "称职", fraction(rng, 40, 69)),
            Grade("c", "不称职", F(0)),
        )
    codes = [k.code for k in kinds]
    requirement_sets = ()
    if grades and rng.random() < 0.5:
        requirement_sets = (
            RequirementSet(
                "r",
                "要求",
                tuple(
                    Item(
                        f"项{i}",
                        tuple(rng.sample(codes, rng.randint(1, len(codes)))),
                        count=rng.randint(1, 3),
                        positions=tuple(rng.sample(POSITIONS, rng.randint(0, 2))),
                    )
                    for i in range(rng.randint(1, 3))
                ),
                cap_grade=rng.choice(["b", "c", ""]),
            ),
        )
    return Scheme(
        name="随机",
        parts=parts,
        categories=categories,
        kinds=tuple(kinds),
        grades=grades,
        requirement_sets=requirement_sets,
        vetoes=(Veto("v", "否决", "c"),) if grades else (),
        minimum=rng.choice([F(0), F(0), None, F(-5)]),
        maximum=rng.choice([F(100), F(100), None, F(120)]),
        places=rng.choice([2, 2, 0, 1, 3]),
    )


def random_year(rng: random.Random, scheme: Scheme) -> MemberYear:
    codes = [k.code for k in scheme.kinds] + ["staff_kind"]
    groups = []
    for _ in range(rng.randint(0, 12)):
        size = rng.choice([1, 1, 2, 3, 5])
        groups.append(
            Group(
                rng.choice(codes),
                rng.randint(1, 9),
                rng.choice(SHARES),
                rng.randrange(size),
                size,
            )
        )
    return MemberYear(
        position=rng.choice(POSITIONS),
        groups=groups,
        adjustments=[fraction(rng, -20, 20) for _ in range(rng.choice([0, 0, 0, 1, 2]))],
        vetoes=["v"] if rng.random() < 0.1 else [],
    )


def expected(scheme: Scheme, year: MemberYear) -> Outcome:
    result = evaluate(scheme, year)
    return Outcome(result.score, result.grade, result.grade_label)


@pytest.mark.parametrize("seed", range(40))
def test_outcomes_equal_evaluate_on_random_schemes(seed):
    rng = random.Random(seed)
    scheme = random_scheme(rng)
    years = {i: random_year(rng, scheme) for i in range(60)}
    got = outcomes(scheme, years)
    assert got == {i: expected(scheme, year) for i, year in years.items()}
    # Exactly equal, digits included (100.00 is not 100).
    assert [str(o.score) for o in got.values()] == [
        str(expected(scheme, y).score) for y in years.values()
    ]


@pytest.mark.parametrize("name", list(presets.PRESET_SCHEMES))
def test_outcomes_equal_evaluate_on_the_shipped_schemes(name):
    scheme = schemefile.load(presets.scheme_preset(name))
    rng = random.Random(name)
    codes = [k.code for k in scheme.kinds]
    years = {}
    for i in range(200):
        years[i] = MemberYear(
            position=rng.choice(POSITIONS),
            groups=[
                Group(code, rng.randint(1, 12), rng.choice(SHARES[:5]), rng.randrange(3), 3)
                for code in rng.sample(codes, rng.randint(0, len(codes)))
            ],
        )
    assert outcomes(scheme, years) == {i: expected(scheme, y) for i, y in years.items()}


def test_no_members_no_outcomes():
    rng = random.Random(1)
    assert outcomes(random_scheme(rng), {}) == {}
