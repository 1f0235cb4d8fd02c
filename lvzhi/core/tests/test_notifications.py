import pytest
from django.core import mail
from django.urls import reverse

from lvzhi.accounts.tests.factories import UserFactory
from lvzhi.core.models import EmailOutbox, Notification
from lvzhi.core.notifications import notify, outbox_deliver
from lvzhi.core.tasks import deliver_outbox

pytestmark = pytest.mark.django_db


def test_notify_writes_an_inbox_row_and_an_outbox_mail_for_users_with_an_address():
    with_mail = UserFactory(email="a@example.org")
    without_mail = UserFactory(email="")
    notify(recipients=[with_mail, without_mail, with_mail], title="请答复", url="/x/")
    assert Notification.objects.filter(recipient=with_mail).count() == 1
    assert Notification.objects.filter(recipient=without_mail).count() == 1
    assert EmailOutbox.objects.count() == 1
    assert not mail.outbox  # nothing leaves before the job runs


def test_a_deduplicated_notification_is_written_once():
    user = UserFactory(email="a@example.org")
    notify(recipients=[user], title="即将超期", dedupe_key="deadline:1:yellow")
    notify(recipients=[user], title="即将超期", dedupe_key="deadline:1:yellow")
    assert Notification.objects.filter(recipient=user).count() == 1
    assert EmailOutbox.objects.count() == 1


def test_the_delivery_job_sends_each_pending_mail_once():
    user = UserFactory(email="a@example.org")
    notify(recipients=[user], title="请答复", body="正文")
    deliver_outbox.call_local()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.org"]
    assert outbox_deliver() == 0
    assert len(mail.outbox) == 1
    assert EmailOutbox.objects.get().status == EmailOutbox.Status.SENT


def test_a_failing_transport_is_retried_then_marked_failed(settings, monkeypatch):
    user = UserFactory(email="a@example.org")
    notify(recipients=[user], title="请答复")

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("lvzhi.core.notifications.send_mail", broken)
    for _ in range(5):
        outbox_deliver()
    row = EmailOutbox.objects.get()
    assert row.status == EmailOutbox.Status.FAILED
    assert row.attempts == 5
    assert "mail server down" in row.last_error


def test_the_inbox_shows_only_the_users_own_notifications_and_marks_them_read(client_for):
    me, other = UserFactory(), UserFactory()
    notify(recipients=[me], title="我的通知")
    notify(recipients=[other], title="别人的通知")
    client = client_for(me)
    body = client.get(reverse("core:inbox")).content.decode()
    assert "我的通知" in body
    assert "别人的通知" not in body
    client.post(reverse("core:inbox_mark_read"))
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).exists()


def test_marking_someone_elses_notification_read_changes_nothing(client_for):
    me, other = UserFactory(), UserFactory()
    (theirs,) = notify(recipients=[other], title="别人的通知")
    client_for(me).post(reverse("core:inbox_mark_read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
