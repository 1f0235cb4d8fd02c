"""The search page: what each role finds, tenancy, numbers and body words,
ranking, hostile queries and the query budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.assist import indexing, selectors
from lvzhi.assist.models import Kind, SearchEntry
from lvzhi.proposals.tests.conftest import World, assigned, draft, registered

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    '""',
    "*",
    "交通*",
    "NEAR(交通 拥堵)",
    "交通 OR 拥堵",
    "AND",
    "-",
    "！？。，",
    "'; DROP TABLE assist_searchentry; --",
    "交通" * 5000,
    "😀🚌",
    "𠀀",
    "a:b",
    "^交通",
    "(交通",
    "\\",
]


def found(user: Any, world: World, q: str, **kw: Any) -> list[tuple[str, int]]:
    entries, _ = selectors.search(user, world.committee, q, **kw)
    return [(e.kind, e.object_id) for e in entries]


def proposal_hits(user: Any, world: World, q: str) -> set[int]:
    return {pk for kind, pk in found(user, world, q) if kind == Kind.PROPOSAL}


def test_staff_find_a_proposal_by_a_word_of_its_body(world: World) -> None:
    p = registered(world, reason="城区停车位严重不足，占道停车普遍。")
    indexing.rebuild()
    assert proposal_hits(world.staff, world, "停车位") == {p.pk}


def test_staff_find_a_proposal_by_its_number(world: World) -> None:
    p = registered(world)
    indexing.rebuild()
    assert p.number
    assert p.pk in proposal_hits(world.staff, world, str(p.number))


def test_a_proposal_is_found_by_its_proposer_and_its_unit(world: World) -> None:
    p = assigned(world)
    indexing.rebuild()
    assert p.pk in proposal_hits(world.staff, world, "李提案")
    assert p.pk in proposal_hits(world.staff, world, "教育局")


def test_a_member_finds_their_own_draft_but_not_anothers(world: World) -> None:
    mine = draft(world, title="关于修缮古城墙的建议")
    theirs = draft(world, actor=world.cosigner2_user, title="关于修缮古城门的建议")
    indexing.rebuild()
    assert proposal_hits(world.proposer_user, world, "修缮") == {mine.pk}
    assert proposal_hits(world.cosigner_user, world, "修缮") == set()
    # Nor does the office see drafts.
    assert theirs.pk not in proposal_hits(world.staff, world, "修缮")


def test_a_unit_finds_its_assigned_proposal_but_not_another_units(world: World) -> None:
    p = assigned(world)
    indexing.rebuild()
    assert p.pk in proposal_hits(world.lead_user, world, "潮汐车道")
    assert proposal_hits(world.other_unit_user, world, "潮汐车道") == set()


def test_another_committee_never_finds_the_rows(world: World) -> None:
    registered(world)
    indexing.rebuild()
    other = World.__new__(World)
    other.committee = world.other_committee  # the other committee's own search
    assert found(world.other_staff, other, "潮汐车道") == []
    # Nor does this committee's office find the other committee's member.
    assert found(world.staff, world, "赵外县") == []


def test_a_query_of_the_committees_id_matches_only_words_not_the_committee(
    world: World,
) -> None:
    # SQLite keeps the committee in a column of the FTS5 table: a query that
    # is the committee's id must still match the tokens column only.
    registered(world)
    indexing.rebuild()
    q = str(world.committee.pk)
    holding = {
        (e.kind, e.object_id)
        for e in SearchEntry.objects.filter(committee=world.committee)
        if q in e.tokens.split()
    }
    assert set(found(world.staff, world, q)) <= holding
    assert found(world.staff, world, "潮汐车道")  # the committee's rows are matched


def test_ranking_puts_the_proposal_about_the_word_first(world: World) -> None:
    once = registered(world, title="关于城市绿化的建议", reason="顺带提到公交站台。")
    about = registered(
        world,
        title="关于优化公交站台布局的建议",
        reason="公交站台距离远，公交站台缺少遮阳棚，公交站台无盲道。",
    )
    indexing.rebuild()
    hits = [pk for kind, pk in found(world.staff, world, "公交站台") if kind == Kind.PROPOSAL]
    assert hits[:2] == [about.pk, once.pk]


def test_kind_and_year_narrow_the_results(world: World) -> None:
    p = registered(world)
    indexing.rebuild()
    year = SearchEntry.objects.get(kind=Kind.PROPOSAL, object_id=p.pk).year
    assert found(world.staff, world, "潮汐车道", kind=Kind.PROPOSAL, year=year)
    assert found(world.staff, world, "潮汐车道", kind=Kind.MEMBER) == []
    assert found(world.staff, world, "潮汐车道", year=(year or 2026) - 3) == []


@pytest.mark.parametrize("q", HOSTILE)
def test_a_hostile_query_never_raises_nor_leaks(world: World, client: Client, q: str) -> None:
    registered(world)
    indexing.rebuild()
    client.force_login(world.other_staff)
    response = client.get(reverse("assist:search"), {"q": q})
    assert response.status_code == 200
    assert "潮汐" not in response.content.decode()
    client.force_login(world.staff)
    assert (
        client.get(reverse("assist:search"), {"q": q, "kind": "x", "year": "y"}).status_code == 200
    )


def test_the_page_highlights_escaped_text(world: World, client: Client) -> None:
    registered(world, title="关于<script>停车</script>管理的建议")
    indexing.rebuild()
    client.force_login(world.staff)
    html = client.get(reverse("assist:search"), {"q": "停车"}).content.decode()
    assert "<mark>停车</mark>" in html
    assert "<script>停车" not in html
    assert "&lt;script&gt;" in html


def test_administrators_have_no_search(world: World, client: Client) -> None:
    from lvzhi.accounts.models import Role
    from lvzhi.proposals.tests.conftest import make_role_user

    admin = make_role_user(world.committee, "as-sysadmin", Role.SYSADMIN)
    client.force_login(admin)
    assert client.get(reverse("assist:search"), {"q": "交通"}).status_code == 403


def test_the_page_costs_the_same_queries_for_n_and_3n_results(world: World, client: Client) -> None:
    client.force_login(world.staff)
    client.get(reverse("home"))  # the session's first visit stores its clocks once

    def count(n: int) -> int:
        for _ in range(n):
            registered(world, title="关于规范共享单车停放的建议")
        indexing.index_changed()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("assist:search"), {"q": "共享单车"})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = count(8)  # below the page size (20)
    many = count(16)  # 24 in all: above it
    assert few == many
    assert many <= 15
