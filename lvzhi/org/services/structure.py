"""Terms, plenary sessions, sector clusters, sectors and special committees
(org staff keep them: ``org.change_structure``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.org.models import (
    Committee,
    Member,
    PlenarySession,
    Sector,
    SectorCluster,
    SpecialCommittee,
    Term,
)
from lvzhi.org.services._common import (
    CHANGE_STRUCTURE,
    Check,
    audit,
    audit_changes,
    check_members_eligible,
    named_create,
    named_update,
    save_changes,
    save_or_conflict,
)

# How long before a plenary session the proposal window may open at most.
PROPOSAL_WINDOW_MAX_LEAD = dt.timedelta(days=180)


# --- Terms and plenary sessions --------------------------------------------------


def _check_term(
    committee: Committee,
    *,
    number: int,
    start_date: dt.date,
    end_date: dt.date | None,
    term: Term | None = None,
) -> None:
    if end_date is not None and end_date <= start_date:
        raise ValidationFailed(_("The end date must be after the start date."))
    others = Term.objects.filter(committee=committee, number=number)
    if term is not None:
        others = others.exclude(pk=term.pk)
    if others.exists():
        raise Conflict(_("This committee already has a term with this number."))
    if term is not None:
        sessions = PlenarySession.objects.filter(term=term)
        outside = models.Q(start_date__lt=start_date)
        if end_date is not None:
            outside |= models.Q(end_date__gt=end_date)
        if sessions.filter(outside).exists():
            raise ValidationFailed(
                _("Some plenary sessions of this term fall outside these dates.")
            )


def _make_only_current(term: Term) -> None:
    """One current term per committee: marking a term current unmarks the others."""
    Term.objects.filter(committee_id=term.committee_id, is_current=True).exclude(pk=term.pk).update(
        is_current=False
    )


def term_create(
    *,
    actor: Any,
    committee: Committee,
    number: int,
    name: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    is_current: bool = False,
) -> Term:
    require_perm(actor, CHANGE_STRUCTURE, committee)
    with transaction.atomic():
        # Lock the committee's terms so two staff cannot both make a term current.
        list(Term.objects.select_for_update().filter(committee=committee))
        _check_term(committee, number=number, start_date=start_date, end_date=end_date)
        values = {"number": number, "name": name, "is_current": is_current}
        term = Term(committee=committee, start_date=start_date, end_date=end_date, **values)
        save_or_conflict(term)
        if is_current:
            _make_only_current(term)
        audit("term_created", actor=actor, obj=term, committee=committee)
    return term


def term_update(
    *,
    actor: Any,
    term: Term,
    number: int,
    name: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    is_current: bool = False,
) -> Term:
    require_perm(actor, CHANGE_STRUCTURE, term)
    with transaction.atomic():
        list(Term.objects.select_for_update().filter(committee_id=term.committee_id))
        term = Term.objects.select_related("committee").get(pk=term.pk)
        _check_term(
            term.committee, number=number, start_date=start_date, end_date=end_date, term=term
        )
        changed = save_changes(
            term,
            {
                "number": number,
                "name": name,
                "start_date": start_date,
                "end_date": end_date,
                "is_current": is_current,
            },
        )
        if is_current:
            _make_only_current(term)
        audit_changes("term_updated", actor=actor, obj=term, changed=changed)
    return term


def _session_values(
    term: Term, session: PlenarySession | None = None, **values: Any
) -> dict[str, Any]:
    """A session's values (``number``, ``name``, its dates and its proposal
    window) once checked against its term and the term's other sessions,
    with the year they give."""
    _check_session(term, values, session)
    return {**values, "year": values["start_date"].year}


def _check_session(
    term: Term, values: dict[str, Any], session: PlenarySession | None = None
) -> None:
    start_date, end_date = values["start_date"], values["end_date"]
    proposal_window_start = values["proposal_window_start"]
    proposal_window_end = values["proposal_window_end"]
    if end_date < start_date:
        raise ValidationFailed(_("The closing date cannot be before the opening date."))
    if start_date < term.start_date or (term.end_date is not None and end_date > term.end_date):
        raise ValidationFailed(_("The session must take place within the dates of its term."))
    if proposal_window_end < proposal_window_start:
        raise ValidationFailed(_("The proposal window must open before it closes."))
    if proposal_window_end > end_date:
        raise ValidationFailed(
            _("The proposal window must close by the closing date of the session.")
        )
    if proposal_window_start < start_date - PROPOSAL_WINDOW_MAX_LEAD:
        raise ValidationFailed(
            _("The proposal window may open at most 180 days before the session.")
        )
    others = PlenarySession.objects.filter(term=term, number=values["number"])
    if session is not None:
        others = others.exclude(pk=session.pk)
    if others.exists():
        raise Conflict(_("This term already has a session with this number."))


def session_create(
    *,
    actor: Any,
    term: Term,
    number: int,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    proposal_window_start: dt.date,
    proposal_window_end: dt.date,
) -> PlenarySession:
    require_perm(actor, CHANGE_STRUCTURE, term)
    with transaction.atomic():
        term = (
            Term.objects.select_for_update(of=("self",)).select_related("committee").get(pk=term.pk)
        )
        values = _session_values(
            term,
            number=number,
            name=name,
            start_date=start_date,
            end_date=end_date,
            proposal_window_start=proposal_window_start,
            proposal_window_end=proposal_window_end,
        )
        session = PlenarySession(committee=term.committee, term=term, **values)
        save_or_conflict(session)
        audit("session_created", actor=actor, obj=session, committee=term.committee)
    return session


def session_update(
    *,
    actor: Any,
    session: PlenarySession,
    number: int,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    proposal_window_start: dt.date,
    proposal_window_end: dt.date,
) -> PlenarySession:
    require_perm(actor, CHANGE_STRUCTURE, session)
    with transaction.atomic():
        session = (
            PlenarySession.objects.select_for_update(of=("self",))
            .select_related("term", "committee")
            .get(pk=session.pk)
        )
        values = _session_values(
            session.term,
            session,
            number=number,
            name=name,
            start_date=start_date,
            end_date=end_date,
            proposal_window_start=proposal_window_start,
            proposal_window_end=proposal_window_end,
        )
        changed = save_changes(session, values)
        audit_changes("session_updated", actor=actor, obj=session, changed=changed)
    return session


# --- Sector clusters, sectors, special committees ------------------------------------


def cluster_create(*, actor: Any, committee: Committee, name: str, order: int = 0) -> SectorCluster:
    cluster: SectorCluster = named_create(
        SectorCluster,
        actor=actor,
        committee=committee,
        action="cluster_created",
        fields={"name": name, "order": order},
    )
    return cluster


def cluster_update(
    *, actor: Any, cluster: SectorCluster, name: str, order: int = 0
) -> SectorCluster:
    updated: SectorCluster = named_update(
        cluster, actor=actor, action="cluster_updated", fields={"name": name, "order": order}
    )
    return updated


def _sector_check(cluster: SectorCluster | None, conveners: Sequence[Member]) -> Check:
    """The cluster is the committee's, the conveners are eligible members."""

    def check(committee: Committee, already: list[int]) -> None:
        if cluster is not None and cluster.committee_id != committee.pk:
            raise ValidationFailed(_("The sector cluster belongs to another committee."))
        check_members_eligible(committee, conveners, already)

    return check


