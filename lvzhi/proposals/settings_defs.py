"""The proposal deadlines a committee may set differently (DESIGN §6).

Deadlines are computed and stored on an assignment when it is made, so a
change applies to later assignments; the extension limit and the evaluation
window are computed when they are needed."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.core.committee_settings import INT, SettingDef, define_setting

StrOrPromise = str | Promise

PERMISSION = "proposals.configure"


def _days_or_months(
    name: str, default: int, low: int, high: int, label: StrOrPromise
) -> SettingDef:
    """A whole number the proposal office sets, between ``low`` and ``high``."""
    return define_setting(
        f"proposals.{name}",
        kind=INT,
        default=default,
        min_value=low,
        max_value=high,
        label=label,
        permission=PERMISSION,
    )


REASSIGNMENT_WORKING_DAYS = _days_or_months(
    "reassignment_working_days",
    10,
    1,
    60,
    _("A unit may ask for reassignment within (working days)"),
)
PRECONTACT_WORKING_DAYS = _days_or_months(
    "precontact_working_days", 15, 1, 60, _("Contact the proposer within (working days)")
)
REPLY_MONTHS = _days_or_months("reply_months", 3, 1, 12, _("Reply within (months)"))
EXTENSION_MAX_MONTHS = _days_or_months(
    "extension_max_months", 6, 1, 12, _("Extensions end at the latest (months after assignment)")
)
REHANDLING_MONTHS = _days_or_months("rehandling_months", 1, 1, 6, _("Handle again within (months)"))
EVALUATION_WORKING_DAYS = _days_or_months(
    "evaluation_working_days", 15, 1, 60, _("Proposers evaluate a reply within (working days)")
)
MAX_REHANDLING = _days_or_months(
    "max_rehandling", 1, 0, 3, _("A dissatisfied proposal is handled again at most (times)")
)
