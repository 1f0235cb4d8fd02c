"""The pages: who sees what (permission matrix), tenancy (404 for another
committee), bad input leaves nothing changed, attachments behind a permission
check, exports, and query counts that do not grow with the data."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Attachment, AuditEvent
from lvzhi.core.testing import page_queries
from lvzhi.proposals import services
from lvzhi.proposals.models import Assignment, CoSigner, Proposal, Reply
from lvzhi.proposals.tests.conftest import (
    World,
    assigned,
    draft,
    lead_assignment,
    registered,
    replied,
    submitted,
)

S = Proposal.Status
PDF = b"%PDF-1.4\n%test\n" + b"0" * 100


def client_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, *args: Any) -> str:
    return reverse(f"proposals:{name}", args=args)


# --- Permission matrix ----------------------------------------------------------------

PAGES = [
    "mine",
    "create",
    "cosign_inbox",
    "list",
    "review",
    "export",
    "stats",
    "export_stats",
    "unit_inbox",
    "supervision",
    "excellent",
    "requests",
]
# Which role reaches which page (200); the others get 403.
ALLOWED = {
    "proposer": {"mine", "create", "cosign_inbox", "excellent"},
    "staff": {
        "list",
        "review",
        "export",
        "stats",
        "export_stats",
        "supervision",
        "excellent",
        "requests",
    },
    "leader": {"list", "export", "stats", "export_stats", "supervision", "excellent"},
    "lead_user": {"unit_inbox"},
}


@pytest.mark.parametrize("role", list(ALLOWED))
def test_permission_matrix_of_the_list_pages(world: World, role: str) -> None:
    user = world.proposer_user if role == "proposer" else getattr(world, role)
    client = client_as(user)
    for page in PAGES:
        response = client.get(url(page))
        expected = 200 if page in ALLOWED[role] else 403
        assert response.status_code == expected, (role, page, response.status_code)


def _visible(world: World, user: Any, proposal: Proposal) -> bool:
    response = client_as(user).get(url("detail", proposal.pk))
    assert response.status_code in (200, 404)
    return response.status_code == 200


def test_who_sees_a_proposal_detail(world: World) -> None:
    private = draft(world, kind="joint", cosigners=[world.cosigner])
    assert _visible(world, world.proposer_user, private)
    assert _visible(world, world.cosigner_user, private)  # invited: must read it to answer
    for user in (world.cosigner2_user, world.staff, world.leader, world.lead_user):
        assert not _visible(world, user, private)  # drafts are private
    proposal = assigned(world)
    for user in (world.proposer_user, world.staff, world.leader, world.lead_user, world.co_user):
        assert _visible(world, user, proposal)
    for user in (world.other_unit_user, world.cosigner2_user, world.other_staff):
        assert not _visible(world, user, proposal)


def test_another_committees_proposal_answers_404(world: World) -> None:
    proposal = submitted(world)
    client = client_as(world.other_staff)
    assert client.get(url("detail", proposal.pk)).status_code == 404
    response = client.post(url("register", proposal.pk))
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED


def test_a_wrong_unit_cannot_post_to_an_assignment(world: World) -> None:
    proposal = assigned(world)
    a = lead_assignment(proposal)
    response = client_as(world.other_unit_user).post(url("accept", a.pk))
    assert response.status_code == 404
    a.refresh_from_db()
    assert a.accepted_on is None


def test_a_member_cannot_register_through_the_page(world: World) -> None:
    proposal = submitted(world)
    response = client_as(world.proposer_user).post(url("register", proposal.pk), follow=True)
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED and proposal.number is None
    assert "只有提案工作机构可以进行此操作" in response.content.decode()


# --- The pages each role uses -----------------------------------------------------------


def test_member_creates_saves_and_submits_a_draft(world: World) -> None:
    client = client_as(world.proposer_user)
    page = client.get(url("create"))
    token = page.context["form"].initial["token"]
    data = {
        "title": "关于完善社区养老服务的建议",
        "category": world.category.pk,
        "kind": "individual",
        "reason": "老龄化程度加深。",
        "suggestions": "建设社区食堂。",
        "token": str(token),
        "save": "1",
    }
    first = client.post(url("create"), data)
    second = client.post(url("create"), data)  # double click
    assert Proposal.objects.count() == 1
    proposal = Proposal.objects.get()
    assert first["Location"] == second["Location"] == url("detail", proposal.pk)
    assert proposal.status == S.DRAFT
    response = client.post(url("edit", proposal.pk), {**data, "submit": "1"}, follow=True)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert "提交" in response.content.decode() or "submitted" in response.content.decode()


def test_autosave_of_a_draft_answers_204(world: World) -> None:
    proposal = draft(world)
    response = client_as(world.proposer_user).post(
        url("edit", proposal.pk),
        {"title": "自动保存的标题", "kind": "individual", "autosave": "1", "save": "1"},
    )
    assert response.status_code == 204
    proposal.refresh_from_db()
    assert proposal.title == "自动保存的标题"


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("title", "长" * 101), ("reason", "长" * 10_001), ("kind", "bogus")],
)
def test_bad_draft_input_is_refused_in_chinese(world: World, field: str, value: str) -> None:
    client = client_as(world.proposer_user)
    data = {"title": "标题", "kind": "individual", "reason": "", "suggestions": "", field: value}
    response = client.post(url("create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    text = " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    assert not Proposal.objects.exists()


def test_a_co_signer_from_another_committee_is_refused(world: World) -> None:
    response = client_as(world.proposer_user).post(
        url("create"),
        {"title": "联名提案", "kind": "joint", "cosigners": [world.other_member.pk], "save": "1"},
    )
    assert response.status_code == 200
    assert "cosigners" in response.context["form"].errors
    assert not Proposal.objects.exists() and not CoSigner.objects.exists()


def test_attachments_of_a_forbidden_type_or_too_big_are_refused(world: World, settings: Any):
    client = client_as(world.proposer_user)
    base = {"title": "带附件的提案", "kind": "individual", "save": "1"}
    exe = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"0" * 100)
    response = client.post(url("create"), {**base, "attachment": exe})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
    settings.UPLOAD_MAX_BYTES = 50
    big = SimpleUploadedFile("big.pdf", PDF)
    response = client.post(url("create"), {**base, "attachment": big})
    assert "MB" in " ".join(response.context["form"].non_field_errors())
    assert not Proposal.objects.exists()


def test_attachment_download_checks_the_permission(world: World) -> None:
    proposal = draft(world, attachments=[SimpleUploadedFile("说明.pdf", PDF)])
    attachment = Attachment.objects.get()
    assert client_as(world.proposer_user).get(url("attachment", attachment.pk)).status_code == 200
    assert client_as(world.staff).get(url("attachment", attachment.pk)).status_code == 404
    assert client_as(world.other_staff).get(url("attachment", attachment.pk)).status_code == 404
    services.proposal_submit(actor=world.proposer_user, proposal=proposal)
    assert client_as(world.staff).get(url("attachment", attachment.pk)).status_code == 200


def test_office_registers_assigns_through_the_pages(world: World) -> None:
    proposal = submitted(world)
    client = client_as(world.staff)
    assert world.staff and client.get(url("detail", proposal.pk)).status_code == 200
    client.post(url("register", proposal.pk))
    proposal.refresh_from_db()
    assert proposal.status == S.REGISTERED and proposal.number == 1
    page = client.get(url("detail", proposal.pk)).content.decode()
    assert "第0001号" in page
    client.post(
        url("assign", proposal.pk),
        {"lead": world.lead_unit.pk, "co_units": [world.co_unit.pk]},
    )
    proposal.refresh_from_db()
    assert proposal.status == S.ASSIGNED
    assert Assignment.objects.filter(proposal=proposal).count() == 2


def test_unit_replies_and_a_reply_without_class_is_refused(world: World) -> None:
    proposal = assigned(world)
    a = lead_assignment(proposal)
    client = client_as(world.lead_user)
    client.post(url("accept", a.pk))
    client.post(
        url("precontact", a.pk),
        {"date": timezone.localdate().isoformat(), "way": "phone", "summary": "已沟通"},
    )
    response = client.post(
        url("reply", a.pk),
        {"text": "答复内容", "reply_class": ""},
        follow=True,
    )
    assert not Reply.objects.exists()
    assert "必填" in response.content.decode() or "required" in response.content.decode()
    letter = SimpleUploadedFile("答复函.pdf", PDF)
    client.post(
        url("reply", a.pk),
        {"text": "答复内容", "reply_class": "A", "letter": letter},
    )
    proposal.refresh_from_db()
    assert proposal.status == S.REPLIED
    reply = Reply.objects.get()
    letter_row = Attachment.objects.get(purpose=services.LETTER_PURPOSE)
    assert client_as(world.proposer_user).get(url("attachment", letter_row.pk)).status_code == 200
    assert client_as(world.other_unit_user).get(url("attachment", letter_row.pk)).status_code == 404
    assert client.get(url("print_reply", reply.pk)).status_code == 200


def test_member_evaluates_through_the_page(world: World) -> None:
    proposal = replied(world)
    client = client_as(world.proposer_user)
    page = client.get(url("detail", proposal.pk))
    assert "evaluation_form" in page.context
    client.post(
        url("evaluate", proposal.pk),
        {"contact": "satisfied", "attitude": "satisfied", "result": "satisfied"},
    )
    proposal.refresh_from_db()
    assert proposal.status == S.EVALUATED


def test_unit_inbox_shows_only_the_units_own_assignments(world: World) -> None:
    mine = assigned(world, title="教育局的提案")
    other = registered(world, title="公安局的提案")
    services.proposal_assign(actor=world.staff, proposal=other, lead=world.other_unit)
    page = client_as(world.lead_user).get(url("unit_inbox")).content.decode()
    assert mine.title in page and other.title not in page
    assert "deadline-mark" in page


def test_supervision_board_lists_overdue_assignments(world: World) -> None:
    import datetime as dt

    proposal = registered(world, title="超期的提案")
    services.proposal_assign(
        actor=world.staff,
        proposal=proposal,
        lead=world.lead_unit,
        today=timezone.localdate() - dt.timedelta(days=120),
    )
    calm = registered(world, title="刚交办的提案")
    services.proposal_assign(actor=world.staff, proposal=calm, lead=world.lead_unit)
    page = client_as(world.leader).get(url("supervision")).content.decode()
    assert "超期的提案" in page and "刚交办的提案" not in page
    assert "text-bg-danger" in page


def test_supervision_board_shows_key_proposals_whatever_their_due_date_and_mine(
    world: World,
) -> None:
    from lvzhi.proposals.tests.conftest import make_role_user

    other_leader = make_role_user(world.committee, "p-city-leader2", "leader")
    mine = registered(world, title="我督办的重点提案")
    services.proposal_assign(actor=world.staff, proposal=mine, lead=world.lead_unit)
    services.proposal_mark_key(actor=world.leader, proposal=mine, supervisor=world.leader)
    theirs = registered(world, title="他人督办的重点提案")
    services.proposal_assign(actor=world.staff, proposal=theirs, lead=world.lead_unit)
    services.proposal_mark_key(actor=world.leader, proposal=theirs, supervisor=other_leader)
    calm = registered(world, title="刚交办的普通提案")
    services.proposal_assign(actor=world.staff, proposal=calm, lead=world.lead_unit)
    client = client_as(world.leader)
    page = client.get(url("supervision")).content.decode()
    assert "我督办的重点提案" in page and "他人督办的重点提案" in page
    assert "刚交办的普通提案" not in page
    page = client.get(url("supervision") + "?mine=on").content.decode()
    assert "我督办的重点提案" in page and "他人督办的重点提案" not in page
    page = client_as(other_leader).get(url("supervision") + "?mine=on").content.decode()
    assert "我督办的重点提案" not in page and "他人督办的重点提案" in page


def test_list_export_is_filtered_and_audited(world: World) -> None:
    submitted(world, title='=HYPERLINK("x")')
    registered(world, title="正常标题")
    response = client_as(world.staff).get(url("export") + "?status=registered")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.values)
    assert len(rows) == 2 and rows[1][2] == "正常标题"
    response = client_as(world.staff).get(url("export"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    titles = [r[2] for r in book.active.values]
    assert '\'=HYPERLINK("x")' in titles
    assert AuditEvent.objects.filter(action="proposal.export").count() == 2


def test_unit_statistics_count_on_time_classes_and_satisfaction(world: World) -> None:
    proposal = replied(world, reply_class="A")
    services.proposal_evaluate(
        actor=world.proposer_user,
        proposal=proposal,
        contact="satisfied",
        attitude="satisfied",
        result="satisfied",
    )
    response = client_as(world.staff).get(url("stats"))
    rows = {r["unit__name"]: r for r in response.context["rows"]}
    lead = rows["测试市教育局"]
    assert (lead["total"], lead["replied"], lead["on_time"]) == (1, 1, 1)
    assert lead["classes"][0]["share"] == 100.0 and lead["satisfaction_rate"] == 100.0
    assert (lead["solved"], lead["solved_rate"]) == (1, 100.0)
    co = rows["测试市财政局"]  # the co-unit's part ended with the lead's reply
    assert (co["replied"], co["classes"][0]["share"], co["satisfaction_rate"]) == (1, None, None)
    export = client_as(world.leader).get(url("export_stats"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert len(list(book.active.values)) == 3


def test_excellent_list_is_visible_to_members_once_published(world: World) -> None:
    proposal = registered(world, title="优秀的提案")
    year = timezone.localdate().year
    client_as(world.staff).post(
        url("select_excellent", proposal.pk), {"year": year, "selected": "1"}
    )
    member_page = client_as(world.cosigner_user).get(url("excellent") + f"?year={year}")
    assert "优秀的提案" not in member_page.content.decode()
    client_as(world.staff).post(url("excellent_publish"), {"year": year})
    member_page = client_as(world.cosigner_user).get(url("excellent") + f"?year={year}")
    assert "优秀的提案" in member_page.content.decode()


def test_print_pages_render(world: World) -> None:
    proposal = submitted(world)
    response = client_as(world.proposer_user).get(url("print", proposal.pk))
    assert response.status_code == 200 and "print-sheet" in response.content.decode()


def test_every_role_sees_its_detail_panels(world: World) -> None:
    proposal = assigned(world)
    assert "office-panel" in client_as(world.staff).get(url("detail", proposal.pk)).content.decode()
    assert (
        "leader-panel" in client_as(world.leader).get(url("detail", proposal.pk)).content.decode()
    )
    unit_page = client_as(world.lead_user).get(url("detail", proposal.pk)).content.decode()
    assert "unit-panel" in unit_page and "office-panel" not in unit_page
    co_page = client_as(world.co_user).get(url("detail", proposal.pk)).content.decode()
    assert "opinion-form" in co_page and "reply-form" not in co_page


# --- Query counts do not grow with the data ---------------------------------------------


def _bulk(world: World, n: int) -> None:
    """n proposals in varied states, with assignments for the handling ones."""
    now = timezone.now()
    today = timezone.localdate()
    states = [S.SUBMITTED, S.REGISTERED, S.ASSIGNED, S.REPLIED, S.CLOSED]
    start = Proposal.objects.count()
    rows = [
        Proposal(
            committee=world.committee,
            term=world.term,
            title=f"批量提案{start + i}",
            category=world.category,
            kind="individual",
            reason="r",
            suggestions="s",
            proposer=world.proposer,
            status=states[i % len(states)],
            submitted_at=now,
            number=start + i + 1,
            registered_at=now,
        )
        for i in range(n)
    ]
    Proposal.objects.bulk_create(rows, batch_size=500)
    created = Proposal.objects.filter(committee=world.committee, status=S.ASSIGNED)
    deadlines = {"reassignment_due": today, "precontact_due": today, "reply_due": today}
    Assignment.objects.bulk_create(
        [
            Assignment(
                committee=world.committee,
                proposal=p,
                unit=world.lead_unit,
                role="lead",
                assigned_on=today,
                **deadlines,
            )
            for p in created.exclude(assignments__isnull=False)
        ],
        batch_size=500,
    )


LIST_PAGES = [
    ("proposer", "mine", ""),
    ("staff", "list", ""),
    ("staff", "list", "?status=assigned&q=批量&year=2026"),
    ("staff", "review", ""),
    ("lead_user", "unit_inbox", ""),
    ("leader", "supervision", ""),
    ("staff", "stats", ""),
    ("staff", "excellent", ""),
    ("proposer", "cosign_inbox", ""),
]


def _count(client: Client, path: str) -> int:
    return page_queries(client, path)


def test_list_pages_query_counts_do_not_grow_from_20_to_150(world: World) -> None:
    """Below the page size (25) and above it, for the whole list and for each
    state's fifth of it (DESIGN §7)."""
    clients = {
        "proposer": client_as(world.proposer_user),
        "staff": client_as(world.staff),
        "lead_user": client_as(world.lead_user),
        "leader": client_as(world.leader),
    }
    _bulk(world, 20)
    small = {(r, p, q): _count(clients[r], url(p) + q) for r, p, q in LIST_PAGES}
    _bulk(world, 130)
    assert Proposal.objects.count() == 150
    large = {(r, p, q): _count(clients[r], url(p) + q) for r, p, q in LIST_PAGES}
    assert small == large
    assert max(large.values()) <= 15, large


