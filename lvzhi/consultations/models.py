"""协商 and 民主监督: the annual consultation plan and its topics, consultations
of every format with their stages, online consultation posts, quality
evaluation, and the democratic-supervision plan with inspections and findings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.calendar import deadline_state
from lvzhi.core.models import CommitteeScoped, WorkflowEvent

# --- Topics and the annual plan ---------------------------------------------------------


class TopicSource(models.TextChoices):
    GOVERNMENT = "government", _("set by party and government leaders")
    PUBLIC = "public", _("raised by the public")
    MEMBER = "member", _("recommended by members")
    OFFICE = "office", _("chosen by the committee office")


class Topic(CommitteeScoped):
    """协商议题: a topic proposed for the year's consultation plan, from one of four sources."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        SHORTLISTED = "shortlisted", _("shortlisted")
        DECLINED = "declined", _("not shortlisted")

    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=16, choices=TopicSource.choices)
    title = models.CharField(_("topic"), max_length=200)
    rationale = models.TextField(_("rationale"), max_length=2000)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposer_member = models.ForeignKey(
        "org.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposing member"),
    )
    # Who raised it, as staff typed it or as the public channel recorded it.
    proposer_name = models.CharField(_("proposer"), max_length=100, blank=True)
    # The public channel's message this topic came from (三听三转), if any.
    public_reference = models.CharField(_("public message"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    status_note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("consultation topic")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "title"], name="unique_topic_title_per_year"
            )
        ]
        indexes = [models.Index(fields=["committee", "year", "status"])]

    def __str__(self) -> str:
        return self.title


class TopicEvent(WorkflowEvent):
    """协商议题记录: one step of a topic (proposed, shortlisted or not), never changed."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")


class ConsultationFormat(models.TextChoices):
    STANDING_MEETING = "standing_meeting", _("special-topic standing committee meeting")
    SPECIAL_MEETING = "special_meeting", _("special consultation meeting")
    COUNTERPART = "counterpart", _("counterpart consultation with a department")
    SECTOR = "sector", _("sector consultation")
    PROPOSAL_HANDLING = "proposal_handling", _("proposal-handling consultation")
    INVITED = "invited", _("“Please come to consult” (请你来协商)")
    GOOD_TALK = "good_talk", _("“Let's talk it over” (有事好商量)")
    ROUND_TABLE = "round_table", _("sector round table")
    ONLINE = "online", _("online consultation")


class YearlyPlan(CommitteeScoped):
    """A plan of the committee for one year (协商计划, 民主监督计划), drafted
    and then published; one per committee and year (the constraint is the
    concrete model's, under its own name)."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class ConsultationPlan(YearlyPlan):
    """年度协商计划: the committee's consultation plan for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", pgettext_lazy("made public", "published")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta(YearlyPlan.Meta):
        verbose_name = _("consultation plan")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="unique_plan_per_year")
        ]


class PlanItem(CommitteeScoped):
    """计划协商议题: a topic placed in the plan with its format and month."""

    plan = models.ForeignKey(
        ConsultationPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan")
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("topic")
    )
    format = models.CharField(_("format"), max_length=20, choices=ConsultationFormat.choices)
    month = models.PositiveSmallIntegerField(_("month"))
    lead = models.CharField(_("lead body"), max_length=100, blank=True)

    class Meta:
        ordering = ["month", "id"]
        verbose_name = _("planned topic")
        constraints = [
            models.UniqueConstraint(fields=["plan", "topic"], name="unique_topic_in_plan")
        ]

    def __str__(self) -> str:
        return f"{self.month}: {self.topic_id}"


class PlanEvent(WorkflowEvent):
    """协商计划记录: one step of the plan (approval, publication), never changed."""

    plan = models.ForeignKey(ConsultationPlan, on_delete=models.CASCADE, related_name="events")


# --- Consultations -----------------------------------------------------------------------


class Consultation(CommitteeScoped):
    """协商活动: one consultation of any format, followed from topic to closure."""

    class State(models.TextChoices):
        TOPIC = "topic", _("topic set")
        PREPARATION = "preparation", _("in preparation")
        MEETING = "meeting", _("meeting")
        OUTCOMES = "outcomes", _("outcomes being drafted")
        SENT = "sent", _("outcomes sent")
        FEEDBACK = "feedback", _("feedback received")
        REVIEW = "review", _("follow-up review")
        CLOSED = "closed", _("closed")

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    format = models.CharField(_("format"), max_length=20, choices=ConsultationFormat.choices)
    state = models.CharField(_("stage"), max_length=16, choices=State.choices, default=State.TOPIC)
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("topic"),
    )
    plan_item = models.ForeignKey(
        PlanItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
        verbose_name=_("planned topic"),
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    # 有事好商量: the first convener is a member, the second the responsible department.
    first_convener = models.ForeignKey(
        "org.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("first convener"),
    )
    # The counterpart department, or the responsible department (second convener).
    department = models.ForeignKey(
        "org.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    sector = models.ForeignKey(
        "org.Sector",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sector"),
    )
    sector_cluster = models.ForeignKey(
        "org.SectorCluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sector cluster"),
    )
    # The proposal being handled (its number as the proposals app shows it).
    proposal_reference = models.CharField(_("proposal number"), max_length=50, blank=True)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    review_note = models.TextField(_("follow-up review"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Idempotent creation: a double click or a second tab creates one consultation.
    token = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("consultation")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "token"],
                condition=~models.Q(token=""),
                name="unique_consultation_token",
            )
        ]
        indexes = [
            models.Index(fields=["committee", "year", "state"]),
            models.Index(fields=["committee", "format"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return self.format == ConsultationFormat.ONLINE

    @property
    def has_two_conveners(self) -> bool:
        """有事好商量: a member and the responsible department convene it."""
        return self.format == ConsultationFormat.GOOD_TALK


class ConsultationEvent(WorkflowEvent):
    """协商进程记录: one step of a consultation (a transition or a moderation), never changed."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")


