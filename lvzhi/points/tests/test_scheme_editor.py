"""The scheme built on the page: a blank scheme to start from, and each
element of the scheme (part, category, kind, grade, requirement item)
added, changed and removed through its own small form, the whole document
saved through ``services.policy_scheme_update``; who may do it (duties
staff of the committee, drafts only)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from lvzhi.duties.models import DutyKind as K
from lvzhi.points import language, schemefile
from lvzhi.points.models import MemberScore, Policy
from lvzhi.points.tests.helpers import YEAR, record

pytestmark = pytest.mark.django_db


def test_a_blank_scheme_is_a_valid_scheme_that_scores_nothing():
    scheme = schemefile.load(schemefile.blank())
    assert (scheme.parts, scheme.kinds, scheme.grades) == ((), (), ())
    result = language.evaluate(scheme, language.MemberYear())
    assert (result.score, result.grade) == (Decimal("0.00"), "")
    assert schemefile.load(schemefile.dump(scheme)) == scheme


def test_staff_start_a_blank_scheme_preview_and_activate_it(
    client, committee, duties_staff, new_member
):
    member = new_member(username="m1")
    record(member, K.PLENARY_ATTENDED)
    client.force_login(duties_staff)
    response = client.post(reverse("points:policy_new"), {"year": YEAR, "preset": "blank"})
    assert response.status_code == 302
    draft = Policy.objects.get(committee=committee, year=YEAR)
    assert draft.scheme["parts"] == [] and draft.status == Policy.Status.DRAFT
    page = client.get(reverse("points:policy_edit", args=[draft.pk]))
    assert page.status_code == 200
    assert client.get(reverse("points:policy_preview", args=[draft.pk])).status_code == 200
    client.post(reverse("points:policy_activate", args=[draft.pk]))
    assert MemberScore.objects.get(member=member, year=YEAR).score == Decimal("0.00")
