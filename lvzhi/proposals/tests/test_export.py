"""The office's proposal export: what staff need in the sheet, in a fixed
number of queries, and past the threshold as a background job."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.test import Client
from django.urls import reverse

from lvzhi.core.exports import export_job_write
from lvzhi.core.models import ExportJob
from lvzhi.core.testing import assert_same_queries, page_queries
from lvzhi.proposals import services
from lvzhi.proposals.models import CoSigner
from lvzhi.proposals.tests.conftest import World, registered, replied

EXPORT_URL = reverse("proposals:export")


def client_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet(response: Any) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.values)


def test_the_sheet_carries_units_lead_first_deadline_class_satisfaction_and_cosigners(
    world: World,
) -> None:
    proposal = replied(world, reply_class="A")
    CoSigner.objects.create(proposal=proposal, member=world.cosigner, state="confirmed")
    services.proposal_evaluate(
        actor=world.proposer_user,
        proposal=proposal,
        contact="satisfied",
        attitude="satisfied",
        result="basic",
    )
    header, row = sheet(client_as(world.staff).get(EXPORT_URL))
    values = dict(zip(header, row, strict=True))
    lead, co = world.lead_unit.name, world.co_unit.name
    assert values["承办单位"].index(lead) < values["承办单位"].index(co)
    assert values["附议人"] == world.cosigner.person.name
    assert values["类别"].startswith("A类")
    assert "基本满意" in values["满意度"]
    assert values["答复期限"] is not None


def test_the_export_takes_as_many_queries_for_3n_proposals_as_for_n(world: World) -> None:
    client = client_as(world.staff)

    def build(n: int) -> None:
        for i in range(n):
            replied(world, title=f"第{i}件关于交通的建议")

    assert_same_queries(build, lambda: page_queries(client, EXPORT_URL), n=2)


def test_past_the_threshold_the_export_becomes_a_job_with_a_download(world: World, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    registered(world, title="第一件")
    registered(world, title="第二件")
    client = client_as(world.staff)
    response = client.get(EXPORT_URL + "?status=registered")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/exports/{job.pk}/")
    assert (job.status, job.rows_total, job.params) == ("queued", 2, {"status": ["registered"]})
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "排队" in page

    export_job_write(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.percent) == ("done", 2, 100)
    notice = world.staff.notifications.get(url=reverse("core:export_job", args=[job.pk]))
    assert job.title in notice.title
    download = client.get(reverse("core:export_download", args=[job.pk]))
    assert [r[2] for r in sheet(download)[1:]] == ["第二件", "第一件"]
    # The job is its requester's alone; a second run of it does nothing.
    assert client_as(world.leader).get(response["Location"]).status_code == 404
    assert export_job_write(str(job.pk)) is None


def test_a_job_whose_requester_lost_the_permission_fails_with_a_reason(world: World, settings):
    settings.EXPORT_BACKGROUND_ROWS = 0
    registered(world)
    client_as(world.staff).get(EXPORT_URL)
    job = ExportJob.objects.get()
    world.staff.role_assignments.all().delete()
    export_job_write(str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed" and not job.file
    assert job.error == "您已无权导出此列表。"
