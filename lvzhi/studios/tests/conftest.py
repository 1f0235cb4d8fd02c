from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lvzhi.accounts.models import Area, Role
from lvzhi.org.models import Committee


@pytest.fixture
def public_staff(make_user: Callable[..., Any], committee: Committee) -> Any:
    """Staff of the public channel (码上商): they keep studios and rate them."""
    return make_user(Role.STAFF, committee, Area.PUBLIC, username="staff_public")
