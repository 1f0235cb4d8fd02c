"""The system administrator's system page: who may open it (sysadmin only),
its figures read from a seeded outbox, backup directory and media directory
(tmp dirs through settings), the audit chain and the migrations, and the hub
of the committee's settings pages. A GET writes nothing."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lvzhi.accounts.models import Area, Role
from lvzhi.core import system
from lvzhi.core.models import EmailOutbox
from lvzhi.duties.tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(make_user, committee):
    return make_user(Role.SYSADMIN, committee)


@pytest.fixture
def var_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def outbox_row(status: str, age: dt.timedelta = dt.timedelta(0)) -> EmailOutbox:
    row = EmailOutbox.objects.create(
        to_address="a@example.org", subject="s", body="b", status=status
    )
    EmailOutbox.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)
    return row


@pytest.mark.parametrize("role", [Role.SECADMIN, Role.AUDITOR, Role.STAFF, Role.LEADER])
def test_other_roles_get_403(client, make_user, committee, role, var_dir):
    client.force_login(make_user(role, committee, Area.DUTIES if role == Role.STAFF else ""))
    assert client.get(reverse("core:system")).status_code == 403
    assert client.get(reverse("core:settings_hub")).status_code == 403


def test_a_member_gets_403(client, committee, var_dir):
    client.force_login(make_member(committee).person.user)
    assert client.get(reverse("core:system")).status_code == 403


def test_the_sysadmin_of_another_committee_gets_403(
    client, make_user, other_committee, committee, var_dir
):
    user = make_user(Role.SYSADMIN, other_committee)
    client.force_login(user)
    # Their page is of their own committee; ours is not theirs to choose.
    assert client.get(reverse("core:system")).status_code == 200
    from lvzhi.core.permissions import has_perm

    assert not has_perm(user, "core.view_system", committee)


def test_the_sysadmin_sees_the_outbox_backup_and_storage_figures(client, sysadmin, var_dir):
    outbox_row(EmailOutbox.Status.PENDING, dt.timedelta(hours=3))
    outbox_row(EmailOutbox.Status.PENDING, dt.timedelta(minutes=5))
    outbox_row(EmailOutbox.Status.FAILED)
    outbox_row(EmailOutbox.Status.SENT)
    backups = var_dir / "backups"
    backups.mkdir()
    old = backups / "lvzhi-20260101-010101.sqlite3"
    old.write_bytes(b"x" * 10)
    two_days = time.time() - 2 * 86400
    os.utime(old, (two_days, two_days))
    new = backups / "lvzhi-20260102-010101.sqlite3"
    new.write_bytes(b"y" * 2048)
    (backups / "notes.txt").write_text("not a backup")
    media = var_dir / "media" / "attachments"
    media.mkdir(parents=True)
    (media / "a.pdf").write_bytes(b"z" * 1000)
    (media / "b.pdf").write_bytes(b"z" * 500)

    client.force_login(sysadmin)
    response = client.get(reverse("core:system"))
    assert response.status_code == 200
    box, backup, storage = (
        response.context["outbox"],
        response.context["backup"],
        response.context["storage"],
    )
    assert (box.pending, box.failed, box.sent) == (2, 1, 1)
    assert dt.timedelta(hours=2, minutes=59) < box.oldest_age < dt.timedelta(hours=3, minutes=5)
    assert (backup.latest, backup.size, backup.count) == (new.name, 2048, 2)
    assert not backup.stale
    assert (storage.media_bytes, storage.media_files, storage.walk_complete) == (1500, 2, True)
    assert storage.disk_free is not None and storage.disk_free > 0
    body = response.content.decode()
    assert 'id="outbox-pending">2<' in body and 'id="outbox-failed">1<' in body
    assert new.name in body and 'id="backup-warning"' not in body
    assert response.context["database"].unapplied == 0


def test_an_old_backup_is_flagged_and_none_is_said(client, sysadmin, var_dir):
    client.force_login(sysadmin)
    response = client.get(reverse("core:system"))
    assert response.context["backup"].latest == ""
    assert 'id="backup-warning"' in response.content.decode()
    backups = var_dir / "backups"
    backups.mkdir()
    old = backups / "lvzhi-20260101-010101.dump"
    old.write_bytes(b"x")
    two_days = time.time() - 2 * 86400
    os.utime(old, (two_days, two_days))
    response = client.get(reverse("core:system"))
    assert response.context["backup"].stale
    assert 'id="backup-warning"' in response.content.decode()


def test_the_media_walk_stops_at_its_limit(var_dir, monkeypatch):
    media = var_dir / "media"
    media.mkdir()
    for i in range(5):
        (media / f"{i}.bin").write_bytes(b"1")
    monkeypatch.setattr(system, "MEDIA_WALK_LIMIT", 3)
    reading = system.storage()
    assert (reading.media_files, reading.walk_complete) == (3, False)


def test_unsealed_audit_rows_are_counted(sysadmin, committee):
    from lvzhi.core.audit import SETTING_CHANGED, audit_log
    from lvzhi.core.audit_seal import seal_pending

    seal_pending(full=True)
    before = system.audit_chain()
    assert before.unsealed_recent == 0
    # A row whose seal after commit did not run (the test's transaction never commits).
    audit_log(action=SETTING_CHANGED, actor=sysadmin, committee=committee.pk)
    assert system.audit_chain().unsealed_recent == 1


def test_huey_says_what_it_can_tell(settings):
    reading = system.jobs()
    assert reading.mode in {"queue", "immediate", "unknown"}
    if reading.mode == "queue":
        assert reading.pending is not None
    else:
        assert reading.pending is None and reading.note
    assert any(name.endswith("deliver_outbox") for name in reading.periodic)


def test_a_get_writes_nothing(client, sysadmin, var_dir):
    client.force_login(sysadmin)
    client.get(reverse("core:system"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:system")).status_code == 200
        assert client.get(reverse("core:settings_hub")).status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == []
    assert not (var_dir / "backups").exists()


def test_the_settings_hub_lists_every_settings_page_with_who_keeps_it(
    client, sysadmin, make_user, committee, var_dir
):
    client.force_login(sysadmin)
    rows = client.get(reverse("core:settings_hub")).context["settings_pages"]
    urls = {row["url"] for row in rows}
    assert reverse("proposals:settings") in urls and reverse("duties:settings") in urls
    # The area settings are kept by the office staff, not by the system administrator.
    assert not next(r for r in rows if r["url"] == reverse("proposals:settings"))["may_open"]
    assert next(r for r in rows if r["url"] == reverse("core:holiday_list"))["may_open"]


def test_the_home_and_menu_link_the_system_page(client, sysadmin, var_dir):
    client.force_login(sysadmin)
    body = client.get("/").content.decode()
    assert reverse("core:system") in body and reverse("core:settings_hub") in body


def test_the_sysadmins_home_counts_the_outbox_and_links_the_system_page(client, sysadmin, var_dir):
    from lvzhi.org.tests.todo_helpers import home_todos

    outbox_row(EmailOutbox.Status.FAILED)
    outbox_row(EmailOutbox.Status.PENDING)
    outbox_row(EmailOutbox.Status.PENDING)
    client.force_login(sysadmin)
    todos = home_todos(client)
    assert todos["E-mails that failed"]["count"] == 1
    assert todos["E-mails waiting to be sent"]["count"] == 2
    assert todos["E-mails that failed"]["url"] == reverse("core:system") + "#health-outbox"


def test_a_backup_set_counts_as_the_newest_backup(tmp_path):
    import json

    from lvzhi.core.system import backups

    old = tmp_path / "lvzhi-20260101-010101.sqlite3"
    old.write_bytes(b"x" * 10)
    two_days = time.time() - 2 * 86400
    os.utime(old, (two_days, two_days))
    newest = tmp_path / "lvzhi-backup-20260102-010101-000000"
    newest.mkdir()
    files = {
        "database.sqlite3": {"sha256": "0", "size": 3000},
        "media/a": {"sha256": "1", "size": 7},
    }
    (newest / "manifest.json").write_text(json.dumps({"files": files}))
    (tmp_path / "lvzhi-backup-unfinished").mkdir()  # no manifest: not a backup
    found = backups(tmp_path)
    assert (found.latest, found.size, found.count) == (newest.name, 3007, 2)
    assert not found.stale
