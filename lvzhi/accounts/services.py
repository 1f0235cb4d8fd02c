"""Writes of the accounts app: logging in (with the lock of DESIGN §9),
passwords, accounts, roles and the second factor.

Every function is keyword-only, runs its writes in ``transaction.atomic()``,
locks the rows it changes and writes the audit trail. A refusal is a
``DomainError`` with a message for the user; it is raised only after the
transaction that recorded the attempt has committed, so a refused login still
counts as a failure.

Every write for an account checks its named permission (accounts/rules.py)
first. The login steps have no actor yet: they need the request itself
(``authenticate``, the session) and count failures per (account, IP), the IP
read from the acting context (core.context), as the audit rows are."""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.accounts import audit as codes
from lvzhi.accounts import totp, tree
from lvzhi.accounts.backends import find_user
from lvzhi.accounts.middleware import LOGIN_AT_KEY, SEEN_AT_KEY
from lvzhi.accounts.models import (
    ADMIN_ROLES,
    Area,
    LoginFailure,
    RecoveryCode,
    Role,
    RoleAssignment,
    User,
)
from lvzhi.accounts.roles import forget_roles, is_any_admin
from lvzhi.core import context, crypto
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent
from lvzhi.core.permissions import is_system, require_perm

T = TypeVar("T")

BACKEND = "lvzhi.accounts.backends.UsernameOrMobileBackend"


# --- Login and the lock ------------------------------------------------------


class LoginRefused(DomainError):
    """The login attempt was refused (wrong credentials, inactive account)."""


class AccountLocked(LoginRefused):
    """Too many failures from this IP for this account: wait until ``until``."""

    def __init__(self, until: datetime) -> None:
        minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
        super().__init__(
            _(
                "Too many failed attempts: this account is locked on this device. "
                "Please try again after %(time)s (in about %(minutes)s minutes)."
            )
            % {"time": timezone.localtime(until).strftime("%H:%M"), "minutes": minutes}
        )
        self.until = until


def typed_mobile(identifier: str) -> str:
    """The mobile number typed at login (spaces, dashes, +86 dropped), or ""
    when what was typed does not look like one."""
    digits = "".join(ch for ch in identifier if ch not in " -\t")
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits if len(digits) == 11 and digits.isdigit() and digits[0] == "1" else ""


def account_key(identifier: str, user: User | None = None) -> str:
    """The name failures are counted under: the account's username when the
    typed username or mobile number belongs to one, so both count together.
    A mobile number of no account is kept as its keyed hash, never in clear
    (issue 11)."""
    if user is None:
        user = find_user(identifier)
    if user is not None:
        return user.username.lower()[:150]
    mobile = typed_mobile(identifier)
    if mobile:
        return f"mobile:{crypto.blind_index(mobile)}"[:150]
    return identifier.strip().lower()[:150]


def _ip() -> str:
    """The client's IP, from the acting context (set from REMOTE_ADDR)."""
    return context.current().ip or ""


def _label(identifier: str) -> str:
    """What the audit row names as the actor: a typed mobile number masked."""
    mobile = typed_mobile(identifier)
    return crypto.mask_mobile(mobile) if mobile else identifier.strip()[:150]


def _account_audit(action: str, *, user: User | None, **fields: Any) -> None:
    """An audit row about an account's access (login, failure, logout),
    written once for each committee the account works in, so each of their
    auditors reads it; about no known account it is platform-wide (the top's
    auditors read it)."""
    committees: list[int | None] = [*sorted(tree.account_committee_ids(user))] if user else []
    for committee_id in committees or [None]:
        audit_log(action=action, obj=user, committee=committee_id, **fields)


def _login_audit(action: str, *, identifier: str, user: User | None, **detail: Any) -> None:
    """The audit rows of a login attempt: nobody is signed in yet, so they
    name the account typed (and the account it resolved to, if any)."""
    _account_audit(action, user=user, actor_label=_label(identifier), **detail)


