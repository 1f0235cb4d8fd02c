"""The audit codes the org app writes, with the label the auditor reads
(imported by the app config, core.app_config). Roster exports write accounts' ``export``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.audit import register_detail_labels
from lvzhi.core.audit import Category, audit_actions_in, register_audit_actions

MEMBER_CREATED = "member_created"
MEMBER_UPDATED = "member_updated"
# Written before seats had a workflow (now "member.resign" / "member.remove");
# kept so older rows still read as a label.
MEMBER_DEACTIVATED = "member_deactivated"
export_action = audit_actions_in(Category.EXPORT)
privacy_action = audit_actions_in(Category.PRIVACY)

ROSTER_IMPORT = export_action("roster_import", _("roster imported"))
VIEW_PERSONAL_DATA = privacy_action("view_personal_data", _("full personal data viewed"))

register_audit_actions(
    Category.DATA,
    {
        "term_created": _("term created"),
        "term_updated": _("term changed"),
        "session_created": _("plenary session created"),
        "session_updated": _("plenary session changed"),
        "cluster_created": _("sector cluster created"),
        "cluster_updated": _("sector cluster changed"),
        "sector_created": _("sector created"),
        "sector_updated": _("sector changed"),
        "special_committee_created": _("special committee created"),
        "special_committee_updated": _("special committee changed"),
        MEMBER_CREATED: _("member added"),
        MEMBER_UPDATED: _("member changed"),
        MEMBER_DEACTIVATED: _("member left office"),
        "unit_created": _("handling unit created"),
        "unit_updated": _("handling unit changed"),
        "unit_deactivated": _("handling unit deactivated"),
        "studio_created": _("studio created"),
        "studio_updated": _("studio changed"),
        "studio_deactivated": _("studio deactivated"),
        "station_created": _("station created"),
        "station_updated": _("station changed"),
        "station_deactivated": _("station deactivated"),
    },
)

register_detail_labels(
    {
        "fields": _("fields changed"),
        "person": _("person"),
        "reused_person": _("person already on record"),
        "status": _("status"),
        "created": _("created"),
        "updated": _("updated"),
        "unchanged": _("unchanged"),
        "errors": _("problems"),
        "filter": _("filter"),
        "full_personal_data": _("full numbers"),
        "purpose": _("purpose of the export"),
    },
    {
        "reused_person": {"yes": _("yes"), "no": _("no")},
        "full_personal_data": {"True": _("yes"), "False": _("no")},
        "what": {"roster": _("Member roster")},
    },
)
