"""Training the unit-routing model of each committee from its past
assignments (the nightly job and ``assist_evaluate``). The model is derived
data, rebuilt from the tables at any time, so it carries no audit row."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from lvzhi.assist import routing
from lvzhi.assist.models import Kind, RoutingModel, SearchEntry
from lvzhi.org.models import Committee
from lvzhi.proposals.models import Assignment

LEAD = (Assignment.Role.LEAD, Assignment.Role.SPLIT)


def lead_assignments() -> QuerySet[Assignment]:
    return Assignment.objects.filter(role__in=LEAD).exclude(state=Assignment.State.WITHDRAWN)


def examples(
    committee: Committee, *, before_year: int | None = None
) -> Iterator[tuple[list[str], int, int, int | None]]:
    """(words, lead unit id, proposal id, year) of every assigned proposal."""
    leads = dict(
        lead_assignments().filter(committee=committee).values_list("proposal_id", "unit_id")
    )
    entries = SearchEntry.objects.filter(
        kind=Kind.PROPOSAL, committee=committee, object_id__in=list(leads)
    )
    if before_year is not None:
        entries = entries.filter(year__lt=before_year)
    for object_id, terms, year in entries.values_list("object_id", "terms", "year").iterator():
        yield terms.split(), leads[object_id], object_id, year


def train(committee: Committee) -> int:
    rows = [(words, unit) for words, unit, _, _ in examples(committee)]
    RoutingModel.objects.update_or_create(
        committee=committee, defaults={"data": routing.train(rows), "proposals": len(rows)}
    )
    return len(rows)


def train_all() -> int:
    committees = Committee.objects.filter(pk__in=lead_assignments().values("committee_id"))
    return sum(train(c) for c in committees)
