"""The auditor's page: the committee's audit trail, filtered, paginated, exported."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lvzhi.accounts.tests.conftest import audit_rows
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import page_queries
from lvzhi.org.models import Committee

pytestmark = pytest.mark.django_db


def event(
    action: str = "login_success",
    *,
    committee: Committee | None = None,
    actor_label: str = "someone",
    result: str = AuditEvent.Result.SUCCESS,
    at: datetime | None = None,
    **detail: str,
) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        committee=committee,
        actor_label=actor_label,
        result=result,
        ip="10.1.1.1",
        detail=detail,
        **({"created_at": at} if at is not None else {}),
    )


def labels(response: Any) -> list[str]:
    return [e.actor_label for e, _label in response.context["rows"]]


def test_the_trail_shows_this_committees_events_and_those_of_no_committee(
    auditor_client: Client, committee: Committee, other_committee: Committee
) -> None:
    event("role_granted", committee=committee, actor_label="here")
    event("login_failure", committee=None, actor_label="nowhere")
    event("role_granted", committee=other_committee, actor_label="elsewhere")
    response = auditor_client.get(reverse("accounts:audit_list"))
    assert response.status_code == 200
    assert set(labels(response)) == {"here", "nowhere"}


def test_viewing_the_trail_is_not_itself_audited(auditor_client: Client) -> None:
    auditor_client.get(reverse("accounts:audit_list"))
    auditor_client.get(reverse("accounts:audit_list"), {"action": "login_success"})
    assert AuditEvent.objects.count() == 0


def test_the_trail_filters_by_action(auditor_client: Client, committee: Committee) -> None:
    event("role_granted", committee=committee, actor_label="granted")
    event("login_failure", actor_label="failed")
    response = auditor_client.get(reverse("accounts:audit_list"), {"action": "login_failure"})
    assert labels(response) == ["failed"]


def test_the_trail_filters_by_actor_name(auditor_client: Client, committee: Committee) -> None:
    event(committee=committee, actor_label="zhangsan")
    event(committee=committee, actor_label="lisi")
    response = auditor_client.get(reverse("accounts:audit_list"), {"actor": "ZHANG"})
    assert labels(response) == ["zhangsan"]


def test_the_trail_filters_by_result(auditor_client: Client, committee: Committee) -> None:
    event(committee=committee, actor_label="ok")
    event("login_failure", actor_label="bad", result=AuditEvent.Result.FAILURE)
    event("permission_denied", actor_label="denied", result=AuditEvent.Result.DENIED)
    response = auditor_client.get(reverse("accounts:audit_list"), {"result": "denied"})
    assert labels(response) == ["denied"]


def test_the_trail_filters_by_date_range_in_local_time(
    auditor_client: Client, committee: Committee
) -> None:
    tz = timezone.get_current_timezone()
    event(committee=committee, actor_label="early", at=datetime(2026, 3, 1, 0, 30, tzinfo=tz))
    event(committee=committee, actor_label="mid", at=datetime(2026, 3, 2, 23, 59, tzinfo=tz))
    event(committee=committee, actor_label="late", at=datetime(2026, 3, 3, 0, 1, tzinfo=tz))
    response = auditor_client.get(
        reverse("accounts:audit_list"), {"date_from": "2026-03-01", "date_to": "2026-03-02"}
    )
    assert labels(response) == ["mid", "early"]


def test_a_reversed_date_range_is_reported(auditor_client: Client, committee: Committee) -> None:
    event(committee=committee)
    response = auditor_client.get(
        reverse("accounts:audit_list"), {"date_from": "2026-03-05", "date_to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]


@pytest.mark.parametrize(
    "params",
    [{"date_from": "not-a-date"}, {"action": "no-such-action"}, {"result": "maybe"}],
)
def test_bad_filters_are_reported_not_crashing(
    auditor_client: Client, committee: Committee, params: dict[str, str]
) -> None:
    event(committee=committee)
    response = auditor_client.get(reverse("accounts:audit_list"), params)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_trail_is_paginated_newest_first(auditor_client: Client, committee: Committee) -> None:
    for i in range(30):
        event(committee=committee, actor_label=f"user{i:02}")
    first = auditor_client.get(reverse("accounts:audit_list"))
    assert len(first.context["rows"]) == 25
    assert labels(first)[0] == "user29"
    second = auditor_client.get(reverse("accounts:audit_list"), {"page": 2})
    assert labels(second) == [f"user{i:02}" for i in range(4, -1, -1)]


def test_the_query_count_does_not_grow_with_events(
    auditor_client: Client, committee: Committee
) -> None:
    def count() -> int:
        return page_queries(auditor_client, reverse("accounts:audit_list"))

    for i in range(10):
        event(f"action_{i % 3}", committee=committee, actor_label=f"a{i}")
    few = count()
    for i in range(30):
        event(f"action_{i % 3}", committee=committee, actor_label=f"b{i}")
        event("login_failure", actor_label=f"c{i}")
    assert count() == few
    assert few <= 15


def test_the_action_filter_offers_the_actions_present(
    auditor_client: Client, committee: Committee
) -> None:
    event("role_granted", committee=committee)
    event("export", committee=committee)
    response = auditor_client.get(reverse("accounts:audit_list"))
    codes = [code for code, _label in response.context["form"].fields["action"].choices]
    assert codes == ["", "export", "role_granted"]


def xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


def test_exporting_the_trail_is_audited_and_follows_the_filters(
    auditor_client: Client, auditor: Any, committee: Committee
) -> None:
    event("role_granted", committee=committee, actor_label="granted")
    event("login_failure", actor_label="failed")
    response = auditor_client.get(reverse("accounts:audit_export"), {"action": "role_granted"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = xlsx_rows(response)
    assert len(rows) == 2  # header and one event
    assert rows[1][1] == "granted"
    [row] = audit_rows("export")
    assert row.actor == auditor
    assert row.committee == committee
    assert row.detail == {"what": "audit_events", "rows": "1", "filter_action": "role_granted"}
    assert response["Cache-Control"] == "private, no-store"


def test_the_export_neutralises_formulas(auditor_client: Client, committee: Committee) -> None:
    event(committee=committee, actor_label="=HYPERLINK(1)")
    rows = xlsx_rows(auditor_client.get(reverse("accounts:audit_export")))
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_the_export_leaves_out_other_committees(
    auditor_client: Client, other_committee: Committee
) -> None:
    event(committee=other_committee, actor_label="elsewhere")
    rows = xlsx_rows(auditor_client.get(reverse("accounts:audit_export")))
    assert [r[1] for r in rows[1:]] == []


def test_recent_login_events_appear_on_the_page(auditor_client: Client, client: Client) -> None:
    other = Client()
    other.post(reverse("accounts:login"), {"username": "ghost", "password": "x"})
    response = auditor_client.get(reverse("accounts:audit_list"))
    assert "ghost" in labels(response)
    assert timezone.now() - response.context["rows"][0][0].created_at < timedelta(minutes=1)


# --- Readable rows: labels, names, details; category filter -----------------------------


def test_the_trail_shows_labels_names_and_readable_details_not_codes(
    auditor_client: Client, committee: Committee
) -> None:
    from django.utils.translation import gettext

    event(
        "login_failure",
        committee=committee,
        reason="bad_credentials",
        failures="2",
    )
    AuditEvent.objects.create(
        action="role_granted",
        committee=committee,
        object_type="accounts.user",
        object_id="42",
        user_agent="Mozilla/5.0 pytest",
        request_id="abcdef0123456789",
        detail={"role": "auditor"},
    )
    response = auditor_client.get(reverse("accounts:audit_list"))
    page = response.content.decode()
    assert gettext("failed login") in page
    assert ">login_failure<" not in page  # only as the value of a filter option
    assert gettext("wrong username or password") in page
    assert gettext("failed attempts") in page
    # No name kept on the row: the model's name and the id.
    assert f"{gettext('user')} #42" in page
    assert "Mozilla/5.0 pytest" in page
    assert "abcdef01" in page
    granted = next(e for e, _label in response.context["rows"] if e.action == "role_granted")
    assert (gettext("role"), gettext("audit administrator")) in granted.details


def test_the_object_name_kept_on_the_row_is_shown(
    auditor_client: Client, committee: Committee
) -> None:
    AuditEvent.objects.create(
        action="user_created",
        committee=committee,
        object_type="accounts.user",
        object_id="7",
        object_label="张三",
    )
    response = auditor_client.get(reverse("accounts:audit_list"))
    [(row, _label)] = response.context["rows"]
    assert row.object_name == "张三"


def test_the_trail_filters_by_category(auditor_client: Client, committee: Committee) -> None:
    event("login_success", committee=committee, actor_label="signed-in")
    event("role_granted", committee=committee, actor_label="granted")
    event("export", committee=committee, actor_label="exported")
    response = auditor_client.get(reverse("accounts:audit_list"), {"category": "account"})
    assert labels(response) == ["granted"]
    response = auditor_client.get(reverse("accounts:audit_list"), {"category": "auth"})
    assert labels(response) == ["signed-in"]


def test_the_action_filter_shows_labels(auditor_client: Client, committee: Committee) -> None:
    from django.utils.translation import gettext

    event("role_granted", committee=committee)
    response = auditor_client.get(reverse("accounts:audit_list"))
    choices = dict(response.context["form"].fields["action"].choices)
    assert choices["role_granted"] == gettext("role granted")


@pytest.mark.parametrize("params", [{"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}])
def test_a_far_off_date_answers_a_clear_message_not_a_server_error(
    auditor_client: Client, committee: Committee, params: dict[str, str]
) -> None:
    from django.utils.translation import gettext

    event(committee=committee)
    response = auditor_client.get(reverse("accounts:audit_list"), params)
    assert response.status_code == 200
    message = gettext("Enter a date between %(min)s and %(max)s.") % {"min": 2000, "max": 2100}
    assert message in response.context["form"].errors[next(iter(params))]
    export = auditor_client.get(reverse("accounts:audit_export"), params)
    assert export.status_code == 200
