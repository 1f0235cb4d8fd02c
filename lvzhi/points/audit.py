"""The audit codes points writes besides its workflow steps (those the
tables in ``points/workflow.py`` register)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.accounts.audit import register_detail_labels
from lvzhi.core.audit import Category, register_audit_actions
from lvzhi.points.models import Grade
from lvzhi.points.presets import REQUIREMENT_SETS

register_audit_actions(
    Category.DATA,
    {
        "points.policy_create": _("points policy created"),
        "points.policy_copy": _("points policy copied into a new version"),
        "points.requirement_sets_ensure": _("required-duty sets created"),
        "points.assessment_open": _("annual assessments opened"),
        "points.bulletin_generate": _("quarterly bulletin generated"),
        "points.policy_import": _("points policy imported from a scheme file"),
        "points.entry_add": _("points entry recorded by staff"),
        "points.entry_remove": _("points entry removed"),
        "points.talk_record_add": _("convener's talk with a member recorded"),
    },
)
register_audit_actions(
    Category.EXPORT,
    {
        "points.ranking_export": _("points ranking exported"),
        "points.bulletin_export": _("quarterly bulletin exported"),
        "points.policy_export": _("points scheme file exported"),
    },
)
register_audit_actions(Category.PRIVACY, {"points.duty_file_view": _("member's duty file viewed")})

# The auditor's page names the detail keys and coded values of these rows.
register_detail_labels(
    {
        "final": pgettext_lazy("audit detail", "final score"),
        "grade": pgettext_lazy("audit detail", "grade"),
        "adjustment": pgettext_lazy("audit detail", "adjustment"),
        "sets": pgettext_lazy("audit detail", "requirement sets"),
        "made": pgettext_lazy("audit detail", "made"),
        "points": pgettext_lazy("audit detail", "points"),
        "talk_date": pgettext_lazy("audit detail", "date of the talk"),
    },
    {
        "grade": dict(Grade.choices),
        "sets": {code: name for (code, name), _rows in REQUIREMENT_SETS},
    },
)
