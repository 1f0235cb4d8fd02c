"""The shipped schemes, each with a member's year recorded through the
services (the ledger, as the apps write it; staff entries) and the score
worked out by hand from the published rules in the comments. Each must
match exactly, score and grade."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lvzhi.duties.models import DutyKind as K
from lvzhi.org.models import Member
from lvzhi.points import services
from lvzhi.points.models import MemberScore, PolicyEntry
from lvzhi.points.tests.helpers import YEAR, record, source

pytestmark = pytest.mark.django_db

THIRD = "0.3333"  # a half-day of a three-half-day session, as the ledger keeps it
HALF = "0.5000"  # each of two co-signers, as the proposals app records it


def active(committee, preset: str):
    policy = services.policy_create_preset(
        committee=committee, year=YEAR, actor=None, preset=preset
    )
    services.policy_activate(policy=policy, actor=None)
    return policy


def result(member) -> tuple[Decimal, str]:
    stored = MemberScore.objects.get(member=member, year=YEAR)
    return stored.score, stored.grade_label


def session(member, kind: str, half_days: int) -> None:
    """Each half-day of one session is one record of a third (or half…) share."""
    share = {1: "1", 2: "0.5000", 3: THIRD}[half_days]
    for _ in range(half_days):
        record(member, kind, share=share)


def joint(lead, cosigners, kind: str) -> None:
    """A joint work: the lead's record first, then each co-signer's 1/n."""
    src = source(lead)
    record(lead, kind, src=src)
    share = {0: "1", 1: "1", 2: HALF}[len(cosigners)]
    for member in cosigners:
        record(member, kind, share=share, src=src)


def test_tongcheng_2019_worked_example(committee, new_member):
    active(committee, "tongcheng-2019")
    member = new_member(position=Member.Position.STANDING)
    lead, other = new_member(), new_member()
    # Plenary: three half-days attended, each 1/3 of 50 ........... 50
    session(member, K.PLENARY_ATTENDED, 3)
    # Standing-committee meeting, excused (standing member) ........ −2
    record(member, K.STANDING_EXCUSED)
    # Own proposal: filed 10 + registered 15 ....................... 25
    joint(member, [], K.PROPOSAL_FILED)
    record(member, K.PROPOSAL_REGISTERED)
    # Co-signer of a joint proposal with one other co-signer: the
    # lead has half of 10, the two others share the other half .... 2.5
    joint(lead, [member, other], K.PROPOSAL_FILED)
    #   proposals 27.5, at most 25 → 25
    # Two research trips 2 + 2, a written plenary speech 5 ......... 9 (≤ 10)
    record(member, K.RESEARCH)
    record(member, K.RESEARCH)
    record(member, K.PLENARY_SPEECH)
    # A report 10, adopted by the city +5 ......................... 15 (≤ 15)
    record(member, K.OPINION_SUBMITTED)
    record(member, K.OPINION_ADOPTED_CITY)
    # 50 + 25 + 9 + 15 = 99, then the deduction −2 = 97 → 合格 (≥ 60)
    assert result(member) == (Decimal("97.00"), "合格")
    # The lead: half of 10 = 5 → 不合格; a co-signer: 2.5.
    assert result(lead) == (Decimal("5.00"), "不合格")
    assert result(other) == (Decimal("2.50"), "不合格")


def test_anqing_2018_worked_example(committee, new_member):
    policy = active(committee, "anqing-2018")
    member, floored, vetoed = new_member(), new_member(), new_member()
    # Meetings part starts full at 50: a one-half-day plenary missed
    # without leave −10, two other meetings missed −5 each ......... 30
    session(member, K.PLENARY_ABSENT, 1)
    record(member, K.STANDING_ABSENT)
    record(member, K.STANDING_ABSENT)
    # Work part: two proposals filed 5 + registered 5 each ......... 20 (≤ 20)
    for _ in range(2):
        record(member, K.PROPOSAL_FILED)
        record(member, K.PROPOSAL_REGISTERED)
    # Two reports 3 each, one adopted by the province +5 ........... 11 (≤ 15)
    record(member, K.OPINION_SUBMITTED)
    record(member, K.OPINION_SUBMITTED)
    record(member, K.OPINION_ADOPTED_PROVINCIAL)
    # Four research trips 3 each .................................. 12 (≤ 15)
    for _ in range(4):
        record(member, K.RESEARCH)
    # 30 + 20 + 11 + 12 = 73 → 称职 (60–79)
    assert result(member) == (Decimal("73.00"), "称职")

    # Twelve meetings missed: 50 − 60 stops at the floor 0; with the full
    # work part 20 + 15 + 15 = 50 the score is 50, not 40 → 不称职.
    for _ in range(12):
        record(floored, K.STANDING_ABSENT)
    for _ in range(2):
        record(floored, K.PROPOSAL_FILED)
        record(floored, K.PROPOSAL_REGISTERED)
    for _ in range(5):
        record(floored, K.OPINION_SUBMITTED)
        record(floored, K.RESEARCH)
    assert result(floored) == (Decimal("50.00"), "不称职")

    # 50 + 20 + (6 + 5) + 9 = 90 → 优秀; a veto item recorded by staff
    # caps the grade: 90 不称职.
    for _ in range(2):
        record(vetoed, K.PROPOSAL_FILED)
        record(vetoed, K.PROPOSAL_REGISTERED)
        record(vetoed, K.OPINION_SUBMITTED)
    record(vetoed, K.OPINION_ADOPTED_NATIONAL)
    for _ in range(3):
        record(vetoed, K.RESEARCH)
    assert result(vetoed) == (Decimal("90.00"), "优秀")
    services.entry_add(
        member=vetoed,
        actor=None,
        year=policy.year,
        entry_type=PolicyEntry.Type.VETO,
        code="discipline",
        reason="受到政务处分",
    )
    assert result(vetoed) == (Decimal("90.00"), "不称职")


def test_hefei_2015_worked_example(committee, new_member):
    policy = active(committee, "hefei-2015")
    member = new_member(position=Member.Position.STANDING)
    # Plenary of three half-days: two attended 2 × 30/3 = 20, one
    # missed without leave −10/3 ................................... 20 − 10/3
    record(member, K.PLENARY_ATTENDED, share=THIRD)
    record(member, K.PLENARY_ATTENDED, share=THIRD)
    record(member, K.PLENARY_ABSENT, share=THIRD)
    # A standing-committee meeting missed (standing member) ......... −4
    record(member, K.STANDING_ABSENT)
    # Three activities: two or more earn 30 ......................... 30
    for kind in (K.RESEARCH, K.INSPECTION, K.TRAINING):
        record(member, kind)
    # Six registered proposals: from the second on 5 each = 25, at most 20
    for _ in range(6):
        record(member, K.PROPOSAL_REGISTERED)
    # Two articles in the media, recorded by staff, 2 each ........... 4
    for title in ("日报署名文章", "晚报评论"):
        services.entry_add(
            member=member,
            actor=None,
            year=policy.year,
            entry_type=PolicyEntry.Type.DUTY,
            code="article",
            reason=title,
        )
    # 20 + 30 + 20 + 4 − 10/3 − 4 = 66.666… → 66.67 (rounded once); no grades.
    assert result(member) == (Decimal("66.67"), "")


def test_design_default_worked_example_and_the_simple_policy_agree(committee, new_member):
    member = new_member()
    # Plenary attended 30; proposal filed 5 + registered 10 + key 5 = 20;
    # report 3 + adopted nationally 15 + instruction 5 = 23; 9 research
    # trips 18 → cap 15; a plenary speech 5; three study notes 6 → cap 4;
    # a standing meeting excused −2 (the default has no position rule).
    kinds = [K.PLENARY_ATTENDED, K.PROPOSAL_FILED, K.PROPOSAL_REGISTERED, K.PROPOSAL_KEY]
    kinds += [K.OPINION_SUBMITTED, K.OPINION_ADOPTED_NATIONAL, K.OPINION_INSTRUCTION]
    kinds += [K.RESEARCH] * 9 + [K.PLENARY_SPEECH] + [K.STUDY_NOTE] * 3 + [K.STANDING_EXCUSED]
    for kind in kinds:
        record(member, kind)
    # 30 + 20 + 23 + 15 + 5 + 4 − 2 = 95 → 优秀 (≥ 85)
    active(committee, "default")
    assert result(member) == (Decimal("95.00"), "优秀")
    simple = services.policy_create_default(committee=committee, year=YEAR, actor=None)
    services.policy_activate(policy=simple, actor=None)
    assert result(member)[0] == Decimal("95.00")


def test_an_excellent_proposal_counts_in_the_year_it_was_filed(committee, new_member):
    document = services.presets.scheme_preset("default")
    for kind in document["kinds"]:
        if kind["code"] == "proposal_excellent":
            kind["year_of"] = "proposal_filed"
    policy = services.policy_import(committee=committee, year=YEAR, actor=None, document=document)
    services.policy_activate(policy=policy, actor=None)
    member = new_member()
    src = source(member)
    record(member, K.PROPOSAL_FILED, src=src, day=dt.date(YEAR, 11, 20))
    # Selected in February of the next year: it counts in the year filed.
    record(member, K.PROPOSAL_EXCELLENT, src=src, day=dt.date(YEAR + 1, 2, 10))
    assert result(member)[0] == Decimal("15.00")
    # A study note dated in the next year does not.
    record(member, K.STUDY_NOTE, day=dt.date(YEAR + 1, 2, 11))
    assert result(member)[0] == Decimal("15.00")
