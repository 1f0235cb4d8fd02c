"""Who may do what with public-opinion reports.

Members write and submit their own reports and see the reports they are
named on (drafts included) — never another member's report. Office staff of
the public-opinion area edit, publish and record adoptions; the
chairpersons' meeting reads everything but drafts; party and government
leaders read the issues sent to the party committee or the government."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.rules import is_gov_leader, is_leader, is_staff_in
from lvzhi.org.rules import is_member

is_opinions_staff = is_staff_in(Area.OPINIONS)


@rules.predicate
def is_submitter(user: Any, report: Any = None) -> bool:
    if report is None or not user.is_authenticated:
        return False
    return report.submitter_rows.filter(member__person__user=user).exists()


@rules.predicate
def is_author(user: Any, report: Any = None) -> bool:
    return bool(report is not None and report.author.person.user_id == user.pk)


@rules.predicate
def is_not_draft(user: Any, report: Any = None) -> bool:
    return bool(report is not None and report.status != "draft")


@rules.predicate
def is_sent_to_party_or_government(user: Any, issue: Any = None) -> bool:
    return bool(
        issue is not None
        and issue.status == "published"
        and (issue.to_party or issue.to_government)
    )


rules.add_perm("opinions.submit_report", is_member)
rules.add_perm("opinions.edit_draft", is_member & is_author)
rules.add_perm(
    "opinions.view_report", is_submitter | ((is_opinions_staff | is_leader) & is_not_draft)
)
rules.add_perm("opinions.view_queue", is_opinions_staff | is_leader)
rules.add_perm("opinions.edit", is_opinions_staff)
rules.add_perm("opinions.view_issues", is_opinions_staff | is_leader | is_gov_leader)
rules.add_perm(
    "opinions.view_issue",
    is_opinions_staff | is_leader | (is_gov_leader & is_sent_to_party_or_government),
)
rules.add_perm("opinions.view_stats", is_opinions_staff | is_leader)
rules.add_perm("opinions.export", is_opinions_staff | is_leader)
rules.add_perm("opinions.manage_settings", is_opinions_staff)
