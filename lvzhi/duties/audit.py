"""The audit codes of the duties app that are not workflow steps (those the
tables in ``duties/workflow.py`` register as ``duties.<object>.<action>``).
Imported from ``DutiesConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.audit import Category, register_audit_actions

ACTIVITY_CREATE = "duties.activity.create"
STUDY_NOTE_SAVE = "duties.study_note_save"
STUDY_NOTE_DELETE = "duties.study_note_delete"
SPEECH_REGISTER = "duties.speech_register"
SPEECH_REMOVE = "duties.speech_remove"
CONTRIBUTION_SUBMIT = "duties.contribution.submit"
PROJECT_DECLARE = "duties.project.declare"
RECORD_WRITE = "duties.record_write"
RECORD_WITHDRAW = "duties.record_withdraw"

register_audit_actions(
    Category.WORKFLOW,
    {
        ACTIVITY_CREATE: _("duty activity created"),
        CONTRIBUTION_SUBMIT: _("service or contribution reported"),
        PROJECT_DECLARE: _("annual duty project declared"),
    },
)
register_audit_actions(
    Category.DATA,
    {
        STUDY_NOTE_SAVE: _("study note saved"),
        STUDY_NOTE_DELETE: _("study note deleted"),
        SPEECH_REGISTER: _("plenary speech registered"),
        SPEECH_REMOVE: _("plenary speech removed"),
        RECORD_WRITE: _("duty record written"),
        RECORD_WITHDRAW: _("duty record withdrawn"),
    },
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
