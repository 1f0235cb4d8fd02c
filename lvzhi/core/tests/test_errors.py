"""Error pages: 403 is audited, 404 and 500 are friendly and standalone enough."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_refused_page_answers_403_and_writes_one_denial_to_the_audit_trail(
    client_for, member_user, committee
):
    response = client_for(member_user).get(reverse("core:holiday_create"))
    assert response.status_code == 403
    assert "error-403" in response.content.decode()
    event = AuditEvent.objects.get(action="permission_denied")
    assert event.result == AuditEvent.Result.DENIED
    assert event.actor == member_user
    assert event.committee == committee
    assert event.detail == {"path": reverse("core:holiday_create"), "method": "GET"}
    assert event.ip == "127.0.0.1"


@pytest.mark.urls("lvzhi.core.tests.error_urls")
def test_permission_denied_raised_in_any_view_is_audited_once(client_for, staff_user):
    response = client_for(staff_user).post("/test/refuse/")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="permission_denied").count() == 1
    event = AuditEvent.objects.get(action="permission_denied")
    assert event.detail == {"path": "/test/refuse/", "method": "POST"}


@pytest.mark.urls("lvzhi.core.tests.error_urls")
def test_an_anonymous_denial_is_audited_without_an_actor(client):
    response = client.get("/test/refuse/")
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="permission_denied")
    assert event.actor is None
    assert event.committee is None


def test_an_unknown_page_answers_404_with_the_site_layout(client_for, staff_user):
    response = client_for(staff_user).get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "error-404" in body
    assert 'class="navbar' in body
    assert not AuditEvent.objects.filter(action="permission_denied").exists()


@pytest.mark.urls("lvzhi.core.tests.error_urls")
def test_a_crash_answers_500_with_a_standalone_page(staff_user):
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    response = client.get("/test/crash/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "error-500" in body
    assert "navbar" not in body  # does not extend base.html


def test_a_post_without_a_csrf_token_is_refused_and_audited(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert "error-403" in response.content.decode()
    event = AuditEvent.objects.get(action="permission_denied")
    assert event.actor == staff_user
    assert event.detail["reason"].startswith("csrf:")
