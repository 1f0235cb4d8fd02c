"""Checks of Chinese identity numbers and mobile numbers, shared by forms and
the roster import."""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _

# GB 11643-1999: weights of the first 17 digits and the check character.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper()


def id_number_error(value: str) -> str | None:
    """None when the 18-character ID number is valid, else the reason in Chinese."""
    value = normalise_id_number(value)
    if not _ID_RE.match(value):
        return _("The ID number must have 18 characters: 17 digits and a digit or X.")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("The birth date inside the ID number is not a real date.")
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        return _("The check digit of the ID number is wrong.")
    return None


def birth_date_from_id(value: str) -> date:
    value = normalise_id_number(value)
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def gender_from_id(value: str) -> str:
    """'M' or 'F': the 17th digit is odd for men."""
    return "M" if int(normalise_id_number(value)[16]) % 2 else "F"


def mobile_error(value: str) -> str | None:
    if not _MOBILE_RE.match((value or "").strip()):
        return _("The mobile number must be 11 digits starting with 1.")
    return None


def make_id_number(prefix17: str) -> str:
    """Completes 17 digits with the right check character (demo data, tests)."""
    total = sum(int(d) * w for d, w in zip(prefix17, _ID_WEIGHTS, strict=True))
    return prefix17 + _ID_CHECK[total % 11]
