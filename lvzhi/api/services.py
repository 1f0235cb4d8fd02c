"""Writes of the API app: access tokens are created and revoked here, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.api import audit
from lvzhi.api.models import ApiToken
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm

TOKEN_PREFIX = "lvz_"  # noqa: S105 (a marker, not a secret)
PREFIX_SHOWN = 12  # "lvz_" and eight characters: enough to tell tokens apart
MAX_DAYS = 365
# last_used_at is written at most this often, so reads do not write each time.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """The row and the token itself, which is shown once and never stored."""

    row: ApiToken
    token: str


def api_token_create(*, actor: Any, committee: Any, name: str, scope: str, days: int) -> NewToken:
    require_perm(actor, "api.create_token", committee)
    name = _token_name(name, _("Give the token a name of at most 100 characters."))
    if scope not in ApiToken.Scope.values:
        raise ValidationFailed(_("Choose a scope."))
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(_("A token lasts from 1 to 365 days."))
    with transaction.atomic():
        new = _new_token(days, user=actor, committee=committee, name=name, scope=scope)
        audit_log(
            action=audit.TOKEN_CREATE, obj=new.row, committee=committee, scope=scope, days=days
        )
    return new


def end_once(rows: QuerySet[Any], pk: int, field: str, *, already: str, action: str) -> Any:
    """Stamp the row's end (``revoked_at``, ``removed_at``) under a row lock,
    once: a second time is refused with ``already``; audited as ``action``."""
    with transaction.atomic():
        row = rows.select_for_update().get(pk=pk)
        if getattr(row, field) is not None:
            raise Conflict(already)
        setattr(row, field, timezone.now())
        row.save(update_fields=[field])
        audit_log(action=action, obj=row, committee=row.committee_id)
    return row


def _token_name(name: str, message: str) -> str:
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed(message)
    return name


def _new_token(days: int, **fields: Any) -> NewToken:
    """A token row of ``fields`` lasting ``days``; the token itself is only
    in the answer."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        prefix=token[:PREFIX_SHOWN],
        token_hash=token_hash(token),
        expires_at=timezone.now() + dt.timedelta(days=days),
        **fields,
    )
    return NewToken(row=row, token=token)


def _revoke(token: ApiToken, rows: QuerySet[ApiToken], *, already: str, action: str) -> ApiToken:
    row: ApiToken = end_once(rows, token.pk, "revoked_at", already=already, action=action)
    token.revoked_at = row.revoked_at
    return row


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    require_perm(actor, "api.revoke_token", token)
    return _revoke(
        token,
        ApiToken.objects.all(),
        already=_("This token is already revoked."),
        action=audit.TOKEN_REVOKE,
    )


def unit_credential_create(*, actor: Any, unit: Any, name: str, days: int) -> NewToken:
    """系统接口凭据: a handling unit's office system gets a write token of an
    account of its own (no password, no stored role) that acts for this unit
    only; the token is shown once."""
    require_perm(actor, "api.manage_unit_credentials", unit)
    name = _token_name(name, _("Give the credential a name of at most 100 characters."))
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(_("A credential lasts from 1 to 365 days."))
    if not unit.is_active:
        raise ValidationFailed(_("This handling unit is no longer active."))
    with transaction.atomic():
        account = get_user_model().objects.create(
            username=f"oa-{unit.pk}-{secrets.token_hex(4)}",
            display_name=(_("%(unit)s (office system)") % {"unit": unit.name})[:64],
        )
        account.set_unusable_password()  # it never signs in on the pages
        account.save(update_fields=["password"])
        new = _new_token(
            days,
            user=account,
            committee_id=unit.committee_id,
            unit=unit,
            created_by=actor,
            name=name,
            scope=ApiToken.Scope.WRITE,
        )
        audit_log(
            action=audit.UNIT_CREDENTIAL_CREATE,
            obj=new.row,
            committee=unit.committee_id,
            unit=unit.name,
            days=days,
        )
    return new


def unit_credential_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    require_perm(actor, "api.manage_unit_credentials", token)
    return _revoke(
        token,
        ApiToken.objects.filter(unit__isnull=False),
        already=_("This credential is already revoked."),
        action=audit.UNIT_CREDENTIAL_REVOKE,
    )


def api_token_touch(token: ApiToken) -> None:
    """Note the token's use, at most once a minute (a read need not write)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
