"""Small helpers the duties services share."""

from __future__ import annotations

from typing import Any

from django.db import models

from lvzhi.core.workflow import Workflow


def user_or_none(actor: Any) -> Any:
    """The acting user to store on a row, or None for the system."""
    return actor if getattr(actor, "is_authenticated", False) else None


def log_created(flow: Workflow, obj: models.Model, action: str, actor: Any) -> None:
    """The first event row of an object just created in its first state
    (a creation is no transition: nothing to check against the table)."""
    flow.event_model._default_manager.create(
        **{flow.event_subject: obj},
        from_state="",
        to_state=flow.state_of(obj),
        action=action,
        actor=user_or_none(actor),
    )