class PreparationItem(CommitteeScoped):
    """前期准备: a research trip or briefing before the meeting (text or a link)."""

    class Kind(models.TextChoices):
        RESEARCH = "research", _("research trip")
        BRIEFING = "briefing", _("briefing")
        OTHER = "other", _("other preparation")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="preparations"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), null=True, blank=True)
    # A link to the duty activity (duties app) or any other reference.
    reference = models.CharField(_("reference"), max_length=300, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("preparation item")

    def __str__(self) -> str:
        return self.title

    @property
    def reference_is_link(self) -> bool:
        """A path within the site (e.g. the duties activity), shown as a link."""
        return self.reference.startswith("/") and not self.reference.startswith("//")


class Participant(CommitteeScoped):
    """参加人员: a member, official, public representative or stakeholder taking part."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("member")
        OFFICIAL = "official", _("official")
        PUBLIC = "public", _("public representative")
        STAKEHOLDER = "stakeholder", _("stakeholder")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    member = models.ForeignKey(
        "org.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    # Invited non-members with a login (officials) may post in online consultations.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=64)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("participant")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "member"],
                condition=models.Q(member__isnull=False),
                name="unique_member_participant",
            ),
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=models.Q(user__isnull=False),
                name="unique_user_participant",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Speech(CommitteeScoped):
    """发言: what one participant said at the meeting."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="speeches"
    )
    speaker = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="speeches", verbose_name=_("speaker")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("speech")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "speaker", "title"], name="unique_speech"
            )
        ]

    def __str__(self) -> str:
        return self.title


class OutcomeItem(CommitteeScoped):
    """协商成果: one recommendation, sent to party and government or to a department."""

    class Recipient(models.TextChoices):
        PARTY_GOVERNMENT = "party_government", _("party committee and government")
        UNIT = "unit", _("department")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="outcomes"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"), max_length=4000)
    recipient = models.CharField(
        _("sent to"), max_length=20, choices=Recipient.choices, default=Recipient.UNIT
    )
    unit = models.ForeignKey(
        "org.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    feedback_deadline = models.DateField(_("feedback due"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), max_length=4000, blank=True)
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = _("outcome")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="unique_outcome_number")
        ]
        indexes = [models.Index(fields=["unit", "feedback_deadline"])]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"

    @property
    def deadline_colour(self) -> str:
        """The deadline state of an outcome awaiting feedback (core.calendar), else ""."""
        if self.feedback_deadline is None or self.feedback_at is not None:
            return ""
        return str(deadline_state(self.feedback_deadline))


class Post(CommitteeScoped):
    """网络议政发言: a post or a reply in an online consultation (threaded one level)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    member = models.ForeignKey(
        "org.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"), max_length=2000)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    token = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("online post")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "author", "token"],
                condition=~models.Q(token=""),
                name="unique_post_token",
            )
        ]

    def __str__(self) -> str:
        return self.text[:30]


class PostRevision(models.Model):
    """发言修改记录: the text a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:30]


# --- Quality evaluation ------------------------------------------------------------------


