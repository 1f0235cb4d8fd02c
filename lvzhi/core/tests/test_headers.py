"""The security headers of every page (DESIGN §9): a strict CSP, no sniffing,
no framing, the referrer kept on our origin, browser features switched off,
and HSTS once the site runs under HTTPS."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lvzhi.core.tests.production import production_settings

pytestmark = pytest.mark.django_db


def login_page(client: Client, **extra: Any) -> Any:
    return client.get(reverse("accounts:login"), **extra)


def test_every_page_sends_the_security_headers(client: Client) -> None:
    response = login_page(client)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    policy = response.headers["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_error_pages_send_them_too(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Permissions-Policy" in response.headers
    assert "Content-Security-Policy" in response.headers


def test_under_https_the_browser_is_told_to_stay_on_https(client: Client, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = login_page(client, secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    # Never over plain HTTP (a browser ignores it there, a proxy may cache it).
    assert "Strict-Transport-Security" not in login_page(client).headers


def test_the_deployment_check_is_clean_with_the_production_settings(
    settings: Any, monkeypatch: Any
) -> None:
    # What HTTPS=1 sets (lvzhi/settings.py); `make lint` runs the real thing.
    # The browser tests set this for Playwright's event loop; no deployment has it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.REQUIRE_TOTP = True
    call_command("check", deploy=True, fail_level="WARNING")


def test_under_https_the_cookies_carry_the_host_prefix() -> None:
    names = production_settings("SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE")
    assert names == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_SECURE": True,
    }
