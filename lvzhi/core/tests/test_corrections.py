"""core.corrections: a correction keeps the original beside the record,
says who and why in an audit row, and refuses an empty reason or no change."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from lvzhi.core.audit import SETTING_CHANGED
from lvzhi.core.corrections import corrections_of, corrections_record, field_values
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.models import AuditEvent, Correction
from lvzhi.org.models import HandlingUnit
from lvzhi.org.tests.factories import HandlingUnitFactory

pytestmark = pytest.mark.django_db

# Any registered code serves the kernel's test; apps register their own.
CODE = SETTING_CHANGED


def _correct(unit, actor, reason="录入有误", **values):
    before = field_values(unit, values)
    for name, value in values.items():
        setattr(unit, name, value)
    unit.save(update_fields=list(values))
    return corrections_record(unit, before=before, actor=actor, reason=reason, audit_action=CODE)


def test_a_correction_keeps_the_original_values_as_people_read_them(django_user_model):
    actor = django_user_model.objects.create_user("corrector", display_name="更正人")
    unit = HandlingUnitFactory(name="县交通局", kind=HandlingUnit.Kind.GOVERNMENT)
    rows = _correct(unit, actor, name="县交通运输局", kind=HandlingUnit.Kind.PARTY)

    assert {r.field for r in rows} == {"name", "kind"}
    by_field = {r.field: r for r in corrections_of(unit)}
    assert by_field["name"].original == "县交通局"
    assert by_field["name"].corrected == "县交通运输局"
    assert by_field["kind"].original == str(HandlingUnit.Kind.GOVERNMENT.label)
    assert by_field["kind"].corrected == str(HandlingUnit.Kind.PARTY.label)
    assert by_field["name"].reason == "录入有误" and by_field["name"].actor == actor

    audit = AuditEvent.objects.get(action=CODE, object_id=str(unit.pk))
    assert audit.detail["reason"] == "录入有误"
    assert audit.detail["changes"]["name"] == {"before": "县交通局", "after": "县交通运输局"}


def test_only_changed_fields_are_recorded(django_user_model):
    actor = django_user_model.objects.create_user("corrector")
    unit = HandlingUnitFactory(name="县教育局")
    rows = _correct(unit, actor, name="县教育体育局", kind=unit.kind)
    assert [r.field for r in rows] == ["name"]


@pytest.mark.parametrize("reason", ["", "   ", "理" * 301])
def test_a_missing_or_overlong_reason_is_refused_and_nothing_is_written(django_user_model, reason):
    actor = django_user_model.objects.create_user("corrector")
    unit = HandlingUnitFactory(name="县民政局")
    with pytest.raises(ValidationFailed):
        _correct(unit, actor, reason=reason, name="县民政事务局")
    assert not Correction.objects.exists()
    assert not AuditEvent.objects.filter(action=CODE).exists()


def test_a_correction_that_changes_nothing_is_refused(django_user_model):
    actor = django_user_model.objects.create_user("corrector")
    unit = HandlingUnitFactory(name="县卫健委")
    with pytest.raises(ValidationFailed, match="没有"):
        _correct(unit, actor, name="县卫健委")


def test_corrections_are_append_only_in_the_database(django_user_model):
    actor = django_user_model.objects.create_user("corrector")
    unit = HandlingUnitFactory(name="县水利局")
    (row,) = _correct(unit, actor, name="县水务局")
    with pytest.raises(TypeError):
        Correction.objects.filter(pk=row.pk).update(reason="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_correction SET reason = 'x' WHERE id = %s", [row.pk])
