"""Staff change a consultation or a topic after creation (issue 12): a plain
audited edit at the first step, a correction past it (reason required,
original kept and shown); members, other staff and other committees are
refused and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.consultations import audit, services
from lvzhi.consultations.models import Consultation, Topic, TopicSource
from lvzhi.core.corrections import corrections_of
from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, Correction
from lvzhi.org.tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def data_of(consultation: Consultation, **changes):
    data = {
        "title": consultation.title,
        "description": consultation.description,
        "meeting_date": consultation.meeting_date,
        "venue": consultation.venue,
        "first_convener": consultation.first_convener,
        "department": consultation.department,
        "sector": consultation.sector,
        "sector_cluster": consultation.sector_cluster,
        "proposal_reference": consultation.proposal_reference,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
    }
    return data | changes


@pytest.fixture
def topic(cstaff, committee):
    return services.topic_create(
        actor=cstaff,
        committee=committee,
        year=2026,
        source=TopicSource.OFFICE,
        title="养老服务体系建设",
        rationale="老龄化加快",
    )


def test_a_consultation_at_its_first_step_is_edited_plainly(make_consultation, cstaff):
    consultation = make_consultation()
    services.consultation_update(
        actor=cstaff, consultation=consultation, data=data_of(consultation, venue="二楼会议室")
    )
    consultation.refresh_from_db()
    assert consultation.venue == "二楼会议室"
    assert not corrections_of(consultation).exists()
    row = AuditEvent.objects.get(action=audit.CONSULTATION_CHANGE)
    assert row.detail["changes"]["venue"]["after"] == "二楼会议室"


def test_past_its_first_step_a_change_is_a_correction_keeping_the_original(
    make_consultation, cstaff
):
    consultation = make_consultation(venue="一楼大厅")
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    consultation.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.consultation_update(
            actor=cstaff, consultation=consultation, data=data_of(consultation, venue="三楼")
        )
    consultation.refresh_from_db()
    assert consultation.venue == "一楼大厅"
    assert not Correction.objects.exists()

    services.consultation_update(
        actor=cstaff,
        consultation=consultation,
        data=data_of(consultation, venue="三楼", meeting_date=dt.date(2026, 6, 1)),
        reason="场地调整",
    )
    consultation.refresh_from_db()
    assert (consultation.venue, consultation.meeting_date) == ("三楼", dt.date(2026, 6, 1))
    by_field = {c.field: c for c in corrections_of(consultation)}
    assert by_field["venue"].original == "一楼大厅"
    assert by_field["meeting_date"].original == "2026-05-20"
    assert AuditEvent.objects.get(action=audit.CONSULTATION_CORRECT).detail["reason"] == "场地调整"


def test_a_changed_consultation_still_needs_its_formats_particulars(make_consultation, cstaff):
    from lvzhi.consultations.models import ConsultationFormat

    consultation = make_consultation(ConsultationFormat.COUNTERPART)
    with pytest.raises(ValidationFailed):
        services.consultation_update(
            actor=cstaff, consultation=consultation, data=data_of(consultation, department=None)
        )
    with pytest.raises(ValidationFailed):
        services.consultation_update(
            actor=cstaff, consultation=consultation, data=data_of(consultation, title="  ")
        )
    with pytest.raises(ValidationFailed):  # nothing changed
        services.consultation_update(
            actor=cstaff, consultation=consultation, data=data_of(consultation)
        )
    consultation.refresh_from_db()
    assert consultation.department is not None
    assert not AuditEvent.objects.filter(action=audit.CONSULTATION_CHANGE).exists()


def test_a_topic_is_edited_then_corrected_once_decided(topic, cstaff, committee):
    data = {"title": "养老服务体系", "rationale": "老龄化加快", "proposer_name": "政协办公室"}
    services.topic_update(actor=cstaff, topic=topic, data=data)
    topic.refresh_from_db()
    assert topic.title == "养老服务体系"
    assert AuditEvent.objects.filter(action=audit.TOPIC_CHANGE).count() == 1
    services.topic_shortlist(actor=cstaff, topic=topic)
    topic.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.topic_update(actor=cstaff, topic=topic, data=data | {"title": "改"})
    services.topic_update(
        actor=cstaff, topic=topic, data=data | {"rationale": "补充数据"}, reason="补充理由"
    )
    topic.refresh_from_db()
    (correction,) = corrections_of(topic)
    assert (correction.original, correction.corrected) == ("老龄化加快", "补充数据")
    assert topic.status == Topic.Status.SHORTLISTED


def test_refused_roles_change_nothing(make_consultation, topic, committee, make_user, member):
    consultation = make_consultation()
    other_staff = make_user(Role.STAFF, committee, Area.DUTIES)
    for actor in (member.person.user, other_staff):
        with pytest.raises(PermissionDenied):
            services.consultation_update(
                actor=actor, consultation=consultation, data=data_of(consultation, venue="X")
            )
        with pytest.raises(PermissionDenied):
            services.topic_update(
                actor=actor, topic=topic, data={"title": "X", "rationale": "Y", "proposer_name": ""}
            )
    consultation.refresh_from_db()
    topic.refresh_from_db()
    assert consultation.venue == "" and topic.title == "养老服务体系建设"


def test_the_pages_edit_correct_and_show_the_original(client, make_consultation, cstaff):
    consultation = make_consultation(venue="一楼大厅")
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    client.force_login(cstaff)
    detail = reverse("consultations:consultation_detail", args=[consultation.pk])
    url = reverse("consultations:consultation_edit", args=[consultation.pk])
    assert url in client.get(detail).content.decode()
    page = client.get(url).content.decode()
    assert "一楼大厅" in page
    post = {"title": consultation.title, "meeting_date": "2026-05-20", "venue": "三楼"}
    response = client.post(url, post)
    assert response.status_code == 400
    assert "三楼" in response.content.decode()  # what was typed is kept
    response = client.post(url, post | {"reason": "场地调整"})
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "<del>一楼大厅</del>" in page and "场地调整" in page


def test_refused_roles_on_the_pages(client, make_consultation, topic, committee, make_user, member):
    consultation = make_consultation()
    urls = [
        reverse("consultations:consultation_edit", args=[consultation.pk]),
        reverse("consultations:topic_edit", args=[topic.pk]),
    ]
    for user in (member.person.user, make_user(Role.STAFF, committee, Area.DUTIES)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (403, 404)
            assert client.post(url, {"title": "X", "rationale": "Y"}).status_code in (403, 404)
    elsewhere = CommitteeFactory(code="elsewhere")
    client.force_login(make_user(Role.STAFF, elsewhere, Area.CONSULTATIONS))
    for url in urls:
        assert client.get(url).status_code == 404
    consultation.refresh_from_db()
    topic.refresh_from_db()
    assert consultation.venue == "" and topic.title == "养老服务体系建设"


def test_the_topic_page_edits_and_lists_the_link(client, topic, cstaff):
    client.force_login(cstaff)
    url = reverse("consultations:topic_edit", args=[topic.pk])
    assert url in client.get(reverse("consultations:topic_list")).content.decode()
    response = client.post(url, {"title": "养老服务", "rationale": "老龄化加快"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "养老服务"


def test_a_corrected_time_reads_as_local_time(make_consultation, cstaff):
    from django.utils import timezone

    from lvzhi.consultations.models import ConsultationFormat

    consultation = make_consultation(ConsultationFormat.ONLINE)
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    consultation.refresh_from_db()
    original = consultation.closes_at
    services.consultation_update(
        actor=cstaff,
        consultation=consultation,
        data=data_of(consultation, closes_at=original + dt.timedelta(days=2)),
        reason="延长议政时间",
    )
    (correction,) = corrections_of(consultation)
    assert correction.original == timezone.localtime(original).strftime("%Y-%m-%d %H:%M")
