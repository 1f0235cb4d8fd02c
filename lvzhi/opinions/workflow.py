"""The state tables of reports and issues (DESIGN §5), in core.workflow's types:
which action moves an object from which state to which, and the named
permission (``opinions/rules.py``) that allows it.

Reports::

    draft ──submit──▶ submitted ──accept──▶ in_editing ──publish──▶ used
                         │  │                   │  │
                         │  └──not_use──▶ not_used ◀──not_use──┘  │
                         └──────merge──▶ merged ◀──────merge──────┘

A draft may be revised (logged, the state stays); a merged report is
published with its item (logged, it stays merged). Forwarding, adoption and
instructions do not change a report's state: they are recorded on the edited
item of a published report and noted in each report's history.

Issues: a draft issue is edited (its date, recipients and items) until it is
published; then it is frozen."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.workflow import Transition, Workflow
from lvzhi.opinions.models import Issue, IssueEvent, IssueStatus, Report, ReportEvent, ReportStatus

S, IS = ReportStatus, IssueStatus
# The permissions the rows name (opinions/rules.py).
PUBLISH, EDIT_ISSUE = "opinions.publish_report", "opinions.edit_issue"
# Submitted and not yet used, merged or dropped.
OPEN = {S.SUBMITTED, S.IN_EDITING}
SECONDARY = "outline-secondary"

# Each row: action, button label, from, permission, to (none: the state stays, logged).
REPORT_FLOW = Workflow(
    model=Report,
    event_model=ReportEvent,
    event_subject="report",
    audit_prefix="opinion_report",
    transitions=[
        Transition(
            "revise",
            _("Edit the draft"),
            {S.DRAFT},
            "opinions.edit_report",
            style="outline-primary",
        ),
        Transition("submit", _("Submit"), {S.DRAFT}, "opinions.submit_report", S.SUBMITTED),
        Transition(
            "accept", _("Take into editing"), {S.SUBMITTED}, "opinions.accept_report", S.IN_EDITING
        ),
        Transition(
            "not_use",
            _("Mark as not used"),
            OPEN,
            "opinions.not_use_report",
            S.NOT_USED,
            style=SECONDARY,
        ),
        Transition("merge", _("Merge into an item"), OPEN, "opinions.merge_report", S.MERGED),
        Transition("publish", _("Publish in an issue"), {S.IN_EDITING}, PUBLISH, S.USED),
        # A merged report goes out with the item it was merged into.
        Transition("publish", _("Publish in an issue"), {S.MERGED}, PUBLISH),
    ],
)

ISSUE_FLOW = Workflow(
    model=Issue,
    event_model=IssueEvent,
    event_subject="issue",
    audit_prefix="opinion_issue",
    transitions=[
        Transition(
            "update", _("Date, title and recipients"), {IS.DRAFT}, EDIT_ISSUE, style=SECONDARY
        ),
        Transition("add_items", _("Add to the issue"), {IS.DRAFT}, EDIT_ISSUE),
        Transition("remove_item", _("Take out"), {IS.DRAFT}, EDIT_ISSUE, style="outline-danger"),
        Transition("move_item", _("Change the order"), {IS.DRAFT}, EDIT_ISSUE, style=SECONDARY),
        Transition("publish", _("Publish"), {IS.DRAFT}, "opinions.publish_issue", IS.PUBLISHED),
    ],
)
