"""No template compares a status or state with a string literal (docs/kernel.md).

Buttons come from the action set (``{% actions_of %}``), conditions from a
permission (``{% can %}``) or a boolean the view computes, labels from
``get_status_display``: a template that tests ``proposal.status == "draft"``
repeats the workflow table and drifts from it. This scans every template
under lvzhi/*/templates and templates/ and lists each such comparison as
file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [*sorted(ROOT.glob("lvzhi/*/templates")), ROOT / "templates"]

TAG = re.compile(r"{%-?\s*(?:if|elif|with|firstof)\b(?P<body>.*?)-?%}")
# A variable named status/state, or an attribute .status/.state (filters aside).
NAME = r"(?<![\w.])(?:[\w]+\.)*(?:status|state)\b(?:\|[\w:\"']+)*"
LITERAL = r"(?:\"[^\"]*\"|'[^']*')"
COMPARISONS = [
    re.compile(rf"{NAME}\s*(?:==|!=)\s*{LITERAL}"),
    re.compile(rf"{LITERAL}\s*(?:==|!=)\s*{NAME}"),
    re.compile(rf"{NAME}\s+(?:not\s+)?in\s+{LITERAL}"),
    re.compile(rf"{LITERAL}\s+(?:not\s+)?in\s+{NAME}"),
]


def literal_comparisons(text: str) -> list[tuple[int, str]]:
    """(line number, tag) of each status/state compared with a literal."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for tag in TAG.finditer(line):
            if any(pattern.search(tag["body"]) for pattern in COMPARISONS):
                found.append((number, tag.group(0).strip()))
    return found


def template_files() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS if d.is_dir() for p in d.rglob("*.html"))


def test_no_template_compares_a_status_or_state_with_a_string_literal() -> None:
    offending = [
        f"{path.relative_to(ROOT)}:{number}: {tag}"
        for path in template_files()
        for number, tag in literal_comparisons(path.read_text(encoding="utf-8"))
    ]

    assert not offending, "status/state compared with a literal:\n" + "\n".join(offending)


def test_the_scan_reads_the_templates() -> None:
    assert len(template_files()) > 50


@pytest.mark.parametrize(
    "line",
    [
        '{% if proposal.status == "draft" %}',
        "{% elif item.state != 'closed' %}",
        '{% if "open" == consultation.state %}',
        '{% if status == "submitted" %}',
        '{% if report.status in "used,not_used" %}',
        '{% if a and b.review.status|lower == "x" %}',
    ],
)
def test_the_scan_finds_a_comparison_with_a_literal(line: str) -> None:
    assert literal_comparisons(line) == [(1, line)]


@pytest.mark.parametrize(
    "line",
    [
        "{% if actions.submit %}",
        "{% if proposal.status == Status.DRAFT %}",
        '{% if statement == "x" %}',
        '{% if proposal.title == "x" %}',
        '<span class="status">{{ proposal.get_status_display }}</span>',
        '{% if may_edit %}{% trans "state" %}{% endif %}',
    ],
)
def test_the_scan_lets_other_conditions_pass(line: str) -> None:
    assert literal_comparisons(line) == []
