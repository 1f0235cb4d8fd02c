"""The audit rows form a hash chain, sealed after each row commits
(core.audit_seal); ``audit_verify`` names the first broken link when a row
was changed or removed behind the application's back."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from lvzhi.core.append_only import guard_statements, unguard_statements
from lvzhi.core.audit import audit_log
from lvzhi.core.audit_chain import GENESIS
from lvzhi.core.audit_seal import seal_pending
from lvzhi.core.models import AuditChainHead, AuditEvent, AuditSeal
from lvzhi.core.tasks import seal_audit_trail


def write_rows(count: int) -> list[AuditEvent]:
    """``count`` rows, sealed (as after their commit), with their chain fields."""
    written = [audit_log(action="login_success", actor_label=f"user{i}") for i in range(count)]
    seal_pending()
    chained = AuditEvent.objects.with_chain().in_bulk([row.pk for row in written])
    return [chained[row.pk] for row in written]


def behind_the_guard(sql: str, params: list, table: str = "core_auditevent") -> None:
    """What an attacker with the database owner's rights could do: drop the
    trigger, rewrite, put the trigger back."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for statement in unguard_statements(vendor, table):
            cursor.execute(statement)
        cursor.execute(sql, params)
        for statement in guard_statements(vendor, table):
            cursor.execute(statement)


def verify() -> None:
    call_command("audit_verify", stdout=io.StringIO())


@pytest.mark.django_db
def test_each_row_links_to_the_one_before_it():
    first, second, third = write_rows(3)
    assert first.seq == 1 and first.prev_hash == GENESIS
    assert (second.seq, third.seq) == (first.seq + 1, first.seq + 2)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.last_hash) == (third.seq, third.hash)


@pytest.mark.django_db
def test_an_intact_trail_verifies(capsys):
    write_rows(3)
    call_command("audit_verify")
    assert "3" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_row_changed_with_raw_sql_is_found_at_its_position():
    rows = write_rows(4)
    behind_the_guard(
        "UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["forged", rows[2].pk]
    )
    with pytest.raises(CommandError) as refused:
        verify()
    assert f"{rows[2].seq}" in str(refused.value) and str(rows[2].pk) in str(refused.value)


@pytest.mark.django_db
def test_a_row_removed_from_the_middle_or_the_end_is_found():
    rows = write_rows(4)
    behind_the_guard("DELETE FROM core_auditevent WHERE id = %s", [rows[1].pk])
    with pytest.raises(CommandError, match=str(rows[1].seq)):
        verify()
    behind_the_guard("DELETE FROM core_auditevent WHERE id = %s", [rows[3].pk])
    with pytest.raises(CommandError):
        verify()


@pytest.mark.django_db
def test_a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link():
    rows = write_rows(3)
    behind_the_guard(
        "UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["forged", rows[1].pk]
    )
    behind_the_guard(
        "UPDATE core_auditseal SET hash = %s WHERE event_id = %s",
        ["f" * 64, rows[1].pk],
        table="core_auditseal",
    )
    with pytest.raises(CommandError, match=str(rows[1].seq)):
        verify()


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_moment_never_fork_the_chain():
    # No head yet (as after a flush): the writers also race to create it.
    AuditChainHead.objects.all().delete()
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def worker(index: int) -> None:
        try:
            barrier.wait()
            for n in range(5):
                audit_log(action="login_success", actor_label=f"w{index}-{n}")
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AuditEvent.objects.count() == 20
    # Each writer sealed its row right after its commit, not the verify below.
    assert AuditSeal.objects.count() == 20
    verify()


@pytest.mark.django_db
def test_a_business_transaction_leaves_the_chain_head_alone_until_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        written = [audit_log(action="login_success") for _ in range(3)]
        head = AuditChainHead.objects.filter(pk=AuditChainHead.PLATFORM).first()
        assert head is None or head.seq == 0
        assert not AuditSeal.objects.exists()
    # One seal after the commit for the three rows, in their order.
    assert len(callbacks) == 1
    seals = list(AuditSeal.objects.order_by("seq").values_list("event_id", flat=True))
    assert seals == [row.pk for row in written]
    assert AuditChainHead.objects.get().seq == 3


@pytest.mark.django_db
def test_rows_whose_seal_was_lost_are_sealed_by_the_job():
    # Inside the test's transaction no on-commit callback runs: as if the
    # process had died between the commit and the seal.
    written = [audit_log(action="login_success") for _ in range(2)]
    assert not AuditSeal.objects.exists()
    assert seal_audit_trail.call_local() == 2
    assert set(AuditSeal.objects.values_list("event_id", flat=True)) == {r.pk for r in written}
    assert seal_audit_trail.call_local() == 0
    verify()


@pytest.mark.django_db
def test_an_ipv6_address_written_in_capitals_still_verifies():
    AuditEvent.objects.create(action="login_success", ip="2001:0DB8:0000::1")
    assert AuditEvent.objects.get().ip == "2001:db8::1"
    verify()
