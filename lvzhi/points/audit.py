"""The audit codes points writes besides its workflow steps (those the
tables in ``points/workflow.py`` register)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.audit import Category, register_audit_actions

register_audit_actions(
    Category.DATA,
    {
        "points.policy_create": _("points policy created"),
        "points.policy_copy": _("points policy copied into a new version"),
        "points.requirement_sets_ensure": _("required-duty sets created"),
        "points.assessment_open": _("annual assessments opened"),
        "points.bulletin_generate": _("quarterly bulletin generated"),
    },
)
register_audit_actions(
    Category.EXPORT,
    {
        "points.ranking_export": _("points ranking exported"),
        "points.bulletin_export": _("quarterly bulletin exported"),
    },
)
register_audit_actions(Category.PRIVACY, {"points.duty_file_view": _("member's duty file viewed")})