def _lock_expire(row: LoginFailure, *, identifier: str, user: User | None) -> None:
    """A lock whose time is over is lifted and the counter starts again."""
    row.failures = 0
    row.locked_until = None
    row.save(update_fields=["failures", "locked_until", "updated_at"])
    _login_audit(
        codes.ACCOUNT_UNLOCKED,
        identifier=identifier,
        user=user,
        reason="expired",
        account=row.username,
    )


def lock_check(*, identifier: str, user: User | None = None) -> datetime | None:
    """When the (account, IP) is locked, the time the lock ends; else None.
    An expired lock is lifted here, at the next attempt, and audited."""
    key, ip = account_key(identifier, user), _ip()
    rows = LoginFailure.objects.filter(username=key, ip=ip, locked_until__isnull=False)
    if not rows.exists():  # the common case costs one read and no write lock
        return None
    with transaction.atomic():
        row = rows.select_for_update().first()
        if row is None or row.locked_until is None:
            return None
        if row.locked_until > timezone.now():
            return row.locked_until
        _lock_expire(row, identifier=identifier, user=user)
    return None


def failure_record(*, identifier: str, user: User | None = None, reason: str) -> datetime | None:
    """Count one failed attempt for (account, IP); lock at the limit.

    The increment is an F() update on the row locked with select_for_update(),
    so two simultaneous failures both count. Returns the lock's end when the
    (account, IP) is locked after this attempt."""
    key, ip = account_key(identifier, user), _ip()
    now = timezone.now()
    locked_until: datetime | None = None
    with transaction.atomic():
        row, _created = LoginFailure.objects.select_for_update().get_or_create(username=key, ip=ip)
        if row.locked_until is not None and row.locked_until <= now:
            _lock_expire(row, identifier=identifier, user=user)
        LoginFailure.objects.filter(pk=row.pk).update(failures=F("failures") + 1, updated_at=now)
        row.refresh_from_db(fields=["failures", "locked_until"])
        _login_audit(
            codes.LOGIN_FAILURE,
            identifier=identifier,
            user=user,
            result=AuditEvent.Result.FAILURE,
            reason=reason,
            failures=row.failures,
        )
        if row.locked_until is not None:
            locked_until = row.locked_until  # locked meanwhile by a parallel attempt
        elif row.failures >= settings.LOGIN_MAX_FAILURES:
            locked_until = now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            LoginFailure.objects.filter(pk=row.pk).update(locked_until=locked_until)
            _login_audit(
                codes.ACCOUNT_LOCKED,
                identifier=identifier,
                user=user,
                result=AuditEvent.Result.DENIED,
                account=key,
                failures=row.failures,
                until=timezone.localtime(locked_until).isoformat(timespec="minutes"),
            )
    return locked_until


def _refuse_locked(*, identifier: str, user: User | None, until: datetime) -> AccountLocked:
    _login_audit(
        codes.LOGIN_FAILURE,
        identifier=identifier,
        user=user,
        result=AuditEvent.Result.DENIED,
        reason="locked",
    )
    return AccountLocked(until)


def credentials_check(*, request: HttpRequest | None, identifier: str, password: str) -> User:
    """First step of a login: the password. Returns the user or raises
    LoginRefused / AccountLocked. Does not log in (see ``session_start``)."""
    identifier = (identifier or "").strip()
    found = find_user(identifier)
    until = lock_check(identifier=identifier, user=found)
    if until is not None:
        raise _refuse_locked(identifier=identifier, user=found, until=until)

    # Hashing is slow: done outside any transaction so no write lock is held.
    user = authenticate(request, username=identifier, password=password)
    if user is None:
        if found is not None and not found.is_active and found.check_password(password):
            _login_audit(
                codes.LOGIN_FAILURE,
                identifier=identifier,
                user=found,
                result=AuditEvent.Result.DENIED,
                reason="inactive",
            )
            raise LoginRefused(
                _(
                    "This account has been deactivated. "
                    "Please contact your committee's security administrator."
                )
            )
        until = failure_record(identifier=identifier, user=found, reason="bad_credentials")
        if until is not None:
            raise AccountLocked(until)
        raise LoginRefused(_("The username (or mobile number) or the password is incorrect."))

    # A parallel attempt may have locked the account while we were hashing.
    until = lock_check(identifier=identifier, user=user)
    if until is not None:
        raise _refuse_locked(identifier=identifier, user=user, until=until)
    assert isinstance(user, User)
    return user


