"""Loading the generated history (``corpus.py``) into a committee, for the
demo: ``manage.py assist_corpus <committee code>``. Never part of the default
``seed_demo`` (it adds several hundred rows); everything in bulk, so a
county's five years load in seconds. The rows are closed proposals of past
years with their lead unit, reply and evaluation; no duty records are made
(the history is there to be searched and compared, not scored)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lvzhi.assist import corpus
from lvzhi.org.models import Committee, HandlingUnit, Member
from lvzhi.proposals.models import Assignment, Evaluation, Proposal, ProposalCategory, Reply
from lvzhi.proposals.settings_defs import answer_classes

SATISFACTION_CLASS = {"satisfied": 0, "basic": 1, "dissatisfied": -1}  # index into the scheme


def _units(committee: Committee, names: set[str]) -> dict[str, HandlingUnit]:
    existing = {u.name: u for u in HandlingUnit.objects.filter(committee=committee, name__in=names)}
    missing = [
        HandlingUnit(committee=committee, name=n, kind=HandlingUnit.Kind.GOVERNMENT)
        for n in sorted(names - set(existing))
    ]
    HandlingUnit.objects.bulk_create(missing)
    return {u.name: u for u in HandlingUnit.objects.filter(committee=committee, name__in=names)}


def _categories(committee: Committee, names: set[str]) -> dict[str, ProposalCategory]:
    existing = {
        c.name for c in ProposalCategory.objects.filter(committee=committee, name__in=names)
    }
    ProposalCategory.objects.bulk_create(
        [ProposalCategory(committee=committee, name=n) for n in sorted(names - existing)]
    )
    return {c.name: c for c in ProposalCategory.objects.filter(committee=committee, name__in=names)}


@transaction.atomic
def corpus_load(committee: Committee, *, seed: int = 15) -> int:
    """Five years ending last year; returns the proposals created."""
    members = list(
        Member.objects.filter(committee=committee).select_related("term").order_by("id")[:60]
    )
    if not members:
        return 0
    this_year = timezone.localdate().year
    rows = corpus.generate(first_year=this_year - corpus.YEARS, seed=seed)
    units = _units(committee, {r.unit for r in rows})
    categories = _categories(committee, {r.category for r in rows})
    scheme = answer_classes(committee)
    term = members[0].term
    number = (
        Proposal.objects.filter(committee=committee, term=term).aggregate(m=Max("number"))["m"] or 0
    )
    proposals = []
    for i, r in enumerate(rows):
        when = timezone.make_aware(dt.datetime(r.year, 2, 1 + i % 27, 9))
        proposals.append(
            Proposal(
                committee=committee,
                term=term,
                title=r.title,
                category=categories[r.category],
                reason=r.reason,
                suggestions=r.suggestions,
                proposer=members[i % len(members)],
                status=Proposal.Status.CLOSED,
                number=number + i + 1,
                submitted_at=when,
                registered_at=when,
                replied_on=when.date() + dt.timedelta(days=90),
            )
        )
    Proposal.objects.bulk_create(proposals)
    for year in {r.year for r in rows}:  # auto_now_add set "now"; the year is the history's
        Proposal.objects.filter(
            pk__in=[p.pk for p, r in zip(proposals, rows, strict=True) if r.year == year]
        ).update(created_at=timezone.make_aware(dt.datetime(year, 2, 1, 9)))
    assignments = [
        _assignment(committee, p, units[r.unit]) for p, r in zip(proposals, rows, strict=True)
    ]
    Assignment.objects.bulk_create(assignments)
    Reply.objects.bulk_create(
        [_reply(a, r, scheme) for a, r in zip(assignments, rows, strict=True)]
    )
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                proposal=p,
                member=p.proposer,
                contact=r.satisfaction,
                attitude=r.satisfaction,
                result=r.satisfaction,
            )
            for p, r in zip(proposals, rows, strict=True)
        ]
    )
    return len(proposals)


def _assignment(committee: Committee, p: Proposal, unit: HandlingUnit) -> Assignment:
    assert p.registered_at is not None and p.replied_on is not None
    on = p.registered_at.date()
    return Assignment(
        committee=committee,
        proposal=p,
        unit=unit,
        role=Assignment.Role.LEAD,
        state=Assignment.State.REPLIED,
        assigned_on=on,
        accepted_on=on,
        reassignment_due=on + dt.timedelta(days=7),
        precontact_due=on + dt.timedelta(days=30),
        reply_due=on + dt.timedelta(days=90),
        replied_on=p.replied_on,
    )


def _reply(a: Assignment, r: corpus.GeneratedProposal, scheme: list[dict[str, Any]]) -> Reply:
    cls = scheme[SATISFACTION_CLASS[r.satisfaction]]
    return Reply(
        assignment=a,
        text=r.reply,
        reply_class=cls["code"],
        class_label=cls["label"],
        solved=bool(cls.get("solved")),
        unit_class=cls["code"],
        unit_class_label=cls["label"],
    )
