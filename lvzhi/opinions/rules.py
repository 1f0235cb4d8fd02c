"""Who may do what with public-opinion reports: the only statement of it.

Members write and submit their own reports and see the reports they are
named on (drafts included) — never another member's report. Office staff of
the public-opinion area edit, publish and record adoptions; the
chairpersons' meeting reads everything but drafts; party and government
leaders read the issues sent to the party committee or the government.

Committee-level permissions take the committee as the object; the others
(``opinions.<verb>_<object>``) take the report, item, adoption, instruction
or issue. The state tables (``workflow.py``) name them for each step."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.rules import is_gov_leader, is_leader, is_staff_in
from lvzhi.opinions.models import IssueStatus, ReportStatus
from lvzhi.org.rules import is_member

is_opinions_staff = is_staff_in(Area.OPINIONS)
is_public_staff = is_staff_in(Area.PUBLIC)


@rules.predicate
def is_submitter(user: Any, report: Any = None) -> bool:
    if report is None or not user.is_authenticated:
        return False
    return bool(report.submitter_rows.filter(member__person__user=user).exists())


@rules.predicate
def is_author(user: Any, report: Any = None) -> bool:
    return bool(
        report is not None and user.is_authenticated and report.author.person.user_id == user.pk
    )


@rules.predicate
def is_not_draft(user: Any, report: Any = None) -> bool:
    return bool(report is not None and report.status != ReportStatus.DRAFT)


@rules.predicate
def is_sent_to_party_or_government(user: Any, issue: Any = None) -> bool:
    return bool(
        issue is not None
        and issue.status == IssueStatus.PUBLISHED
        and (issue.to_party or issue.to_government)
    )


@rules.predicate
def is_item_sent_to_party_or_government(user: Any, item: Any = None) -> bool:
    return bool(item is not None and is_sent_to_party_or_government(user, item.issue))


# --- On the committee ------------------------------------------------------------------
rules.add_perm("opinions.create_report", is_member)
rules.add_perm("opinions.view_queue", is_opinions_staff | is_leader)
rules.add_perm("opinions.edit", is_opinions_staff)  # the editing desk: items, issues
rules.add_perm("opinions.create_issue", is_opinions_staff)
rules.add_perm("opinions.view_issues", is_opinions_staff | is_leader | is_gov_leader)
rules.add_perm("opinions.view_stats", is_opinions_staff | is_leader)
rules.add_perm("opinions.export", is_opinions_staff | is_leader)
rules.add_perm("opinions.configure", is_opinions_staff)
# 三听三转: staff turn citizens' messages into a member's draft.
rules.add_perm("opinions.create_draft_for_member", is_public_staff | is_opinions_staff)

# --- On a report -----------------------------------------------------------------------
rules.add_perm(
    "opinions.view_report", is_submitter | ((is_opinions_staff | is_leader) & is_not_draft)
)
rules.add_perm("opinions.edit_report", is_member & is_author)
rules.add_perm("opinions.submit_report", is_member & is_author)
rules.add_perm("opinions.accept_report", is_opinions_staff)
rules.add_perm("opinions.not_use_report", is_opinions_staff)
rules.add_perm("opinions.merge_report", is_opinions_staff)
rules.add_perm("opinions.publish_report", is_opinions_staff)

# --- On an edited item, its adoptions and instructions ---------------------------------
rules.add_perm("opinions.view_item", is_opinions_staff | is_leader)
rules.add_perm("opinions.edit_item", is_opinions_staff)
rules.add_perm("opinions.forward_item", is_opinions_staff)
rules.add_perm("opinions.adopt_item", is_opinions_staff)
rules.add_perm("opinions.instruct_item", is_opinions_staff)  # a paper instruction, recorded
# A party or government leader writes the instruction in the app on an item
# of an issue sent to the party committee or the government.
rules.add_perm("opinions.write_instruction", is_gov_leader & is_item_sent_to_party_or_government)
rules.add_perm("opinions.correct_adoption", is_opinions_staff)
rules.add_perm("opinions.withdraw_adoption", is_opinions_staff)
rules.add_perm("opinions.withdraw_instruction", is_opinions_staff)

# --- On an issue -----------------------------------------------------------------------
rules.add_perm(
    "opinions.view_issue",
    is_opinions_staff | is_leader | (is_gov_leader & is_sent_to_party_or_government),
)
rules.add_perm("opinions.edit_issue", is_opinions_staff)
rules.add_perm("opinions.publish_issue", is_opinions_staff)