class EvaluationCriterion(CommitteeScoped):
    """协商质量评价标准: one criterion of the committee's standard with its maximum score."""

    name = models.CharField(_("criterion"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("evaluation criterion")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_criterion_name")
        ]

    def __str__(self) -> str:
        return self.name


class Evaluation(CommitteeScoped):
    """协商质量评价: the scored evaluation of one consultation."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="evaluation"
    )
    total = models.PositiveSmallIntegerField(_("total"), default=0)
    max_total = models.PositiveSmallIntegerField(_("maximum total"), default=0)
    note = models.TextField(_("comment"), max_length=2000, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now=True)

    class Meta:
        verbose_name = _("quality evaluation")

    def __str__(self) -> str:
        return f"{self.total}/{self.max_total}"


class EvaluationScore(models.Model):
    """评分: the score given for one criterion (name and maximum kept as they were)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.PROTECT, related_name="+")
    criterion_name = models.CharField(max_length=100)
    max_score = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="unique_score")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_name}: {self.score}"


# --- Democratic supervision --------------------------------------------------------------


class SupervisionPlan(YearlyPlan):
    """民主监督计划: the committee's democratic supervision plan for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", pgettext_lazy("made public", "published")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )

    class Meta(YearlyPlan.Meta):
        verbose_name = _("supervision plan")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year"], name="unique_supervision_plan_per_year"
            )
        ]


class SupervisionPlanEvent(WorkflowEvent):
    """民主监督计划记录: one step of a supervision plan (drafted, published), never changed."""

    plan = models.ForeignKey(SupervisionPlan, on_delete=models.CASCADE, related_name="events")


class SupervisionItem(CommitteeScoped):
    """监督事项: one item of the supervision plan, its subject departments and form."""

    class Form(models.TextChoices):
        MEETING = "meeting", _("supervision meeting")
        PROPOSAL = "proposal", _("supervision by proposal")
        INSPECTION = "inspection", _("inspection")
        SPECIAL = "special", _("special supervision")

    plan = models.ForeignKey(SupervisionPlan, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=200)
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    month = models.PositiveSmallIntegerField(_("month"))
    description = models.TextField(_("description"), max_length=2000, blank=True)
    subjects = models.ManyToManyField(
        "org.HandlingUnit", related_name="+", verbose_name=_("subject departments")
    )

    class Meta:
        ordering = ["month", "id"]
        verbose_name = _("supervision item")
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="unique_supervision_item")
        ]

    def __str__(self) -> str:
        return self.title


class Inspection(CommitteeScoped):
    """视察: an inspection visit under a supervision item, with the members who took part."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")

    item = models.ForeignKey(
        SupervisionItem,
        on_delete=models.CASCADE,
        related_name="inspections",
        verbose_name=_("item"),
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        "org.Member", blank=True, related_name="+", verbose_name=_("participants")
    )
    state = models.CharField(
        _("status"), max_length=16, choices=State.choices, default=State.PLANNED
    )
    report = models.TextField(_("report"), max_length=4000, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("inspection")

    def __str__(self) -> str:
        return self.title


class InspectionEvent(WorkflowEvent):
    """视察记录: one step of an inspection (planned, held), never changed."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="events")


class Finding(CommitteeScoped):
    """监督意见: a problem found, sent to a department with a rectification deadline."""

    class State(models.TextChoices):
        SENT = "sent", _("sent for rectification")
        REPORTED = "reported", _("rectification reported")
        RECTIFIED = "rectified", _("rectified")

    item = models.ForeignKey(
        SupervisionItem, on_delete=models.CASCADE, related_name="findings", verbose_name=_("item")
    )
    inspection = models.ForeignKey(
        Inspection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
        verbose_name=_("inspection"),
    )
    unit = models.ForeignKey(
        "org.HandlingUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    text = models.TextField(_("finding"), max_length=4000)
    deadline = models.DateField(_("rectify by"))
    state = models.CharField(_("status"), max_length=16, choices=State.choices, default=State.SENT)
    rectification = models.TextField(_("rectification report"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("supervision finding")
        indexes = [
            models.Index(fields=["committee", "state", "deadline"]),
            models.Index(fields=["unit", "state"]),
        ]

    def __str__(self) -> str:
        return self.text[:30]

    @property
    def deadline_colour(self) -> str:
        """The deadline state of a finding not yet rectified (core.calendar), else ""."""
        if self.state == self.State.RECTIFIED:
            return ""
        return str(deadline_state(self.deadline))


class FindingEvent(WorkflowEvent):
    """整改记录: one step of a finding (report, confirmation, return), never changed."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
