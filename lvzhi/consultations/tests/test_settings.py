"""The committee's consultation settings: which formats' speeches count as
plenary speeches, changed by the consultations staff only, read without
writing anything."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import User
from lvzhi.consultations import services
from lvzhi.consultations.models import Consultation, ConsultationFormat
from lvzhi.consultations.settings_defs import PLENARY_SPEECH_FORMATS
from lvzhi.core.committee_settings import committee_settings_update, setting_value
from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, CommitteeSetting
from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.org.models import Committee, Member

pytestmark = pytest.mark.django_db
KEY = PLENARY_SPEECH_FORMATS.key


def _speech(
    make_consultation: Callable[..., Consultation], cstaff: User, member: Member, format: str
) -> None:
    consultation = make_consultation(format)
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    services.consultation_convene(actor=cstaff, consultation=consultation)
    speaker = services.participant_add(
        actor=cstaff, consultation=consultation, kind="member", member=member
    )
    services.speech_record(
        actor=cstaff, consultation=consultation, speaker=speaker, title="关于协商的发言"
    )


def test_by_default_only_a_standing_committee_meetings_speech_is_a_plenary_speech(
    committee: Committee,
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    member: Member,
) -> None:
    assert setting_value(committee, PLENARY_SPEECH_FORMATS) == ["standing_meeting"]
    _speech(make_consultation, cstaff, member, ConsultationFormat.SPECIAL_MEETING)
    assert not DutyRecord.objects.filter(member=member, kind=DutyKind.PLENARY_SPEECH).exists()


def test_a_committee_that_counts_special_meetings_gets_a_plenary_speech_there(
    committee: Committee,
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    member: Member,
) -> None:
    committee_settings_update(
        actor=cstaff, committee=committee, values={KEY: ["standing_meeting", "special_meeting"]}
    )
    _speech(make_consultation, cstaff, member, ConsultationFormat.SPECIAL_MEETING)
    assert DutyRecord.objects.filter(member=member, kind=DutyKind.PLENARY_SPEECH).count() == 1


def test_only_consultations_staff_change_the_setting_and_unknown_formats_are_refused(
    committee: Committee, cstaff: User, member_user: User
) -> None:
    with pytest.raises(PermissionDenied):
        committee_settings_update(actor=member_user, committee=committee, values={KEY: []})
    with pytest.raises(ValidationFailed):
        committee_settings_update(actor=cstaff, committee=committee, values={KEY: ["banquet"]})
    assert not CommitteeSetting.objects.exists()


def test_the_settings_page_reads_without_writing_and_saves_what_staff_tick(
    committee: Committee, cstaff: User, member_user: User
) -> None:
    client = Client()
    client.force_login(cstaff)
    path = reverse("consultations:settings")
    audit_rows = AuditEvent.objects.count()
    assert client.get(path).status_code == 200
    assert AuditEvent.objects.count() == audit_rows
    assert not CommitteeSetting.objects.exists()
    response = client.post(path, {"plenary_speech_formats": ["sector", "standing_meeting"]})
    assert response.status_code == 302
    assert CommitteeSetting.objects.get(key=KEY).value == ["sector", "standing_meeting"]
    assert AuditEvent.objects.filter(action="setting_changed").count() == 1
    member = Client()
    member.force_login(member_user)
    assert member.get(path).status_code == 403
