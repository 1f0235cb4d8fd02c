"""The consultation endpoints: the list and detail a member may see, posting
in an online consultation (云协商) through the token, and refusals."""

from __future__ import annotations

import pytest
from django.test import Client

from lvzhi.api.tests.clients import assert_flat_queries, post_json, queries_of, token_client
from lvzhi.consultations import services
from lvzhi.consultations.models import ConsultationFormat, Post
from lvzhi.core.testing import assert_same_queries

from . import test_online
from .conftest import user_of

pytestmark = pytest.mark.django_db

online = test_online.online  # the fixture: an open online consultation with the member invited


def test_a_participant_lists_reads_posts_and_replies(online, committee, member_user) -> None:
    client = token_client(member_user, committee)
    listed = client.get("/api/v1/consultations").json()
    assert [c["id"] for c in listed["items"]] == [online.pk]
    url = f"/api/v1/consultations/{online.pk}/posts"
    first = post_json(client, url, {"text": "建议延长开放时间"}, HTTP_IDEMPOTENCY_KEY="p-1")
    assert first.status_code == 200, first.content
    again = post_json(client, url, {"text": "建议延长开放时间"}, HTTP_IDEMPOTENCY_KEY="p-1")
    assert again.json() == first.json() and Post.objects.count() == 1
    reply = post_json(client, url, {"text": "补充一点", "parent_id": first.json()["id"]})
    assert reply.status_code == 200
    detail = client.get(f"/api/v1/consultations/{online.pk}").json()
    assert detail["online_window"] and detail["state_label"]
    assert [p["text"] for p in detail["posts"]] == ["建议延长开放时间"]
    assert [r["text"] for r in detail["posts"][0]["replies"]] == ["补充一点"]


def test_outsiders_other_committees_and_anonymous_are_refused(
    online, committee, other_committee, make_seat, make_user
) -> None:
    outsider = user_of(make_seat("outsider"))
    client = token_client(outsider, committee)
    assert client.get(f"/api/v1/consultations/{online.pk}").status_code == 404
    assert (
        post_json(
            client, f"/api/v1/consultations/{online.pk}/posts", {"text": "我也说"}
        ).status_code
        == 404
    )
    foreign_staff = make_user("staff", other_committee, "consultations", username="foreign")
    foreign = token_client(foreign_staff, other_committee)
    assert foreign.get(f"/api/v1/consultations/{online.pk}").status_code == 404
    assert Client().get("/api/v1/consultations").status_code == 401
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "长" * 2001},
        {"text": 3},
        {"text": "好", "extra": 1},
        {"text": "好", "parent_id": "x"},
    ],
)
def test_bad_posts_are_422_and_store_nothing(online, committee, member_user, body) -> None:
    response = post_json(
        token_client(member_user, committee), f"/api/v1/consultations/{online.pk}/posts", body
    )
    assert response.status_code == 422, response.content
    assert not Post.objects.exists()


def test_a_reply_to_a_post_of_another_consultation_is_404(
    online, make_consultation, cstaff, member, member_user, committee
) -> None:
    other = make_consultation(ConsultationFormat.ONLINE, title="另一场")
    services.consultation_prepare(actor=cstaff, consultation=other)
    services.consultation_convene(actor=cstaff, consultation=other)
    services.participant_add(actor=cstaff, consultation=other, kind="member", member=member)
    elsewhere = services.post_create(actor=member_user, consultation=other, text="别处")
    response = post_json(
        token_client(member_user, committee),
        f"/api/v1/consultations/{online.pk}/posts",
        {"text": "回复", "parent_id": elsewhere.pk},
    )
    assert response.status_code == 404
    assert Post.objects.count() == 1


def test_the_list_costs_the_same_queries_for_two_or_six(
    make_consultation, cstaff, committee
) -> None:
    client = token_client(cstaff, committee, scope="read")
    assert_flat_queries(
        client, "/api/v1/consultations?page_size=4", lambda n: make_consultation(title=f"协商{n}")
    )


def test_the_detail_costs_the_same_queries_for_two_or_six_threads(
    online, committee, member_user, member
) -> None:
    """The posts are not paged (the page shows them all too), but their
    authors and replies come in a fixed number of queries."""
    client = token_client(member_user, committee, scope="read")
    url = f"/api/v1/consultations/{online.pk}"
    client.get(url)  # the token's first use writes its last-use time once

    def thread(count: int) -> None:
        for _ in range(count):
            top = Post.objects.create(
                committee=committee,
                consultation=online,
                author=member_user,
                member=member,
                text="建议",
            )
            Post.objects.create(
                committee=committee,
                consultation=online,
                parent=top,
                author=member_user,
                member=member,
                text="补充",
            )

    assert_same_queries(thread, lambda: queries_of(client, url), n=2)
