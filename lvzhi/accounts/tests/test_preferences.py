"""The elder-friendly mode (长辈版) is a person's own switch: posted from the
account menu, audited, never set for someone else, never changed by a GET."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lvzhi.accounts.audit import DISPLAY_MODE_CHANGED
from lvzhi.accounts.preferences import elder_mode_set
from lvzhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db
SWITCH = reverse("accounts:elder_mode")


def test_a_member_switches_the_elder_mode_on_and_the_page_grows(
    client_for: Any, member_user: Any
) -> None:
    client = client_for(member_user)
    response = client.post(SWITCH, {"on": "1", "next": "/proposals/mine/"})
    assert response.status_code == 302 and response["Location"] == "/proposals/mine/"
    member_user.refresh_from_db()
    assert member_user.elder_mode is True
    assert 'class="elder-mode"' in client.get(reverse("home")).content.decode()
    row = AuditEvent.objects.get(action=DISPLAY_MODE_CHANGED)
    assert row.detail["mode"] == "elder" and row.object_id == str(member_user.pk)


def test_switching_it_off_writes_one_row_and_switching_twice_writes_none_more(
    member_user: Any,
) -> None:
    elder_mode_set(actor=member_user, on=True)
    elder_mode_set(actor=member_user, on=True)
    elder_mode_set(actor=member_user, on=False)
    member_user.refresh_from_db()
    assert member_user.elder_mode is False
    assert AuditEvent.objects.filter(action=DISPLAY_MODE_CHANGED).count() == 2


def test_the_switch_refuses_a_get_and_an_anonymous_visitor(client: Any, member_user: Any) -> None:
    assert client.post(SWITCH, {"on": "1"}).status_code == 302  # to the login page
    client.force_login(member_user)
    assert client.get(SWITCH).status_code == 405
    member_user.refresh_from_db()
    assert member_user.elder_mode is False


def test_the_switch_never_sends_the_person_to_another_site(
    client_for: Any, member_user: Any
) -> None:
    client = client_for(member_user)
    response = client.post(SWITCH, {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"