def session_start(*, request: HttpRequest, user: User, second_factor: bool = False) -> None:
    """Log the user in: reset the failure counter, cycle the session id
    (Django's login() does), start the idle/absolute clocks and audit."""
    with transaction.atomic():
        LoginFailure.objects.filter(username=account_key("", user), ip=_ip()).delete()
        auth_login(request, user, backend=BACKEND)
        if is_any_admin(user):
            # The three administrators' sessions end when the browser closes
            # (a cookie without an expiry), on top of the idle and absolute limits.
            request.session.set_expiry(0)
        # Later audit rows of this request name the user, not the anonymous visitor.
        context.set_actor(user)
        now = time.time()
        request.session[LOGIN_AT_KEY] = now
        request.session[SEEN_AT_KEY] = now
        _account_audit(
            codes.LOGIN_SUCCESS,
            user=user,
            actor=user,
            second_factor="totp" if second_factor else "none",
        )


def session_end(*, request: HttpRequest) -> None:
    if request.user.is_authenticated:
        _account_audit(codes.LOGOUT, user=request.user)  # type: ignore[arg-type]
    auth_logout(request)
    context.set_actor(None)


def second_factor_check(*, user: User, identifier: str, code: str) -> None:
    """Second step of a login: the TOTP code. A wrong code counts as a login
    failure for the (account, IP), like a wrong password."""
    until = lock_check(identifier=identifier, user=user)
    if until is not None:
        raise _refuse_locked(identifier=identifier, user=user, until=until)
    accepted = False
    recovery = totp.recovery_code_normalised(code)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if recovery is not None:
            accepted = _recovery_code_spend(locked, recovery)
        else:
            step = totp.matching_step(locked.totp_secret, code)
            if step is not None and (locked.totp_last_step is None or step > locked.totp_last_step):
                locked.totp_last_step = step
                locked.save(update_fields=["totp_last_step"])
                user.totp_last_step = step
                accepted = True
    if accepted:
        return
    until = failure_record(identifier=identifier, user=user, reason="bad_totp")
    if until is not None:
        raise AccountLocked(until)
    raise LoginRefused(_("The verification code is incorrect or has already been used."))


def _recovery_hash(normalised: str) -> str:
    # Keyed (the field key ring), so a copy of the table gives no usable code.
    return crypto.blind_index(f"recovery:{normalised}")


def _recovery_hashes(normalised: str) -> list[str]:
    # The clear code is not kept, so a code issued before a key rotation
    # keeps its old hash: match under every key of the ring.
    return crypto.blind_indexes(f"recovery:{normalised}")


def _recovery_code_spend(user: User, normalised: str) -> bool:
    """Use up one unused recovery code of ``user`` (locked by the caller)."""
    row = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, code_hash__in=_recovery_hashes(normalised), used_at=None)
        .first()
    )
    if row is None:
        return False
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    left = RecoveryCode.objects.filter(user=user, used_at=None).count()
    audit_log(action=codes.RECOVERY_CODE_USED, actor=user, obj=user, remaining=left)
    return True


def _recovery_codes_issue(user: User) -> list[str]:
    """New codes for ``user`` (locked by the caller); the old ones stop working."""
    fresh = totp.new_recovery_codes()
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(str(totp.recovery_code_normalised(c))))
        for c in fresh
    )
    audit_log(action=codes.RECOVERY_CODES_ISSUED, actor=user, obj=user, count=len(fresh))
    return fresh


def recovery_codes_renew(*, actor: User) -> list[str]:
    """The user asks for a new set of recovery codes (shown once)."""
    require_perm(actor, "accounts.enable_own_totp", actor)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        if not user.totp_enabled:
            raise Conflict(_("Enable two-factor authentication first."))
        return _recovery_codes_issue(user)


