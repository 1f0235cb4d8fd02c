"""The report's workflow through the services: submit → edit → issue →
forward → adopt / instruction, with the history and the duty records
asserted; every forbidden transition refused and nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lvzhi.accounts.models import Area, Role
from lvzhi.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, Notification
from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.opinions import services
from lvzhi.opinions.models import (
    Adoption,
    EditedItem,
    IssueKind,
    IssueStatus,
    Level,
    NationalMode,
    Report,
    ReportEvent,
    ReportStatus,
)
from lvzhi.opinions.tests.conftest import TEXT
from lvzhi.opinions.workflow import REPORT_FLOW

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def actions(report: Report) -> list[str]:
    return list(report.events.values_list("action", flat=True))


def live(kind: str) -> list[tuple[str, Decimal]]:
    return sorted(
        (r.member.person.user.username, r.share)
        for r in DutyRecord.objects.filter(kind=kind, withdrawn_at__isnull=True).select_related(
            "member__person__user"
        )
    )


def test_the_whole_way_from_submission_to_a_national_adoption_and_an_instruction(
    submitted, opinions_staff, committee, colleague, member_user, colleague_user
):
    report = submitted(co=(colleague,))
    assert report.status == ReportStatus.SUBMITTED
    assert report.code == f"{timezone.localdate().year}-0001"
    # Each of the two submitters earns half of the submission.
    assert live(DutyKind.OPINION_SUBMITTED) == [
        ("member", Decimal("0.5")),
        ("tongshi", Decimal("0.5")),
    ]

    item = services.report_accept(actor=opinions_staff, report=report)
    services.item_update(
        actor=opinions_staff, item=item, title="加装电梯审批宜简化", text="编辑后的正文"
    )
    issue = services.issue_create(
        actor=opinions_staff,
        committee=committee,
        kind=IssueKind.SPECIAL,
        year=2026,
        date=DAY,
        to_upper=True,
        to_party=True,
    )
    services.issue_add_items(actor=opinions_staff, issue=issue, items=[item])
    services.issue_publish(actor=opinions_staff, issue=issue)
    services.item_forward(
        actor=opinions_staff, item=item, target="upper", date=DAY, target_name="省政协"
    )
    adoption = services.adoption_record(
        actor=opinions_staff,
        item=item,
        level=Level.NATIONAL,
        national_mode=NationalMode.SINGLE,
        date=DAY,
        text="全国政协《社情民意信息》单篇采用",
    )
    services.instruction_record(
        actor=opinions_staff,
        item=item,
        level=Level.PROVINCIAL,
        leader_title="副省长",
        date=DAY,
        text="请研究",
    )

    report.refresh_from_db()
    issue.refresh_from_db()
    assert report.status == ReportStatus.USED
    assert issue.status == IssueStatus.PUBLISHED and issue.number == 1
    # The original is untouched; the edited text lives on the item.
    assert report.text == TEXT and report.title == "关于加快老旧小区加装电梯的建议"
    assert EditedItem.objects.get(pk=item.pk).text == "编辑后的正文"
    assert actions(report) == [
        "created",
        "submit",
        "accept",
        "edit",
        "publish",
        "forward",
        "adopt",
        "instruction",
    ]
    steps = list(report.events.values_list("from_state", "to_state"))
    assert steps[1] == ("draft", "submitted")
    assert steps[2] == ("submitted", "in_editing")
    assert steps[4] == ("in_editing", "used")
    assert all(e.actor_id == opinions_staff.pk for e in report.events.all()[2:])
    assert live(DutyKind.OPINION_ADOPTED_NATIONAL) == [
        ("member", Decimal("0.5")),
        ("tongshi", Decimal("0.5")),
    ]
    assert live(DutyKind.OPINION_INSTRUCTION) == [
        ("member", Decimal("0.5")),
        ("tongshi", Decimal("0.5")),
    ]
    national = DutyRecord.objects.filter(kind=DutyKind.OPINION_ADOPTED_NATIONAL).first()
    assert national.source_id == adoption.pk and national.date == DAY
    # Both submitters heard of acceptance, publication, forwarding, adoption and
    # the instruction; the co-submitter also of the submission by the author.
    assert Notification.objects.filter(recipient=member_user).count() == 5
    assert Notification.objects.filter(recipient=colleague_user).count() == 6
    assert AuditEvent.objects.filter(action="opinions.adoption_record").count() == 1


def test_a_report_not_used_keeps_its_submission_duty_record(submitted, opinions_staff, member_user):
    report = submitted()
    services.report_not_use(actor=opinions_staff, report=report, reason="内容与已编发信息重复")
    report.refresh_from_db()
    assert report.status == ReportStatus.NOT_USED
    assert report.not_used_reason == "内容与已编发信息重复"
    assert live(DutyKind.OPINION_SUBMITTED) == [("member", Decimal("1"))]
    assert actions(report)[-1] == "not_use"
    assert Notification.objects.filter(recipient=member_user, body="内容与已编发信息重复").exists()


def test_a_report_in_editing_not_used_loses_its_empty_item(submitted, opinions_staff):
    report = submitted()
    item = services.report_accept(actor=opinions_staff, report=report)
    services.report_not_use(actor=opinions_staff, report=report, reason="时效性不足")
    assert not EditedItem.objects.filter(pk=item.pk).exists()
    assert Report.objects.get(pk=report.pk).item is None


def test_merged_reports_share_the_adoption_among_all_their_submitters(
    submitted, opinions_staff, committee, colleague, make_member
):
    third = make_member("disan")
    first = submitted(title="第一篇")
    second = submitted(title="第二篇", author=colleague, co=(third,))
    item = services.report_accept(actor=opinions_staff, report=first)
    services.reports_merge(actor=opinions_staff, item=item, reports=[second])
    second.refresh_from_db()
    assert second.status == ReportStatus.MERGED and second.item_id == item.pk
    assert actions(second)[-1] == "merge"
    issue = services.issue_create(
        actor=opinions_staff,
        committee=committee,
        kind=IssueKind.JOURNAL,
        year=2026,
        date=DAY,
        to_party=True,
    )
    services.issue_add_items(actor=opinions_staff, issue=issue, items=[item])
    services.issue_publish(actor=opinions_staff, issue=issue)
    services.adoption_record(actor=opinions_staff, item=item, level=Level.CITY, date=DAY)
    third_share = Decimal("0.3333")
    assert live(DutyKind.OPINION_ADOPTED_CITY) == [
        ("disan", third_share),
        ("member", third_share),
        ("tongshi", third_share),
    ]
    # The merged report stays "merged" but its history shows the publication.
    second.refresh_from_db()
    assert second.status == ReportStatus.MERGED
    assert "publish" in actions(second)


def test_merging_a_report_in_editing_keeps_its_edited_text_in_the_history(
    submitted, opinions_staff
):
    first, second = submitted(title="甲"), submitted(title="乙")
    item = services.report_accept(actor=opinions_staff, report=first)
    other = services.report_accept(actor=opinions_staff, report=second)
    services.item_update(actor=opinions_staff, item=other, title="乙", text="乙的编辑稿")
    services.reports_merge(actor=opinions_staff, item=item, reports=[second])
    assert not EditedItem.objects.filter(pk=other.pk).exists()
    assert "乙的编辑稿" in second.events.last().note


def test_correcting_an_adoption_withdraws_the_old_duty_records_and_records_the_new(
    published, opinions_staff
):
    _report, item, _issue = published()
    adoption = services.adoption_record(actor=opinions_staff, item=item, level=Level.CITY, date=DAY)
    services.adoption_correct(
        actor=opinions_staff, adoption=adoption, level=Level.PROVINCIAL, date=DAY, text="更正"
    )
    assert live(DutyKind.OPINION_ADOPTED_CITY) == []
    assert live(DutyKind.OPINION_ADOPTED_PROVINCIAL) == [("member", Decimal("1"))]
    withdrawn = DutyRecord.objects.get(kind=DutyKind.OPINION_ADOPTED_CITY)
    assert withdrawn.withdrawn_at is not None


def test_withdrawing_an_adoption_or_instruction_withdraws_their_duty_records(
    published, opinions_staff
):
    report, item, _issue = published()
    adoption = services.adoption_record(
        actor=opinions_staff, item=item, level=Level.COUNTY, date=DAY
    )
    instruction = services.instruction_record(
        actor=opinions_staff, item=item, level=Level.COUNTY, leader_title="区长", date=DAY
    )
    services.adoption_withdraw(actor=opinions_staff, adoption=adoption, reason="误录")
    services.instruction_withdraw(actor=opinions_staff, instruction=instruction, reason="误录")
    assert live(DutyKind.OPINION_ADOPTED_COUNTY) == []
    assert live(DutyKind.OPINION_INSTRUCTION) == []
    assert actions(report)[-2:] == ["adoption_withdraw", "instruction_withdraw"]
    # Once withdrawn, the level is free again.
    services.adoption_record(actor=opinions_staff, item=item, level=Level.COUNTY, date=DAY)
    assert live(DutyKind.OPINION_ADOPTED_COUNTY) == [("member", Decimal("1"))]


def test_issue_numbers_run_per_committee_year_and_kind(opinions_staff, committee):
    def new(kind, year):
        return services.issue_create(
            actor=opinions_staff, committee=committee, kind=kind, year=year, date=DAY
        )

    assert [new(IssueKind.JOURNAL, 2026).number for _ in range(3)] == [1, 2, 3]
    assert new(IssueKind.SPECIAL, 2026).number == 1
    assert new(IssueKind.JOURNAL, 2027).number == 1


def test_items_in_a_published_issue_are_frozen(published, opinions_staff, submitted):
    _report, item, issue = published()
    with pytest.raises(Conflict):
        services.item_update(actor=opinions_staff, item=item, title="新", text="新")
    other = services.report_accept(actor=opinions_staff, report=submitted(title="另一篇"))
    with pytest.raises(Conflict):
        services.issue_add_items(actor=opinions_staff, issue=issue, items=[other])
    with pytest.raises(Conflict):
        services.issue_publish(actor=opinions_staff, issue=issue)


# --- Forbidden transitions ---------------------------------------------------------------


FORBIDDEN = [
    (status, action)
    for status in ReportStatus.values
    for action in REPORT_FLOW.actions()
    if REPORT_FLOW.find(status, action) is None
]


def _report_in(status, submitted, draft, opinions_staff):
    if status == ReportStatus.DRAFT:
        return draft()
    report = submitted(title=f"状态{status}")
    if status == ReportStatus.SUBMITTED:
        return report
    if status == ReportStatus.NOT_USED:
        return services.report_not_use(actor=opinions_staff, report=report, reason="不用")
    item = services.report_accept(actor=opinions_staff, report=report)
    if status == ReportStatus.MERGED:
        head = services.report_accept(actor=opinions_staff, report=submitted(title="主稿"))
        services.reports_merge(actor=opinions_staff, item=head, reports=[report])
    if status == ReportStatus.USED:
        issue = services.issue_create(
            actor=opinions_staff,
            committee=report.committee,
            kind="journal",
            year=2026,
            date=DAY,
            to_party=True,
        )
        services.issue_add_items(actor=opinions_staff, issue=issue, items=[item])
        services.issue_publish(actor=opinions_staff, issue=issue)
    report.refresh_from_db()
    assert report.status == status
    return report


@pytest.mark.parametrize(
    ("status", "action"),
    [(s, a) for s, a in FORBIDDEN if a in ("submit", "accept", "not_use", "merge")],
)
def test_services_refuse_a_forbidden_transition_and_change_nothing(
    status, action, submitted, draft, opinions_staff
):
    report = _report_in(status, submitted, draft, opinions_staff)
    target = services.report_accept(actor=opinions_staff, report=submitted(title="目标"))
    events_before = ReportEvent.objects.filter(report=report).count()
    calls = {
        "submit": lambda: services.report_submit(actor=report.author.person.user, report=report),
        "accept": lambda: services.report_accept(actor=opinions_staff, report=report),
        "not_use": lambda: services.report_not_use(
            actor=opinions_staff, report=report, reason="理由"
        ),
        "merge": lambda: services.reports_merge(
            actor=opinions_staff, item=target, reports=[report]
        ),
    }
    with pytest.raises(Conflict):
        calls[action]()
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.status == status
    assert ReportEvent.objects.filter(report=report).count() == events_before


def test_a_second_submit_is_refused_and_counts_once(submitted):
    report = submitted()
    with pytest.raises(Conflict, match=r"already been submitted|已"):
        services.report_submit(actor=report.author.person.user, report=report)
    assert DutyRecord.objects.filter(kind=DutyKind.OPINION_SUBMITTED).count() == 1
    assert report.events.filter(action="submit").count() == 1


def test_adopting_an_unpublished_item_or_the_same_level_twice_is_refused(
    submitted, published, opinions_staff
):
    item = services.report_accept(actor=opinions_staff, report=submitted(title="未编发"))
    with pytest.raises(Conflict):
        services.adoption_record(actor=opinions_staff, item=item, level=Level.CITY, date=DAY)
    with pytest.raises(Conflict):
        services.item_forward(actor=opinions_staff, item=item, target="upper", date=DAY)
    _r, published_item, _i = published(title="已编发")
    services.adoption_record(actor=opinions_staff, item=published_item, level=Level.CITY, date=DAY)
    with pytest.raises(Conflict):
        services.adoption_record(
            actor=opinions_staff, item=published_item, level=Level.CITY, date=DAY
        )
    assert Adoption.objects.count() == 1
    assert DutyRecord.objects.filter(kind=DutyKind.OPINION_ADOPTED_CITY).count() == 1


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"level": Level.NATIONAL}, ValidationFailed),  # single or combined not said
        ({"level": "planet"}, ValidationFailed),
        ({"level": Level.CITY, "date": dt.date(2999, 1, 1)}, ValidationFailed),
    ],
)
def test_bad_adoptions_are_refused(published, opinions_staff, kwargs, error):
    _r, item, _i = published()
    kwargs = {"date": DAY, **kwargs}
    with pytest.raises(error):
        services.adoption_record(actor=opinions_staff, item=item, **kwargs)
    assert not Adoption.objects.exists()
    assert not DutyRecord.objects.filter(kind__startswith="opinion_adopted").exists()


def test_publishing_needs_items_and_a_recipient(opinions_staff, committee, submitted):
    issue = services.issue_create(
        actor=opinions_staff, committee=committee, kind="journal", year=2026, date=DAY
    )
    with pytest.raises(ValidationFailed):
        services.issue_publish(actor=opinions_staff, issue=issue)
    item = services.report_accept(actor=opinions_staff, report=submitted())
    services.issue_add_items(actor=opinions_staff, issue=issue, items=[item])
    with pytest.raises(ValidationFailed):
        services.issue_publish(actor=opinions_staff, issue=issue)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


# --- Wrong role, wrong committee --------------------------------------------------------


def test_only_opinions_staff_of_the_committee_may_edit(
    submitted, make_user, committee, other_committee, member_user
):
    report = submitted()
    proposals_staff = make_user(Role.STAFF, committee, Area.PROPOSALS)
    elsewhere = make_user(Role.STAFF, other_committee, Area.OPINIONS)
    leader = make_user(Role.LEADER, committee)
    for actor in (member_user, proposals_staff, elsewhere, leader):
        with pytest.raises(PermissionDenied):
            services.report_accept(actor=actor, report=report)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_only_the_author_may_change_or_submit_a_draft(draft, colleague_user, opinions_staff):
    report = draft()
    for actor in (colleague_user, opinions_staff):
        with pytest.raises(PermissionDenied):
            services.report_submit(actor=actor, report=report)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_reports_and_items_of_another_committee_are_refused(
    submitted, opinions_staff, committee, other_committee, make_user, make_member
):
    elsewhere_member = make_member("waidi", committee=other_committee)
    elsewhere_staff = make_user(Role.STAFF, other_committee, Area.OPINIONS)
    foreign = services.report_submit(
        actor=elsewhere_member.person.user,
        report=services.report_save_draft(
            actor=elsewhere_member.person.user,
            committee=other_committee,
            author=elsewhere_member,
            title="外地信息",
            text="正文",
        ),
    )
    foreign_item = services.report_accept(actor=elsewhere_staff, report=foreign)
    item = services.report_accept(actor=opinions_staff, report=submitted())
    with pytest.raises(DomainError):
        services.reports_merge(actor=opinions_staff, item=item, reports=[foreign])
    issue = services.issue_create(
        actor=opinions_staff, committee=committee, kind="journal", year=2026, date=DAY
    )
    with pytest.raises(DomainError):
        services.issue_add_items(actor=opinions_staff, issue=issue, items=[foreign_item])
    assert Report.objects.get(pk=foreign.pk).item_id == foreign_item.pk
    assert EditedItem.objects.get(pk=foreign_item.pk).issue is None


# --- Bad input of a draft ------------------------------------------------------------------


def test_a_co_submitter_of_another_committee_is_refused(draft, make_member, other_committee):
    stranger = make_member("moshengren", committee=other_committee)
    with pytest.raises(ValidationFailed):
        draft(co=(stranger,))
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("title", "text"), [("", TEXT), ("标题", ""), ("标", "字" * 1501), ("长" * 101, TEXT)]
)
def test_an_empty_or_too_long_draft_is_refused(draft, title, text):
    with pytest.raises(ValidationFailed):
        draft(title=title, text=text)
    assert not Report.objects.exists()


def test_the_limit_is_the_committees_setting(draft, opinions_staff, committee):
    services.settings_update(
        actor=opinions_staff, committee=committee, max_chars=200, categories=["经济"]
    )
    with pytest.raises(ValidationFailed, match="201"):
        draft(text="字" * 201)
    assert draft(text="字" * 200).pk


def test_the_same_form_token_creates_one_draft(draft):
    import uuid

    token = uuid.uuid4()
    first = draft(token=token)
    second = draft(token=token)
    assert first.pk == second.pk
    assert Report.objects.count() == 1
