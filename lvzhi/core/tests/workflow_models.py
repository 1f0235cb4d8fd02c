"""A throwaway stateful model for the engine's own tests (not migrated:
``managed = False``; the tests create and drop the tables)."""

from __future__ import annotations

import rules
from django.db import models

from lvzhi.core.models import CommitteeScoped, WorkflowEvent
from lvzhi.core.workflow import Transition, Workflow


class Ticket(CommitteeScoped):
    # No database-level foreign keys: PostgreSQL's flush truncates the
    # migrated tables and must not find these (unmanaged) ones pointing at them.
    committee = models.ForeignKey(
        "org.Committee", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    status = models.CharField(max_length=16, default="open")
    title = models.CharField(max_length=50, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "core"
        managed = False

    def __str__(self) -> str:
        return f"工单 {self.pk}"


class TicketEvent(WorkflowEvent):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", db_constraint=False
    )
    actor = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )

    class Meta(WorkflowEvent.Meta):
        app_label = "core"
        managed = False


@rules.predicate
def is_named_worker(user: object, ticket: object = None) -> bool:
    return getattr(user, "username", "") == "worker"


def not_titled_stop(ticket: Ticket, actor: object) -> str | None:
    return "标题为 stop 的工单不能关闭" if ticket.title == "stop" else None


rules.add_perm("core_test.work_ticket", is_named_worker)

TICKET_FLOW = Workflow(
    model=Ticket,
    event_model=TicketEvent,
    event_subject="ticket",
    audit_prefix="core_test.ticket",
    transitions=[
        Transition(
            "start", "开始", source={"open"}, target="doing", permission="core_test.work_ticket"
        ),
        Transition(
            "close",
            "关闭",
            source={"open", "doing"},
            target="closed",
            permission="core_test.work_ticket",
            guards=(not_titled_stop,),
        ),
        Transition("comment", "备注", source={"open", "doing"}, permission="core_test.work_ticket"),
    ],
)
