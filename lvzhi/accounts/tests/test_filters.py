"""The filters of the account list and of the audit trail (accounts/filters.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import QueryDict

from lvzhi.accounts import selectors
from lvzhi.accounts.filters import AuditFilter, UserFilter
from lvzhi.accounts.models import Role, User
from lvzhi.core.models import AuditEvent
from lvzhi.org.models import Committee

pytestmark = pytest.mark.django_db


def trail(committee: Committee, query: str) -> AuditFilter:
    return AuditFilter(
        QueryDict(query), queryset=selectors.audit_events_for(committee), committee=committee
    )


def test_the_user_filter_searches_and_ignores_a_too_long_search(
    committee: Committee, make_user: Callable[..., User]
) -> None:
    zhou = make_user(Role.LEADER, committee, username="zhouli")
    wang = make_user(Role.LEADER, committee, username="wangfang")
    users = selectors.users_of_committee(committee)
    assert list(UserFilter(QueryDict("q=zhou"), queryset=users).qs) == [zhou]
    everyone = UserFilter(QueryDict("q=" + "x" * 65), queryset=users)
    assert {zhou, wang} <= set(everyone.qs) and everyone.form.errors["q"]


def test_the_audit_filter_offers_the_committees_actions_only(
    committee: Committee, other_committee: Committee
) -> None:
    AuditEvent.objects.create(action="role_granted", committee=committee, actor_label="a")
    AuditEvent.objects.create(action="user_created", committee=other_committee, actor_label="b")
    filterset = trail(committee, "action=user_created")
    codes = [code for code, _label in filterset.form.fields["action"].choices]
    assert codes == ["", "role_granted"]
    # Another committee's action is not a choice here: ignored, reported.
    assert "action" in filterset.form.errors
    assert [e.action for e in filterset.qs] == ["role_granted"]


def test_the_audit_filter_by_result_and_what_the_export_records(committee: Committee) -> None:
    AuditEvent.objects.create(
        action="login_failure",
        committee=committee,
        actor_label="x",
        result=AuditEvent.Result.FAILURE,
    )
    AuditEvent.objects.create(action="login_success", committee=committee, actor_label="y")
    filterset = trail(committee, f"result={AuditEvent.Result.FAILURE}&actor=")
    assert [e.actor_label for e in filterset.qs] == ["x"]
    assert filterset.applied() == {"result": AuditEvent.Result.FAILURE}
