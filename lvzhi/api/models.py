"""Personal access tokens and the stored answers of idempotent POSTs (DESIGN §5, API)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import CommitteeScoped


class ApiToken(CommitteeScoped):
    """访问令牌: a member's client acts as the user, in one committee.

    Only the SHA-256 of the token is stored; the token itself is shown once,
    when created. ``prefix`` (the first characters) tells tokens apart in the list."""

    class Scope(models.TextChoices):
        READ = "read", _("read only")
        WRITE = "write", _("read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(_("token prefix"), max_length=16)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # A system credential (系统接口凭据) of a handling unit's office system: its
    # user is an account of its own that acts only for this unit (no stored
    # roles; the credential grants the unit role while a request runs), made
    # by the proposal office, named by ``created_by``.
    unit = models.ForeignKey(
        "org.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling unit"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access token")
        indexes = [models.Index(fields=["committee", "unit", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def is_system(self) -> bool:
        return self.unit_id is not None

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class IdempotentRequest(models.Model):
    """The answer to one POST sent with an ``Idempotency-Key``: a retry with
    the same key gets it again and nothing is written twice.

    ``owner`` is ``token:<id>`` or ``user:<id>`` (a session): keys of two
    clients never collide. ``fingerprint`` is the SHA-256 of method, path and
    body, so the same key reused for another request is refused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    owner = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"


class WebhookEndpoint(CommitteeScoped):
    """A handling unit's office system hears of its proposals here (回调地址).

    The secret signs every delivery, so it is kept (encrypted with
    ``core.crypto``), not hashed; it is shown once, when registered."""

    unit = models.ForeignKey(
        "org.HandlingUnit",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("handling unit"),
    )
    url = models.URLField(_("address"), max_length=500)
    secret_encrypted = models.TextField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook address")
        indexes = [models.Index(fields=["unit", "removed_at"])]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: the outbox row a job POSTs, retried with
    back-off, written in the transaction of what it announces. ``source``
    names that (``event:<id>`` of a proposal event, ``remind:<key>`` of a
    deadline reminder), so the same cause never queues it twice."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=32)
    source = models.CharField(max_length=220)
    payload = models.JSONField(default=dict)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "source"], name="unique_webhook_source")
        ]
        indexes = [
            models.Index(fields=["delivered_at", "next_attempt_at"]),
            # The pruning of finished rows past the retention period.
            models.Index(fields=["created_at"], name="api_webhookdelivery_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"
