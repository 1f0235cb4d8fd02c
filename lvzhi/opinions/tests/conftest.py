"""Fixtures of the public-opinion tests: a committee with members on one
term, opinions staff, and helpers that take a report through its steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import UserFactory
from lvzhi.opinions import services
from lvzhi.opinions.models import EditedItem, Issue, IssueKind, IssueStatus, Report, ReportStatus
from lvzhi.org.models import Committee, Member
from lvzhi.org.tests.factories import MemberFactory, PersonFactory, SectorFactory

TEXT = "近期群众反映，部分老旧小区加装电梯推进缓慢，建议简化审批流程、明确补贴标准。"


@pytest.fixture
def opinions_staff(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.STAFF, committee, Area.OPINIONS, username="xinxi")


@pytest.fixture
def make_member(committee: Committee, member: Member) -> Callable[..., Member]:
    """A member in office on the same term as ``member``, with a login."""

    def make(username: str, *, committee: Committee = committee, **kwargs: Any) -> Member:
        user = UserFactory(username=username)
        person = PersonFactory(user=user)
        if committee.pk == member.committee_id:
            kwargs.setdefault("term", member.term)
            kwargs.setdefault("sector", member.sector)
        return MemberFactory(committee=committee, person=person, **kwargs)

    return make


@pytest.fixture
def colleague(make_member: Callable[..., Member]) -> Member:
    return make_member("tongshi")


@pytest.fixture
def colleague_user(colleague: Member) -> User:
    return colleague.person.user


@pytest.fixture
def draft(member: Member, member_user: User, committee: Committee) -> Callable[..., Report]:
    def make(
        *, title: str = "关于加快老旧小区加装电梯的建议", co: tuple[Member, ...] = (), **kw: Any
    ) -> Report:
        return services.report_save_draft(
            actor=member_user if not kw.get("author") else kw["author"].person.user,
            committee=committee,
            author=kw.pop("author", member),
            title=title,
            text=kw.pop("text", TEXT),
            co_submitters=list(co),
            **kw,
        )

    return make


@pytest.fixture
def submitted(draft: Callable[..., Report]) -> Callable[..., Report]:
    def make(**kw: Any) -> Report:
        report = draft(**kw)
        return services.report_submit(actor=report.author.person.user, report=report)

    return make


@pytest.fixture
def published(
    submitted: Callable[..., Report], opinions_staff: User, committee: Committee
) -> Callable[..., tuple[Report, EditedItem, Issue]]:
    """A report taken through editing into a published issue."""

    def make(**kw: Any) -> tuple[Report, EditedItem, Issue]:
        report = submitted(**kw)
        item = services.report_accept(actor=opinions_staff, report=report)
        issue = services.issue_create(
            actor=opinions_staff,
            committee=committee,
            kind=IssueKind.JOURNAL,
            year=2026,
            date=dt.date(2026, 5, 8),
            to_upper=True,
            to_government=True,
        )
        services.issue_add_items(actor=opinions_staff, issue=issue, items=[item])
        services.issue_publish(actor=opinions_staff, issue=issue)
        report.refresh_from_db()
        item.refresh_from_db()
        issue.refresh_from_db()
        return report, item, issue

    return make


@pytest.fixture
def sector_b(committee: Committee) -> Any:
    return SectorFactory(committee=committee, name="教育界")


@pytest.fixture
def report_in(
    submitted: Callable[..., Report],
    draft: Callable[..., Report],
    opinions_staff: User,
    committee: Committee,
) -> Callable[[str], Report]:
    """report_in(status) -> a report of ``member``'s brought to that state by the services."""

    def make(status: str) -> Report:
        if status == ReportStatus.DRAFT:
            return draft(title=f"状态{status}")
        report = submitted(title=f"状态{status}")
        if status == ReportStatus.NOT_USED:
            services.report_not_use(actor=opinions_staff, report=report, reason="不用")
        elif status != ReportStatus.SUBMITTED:
            item = services.report_accept(actor=opinions_staff, report=report)
            if status == ReportStatus.MERGED:
                head = services.report_accept(actor=opinions_staff, report=submitted(title="主稿"))
                services.reports_merge(actor=opinions_staff, item=head, reports=[report])
            elif status == ReportStatus.USED:
                issue = services.issue_create(
                    actor=opinions_staff,
                    committee=committee,
                    kind=IssueKind.JOURNAL,
                    year=2026,
                    date=dt.date(2026, 5, 8),
                    to_party=True,
                )
                services.issue_add_items(actor=opinions_staff, issue=issue, items=[item])
                services.issue_publish(actor=opinions_staff, issue=issue)
        report.refresh_from_db()
        assert report.status == status
        return report

    return make


@pytest.fixture
def issue_in(
    opinions_staff: User, committee: Committee, submitted: Callable[..., Report]
) -> Callable[[str], Issue]:
    """issue_in(status) -> an issue with one item (and a recipient) in that state."""

    def make(status: str) -> Issue:
        issue = services.issue_create(
            actor=opinions_staff,
            committee=committee,
            kind=IssueKind.JOURNAL,
            year=2026,
            date=dt.date(2026, 5, 8),
            to_upper=True,
        )
        item = services.report_accept(actor=opinions_staff, report=submitted(title="入刊"))
        services.issue_add_items(actor=opinions_staff, issue=issue, items=[item])
        if status == IssueStatus.PUBLISHED:
            services.issue_publish(actor=opinions_staff, issue=issue)
        issue.refresh_from_db()
        assert issue.status == status
        return issue

    return make
