"""Writing the audit trail (DESIGN §5). One function, called by services and
views for logins, denials, role changes, exports and full personal-data views."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from lvzhi.core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR only, never a header the client can forge. Behind nginx,
    # gunicorn rewrites REMOTE_ADDR from X-Real-IP for trusted proxies only
    # (deploy/gunicorn.conf.py), so audit rows and login locks see the client.
    return request.META.get("REMOTE_ADDR") or None


def audit_log(
    *,
    action: str,
    actor: Any = None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    committee: Any = None,
    result: str = AuditEvent.Result.SUCCESS,
    actor_label: str = "",
    **detail: Any,
) -> AuditEvent:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if committee is None and request is not None:
        committee = getattr(request, "committee", None)
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        committee=committee,
        result=result,
        ip=client_ip(request),
        detail={k: str(v) for k, v in detail.items()},
    )
