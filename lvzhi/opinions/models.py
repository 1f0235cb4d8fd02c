"""社情民意: public-opinion reports, their edited items, issues, forwardings,
adoptions and leaders' instructions (DESIGN §6)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import CommitteeScoped, WorkflowEvent


class Level(models.TextChoices):
    NATIONAL = "national", _("national CPPCC")
    PROVINCIAL = "provincial", _("provincial CPPCC")
    CITY = "city", _("city")
    COUNTY = "county", _("county/district")


class Recorded(CommitteeScoped):
    """A row staff write: who wrote it and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class ItemOutcome(Recorded):
    """What became of an edited item (forwarded, adopted, instructed), on a date."""

    # "forwardings", "adoptions", "instructions".
    item = models.ForeignKey(
        "EditedItem", on_delete=models.PROTECT, related_name="%(class)ss", verbose_name=_("item")
    )
    date = models.DateField(_("date"))

    class Meta:
        abstract = True
        ordering = ["date", "id"]


class Withdrawable(ItemOutcome):
    """An adoption or an instruction: at a level, withdrawn (not deleted) when
    recorded by mistake, with the duty records it earned."""

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)

    class Meta(ItemOutcome.Meta):
        abstract = True


class Category(CommitteeScoped):
    """信息类别: a category of reports (e.g. 经济发展, 社会民生), configurable per committee."""

    name = models.CharField(_("name"), max_length=32)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["committee", "order", "id"]
        verbose_name = _("report category")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_opinion_category")
        ]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    IN_EDITING = "in_editing", _("in editing")
    USED = "used", _("used in an issue")
    NOT_USED = "not_used", _("not used")
    MERGED = "merged", _("merged")


class SubmitterKind(models.TextChoices):
    MEMBER = "member", _("member")
    SECTOR = "sector", _("sector")
    SPECIAL_COMMITTEE = "special_committee", _("special committee")
    GROUP = "group", _("party or organisation group")


