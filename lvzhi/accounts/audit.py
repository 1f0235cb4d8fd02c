"""The audit codes the accounts app writes, with the label the auditor reads
(imported by the app config, core.app_config)."""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.accounts.models import Area, Role
from lvzhi.core.audit import Category, register_audit_actions
from lvzhi.core.workflow import workflow_of

LOGIN_SUCCESS = "login_success"
LOGIN_FAILURE = "login_failure"
LOGOUT = "logout"
SESSION_TIMEOUT = "session_timeout"
ACCOUNT_LOCKED = "account_locked"
ACCOUNT_UNLOCKED = "account_unlocked"
PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an audit code, not a password
PASSWORD_RESET = "password_reset"  # noqa: S105 - an audit code, not a password
TOTP_ENABLED = "totp_enabled"
TOTP_RESET = "totp_reset"
RECOVERY_CODES_ISSUED = "recovery_codes_issued"
RECOVERY_CODE_USED = "recovery_code_used"
USER_CREATED = "user_created"
USER_DEACTIVATED = "user_deactivated"
USER_REACTIVATED = "user_reactivated"
ROLE_GRANTED = "role_granted"
ROLE_REVOKED = "role_revoked"
DISPLAY_MODE_CHANGED = "display_mode_changed"
# Shared by every export of a list (the audit trail here, the roster in org).
EXPORT = "export"

# The codes by category, with the label the auditor reads.
CODES: dict[str, dict[str, Any]] = {
    Category.AUTH: {
        LOGIN_SUCCESS: _("login"),
        LOGIN_FAILURE: _("failed login"),
        LOGOUT: _("logout"),
        SESSION_TIMEOUT: _("session expired"),
    },
    Category.SECURITY: {
        ACCOUNT_LOCKED: _("account locked"),
        ACCOUNT_UNLOCKED: _("account unlocked"),
        PASSWORD_CHANGED: _("password changed"),
        PASSWORD_RESET: _("password reset by administrator"),
        TOTP_ENABLED: _("two-factor authentication enabled"),
        TOTP_RESET: _("two-factor authentication reset"),
        RECOVERY_CODES_ISSUED: _("recovery codes issued"),
        RECOVERY_CODE_USED: _("recovery code used to log in"),
    },
    Category.ACCOUNT: {
        USER_CREATED: _("account created"),
        USER_DEACTIVATED: _("account deactivated"),
        USER_REACTIVATED: _("account reactivated"),
        ROLE_GRANTED: _("role granted"),
        ROLE_REVOKED: _("role revoked"),
        DISPLAY_MODE_CHANGED: _("elder-friendly mode switched"),
    },
    Category.EXPORT: {EXPORT: _("export")},
}
for category, labels in CODES.items():
    register_audit_actions(category, labels)

# Readable names of the detail keys and of the coded values rows carry, for
# the auditor's page. TRANSITION: belongs in core.audit next to the codes;
# org adds its own through ``register_detail_labels``.
_DETAIL_LABELS: dict[str, Any] = {}
_VALUE_LABELS: dict[str, dict[str, Any]] = {}


def register_detail_labels(
    labels: dict[str, Any], values: dict[str, dict[str, Any]] | None = None
) -> None:
    _DETAIL_LABELS.update(labels)
    for key, mapping in (values or {}).items():
        _VALUE_LABELS.setdefault(key, {}).update(mapping)


# What Django's Model.__str__ gives a model without its own ("Assessment object (3)").
DEFAULT_STR = re.compile(r"^\w+ object \([^)]*\)$")


def object_name(event: Any) -> str:
    """What the row is about, readably: the name kept on the row, else the
    model's name and id (rows written before names were kept)."""
    label = str(event.object_label or "")
    if label and not DEFAULT_STR.match(label):
        return label
    if not event.object_type:
        return label
    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        # A model no longer installed: never its code ("accounts.user #15").
        kind = str(pgettext_lazy("audit detail", "object"))
    else:
        kind = str(model._meta.verbose_name)
    return f"{kind} #{event.object_id}" if event.object_id else kind


def detail_rows(detail: dict[str, Any] | None, object_type: str = "") -> list[tuple[str, str]]:
    """(label, value) pairs of a row's detail: keys and coded values by their
    label (a workflow's states by the labels of the row's object's states, a
    source object by its model's name), others as stored."""
    rows = []
    states = _state_labels(object_type)
    for key, value in (detail or {}).items():
        label = _DETAIL_LABELS.get(key, key)
        if isinstance(value, list | tuple):
            shown = "、".join(_value_label(key, v, states) for v in value)
        elif isinstance(value, dict):
            shown = "；".join(
                f"{_value_label(key, k, states)} {_value_label(key, v, states)}"
                for k, v in value.items()
            )
        else:
            shown = _value_label(key, value, states)
        rows.append((str(label), shown))
    return rows


