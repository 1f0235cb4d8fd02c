"""三听三转 help: citizens' messages that say the same thing, grouped so the
office converts them together. A message joins the first group whose first
message shares enough of its content words; groups of one are left out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lvzhi.assist import scope, similarity
from lvzhi.assist.models import Kind, SearchEntry
from lvzhi.org.models import Committee

SAME_MATTER = 0.3  # share of distinct words in common (Jaccard) with the group's first message
RECENT = 500  # the newest messages looked at


def group(items: Sequence[tuple[Any, list[str]]]) -> list[list[Any]]:
    """Greedy grouping of (item, words), in the order given."""
    groups: list[tuple[list[str], list[Any]]] = []
    for item, words in items:
        home = next((g for g in groups if similarity.overlap(g[0], words) >= SAME_MATTER), None)
        if home is None:
            groups.append((words, [item]))
        else:
            home[1].append(item)
    return [members for _, members in groups if len(members) > 1]


def message_groups(user: Any, committee: Committee) -> list[list[SearchEntry]]:
    ids = scope.visible_ids(user, committee).get(Kind.MESSAGE)
    if ids is None:
        return []
    entries = SearchEntry.objects.filter(
        committee=committee, kind=Kind.MESSAGE, object_id__in=ids
    ).order_by("-object_id")[:RECENT]
    return group([(e, e.terms.split()) for e in entries])
