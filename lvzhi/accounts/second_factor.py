"""The deployment check for the second factor (身份鉴别 d): production runs
with ``REQUIRE_TOTP`` on (the default with ``HTTPS=1``), so staff, leaders,
units, government leaders and the three administrators enrol an authenticator
at their first login (accounts/middleware.py keeps them on the enrolment
page). ``manage.py check --deploy`` warns when it was turned off."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning


def second_factor_required(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "REQUIRE_TOTP", False):
        return []
    return [
        Warning(
            "REQUIRE_TOTP is off: staff, leaders, units and administrators log in "
            "with a password only.",
            hint="Unset REQUIRE_TOTP (on by default with HTTPS=1) or set REQUIRE_TOTP=1.",
            id="lvzhi.W001",
        )
    ]
