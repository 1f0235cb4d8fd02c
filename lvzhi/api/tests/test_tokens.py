"""The token page: a token is shown once, only its hash is kept; creating
and revoking are audited; a revoked token no longer works."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.api.models import ApiToken
from lvzhi.api.services import api_token_revoke
from lvzhi.core.errors import PermissionDenied
from lvzhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_shows_the_token_once_and_keeps_its_hash(committee, seat_user):
    client = Client()
    client.force_login(seat_user)
    assert client.get(reverse("api:token_create")).status_code == 200
    response = client.post(
        reverse("api:token_create"), {"name": "我的手机", "scope": "write", "days": "30"}
    )
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    token = re.search(r"lvz_[\w-]{40,}", response.content.decode()).group(0)
    row = ApiToken.objects.get()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.name, row.prefix, row.token_hash}
    assert token.startswith(row.prefix)
    assert (row.user, row.committee, row.scope) == (seat_user, committee, "write")
    created = AuditEvent.objects.get(action="api.token_create")
    assert (created.actor, created.object_id, created.committee_id) == (
        seat_user,
        str(row.pk),
        committee.pk,
    )
    # The list shows the prefix, never the token.
    listing = client.get(reverse("api:token_list")).content.decode()
    assert row.prefix in listing and token not in listing
    # The token works, then is revoked on the page and no longer works.
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me").status_code == 200
    revoked = client.post(reverse("api:token_revoke", args=[row.pk]))
    assert revoked.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert AuditEvent.objects.filter(action="api.token_revoke", object_id=str(row.pk)).count() == 1
    assert api.get("/api/v1/me").status_code == 401


def test_bad_form_input_creates_nothing(seat_user):
    client = Client()
    client.force_login(seat_user)
    response = client.post(
        reverse("api:token_create"), {"name": "", "scope": "root", "days": "9999"}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_only_the_owner_may_revoke(committee, seat_user, make_token, make_user):
    make_token(seat_user)
    row = ApiToken.objects.get()
    other = make_user("staff", committee, "duties")
    client = Client()
    client.force_login(other)
    assert client.post(reverse("api:token_revoke", args=[row.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=other, token=row)
    row.refresh_from_db()
    assert row.revoked_at is None


def test_someone_without_a_committee_may_not_create(django_user_model):
    from lvzhi.accounts.tests.factories import UserFactory

    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert (
        client.post(
            reverse("api:token_create"), {"name": "x", "scope": "read", "days": "1"}
        ).status_code
        == 403
    )
    assert not ApiToken.objects.exists()
