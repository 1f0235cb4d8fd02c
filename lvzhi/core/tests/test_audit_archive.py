"""Audit retention: rows older than the period leave the database only into a
signed file, as an unbroken prefix of the chain; younger rows never."""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.translation import gettext

from lvzhi.core.audit_seal import seal_pending
from lvzhi.core.management.commands.audit_archive import signature_of
from lvzhi.core.models import AuditChainHead, AuditEvent, AuditSeal

pytestmark = pytest.mark.django_db


def rows_aged(*days: int) -> list[AuditEvent]:
    now = timezone.now()
    return [
        AuditEvent.objects.create(
            action="login_success", actor_label=f"aged{d}", created_at=now - timedelta(days=d)
        )
        for d in days
    ]


def archive(days: int, output: Path) -> str:
    out = io.StringIO()
    call_command("audit_archive", before=days, output=str(output), stdout=out)
    return out.getvalue().strip()


def test_rows_younger_than_180_days_are_never_archived(tmp_path):
    rows_aged(400, 300)
    with pytest.raises(CommandError) as refused:
        archive(179, tmp_path)
    assert str(refused.value) == gettext(
        "Audit rows are kept at least %(days)s days; nothing was archived."
    ) % {"days": 180}
    assert AuditEvent.objects.count() == 2 and list(tmp_path.iterdir()) == []


def test_old_rows_go_to_a_signed_file_and_the_chain_still_verifies(tmp_path):
    _old, older, _young = rows_aged(400, 300, 10)
    seal_pending(full=True)
    older_seal = AuditSeal.objects.get(event_id=older.pk)
    path = Path(archive(200, tmp_path))

    lines = path.read_text(encoding="utf-8").splitlines()
    body, signature = lines[:-1], json.loads(lines[-1])["signature"]
    assert signature == signature_of(body)
    assert [json.loads(line)["actor_label"] for line in body] == ["aged400", "aged300"]
    remaining = set(AuditEvent.objects.values_list("actor_label", flat=True))
    assert remaining == {"aged10", ""}  # the young row and the archive's own row
    archived = AuditEvent.objects.get(action="audit_archived")
    assert archived.detail["rows"] == "2" and archived.detail["file"] == path.name
    head = AuditChainHead.objects.get()
    # The seal of the last archived row left with it; its place is on the head.
    assert not AuditSeal.objects.filter(event_id=older.pk).exists()
    assert (head.archived_seq, head.archived_hash) == (older_seal.seq, older_seal.hash)
    call_command("audit_verify", stdout=io.StringIO())


def test_a_row_written_late_with_an_old_date_stays_behind_a_young_one(tmp_path):
    # Only a prefix of the chain is archived, so the chain keeps one start.
    rows_aged(400, 10, 300)
    archive(200, tmp_path)
    assert set(AuditEvent.objects.values_list("actor_label", flat=True)) >= {"aged10", "aged300"}
    call_command("audit_verify", stdout=io.StringIO())


def test_nothing_old_enough_writes_no_file(tmp_path):
    rows_aged(5)
    assert archive(180, tmp_path) == gettext("No audit rows old enough to archive.")
    assert list(tmp_path.iterdir()) == []
