"""The state tables, exhaustively: every transition the tables allow is
performed by an actor who holds its permission (new state, event row and
audit row asserted); every pair a table lacks is refused with Conflict and
writes nothing."""

from __future__ import annotations

import pytest

from lvzhi.core.errors import Conflict
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import allowed_cases, case_id, refused_cases
from lvzhi.core.workflow import transition
from lvzhi.opinions.models import Issue, IssueStatus, Report, ReportStatus
from lvzhi.opinions.workflow import ISSUE_FLOW, REPORT_FLOW

pytestmark = pytest.mark.django_db

AUTHOR_PERMISSIONS = {"opinions.edit_report", "opinions.submit_report"}


def _actor(permission, member_user, opinions_staff):
    return member_user if permission in AUTHOR_PERMISSIONS else opinions_staff


def _audit_rows(code, obj):
    return AuditEvent.objects.filter(action=code, object_id=str(obj.pk)).count()


def test_the_tables_cover_every_state_of_their_model():
    assert REPORT_FLOW.states() == set(ReportStatus.values)
    assert ISSUE_FLOW.states() == set(IssueStatus.values)


@pytest.mark.parametrize(("state", "row"), allowed_cases(REPORT_FLOW), ids=case_id)
def test_every_allowed_report_transition_moves_the_report_and_logs_it(
    state, row, report_in, member_user, opinions_staff
):
    report = report_in(state)
    actor = _actor(row.permission, member_user, opinions_staff)
    code = REPORT_FLOW.audit_code(row.action)
    audits = _audit_rows(code, report)
    transition(report, row.action, actor=actor, note="测试")
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.status == (row.target or state)
    event = fresh.events.order_by("-id").first()
    assert (event.action, event.from_state, event.to_state) == (
        row.action,
        state,
        row.target or state,
    )
    assert event.actor == actor and event.note == "测试"
    assert _audit_rows(code, report) == audits + 1


@pytest.mark.parametrize(("state", "action"), refused_cases(REPORT_FLOW), ids=case_id)
def test_every_report_transition_the_table_lacks_is_refused_and_writes_nothing(
    state, action, report_in, member_user, opinions_staff
):
    report = report_in(state)
    actor = _actor(REPORT_FLOW._by_action[action][0].permission, member_user, opinions_staff)
    events, audits = report.events.count(), AuditEvent.objects.count()
    with pytest.raises(Conflict):
        transition(report, action, actor=actor)
    assert Report.objects.get(pk=report.pk).status == state
    assert report.events.count() == events
    assert AuditEvent.objects.count() == audits


@pytest.mark.parametrize(("state", "row"), allowed_cases(ISSUE_FLOW), ids=case_id)
def test_every_allowed_issue_transition_moves_the_issue_and_logs_it(
    state, row, issue_in, opinions_staff
):
    issue = issue_in(state)
    code = ISSUE_FLOW.audit_code(row.action)
    audits = _audit_rows(code, issue)
    transition(issue, row.action, actor=opinions_staff)
    fresh = Issue.objects.get(pk=issue.pk)
    assert fresh.status == (row.target or state)
    event = fresh.events.order_by("-id").first()
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        row.action,
        state,
        row.target or state,
        opinions_staff,
    )
    assert _audit_rows(code, issue) == audits + 1


@pytest.mark.parametrize(("state", "action"), refused_cases(ISSUE_FLOW), ids=case_id)
def test_every_issue_transition_the_table_lacks_is_refused_and_writes_nothing(
    state, action, issue_in, opinions_staff
):
    issue = issue_in(state)
    events, audits = issue.events.count(), AuditEvent.objects.count()
    with pytest.raises(Conflict):
        transition(issue, action, actor=opinions_staff)
    assert Issue.objects.get(pk=issue.pk).status == state
    assert issue.events.count() == events
    assert AuditEvent.objects.count() == audits
