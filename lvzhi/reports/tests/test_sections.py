"""The opinions, consultations and public-channel figures equal a recount of
known rows, and each linked figure's list shows that many rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lvzhi.accounts.models import Area
from lvzhi.consultations.models import Consultation, ConsultationFormat, OutcomeItem
from lvzhi.opinions.models import Report, ReportStatus
from lvzhi.public.models import Message
from lvzhi.public.tests.factories import VenueFactory
from lvzhi.reports.figures import consultations, opinions, public
from lvzhi.reports.figures.base import Section
from lvzhi.reports.period import year_period
from lvzhi.reports.tests.conftest import YEAR, Known, at

pytestmark = pytest.mark.django_db


def figures_of(section: Section) -> dict[str, Any]:
    return {f.key: f.value for f in section.figures}


def links_match(client: Any, section: Section) -> None:
    for figure in section.figures:
        if figure.url:
            page = client.get(figure.url)
            assert page.status_code == 200, figure.url
            assert page.context["page_obj"].paginator.count == figure.value, figure.key


def test_opinion_figures_equal_a_recount(known: Known, client_for: Any, staff_of: Any) -> None:
    for index, status in enumerate([ReportStatus.USED, ReportStatus.SUBMITTED, ReportStatus.DRAFT]):
        Report.objects.create(
            committee=known.committee,
            title=f"社情民意{index}",
            author=known.member,
            status=status,
            submitted_at=None if status == ReportStatus.DRAFT else at(dt.date(YEAR, 3, 1 + index)),
        )
    Report.objects.create(
        committee=known.committee,
        title="去年",
        author=known.member,
        status=ReportStatus.USED,
        submitted_at=at(dt.date(YEAR - 1, 3, 1)),
    )
    section = opinions.section(known.committee, year_period(YEAR))
    assert figures_of(section) == {"submitted": 2, "used": 1, "adopted": 0, "instructed": 0}
    links_match(client_for(staff_of(Area.OPINIONS)), Section("o", "", section.figures[:2]))


def test_consultation_figures_equal_a_recount(known: Known, client_for: Any, staff_of: Any) -> None:
    held = [
        Consultation.objects.create(
            committee=known.committee,
            year=YEAR,
            title=f"协商{n}",
            format=fmt,
            meeting_date=dt.date(YEAR, 5, n + 1),
        )
        for n, fmt in enumerate(
            [ConsultationFormat.ONLINE, ConsultationFormat.ONLINE, ConsultationFormat.SECTOR]
        )
    ]
    Consultation.objects.create(
        committee=known.committee,
        year=YEAR - 1,
        title="去年",
        format="online",
        meeting_date=dt.date(YEAR - 1, 5, 1),
    )
    sent = at(dt.date(YEAR, 6, 1))
    OutcomeItem.objects.create(
        committee=known.committee,
        consultation=held[0],
        number=1,
        text="建议一",
        sent_at=sent,
        feedback_deadline=dt.date(YEAR, 7, 1),
        feedback_at=at(dt.date(YEAR, 6, 20)),
    )
    OutcomeItem.objects.create(
        committee=known.committee,
        consultation=held[0],
        number=2,
        text="建议二",
        sent_at=sent,
        feedback_deadline=dt.date(YEAR, 7, 1),
        feedback_at=at(dt.date(YEAR, 7, 20)),
    )
    section = consultations.section(known.committee, year_period(YEAR))
    n = figures_of(section)
    assert (n["held"], n["outcomes_sent"], n["feedback_on_time_rate"], n["reviewed"]) == (
        3,
        2,
        50.0,
        0,
    )
    assert dict(section.tables[0].plain_rows())[ConsultationFormat.ONLINE.label] == 2
    links_match(client_for(staff_of(Area.CONSULTATIONS)), section)


def test_public_figures_equal_a_recount(known: Known, client_for: Any, staff_of: Any) -> None:
    venue = VenueFactory(committee=known.committee)
    rows = [
        # (replied on, deadline, rating)
        (dt.date(YEAR, 2, 3), dt.date(YEAR, 2, 5), Message.Rating.SATISFIED),
        (dt.date(YEAR, 2, 9), dt.date(YEAR, 2, 5), Message.Rating.UNSATISFIED),
        (None, dt.date(YEAR, 2, 5), ""),
    ]
    for index, (replied, deadline, rating) in enumerate(rows):
        message = Message.objects.create(
            committee=known.committee,
            venue=venue,
            category=Message.Category.SUGGESTION,
            text="留言",
            tracking_hash=f"t{index}",
            form_token=f"f{index}",
            status=Message.Status.REPLIED if replied else Message.Status.RECEIVED,
            deadline=deadline,
            replied_at=at(replied) if replied else None,
            rating=rating,
        )
        Message.objects.filter(pk=message.pk).update(created_at=at(dt.date(YEAR, 2, 1)))
    section = public.section(known.committee, year_period(YEAR))
    assert figures_of(section) == {
        "messages": 3,
        "replied": 2,
        "on_time_rate": 50.0,
        "satisfaction_rate": 50.0,
    }
    links_match(client_for(staff_of(Area.PUBLIC)), section)
