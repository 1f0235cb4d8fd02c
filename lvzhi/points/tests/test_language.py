"""Each element of the policy language on its own (no database): parts and
their floors, caps, positions, count rules, tiers, roles, grades, requirement
sets, vetoes, adjustments and exact fractions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from lvzhi.points.language import (
    Category,
    CountRule,
    Grade,
    Group,
    Item,
    Kind,
    MemberYear,
    Part,
    RequirementSet,
    Roles,
    Scheme,
    Veto,
    evaluate,
    rounded,
    unit_share,
)

F = Fraction
GRADES = (Grade("a", "优秀", F(90)), Grade("b", "称职", F(60)), Grade("c", "不称职", F(0)))


def scheme(*kinds: Kind, part: Part | None = None, cap: F | None = None, **kw) -> Scheme:
    return Scheme(
        name="测试",
        parts=(part or Part("p", "总分"),),
        categories=(Category("c", "类别", "p", cap=cap, tiers=kw.pop("tiers", ())),),
        kinds=kinds,
        **kw,
    )


def kind(points, code="k", **kw) -> Kind:
    return Kind(code=code, label=code, category="c", points=F(points), events=(code,), **kw)


def score(s: Scheme, *groups: Group, **kw) -> Decimal:
    return evaluate(s, MemberYear(groups=list(groups), **kw)).score


def test_three_half_days_at_50_give_exactly_50():
    # The ledger keeps 4 places: a third of a session is stored as 0.3333.
    share = unit_share(Decimal("0.3333"))
    assert share == F(1, 3)
    assert score(scheme(kind(50)), Group("k", 3, share)) == Decimal("50.00")


def test_a_share_that_is_not_a_third_stays_as_it_is():
    assert unit_share(Decimal("0.5")) == F(1, 2)
    assert unit_share(Decimal("0.1667")) == F(1, 6)
    assert unit_share(Decimal("0.75")) == F(3, 4)


def test_the_score_is_rounded_once_half_up():
    # 1/3 + 1/3 + 1/3 of 1 point each would be 0.99 if each were rounded first.
    s = scheme(kind(1))
    assert score(s, Group("k", 1, F(1, 3)), Group("k", 2, F(1, 3))) == Decimal("1.00")
    assert rounded(F(1, 200), 2) == Decimal("0.01")  # 0.005 half up


def test_a_category_cap_stops_earnings_but_not_deductions():
    s = scheme(kind(10), kind(-3, code="d"), cap=F(25))
    assert score(s, Group("k", 4)) == Decimal("25.00")
    assert score(s, Group("k", 4), Group("d", 1)) == Decimal("22.00")


def test_a_part_starting_full_loses_deductions_down_to_its_floor():
    part = Part("p", "会议", base=F(50), cap=F(50), floor=F(0))
    s = scheme(kind(-5), part=part)
    assert score(s) == Decimal("50.00")
    assert score(s, Group("k", 3)) == Decimal("35.00")
    assert score(s, Group("k", 20)) == Decimal("0.00")


def test_a_part_cap_limits_base_and_earnings_together():
    part = Part("p", "工作", base=F(10), cap=F(30))
    assert score(scheme(kind(5), part=part), Group("k", 10)) == Decimal("30.00")


def test_points_by_position_standing_and_exact():
    k = kind(0, positions={"standing": F(-2), "chair": F(-1)})
    s = scheme(k, minimum=None)
    assert evaluate(s, MemberYear("member", [Group("k", 1)])).exact == 0
    assert evaluate(s, MemberYear("vice_chair", [Group("k", 1)])).exact == -2
    assert evaluate(s, MemberYear("chair", [Group("k", 1)])).exact == -1


def test_counted_from_the_nth_record():
    s = scheme(kind(5, count=CountRule(start=2)), minimum=None)
    assert score(s, Group("k", 1)) == Decimal("0.00")
    assert score(s, Group("k", 4)) == Decimal("15.00")


def test_at_most_n_records_count():
    assert score(scheme(kind(2, count=CountRule(at_most=3))), Group("k", 7)) == Decimal("6.00")


def test_once_a_year_whatever_the_number():
    assert score(scheme(kind(8, count=CountRule(once=True))), Group("k", 5)) == Decimal("8.00")


def test_tiers_on_a_kind_and_on_a_category():
    tiered = kind(0, count=CountRule(tiers=((2, F(30)), (5, F(40)))))
    s = scheme(tiered)
    assert score(s, Group("k", 1)) == Decimal("0.00")
    assert score(s, Group("k", 3)) == Decimal("30.00")
    assert score(s, Group("k", 6)) == Decimal("40.00")
    by_category = scheme(kind(0), kind(0, code="j"), tiers=((2, F(30)),))
    assert score(by_category, Group("k", 1), Group("j", 1)) == Decimal("30.00")


def test_a_kinds_own_cap():
    assert score(scheme(kind(5, cap=F(20))), Group("k", 9)) == Decimal("20.00")


def test_lead_half_and_the_others_share_the_other_half():
    roles = Roles(lead=F(1, 2), others=F(1, 2), split_others=True)
    s = scheme(kind(10, roles=roles))
    assert score(s, Group("k", 1, place=0, size=3)) == Decimal("5.00")
    assert score(s, Group("k", 1, F(1, 2), place=1, size=3)) == Decimal("2.50")
    # Alone, the work is not joint: full points.
    assert score(s, Group("k", 1, place=0, size=1)) == Decimal("10.00")


def test_lead_only_and_main_members_at_most_n():
    lead_only = scheme(kind(10, roles=Roles(others=F(0))))
    assert score(lead_only, Group("k", 1, place=2, size=4)) == Decimal("0.00")
    main = scheme(kind(6, roles=Roles(at_most=3)))
    assert score(main, Group("k", 1, place=2, size=5)) == Decimal("6.00")
    assert score(main, Group("k", 1, place=3, size=5)) == Decimal("0.00")


def test_grades_of_any_number_or_none():
    s = scheme(kind(1), grades=GRADES)
    assert evaluate(s, MemberYear(groups=[Group("k", 90)])).grade_label == "优秀"
    assert evaluate(s, MemberYear(groups=[Group("k", 89)])).grade_label == "称职"
    assert evaluate(s, MemberYear(groups=[Group("k", 3)])).grade_label == "不称职"
    assert evaluate(scheme(kind(1)), MemberYear()).grade == ""


def test_an_unmet_requirement_set_caps_the_grade():
    rset = RequirementSet("six", "六个一", (Item("一次调研", ("r",)),), cap_grade="b")
    s = scheme(kind(1), kind(0, code="r"), grades=GRADES, requirement_sets=(rset,))
    result = evaluate(s, MemberYear(groups=[Group("k", 95)]))
    assert (result.score, result.grade, result.unmet) == (Decimal("95.00"), "b", ["一次调研"])
    met = evaluate(s, MemberYear(groups=[Group("k", 95), Group("r", 1)]))
    assert met.grade == "a"


def test_a_requirement_can_bind_some_positions_only():
    rset = RequirementSet(
        "x", "常委要求", (Item("一次发言", ("r",), positions=("standing",)),), "b"
    )
    s = scheme(kind(1), kind(0, code="r"), grades=GRADES, requirement_sets=(rset,))
    assert evaluate(s, MemberYear("member", [Group("k", 95)])).grade == "a"
    assert evaluate(s, MemberYear("standing", [Group("k", 95)])).grade == "b"


def test_a_veto_caps_the_grade_whatever_the_score():
    s = scheme(kind(1), grades=GRADES, vetoes=(Veto("v", "一票否决", "c"),))
    result = evaluate(s, MemberYear(groups=[Group("k", 90)], vetoes=["v"]))
    assert (result.score, result.grade_label) == (Decimal("90.00"), "不称职")


def test_adjustments_add_to_the_total_within_the_bounds():
    s = scheme(kind(1))
    assert score(s, Group("k", 10), adjustments=[F(5, 2)]) == Decimal("12.50")
    assert score(s, Group("k", 99), adjustments=[F(5)]) == Decimal("100.00")
    assert score(s, adjustments=[F(-5)]) == Decimal("0.00")
