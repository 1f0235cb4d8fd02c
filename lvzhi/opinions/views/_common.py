"""What the opinion pages share: the loaders of reports, items and issues
(through the selectors, so another committee's object is 404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from lvzhi.core.web import committee_for, object_for
from lvzhi.opinions import selectors
from lvzhi.opinions.models import EditedItem, Issue, Report
from lvzhi.org.models import Committee, Member
from lvzhi.org.selectors import member_of_user


def report_for(request: HttpRequest, committee: Committee, pk: int) -> Report:
    """A report the user may see; 404 otherwise (a member never learns that
    another member's draft exists)."""
    return object_for(
        request, selectors.report_detail(committee), perm="opinions.view_report", pk=pk
    )


def item_for(request: HttpRequest, committee: Committee, pk: int, perm: str) -> EditedItem:
    return object_for(request, selectors.item_detail(committee), perm=perm, pk=pk)


def issue_for(request: HttpRequest, committee: Committee, pk: int) -> Issue:
    return object_for(request, selectors.issue_detail(committee), perm="opinions.view_issue", pk=pk)


def own_member(request: HttpRequest, committee: Committee) -> Member:
    member = member_of_user(request.user, committee)
    if member is None:
        raise PermissionDenied
    return member


def desk(request: HttpRequest) -> Committee:
    """The committee, for staff at the editing desk (403 for anyone else)."""
    committee: Committee = committee_for(request, "opinions.edit")
    return committee