def test_home_page_and_menu_offer_the_proposal_pages_per_role(world: World) -> None:
    pages = {
        world.proposer_user: url("mine"),
        world.staff: url("review"),
        world.lead_user: url("unit_inbox"),
        world.leader: url("supervision"),
    }
    for user, link in pages.items():
        home = client_as(user).get(reverse("home")).content.decode()
        assert f'href="{link}"' in home, user


@pytest.mark.parametrize(
    "letter",
    [
        SimpleUploadedFile("答复函.exe", b"MZ\x90\x00not a letter at all"),
        SimpleUploadedFile("答复函.pdf", b""),
    ],
    ids=["refused kind", "empty file"],
)
def test_the_reply_text_survives_a_refused_attachment(world: World, letter: Any) -> None:
    proposal = assigned(world)
    a = lead_assignment(proposal)
    client = client_as(world.lead_user)
    client.post(url("accept", a.pk))
    client.post(
        url("precontact", a.pk),
        {"date": timezone.localdate().isoformat(), "way": "phone", "summary": "已沟通"},
    )
    text = "经研究，我局将于年内增设潮汐车道三处，并协调交警部门增派警力。"
    response = client.post(url("reply", a.pk), {"text": text, "reply_class": "A", "letter": letter})
    assert response.status_code == 400
    body = response.content.decode()
    assert text in body
    assert 'value="A" selected' in body
    assert not Reply.objects.exists() and not Attachment.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == S.IN_HANDLING
    # Sent again with a proper letter, the same text goes through.
    response = client.post(
        url("reply", a.pk),
        {"text": text, "reply_class": "A", "letter": SimpleUploadedFile("答复函.pdf", PDF)},
    )
    assert response.status_code == 302
    assert Reply.objects.get().text == text


def test_only_the_replying_unit_opens_the_reply_page(world: World) -> None:
    proposal = assigned(world)
    a = lead_assignment(proposal)
    assert client_as(world.lead_user).get(url("reply", a.pk)).status_code == 200
    for outsider in (world.co_user, world.other_unit_user, world.proposer_user, world.staff):
        assert client_as(outsider).get(url("reply", a.pk)).status_code == 404
