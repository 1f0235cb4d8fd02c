import datetime as dt
from decimal import Decimal

import pytest

from lvzhi.core.errors import DomainError
from lvzhi.duties import services
from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.duties.selectors import live_records, records_of_source
from lvzhi.org.models import Term

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 1)


def test_recording_a_duty_links_it_to_its_source_and_the_members_committee(member):
    source = Term.objects.get(pk=member.term_id)
    record = services.duty_record(
        member=member, kind=DutyKind.RESEARCH, date=DAY, source=source, title="调研"
    )
    assert record.committee_id == member.committee_id
    assert list(records_of_source(source)) == [record]
    assert record.category == "activities"


def test_recording_the_same_duty_twice_keeps_one_record(member):
    source = Term.objects.get(pk=member.term_id)
    first = services.duty_record(member=member, kind=DutyKind.RESEARCH, date=DAY, source=source)
    second = services.duty_record(member=member, kind=DutyKind.RESEARCH, date=DAY, source=source)
    assert first.pk == second.pk
    assert DutyRecord.objects.count() == 1


def test_withdrawing_the_source_withdraws_its_records_and_allows_recording_again(member):
    source = Term.objects.get(pk=member.term_id)
    services.duty_record(member=member, kind=DutyKind.PROPOSAL_FILED, date=DAY, source=source)
    withdrawn = services.duty_records_withdraw(source=source, reason="撤回")
    assert len(withdrawn) == 1
    assert not live_records(member.committee).exists()
    again = services.duty_record(
        member=member, kind=DutyKind.PROPOSAL_FILED, date=DAY, source=source
    )
    assert again.pk != withdrawn[0].pk
    assert live_records(member.committee).count() == 1


def test_listeners_hear_of_every_written_and_withdrawn_record(member, monkeypatch):
    heard: list[list[DutyRecord]] = []
    monkeypatch.setattr(
        services.ledger, "_listeners", [lambda records: heard.append(list(records))]
    )
    source = Term.objects.get(pk=member.term_id)
    services.duty_record(member=member, kind=DutyKind.RESEARCH, date=DAY, source=source)
    services.duty_records_withdraw(source=source)
    assert [len(batch) for batch in heard] == [1, 1]
    assert heard[1][0].withdrawn_at is not None


def test_inside_a_batch_listeners_hear_once_at_its_end_of_every_record(member, monkeypatch):
    heard: list[list[DutyRecord]] = []
    monkeypatch.setattr(
        services.ledger, "_listeners", [lambda records: heard.append(list(records))]
    )
    source = Term.objects.get(pk=member.term_id)
    with services.ledger_batch():
        services.duty_record(member=member, kind=DutyKind.RESEARCH, date=DAY, source=source)
        with services.ledger_batch():  # a nested batch joins the outer one
            services.duty_record(member=member, kind=DutyKind.TRAINING, date=DAY, source=source)
        services.duty_records_withdraw(source=source, kinds=[DutyKind.RESEARCH])
        assert heard == []
    assert [len(batch) for batch in heard] == [3]


def test_a_batch_that_fails_tells_no_listener(member, monkeypatch):
    heard: list[list[DutyRecord]] = []
    monkeypatch.setattr(
        services.ledger, "_listeners", [lambda records: heard.append(list(records))]
    )
    source = Term.objects.get(pk=member.term_id)
    with pytest.raises(RuntimeError), services.ledger_batch():
        services.duty_record(member=member, kind=DutyKind.RESEARCH, date=DAY, source=source)
        raise RuntimeError("stop")
    assert heard == []
    # The batch is closed again: the next record is heard at once.
    services.duty_record(member=member, kind=DutyKind.TRAINING, date=DAY, source=source)
    assert [len(batch) for batch in heard] == [1]


@pytest.mark.parametrize("share", ["0", "1.5", "-0.2"])
def test_a_share_outside_zero_to_one_is_refused(member, share):
    source = Term.objects.get(pk=member.term_id)
    with pytest.raises(DomainError):
        services.duty_record(
            member=member, kind=DutyKind.RESEARCH, date=DAY, source=source, share=share
        )
    assert not DutyRecord.objects.exists()


def test_an_unknown_kind_is_refused(member):
    source = Term.objects.get(pk=member.term_id)
    with pytest.raises(DomainError):
        services.duty_record(member=member, kind="nonsense", date=DAY, source=source)


def test_joint_work_is_recorded_as_shares(member):
    source = Term.objects.get(pk=member.term_id)
    record = services.duty_record(
        member=member, kind=DutyKind.PROPOSAL_FILED, date=DAY, source=source, share=Decimal("0.5")
    )
    assert record.share == Decimal("0.5")


def test_every_ledger_write_and_withdrawal_writes_one_audit_row(member):
    from lvzhi.core.models import AuditEvent

    source = Term.objects.get(pk=member.term_id)
    record = services.duty_record(member=member, kind=DutyKind.RESEARCH, date=DAY, source=source)
    services.duty_record(member=member, kind=DutyKind.RESEARCH, date=DAY, source=source)
    written = AuditEvent.objects.get(action="duties.record_write")
    assert written.object_id == str(record.pk)
    assert written.detail["kind"] == DutyKind.RESEARCH
    assert written.detail["source"] == f"org.term:{source.pk}"

    services.duty_records_withdraw(source=source, reason="撤回")
    withdrawn = AuditEvent.objects.get(action="duties.record_withdraw")
    assert withdrawn.object_id == str(record.pk)
    assert withdrawn.detail["reason"] == "撤回"
    # A withdrawal with nothing live left writes nothing.
    services.duty_records_withdraw(source=source, reason="再次")
    assert AuditEvent.objects.filter(action="duties.record_withdraw").count() == 1


def test_the_ledger_audit_row_is_rolled_back_with_the_record(member):
    from django.db import transaction

    from lvzhi.core.models import AuditEvent

    source = Term.objects.get(pk=member.term_id)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.duty_record(member=member, kind=DutyKind.RESEARCH, date=DAY, source=source)
        raise RuntimeError
    assert not DutyRecord.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="duties.record_").exists()
