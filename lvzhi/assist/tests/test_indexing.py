"""The indexing job misses nothing: new rows, edited rows, new child rows
(a proposal's units), deleted rows; search_rebuild gives the same index."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lvzhi.assist import indexing, selectors
from lvzhi.assist.models import Kind, SearchEntry
from lvzhi.proposals import services
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.tests.conftest import World, make_member, registered

pytestmark = pytest.mark.django_db


def hits(world: World, q: str) -> set[int]:
    entries, _ = selectors.search(world.staff, world.committee, q, kind=Kind.PROPOSAL)
    return {e.object_id for e in entries}


def snapshot() -> set[tuple[str, int, str, str]]:
    return set(SearchEntry.objects.values_list("kind", "object_id", "title", "tokens"))


def test_the_job_indexes_new_edited_assigned_and_deleted_rows(world: World) -> None:
    indexing.index_changed()
    p = registered(world, title="关于整治河道垃圾的建议")
    indexing.index_changed()
    assert hits(world, "河道") == {p.pk}

    p.title = "关于整治湖泊垃圾的建议"
    p.save(update_fields=["title", "updated_at"])
    indexing.index_changed()
    assert hits(world, "湖泊") == {p.pk} and hits(world, "河道") == set()

    services.proposal_assign(actor=world.staff, proposal=p, lead=world.lead_unit, co_units=[])
    Proposal.objects.filter(pk=p.pk).update(updated_at=p.updated_at)  # only the child row is new
    indexing.index_changed()
    assert hits(world, "教育局") == {p.pk}

    # A proposal is never deleted (its events are append-only); a member seat
    # entered by mistake is, and leaves the index with the job's next run.
    gone = make_member(world.committee, world.term, "search-gone", "钱删除")
    indexing.index_changed()
    assert SearchEntry.objects.filter(kind=Kind.MEMBER, object_id=gone.pk).exists()
    gone_pk = gone.pk
    gone.delete()
    indexing.index_changed()
    assert not SearchEntry.objects.filter(kind=Kind.MEMBER, object_id=gone_pk).exists()

    incremental = snapshot()
    call_command("search_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == incremental


def test_search_rebuild_refuses_an_unknown_kind(world: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("search_rebuild", "nonsense")
