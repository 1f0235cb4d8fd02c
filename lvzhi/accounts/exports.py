"""The accounts app's exports (core.exports): the audit trail as filtered."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts import selectors
from lvzhi.accounts.audit import EXPORT, detail_rows, object_name
from lvzhi.accounts.filters import AuditFilter
from lvzhi.core.audit import audit_label
from lvzhi.core.exports import ExportSpec, register_export
from lvzhi.core.models import AuditEvent


def audit_trail(committee: Any, params: QueryDict) -> AuditFilter:
    """The committee's audit trail filtered by ``params`` (the page and its export)."""
    events = selectors.audit_events_for(committee)
    return AuditFilter(params, queryset=events, committee=committee)


@register_export("audit_events", permission="core.view_audit")
def audit_events_export(user: Any, committee: Any, params: QueryDict) -> ExportSpec:
    trail = audit_trail(committee, params)
    events = trail.qs
    result_labels = dict(AuditEvent.Result.choices)

    def rows() -> Iterator[Sequence[Any]]:
        for event in events.iterator(chunk_size=2000):
            yield [
                timezone.localtime(event.created_at),
                event.actor_label,
                audit_label(event.action),
                str(result_labels.get(event.result, event.result)),
                object_name(event),
                str(event.committee) if event.committee_id else "",
                event.ip or "",
                event.user_agent,
                event.request_id,
                "; ".join(f"{k}: {v}" for k, v in detail_rows(event.detail, event.object_type)),
            ]

    title = _("Audit trail")
    return ExportSpec(
        filename=f"{title}_{timezone.localdate():%Y%m%d}.xlsx",
        title=title,
        headers=[
            _("Time"),
            _("Actor"),
            _("Action"),
            _("Result"),
            _("Object"),
            _("Committee"),
            _("IP address"),
            _("Browser"),
            _("Request id"),
            _("Detail"),
        ],
        total=events.count(),
        rows=rows(),
        audit_action=EXPORT,
        audit_detail={
            "what": "audit_events",
            **{f"filter_{key}": value for key, value in trail.applied().items()},
        },
    )
