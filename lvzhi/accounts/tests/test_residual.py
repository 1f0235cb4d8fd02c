"""Residual information: an account that has acted is never deleted."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.tests.factories import UserFactory
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict
from lvzhi.core.tests.workflow_models import Ticket, TicketEvent
from lvzhi.org.models import Committee

pytestmark = pytest.mark.django_db

REFUSAL = (
    "This account has acted (audit trail or workflow steps) and cannot be deleted; "
    "deactivate it instead."
)


def test_an_account_with_audit_rows_cannot_be_deleted_by_any_path() -> None:
    user = UserFactory(username="acted")
    audit_log(action="login_success", actor=user)
    with pytest.raises(Conflict) as refused:
        user.delete()
    assert str(refused.value) == _(REFUSAL)
    assert User.objects.filter(pk=user.pk).exists()  # the transaction is still usable
    # A queryset (or a cascade) is refused inside Django's deletion: in a savepoint.
    with pytest.raises(Conflict), transaction.atomic():
        User.objects.filter(pk=user.pk).delete()
    assert User.objects.filter(pk=user.pk).exists()


def test_an_account_with_workflow_steps_cannot_be_deleted(committee: Committee) -> None:
    user = UserFactory(username="handled")
    ticket = Ticket.objects.create(committee=committee)
    TicketEvent.objects.create(ticket=ticket, actor=user, action="submit", to_state="open")
    with pytest.raises(Conflict), transaction.atomic():
        user.delete()
    assert User.objects.filter(pk=user.pk).exists()


def test_an_account_that_never_acted_can_go() -> None:
    user = UserFactory(username="never-used")
    user.delete()
    assert not User.objects.filter(username="never-used").exists()
