"""The duties app's exports (core.exports): an activity's attendance, one
row per invitee in the order of the sign-in sheet, in two queries however
many rows (the activity, then the invitations streamed in chunks)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.exports import ExportSpec, register_export
from lvzhi.core.web import int_param
from lvzhi.duties import selectors
from lvzhi.duties.audit import ATTENDANCE_EXPORT
from lvzhi.duties.models import Activity


def attendance_headers() -> list[str]:
    return [
        _("No."),
        _("Member"),
        _("Sector"),
        _("Attendance"),
        _("Reason for leave"),
        _("Checked in at"),
        _("How attendance was recorded"),
        _("First recorded as"),
    ]


@register_export("duties_attendance", permission="duties.manage_activities")
def attendance_export(user: Any, committee: Any, params: QueryDict) -> ExportSpec:
    activity = Activity.objects.filter(
        committee=committee, pk=int_param(params.get("activity")) or 0
    ).first()
    if activity is None:
        raise Http404
    invitations = selectors.invitations_of_activity(activity)

    def rows() -> Iterator[Sequence[Any]]:
        for number, inv in enumerate(invitations.iterator(chunk_size=1000), start=1):
            checked_in = inv.checked_in_shown
            yield (
                number,
                inv.member.person.name,
                inv.member.sector.name if inv.member.sector_id else "",
                inv.get_state_display(),
                inv.leave_reason,
                timezone.localtime(checked_in) if checked_in else "",
                inv.get_attendance_method_display(),
                getattr(inv, "corrected_from", None) or "",
            )

    start = timezone.localtime(activity.start_at)
    return ExportSpec(
        filename=f"attendance-{activity.pk}-{start:%Y%m%d}.xlsx",
        title=str(_("Attendance")),
        headers=attendance_headers(),
        total=invitations.count(),
        rows=rows(),
        audit_action=ATTENDANCE_EXPORT,
        audit_detail={"activity": activity.pk},
    )
