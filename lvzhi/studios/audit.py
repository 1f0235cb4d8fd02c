"""The audit codes studios writes besides its workflow steps (the table in
``studios/workflow.py`` registers those)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.accounts.audit import register_detail_labels
from lvzhi.core.audit import Category, register_audit_actions

register_audit_actions(
    Category.DATA,
    {
        "studios.service_project_create": _("service project created"),
        "studios.activity_record": _("studio or station activity recorded"),
        "studios.star_ratings_compute": _("star ratings computed"),
        "studios.star_rating_adjust": _("star rating adjusted"),
        "studios.station_leader_add": _("station leader added"),
        "studios.station_leader_remove": _("station leader removed"),
        "studios.member_areas_set": _("members' areas changed"),
        "studios.station_members_assign": _("station members assigned"),
        "studios.rotation_plan_create": _("rotation plan created"),
        "studios.blocked_week_add": _("week blocked in the rotation"),
        "studios.rotation_generate": _("sector rotation laid out"),
        "studios.duty_week_update": _("sector duty week changed"),
        "studios.round_table_lead_update": _("round-table lead changed"),
    },
)
register_audit_actions(Category.EXPORT, {"studios.rotation_export": _("sector rotation exported")})

# The auditor's page names the detail keys of these rows.
register_detail_labels(
    {
        "studios": pgettext_lazy("audit detail", "studios"),
        "week": pgettext_lazy("audit detail", "week of"),
        "rounds": pgettext_lazy("audit detail", "rounds"),
        "participants": pgettext_lazy("audit detail", "participants"),
    }
)
