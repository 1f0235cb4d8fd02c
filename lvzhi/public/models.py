"""码上商: venues with a public QR page, citizens' messages, replies and
ratings, and their conversions into work (三听三转)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from lvzhi.core import calendar, crypto
from lvzhi.core.models import CommitteeScoped, WorkflowEvent, user_link


class Venue(CommitteeScoped):
    """码上商点位: a studio, station or consultation room with a public QR page."""

    class Kind(models.TextChoices):
        STUDIO = "studio", _("members' studio")
        STATION = "station", _("liaison station")
        ROOM = "room", _("consultation room")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    studio = models.OneToOneField(
        "org.Studio",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="public_venue",
        verbose_name=_("studio"),
    )
    station = models.OneToOneField(
        "org.Station",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="public_venue",
        verbose_name=_("liaison station"),
    )
    # A consultation room (协商室) has no org row: its name and members are here.
    name = models.CharField(_("name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    members = models.ManyToManyField(
        "org.Member", blank=True, related_name="+", verbose_name=_("members")
    )
    # Random, unguessable: the QR code points at /p/<code>/.
    code = models.CharField(_("public code"), max_length=32, unique=True)
    is_active = models.BooleanField(_("open to messages"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["committee", "kind", "id"]
        verbose_name = _("venue")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="studio", studio__isnull=False, station__isnull=True)
                    | models.Q(kind="station", station__isnull=False, studio__isnull=True)
                    | models.Q(kind="room", studio__isnull=True, station__isnull=True)
                ),
                name="venue_kind_matches_owner",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.studio_id and self.studio is not None:
            return self.studio.name
        if self.station_id and self.station is not None:
            return self.station.name
        return self.name


class Message(CommitteeScoped):
    """群众意见: a question or suggestion a citizen sent from a venue's page."""

    class Category(models.TextChoices):
        SUGGESTION = "suggestion", _("suggestion")
        QUESTION = "question", _("question")
        HELP = "help", _("request for help")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        HELD = "held", _("held for review")
        RECEIVED = "received", _("received")
        ASSIGNED = "assigned", _("assigned")
        REPLIED = "replied", _("replied")
        CLOSED = "closed", _("closed")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASIC = "basic", _("basically satisfied")
        UNSATISFIED = "unsatisfied", _("not satisfied")

    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="messages", verbose_name=_("venue")
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    text = models.TextField(_("message"))
    name = models.CharField(_("name"), max_length=32, blank=True)
    # Stored only with the citizen's consent; encrypted like Person.mobile.
    mobile_encrypted = models.TextField(blank=True, editable=False)
    mobile_hash = models.CharField(max_length=64, blank=True, editable=False)
    mobile_consent = models.BooleanField(_("consent to store the number"), default=False)
    # Keyed hash of the tracking code: the code itself is never stored.
    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The hidden token of the form: a second post of the same form is the same message.
    form_token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    held_words = models.CharField(_("words that held it"), max_length=200, blank=True)
    deadline = models.DateField(_("reply by"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        "org.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    reply = models.TextField(_("reply"), blank=True)
    reply_public = models.BooleanField(_("reply shown on the public page"), default=False)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = user_link(_("replied by"), blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("comment on the reply"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message from the public")
        indexes = [
            models.Index(fields=["committee", "status", "deadline"]),
            models.Index(fields=["committee", "venue", "status"]),
            models.Index(fields=["venue", "reply_public", "replied_at"]),
            # The inbox in its order (Meta.ordering within a committee).
            models.Index(
                F("committee"), F("created_at").desc(), F("id").desc(), name="public_inbox_order"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:30]

    @property
    def mobile(self) -> str:
        return crypto.decrypt(self.mobile_encrypted)

    @property
    def mobile_masked(self) -> str:
        return crypto.mask_mobile(self.mobile)

    def set_mobile(self, value: str) -> None:
        self.mobile_encrypted = crypto.encrypt(value)
        self.mobile_hash = crypto.blind_index(value)

    @property
    def is_open(self) -> bool:
        """Waiting for a reply: its deadline runs."""
        return self.status in (self.Status.RECEIVED, self.Status.ASSIGNED)

    @property
    def deadline_state(self) -> str:
        """How near the reply's deadline is, while one runs (else "")."""
        return calendar.deadline_state(self.deadline) if self.deadline and self.is_open else ""

    @property
    def may_convert(self) -> bool:
        """Whether the state table lets the message be converted (三听三转)."""
        from lvzhi.public.workflow import MESSAGE_FLOW  # the flow's module imports this one

        return MESSAGE_FLOW.allowed(self, "convert")

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def status_css(self) -> str:
        """The badge colour of the status (templates never compare the status)."""
        return STATUS_CSS.get(self.status, "text-bg-info")


class MessageEvent(WorkflowEvent):
    """处理记录: one step of a message's handling (append-only)."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="events", verbose_name=_("message")
    )


STATUS_CSS: dict[str, str] = {
    Message.Status.HELD: "text-bg-warning",
    Message.Status.REPLIED: "text-bg-success",
    Message.Status.CLOSED: "text-bg-secondary",
}


class Conversion(CommitteeScoped):
    """三听三转: messages turned into a proposal lead, a report, a topic or a service project."""

    target_kind = models.CharField(_("converted into"), max_length=32, db_index=True)
    # The short label citizens read on the tracking page (已转为…).
    target_label = models.CharField(_("label"), max_length=50)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    target_title = models.CharField(_("title"), max_length=200)
    messages = models.ManyToManyField(
        Message, related_name="conversions", verbose_name=_("messages")
    )
    created_by = user_link(_("converted by"), blank=True)
    created_at = models.DateTimeField(_("converted at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("conversion")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.target_label}: {self.target_title}"