def login_failures_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete counters untouched for ``older_than`` and not locked now, so
    guessed names do not pile up and old failures do not count forever.
    Meant for a daily job; returns how many rows went."""
    now = timezone.now()
    with transaction.atomic():
        deleted, _detail = (
            LoginFailure.objects.filter(updated_at__lt=now - older_than)
            .exclude(locked_until__gt=now)
            .delete()
        )
    return deleted


# --- Passwords -----------------------------------------------------------------

_SYMBOLS = "!#$%*+-=?@^_"
_LETTERS_LOWER = "abcdefghijkmnpqrstuvwxyz"  # no l, o: easy to misread
_LETTERS_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, O
_DIGITS = "23456789"  # no 0, 1


def temporary_password_generate(user: User | None = None, length: int = 12) -> str:
    """A random password meeting the policy (all four classes), easy to read out."""
    alphabet = _LETTERS_LOWER + _LETTERS_UPPER + _DIGITS + _SYMBOLS
    while True:
        chars = [
            secrets.choice(_LETTERS_LOWER),
            secrets.choice(_LETTERS_UPPER),
            secrets.choice(_DIGITS),
            secrets.choice(_SYMBOLS),
        ] + [secrets.choice(alphabet) for _ in range(length - 4)]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def password_change(*, actor: User, new_password: str) -> None:
    """The user sets a new password (already validated by the form)."""
    require_perm(actor, "accounts.change_own_password", actor)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        if user.check_password(new_password):
            raise ValidationFailed(_("The new password must differ from the current one."))
        validate_password(new_password, user)
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit_log(action=codes.PASSWORD_CHANGED, actor=user, obj=user)
    actor.password = user.password
    actor.password_changed_at = user.password_changed_at
    actor.must_change_password = False


# --- Accounts (security administrator) -----------------------------------------


def _saved_or_conflict(save: Callable[[], T], message: str) -> T:
    """Run the write in a savepoint: a unique constraint hit by a concurrent
    write becomes a Conflict with ``message`` instead of a server error."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        raise Conflict(message) from None


def _not_self(actor: User | None, user: User, message: str) -> None:
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(message)


def user_create(
    *,
    actor: User | None,
    committee: Any,
    username: str,
    display_name: str,
    mobile: str = "",
) -> tuple[User, str]:
    """Create an account with a temporary password it must change at first login.
    Returns the user and the temporary password (shown once, never stored)."""
    require_perm(actor, "accounts.manage_roles", committee)
    username = username.strip()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise Conflict(_("An account with this username already exists."))
        if mobile and User.objects.filter(mobile_hash__in=crypto.blind_indexes(mobile)).exists():
            raise Conflict(_("This mobile number is already used by another account."))
        user = User(
            username=username,
            display_name=display_name.strip(),
            must_change_password=True,
            home_committee=committee,
        )
        if mobile:
            user.set_mobile(mobile)
        password = temporary_password_generate(user)
        user.set_password(password)
        _saved_or_conflict(user.save, _("An account with this username already exists."))
        audit_log(
            action=codes.USER_CREATED,
            actor=actor,
            obj=user,
            committee=committee,
            username=user.username,
        )
    return user, password


# What switching an account on (True) or off (False) audits, and the refusal
# of a switch to the state it is already in.
_SWITCH = {
    True: (codes.USER_REACTIVATED, gettext_lazy("This account is already active.")),
    False: (codes.USER_DEACTIVATED, gettext_lazy("This account is already deactivated.")),
}


def _active_set(*, actor: User, user: User, active: bool) -> None:
    """Switch the account on or off under a row lock."""
    action, already = _SWITCH[active]
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active == active:
            raise Conflict(str(already))
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        audit_log(action=action, actor=actor, obj=locked)
    user.is_active = active


def user_deactivate(*, actor: User, user: User) -> None:
    _not_self(actor, user, _("You cannot deactivate your own account."))
    require_perm(actor, "accounts.manage_account", user)
    _active_set(actor=actor, user=user, active=False)


