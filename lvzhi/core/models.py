"""The shared kernel's tables: the tenant base, the audit trail and the
working-day calendar."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.audit_chain import GENESIS


def user_link(label: Any = None, **options: Any) -> Any:
    """A link to the user who recorded or decided something; the row stays
    (the link empty) when the account goes. Options pass through (``blank=True``)."""
    if label is not None:
        options["verbose_name"] = label
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", **options
    )


class CommitteeScoped(models.Model):
    """Base of every domain row: it belongs to exactly one committee (tenant)."""

    committee = models.ForeignKey(
        "org.Committee", on_delete=models.PROTECT, related_name="+", verbose_name=_("committee")
    )

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """For logs (the audit trail, workflow event rows): rows are only ever
    added, so bulk updates and deletes are refused."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError(f"{self.model._meta.label} rows are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(f"{self.model._meta.label} rows are append-only")

    def create_dated(self, created_at: Any, **fields: Any) -> Any:
        """Insert a row with a given time (demo history): a raw insert keeps
        ``created_at`` instead of the ``auto_now_add`` time, as the row can
        never be changed afterwards (the database refuses it)."""
        row = self.model(created_at=created_at, **fields)
        row.save_base(raw=True, using=self.db)
        return row


class WorkflowEvent(models.Model):
    """Base of every app's event log (流程记录): one step of an object's
    workflow, written by ``core.workflow.transition`` and never changed.

    A subclass adds the foreign key to the object it logs, named as the
    workflow's ``event_subject`` says (e.g. ``proposal``)."""

    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=48)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    # Facts of the step a timeline shows (e.g. the unit assigned, the class given).
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


class CommitteeSetting(models.Model):
    """委员会设置: one committee's override of one setting's default.

    The definitions (key, type, default, bounds) live in code, registered by
    the app that reads them (core.committee_settings); a committee that never
    changed a setting has no row and reads the default."""

    committee = models.ForeignKey(
        "org.Committee", on_delete=models.CASCADE, related_name="+", verbose_name=_("committee")
    )
    key = models.CharField(_("setting"), max_length=100)
    value = models.JSONField(_("value"))
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["committee", "key"]
        verbose_name = _("committee setting")
        constraints = [
            models.UniqueConstraint(fields=["committee", "key"], name="unique_committee_setting")
        ]

    def __str__(self) -> str:
        return f"{self.committee_id}:{self.key}"


class AuditChainHead(models.Model):
    """The head of the audit hash chain (core.audit_seal): one row for the
    platform, locked only by the sealer, never by a business transaction."""

    PLATFORM = 1

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)
    # Where the chain starts after ``audit_archive`` removed older rows.
    archived_seq = models.PositiveBigIntegerField(default=0)
    archived_hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"audit chain at {self.seq}"

    @classmethod
    def locked(cls, using: str = "default") -> AuditChainHead:
        """The head, locked until the transaction ends.

        The migration creates it, but a flush (the test runner's) removes it:
        it is created again with INSERT … ON CONFLICT DO NOTHING, so sealers
        arriving together never race each other to create it."""
        manager = AuditChainHead.objects.using(using)
        head = manager.select_for_update().filter(pk=cls.PLATFORM).first()
        if head is None:
            manager.bulk_create([AuditChainHead(pk=cls.PLATFORM)], ignore_conflicts=True)
            head = manager.select_for_update().get(pk=cls.PLATFORM)
        return head


