"""Who may do what (rules.py), as a matrix: each role and relation to the
message, venue or committee, against each named permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from lvzhi.accounts.models import Area, Role
from lvzhi.core.permissions import has_perm

STAFF = {"public_staff"}
STAFF_AND_VENUE = {"public_staff", "venue_member"}
READERS = {"public_staff", "leader", "venue_member"}
MEMBERS = {"public_staff", "leader", "venue_member", "other_studio_member"}

# (permission, object, who holds it)
MATRIX: list[tuple[str, str, set[str]]] = [
    ("public.view_inbox", "committee", MEMBERS),
    ("public.handle_all", "committee", STAFF),
    ("public.view_mobile", "committee", STAFF),
    ("public.manage_venues", "committee", STAFF),
    ("public.view_report", "committee", {"public_staff", "leader"}),
    ("public.configure", "committee", STAFF),
    ("public.view_message", "message", READERS),
    ("public.view_message", "held", {"public_staff", "leader"}),
    ("public.approve_message", "held", STAFF),
    ("public.close_held_message", "held", STAFF),
    ("public.assign_message", "message", STAFF_AND_VENUE),
    ("public.assign_message", "held", STAFF),
    ("public.reply_message", "message", STAFF_AND_VENUE),
    ("public.close_message", "message", STAFF_AND_VENUE),
    ("public.convert_message", "message", STAFF_AND_VENUE),
    ("public.convert_message", "held", STAFF),
    ("public.rate_reply", "message", set()),
    ("public.convert_to_service_project", "message", STAFF_AND_VENUE),
    ("public.convert_to_proposal", "message", STAFF_AND_VENUE),
    ("public.convert_to_opinion", "message", STAFF_AND_VENUE),
    ("public.convert_to_consultation_topic", "message", STAFF),
    ("public.print_poster", "venue", STAFF_AND_VENUE),
    ("public.edit_venue", "venue", STAFF),
]


@pytest.fixture
def world(
    committee: Any,
    other_committee: Any,
    venue: Any,
    member_user: Any,
    public_staff: Any,
    make_user: Callable[..., Any],
    handled: dict[str, Any],
) -> dict[str, Any]:
    return {
        "actors": {
            "public_staff": public_staff,
            "other_area_staff": make_user(Role.STAFF, committee, Area.PROPOSALS, username="s2"),
            "leader": make_user(Role.LEADER, committee, username="leader1"),
            "venue_member": member_user,
            "other_studio_member": handled["outsider"],
            "other_committee_staff": make_user(
                Role.STAFF, other_committee, Area.PUBLIC, username="elsewhere"
            ),
            "anonymous": AnonymousUser(),
        },
        "objects": {
            "committee": committee,
            "message": handled["message"],
            "held": handled["held"],
            "venue": venue,
        },
    }


@pytest.mark.parametrize(
    ("perm", "target", "holders"),
    MATRIX,
    # Sets print in hash order, which differs per process (pytest-xdist workers).
    ids=lambda v: str(sorted(v)) if isinstance(v, set) else str(v),
)
def test_each_permission_is_held_by_exactly_the_right_people(
    perm: str, target: str, holders: set[str], world: dict[str, Any]
) -> None:
    obj = world["objects"][target]
    allowed = {name for name, user in world["actors"].items() if has_perm(user, perm, obj)}
    assert allowed == holders


def test_the_matrix_names_every_permission_of_the_app() -> None:
    import rules

    named = {name for name in rules.permissions.permissions if name.startswith("public.")}
    assert named == {perm for perm, _target, _holders in MATRIX}