def _value_label(key: str, value: Any, states: dict[str, str]) -> str:
    text = str(value)
    if key in STATE_KEYS and text in states:
        return states[text]
    if key == "source" and ":" in text:
        return _source_label(text)
    return str(_VALUE_LABELS.get(key, {}).get(text, text))


# Detail keys whose values are states of the row's object (core.workflow).
STATE_KEYS = {"from_state", "to_state"}


def _state_labels(object_type: str) -> dict[str, str]:
    """The labels of the states of the row's object's workflow, if it has one."""
    try:
        flow = workflow_of(apps.get_model(object_type))
    except (LookupError, ValueError):
        return {}
    field = flow.model._meta.get_field(flow.state_field)
    return {str(value): str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]


def _source_label(source: str) -> str:
    """ "proposals.proposal:12" (a duty record's source) as "提案 #12"."""
    model_label, _sep, pk = source.partition(":")
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return source
    return f"{model._meta.verbose_name} #{pk}" if pk else str(model._meta.verbose_name)


register_detail_labels(
    {
        "reason": _("Reason"),
        "failures": _("failed attempts"),
        "account": _("account"),
        "until": _("locked until"),
        "second_factor": _("second factor"),
        "username": _("username"),
        "user": _("account"),
        "role": _("role"),
        "area": _("functional area"),
        "unit": _("handling unit"),
        "ips": _("IP addresses"),
        "what": _("what was exported"),
        "rows": _("rows"),
        "permission": _("permission"),
        "path": _("page"),
        "method": _("method"),
        "from_state": pgettext_lazy("state change", "from"),
        "to_state": pgettext_lazy("state change", "to"),
        # Words the rows of many apps share.
        "source": pgettext_lazy("audit detail", "source"),
        "member": pgettext_lazy("audit detail", "member (number)"),
        "members": pgettext_lazy("audit detail", "members"),
        "share": pgettext_lazy("audit detail", "share"),
        "kind": pgettext_lazy("audit detail", "kind"),
        "title": pgettext_lazy("audit detail", "title"),
        "name": pgettext_lazy("audit detail", "Name"),
        "year": pgettext_lazy("audit detail", "year"),
        "number": pgettext_lazy("audit detail", "number"),
        "total": pgettext_lazy("audit detail", "total"),
        "count": pgettext_lazy("audit detail", "count"),
        "label": pgettext_lazy("audit detail", "setting"),
        "setting": pgettext_lazy("audit detail", "setting"),
        "old": pgettext_lazy("audit detail", "before"),
        "new": pgettext_lazy("audit detail", "after"),
        "before": pgettext_lazy("audit detail", "before"),
        "after": pgettext_lazy("audit detail", "after"),
        "change": pgettext_lazy("audit detail", "change"),
        "operation": pgettext_lazy("audit detail", "operation"),
        "scope": pgettext_lazy("audit detail", "scope"),
        "days": pgettext_lazy("audit detail", "days"),
        "by": pgettext_lazy("audit detail", "by"),
        "list": pgettext_lazy("audit detail", "list"),
        "comment": pgettext_lazy("audit detail", "comment"),
    },
    {
        "reason": {
            "bad_credentials": _("wrong username or password"),
            "bad_totp": _("wrong verification code"),
            "inactive": _("account deactivated"),
            "locked": _("account locked"),
            "expired": _("lock expired"),
            "manual": _("unlocked by administrator"),
            "idle": _("idle too long"),
            "absolute": _("session too long"),
        },
        "role": dict(Role.choices),
        "area": dict(Area.choices),
        "second_factor": {"totp": _("authenticator app"), "none": _("none")},
        "what": {"audit_events": _("Audit trail")},
        "method": {
            "GET": pgettext_lazy("HTTP method", "view"),
            "POST": pgettext_lazy("HTTP method", "submit"),
        },
    },
)

# The display mode a person chose (accounts/preferences.py).
register_detail_labels(
    {"mode": pgettext_lazy("audit detail", "display mode")},
    {"mode": {"elder": _("elder-friendly"), "standard": _("standard")}},
)