def user_reactivate(*, actor: User, user: User) -> None:
    require_perm(actor, "accounts.manage_account", user)
    _active_set(actor=actor, user=user, active=True)


def user_password_reset(*, actor: User | None, user: User) -> str:
    """Give the user a new temporary password (shown once to the administrator);
    the user must change it at the next login. Existing sessions end because
    the password hash changes."""
    _not_self(actor, user, _("Use “Change password” to change your own password."))
    require_perm(actor, "accounts.reset_user_password", user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        password = temporary_password_generate(locked)
        locked.set_password(password)
        locked.must_change_password = True
        locked.save(update_fields=["password", "must_change_password"])
        audit_log(action=codes.PASSWORD_RESET, actor=actor, obj=locked)
    user.password = locked.password
    user.must_change_password = True
    return password


def user_unlock(*, actor: User, user: User) -> int:
    """Lift every login lock of the account (all IPs). Returns how many."""
    require_perm(actor, "accounts.manage_account", user)
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            LoginFailure.objects.select_for_update().filter(
                username=account_key("", user), locked_until__gt=now
            )
        )
        if not rows:
            raise Conflict(_("This account is not locked."))
        LoginFailure.objects.filter(pk__in=[r.pk for r in rows]).update(
            failures=0, locked_until=None, updated_at=now
        )
        audit_log(
            action=codes.ACCOUNT_UNLOCKED,
            actor=actor,
            obj=user,
            reason="manual",
            ips=", ".join(r.ip or "-" for r in rows),
        )
    return len(rows)


