"""三听三转: the converter registry, the studio service-project converter,
and a stand-in converter registered by the test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from lvzhi.consultations.models import Topic, TopicSource
from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.models import Holiday, Notification
from lvzhi.core.testing import assert_same_queries, page_queries
from lvzhi.opinions.models import Report
from lvzhi.proposals.models import Proposal
from lvzhi.public import codes, conversions, selectors, services
from lvzhi.public.models import Conversion, Message, MessageEvent
from lvzhi.public.tests.conftest import public_settings_set
from lvzhi.public.tests.factories import VenueFactory
from lvzhi.studios.models import ServiceProject


def test_all_four_conversions_of_san_ting_san_zhuan_are_offered() -> None:
    kinds = {c.kind for c in conversions.registered()}
    assert {"proposal", "opinion", "consultation_topic", "service_project"} <= kinds


def test_a_message_becomes_a_proposal_lead_drafted_for_a_member_linked_both_ways(
    submit: Callable[..., Any], public_staff: Any, member: Any, client: Client
) -> None:
    sent = submit()
    conversion = conversions.conversion_create(
        kind="proposal",
        messages=[sent.message],
        title="关于修复小区路灯的建议",
        body="群众反映路灯损坏",
        actor=public_staff,
        member=member,
    )
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.proposer == member
    assert proposal.reason == "群众反映路灯损坏"
    assert conversion.target == proposal
    assert list(conversions.messages_of_target(proposal)) == [sent.message]
    assert Notification.objects.filter(recipient=member.person.user).exists()
    page = client.get(reverse("public:track", args=[sent.code])).content.decode()
    assert conversion.target_label in page


def test_a_message_becomes_a_report_draft_of_a_member(
    submit: Callable[..., Any], public_staff: Any, member: Any
) -> None:
    sent = submit()
    conversions.conversion_create(
        kind="opinion",
        messages=[sent.message],
        title="路灯维修不及时",
        body="多个小区反映路灯长期损坏。",
        actor=public_staff,
        member=member,
    )
    report = Report.objects.get()
    assert report.author == member and report.status == "draft"
    assert list(conversions.messages_of_target(report)) == [sent.message]


def test_a_message_becomes_a_consultation_topic_raised_by_the_public(
    submit: Callable[..., Any], public_staff: Any
) -> None:
    sent = submit()
    conversion = conversions.conversion_create(
        kind="consultation_topic",
        messages=[sent.message],
        title="老旧小区照明改造",
        body="",
        actor=public_staff,
    )
    topic = Topic.objects.get()
    assert topic.source == TopicSource.PUBLIC
    assert topic.rationale == sent.message.text
    assert f"#{sent.message.pk}" in topic.public_reference
    assert conversion.target == topic


def test_a_proposal_lead_needs_a_member_and_changes_nothing_without_one(
    submit: Callable[..., Any], public_staff: Any
) -> None:
    sent = submit()
    with pytest.raises(ValidationFailed):
        conversions.conversion_create(
            kind="proposal", messages=[sent.message], title="路灯", body="", actor=public_staff
        )
    assert not Proposal.objects.exists()
    assert not Conversion.objects.exists()


def test_several_messages_become_one_service_project_linked_both_ways(
    submit: Callable[..., Any], public_staff: Any, client: Client
) -> None:
    first, second = submit(), submit(text="希望有法律咨询服务")
    conversion = conversions.conversion_create(
        kind="service_project",
        messages=[first.message, second.message],
        title="每月法律咨询日",
        body="每月第一个周六",
        actor=public_staff,
    )
    project = ServiceProject.objects.get()
    assert project.studio == first.message.venue.studio
    assert project.title == "每月法律咨询日"
    # message → item
    assert conversion.target == project
    assert set(conversion.messages.all()) == {first.message, second.message}
    assert list(first.message.conversions.all()) == [conversion]
    # item → messages
    assert set(conversions.messages_of_target(project)) == {first.message, second.message}
    assert MessageEvent.objects.filter(action="convert").count() == 2
    # The citizen sees it on the tracking page.
    page = client.get(reverse("public:track", args=[first.code])).content.decode()
    assert "每月法律咨询日" in page and conversion.target_label in page


def test_a_fake_converter_registered_by_a_test_is_used_and_labelled(
    submit: Callable[..., Any], public_staff: Any, fake_converter: Any
) -> None:
    message = submit().message
    assert fake_converter in conversions.available_for(public_staff, [message])
    conversion = conversions.conversion_create(
        kind="fake_topic", messages=[message], title="路灯", body="", actor=public_staff
    )
    assert conversion.target_label == "已转为测试议题"
    assert conversion.target_type == ContentType.objects.get_for_model(Holiday)
    assert list(conversions.messages_of_target(conversion.target)) == [message]


def test_refusals_leave_nothing_behind(
    submit: Callable[..., Any], public_staff: Any, member_user: Any, fake_converter: Any, venue: Any
) -> None:
    message = submit().message
    with pytest.raises(ValidationFailed):
        conversions.conversion_create(
            kind="nonsense", messages=[message], title="x", body="", actor=public_staff
        )
    with pytest.raises(ValidationFailed):
        conversions.conversion_create(
            kind="service_project", messages=[message], title=" ", body="", actor=public_staff
        )
    # A venue member may not make a consultation topic (staff only).
    with pytest.raises(PermissionDenied):
        conversions.conversion_create(
            kind="fake_topic", messages=[message], title="x", body="", actor=member_user
        )
    # Held messages are not converted.
    public_settings_set(venue.committee, held_words=["禁"])
    held = submit(text="禁止").message
    with pytest.raises(ValidationFailed):
        conversions.conversion_create(
            kind="service_project", messages=[held], title="x", body="", actor=public_staff
        )
    # A station's message does not make a studio's service project.
    from lvzhi.org.tests.factories import StationFactory

    station_venue = VenueFactory(
        committee=venue.committee,
        kind="station",
        studio=None,
        station=StationFactory(committee=venue.committee),
    )
    station_message = submit(venue=station_venue).message
    with pytest.raises(ValidationFailed):
        conversions.conversion_create(
            kind="service_project",
            messages=[message, station_message],
            title="x",
            body="",
            actor=public_staff,
        )
    assert Conversion.objects.count() == 0 and ServiceProject.objects.count() == 0


def test_a_venue_member_converts_their_studios_message(
    submit: Callable[..., Any], member_user: Any
) -> None:
    message = submit().message
    conversions.conversion_create(
        kind="service_project", messages=[message], title="周末义诊", body="", actor=member_user
    )
    assert ServiceProject.objects.filter(title="周末义诊").exists()


def test_the_convert_page_converts_chosen_messages(
    submit: Callable[..., Any], public_staff: Any, client_for: Callable[..., Client]
) -> None:
    a, b = submit().message, submit(text="第二条").message
    client = client_for(public_staff)
    form = client.get(reverse("public:convert"), {"ids": [a.pk, b.pk]})
    assert form.status_code == 200
    response = client.post(
        reverse("public:convert"),
        {"ids": [a.pk, b.pk], "kind": "service_project", "title": "社区夜间照明", "body": "x"},
    )
    assert response.status_code == 302
    project = ServiceProject.objects.get()
    sources = client.get(
        reverse(
            "public:conversion_sources",
            args=[ContentType.objects.get_for_model(project).pk, project.pk],
        )
    )
    assert sources.status_code == 200 and "第二条" in sources.content.decode()


def test_the_report_counts_what_messages_became_in_sql(
    submit: Callable[..., Any],
    public_staff: Any,
    fake_converter: Any,
    client_for: Callable[..., Client],
) -> None:
    m1, m2, m3 = submit().message, submit().message, submit().message
    conversions.conversion_create(
        kind="service_project", messages=[m1, m2], title="项目", body="", actor=public_staff
    )
    conversions.conversion_create(
        kind="fake_topic", messages=[m2], title="议题", body="", actor=public_staff
    )
    services.message_reply(message=m3, text="好", public=False, actor=public_staff)
    data = selectors.report(m1.committee)
    by_kind = {row["conversions__target_kind"]: row for row in data["conversions"]}
    assert by_kind["service_project"]["messages"] == 2
    assert by_kind["service_project"]["items"] == 1
    assert by_kind["fake_topic"]["messages"] == 1
    assert data["totals"]["total"] == 3 and data["totals"]["converted"] == 2
    assert data["totals"]["replied"] == 1 and data["totals"]["on_time"] == 1
    assert data["by_status"][Message.Status.RECEIVED] == 2
    client = client_for(public_staff)
    made = 0

    def build(n: int) -> None:
        nonlocal made
        for _ in range(n):
            message = submit(ip=f"10.8.{made // 200}.{made % 200}").message
            conversions.conversion_create(
                kind="service_project",
                messages=[message],
                title="项目",
                body="",
                actor=public_staff,
            )
            made += 1

    queries = assert_same_queries(
        build, lambda: page_queries(client, reverse("public:report")), n=3
    )
    assert queries <= 15
    _ = codes
