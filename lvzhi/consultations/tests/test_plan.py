"""Topics from the four sources, the staff shortlist and the annual plan."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils.translation import gettext

from lvzhi.accounts.models import User
from lvzhi.consultations import services
from lvzhi.consultations.models import (
    ConsultationFormat,
    ConsultationPlan,
    PlanEvent,
    Topic,
    TopicSource,
)
from lvzhi.consultations.selectors import plans_for, topics_for
from lvzhi.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from lvzhi.org.models import Committee, Member

pytestmark = pytest.mark.django_db


def test_each_source_is_entered_by_its_people(
    committee: Committee, cstaff: User, gov_leader: User, member_user: User, member: Member
) -> None:
    assert services.allowed_topic_sources(gov_leader, committee) == [TopicSource.GOVERNMENT]
    assert services.allowed_topic_sources(member_user, committee) == [TopicSource.MEMBER]
    assert services.allowed_topic_sources(cstaff, committee) == [
        TopicSource.PUBLIC,
        TopicSource.OFFICE,
    ]
    set_by = services.topic_create(
        actor=gov_leader,
        committee=committee,
        year=2026,
        source="government",
        title="营商环境",
        rationale="市委点题",
    )
    recommended = services.topic_create(
        actor=member_user,
        committee=committee,
        year=2026,
        source="member",
        title="养老服务",
        rationale="调研所得",
    )
    public = services.topic_create(
        actor=cstaff,
        committee=committee,
        year=2026,
        source="public",
        title="停车难",
        rationale="群众反映",
        proposer_name="市民张某",
    )
    assert recommended.proposer_member == member
    assert recommended.proposer_name == member.person.name
    assert set_by.proposer == gov_leader
    assert public.proposer_name == "市民张某"
    with pytest.raises(PermissionDenied):
        services.topic_create(
            actor=member_user,
            committee=committee,
            year=2026,
            source="government",
            title="冒充点题",
            rationale="x",
        )
    assert Topic.objects.count() == 3


def test_the_public_channel_converts_a_message_into_a_topic(
    committee: Committee, cstaff: User
) -> None:
    topic = services.topic_create_from_public(
        actor=cstaff,
        committee=committee,
        year=2026,
        title="公交线路",
        rationale="市民留言",
        proposer_name="",
        public_reference="MS-0001",
    )
    assert (topic.source, topic.public_reference, topic.proposer_name) == (
        TopicSource.PUBLIC,
        "MS-0001",
        str(gettext("a citizen")),
    )


@pytest.mark.parametrize(
    ("title", "rationale"),
    [("", "理由"), ("题" * 201, "理由"), ("标题", ""), ("标题", "理" * 2001)],
)
def test_bad_topic_input_is_refused_and_nothing_is_saved(
    committee: Committee, cstaff: User, title: str, rationale: str
) -> None:
    with pytest.raises(ValidationFailed):
        services.topic_create(
            actor=cstaff,
            committee=committee,
            year=2026,
            source="office",
            title=title,
            rationale=rationale,
        )
    assert not Topic.objects.exists()


def test_a_duplicate_topic_is_refused(committee: Committee, cstaff: User) -> None:
    services.topic_create(
        actor=cstaff, committee=committee, year=2026, source="office", title="同题", rationale="a"
    )
    with pytest.raises(Conflict):
        services.topic_create(
            actor=cstaff,
            committee=committee,
            year=2026,
            source="office",
            title="同题",
            rationale="b",
        )
    assert Topic.objects.count() == 1


def _topic(
    committee: Committee, cstaff: User, title: str = "议题", shortlist: bool = True
) -> Topic:
    topic = services.topic_create(
        actor=cstaff, committee=committee, year=2026, source="office", title=title, rationale="理由"
    )
    if shortlist:
        services.topic_shortlist(actor=cstaff, topic=topic)
    return topic


def test_the_plan_is_drafted_approved_and_published_with_each_topics_format_and_month(
    committee: Committee, cstaff: User, leader: User, member_user: User, member: Member
) -> None:
    plan = services.plan_create(
        actor=cstaff, committee=committee, year=2026, title="2026年度协商计划"
    )
    declined = _topic(committee, cstaff, "不入选", shortlist=False)
    services.topic_decline(actor=cstaff, topic=declined, note="条件不成熟")
    with pytest.raises(ValidationFailed):
        services.plan_item_add(actor=cstaff, plan=plan, topic=declined, format="online", month=3)
    with pytest.raises(DomainError):  # nothing to approve yet
        services.plan_approve(actor=leader, plan=plan)
    topic = _topic(committee, cstaff)
    with pytest.raises(ValidationFailed):
        services.plan_item_add(actor=cstaff, plan=plan, topic=topic, format="online", month=13)
    item = services.plan_item_add(
        actor=cstaff, plan=plan, topic=topic, format=ConsultationFormat.GOOD_TALK, month=5
    )
    with pytest.raises(Conflict):
        services.plan_item_add(actor=cstaff, plan=plan, topic=topic, format="online", month=6)
    assert (item.format, item.month) == (ConsultationFormat.GOOD_TALK, 5)
    # Members see no draft.
    assert list(plans_for(member_user, committee)) == []
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=member_user, plan=plan)
    services.plan_approve(actor=leader, plan=plan, note="主席会议通过")
    with pytest.raises(Conflict):  # approved plans are not changed
        services.plan_item_add(
            actor=cstaff, plan=plan, topic=_topic(committee, cstaff, "新"), format="online", month=2
        )
    with pytest.raises(PermissionDenied):
        services.plan_publish(actor=leader, plan=plan)
    services.plan_publish(actor=cstaff, plan=plan)
    with pytest.raises(Conflict):
        services.plan_approve(actor=cstaff, plan=plan)
    plan.refresh_from_db()
    assert plan.status == ConsultationPlan.Status.PUBLISHED
    assert plan.approved_at is not None and plan.published_at is not None
    assert list(
        PlanEvent.objects.filter(plan=plan).values_list("action", "from_state", "to_state", "actor")
    ) == [
        ("create", "", "draft", cstaff.pk),
        ("approve", "draft", "approved", leader.pk),
        ("publish", "approved", "published", cstaff.pk),
    ]
    assert list(plans_for(member_user, committee)) == [plan]


def test_members_see_their_own_topics_and_staff_see_all(
    committee: Committee, cstaff: User, member_user: User, make_seat: Callable[[str], Member]
) -> None:
    from .conftest import user_of

    other = user_of(make_seat("other"))
    mine = services.topic_create(
        actor=member_user,
        committee=committee,
        year=2026,
        source="member",
        title="我的",
        rationale="a",
    )
    services.topic_create(
        actor=other, committee=committee, year=2026, source="member", title="他的", rationale="a"
    )
    assert list(topics_for(member_user, committee)) == [mine]
    assert topics_for(cstaff, committee).count() == 2
