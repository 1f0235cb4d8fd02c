"""Writes of the duties app, one function per use case (DESIGN §4).

- ``ledger``: the duty ledger every app records through (``duty_record``,
  ``duty_records_withdraw``, ``ledger_listen``, ``ledger_batch``);
- ``activities``: create, change, publish, cancel and close activities;
- ``attendance``: sign-up, leave, QR check-in and attendance marked by hand;
- ``records``: study notes, plenary speeches, services and duty projects.

The public names are re-exported here: ``from lvzhi.duties.services import
duty_record`` keeps working."""

from lvzhi.duties.services.activities import (
    activity_cancel,
    activity_close,
    activity_publish,
    activity_save,
)
from lvzhi.duties.services.attendance import (
    invitation_check_in,
    invitation_correct,
    invitation_decide_leave,
    invitation_mark,
    invitation_request_leave,
    invitation_sign_up,
    invitation_withdraw_leave,
)
from lvzhi.duties.services.ledger import (
    LedgerListener,
    duty_record,
    duty_records_retitle,
    duty_records_withdraw,
    ledger_batch,
    ledger_listen,
)
from lvzhi.duties.services.records import (
    contribution_review,
    contribution_submit,
    project_declare,
    project_link,
    project_review,
    speech_register,
    speech_withdraw,
    study_note_delete,
    study_note_save,
)

__all__ = [
    "LedgerListener",
    "activity_cancel",
    "activity_close",
    "activity_publish",
    "activity_save",
    "contribution_review",
    "contribution_submit",
    "duty_record",
    "duty_records_retitle",
    "duty_records_withdraw",
    "invitation_check_in",
    "invitation_correct",
    "invitation_decide_leave",
    "invitation_mark",
    "invitation_request_leave",
    "invitation_sign_up",
    "invitation_withdraw_leave",
    "ledger_batch",
    "ledger_listen",
    "project_declare",
    "project_link",
    "project_review",
    "speech_register",
    "speech_withdraw",
    "study_note_delete",
    "study_note_save",
]
