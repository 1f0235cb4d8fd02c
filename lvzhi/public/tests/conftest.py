"""Fixtures of the public channel's tests: a studio with two members and its venue."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import UserFactory
from lvzhi.core.committee_settings import forget_settings
from lvzhi.core.models import CommitteeSetting, Holiday
from lvzhi.org.models import Committee, Member, Studio
from lvzhi.org.tests.factories import MemberFactory, PersonFactory, StudioFactory
from lvzhi.public import codes, conversions, services
from lvzhi.public.models import Message, Venue
from lvzhi.public.tests.factories import VenueFactory


@pytest.fixture(autouse=True)
def _empty_cache(db: None) -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def studio(committee: Committee, member: Member) -> Studio:
    studio = StudioFactory(committee=committee, name="科技创新委员工作室", theme="科技服务")
    studio.members.add(member)
    return studio


@pytest.fixture
def venue(studio: Studio) -> Venue:
    return VenueFactory(committee=studio.committee, studio=studio)


@pytest.fixture
def public_staff(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.STAFF, committee, Area.PUBLIC, username="staff_public")


@pytest.fixture
def make_member_user(committee: Committee) -> Callable[..., tuple[Member, User]]:
    def make(username: str, committee: Committee = committee) -> tuple[Member, User]:
        user = UserFactory(username=username)
        member = MemberFactory(committee=committee, person=PersonFactory(user=user))
        return member, user

    return make


@pytest.fixture
def submit(venue: Venue) -> Callable[..., services.Submitted]:
    def send(
        text: str = "小区门口路灯坏了，晚上很黑。", venue: Venue = venue, **kwargs: Any
    ) -> services.Submitted:
        kwargs.setdefault("form_token", codes.new_form_token())
        kwargs.setdefault("category", Message.Category.SUGGESTION)
        kwargs.setdefault("ip", "203.0.113.7")
        return services.message_submit(venue=venue, text=text, **kwargs)

    return send


def public_settings_set(committee: Committee, **values: Any) -> None:
    """Set some of the committee's 码上商设置 (without the settings page)."""
    for name, value in values.items():
        CommitteeSetting.objects.update_or_create(
            committee=committee, key=f"public.{name}", defaults={"value": value}
        )
    forget_settings(committee)


@pytest.fixture
def fake_converter() -> Iterator[conversions.Converter]:
    """A converter for a kind no app provides here: it 'creates' a Holiday row
    (any model will do — the registry only needs a saved object)."""

    def create(data: conversions.ConversionInput) -> Any:
        return Holiday.objects.create(
            date="2030-01-01", kind=Holiday.Kind.HOLIDAY, name=data.title[:64]
        )

    converter = conversions.Converter(
        kind="fake_topic",
        label="Fake topic",
        done_label="已转为测试议题",
        permission="public.convert_to_consultation_topic",
        create=create,
    )
    conversions.register(converter)
    yield converter
    conversions.unregister("fake_topic")


@pytest.fixture
def handled(
    committee: Committee,
    make_member_user: Callable[..., tuple[Member, User]],
    submit: Callable[..., services.Submitted],
) -> dict[str, Any]:
    """An open message and a held one of the venue, and a member of another studio."""
    other_member, outsider = make_member_user("other_studio_member")
    StudioFactory(committee=committee, name="别的工作室").members.add(other_member)
    message = submit().message
    public_settings_set(committee, held_words=["广告"])
    held = submit(text="广告").message
    assert held.status == Message.Status.HELD
    return {"message": message, "held": held, "outsider": outsider}
