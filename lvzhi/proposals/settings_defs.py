"""The proposal deadlines a committee may set differently (DESIGN §6).

Deadlines are computed and stored on an assignment when it is made, so a
change applies to later assignments; the extension limit and the evaluation
window are computed when they are needed. The answer classes are a
scheme a reply snapshots when it is made (below)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lvzhi.core.committee_settings import INT, JSON, SettingDef, define_setting, setting_value
from lvzhi.core.errors import ValidationFailed

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
CO_OPINION_MONTHS = _days_or_months(
    "co_opinion_months", 1, 1, 6, _("Co-units send their opinion to the lead unit within (months)")
)
EXTENSION_STEP_MONTHS = _days_or_months(
    "extension_step_months", 3, 1, 12, _("One extension adds at most (months)")
)
REHANDLING_MONTHS = _days_or_months("rehandling_months", 1, 1, 6, _("Handle again within (months)"))
EVALUATION_WORKING_DAYS = _days_or_months(
    "evaluation_working_days", 15, 1, 60, _("Proposers evaluate a reply within (working days)")
)
MAX_REHANDLING = _days_or_months(
    "max_rehandling", 1, 0, 3, _("A dissatisfied proposal is handled again at most (times)")
)


# --- Answer classes (答复分类) ---------------------------------------------------------------
# The committee's scheme: an ordered list of {code, label, solved}. A reply
# stores the code and snapshots the label and ``solved`` when it is made, so
# a change of scheme applies to later replies and old ones keep their label.

CLASS_CODE_MAX = 8
CLASS_LABEL_MAX = 40
MIN_CLASSES, MAX_CLASSES = 2, 6

ABC_PRESET: list[dict[str, Any]] = [
    {"code": "A", "label": "A类（已解决或采纳）", "solved": True},
    {"code": "B", "label": "B类（正在解决或列入计划）", "solved": False},
    {"code": "C", "label": "C类（留作参考）", "solved": False},
]
ABCD_PRESET: list[dict[str, Any]] = [
    {"code": "A", "label": "A类（已解决）", "solved": True},
    {"code": "B", "label": "B类（正在解决）", "solved": False},
    {"code": "C", "label": "C类（列入计划）", "solved": False},
    {"code": "D", "label": "D类（留作参考）", "solved": False},
]
PRESETS: dict[str, tuple[StrOrPromise, list[dict[str, Any]]]] = {
    "abc": (_("Three classes: A/B/C"), ABC_PRESET),
    "abcd": (
        _("Four classes: A/B/C/D (solved, being solved, planned, for reference)"),
        ABCD_PRESET,
    ),
}


def _validate_answer_classes(value: Any) -> None:
    """A scheme as stored: 2–6 classes, each with a unique non-empty code of
    at most 8 characters, a non-empty label and a ``solved`` flag; at least
    one class counts as solved."""
    if not isinstance(value, list) or not MIN_CLASSES <= len(value) <= MAX_CLASSES:
        raise ValidationFailed(
            gettext("An answer-class scheme has between %(min)s and %(max)s classes.")
            % {"min": MIN_CLASSES, "max": MAX_CLASSES}
        )
    codes: set[str] = set()
    for number, item in enumerate(value, start=1):
        where = {"n": number}
        if not isinstance(item, dict) or set(item) != {"code", "label", "solved"}:
            raise ValidationFailed(
                gettext("Class %(n)s must have a code, a label and whether it counts as solved.")
                % where
            )
        code, label, solved = item["code"], item["label"], item["solved"]
        if not isinstance(code, str) or not code.strip() or code != code.strip():
            raise ValidationFailed(gettext("Class %(n)s has no code.") % where)
        if len(code) > CLASS_CODE_MAX:
            raise ValidationFailed(
                gettext("The code of class %(n)s is too long (at most %(max)s characters).")
                % {**where, "max": CLASS_CODE_MAX}
            )
        if code in codes:
            raise ValidationFailed(
                gettext("The code “%(code)s” is used by two classes.") % {"code": code}
            )
        codes.add(code)
        if not isinstance(label, str) or not label.strip():
            raise ValidationFailed(gettext("Class %(n)s has no label.") % where)
        if len(label) > CLASS_LABEL_MAX:
            raise ValidationFailed(
                gettext("The label of class %(n)s is too long (at most %(max)s characters).")
                % {**where, "max": CLASS_LABEL_MAX}
            )
        if not isinstance(solved, bool):
            raise ValidationFailed(
                gettext("Class %(n)s must say whether it counts as solved.") % where
            )
    if not any(item["solved"] for item in value):
        raise ValidationFailed(gettext("At least one class must count as solved."))


ANSWER_CLASSES = define_setting(
    "proposals.answer_classes",
    kind=JSON,
    default=ABC_PRESET,
    label=_("Answer classes"),
    help_text=_(
        "The classes a unit gives its reply, in order, and which count as solved in statistics."
    ),
    permission=PERMISSION,
    validate=_validate_answer_classes,
)


def answer_classes(committee: Any) -> list[dict[str, Any]]:
    """The committee's scheme, in order (the default A/B/C when it set none)."""
    return list(setting_value(committee, ANSWER_CLASSES))


def answer_class(committee: Any, code: str) -> dict[str, Any] | None:
    """The class ``code`` of the committee's present scheme, or None."""
    return next((c for c in answer_classes(committee) if c["code"] == code), None)


def answer_class_choices(committee: Any) -> list[tuple[str, str]]:
    return [(c["code"], c["label"]) for c in answer_classes(committee)]
