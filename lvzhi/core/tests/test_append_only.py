import pytest

from lvzhi.core.audit import audit_log
from lvzhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_updated_or_deleted_in_bulk():
    audit_log(action="login_success", actor_label="someone")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(action="login_success").update(action="changed")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == "login_success"
