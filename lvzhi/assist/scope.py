"""Which objects of each kind a user may see in a committee, built only from
the owning apps' selectors and permissions — the ones their pages use — so a
search or a similar-proposal list never shows what the page would refuse.

Each function returns a queryset of primary keys (a subquery, so the whole
search stays one SQL statement) or None when the kind is closed to the user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from lvzhi.accounts.roles import assignments_of
from lvzhi.assist.models import Kind
from lvzhi.consultations import selectors as consultations
from lvzhi.core.permissions import has_perm
from lvzhi.duties import selectors as duties
from lvzhi.opinions import selectors as opinions
from lvzhi.opinions.models import Report
from lvzhi.org import selectors as org
from lvzhi.org.models import Committee, Member
from lvzhi.proposals import selectors as proposals
from lvzhi.proposals.models import Proposal
from lvzhi.public import selectors as public

Ids = QuerySet[Any] | None


def _pks(qs: QuerySet[Any], field: str = "pk") -> QuerySet[Any]:
    return qs.prefetch_related(None).order_by().values(field)


def visible_proposals(user: Any, committee: Committee) -> QuerySet[Any]:
    """What ``proposals.view_proposal`` allows, from the pages' own lists: the
    user's proposals and co-signing invitations, the office's list for staff
    and leaders, and a unit's assignments and suggestion letters."""
    ids = (
        Q(pk__in=_pks(proposals.my_proposals(committee, user)))
        | Q(pk__in=_pks(proposals.cosign_invitations(committee, user), "proposal_id"))
        | Q(pk__in=_pks(proposals.unit_assignments(committee, user), "proposal_id"))
        | Q(pk__in=_pks(proposals.letters_for_units(committee, user)))
    )
    if has_perm(user, "proposals.view_all", committee):
        ids |= Q(pk__in=_pks(proposals.office_proposals(committee)))
    # The committee too, though each list is of this committee already: an
    # OR of subqueries cannot use an index, so without it PostgreSQL reads
    # every proposal of every committee to test them (the search entries are
    # of this committee anyway).
    return _pks(Proposal.objects.filter(ids, committee=committee))


def proposal_reach(user: Any, committees: QuerySet[Committee]) -> list[Committee]:
    """Of ``committees``, those where ``visible_proposals`` may hold anything,
    read in one query: where the user holds a role (the office's list, a
    unit's assignments and letters all come from roles) or has a seat of any
    term (a proposal is filed and co-signed only by the committee's own
    members, so the user's own and co-signed proposals are only there), or
    where ``proposals.view_all`` holds anyway. Leaving the others out changes
    nothing of what is seen and saves one subquery each: a province's staff
    see nothing of a county's proposals."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = {a.committee_id for a in assignments_of(user)}
    seat = Exists(Member.objects.filter(person__user=user, committee=OuterRef("pk")))
    rows = committees.annotate(has_seat=seat)
    if not user.is_superuser:
        # Only the committees with a role or a seat come back: the
        # proposals' permissions are roles held in the committee itself, so
        # ``has_perm`` below could add none of the others (a superuser holds
        # every permission anywhere, and keeps the whole list). A province's
        # staff then read one row, not one per county below with a
        # permission check each (a fifth of a similar request at 140).
        rows = rows.filter(Q(pk__in=roles) | Q(has_seat=True))
    return [
        c for c in rows if c.pk in roles or c.has_seat or has_perm(user, "proposals.view_all", c)
    ]


def _reports(user: Any, committee: Committee) -> Ids:
    mine = Report.objects.filter(pk__in=_pks(opinions.reports_of_user(committee, user)))
    if has_perm(user, "opinions.view_queue", committee):
        mine = mine | Report.objects.filter(pk__in=_pks(opinions.queue(committee)))
    return _pks(mine)


def _topics(user: Any, committee: Committee) -> Ids:
    return _pks(consultations.topics_for(user, committee))


def _consultations(user: Any, committee: Committee) -> Ids:
    if not has_perm(user, "consultations.view_section", committee):
        return None
    return _pks(consultations.consultations_for(user, committee))


def _messages(user: Any, committee: Committee) -> Ids:
    if not has_perm(user, "public.view_inbox", committee):
        return None
    return _pks(public.inbox_for(user, committee))


def _activities(user: Any, committee: Committee) -> Ids:
    if has_perm(user, "duties.view_activities", committee):
        return _pks(duties.activities_for_staff(committee))
    seat = org.member_of_user(user, committee)
    if seat is None:
        return None
    return _pks(duties.invitations_of_member(seat), "activity_id")


def _members(user: Any, committee: Committee) -> Ids:
    if not has_perm(user, "org.view_roster", committee):
        return None
    return _pks(org.member_list(committee))


SCOPES: dict[str, Callable[[Any, Committee], Ids]] = {
    Kind.PROPOSAL: visible_proposals,
    Kind.REPORT: _reports,
    Kind.TOPIC: _topics,
    Kind.CONSULTATION: _consultations,
    Kind.MESSAGE: _messages,
    Kind.ACTIVITY: _activities,
    Kind.MEMBER: _members,
}


def visible_ids(user: Any, committee: Committee) -> dict[str, QuerySet[Any]]:
    """Per kind the user may search at all, the subquery of visible ids."""
    scopes = {kind: scope(user, committee) for kind, scope in SCOPES.items()}
    return {kind: ids for kind, ids in scopes.items() if ids is not None}
