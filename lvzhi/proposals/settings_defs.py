"""The proposal deadlines a committee may set differently (DESIGN §6).

Deadlines are computed and stored on an assignment when it is made, so a
change applies to later assignments; the extension limit and the evaluation
window are computed when they are needed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.committee_settings import INT, define_setting

PERMISSION = "proposals.configure"

REASSIGNMENT_WORKING_DAYS = define_setting(
    "proposals.reassignment_working_days",
    kind=INT,
    default=10,
    min_value=1,
    max_value=60,
    label=_("A unit may ask for reassignment within (working days)"),
    permission=PERMISSION,
)
PRECONTACT_WORKING_DAYS = define_setting(
    "proposals.precontact_working_days",
    kind=INT,
    default=15,
    min_value=1,
    max_value=60,
    label=_("Contact the proposer within (working days)"),
    permission=PERMISSION,
)
REPLY_MONTHS = define_setting(
    "proposals.reply_months",
    kind=INT,
    default=3,
    min_value=1,
    max_value=12,
    label=_("Reply within (months)"),
    permission=PERMISSION,
)
EXTENSION_MAX_MONTHS = define_setting(
    "proposals.extension_max_months",
    kind=INT,
    default=6,
    min_value=1,
    max_value=12,
    label=_("Extensions end at the latest (months after assignment)"),
    permission=PERMISSION,
)
REHANDLING_MONTHS = define_setting(
    "proposals.rehandling_months",
    kind=INT,
    default=1,
    min_value=1,
    max_value=6,
    label=_("Handle again within (months)"),
    permission=PERMISSION,
)
EVALUATION_WORKING_DAYS = define_setting(
    "proposals.evaluation_working_days",
    kind=INT,
    default=15,
    min_value=1,
    max_value=60,
    label=_("Proposers evaluate a reply within (working days)"),
    permission=PERMISSION,
)
MAX_REHANDLING = define_setting(
    "proposals.max_rehandling",
    kind=INT,
    default=1,
    min_value=0,
    max_value=3,
    label=_("A dissatisfied proposal is handled again at most (times)"),
    permission=PERMISSION,
)
