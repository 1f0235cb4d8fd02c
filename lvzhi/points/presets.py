"""The shipped rules: the two required-duty sets and the default policy of
DESIGN §6. Staff change them as data; these are only the starting values."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from lvzhi.duties.models import DutyCategory, DutyKind

K = DutyKind

# "六个一": one research trip, one proposal, one public-opinion report, one
# 有事好商量 consultation, one service to the public, one investment project
# or talent introduced.
SIX_ONES = (
    ("six-ones", "六个一"),
    (
        ("一次调研", [K.RESEARCH]),
        ("一件提案", [K.PROPOSAL_FILED]),
        ("一条社情民意信息", [K.OPINION_SUBMITTED]),
        ("一次协商（有事好商量）", [K.CONSULTATION]),
        ("一次为民服务", [K.PUBLIC_SERVICE]),
        ("一个招商引资项目或引进人才", [K.INVESTMENT_OR_TALENT]),
    ),
)
# "五个一": one proposal, one report, one research or inspection trip, one
# study note or training, one service to the public.
FIVE_ONES = (
    ("five-ones", "五个一"),
    (
        ("一件提案", [K.PROPOSAL_FILED]),
        ("一条社情民意信息", [K.OPINION_SUBMITTED]),
        ("一次调研视察", [K.RESEARCH, K.INSPECTION]),
        ("一篇学习心得或一次学习培训", [K.STUDY_NOTE, K.TRAINING]),
        ("一次为民服务", [K.PUBLIC_SERVICE]),
    ),
)
REQUIREMENT_SETS = (SIX_ONES, FIVE_ONES)

D = Decimal
DEFAULT_POINTS: dict[str, Decimal] = {
    K.PLENARY_ATTENDED: D(30),
    K.PLENARY_EXCUSED: D(15),
    K.PLENARY_ABSENT: D(0),
    K.STANDING_ATTENDED: D(0),
    K.STANDING_EXCUSED: D(-2),
    K.STANDING_ABSENT: D(-5),
    K.PROPOSAL_FILED: D(5),
    K.PROPOSAL_REGISTERED: D(10),
    K.PROPOSAL_KEY: D(5),
    K.PROPOSAL_EXCELLENT: D(10),
    K.OPINION_SUBMITTED: D(3),
    K.OPINION_ADOPTED_COUNTY: D(5),
    K.OPINION_ADOPTED_CITY: D(5),
    K.OPINION_ADOPTED_PROVINCIAL: D(8),
    K.OPINION_ADOPTED_NATIONAL: D(15),
    K.OPINION_INSTRUCTION: D(5),
    K.RESEARCH: D(2),
    K.INSPECTION: D(2),
    K.CONSULTATION: D(2),
    K.TRAINING: D(2),
    K.PLENARY_SPEECH: D(5),
    K.PUBLIC_SERVICE: D(2),
    K.STUDY_NOTE: D(2),
    # Not fixed by DESIGN §6; a committee sets its own value.
    K.INVESTMENT_OR_TALENT: D(5),
    K.OTHER: D(0),
}
DEFAULT_CAPS: dict[str, Decimal] = {
    DutyCategory.PROPOSALS: D(30),
    DutyCategory.OPINIONS: D(25),
    DutyCategory.ACTIVITIES: D(15),
    DutyCategory.PUBLIC_SERVICE: D(10),
    DutyCategory.STUDY: D(4),
}
DEFAULT_BASE = D(0)
DEFAULT_MAX = D(100)
DEFAULT_EXCELLENT = D(85)
DEFAULT_COMPETENT = D(60)

# Shipped scheme files (lvzhi/points/schemes/*.json, the format of
# docs/points.md): a committee starts a draft from one and edits it.
SCHEMES_DIR = Path(__file__).with_name("schemes")
PRESET_SCHEMES: dict[str, Any] = {
    "default": _("Default policy (DESIGN §6)"),
    "tongcheng-2019": _("Tongcheng 2019"),
    "anqing-2018": _("Anqing 2018"),
    "hefei-2015": _("Hefei 2015"),
}


def scheme_preset(code: str) -> dict[str, Any]:
    """The parsed scheme file of a shipped preset (``PRESET_SCHEMES``)."""
    if code not in PRESET_SCHEMES:
        raise KeyError(code)
    document: dict[str, Any] = json.loads((SCHEMES_DIR / f"{code}.json").read_text("utf-8"))
    return document
