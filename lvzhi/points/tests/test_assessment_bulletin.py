"""Annual assessment (self-report, review with a reasoned adjustment,
publication with grade, unmet requirements and flags) and quarterly bulletins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.duties.models import DutyKind as K
from lvzhi.points import services, tasks
from lvzhi.points.models import Assessment, AssessmentEvent, Bulletin, Grade
from lvzhi.points.tests.helpers import YEAR, active_default_policy, open_assessment, record

pytestmark = pytest.mark.django_db


def test_self_report_review_and_publish(committee, duties_staff, new_member):
    member = new_member()
    active_default_policy(committee)
    record(member, K.PLENARY_ATTENDED)
    record(member, K.RESEARCH)
    user = member.person.user
    other = new_member()
    with pytest.raises(PermissionDenied):
        services.assessment_submit_report(
            member=member, actor=other.person.user, year=YEAR, text="冒名"
        )
    with pytest.raises(ValidationFailed):
        services.assessment_submit_report(member=member, actor=user, year=YEAR, text="  ")
    a = services.assessment_submit_report(
        member=member, actor=user, year=YEAR, text="今年参加了全会和调研。"
    )
    assert a.state == Assessment.State.SUBMITTED
    with pytest.raises(Conflict):
        services.assessment_publish(assessment=a, actor=duties_staff)
    with pytest.raises(ValidationFailed):
        services.assessment_review(
            assessment=a, actor=duties_staff, adjustment=Decimal(5), reason=""
        )
    services.assessment_review(
        assessment=a, actor=duties_staff, adjustment=Decimal(30), reason="抗洪抢险表现突出"
    )
    a = services.assessment_publish(assessment=a, actor=duties_staff)
    assert (a.score, a.final_score, a.grade) == (
        Decimal("32.00"),
        Decimal("62.00"),
        Grade.COMPETENT,
    )
    assert "一次调研" not in a.unmet and "一件提案" in a.unmet
    assert not a.flag_below_competent
    assert list(AssessmentEvent.objects.filter(assessment=a).values_list("action", flat=True)) == [
        "submit",
        "review",
        "publish",
    ]
    with pytest.raises(Conflict):
        services.assessment_review(
            assessment=a, actor=duties_staff, adjustment=Decimal(0), reason=""
        )


def test_below_60_two_years_running_is_flagged(committee, duties_staff, new_member):
    member = new_member()
    for year in (YEAR - 1, YEAR):
        active_default_policy(committee, year)
        record(member, K.RESEARCH, day=dt.date(year, 4, 1))
        a = open_assessment(member, year)
        services.assessment_review(
            assessment=a, actor=duties_staff, adjustment=Decimal(0), reason=""
        )
        a = services.assessment_publish(assessment=a, actor=duties_staff)
        assert a.flag_below_competent
    assert a.flag_two_years
    assert Assessment.objects.get(member=member, year=YEAR - 1).flag_two_years is False


def test_a_bulletin_shows_sector_figures_and_unmet_requirements(
    committee, duties_staff, new_member
):
    a, b = new_member(), new_member()
    active_default_policy(committee)
    for kind in (
        K.RESEARCH,
        K.PROPOSAL_FILED,
        K.OPINION_SUBMITTED,
        K.CONSULTATION,
        K.PUBLIC_SERVICE,
        K.INVESTMENT_OR_TALENT,
    ):
        record(a, kind, day=dt.date(YEAR, 2, 1))
    bulletin = services.bulletin_generate(
        committee=committee, year=YEAR, quarter=1, actor=duties_staff
    )
    sectors = {s["sector"]: s for s in bulletin.data["sectors"]}
    sa, sb = sectors[a.sector.name], sectors[b.sector.name]
    assert (sa["members"], sa["active_members"], sa["records"], sa["unmet"]) == (1, 1, 6, [])
    assert sb["active_members"] == 0
    assert sb["unmet"][0]["name"] == b.person.name and len(sb["unmet"][0]["unmet"]) == 6
    assert bulletin.state == Bulletin.State.DRAFT
    services.bulletin_publish(bulletin=bulletin, actor=duties_staff, note="请各界别督促")
    with pytest.raises(Conflict):
        services.bulletin_generate(committee=committee, year=YEAR, quarter=1)
    with pytest.raises(ValidationFailed):
        services.bulletin_generate(committee=committee, year=YEAR, quarter=5)


def test_the_job_drafts_last_quarters_bulletin_once(committee, new_member):
    new_member()
    active_default_policy(committee)
    assert tasks.bulletins_generate(dt.date(YEAR, 4, 1)) == 1
    assert tasks.bulletins_generate(dt.date(YEAR, 4, 1)) == 0
    bulletin = Bulletin.objects.get()
    assert (bulletin.year, bulletin.quarter) == (YEAR, 1)
    assert tasks.previous_quarter(dt.date(YEAR, 1, 1)) == (YEAR - 1, 4)
    tasks.generate_quarterly_bulletins.call_local()


def test_excellent_candidates_need_the_score_and_every_requirement(committee, new_member):
    good, high_but_short = new_member(), new_member()
    active_default_policy(committee)
    for member in (good, high_but_short):
        for _ in range(3):
            record(member, K.PLENARY_ATTENDED)
    for kind in (
        K.RESEARCH,
        K.PROPOSAL_FILED,
        K.OPINION_SUBMITTED,
        K.CONSULTATION,
        K.PUBLIC_SERVICE,
        K.INVESTMENT_OR_TALENT,
    ):
        record(good, kind)
    policy = services.scoring.active_policy(committee.pk, YEAR)
    assert [m.pk for m in services.excellent_candidates(policy)] == [good.pk]
