"""Reads of assist: the search over everything the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.assist import scope
from lvzhi.assist.engines import engine
from lvzhi.assist.models import SearchEntry
from lvzhi.assist.tokens import query_tokens
from lvzhi.org.models import Committee


def search(
    user: Any, committee: Committee, query: str, *, kind: str = "", year: int | None = None
) -> tuple[QuerySet[SearchEntry], list[str]]:
    """Entries matching every token of ``query`` that the user may open, best
    first, with the tokens used (for the highlights). A query with no word
    in it (punctuation, emoji) matches nothing rather than everything."""
    tokens = query_tokens(query)
    visible = scope.visible_ids(user, committee)
    if kind:
        visible = {k: ids for k, ids in visible.items() if k == kind}
    if not tokens or not visible:
        return SearchEntry.objects.none(), tokens
    allowed = Q()
    for k, ids in visible.items():
        allowed |= Q(kind=k, object_id__in=ids)
    entries = SearchEntry.objects.filter(allowed, committee=committee)
    if year:
        entries = entries.filter(year=year)
    return engine().match(entries, tokens, committees=[committee.pk]), tokens


def years_of(committee: Committee) -> list[int]:
    years = (
        SearchEntry.objects.filter(committee=committee, year__isnull=False)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return [int(y) for y in years if y is not None]
