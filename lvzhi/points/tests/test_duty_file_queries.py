"""The duty file costs at most 15 queries (DESIGN §7), whatever the year
holds, also as staff, whose view of a member's file writes its audit row and
seals it into the hash chain (DESIGN §5/§9)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.core.models import AuditEvent, AuditSeal
from lvzhi.core.testing import assert_same_queries, page_queries
from lvzhi.duties.models import DutyKind as K
from lvzhi.duties.models import DutyProject, DutyProjectLink, Invitation
from lvzhi.org.models import Member
from lvzhi.points.tests.helpers import YEAR, active_default_policy, open_assessment, record, source

_made = count()


def _year_of(member: Member) -> Callable[[int], None]:
    def add(n: int) -> None:
        for _ in range(n):
            i = next(_made)
            record(member, K.RESEARCH)
            record(member, K.STUDY_NOTE)
            Invitation.objects.create(
                committee_id=member.committee_id, activity=source(member), member=member
            )
            project = DutyProject.objects.create(
                committee_id=member.committee_id, member=member, year=YEAR, topic=f"课题{i}"
            )
            DutyProjectLink.objects.create(
                project=project, kind=DutyProjectLink.Kind.OTHER, reference=f"第{i}项"
            )

    return add


# Transactional: the page runs as in production, outside a transaction, so
# the audit row's seal is made (and counted) in the request.
@pytest.mark.django_db(transaction=True)
def test_a_staff_view_of_a_duty_file_with_its_audit_row_and_seal_is_at_most_15_queries(
    client: Client, committee: Any, duties_staff: Any, new_member: Callable[..., Member]
) -> None:
    me = new_member(username="me")
    active_default_policy(committee)
    open_assessment(me)
    client.force_login(duties_staff)
    url = reverse("points:duty_file", args=[me.pk]) + f"?year={YEAR}"

    queries = assert_same_queries(_year_of(me), lambda: page_queries(client, url), n=3)

    assert queries <= 15
    audited = AuditEvent.objects.filter(action="points.duty_file_view")
    assert audited.exists()
    assert AuditSeal.objects.filter(event__in=audited).count() == audited.count()
    body = client.get(url).content.decode()
    assert body.count("课题") == 9
    assert f"<td>{me.scores.get(year=YEAR).score}</td>" in body


@pytest.mark.django_db
def test_the_members_own_duty_file_is_at_most_15_queries(
    client: Client, committee: Any, new_member: Callable[..., Member]
) -> None:
    me = new_member(username="me")
    active_default_policy(committee)
    client.force_login(me.person.user)
    url = reverse("points:duty_file_mine") + f"?year={YEAR}"

    queries = assert_same_queries(_year_of(me), lambda: page_queries(client, url), n=3)

    assert queries <= 15
