"""The set-based recomputation: its one grouped read gives, record by
record, the places in joint work and the dates that count that the
correlated reference (``scoring._in_work``) gives — in both plans, on
whichever database runs the tests — and the incremental update of the
ledger listener, in the record's transaction, leaves exactly what a full
recomputation writes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.duties import services as duties
from lvzhi.duties.models import DutyKind as K
from lvzhi.duties.models import DutyRecord
from lvzhi.duties.tests.factories import make_member
from lvzhi.org.tests.factories import CommitteeFactory
from lvzhi.points import language, schemefile, scoring, services
from lvzhi.points.models import MemberScore
from lvzhi.points.tests.helpers import YEAR, record, source

pytestmark = pytest.mark.django_db


def scheme_document(at_most: int | None = 3) -> dict[str, Any]:
    """Tongcheng 2019 (lead half, the others share half) with main members
    at most ``at_most``, and an excellent proposal counted in the year filed."""
    document = services.presets.scheme_preset("tongcheng-2019")
    for kind in document["kinds"]:
        if kind.get("roles") and at_most is not None:
            kind["roles"]["at_most"] = at_most
    document["kinds"].append(
        {
            "code": "excellent",
            "label": "优秀提案",
            "category": document["kinds"][0]["category"],
            "points": 4,
            "events": [K.PROPOSAL_EXCELLENT],
            "year_of": K.PROPOSAL_FILED,
        }
    )
    return document


def joint(members, *, day=None, kind=K.PROPOSAL_FILED, src=None):
    src = src or source(members[0])
    for member in members:
        record(member, kind, src=src, day=day)
    return src


@pytest.fixture
def ledger(committee, new_member):
    """A year of joint work with every awkward case: a lead recorded the
    year before, a co-signer in another committee, withdrawn records, works
    of one, of two and of five (more than the three main members), an
    excellent proposal selected the next year for a proposal filed this
    year, and one filed the year before."""
    members = [new_member() for _ in range(7)]
    a, b, c, d, e, f, g = members
    joint([a, b, c])
    joint([b, a])
    joint([c, d, e, f, g])
    joint([d])
    # The lead filed in December of the year before; the others this year.
    src = joint([e], day=dt.date(YEAR - 1, 12, 30))
    joint([f, g], src=src)
    # A co-signer of another committee on the same source.
    other = make_member(CommitteeFactory())
    src = joint([other])
    joint([a], src=src)
    # A withdrawn lead: the first co-signer becomes the lead.
    src = joint([g, b, c])
    duties.duty_records_withdraw(source=src, members=[g], kinds=[K.PROPOSAL_FILED], reason="撤回")
    # Excellent: selected next February for a proposal filed this year
    # (counts this year) and for one filed the year before (does not).
    src = joint([a, b], day=dt.date(YEAR, 11, 20))
    joint([a, b], kind=K.PROPOSAL_EXCELLENT, day=dt.date(YEAR + 1, 2, 10), src=src)
    src = joint([c], day=dt.date(YEAR - 1, 11, 20))
    joint([c], kind=K.PROPOSAL_EXCELLENT, day=dt.date(YEAR, 2, 10), src=src)
    # Filed on the last day of the year, co-signed in the next.
    src = joint([d], day=dt.date(YEAR, 12, 31))
    joint([e, f], day=dt.date(YEAR + 1, 1, 5), src=src)
    for member in members:
        record(member, K.RESEARCH)
        record(member, K.PLENARY_ATTENDED, share="0.3333")
    return members


def reference(scheme, committee_id, year, member_ids=None) -> Counter:
    """The correlated read, record by record (what ``explain`` lists)."""
    kinds = scheme.kind_of_event()
    rows = scoring._live(committee_id, member_ids)
    counted: Counter = Counter()
    for r in scoring._in_work(scheme, year, rows, list(kinds)):
        roles = kinds[r.kind].roles is not None
        place, size = (r.place or 0, r.size or 1) if roles else (0, 1)
        counted[(r.member_id, r.kind, language.unit_share(r.share), place, size)] += 1
    return counted


def grouped(scheme, committee_id, year, member_ids=None, *, windowed) -> Counter:
    sql, params = scoring._grouped_sql(scheme, committee_id, year, member_ids, windowed=windowed)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counted: Counter = Counter()
    for member_id, event, share, work, n in rows:
        place, size = divmod(work, scoring.PLACE)
        counted[(member_id, event, language.unit_share(Decimal(str(share))), place, size)] += n
    return counted


@pytest.mark.parametrize(
    ("at_most", "year"), [(3, YEAR - 1), (3, YEAR), (3, YEAR + 1), (None, YEAR)]
)
def test_the_grouped_read_equals_the_correlated_reference(committee, ledger, at_most, year):
    scheme = schemefile.load(scheme_document(at_most))
    expected = reference(scheme, committee.pk, year)
    assert expected  # the case is not empty
    some = [m.pk for m in ledger[:3]]
    some_expected = reference(scheme, committee.pk, year, some)
    for windowed in (True, False):  # both plans run on SQLite and PostgreSQL
        assert grouped(scheme, committee.pk, year, windowed=windowed) == expected
        # For some members only (the ledger listener's read).
        assert grouped(scheme, committee.pk, year, some, windowed=windowed) == some_expected


def test_the_places_of_the_fixture_are_the_awkward_ones(committee, ledger):
    scheme = schemefile.load(scheme_document())
    rows = reference(scheme, committee.pk, YEAR)
    places = {(m, place, size) for (m, kind, _s, place, size) in rows if kind == K.PROPOSAL_FILED}
    a, b, _c, _d, _e, f, g = (m.pk for m in ledger)
    assert (g, 4, 5) in places  # the fifth of five: past the main members
    assert (f, 1, 3) in places  # the lead of the work filed the year before
    assert (a, 1, 2) in places  # after a member of another committee
    assert (b, 0, 2) in places  # lead once the first was withdrawn


def scores(committee) -> dict[int, tuple]:
    return {
        row.member_id: (row.score, row.grade, row.grade_label, row.policy_id)
        for row in MemberScore.objects.filter(committee=committee, year=YEAR)
    }


def test_the_incremental_update_agrees_with_a_full_recomputation(committee, new_member):
    policy = services.policy_import(
        committee=committee, year=YEAR, actor=None, document=scheme_document()
    )
    services.policy_activate(policy=policy, actor=None)
    members = [new_member() for _ in range(6)]
    a, b, c, d, e, f = members
    # Each record below is written through the ledger: its listener updates
    # the touched members' scores (and their co-workers') in its transaction.
    src = joint([a, b, c, d, e])
    joint([b, a])
    joint([c], day=dt.date(YEAR - 1, 12, 30), src=(late := source(c)))
    joint([d, e], src=late)
    record(f, K.PLENARY_ATTENDED, share="0.3333")
    record(f, K.PLENARY_ATTENDED, share="0.3333")
    for member in members:
        record(member, K.RESEARCH)
    excellent = joint([a, b], day=dt.date(YEAR, 11, 20))
    joint([a, b], kind=K.PROPOSAL_EXCELLENT, day=dt.date(YEAR + 1, 2, 1), src=excellent)
    # A withdrawn lead moves every co-signer up a place.
    duties.duty_records_withdraw(source=src, members=[a], kinds=[K.PROPOSAL_FILED], reason="撤回")
    incremental = scores(committee)
    assert len(incremental) == 6
    assert len({v[0] for v in incremental.values()}) > 2  # the scores differ
    MemberScore.objects.filter(committee=committee).update(score=0, grade="", grade_label="")
    assert scoring.recalculate(policy) == 6
    assert scores(committee) == incremental


def test_a_recomputation_writes_one_row_per_member_in_one_statement(committee, new_member):
    policy = services.policy_import(
        committee=committee, year=YEAR, actor=None, document=scheme_document()
    )
    members = [new_member() for _ in range(3)]
    joint(members)
    with CaptureQueriesContext(connection) as ctx:
        assert scoring.recalculate(policy) == 3
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    assert len(writes) == 1 and "ON CONFLICT" in writes[0]
    # Written again: the same rows, updated.
    assert scoring.recalculate(policy) == 3
    assert MemberScore.objects.filter(committee=committee, year=YEAR).count() == 3
    assert DutyRecord.objects.filter(committee=committee).count() == 3
