"""Scoring under the default policy (DESIGN §6): each rule, caps, penalties,
shares of joint work, the 100-point cap, withdrawals, grades, requirement
progress, and a preview that equals the recalculation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from lvzhi.duties import services as duties
from lvzhi.duties.models import DutyKind as K
from lvzhi.points import scoring, services
from lvzhi.points.models import Grade, MemberScore, Policy, PolicyCategoryCap, PolicyKindPoints
from lvzhi.points.tests.helpers import YEAR, active_default_policy, d, record, source

pytestmark = pytest.mark.django_db


def score_of(member) -> Decimal:
    return MemberScore.objects.get(member=member, year=YEAR).score


@pytest.fixture
def policy(committee):
    return active_default_policy(committee)


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ([K.PLENARY_ATTENDED], 30),
        ([K.PLENARY_EXCUSED], 15),
        ([K.PLENARY_ABSENT], 0),
        ([K.PROPOSAL_FILED, K.PROPOSAL_REGISTERED, K.PROPOSAL_KEY], 20),
        ([K.OPINION_SUBMITTED, K.OPINION_ADOPTED_NATIONAL, K.OPINION_INSTRUCTION], 23),
        ([K.OPINION_ADOPTED_PROVINCIAL], 8),
        ([K.RESEARCH, K.INSPECTION, K.CONSULTATION, K.TRAINING], 8),
        ([K.PLENARY_SPEECH], 5),
        ([K.PUBLIC_SERVICE], 2),
        ([K.STUDY_NOTE], 2),
        ([K.PLENARY_ATTENDED, K.STANDING_ABSENT], 25),
        ([K.PLENARY_ATTENDED, K.STANDING_EXCUSED], 28),
    ],
)
def test_each_rule_of_the_default_policy(policy, new_member, kinds, expected):
    member = new_member()
    for kind in kinds:
        record(member, kind)
    assert score_of(member) == d(expected)


def test_category_caps(policy, new_member):
    member = new_member()
    for _ in range(9):
        record(member, K.RESEARCH)  # 18 → capped at 15
    for _ in range(3):
        record(member, K.STUDY_NOTE)  # 6 → capped at 4
    for _ in range(7):
        record(member, K.PUBLIC_SERVICE)  # 14 → 10
    assert score_of(member) == d(15 + 4 + 10)


def test_penalties_are_not_absorbed_by_a_cap_and_the_score_never_goes_below_zero(
    policy, new_member
):
    member = new_member()
    record(member, K.STANDING_ABSENT)
    assert score_of(member) == d(0)
    for _ in range(10):
        record(member, K.RESEARCH)
    # 15 (capped) − 5: the penalty counts in full.
    assert score_of(member) == d(10)


def test_shared_points_of_joint_work(policy, new_member):
    lead, co = new_member(), new_member()
    src = source(lead)
    record(lead, K.PROPOSAL_FILED, share="0.5", src=src)
    record(co, K.PROPOSAL_FILED, share="0.5", src=src)
    record(co, K.PROPOSAL_REGISTERED, share="0.3333", src=src)
    assert score_of(lead) == d("2.5")
    assert score_of(co) == d("5.83")  # 2.5 + 3.333


def test_plenary_half_days_add_up_to_a_session(policy, new_member):
    member = new_member()
    for _ in range(4):
        record(member, K.PLENARY_ATTENDED, share="0.25")
    assert score_of(member) == d(30)


def test_the_score_is_capped_at_100(policy, new_member):
    member = new_member()
    for kind in (K.PLENARY_ATTENDED, K.PLENARY_EXCUSED, K.PLENARY_SPEECH) * 3:
        record(member, kind)
    for _ in range(20):
        record(member, K.PROPOSAL_EXCELLENT)
    assert score_of(member) == d(100)
    assert MemberScore.objects.get(member=member).grade == Grade.EXCELLENT


def test_base_score_counts(committee, new_member):
    active_default_policy(committee, base_score=Decimal(40))
    member = new_member()
    record(member, K.RESEARCH)
    assert score_of(member) == d(42)


def test_records_of_another_year_do_not_count(policy, new_member):
    member = new_member()
    record(member, K.PLENARY_ATTENDED, day=dt.date(YEAR - 1, 3, 1))
    record(member, K.RESEARCH)
    assert score_of(member) == d(2)


def test_grades_follow_the_thresholds(policy, new_member):
    low, mid, high = new_member(), new_member(), new_member()
    record(mid, K.PLENARY_ATTENDED)
    record(mid, K.PLENARY_ATTENDED)  # 60
    for _ in range(3):
        record(high, K.PLENARY_ATTENDED)  # 90
    record(low, K.PLENARY_ATTENDED)
    grades = dict(MemberScore.objects.values_list("member_id", "grade"))
    assert grades[low.pk] == Grade.NOT_COMPETENT
    assert grades[mid.pk] == Grade.COMPETENT
    assert grades[high.pk] == Grade.EXCELLENT


def test_withdrawn_sources_remove_their_points(policy, new_member):
    member = new_member()
    src = source(member)
    record(member, K.PLENARY_ATTENDED, src=src)
    record(member, K.RESEARCH)
    assert score_of(member) == d(32)
    duties.duty_records_withdraw(source=src, reason="撤回")
    assert score_of(member) == d(2)


def test_scores_change_in_the_same_transaction_as_the_record(committee, new_member):
    member = new_member()
    active_default_policy(committee)
    assert score_of(member) == d(0)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(member, K.PLENARY_ATTENDED)
        assert score_of(member) == d(30)
        raise RuntimeError("roll back")
    assert score_of(member) == d(0)


def test_no_active_policy_means_no_score(committee, new_member):
    member = new_member()
    record(member, K.RESEARCH)
    assert not MemberScore.objects.exists()


def test_the_explanation_matches_the_stored_score(policy, new_member):
    member = new_member()
    src = source(member)
    for kind in (K.PLENARY_ATTENDED, K.STANDING_ABSENT, K.STUDY_NOTE, K.STUDY_NOTE, K.STUDY_NOTE):
        record(member, kind)
    record(member, K.PROPOSAL_FILED, share="0.3333", src=src)
    explanation = scoring.explain(policy, member)
    assert explanation.score == score_of(member)
    study = next(c for c in explanation.categories if c.category == "study")
    assert (study.earned, study.counted, len(study.lines)) == (Decimal(6), Decimal(4), 3)
    assert explanation.penalty_total == d(-5)


def test_requirement_progress_six_ones(policy, new_member):
    member = new_member()
    for kind in (K.RESEARCH, K.PROPOSAL_FILED, K.OPINION_SUBMITTED, K.PUBLIC_SERVICE, K.RESEARCH):
        record(member, kind)
    progress = scoring.progress_of(policy, member)
    assert [p.met for p in progress] == [True, True, True, False, True, False]
    assert sum(p.met for p in progress) == 4
    assert len(progress) == 6
    assert progress[0].done == 1  # capped at what is needed


def test_the_five_ones_set_is_the_other_preset(committee):
    sets = services.requirement_presets_ensure(committee)
    assert [(s.code, s.requirements.count()) for s in sets] == [("six-ones", 6), ("five-ones", 5)]
    assert services.requirement_presets_ensure(committee) == sets  # idempotent


def test_a_preview_equals_the_recalculation(policy, committee, new_member):
    members = [new_member() for _ in range(5)]
    for i, member in enumerate(members):
        for _ in range(i * 3):
            record(member, K.RESEARCH)
        if i % 2:
            record(member, K.PLENARY_ATTENDED)
            record(member, K.STANDING_ABSENT)
    draft = services.policy_copy(policy=policy, actor=None)
    PolicyKindPoints.objects.filter(policy=draft, kind=K.RESEARCH).update(points=5)
    PolicyCategoryCap.objects.filter(policy=draft, category="activities").update(cap=20)
    PolicyKindPoints.objects.filter(policy=draft, kind=K.STANDING_ABSENT).update(points=-10)
    Policy.objects.filter(pk=draft.pk).update(excellent_threshold=40, competent_threshold=20)
    draft.refresh_from_db()
    before = dict(MemberScore.objects.values_list("member_id", "score"))

    rows = scoring.preview(draft)

    assert dict(MemberScore.objects.values_list("member_id", "score")) == before  # nothing written
    assert any(r["changed"] for r in rows)
    services.policy_activate(policy=draft, actor=None)
    stored = {
        m: (s, g) for m, s, g in MemberScore.objects.values_list("member_id", "score", "grade")
    }
    assert {r["pk"]: (r["new_score"], r["new_grade"]) for r in rows} == stored
    for r in rows:
        assert r["delta"] == r["new_score"] - (r["old_score"] or 0)
    policy.refresh_from_db()
    assert policy.status == Policy.Status.ARCHIVED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"caps": {"activities": Decimal(-1)}}, "不能为负|negative"),
        ({"excellent_threshold": Decimal(50), "competent_threshold": Decimal(60)}, "顺序|order"),
        ({"excellent_threshold": Decimal(120), "competent_threshold": Decimal(60)}, "顺序|order"),
        ({"max_score": Decimal(0)}, "满分|最高|maximum"),
        ({"base_score": Decimal(-5)}, "基础|base"),
    ],
)
def test_a_bad_policy_is_refused_and_nothing_changes(committee, changes, message):
    from lvzhi.core.errors import ValidationFailed

    draft = services.policy_create_default(committee=committee, year=YEAR, actor=None)
    data = {
        "name": draft.name,
        "base_score": draft.base_score,
        "max_score": draft.max_score,
        "excellent_threshold": draft.excellent_threshold,
        "competent_threshold": draft.competent_threshold,
        "points": {K.RESEARCH: Decimal(9)},
        "caps": {},
        **changes,
    }
    with pytest.raises(ValidationFailed, match=message):
        services.policy_update(policy=draft, actor=None, data=data)
    draft.refresh_from_db()
    assert draft.excellent_threshold == Decimal(85)
    assert PolicyKindPoints.objects.get(policy=draft, kind=K.RESEARCH).points == Decimal(2)


def test_only_a_draft_can_be_changed_or_activated(policy):
    from lvzhi.core.errors import Conflict

    with pytest.raises(Conflict):
        services.policy_update(policy=policy, actor=None, data={"name": "x"})
    with pytest.raises(Conflict):
        services.policy_activate(policy=policy, actor=None)
