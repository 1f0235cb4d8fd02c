"""The kernel's other parts: the audit registry and request context, committee
settings, the permission helper, the form renderer and the QR helper."""

from __future__ import annotations

import pytest
import rules
from django import forms
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from lvzhi.core import context
from lvzhi.core.audit import (
    Category,
    audit_codes,
    audit_label,
    audit_log,
    register_audit_action,
)
from lvzhi.core.committee_settings import (
    INT,
    LINES,
    committee_settings_update,
    define_setting,
    setting_value,
    setting_values,
)
from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, CommitteeSetting
from lvzhi.core.permissions import require_perm
from lvzhi.core.qr import qr_data_uri, qr_svg

TEST_CODE = register_audit_action("core_test.thing_done", "做了一件事", Category.DATA)


@rules.predicate
def _is_named_admin(user, obj=None):
    return getattr(user, "username", "") == "settings_admin"


rules.add_perm("core_test.configure", _is_named_admin)

LIMIT = define_setting(
    "core_test.limit",
    kind=INT,
    default=5,
    min_value=1,
    max_value=100,
    label="每小时上限",
    permission="core_test.configure",
)
WORDS = define_setting(
    "core_test.words", kind=LINES, default=[], label="词表", permission="core_test.configure"
)


@pytest.fixture
def admin(make_user, committee):
    return make_user("sysadmin", committee, username="settings_admin")


# --- audit registry and context ------------------------------------------------------


def test_an_unregistered_audit_code_is_refused_when_strict(db, settings):
    settings.LVZHI_AUDIT_STRICT = True
    with pytest.raises(LookupError):
        audit_log(action="core_test.never_registered")
    audit_log(action=TEST_CODE)
    assert AuditEvent.objects.filter(action=TEST_CODE).count() == 1


def test_codes_have_labels_and_categories():
    assert audit_label(TEST_CODE) == "做了一件事"
    assert TEST_CODE in audit_codes(Category.DATA)
    assert TEST_CODE not in audit_codes(Category.AUTH)
    with override("zh-hans"):
        assert audit_label("unknown.code") == "其他操作"


def test_a_code_cannot_change_its_category():
    with pytest.raises(ValueError):
        register_audit_action(TEST_CODE, "x", Category.AUTH)


def test_rows_written_in_a_request_carry_ip_user_agent_and_request_id(db, member_user):
    request = RequestFactory().get("/", HTTP_USER_AGENT="测试浏览器", REMOTE_ADDR="10.1.2.3")
    request.user = member_user

    def view(req):
        audit_log(action=TEST_CODE, what="x")
        return HttpResponse("ok")

    response = context.RequestContextMiddleware(view)(request)
    row = AuditEvent.objects.get(action=TEST_CODE)
    assert row.actor == member_user and row.ip == "10.1.2.3"
    assert row.user_agent == "测试浏览器" and row.channel == "web"
    assert len(row.request_id) == 32 and response["X-Request-ID"] == row.request_id
    assert row.detail == {"what": "x"}
    # Outside the request the context is gone again.
    assert context.current().request_id == ""


def test_jobs_set_their_own_context(db):
    with context.acting_as(channel="job:reminders"):
        audit_log(action=TEST_CODE)
    row = AuditEvent.objects.get(action=TEST_CODE)
    assert row.channel == "job:reminders" and row.actor is None and row.request_id


# --- permissions ---------------------------------------------------------------------


def test_require_perm_refuses_and_audits_the_denial(db, member_user, committee):
    with pytest.raises(PermissionDenied):
        require_perm(member_user, "core_test.configure", committee)
    denial = AuditEvent.objects.get(action="permission_denied")
    assert denial.result == "denied" and denial.committee == committee
    assert denial.detail["permission"] == "core_test.configure"


def test_an_inactive_user_holds_no_permission(db, admin, committee):
    admin.is_active = False
    with pytest.raises(PermissionDenied):
        require_perm(admin, "core_test.configure", committee)


# --- committee settings --------------------------------------------------------------


