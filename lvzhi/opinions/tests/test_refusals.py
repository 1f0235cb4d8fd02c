"""Every write service checks its permission first: called by an actor
without it, it raises PermissionDenied, writes nothing but the audited
refusal. And a page's POST writes its audit row with who and from where."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.core.audit import PERMISSION_DENIED
from lvzhi.core.errors import PermissionDenied
from lvzhi.core.models import AuditEvent, CommitteeSetting
from lvzhi.duties.models import DutyRecord
from lvzhi.opinions import services
from lvzhi.opinions.models import (
    Adoption,
    Category,
    EditedItem,
    Forwarding,
    Instruction,
    Issue,
    IssueEvent,
    IssueKind,
    Level,
    Report,
    ReportEvent,
    ReportSubmitter,
)
from lvzhi.opinions.tests.conftest import TEXT

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)
MODELS = [
    Report,
    ReportSubmitter,
    ReportEvent,
    EditedItem,
    Issue,
    IssueEvent,
    Forwarding,
    Adoption,
    Instruction,
    DutyRecord,
    Category,
    CommitteeSetting,
]


def written() -> dict[str, int]:
    counts = {m._meta.label: m._default_manager.count() for m in MODELS}
    counts["audit"] = AuditEvent.objects.exclude(action=PERMISSION_DENIED).count()
    return counts


def test_every_write_service_refuses_an_actor_without_its_permission_and_writes_nothing(
    committee, member, draft, submitted, published, opinions_staff, colleague_user, make_user
):
    outsider = make_user(Role.STAFF, committee, Area.PROPOSALS)
    mine = draft(title="草稿")
    waiting = submitted(title="待编")
    editing = services.report_accept(actor=opinions_staff, report=submitted(title="编辑中"))
    _report, item, _issue = published(title="已编发")
    adoption = services.adoption_record(actor=opinions_staff, item=item, level=Level.CITY, date=DAY)
    instruction = services.instruction_record(
        actor=opinions_staff, item=item, level=Level.CITY, leader_title="市长", date=DAY
    )
    issue = services.issue_create(
        actor=opinions_staff, committee=committee, kind=IssueKind.JOURNAL, year=2026, date=DAY
    )
    services.issue_add_items(actor=opinions_staff, issue=issue, items=[editing])
    other = services.report_accept(actor=opinions_staff, report=submitted(title="另一篇"))
    calls = {
        "report_save_draft (new)": lambda: services.report_save_draft(
            actor=colleague_user, committee=committee, author=member, title="代写", text=TEXT
        ),
        "report_save_draft (change)": lambda: services.report_save_draft(
            actor=colleague_user,
            committee=committee,
            author=member,
            title="改",
            text=TEXT,
            report=mine,
        ),
        "report_submit": lambda: services.report_submit(actor=colleague_user, report=mine),
        "report_draft_create_from_public": lambda: services.report_draft_create_from_public(
            actor=outsider, committee=committee, member=member, title="三听三转", body=TEXT
        ),
        "report_accept": lambda: services.report_accept(actor=outsider, report=waiting),
        "report_not_use": lambda: services.report_not_use(
            actor=outsider, report=waiting, reason="不用"
        ),
        "reports_merge": lambda: services.reports_merge(
            actor=outsider, item=editing, reports=[waiting]
        ),
        "item_update": lambda: services.item_update(
            actor=outsider, item=editing, title="新", text="新"
        ),
        "issue_create": lambda: services.issue_create(
            actor=outsider, committee=committee, kind=IssueKind.JOURNAL, year=2026, date=DAY
        ),
        "issue_update": lambda: services.issue_update(
            actor=outsider, issue=issue, date=DAY, to_party=True
        ),
        "issue_add_items": lambda: services.issue_add_items(
            actor=outsider, issue=issue, items=[other]
        ),
        "issue_remove_item": lambda: services.issue_remove_item(
            actor=outsider, issue=issue, item=editing
        ),
        "issue_move_item": lambda: services.issue_move_item(
            actor=outsider, issue=issue, item=editing, up=True
        ),
        "issue_publish": lambda: services.issue_publish(actor=outsider, issue=issue),
        "item_forward": lambda: services.item_forward(
            actor=outsider, item=item, target="upper", date=DAY
        ),
        "adoption_record": lambda: services.adoption_record(
            actor=outsider, item=item, level=Level.PROVINCIAL, date=DAY
        ),
        "adoption_correct": lambda: services.adoption_correct(
            actor=outsider, adoption=adoption, level=Level.COUNTY, date=DAY
        ),
        "adoption_withdraw": lambda: services.adoption_withdraw(
            actor=outsider, adoption=adoption, reason="误录"
        ),
        "instruction_record": lambda: services.instruction_record(
            actor=outsider, item=item, level=Level.CITY, leader_title="副市长", date=DAY
        ),
        "instruction_withdraw": lambda: services.instruction_withdraw(
            actor=outsider, instruction=instruction, reason="误录"
        ),
        "settings_update": lambda: services.settings_update(
            actor=outsider, committee=committee, max_chars=800, categories=["其他"]
        ),
    }
    for name, call in calls.items():
        before = written()
        denials = AuditEvent.objects.filter(action=PERMISSION_DENIED).count()
        with pytest.raises(PermissionDenied):
            call()
        assert written() == before, name
        assert AuditEvent.objects.filter(action=PERMISSION_DENIED).count() == denials + 1, name


def test_a_pages_post_writes_its_audit_row_with_ip_browser_and_request_id(
    client_for, member_user, draft
):
    report = draft()
    response = client_for(member_user).post(
        reverse("opinions:report_submit", args=[report.pk]), {}, HTTP_USER_AGENT="pytest"
    )
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="opinion_report.submit", object_id=str(report.pk))
    assert row.actor == member_user
    assert row.ip and row.user_agent == "pytest" and row.request_id


def test_the_settings_page_saves_the_limit_as_a_committee_setting_and_audits_it(
    client_for, opinions_staff, committee
):
    client_for(opinions_staff).post(
        reverse("opinions:settings"),
        {"max_chars": 900, "categories": "其他"},
        HTTP_USER_AGENT="pytest",
    )
    row = CommitteeSetting.objects.get(committee=committee, key="opinions.max_chars")
    assert row.value == 900
    changed = AuditEvent.objects.get(action="setting_changed")
    assert (str(changed.detail["old"]), str(changed.detail["new"])) == ("1500", "900")
    assert AuditEvent.objects.filter(action="opinions.categories_update").exists()


def test_reading_the_pages_writes_nothing(client_for, opinions_staff, published, member_user):
    report, item, issue = published()
    before = written()
    staff = client_for(opinions_staff)
    for url in (
        reverse("opinions:settings"),
        reverse("opinions:queue"),
        reverse("opinions:item_detail", args=[item.pk]),
        reverse("opinions:issue_detail", args=[issue.pk]),
        reverse("opinions:report_detail", args=[report.pk]),
        reverse("opinions:stats"),
    ):
        assert staff.get(url).status_code == 200, url
    assert written() == before