class AuditQuerySet(AppendOnlyQuerySet):
    """Audit rows enter one by one through ``save``, which asks for them to
    be sealed into the hash chain after the commit."""

    def bulk_create(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("audit rows are written one by one (the hash chain)")

    def with_chain(self) -> AuditQuerySet:
        """Each row with its place in the chain (``seq``, ``prev_hash``,
        ``hash``; None while not yet sealed), for the walk and the archive."""
        return self.annotate(
            seq=F("seal__seq"), prev_hash=F("seal__prev_hash"), hash=F("seal__hash")
        )


class AuditEvent(models.Model):
    """审计日志: one security-relevant event; never updated or deleted (the
    database refuses it: core.append_only) and sealed into a hash chain."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("success")
        FAILURE = "failure", _("failure")
        DENIED = "denied", _("denied")

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # The row outlives the account and the committee it names (no database
    # constraint, nothing done on their deletion): the row is never rewritten.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("actor"),
    )
    # The name typed at login or the actor's username, kept even if the user goes.
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # What the object was called when it happened, so the auditor reads a name.
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    committee = models.ForeignKey(
        "org.Committee",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("committee"),
    )
    result = models.CharField(
        _("result"), max_length=16, choices=Result.choices, default=Result.SUCCESS
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True, db_index=True)
    # "web", "job:<name>" or "command:<name>" (core.context)
    channel = models.CharField(_("channel"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        indexes = [
            models.Index(fields=["action", "created_at"]),
            # The audit list: a committee's page in its order, and the actions
            # present in its trail (the filter's choices) read off the index
            # alone instead of every row (DESIGN §7).
            models.Index(
                F("committee"), F("created_at").desc(), F("id").desc(), name="audit_list_order"
            ),
            models.Index(fields=["committee", "action"], name="audit_committee_action"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert the row; an existing row is never saved again.

        The row joins the hash chain after its transaction commits
        (core.audit_seal): taking the chain's head here would hold it until
        the business transaction ends, queue every write of the platform
        behind one row and deadlock against the rows those writes lock."""
        if not self._state.adding:
            raise TypeError("audit rows are append-only")
        using = kwargs.get("using") or "default"
        # The values as stored (an aware time, the IP as Django writes it),
        # so the hash computed at sealing is the one verified later.
        if timezone.is_naive(self.created_at):
            self.created_at = timezone.make_aware(self.created_at)
        self.ip = AuditEvent.ip.field.get_prep_value(self.ip)
        kwargs["force_insert"] = True
        from lvzhi.core.audit_seal import seal_after_commit, sealed_with

        if sealed_with(self, using, lambda: super(AuditEvent, self).save(*args, **kwargs)):
            return
        super().save(*args, **kwargs)
        seal_after_commit(using)


class AuditSeal(models.Model):
    """审计链: an audit row's place in the hash chain (core.audit_seal),
    written after the row committed; append-only like the row itself."""

    event = models.OneToOneField(
        AuditEvent,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="seal",
    )
    seq = models.PositiveBigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"audit seal {self.seq}"


class Holiday(models.Model):
    """节假日安排: a public holiday, or a make-up working day on a weekend (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday (day off)")
        WORKDAY = "workday", _("make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Notification(models.Model):
    """站内通知: one message in a user's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    committee = models.ForeignKey(
        "org.Committee",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("committee"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Makes a repeated notify() of the same event a no-op (e.g. a retried job).
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="unique_notification_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EmailOutbox(models.Model):
    """邮件发件箱: an e-mail written in the same transaction as the change, sent by a job."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    notification = models.OneToOneField(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="email"
    )
    to_address = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outgoing e-mail")
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: the original name is kept in the row, never on disk.
    return f"attachments/{instance.committee_id}/{uuid.uuid4().hex}"


class Attachment(CommitteeScoped):
    """附件: an uploaded file belonging to one object; served only after a permission check."""

    owner_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    owner_id = models.PositiveBigIntegerField()
    purpose = models.CharField(_("purpose"), max_length=32, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.original_name


def _export_path(job: ExportJob, filename: str) -> str:
    # A random name: the link to the file is the job, checked per request.
    return f"exports/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """导出任务: an export too large for one request, written by a background
    job (core.exports) with its progress, downloaded by whoever asked."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("export job", "queued")
        RUNNING = "running", pgettext_lazy("export job", "being written")
        DONE = "done", pgettext_lazy("export job", "ready")
        FAILED = "failed", pgettext_lazy("export job", "failed")

    # The page's address: not guessable, and checked against the requester.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    committee = models.ForeignKey(
        "org.Committee", on_delete=models.CASCADE, related_name="+", verbose_name=_("committee")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("requested by"),
    )
    # The registered export (core.exports) and the list's filters it was asked with.
    export = models.CharField(max_length=64)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_export_path, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export job")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class Correction(CommitteeScoped):
    """更正记录: one field of a record corrected after the fact, with the value
    it had, the value it got, who corrected it and why (DESIGN §12). Written
    by ``core.corrections.corrections_record`` and never changed, so the
    original stays readable beside the record."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=64)
    # The field's label and both values as people read them (choice labels,
    # names), fixed when the correction was made.
    label = models.CharField(_("item"), max_length=100)
    original = models.TextField(_("original value"), blank=True)
    corrected = models.TextField(_("corrected value"), blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    actor = user_link(_("corrected by"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("correction")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.label}: {self.original} → {self.corrected}"


class RateCounter(models.Model):
    """计数器: how many times something happened under ``key`` in one time
    window (an hour of an address's public messages, a minute of an API
    token's writes, a minute of a venue's refusals). Counted by one atomic
    upsert that returns the new count (core.ratelimit.counter_bump), so
    parallel requests never share a number; old rows are pruned every hour."""

    key = models.CharField(_("counter key"), max_length=120)
    window = models.CharField(_("time window"), max_length=12)
    count = models.PositiveIntegerField(_("count"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="core_ratecounter_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}: {self.count}"
