"""Points: the policy that turns duty records into a 100-point annual score,
the stored scores, the annual assessment and the quarterly bulletins."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.models import CommitteeScoped, WorkflowEvent, user_link
from lvzhi.duties.models import DutyCategory, DutyKind, Reviewed


class RequirementSet(CommitteeScoped):
    """履职基本要求: a set of minimum annual duties such as "六个一" or "五个一"."""

    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        ordering = ["committee", "id"]
        verbose_name = _("requirement set")
        constraints = [
            models.UniqueConstraint(fields=["committee", "code"], name="unique_requirement_set")
        ]

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    """一项基本要求: e.g. "one research trip" — met by ``count`` records of the listed kinds."""

    requirement_set = models.ForeignKey(
        RequirementSet, on_delete=models.CASCADE, related_name="requirements"
    )
    label = models.CharField(_("requirement"), max_length=100)
    kinds = models.JSONField(_("duty kinds that satisfy it"), default=list)
    count = models.PositiveSmallIntegerField(_("how many"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["requirement_set", "order", "id"]
        verbose_name = _("requirement")

    def __str__(self) -> str:
        return self.label


class Policy(CommitteeScoped):
    """积分政策: the rules of one committee for one year, versioned; one is active."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        ARCHIVED = "archived", _("archived")

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    base_score = models.DecimalField(
        _("base score"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    max_score = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=2, default=Decimal("100")
    )
    excellent_threshold = models.DecimalField(
        _("excellent from"), max_digits=6, decimal_places=2, default=Decimal("85")
    )
    competent_threshold = models.DecimalField(
        _("competent from"), max_digits=6, decimal_places=2, default=Decimal("60")
    )
    requirement_set = models.ForeignKey(
        RequirementSet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("required duties"),
    )
    # The policy language (points/language.py) as a scheme-file document
    # (docs/points.md); empty for a policy kept in the simple fields above.
    scheme = models.JSONField(_("scheme"), default=dict, blank=True)
    created_by = user_link()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "-year", "-version"]
        verbose_name = _("points policy")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "version"], name="unique_policy_version"
            ),
            models.UniqueConstraint(
                fields=["committee", "year"],
                condition=models.Q(status="active"),
                name="one_active_policy_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.year} v{self.version}）"

    @property
    def status_badge(self) -> str:
        """The Bootstrap colour of the status badge."""
        badges: dict[str, str] = {
            self.Status.ACTIVE: "text-bg-success",
            self.Status.DRAFT: "text-bg-warning",
        }
        return badges.get(self.status, "text-bg-secondary")


class PolicyEvent(WorkflowEvent):
    """政策日志: one step of a policy (changed, activated, archived); append-only."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="events")


class PolicyKindPoints(models.Model):
    """每项积分: points one duty record of a kind earns (negative: a penalty)."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="kind_points")
    kind = models.CharField(_("duty kind"), max_length=32, choices=DutyKind.choices)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["policy", "id"]
        verbose_name = _("points per duty kind")
        constraints = [
            models.UniqueConstraint(fields=["policy", "kind"], name="unique_policy_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points}"


class PolicyCategoryCap(models.Model):
    """类别上限: at most this many points from one category of duties a year."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="caps")
    category = models.CharField(_("category"), max_length=32, choices=DutyCategory.choices)
    cap = models.DecimalField(_("cap"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["policy", "id"]
        verbose_name = _("category cap")
        constraints = [
            models.UniqueConstraint(fields=["policy", "category"], name="unique_policy_category")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ≤ {self.cap}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    COMPETENT = "competent", _("competent")
    NOT_COMPETENT = "not_competent", _("not competent")


class MemberScore(CommitteeScoped):
    """年度积分: a member's score for a year under the active policy, in step with the ledger."""

    member = models.ForeignKey(
        "org.Member", on_delete=models.CASCADE, related_name="scores", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    policy = models.ForeignKey(
        Policy, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("policy")
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, default=Decimal("0"))
    grade = models.CharField(
        _("grade"), max_length=16, choices=Grade.choices, default=Grade.NOT_COMPETENT
    )
    # The scheme's label of the grade (schemes name their own grades).
    grade_label = models.CharField(_("grade"), max_length=32, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    class Meta:
        ordering = ["-score", "member_id"]
        verbose_name = _("member score")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="unique_member_score")
        ]
        indexes = [models.Index(fields=["committee", "year", "score"])]

    @property
    def grade_badge(self) -> str:
        """The Bootstrap colour of the grade badge."""
        badges: dict[str, str] = {
            Grade.EXCELLENT: "text-bg-success",
            Grade.COMPETENT: "text-bg-primary",
        }
        return badges.get(self.grade, "text-bg-danger")


class PolicyEntry(CommitteeScoped):
    """积分登记: what staff record by hand for a member's year, with a reason —
    a duty of a kind the scheme marks as recorded by staff, an itemised
    adjustment of the score, or a veto item that caps the grade."""

    class Type(models.TextChoices):
        DUTY = "duty", _("duty recorded by staff")
        ADJUSTMENT = "adjustment", _("adjustment")
        VETO = "veto", _("veto item")

    member = models.ForeignKey(
        "org.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    code = models.CharField(_("kind or veto item"), max_length=32, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal("0"))
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = user_link()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("points entry")
        indexes = [models.Index(fields=["committee", "year", "member"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.code} {self.reason}"


class Assessment(Reviewed, CommitteeScoped):
    """年度考核: a member's self-report (述职), the staff review and the published result."""

    class State(models.TextChoices):
        OPEN = "open", _("awaiting self-report")
        SUBMITTED = "submitted", _("self-report submitted")
        REVIEWED = "reviewed", _("reviewed")
        PUBLISHED = "published", pgettext_lazy("made public", "published")

    member = models.ForeignKey(
        "org.Member", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    self_report = models.TextField(_("self-report"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    adjustment = models.DecimalField(
        _("adjustment"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    adjustment_reason = models.CharField(_("reason for the adjustment"), max_length=500, blank=True)
    # Fixed when published:
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    final_score = models.DecimalField(
        _("final score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True)
    grade_label = models.CharField(_("grade"), max_length=32, blank=True)
    unmet = models.JSONField(_("unmet requirements"), default=list, blank=True)
    flag_below_competent = models.BooleanField(_("below the competent line"), default=False)
    flag_two_years = models.BooleanField(_("below the line two years running"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "member_id"]
        verbose_name = _("annual assessment")
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="unique_assessment")]
        indexes = [models.Index(fields=["committee", "year", "state"])]

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class AssessmentEvent(WorkflowEvent):
    """考核日志: one step of an assessment (append-only)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")


class Bulletin(CommitteeScoped):
    """季度通报: participation per sector and members short of the requirements, per quarter."""

    class State(models.TextChoices):
        DRAFT = "draft", _("to review")
        PUBLISHED = "published", pgettext_lazy("made public", "published")

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    data = models.JSONField(_("figures"), default=dict)
    note = models.TextField(_("comment"), blank=True)
    generated_at = models.DateTimeField(_("generated at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = user_link()

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("quarterly bulletin")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "quarter"], name="unique_bulletin_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class BulletinEvent(WorkflowEvent):
    """通报日志: one step of a bulletin (regenerated, published); append-only."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="events")


class TalkRecord(CommitteeScoped):
    """谈话记录: a convener's talk with a member of the sector below the competent line."""

    member = models.ForeignKey(
        "org.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    # The assessment year the talk follows up (the year of the low grade).
    year = models.PositiveSmallIntegerField(_("year"))
    date = models.DateField(_("date of the talk"))
    summary = models.TextField(pgettext_lazy("talk", "summary"), max_length=2000)
    next_step = models.CharField(pgettext_lazy("talk", "next step"), max_length=500)
    created_by = user_link()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("talk record")
        indexes = [models.Index(fields=["committee", "year", "member"])]

    def __str__(self) -> str:
        return f"{self.date} {self.member_id}"
