from datetime import timedelta

import pytest
from django.utils import timezone

from lvzhi.accounts.models import LoginFailure
from lvzhi.accounts.tasks import purge_stale_login_failures


@pytest.mark.django_db
def test_the_daily_job_forgets_stale_counters_but_keeps_active_locks():
    now = timezone.now()
    stale = LoginFailure.objects.create(username="old", ip="10.0.0.1", failures=2)
    locked = LoginFailure.objects.create(
        username="locked", ip="10.0.0.2", failures=5, locked_until=now + timedelta(minutes=20)
    )
    fresh = LoginFailure.objects.create(username="fresh", ip="10.0.0.3", failures=1)
    LoginFailure.objects.filter(pk__in=[stale.pk, locked.pk]).update(
        updated_at=now - timedelta(days=2)
    )

    purge_stale_login_failures.call_local()

    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"locked", "fresh"}
    assert fresh.pk