def test_reading_settings_never_writes_and_costs_one_query(db, committee):
    with CaptureQueriesContext(connection) as queries:
        assert setting_value(committee, LIMIT) == 5
        assert setting_value(committee, WORDS) == []
        assert setting_values(committee, "core_test.") == {
            "core_test.limit": 5,
            "core_test.words": [],
        }
    assert len(queries) == 1
    assert not CommitteeSetting.objects.exists()


def test_a_change_is_validated_audited_with_before_and_after_and_read_back(db, committee, admin):
    changed = committee_settings_update(
        actor=admin, committee=committee, values={LIMIT.key: "12", WORDS.key: "甲\n\n 乙 "}
    )
    assert changed == {"core_test.limit": 12, "core_test.words": ["甲", "乙"]}
    assert setting_value(committee, LIMIT) == 12
    row = AuditEvent.objects.get(action="setting_changed", detail__setting="core_test.limit")
    assert row.detail["old"] == "5" and row.detail["new"] == "12"
    # The same value again changes nothing and writes no audit row.
    committee_settings_update(actor=admin, committee=committee, values={LIMIT.key: 12})
    assert AuditEvent.objects.filter(action="setting_changed").count() == 2


@pytest.mark.parametrize("bad", ["0", "101", "abc", "99999999999"])
def test_a_value_out_of_bounds_is_refused_and_nothing_changes(db, committee, admin, bad):
    with override("zh-hans"), pytest.raises(ValidationFailed) as error:
        committee_settings_update(
            actor=admin, committee=committee, values={WORDS.key: "甲", LIMIT.key: bad}
        )
    assert "每小时上限" in error.value.message
    assert not CommitteeSetting.objects.exists()


def test_only_holders_of_the_settings_permission_may_change_it(db, committee, member_user):
    with pytest.raises(PermissionDenied):
        committee_settings_update(actor=member_user, committee=committee, values={LIMIT.key: 9})
    assert not CommitteeSetting.objects.exists()


def test_one_committees_setting_does_not_touch_another(db, committee, other_committee, admin):
    committee_settings_update(actor=admin, committee=committee, values={LIMIT.key: 9})
    assert setting_value(other_committee, LIMIT) == 5


# --- form renderer and QR ------------------------------------------------------------


class _SampleForm(forms.Form):
    name = forms.CharField(label="姓名")
    kind = forms.ChoiceField(label="类别", choices=[("a", "甲"), ("b", "乙")])
    agree = forms.BooleanField(label="同意", required=False)
    many = forms.MultipleChoiceField(
        label="多选", choices=[("x", "X")], widget=forms.CheckboxSelectMultiple, required=False
    )


def test_every_widget_gets_its_bootstrap_class_and_errors_mark_the_field():
    html = str(_SampleForm(data={"kind": "a"}))
    assert 'class="form-control is-invalid"' in html
    assert 'class="form-select"' in html
    assert html.count("form-check-input") == 2
    assert "invalid-feedback" in html


def test_qr_codes_are_rendered_here_as_svg():
    assert str(qr_svg("https://example.org/x")).startswith("<svg")
    assert qr_data_uri("https://example.org/x").startswith("data:image/svg+xml;base64,")


def test_the_system_acts_without_a_user_outside_a_request_but_never_inside_one(db, committee):
    with context.acting_as(channel="command:seed_demo"):
        require_perm(None, "core_test.configure", committee)
    request = RequestFactory().get("/")
    request.user = None

    def view(req):
        with pytest.raises(PermissionDenied):
            require_perm(None, "core_test.configure", committee)
        return HttpResponse("ok")

    context.RequestContextMiddleware(view)(request)


def test_an_api_caller_without_a_user_is_never_the_system(db, committee):
    from lvzhi.core.permissions import is_system

    with context.acting_as(channel="api"):
        assert not is_system(None)
        with pytest.raises(PermissionDenied):
            require_perm(None, "core_test.configure", committee)
    with context.acting_as(channel="job:reminders"):
        assert is_system(None)
