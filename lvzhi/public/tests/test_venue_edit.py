"""A venue's public page is changed after it was made (issue 12): public
staff edit a room's name, members, address, opening hours, introduction and
whether it takes messages; a studio's or station's name and members stay its
organisation row's. Others are refused; bad input changes nothing and says
why in Chinese; every change is audited with the values before and after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent
from lvzhi.public import services
from lvzhi.public.models import Venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(committee: Any, public_staff: Any, member: Any) -> Venue:
    return room_make(
        committee,
        public_staff,
        "东城协商室",
        address="东城街道办一楼",
        opening_hours="周三下午",
        members=[member],
    )


@pytest.fixture
def west_room(committee: Any, public_staff: Any) -> Venue:
    return room_make(committee, public_staff, "西城协商室", members=[])


def room_make(committee: Any, actor: Any, name: str, **values: Any) -> Venue:
    return services.room_create(
        committee=committee,
        actor=actor,
        **({"name": name, "address": "", "opening_hours": "", "introduction": ""} | values),
    )


def update(venue: Venue, actor: Any, **values: Any) -> Venue:
    """venue_update with empty texts, open to messages, unless given."""
    defaults = {"address": "", "opening_hours": "", "introduction": "", "is_active": True}
    return services.venue_update(venue=venue, actor=actor, **(defaults | values))


def edit_url(venue: Venue) -> str:
    return reverse("public:venue_edit", args=[venue.pk])


def test_public_staff_change_a_room_and_the_change_is_audited(
    client_for: Callable[..., Client], public_staff: Any, room: Venue, make_member_user: Any
) -> None:
    other, _user = make_member_user("tongshi")
    client = client_for(public_staff)
    listing = client.get(reverse("public:venue_list")).content.decode()
    assert edit_url(room) in listing
    page = client.get(edit_url(room))
    assert page.status_code == 200 and 'value="东城协商室"' in page.content.decode()
    response = client.post(
        edit_url(room),
        {
            "name": "东城社区协商室",
            "address": "东城街道办二楼",
            "opening_hours": "每周三 14:00-17:00",
            "introduction": "协商社区事务。",
            "members": [other.pk],
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("public:venue_list")
    room.refresh_from_db()
    assert (room.name, room.address, room.opening_hours) == (
        "东城社区协商室",
        "东城街道办二楼",
        "每周三 14:00-17:00",
    )
    assert list(room.members.all()) == [other] and room.is_active is False
    row = AuditEvent.objects.get(action="public.venue_update")
    assert row.detail["before"]["name"] == "东城协商室" and row.detail["before"]["is_active"]
    assert row.detail["after"]["name"] == "东城社区协商室"
    assert row.detail["after"]["members"] == [str(other.pk)]


def test_a_studio_venue_keeps_its_name_and_members_and_changes_the_rest(
    client_for: Callable[..., Client], public_staff: Any, venue: Venue
) -> None:
    client = client_for(public_staff)
    form = client.get(edit_url(venue)).context["form"]
    assert "name" not in form.fields and "members" not in form.fields
    response = client.post(
        edit_url(venue),
        {"name": "改名", "address": "科技园 3 号楼", "opening_hours": "", "is_active": "on"},
    )
    assert response.status_code == 302
    venue.refresh_from_db()
    assert venue.name == "" and venue.address == "科技园 3 号楼" and venue.is_active
    with pytest.raises(ValidationFailed):
        update(venue, public_staff, name="改名")


@pytest.mark.parametrize(
    ("role", "area"),
    [(Role.STAFF, Area.PROPOSALS), (Role.LEADER, ""), (Role.UNIT, ""), (Role.SYSADMIN, "")],
)
def test_other_roles_may_not_change_a_venue(
    client_for: Callable[..., Client],
    make_user: Any,
    committee: Any,
    room: Venue,
    role: str,
    area: str,
) -> None:
    user = make_user(role, committee, area)
    client = client_for(user)
    assert client.get(edit_url(room)).status_code == 403
    assert client.post(edit_url(room), {"name": "夺走", "address": ""}).status_code == 403
    room.refresh_from_db()
    assert room.name == "东城协商室"
    with pytest.raises(PermissionDenied):
        update(room, user, name="夺走", members=[])
    assert not AuditEvent.objects.filter(action="public.venue_update").exists()


def test_a_member_of_the_room_may_not_change_it(
    client_for: Callable[..., Client], room: Venue, member_user: Any
) -> None:
    assert client_for(member_user).get(edit_url(room)).status_code == 403


def test_public_staff_of_another_committee_find_no_such_venue(
    client_for: Callable[..., Client], make_user: Any, other_committee: Any, room: Venue
) -> None:
    stranger = make_user(Role.STAFF, other_committee, Area.PUBLIC)
    assert client_for(stranger).get(edit_url(room)).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "  "}, "必填"),
        ({"name": "西城协商室"}, "已有同名的协商室"),
        ({"name": "东城协商室", "opening_hours": "很" * 101}, "101"),
    ],
)
def test_bad_input_changes_nothing_and_says_why_in_chinese(
    client_for: Callable[..., Client],
    public_staff: Any,
    room: Venue,
    west_room: Venue,
    data: dict[str, str],
    message: str,
) -> None:
    response = client_for(public_staff).post(
        edit_url(room), {"address": "别处", "is_active": "on", **data}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    room.refresh_from_db()
    assert room.name == "东城协商室" and room.address == "东城街道办一楼"
    assert not AuditEvent.objects.filter(action="public.venue_update").exists()


def test_the_room_name_conflict_is_refused_by_the_service_too(
    public_staff: Any, room: Venue, west_room: Venue
) -> None:
    with pytest.raises(Conflict):
        update(room, public_staff, name="西城协商室", members=[])
    # Its own name is no conflict; name and members left out stay as they are.
    assert update(room, public_staff, name="东城协商室").name == "东城协商室"
    assert room.members.count() == 1