def totp_reset(*, actor: User, user: User) -> None:
    """Remove a user's second factor (lost phone); they enrol again."""
    _not_self(actor, user, _("You cannot reset your own two-factor authentication."))
    require_perm(actor, "accounts.manage_account", user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.totp_enabled:
            raise Conflict(_("This account has no two-factor authentication."))
        locked.totp_secret_encrypted = ""
        locked.totp_enabled_at = None
        locked.totp_last_step = None
        locked.save(update_fields=["totp_secret_encrypted", "totp_enabled_at", "totp_last_step"])
        RecoveryCode.objects.filter(user=locked).delete()
        audit_log(action=codes.TOTP_RESET, actor=actor, obj=locked)
    user.totp_secret_encrypted = ""
    user.totp_enabled_at = None


def totp_enable(*, actor: User, secret: str, code: str) -> list[str]:
    """The user confirms enrolment with a code from the new secret; returns
    the recovery codes, to be shown once."""
    require_perm(actor, "accounts.enable_own_totp", actor)
    step = totp.matching_step(secret, code)
    if step is None:
        raise ValidationFailed(
            _("The verification code is incorrect. Check the time on your phone and try again.")
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        if user.totp_enabled:
            raise Conflict(_("Two-factor authentication is already enabled."))
        user.totp_secret_encrypted = crypto.encrypt(secret)
        user.totp_enabled_at = timezone.now()
        user.totp_last_step = step
        user.save(update_fields=["totp_secret_encrypted", "totp_enabled_at", "totp_last_step"])
        audit_log(action=codes.TOTP_ENABLED, actor=user, obj=user)
        recovery = _recovery_codes_issue(user)
    actor.totp_secret_encrypted = user.totp_secret_encrypted
    actor.totp_enabled_at = user.totp_enabled_at
    actor.totp_last_step = step
    return recovery


# --- Roles -------------------------------------------------------------------------


def _role_detail(assignment: RoleAssignment) -> dict[str, str]:
    return {
        "user": assignment.user.get_username(),
        "role": assignment.role,
        "area": assignment.area,
        "unit": str(assignment.unit) if assignment.unit_id else "",
    }


def _refuse_outside_authority(actor: Any, user: User, committee: Any, role: str) -> None:
    """A grant is an act of authority over the account: refused when the
    account works in a committee outside the administrator's part of the
    tree, and for administrator roles, which only the top grants (tree.py)."""
    if role in ADMIN_ROLES and not tree.admin_authority(
        tree.secadmin_committee_ids(actor), {committee.pk}
    ):
        raise PermissionDenied(
            _(
                "Administrator roles are granted only from the top of the committee tree "
                "(for the top itself, with the host command manage.py admin_account)."
            )
        )
    if not tree.may_manage(actor, user):
        raise PermissionDenied(
            _(
                "This account also works in a committee outside yours, or holds an "
                "administrator role: only an administrator above all its committees may "
                "change it."
            )
        )


def _refuse_business_with_audit(user: User, role: str) -> None:
    """The auditor never holds a role of the committee's business (DESIGN §9):
    whoever audits must not audit their own work."""
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    if (role == Role.AUDITOR and held & tree.BUSINESS_ROLES) or (
        role in tree.BUSINESS_ROLES and Role.AUDITOR in held
    ):
        raise Conflict(
            _(
                "The audit administrator cannot also hold a business role (office staff, "
                "leader, handling unit or government leader)."
            )
        )


def role_grant(
    *,
    actor: User | None,
    committee: Any,
    user: User,
    role: str,
    area: str = "",
    unit: Any = None,
) -> RoleAssignment:
    """Give ``user`` a role in ``committee``. Refuses a grant to oneself, a
    second administrator role (separation of duties), staff without an area,
    a unit role without a unit of this committee, and duplicates."""
    require_perm(actor, "accounts.manage_roles", committee)
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."))
    if not is_system(actor):
        _not_self(actor, user, _("You cannot grant roles to your own account."))
        _refuse_outside_authority(actor, user, committee, role)
    area = area or ""
    if role == Role.STAFF:
        if not area or area not in Area.values:
            raise ValidationFailed(_("Office staff need a functional area."))
    else:
        area = ""
    if role == Role.UNIT:
        if unit is None:
            raise ValidationFailed(_("A handling-unit account needs its handling unit."))
        if unit.committee_id != committee.pk:
            raise ValidationFailed(_("The handling unit must belong to this committee."))
    else:
        unit = None

    with transaction.atomic():
        # Lock the user row: parallel grants to one user are serialised, so the
        # separation-of-duties check below cannot be raced.
        target = User.objects.select_for_update().get(pk=user.pk)
        if role in ADMIN_ROLES:
            other = (
                RoleAssignment.objects.filter(user=target, role__in=ADMIN_ROLES)
                .exclude(role=role)
                .first()
            )
            if other is not None:
                raise Conflict(
                    _(
                        "One person may hold only one of the roles system administrator, "
                        "security administrator and audit administrator; this account is "
                        "already %(role)s."
                    )
                    % {"role": other.get_role_display()}
                )
        _refuse_business_with_audit(target, role)
        if RoleAssignment.objects.filter(
            user=target, committee=committee, role=role, area=area
        ).exists():
            raise Conflict(_("This account already holds this role in this committee."))
        assignment = _saved_or_conflict(
            lambda: RoleAssignment.objects.create(
                user=target, committee=committee, role=role, area=area, unit=unit, created_by=actor
            ),
            _("This account already holds this role in this committee."),
        )
        audit_log(
            action=codes.ROLE_GRANTED,
            actor=actor,
            obj=target,
            committee=committee,
            **_role_detail(assignment),
        )
    forget_roles(user)
    return assignment


def role_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    require_perm(actor, "accounts.manage_roles", assignment)
    if not is_system(actor):
        if assignment.user_id == actor.pk:
            raise PermissionDenied(_("You cannot revoke roles of your own account."))
        require_perm(actor, "accounts.manage_account", assignment.user)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=assignment.user_id)
        locked = (
            # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of
            # the outer join to the unit.
            RoleAssignment.objects.select_for_update(of=("self",))
            .select_related("user", "unit", "committee")
            .filter(pk=assignment.pk)
            .first()
        )
        if locked is None:
            raise Conflict(_("This role has already been revoked."))
        detail = _role_detail(locked)
        committee = locked.committee
        locked.delete()
        audit_log(
            action=codes.ROLE_REVOKED,
            actor=actor,
            obj=locked.user,
            committee=committee,
            **detail,
        )