class Report(CommitteeScoped):
    """社情民意信息: a short report submitted by members or a group of them."""

    title = models.CharField(_("title"), max_length=100)
    # The original text: never changed once the report is submitted.
    text = models.TextField(_("text"))
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("category"),
    )
    submitter_kind = models.CharField(
        _("submitted as"),
        max_length=20,
        choices=SubmitterKind.choices,
        default=SubmitterKind.MEMBER,
    )
    sector = models.ForeignKey(
        "org.Sector",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sector"),
    )
    special_committee = models.ForeignKey(
        "org.SpecialCommittee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("special committee"),
    )
    group_name = models.CharField(_("party or organisation group"), max_length=100, blank=True)
    author = models.ForeignKey(
        "org.Member",
        on_delete=models.PROTECT,
        related_name="authored_opinion_reports",
        verbose_name=_("author"),
    )
    submitters = models.ManyToManyField(
        "org.Member",
        through="ReportSubmitter",
        related_name="opinion_reports",
        verbose_name=_("submitters"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # A hidden token of the form that created the draft: a double click or a
    # second tab posting the same form finds the report it already created.
    create_token = models.UUIDField(default=uuid.uuid4, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("serial number"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    item = models.ForeignKey(
        "EditedItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("edited item"),
    )
    not_used_reason = models.CharField(_("reason for not using"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("public-opinion report")
        constraints = [
            models.UniqueConstraint(fields=["create_token"], name="unique_report_create_token"),
            models.UniqueConstraint(
                fields=["committee", "year", "serial"],
                condition=models.Q(serial__isnull=False),
                name="unique_report_serial",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "status", "submitted_at"]),
            models.Index(fields=["committee", "year", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_individual(self) -> bool:
        """Submitted by members in their own name (not for a sector or a group)."""
        return self.submitter_kind == SubmitterKind.MEMBER

    @property
    def code(self) -> str:
        """The registration number staff quote, e.g. 2026-0012."""
        if self.serial is None or self.year is None:
            return ""
        return f"{self.year}-{self.serial:04d}"


class ReportSubmitter(models.Model):
    """报送人: one member who submitted a report (joint reports have several)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="submitter_rows")
    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "member"], name="unique_report_submitter")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.member_id}"


class EventAction(models.TextChoices):
    CREATED = "created", _("draft written")
    REVISE = "revise", _("draft changed")
    SUBMIT = "submit", _("submitted")
    ACCEPT = "accept", _("taken into editing")
    EDIT = "edit", _("edited text changed")
    MERGE = "merge", _("merged into an item")
    NOT_USE = "not_use", _("marked as not used")
    PUBLISH = "publish", _("published in an issue")
    FORWARD = "forward", _("forwarded")
    ADOPT = "adopt", _("adopted")
    ADOPTION_CORRECT = "adoption_correct", _("adoption corrected")
    ADOPTION_WITHDRAW = "adoption_withdraw", _("adoption withdrawn")
    INSTRUCTION = "instruction", _("leader's instruction")
    INSTRUCTION_WITHDRAW = "instruction_withdraw", _("instruction withdrawn")


class ReportEvent(WorkflowEvent):
    """办理记录: one step in a report's history (append-only)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=48, choices=EventAction.choices)

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_action_display()}"


class IssueKind(models.TextChoices):
    JOURNAL = "journal", _("journal")
    SPECIAL = "special", _("special report")


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class Issue(Recorded):
    """期刊/专报: a numbered issue in which edited items are published."""

    kind = models.CharField(_("kind"), max_length=16, choices=IssueKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    to_upper = models.BooleanField(_("to the upper committee"), default=False)
    to_party = models.BooleanField(_("to the party committee"), default=False)
    to_government = models.BooleanField(_("to the government"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "kind", "-number"]
        verbose_name = _("issue")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "kind", "number"], name="unique_issue_number"
            )
        ]
        indexes = [models.Index(fields=["committee", "status", "year"])]

    def __str__(self) -> str:
        return str(
            _("%(kind)s %(year)s No. %(number)s")
            % {"kind": self.get_kind_display(), "year": self.year, "number": self.number}
        )

    @property
    def is_published(self) -> bool:
        return self.status == IssueStatus.PUBLISHED

    @property
    def is_special_report(self) -> bool:
        return self.kind == IssueKind.SPECIAL


class IssueEvent(WorkflowEvent):
    """期刊记录: one step of an issue (its items changed, its publication); append-only."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="events")

    def __str__(self) -> str:
        return f"{self.issue_id} {self.action}"


class EditedItem(Recorded):
    """编辑稿: the edited text of one or several reports, as published in an issue."""

    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("edited text"))
    issue = models.ForeignKey(
        Issue,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        verbose_name=_("issue"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["issue", "position", "id"]
        verbose_name = _("edited item")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.issue is not None and self.issue.status == IssueStatus.PUBLISHED


class ForwardTarget(models.TextChoices):
    UPPER = "upper", _("upper committee")
    PARTY = "party", _("party committee")
    GOVERNMENT = "government", _("government")


class Forwarding(ItemOutcome):
    """报送: an edited item sent on to an upper committee, the party committee or the government."""

    target = models.CharField(_("sent to"), max_length=16, choices=ForwardTarget.choices)
    target_name = models.CharField(_("recipient"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(ItemOutcome.Meta):
        verbose_name = _("forwarding")

    def __str__(self) -> str:
        return f"{self.item_id} → {self.get_target_display()}"


class NationalMode(models.TextChoices):
    SINGLE = "single", _("adopted on its own")
    COMBINED = "combined", _("adopted in a combined report")


class Adoption(Withdrawable):
    """采用: an edited item adopted at a level; earns the submitters a duty record."""

    national_mode = models.CharField(
        _("national adoption"), max_length=16, choices=NationalMode.choices, blank=True
    )
    text = models.TextField(_("text or note"), blank=True)

    class Meta(Withdrawable.Meta):
        verbose_name = _("adoption")
        constraints = [
            # One live adoption per item and level: recording it twice never counts twice.
            models.UniqueConstraint(
                fields=["item", "level"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="unique_live_adoption_level",
            )
        ]
        indexes = [models.Index(fields=["committee", "level", "date"])]

    def __str__(self) -> str:
        return f"{self.item_id} {self.get_level_display()}"

    @property
    def label(self) -> str:
        """What the history and the submitters read: the level and the date."""
        return f"{self.get_level_display()} {self.date:%Y-%m-%d}"


class Instruction(Withdrawable):
    """批示: a leader's written instruction on an edited item."""

    leader_title = models.CharField(_("leader"), max_length=100)
    text = models.TextField(_("text"), blank=True)

    class Meta(Withdrawable.Meta):
        verbose_name = _("instruction")
        indexes = [models.Index(fields=["committee", "level", "date"])]

    def __str__(self) -> str:
        return f"{self.item_id} {self.leader_title}"

    @property
    def label(self) -> str:
        """What the history and the submitters read: the leader's title."""
        return self.leader_title
