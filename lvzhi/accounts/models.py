"""Users, their roles per committee, and the login lock."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core import crypto


def sealed(value: str) -> tuple[str, str]:
    """A personal number as it is kept: encrypted, and its keyed hash."""
    return crypto.encrypt(value), crypto.blind_index(value)


class EncryptedMobile(models.Model):
    """A mobile number encrypted at rest, with its keyed hash to find it by
    (login by mobile, search by a whole number) without storing it in clear.
    A user's and a person's (org.Person)."""

    mobile_encrypted = models.TextField(_("mobile (encrypted)"), blank=True, editable=False)
    mobile_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True

    @property
    def mobile(self) -> str:
        return crypto.decrypt(self.mobile_encrypted)

    def set_mobile(self, value: str) -> None:
        self.mobile_encrypted, self.mobile_hash = sealed(value)


class User(AbstractUser, EncryptedMobile):
    """用户: one login for a person, whatever committees they work in."""

    display_name = models.CharField(_("full name"), max_length=64, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # The committee whose security administrator created the account: it lists
    # the account before any role or seat links it to a committee.
    home_committee = models.ForeignKey(
        "org.Committee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created in committee"),
    )
    # Second factor (TOTP, RFC 6238): the shared secret encrypted at rest and the
    # last time step accepted, so a code cannot be replayed.
    totp_secret_encrypted = models.TextField(blank=True, editable=False)
    totp_enabled_at = models.DateTimeField(_("two-factor enabled at"), null=True, blank=True)
    totp_last_step = models.BigIntegerField(null=True, blank=True, editable=False)
    # 长辈版: larger text and tap targets, a simpler home (accounts/preferences.py).
    elder_mode = models.BooleanField(_("elder-friendly mode"), default=False)

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.display_name or self.username

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        # Refused before Django's deletion opens its transaction, so the
        # caller's transaction stays usable (querysets and cascades are
        # refused by the pre_delete guard, accounts/residual.py).
        from lvzhi.accounts.residual import refuse_if_acted

        refuse_if_acted(self)
        return super().delete(*args, **kwargs)

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret_encrypted)

    @property
    def totp_secret(self) -> str:
        return crypto.decrypt(self.totp_secret_encrypted)


class Role(models.TextChoices):
    STAFF = "staff", _("office staff")
    LEADER = "leader", _("chairpersons' meeting member")
    UNIT = "unit", _("handling unit")
    GOV_LEADER = "gov_leader", _("party/government leader")
    SYSADMIN = "sysadmin", _("system administrator")
    SECADMIN = "secadmin", _("security administrator")
    AUDITOR = "auditor", _("audit administrator")


ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


class Area(models.TextChoices):
    """Functional areas of office staff (机关职能)."""

    NONE = "", _("(none)")
    PROPOSALS = "proposals", _("proposals")
    OPINIONS = "opinions", _("public-opinion reports")
    DUTIES = "duties", _("duties")
    CONSULTATIONS = "consultations", _("consultations")
    PUBLIC = "public", _("public channel")
    ORG = "org", _("organisation and roster")


class RoleAssignment(models.Model):
    """角色分配: a user holds a role within one committee (staff with an area)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    committee = models.ForeignKey(
        "org.Committee",
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("committee"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    area = models.CharField(
        _("functional area"), max_length=16, choices=Area.choices, blank=True, default=""
    )
    # Unit users act for one handling unit; the id points at org.HandlingUnit.
    unit = models.ForeignKey(
        "org.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("handling unit"),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )

    class Meta:
        verbose_name = _("role assignment")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "committee", "role", "area"], name="unique_role_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.get_area_display()}".strip()


class PasswordHistory(models.Model):
    """口令历史: the hash of a password the account had, so the last five are
    not used again (accounts.passwords.PasswordHistoryValidator)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.user_id}: password of {self.created_at:%Y-%m-%d}"


class RecoveryCode(models.Model):
    """恢复码: a single-use code for a login without the phone. Only a keyed
    hash is kept (core.crypto.blind_index); the user sees the codes once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("user")
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="unique_recovery_code")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: recovery code"


class LoginFailure(models.Model):
    """登录失败计数: failures per account and IP; a lock lasts 30 minutes.

    ``username`` is the account key: the username (lower case) of the account
    the typed name or mobile number resolves to, else the typed text itself, so
    failures by username and by mobile number count together. ``ip`` is "" when
    unknown (never NULL, so the unique constraint holds)."""

    username = models.CharField(_("account"), max_length=150)
    ip = models.CharField(_("IP address"), max_length=45, blank=True, default="")
    failures = models.PositiveIntegerField(_("failures"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("login failure")
        constraints = [
            models.UniqueConstraint(fields=["username", "ip"], name="unique_login_failure")
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.ip}: {self.failures}"
