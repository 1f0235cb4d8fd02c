"""提案预审: rules a proposal office applies before registering, checked on
the text — both parts present and substantial, suggestions numbered and
concrete, and the grounds for not registering that a keyword can catch
(the national proposal regulation: matters of the party's internal affairs,
personal or family matters and lawsuits, advertising, matters outside the
committee's remit, vague content). Advice, never a refusal: staff decide."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

REASON_MIN = 60  # characters of 案由 below which it cannot state a problem
SUGGESTIONS_MIN = 40
SUGGESTIONS_NUMBERED_MIN = 2
NUMBERED = re.compile(
    r"(?m)(^|[。；;\n])\s*(（?[一二三四五六七八九十]+[）、是．.]|\(?\d+[)）、．.])"
)
CONCRETE = re.compile(
    r"建设|设立|设置|增设|制定|出台|建立|实施|安排|配备|增加|提高|降低|开通|改造|修订|纳入|"
    r"增派|推行|推广|整治|规划|施划|划定|开设|培训|公开|督促|定期|补贴|补助|资金|试点|\d"
)
VAGUE = ("高度重视", "加大力度", "切实加强", "引起重视", "有关部门研究", "予以关注")

# (code, keywords, the ground as the office would state it)
GROUNDS = (
    (
        "party",
        ("党内", "党员发展", "党费", "党组织生活", "党纪处分", "入党"),
        _("It may concern the party's internal affairs, which are not a matter for a proposal."),
    ),
    (
        "personal",
        ("我家", "本人的", "我父亲", "我母亲", "我儿子", "我女儿", "我的房子", "个人待遇"),
        _("It may be a personal or family matter, for the letters and visits office."),
    ),
    (
        "lawsuit",
        ("诉讼", "起诉", "判决", "打官司", "仲裁", "案件审理", "申诉"),
        _("It may concern a lawsuit or a case under way, which a proposal cannot intervene in."),
    ),
    (
        "advert",
        ("本公司", "我公司", "我们公司的产品", "代言", "广告投放"),
        _("It may promote a company or a product."),
    ),
    (
        "remit",
        ("外交政策", "国防", "军队建设", "宗教教义"),
        _("It may be outside the committee's remit."),
    ),
)


@dataclass(frozen=True)
class Finding:
    code: str
    message: str


def _numbered(suggestions: str) -> int:
    return len(NUMBERED.findall(suggestions))


def suggestion_items(suggestions: str) -> list[str]:
    parts = NUMBERED.split(suggestions)
    # split() keeps the groups; the text of each item follows its number.
    return [p.strip() for p in parts[3::3] if p and p.strip()]


FORM_PROBLEMS = {
    "title": _("A title usually reads 关于……的建议."),
    "reason_missing": _("The reason (案由) is missing."),
    "reason_short": _("The reason is short: state the problem, its extent and its cause."),
    "suggestions_missing": _("The suggestions (建议) are missing."),
    "suggestions_short": _("The suggestions are short."),
    "not_numbered": _("Number the suggestions (一、二、…) so each can be answered."),
    "vague": _("Some suggestions are not concrete: say who does what, by when, how."),
}


def _form_problems(title: str, reason: str, suggestions: str) -> list[str]:
    codes = []
    if not title.startswith("关于") or not re.search(r"的(建议|提案)$", title):
        codes.append("title")
    if not reason:
        codes.append("reason_missing")
    elif len(reason) < REASON_MIN:
        codes.append("reason_short")
    if not suggestions:
        return [*codes, "suggestions_missing"]
    if len(suggestions) < SUGGESTIONS_MIN:
        codes.append("suggestions_short")
    if _numbered(suggestions) < SUGGESTIONS_NUMBERED_MIN:
        codes.append("not_numbered")
    vague = [item for item in suggestion_items(suggestions) if not CONCRETE.search(item)]
    if vague or any(v in suggestions for v in VAGUE):
        codes.append("vague")
    return codes


def check_draft(title: str, reason: str, suggestions: str) -> list[Finding]:
    """What a reviewer would point out, each with its reason; empty when nothing is found."""
    reason, suggestions = reason.strip(), suggestions.strip()
    findings = [
        Finding(code, str(FORM_PROBLEMS[code]))
        for code in _form_problems(title.strip(), reason, suggestions)
    ]
    text = f"{title}\n{reason}\n{suggestions}"
    for code, words, message in GROUNDS:
        hits = [w for w in words if w in text]
        if hits:
            findings.append(Finding(code, f"{message}（{'、'.join(hits)}）"))
    return findings
