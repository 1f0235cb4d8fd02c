"""The province dataset (bench/province.py) keeps every invariant the app
keeps: built at a tiny size into the test database (PostgreSQL only; the
builder refuses SQLite, which is checked on SQLite)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import province

from lvzhi.core.management.commands.audit_verify import chain_break

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the province dataset is built on PostgreSQL only"
)


@on_postgresql
@pytest.mark.django_db
def test_tiny_province_keeps_every_invariant() -> None:
    from lvzhi.duties.models import DutyRecord, Invitation
    from lvzhi.org.models import Committee
    from lvzhi.proposals.models import Proposal

    report = province.build(0.01, seat_scale=0.1, stdout=io.StringIO())

    codes = list(
        Committee.objects.filter(code__startswith=province.PREFIX)
        .order_by("id")
        .values_list("level", flat=True)
    )
    assert codes == ["provincial", "city", "county"]
    # Every table got rows, and the ones counted are the ones stored.
    counts = report["counts"]
    assert counts["proposals_proposal"] == Proposal.objects.count() > 0
    assert counts["duties_invitation"] == Invitation.objects.count() > 0
    assert counts["duties_dutyrecord"] == DutyRecord.objects.count() > 0
    assert counts["member scores"] > 0
    # Tenancy, numbering, states, deadlines, shares and scores: nothing broken.
    assert {k: v for k, v in province.invariants().items() if v} == {}
    # The audit chain runs through the generated rows to the head.
    found, checked = chain_break()
    assert found is None
    assert checked >= counts["core_auditevent"] > 0
    call_command("audit_verify", stdout=io.StringIO())  # raises CommandError when broken
    # The database's own guards are back: the constraints dropped for the load.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'duties_invitation'::regclass "
            "AND contype IN ('f', 'u')"
        )
        assert cursor.fetchone()[0] == 4
    # The proposals' search entries, written by COPY, are what the indexer writes.
    from lvzhi.assist import indexing
    from lvzhi.assist.models import IndexMark, Kind, SearchEntry

    fields = ("committee_id", "object_id", "year", "title", "body", "tokens", "terms", "url")
    built = sorted(SearchEntry.objects.filter(kind=Kind.PROPOSAL).values_list(*fields))
    assert len(built) == counts["assist_searchentry (proposals)"] == Proposal.objects.count()
    assert IndexMark.objects.get(key=Kind.PROPOSAL).last_id == max(p[1] for p in built)
    indexing.rebuild([Kind.PROPOSAL])
    assert sorted(SearchEntry.objects.filter(kind=Kind.PROPOSAL).values_list(*fields)) == built
    # A second build is refused: the dataset is there.
    with pytest.raises(SystemExit):
        province.build(0.01, seat_scale=0.1, stdout=io.StringIO())


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the refusal on SQLite")
def test_builder_refuses_sqlite() -> None:
    with pytest.raises(SystemExit, match="PostgreSQL only"):
        province.build(0.01)
