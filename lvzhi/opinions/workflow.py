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

S = ReportStatus

REPORT_FLOW = Workflow(
    model=Report,
    event_model=ReportEvent,
    event_subject="report",
    audit_prefix="opinion_report",
    transitions=[
        Transition(
            "revise",
            _("Edit the draft"),
            source={S.DRAFT},
            permission="opinions.edit_report",
            style="outline-primary",
        ),
        Transition(
            "submit",
            _("Submit"),
            source={S.DRAFT},
            target=S.SUBMITTED,
            permission="opinions.submit_report",
        ),
        Transition(
            "accept",
            _("Take into editing"),
            source={S.SUBMITTED},
            target=S.IN_EDITING,
            permission="opinions.accept_report",
        ),
        Transition(
            "not_use",
            _("Mark as not used"),
            source={S.SUBMITTED, S.IN_EDITING},
            target=S.NOT_USED,
            permission="opinions.not_use_report",
            style="outline-secondary",
        ),
        Transition(
            "merge",
            _("Merge into an item"),
            source={S.SUBMITTED, S.IN_EDITING},
            target=S.MERGED,
            permission="opinions.merge_report",
        ),
        Transition(
            "publish",
            _("Publish in an issue"),
            source={S.IN_EDITING},
            target=S.USED,
            permission="opinions.publish_report",
        ),
        # A merged report goes out with the item it was merged into.
        Transition(
            "publish",
            _("Publish in an issue"),
            source={S.MERGED},
            permission="opinions.publish_report",
        ),
    ],
)

IS = IssueStatus

ISSUE_FLOW = Workflow(
    model=Issue,
    event_model=IssueEvent,
    event_subject="issue",
    audit_prefix="opinion_issue",
    transitions=[
        Transition(
            "update",
            _("Date, title and recipients"),
            source={IS.DRAFT},
            permission="opinions.edit_issue",
            style="outline-secondary",
        ),
        Transition(
            "add_items", _("Add to the issue"), source={IS.DRAFT}, permission="opinions.edit_issue"
        ),
        Transition(
            "remove_item",
            _("Take out"),
            source={IS.DRAFT},
            permission="opinions.edit_issue",
            style="outline-danger",
        ),
        Transition(
            "move_item",
            _("Change the order"),
            source={IS.DRAFT},
            permission="opinions.edit_issue",
            style="outline-secondary",
        ),
        Transition(
            "publish",
            _("Publish"),
            source={IS.DRAFT},
            target=IS.PUBLISHED,
            permission="opinions.publish_issue",
        ),
    ],
)
