"""The permission matrix: each role, by its relation to the object (author,
co-submitter, another member, staff of the area, of another area, of another
committee, leader, government leader, anonymous) × each named permission."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from lvzhi.accounts.models import Area, Role
from lvzhi.core.permissions import has_perm
from lvzhi.opinions import services
from lvzhi.opinions.models import IssueKind, Level

pytestmark = pytest.mark.django_db

ACTORS = [
    "author",
    "co_submitter",
    "other_member",
    "opinions_staff",
    "proposals_staff",
    "public_staff",
    "leader",
    "gov_leader",
    "elsewhere_staff",
    "anonymous",
]
STAFF = {"opinions_staff"}
READERS = {"opinions_staff", "leader"}
MEMBERS = {"author", "co_submitter", "other_member"}

# (permission, object) -> who holds it.
MATRIX: dict[tuple[str, str], set[str]] = {
    ("opinions.create_report", "committee"): MEMBERS,
    ("opinions.view_queue", "committee"): READERS,
    ("opinions.edit", "committee"): STAFF,
    ("opinions.create_issue", "committee"): STAFF,
    ("opinions.view_issues", "committee"): READERS | {"gov_leader"},
    ("opinions.view_stats", "committee"): READERS,
    ("opinions.export", "committee"): READERS,
    ("opinions.configure", "committee"): STAFF,
    ("opinions.create_draft_for_member", "committee"): STAFF | {"public_staff"},
    ("opinions.view_report", "draft"): {"author", "co_submitter"},
    ("opinions.view_report", "submitted"): {"author", "co_submitter"} | READERS,
    ("opinions.edit_report", "draft"): {"author"},
    ("opinions.submit_report", "draft"): {"author"},
    ("opinions.accept_report", "submitted"): STAFF,
    ("opinions.not_use_report", "submitted"): STAFF,
    ("opinions.merge_report", "submitted"): STAFF,
    ("opinions.publish_report", "submitted"): STAFF,
    ("opinions.view_item", "item"): READERS,
    ("opinions.edit_item", "item"): STAFF,
    ("opinions.forward_item", "item"): STAFF,
    ("opinions.adopt_item", "item"): STAFF,
    ("opinions.instruct_item", "item"): STAFF,
    ("opinions.correct_adoption", "adoption"): STAFF,
    ("opinions.withdraw_adoption", "adoption"): STAFF,
    ("opinions.withdraw_instruction", "instruction"): STAFF,
    ("opinions.view_issue", "draft_issue"): READERS,
    ("opinions.view_issue", "sent_issue"): READERS | {"gov_leader"},
    ("opinions.edit_issue", "draft_issue"): STAFF,
    ("opinions.publish_issue", "draft_issue"): STAFF,
}


@pytest.fixture
def objects(committee, draft, submitted, published, opinions_staff, colleague):
    _report, item, issue = published(title="已编发", co=(colleague,))
    adoption = services.adoption_record(
        actor=opinions_staff, item=item, level=Level.CITY, date=dt.date(2026, 6, 1)
    )
    instruction = services.instruction_record(
        actor=opinions_staff,
        item=item,
        level=Level.CITY,
        leader_title="市长",
        date=dt.date(2026, 6, 1),
    )
    draft_issue = services.issue_create(
        actor=opinions_staff,
        committee=committee,
        kind=IssueKind.SPECIAL,
        year=2026,
        date=dt.date(2026, 6, 1),
        to_upper=True,
    )
    return {
        "committee": committee,
        "draft": draft(title="草稿", co=(colleague,)),
        "submitted": submitted(title="已报送", co=(colleague,)),
        "item": item,
        "adoption": adoption,
        "instruction": instruction,
        "draft_issue": draft_issue,
        "sent_issue": issue,  # published, sent to the government
    }


@pytest.fixture
def actor_of(
    member_user, colleague_user, make_member, opinions_staff, make_user, committee, other_committee
):
    def make(name):
        if name == "author":
            return member_user
        if name == "co_submitter":
            return colleague_user
        if name == "other_member":
            return make_member("bieren").person.user
        if name == "opinions_staff":
            return opinions_staff
        if name == "proposals_staff":
            return make_user(Role.STAFF, committee, Area.PROPOSALS)
        if name == "public_staff":
            return make_user(Role.STAFF, committee, Area.PUBLIC)
        if name == "leader":
            return make_user(Role.LEADER, committee)
        if name == "gov_leader":
            return make_user(Role.GOV_LEADER, committee)
        if name == "elsewhere_staff":
            return make_user(Role.STAFF, other_committee, Area.OPINIONS)
        return AnonymousUser()

    return make


@pytest.mark.parametrize("name", ACTORS)
def test_each_role_holds_exactly_the_permissions_the_rules_name(name, objects, actor_of):
    actor = actor_of(name)
    held = {key for key in MATRIX if has_perm(actor, key[0], objects[key[1]])}
    expected = {key for key, holders in MATRIX.items() if name in holders}
    assert held == expected
