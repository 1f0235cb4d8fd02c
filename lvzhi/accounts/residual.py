"""Residual information (剩余信息保护): an account that has acted is never
deleted, whatever the path (a service, a queryset, a cascade, a shell).

Its audit rows and workflow steps name it; deleting it would leave rows that
point at nobody (audit) or make the database refuse halfway (the workflow
event tables are append-only, and their link to the user would be set to
NULL). Such an account is deactivated instead (``accounts.services``). The
guard is a ``pre_delete`` receiver, so it holds for ``QuerySet.delete()`` and
for cascades as well as for ``User.delete()``."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from lvzhi.core.errors import Conflict
from lvzhi.core.models import AuditEvent, WorkflowEvent


def has_acted(user_id: int) -> bool:
    """Does any audit row or workflow step name this account as its actor?"""
    if AuditEvent.objects.filter(actor_id=user_id).exists():
        return True
    return any(
        model._default_manager.filter(actor_id=user_id).exists()
        for model in apps.get_models()
        if issubclass(model, WorkflowEvent)
    )


def refuse_if_acted(user: Any) -> None:
    if user.pk is not None and has_acted(user.pk):
        raise Conflict(
            _(
                "This account has acted (audit trail or workflow steps) and cannot be deleted; "
                "deactivate it instead."
            )
        )


def refuse_deleting_an_account_that_acted(sender: Any, instance: Any, **kwargs: Any) -> None:
    refuse_if_acted(instance)
