"""The audit trail (DESIGN §5, Audit): one registry of action codes and one
function that writes a row.

Every code is registered once, with its Chinese label and a category, by the
app that owns it (``register_audit_actions`` in the app's ``audit.py``,
imported from its ``AppConfig.ready``; workflow tables register their
transitions themselves). The auditor's page shows the label, never the code.

``audit_log`` takes the actor, IP, user agent and request id from the acting
context (core.context) that the middleware, a job or a command set; a caller
passes ``actor=`` only when it differs (e.g. a login that has not yet
attached the user to the request)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core import context
from lvzhi.core.models import AuditEvent


class Category(models.TextChoices):
    """What kind of event: the auditor filters by these."""

    AUTH = "auth", pgettext_lazy("audit category", "sign-in and sessions")
    ACCOUNT = "account", pgettext_lazy("audit category", "accounts and roles")
    SECURITY = "security", pgettext_lazy("audit category", "security")
    CONFIG = "config", pgettext_lazy("audit category", "settings")
    WORKFLOW = "workflow", pgettext_lazy("audit category", "workflow steps")
    DATA = "data", pgettext_lazy("audit category", "records changed")
    EXPORT = "export", pgettext_lazy("audit category", "exports and imports")
    PRIVACY = "privacy", pgettext_lazy("audit category", "personal data viewed")


@dataclass(frozen=True)
class AuditAction:
    code: str
    label: str | Promise
    category: str


_REGISTRY: dict[str, AuditAction] = {}


def register_audit_action(code: str, label: str | Promise, category: str) -> str:
    """Register one code; registering the same code twice with another
    category is a programming error. Returns the code, for a module constant."""
    existing = _REGISTRY.get(code)
    if existing is not None and existing.category != category:
        raise ValueError(f"audit action {code!r} registered twice with different categories")
    _REGISTRY[code] = AuditAction(code=code, label=label, category=category)
    return code


def register_audit_actions(category: str, actions: dict[str, str | Promise]) -> None:
    for code, label in actions.items():
        register_audit_action(code, label, category)


def audit_actions_in(category: str) -> Callable[[str, str | Promise], str]:
    """A registrar for one category, so that an app's ``audit.py`` declares
    each code once, on one line: ``data = audit_actions_in(Category.DATA)``,
    then ``NOTE_SAVE = data("duties.study_note_save", _("study note saved"))``."""

    def register(code: str, label: str | Promise) -> str:
        return register_audit_action(code, label, category)

    return register


def audit_action(code: str) -> AuditAction | None:
    return _REGISTRY.get(code)


def audit_label(code: str) -> str:
    """The Chinese label of a code; an unknown (historic) code is shown as such."""
    found = _REGISTRY.get(code)
    return str(found.label) if found is not None else str(_("other action"))


def audit_codes(category: str | None = None) -> list[str]:
    return sorted(c for c, a in _REGISTRY.items() if category is None or a.category == category)


def all_audit_actions() -> list[AuditAction]:
    return sorted(_REGISTRY.values(), key=lambda a: a.code)


# The kernel's own codes.
PERMISSION_DENIED = register_audit_action(
    "permission_denied", _("access refused"), Category.SECURITY
)
NOT_FOUND_DENIED = register_audit_action(
    "not_found_denied", _("object of another committee requested"), Category.SECURITY
)
AUDIT_ARCHIVED = register_audit_action(
    "audit_archived", _("old audit rows archived to a signed file"), Category.SECURITY
)
FIELDS_REENCRYPTED = register_audit_action(
    "fields_reencrypted", _("personal data re-encrypted under the current key"), Category.SECURITY
)
BACKUP_WRITTEN = register_audit_action(
    "backup_written", _("backup written (database and files)"), Category.SECURITY
)
BACKUP_RESTORED = register_audit_action(
    "backup_restored", _("database and files restored from a backup"), Category.SECURITY
)
SETTING_CHANGED = register_audit_action(
    "setting_changed", _("committee setting changed"), Category.CONFIG
)


def _is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def audit_log(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    committee: Any = None,
    result: str = AuditEvent.Result.SUCCESS,
    actor_label: str = "",
    **detail: Any,
) -> AuditEvent:
    """Write one audit row; who, from where and in which request come from
    the acting context (core.context)."""
    if action not in _REGISTRY and getattr(settings, "LVZHI_AUDIT_STRICT", True):
        raise LookupError(f"audit action {action!r} is not registered (core.audit)")
    acting = context.current()
    if actor is None:
        actor = acting.actor
    if not _is_user(actor):
        actor = None
    if committee is None and obj is not None:
        committee = getattr(obj, "committee_id", None)
    if committee is None:
        committee = acting.committee
    ip = acting.ip
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        committee_id=committee if isinstance(committee, int) else getattr(committee, "pk", None),
        result=result,
        ip=ip,
        user_agent=acting.user_agent,
        request_id=acting.request_id,
        channel=acting.channel,
        detail={k: _plain(v) for k, v in detail.items()},
    )


def _plain(value: Any) -> Any:
    """Detail values as JSON: lists and dicts keep their shape, scalars become text."""
    # Scalars are stored as text, as they always were (the auditor reads text).
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
