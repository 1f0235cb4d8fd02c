"""Fixtures of the accounts tests: the administrator roles and a login helper
that goes through the real login page, and logged-in clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from lvzhi.accounts.models import Role, User
from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.core.models import AuditEvent
from lvzhi.org.models import Committee

IP = "10.0.0.1"
OTHER_IP = "10.0.0.2"


def post_login(
    client: Client, username: str, password: str = PASSWORD, ip: str = IP, **extra: Any
) -> Any:
    data = {"username": username, "password": password, **extra}
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=ip)


def shows(response: Any, message: Any) -> bool:
    """The page shows the message (in the active language, HTML-escaped)."""
    return escape(str(message)) in response.content.decode()


def audit_rows(action: str, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


@pytest.fixture
def secadmin(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.SECADMIN, committee, username="secadmin", display_name="安全员甲")


@pytest.fixture
def auditor(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.AUDITOR, committee, username="auditor", display_name="审计员甲")


@pytest.fixture
def sysadmin(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.SYSADMIN, committee, username="sysadmin", display_name="系统员甲")


@pytest.fixture
def secadmin_client(client: Client, secadmin: User) -> Client:
    client.force_login(secadmin)
    return client


@pytest.fixture
def auditor_client(client: Client, auditor: User) -> Client:
    client.force_login(auditor)
    return client
