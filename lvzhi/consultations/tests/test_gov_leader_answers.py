"""A party or government leader responds in the app to the consultation
outcomes sent to party and government (issue 12): from the list of those
outcomes, through the same service as a department's feedback (audited,
moving the consultation on); never to a department's outcome, never another
committee's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from lvzhi.accounts.models import Role
from lvzhi.consultations import services
from lvzhi.consultations.models import Consultation, ConsultationFormat
from lvzhi.consultations.tests.test_workflow import FUTURE
from lvzhi.core.errors import PermissionDenied
from lvzhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db
C = Consultation.State


def sent_to_both(
    make_consultation: Callable[..., Consultation], cstaff: Any, member: Any, department: Any
) -> Consultation:
    consultation = make_consultation(ConsultationFormat.COUNTERPART, department=department)
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    services.consultation_convene(actor=cstaff, consultation=consultation)
    services.participant_add(actor=cstaff, consultation=consultation, kind="member", member=member)
    services.consultation_hold(actor=cstaff, consultation=consultation)
    services.outcome_add(
        actor=cstaff, consultation=consultation, text="设立专项资金", recipient="party_government"
    )
    services.outcome_add(
        actor=cstaff, consultation=consultation, text="简化审批", recipient="unit", unit=department
    )
    services.consultation_send(actor=cstaff, consultation=consultation, feedback_deadline=FUTURE)
    return consultation


def test_a_gov_leader_responds_from_the_list_and_the_consultation_moves_on(
    client_for: Any,
    gov_leader: Any,
    make_consultation: Any,
    cstaff: Any,
    member: Any,
    department: Any,
    unit_user: Any,
) -> None:
    consultation = sent_to_both(make_consultation, cstaff, member, department)
    ours, theirs = consultation.outcomes.order_by("number")
    client = client_for(gov_leader)
    listing = client.get(reverse("consultations:gov_outcomes")).content.decode()
    answer = reverse("consultations:outcome_feedback", args=[ours.pk])
    assert answer in listing
    response = client.post(answer, {"feedback": "请财政局牵头研究，年内落实。"})
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:gov_outcomes")
    ours.refresh_from_db()
    assert ours.feedback == "请财政局牵头研究，年内落实。" and ours.feedback_by == gov_leader
    assert AuditEvent.objects.filter(action__endswith=".feedback", actor=gov_leader).exists()
    assert answer not in client.get(reverse("consultations:gov_outcomes")).content.decode()
    # The department's outcome is not the leader's to answer.
    refused = client.post(
        reverse("consultations:outcome_feedback", args=[theirs.pk]), {"feedback": "好"}
    )
    assert refused.status_code == 404
    with pytest.raises(PermissionDenied):
        services.outcome_feedback_give(actor=gov_leader, outcome=theirs, feedback="好")
    services.outcome_feedback_give(actor=unit_user, outcome=theirs, feedback="已简化")
    consultation.refresh_from_db()
    assert consultation.state == C.FEEDBACK


def test_a_gov_leader_of_another_committee_cannot_answer(
    client_for: Any,
    make_user: Any,
    other_committee: Any,
    make_consultation: Any,
    cstaff: Any,
    member: Any,
    department: Any,
) -> None:
    consultation = sent_to_both(make_consultation, cstaff, member, department)
    ours = consultation.outcomes.order_by("number").first()
    stranger = make_user(Role.GOV_LEADER, other_committee)
    response = client_for(stranger).post(
        reverse("consultations:outcome_feedback", args=[ours.pk]), {"feedback": "阅"}
    )
    assert response.status_code == 404
    ours.refresh_from_db()
    assert ours.feedback_at is None


def test_an_empty_response_is_refused_and_nothing_changes(
    client_for: Any,
    gov_leader: Any,
    make_consultation: Any,
    cstaff: Any,
    member: Any,
    department: Any,
) -> None:
    consultation = sent_to_both(make_consultation, cstaff, member, department)
    ours = consultation.outcomes.order_by("number").first()
    response = client_for(gov_leader).post(
        reverse("consultations:outcome_feedback", args=[ours.pk]), {"feedback": "  "}
    )
    assert response.status_code == 400
    ours.refresh_from_db()
    assert ours.feedback_at is None
