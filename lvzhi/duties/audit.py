"""The audit codes of the duties app that are not workflow steps (those the
tables in ``duties/workflow.py`` register as ``duties.<object>.<action>``).
Imported from ``DutiesConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.accounts.audit import register_detail_labels
from lvzhi.core.audit import Category, audit_actions_in, register_audit_actions
from lvzhi.duties.models import DutyKind, Invitation

workflow_action = audit_actions_in(Category.WORKFLOW)
data_action = audit_actions_in(Category.DATA)
export_action = audit_actions_in(Category.EXPORT)

ACTIVITY_CREATE = workflow_action("duties.activity.create", _("duty activity created"))
STUDY_NOTE_SAVE = data_action("duties.study_note_save", _("study note saved"))
STUDY_NOTE_DELETE = data_action("duties.study_note_delete", _("study note deleted"))
SPEECH_REGISTER = data_action("duties.speech_register", _("plenary speech registered"))
SPEECH_REMOVE = data_action("duties.speech_remove", _("plenary speech removed"))
CONTRIBUTION_SUBMIT = workflow_action(
    "duties.contribution.submit", _("service or contribution reported")
)
PROJECT_DECLARE = workflow_action("duties.project.declare", _("annual duty project declared"))
RECORD_WRITE = data_action("duties.record_write", _("duty record written"))
RECORD_WITHDRAW = data_action("duties.record_withdraw", _("duty record withdrawn"))
ATTENDANCE_EXPORT = export_action("duties.attendance_export", _("attendance exported"))
ATTENDANCE_CORRECT = data_action(
    "duties.attendance_correct", _("attendance corrected after the activity closed")
)

# Codes written before the workflow tables, so that older rows keep their label.
register_audit_actions(
    Category.WORKFLOW,
    {
        "duties.activity_create": _("duty activity created"),
        "duties.activity_change": _("Change the activity"),
        "duties.activity_publish": _("Publish and invite"),
        "duties.activity_cancel": _("Cancel the activity"),
        "duties.activity_close": _("Close and record attendance"),
        "duties.leave_request": _("Ask for leave"),
        "duties.approve_leave": _("Approve leave"),
        "duties.refuse_leave": _("Refuse leave"),
        "duties.attendance_mark": _("Mark by hand"),
        "duties.contribution_review": _("service or contribution reviewed"),
        "duties.project_review": _("annual duty project reviewed"),
    },
)

# The auditor's page names the detail keys and coded values of these rows.
register_detail_labels(
    {
        "outcome": pgettext_lazy("audit detail", "outcome"),
        "outcomes": pgettext_lazy("audit detail", "outcomes"),
        "invited": pgettext_lazy("audit detail", "members invited"),
    },
    {
        "kind": dict(DutyKind.choices),
        "outcome": dict(Invitation.State.choices),
        "outcomes": dict(Invitation.State.choices),
    },
)