def sector_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    cluster: SectorCluster | None = None,
    order: int = 0,
    conveners: Sequence[Member] = (),
) -> Sector:
    sector: Sector = named_create(
        Sector,
        actor=actor,
        committee=committee,
        action="sector_created",
        fields={"name": name, "cluster": cluster, "order": order},
        chosen=("conveners", conveners),
        check=_sector_check(cluster, conveners),
    )
    return sector


def sector_update(
    *,
    actor: Any,
    sector: Sector,
    name: str,
    cluster: SectorCluster | None = None,
    order: int = 0,
    conveners: Sequence[Member] = (),
) -> Sector:
    updated: Sector = named_update(
        sector,
        actor=actor,
        action="sector_updated",
        fields={"name": name, "cluster": cluster, "order": order},
        chosen=("conveners", conveners),
        check=_sector_check(cluster, conveners),
    )
    return updated


def special_committee_create(
    *, actor: Any, committee: Committee, name: str, order: int = 0
) -> SpecialCommittee:
    special: SpecialCommittee = named_create(
        SpecialCommittee,
        actor=actor,
        committee=committee,
        action="special_committee_created",
        fields={"name": name, "order": order},
    )
    return special


def special_committee_update(
    *, actor: Any, special_committee: SpecialCommittee, name: str, order: int = 0
) -> SpecialCommittee:
    updated: SpecialCommittee = named_update(
        special_committee,
        actor=actor,
        action="special_committee_updated",
        fields={"name": name, "order": order},
    )
    return updated
