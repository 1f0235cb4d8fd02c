"""Recalculating a year is set-based: 600 members with 100 duty records each
take exactly as many queries as 200 members do (N and 3N, DESIGN §7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.duties.tests.factories import current_term
from lvzhi.org.models import Member, Person
from lvzhi.org.tests.factories import SectorFactory
from lvzhi.points import scoring, services
from lvzhi.points.models import MemberScore, Policy
from lvzhi.points.tests.helpers import YEAR

pytestmark = pytest.mark.django_db

KINDS = [
    DutyKind.RESEARCH,
    DutyKind.STUDY_NOTE,
    DutyKind.PUBLIC_SERVICE,
    DutyKind.PROPOSAL_FILED,
    DutyKind.OPINION_SUBMITTED,
    DutyKind.STANDING_ABSENT,
    DutyKind.PLENARY_ATTENDED,
    DutyKind.TRAINING,
]


def add_members(committee, start: int, n: int, records_each: int = 100) -> None:
    term = current_term(committee)
    sector = SectorFactory(committee=committee)
    people = Person.objects.bulk_create(
        [Person(name=f"规模{start + i}", gender="F", party="nonparty") for i in range(n)]
    )
    members = Member.objects.bulk_create(
        [
            Member(
                committee=committee,
                term=term,
                person=p,
                sector=sector,
                start_date=dt.date(2023, 1, 10),
            )
            for p in people
        ]
    )
    source_type = ContentType.objects.get_for_model(Member)
    rows = []
    for m in members:
        for j in range(records_each):
            rows.append(
                DutyRecord(
                    committee=committee,
                    member=m,
                    kind=KINDS[j % len(KINDS)],
                    date=dt.date(YEAR, 1 + j % 12, 1 + j % 28),
                    share=Decimal("0.5") if j % 7 == 0 else Decimal(1),
                    source_type=source_type,
                    source_id=j,
                )
            )
    DutyRecord.objects.bulk_create(rows, batch_size=5000)


def queries_of_recalculation(policy: Policy) -> int:
    with CaptureQueriesContext(connection) as ctx:
        scoring.recalculate(policy)
    return len(ctx.captured_queries)


def test_recalculating_600_members_takes_as_many_queries_as_200(committee):
    policy = services.policy_create_default(committee=committee, year=YEAR, actor=None)
    Policy.objects.filter(pk=policy.pk).update(status=Policy.Status.ACTIVE)
    policy.refresh_from_db()
    add_members(committee, 0, 200)

    small = queries_of_recalculation(policy)
    assert MemberScore.objects.filter(year=YEAR).count() == 200

    add_members(committee, 200, 400)
    large = queries_of_recalculation(policy)

    assert large == small
    assert small <= 10
    assert MemberScore.objects.filter(year=YEAR).count() == 600
    # Spot-check one member against the record-by-record explanation.
    member = Member.objects.order_by("-pk").first()
    assert MemberScore.objects.get(member=member).score == scoring.explain(policy, member).score
    # And the preview reads the same grouped counts, writing nothing: the
    # policy's rules (2), the members, one GROUP BY, the staff entries, the
    # stored scores and the member list.
    with CaptureQueriesContext(connection) as ctx:
        rows = scoring.preview(policy)
    assert len(rows) == 600
    assert len(ctx.captured_queries) <= 8
