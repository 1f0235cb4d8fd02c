"""The proposals test world (a committee with proposer, co-signers, office,
leader, three units, and a second committee), reused for assist."""

from __future__ import annotations

import pytest

from lvzhi.proposals.tests.conftest import World, build_world

__all__ = ["World"]


@pytest.fixture
def world(db: None) -> World:
    return build_world("as-city")
