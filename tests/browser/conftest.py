"""Playwright fixtures for the browser tests (DESIGN §10).

Tests drive Debian's Chromium (/usr/bin/chromium, installed by `make browser`)
through Playwright's sync API against pytest-django's ``live_server``, which
serves static files too. Mark each test ``@pytest.mark.browser`` and ask for
``transactional_db`` (the live server runs in another thread, so data must
be committed to be seen).

If Chromium is missing the tests FAIL with a message saying how to install
it: a browser test is never skipped silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

# Playwright's sync API runs an event loop in this thread; Django's ORM
# refuses to run inside one unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",  # Chromium's own controls (file picker) in Chinese too
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
# The users of the platform read Simplified Chinese in China's time zone.
CONTEXT_DEFAULTS = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}. Install it with "
            "`make browser` (as root) or `sudo apt-get install -y chromium fonts-noto-cjk`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
    except Exception as error:
        playwright.stop()
        pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}", pytrace=False)
    yield chromium
    chromium.close()
    playwright.stop()


def _page(browser: Any, **options: Any) -> Iterator[Any]:
    context = browser.new_context(**CONTEXT_DEFAULTS, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser: Any) -> Iterator[Any]:
    """A 1280×800 desktop window (staff and units work on desktops)."""
    yield from _page(browser, **DESKTOP)


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    """A 390×844 touch phone (members work on phones)."""
    yield from _page(browser, **PHONE)


def zh(message: str, **params: Any) -> str:
    """A message as the Chinese interface shows it (with its %-parameters filled)."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("zh-hans"):
        text = gettext(message)
    return text % params if params else text


def login(page: Any, live_server_url: str, username: str, password: str) -> None:
    """Log in through the login page and wait for the page it leads to."""
    page.goto(live_server_url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
