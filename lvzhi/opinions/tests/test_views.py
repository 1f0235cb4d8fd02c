"""The public-opinion pages: members on their own reports, staff on the
queue, items and issues; who sees what (drafts, other committees), bad
input answered in Chinese with nothing changed, constant query counts."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from urllib.parse import urlencode

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lvzhi.accounts.models import Area, Role
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import page_queries
from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.opinions import services
from lvzhi.opinions.models import Adoption, Issue, IssueStatus, Level, Report, ReportStatus
from lvzhi.opinions.tests.conftest import TEXT

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def zh(message: str, **params) -> str:
    """The message as the Chinese interface shows it (translated once the
    catalogue has it, else the English msgid)."""
    with translation.override("zh-hans"):
        text = gettext(message)
    return text % params if params else text


def page_text(response) -> str:
    return response.content.decode()


# --- Members -----------------------------------------------------------------------------


def test_a_member_writes_a_draft_and_submits_it(client_for, member_user, colleague):
    client = client_for(member_user)
    token = str(uuid.uuid4())
    data = {
        "token": token,
        "title": "关于规范校外培训的建议",
        "text": TEXT,
        "submitter_kind": "member",
        "co_submitters": [colleague.pk],
    }
    response = client.post(reverse("opinions:report_create"), data)
    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("opinions:report_detail", args=[report.pk])
    # The same form posted again (double click) creates nothing new.
    client.post(reverse("opinions:report_create"), data)
    assert Report.objects.count() == 1
    assert sorted(report.submitter_rows.values_list("member_id", flat=True)) == sorted(
        [report.author_id, colleague.pk]
    )
    client.post(reverse("opinions:report_submit", args=[report.pk]))
    second = client.post(reverse("opinions:report_submit", args=[report.pk]), follow=True)
    assert zh("This report has already been submitted.") in page_text(second)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert DutyRecord.objects.filter(kind=DutyKind.OPINION_SUBMITTED).count() == 2
    page = client.get(reverse("opinions:my_reports"))
    assert "关于规范校外培训的建议" in page_text(page)


def test_a_member_sees_status_adoption_and_duty_records_on_the_report(
    client_for, member_user, published, opinions_staff
):
    report, item, _issue = published()
    services.adoption_record(
        actor=opinions_staff, item=item, level=Level.NATIONAL, national_mode="combined", date=DAY
    )
    response = client_for(member_user).get(reverse("opinions:report_detail", args=[report.pk]))
    text = page_text(response)
    assert response.status_code == 200
    assert str(Level.NATIONAL.label) in text
    assert str(DutyKind.OPINION_ADOPTED_NATIONAL.label) in text
    assert str(DutyKind.OPINION_SUBMITTED.label) in text
    assert item.text in text  # the published edited text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Enter the title of the report."),
        ({"text": ""}, "Enter the text of the report."),
        ({"text": "字" * 1501}, None),
        (
            {"submitter_kind": "group", "group_name": ""},
            "Enter the name of the party or organisation group.",
        ),
    ],
)
def test_bad_drafts_are_answered_in_chinese_and_nothing_is_saved(
    client_for, member_user, change, message
):
    data = {
        "token": str(uuid.uuid4()),
        "title": "标题",
        "text": TEXT,
        "submitter_kind": "member",
        **change,
    }
    response = client_for(member_user).post(reverse("opinions:report_create"), data)
    assert response.status_code == 400
    expected = message and zh(message)
    if expected is None:
        expected = zh(
            "The text has %(count)s characters; at most %(max)s are allowed.", count=1501, max=1500
        )
    assert expected in page_text(response)
    assert not Report.objects.exists()


def test_a_co_submitter_of_another_committee_is_refused_in_the_form(
    client_for, member_user, make_member, other_committee
):
    stranger = make_member("moshengren", committee=other_committee)
    data = {
        "token": str(uuid.uuid4()),
        "title": "标题",
        "text": TEXT,
        "submitter_kind": "member",
        "co_submitters": [stranger.pk],
    }
    response = client_for(member_user).post(reverse("opinions:report_create"), data)
    assert zh("Choose co-submitters among the members of this committee.") in page_text(response)
    assert not Report.objects.exists()


def test_a_member_cannot_see_another_members_draft_or_report(
    client_for, colleague_user, draft, submitted
):
    mine_draft = draft(title="关于他人未报送稿件的建议")
    mine_submitted = submitted(title="已报送")
    client = client_for(colleague_user)
    for report in (mine_draft, mine_submitted):
        assert client.get(reverse("opinions:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("opinions:report_edit", args=[mine_draft.pk])).status_code == 404
    assert client.post(reverse("opinions:report_submit", args=[mine_draft.pk])).status_code == 404
    assert mine_draft.title not in page_text(client.get(reverse("opinions:my_reports")))
    assert Report.objects.get(pk=mine_draft.pk).status == ReportStatus.DRAFT


def test_a_co_submitter_sees_the_draft_but_cannot_change_it(
    client_for, colleague, colleague_user, draft
):
    report = draft(co=(colleague,))
    client = client_for(colleague_user)
    assert client.get(reverse("opinions:report_detail", args=[report.pk])).status_code == 200
    assert client.get(reverse("opinions:report_edit", args=[report.pk])).status_code == 403
    assert client.post(reverse("opinions:report_submit", args=[report.pk])).status_code == 403


def test_staff_do_not_see_drafts(client_for, opinions_staff, draft):
    report = draft()
    client = client_for(opinions_staff)
    assert client.get(reverse("opinions:report_detail", args=[report.pk])).status_code == 404
    assert "关于加快" not in page_text(client.get(reverse("opinions:queue")))


def test_objects_of_another_committee_answer_404(
    client_for, published, make_user, other_committee, member_user
):
    report, item, issue = published()
    elsewhere = make_user(Role.STAFF, other_committee, Area.OPINIONS)
    client = client_for(elsewhere)
    for name, pk in (
        ("opinions:report_detail", report.pk),
        ("opinions:item_detail", item.pk),
        ("opinions:issue_detail", issue.pk),
        ("opinions:issue_print", issue.pk),
        ("opinions:adoption_create", item.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.post(reverse("opinions:report_accept", args=[report.pk])).status_code == 404


def test_pages_refuse_roles_without_the_right(
    client_for, member_user, make_user, committee, published
):
    _report, item, _issue = published()
    member = client_for(member_user)
    for name, args in (
        ("opinions:queue", []),
        ("opinions:item_detail", [item.pk]),
        ("opinions:issue_create", []),
        ("opinions:stats", []),
        ("opinions:settings", []),
        ("opinions:adoption_create", [item.pk]),
    ):
        assert member.get(reverse(name, args=args)).status_code == 403, name
    leader = client_for(make_user(Role.LEADER, committee))
    assert leader.get(reverse("opinions:queue")).status_code == 200
    assert leader.get(reverse("opinions:stats")).status_code == 200
    assert leader.get(reverse("opinions:adoption_create", args=[item.pk])).status_code == 403


def test_party_and_government_leaders_see_only_published_issues_sent_to_them(
    client_for, make_user, committee, published, opinions_staff
):
    _report, _item, sent = published()
    draft_issue = services.issue_create(
        actor=opinions_staff,
        committee=committee,
        kind="journal",
        year=2026,
        date=DAY,
        to_party=True,
    )
    upper_only = services.issue_create(
        actor=opinions_staff,
        committee=committee,
        kind="special",
        year=2026,
        date=DAY,
        to_upper=True,
    )
    client = client_for(make_user(Role.GOV_LEADER, committee))
    listing = page_text(client.get(reverse("opinions:issue_list")))
    assert str(sent) in listing
    assert str(draft_issue) not in listing and str(upper_only) not in listing
    assert client.get(reverse("opinions:issue_print", args=[sent.pk])).status_code == 200
    assert client.get(reverse("opinions:issue_detail", args=[draft_issue.pk])).status_code == 404


# --- Staff ---------------------------------------------------------------------------------


def test_staff_take_a_report_through_editing_and_an_issue_in_the_pages(
    client_for, opinions_staff, submitted, member_user
):
    report = submitted()
    client = client_for(opinions_staff)
    response = client.post(reverse("opinions:report_accept", args=[report.pk]))
    report.refresh_from_db()
    assert response.url == reverse("opinions:item_detail", args=[report.item_id])
    client.post(
        reverse("opinions:item_edit", args=[report.item_id]),
        {"title": "编辑稿标题", "text": "编辑稿正文"},
    )
    client.post(
        reverse("opinions:issue_create"),
        {"kind": "journal", "year": 2026, "date": "2026-06-01", "to_government": "on"},
    )
    issue = Issue.objects.get()
    client.post(reverse("opinions:issue_add_items", args=[issue.pk]), {"items": [report.item_id]})
    client.post(reverse("opinions:issue_publish", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED
    printed = page_text(client.get(reverse("opinions:issue_print", args=[issue.pk])))
    assert "编辑稿正文" in printed and TEXT not in printed
    client.post(
        reverse("opinions:adoption_create", args=[report.item_id]),
        {"level": "provincial", "date": "2026-06-01", "text": "省政协采用"},
    )
    assert DutyRecord.objects.filter(kind=DutyKind.OPINION_ADOPTED_PROVINCIAL).count() == 1
    adoption = Adoption.objects.get()
    client.post(reverse("opinions:adoption_withdraw", args=[adoption.pk]), {"reason": "误录"})
    assert not DutyRecord.objects.filter(
        kind=DutyKind.OPINION_ADOPTED_PROVINCIAL, withdrawn_at__isnull=True
    ).exists()


def test_a_national_adoption_without_its_mode_is_refused_in_chinese(
    client_for, opinions_staff, published
):
    _report, item, _issue = published()
    response = client_for(opinions_staff).post(
        reverse("opinions:adoption_create", args=[item.pk]),
        {"level": "national", "date": "2026-06-01"},
    )
    assert zh("Say whether the national CPPCC adopted it on its own or combined.") in page_text(
        response
    )
    assert not Adoption.objects.exists()


def test_not_used_needs_a_reason(client_for, opinions_staff, submitted):
    report = submitted()
    response = client_for(opinions_staff).post(
        reverse("opinions:report_not_use", args=[report.pk]), {"reason": ""}
    )
    assert zh("Enter the reason.") in page_text(response)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_the_queue_filters_and_exports(client_for, opinions_staff, submitted, colleague):
    submitted(title="甲篇")
    submitted(title="乙篇", author=colleague)
    client = client_for(opinions_staff)
    text = page_text(client.get(reverse("opinions:queue"), {"q": "甲"}))
    assert "甲篇" in text and "乙篇" not in text
    response = client.get(reverse("opinions:queue_export"), {"status": "submitted"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == ["乙篇", "甲篇"]
    assert AuditEvent.objects.filter(action="opinions.queue_export").exists()


def test_year_statistics_count_per_sector_and_submitter_and_export(
    client_for, opinions_staff, published, submitted, colleague, sector_b, make_member
):
    other_sector_member = make_member("jiaoyu", sector=sector_b)
    report, item, _issue = published(co=(colleague,))
    services.adoption_record(
        actor=opinions_staff, item=item, level=Level.NATIONAL, national_mode="single", date=DAY
    )
    services.adoption_record(actor=opinions_staff, item=item, level=Level.CITY, date=DAY)
    services.instruction_record(
        actor=opinions_staff, item=item, level=Level.CITY, leader_title="市长", date=DAY
    )
    submitted(title="另一篇", author=other_sector_member)
    year = report.year
    from lvzhi.opinions import selectors

    totals = selectors.stats_totals(report.committee, year)
    assert totals == {
        "submitted": 2,
        "used": 1,
        "adopted_national": 1,
        "adopted_provincial": 0,
        "adopted_city": 1,
        "adopted_county": 0,
        "instructions": 1,
    }
    by_sector = {
        r["member__sector__name"]: r for r in selectors.stats_by_sector(report.committee, year)
    }
    # The joint report of two members of one sector counts once for the sector.
    assert by_sector[report.author.sector.name]["submitted"] == 1
    assert by_sector[report.author.sector.name]["adopted_national"] == 1
    assert by_sector["教育界"]["submitted"] == 1 and by_sector["教育界"]["used"] == 0
    client = client_for(opinions_staff)
    page = client.get(reverse("opinions:stats"), {"year": year})
    assert page.status_code == 200 and "教育界" in page_text(page)
    export = client.get(reverse("opinions:stats_export"), {"year": year, "by": "member"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values
    )
    assert len(rows) == 4  # header + three submitters
    assert {r[0] for r in rows[1:]} == {
        report.author.person.name,
        colleague.person.name,
        other_sector_member.person.name,
    }


def test_settings_change_the_limit_and_the_categories(client_for, opinions_staff, committee):
    client = client_for(opinions_staff)
    client.post(
        reverse("opinions:settings"), {"max_chars": 800, "categories": "经济发展\n社会民生\n"}
    )
    from lvzhi.opinions.selectors import categories_of, max_chars_of

    assert max_chars_of(committee) == 800
    assert [c.name for c in categories_of(committee)] == ["经济发展", "社会民生"]
    response = client.post(reverse("opinions:settings"), {"max_chars": 5, "categories": ""})
    assert zh("The limit must be between 100 and 10,000 characters.") in page_text(response)
    assert max_chars_of(committee) == 800


def test_attachments_are_served_to_submitters_only(
    client_for, member_user, colleague_user, committee, member
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("材料.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    report = services.report_save_draft(
        actor=member_user,
        committee=committee,
        author=member,
        title="附件",
        text=TEXT,
        uploads=[upload],
    )
    from lvzhi.core.files import attachments_of

    attachment = attachments_of(report).get()
    url = reverse("opinions:attachment_download", args=[report.pk, attachment.pk])
    assert client_for(member_user).get(url).status_code == 200
    assert client_for(colleague_user).get(url).status_code == 404


def test_home_page_shows_the_shortcuts(client_for, member_user, opinions_staff):
    text = page_text(client_for(member_user).get(reverse("home")))
    assert reverse("opinions:my_reports") in text
    text = page_text(client_for(opinions_staff).get(reverse("home")))
    assert reverse("opinions:queue") in text and reverse("opinions:stats") in text


# --- Query counts do not grow with the data ---------------------------------------------------


def _queries(client, url, params=None) -> int:
    return page_queries(client, f"{url}?{urlencode(params or {})}")


def _fill(n, submitted, opinions_staff, committee, colleague, make_member, offset):
    for i in range(n):
        extra = make_member(f"m{offset}-{i}")
        (report,) = [submitted(title=f"信息{offset}-{i}", co=(colleague, extra))]
        item = services.report_accept(actor=opinions_staff, report=report)
        issue = services.issue_create(
            actor=opinions_staff,
            committee=committee,
            kind="journal",
            year=2026,
            date=DAY,
            to_party=True,
        )
        services.issue_add_items(actor=opinions_staff, issue=issue, items=[item])
        services.issue_publish(actor=opinions_staff, issue=issue)
        services.adoption_record(actor=opinions_staff, item=item, level=Level.CITY, date=DAY)


def test_list_pages_take_the_same_number_of_queries_for_n_and_3n_rows(
    client_for, opinions_staff, submitted, committee, colleague, make_member, member_user, make_user
):
    leader = make_user(Role.LEADER, committee)
    pages = [
        (opinions_staff, reverse("opinions:queue"), None),
        (opinions_staff, reverse("opinions:issue_list"), None),
        (opinions_staff, reverse("opinions:item_list"), None),
        (opinions_staff, reverse("opinions:stats"), None),
        (leader, reverse("opinions:queue"), {"q": "信息"}),
        (member_user, reverse("opinions:my_reports"), None),
    ]
    _fill(2, submitted, opinions_staff, committee, colleague, make_member, 0)
    # Items in editing (the item list shows those not yet published).
    services.report_accept(actor=opinions_staff, report=submitted(title="待编", co=(colleague,)))
    few = [_queries(client_for(user), url, params) for user, url, params in pages]
    _fill(4, submitted, opinions_staff, committee, colleague, make_member, 1)
    services.report_accept(actor=opinions_staff, report=submitted(title="待编2", co=(colleague,)))
    services.report_accept(actor=opinions_staff, report=submitted(title="待编3", co=(colleague,)))
    many = [_queries(client_for(user), url, params) for user, url, params in pages]
    assert few == many
    assert max(many) <= 15
