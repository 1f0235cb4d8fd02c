"""Proposals (提案): the 提、立、办、督、评 chain, from a member's draft to a closed,
evaluated reply. Rules: docs/proposals.md; transitions: workflow.py."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.models import AppendOnlyQuerySet, CommitteeScoped, WorkflowEvent
from lvzhi.proposals.settings_defs import CLASS_CODE_MAX, CLASS_LABEL_MAX

TITLE_MAX = 100
TEXT_MAX = 10_000
NOTE_MAX = 500


class ConfigEntry(CommitteeScoped):
    """A row of a list the committee configures on the settings page (a
    category, a ground for declining): ordered by hand, deactivated rather
    than deleted once a proposal refers to it."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["committee", "order", "id"]


class ProposalCategory(ConfigEntry):
    """提案类别: a subject area proposals are filed under; configurable per committee."""

    name = models.CharField(_("name"), max_length=32)

    class Meta(ConfigEntry.Meta):
        verbose_name = _("proposal category")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_proposal_category")
        ]

    def __str__(self) -> str:
        return self.name


class DeclineGround(ConfigEntry):
    """不予立案理由: one of the standard grounds for declining a proposal."""

    text = models.CharField(_("ground"), max_length=100)

    class Meta(ConfigEntry.Meta):
        verbose_name = _("ground for declining")
        constraints = [
            models.UniqueConstraint(fields=["committee", "text"], name="unique_decline_ground")
        ]

    def __str__(self) -> str:
        return self.text


class NumberCounter(CommitteeScoped):
    """提案编号计数: the last registration number used in a committee's term (locked row)."""

    term = models.ForeignKey("org.Term", on_delete=models.PROTECT, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "term"], name="unique_number_counter")
        ]

    def __str__(self) -> str:
        return f"{self.term_id}: {self.last_number}"


class Proposal(CommitteeScoped):
    """提案: a proposal by a member (or a group), from draft to closure."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("individual proposal")
        JOINT = "joint", _("joint proposal")
        SECTOR = "sector", _("sector proposal")
        PARTY = "party", _("party or organisation proposal")
        SPECIAL_COMMITTEE = "special_committee", _("special committee proposal")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for revision")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REGISTERED = "registered", _("registered")
        DECLINED = "declined", _("declined")
        MERGED = "merged", _("merged")
        ASSIGNED = "assigned", _("assigned")
        IN_HANDLING = "in_handling", _("in handling")
        REPLIED = "replied", _("replied")
        REHANDLING = "rehandling", _("re-handling")
        EVALUATED = "evaluated", _("evaluated")
        CLOSED = "closed", _("closed")

    term = models.ForeignKey(
        "org.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term")
    )
    # Set: a plenary proposal (大会提案) of that session; empty: a regular one (平时提案).
    session = models.ForeignKey(
        "org.PlenarySession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("plenary session"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    category = models.ForeignKey(
        ProposalCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("category"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    # For sector, party and special-committee proposals: the body in whose name it is filed.
    on_behalf_of = models.CharField(_("filed in the name of"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    proposer = models.ForeignKey(
        "org.Member",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("lead proposer"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    # Hidden in the draft form: a second POST of the same form creates nothing new.
    create_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    # Review outcomes.
    return_reason = models.CharField(_("reason for return"), max_length=NOTE_MAX, blank=True)
    decline_ground = models.ForeignKey(
        DeclineGround,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ground for declining"),
    )
    # A declined proposal converted into a suggestion letter (建议函) forwarded to a unit.
    letter_unit = models.ForeignKey(
        "org.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("suggestion letter sent to"),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_proposals",
        verbose_name=_("merged into"),
    )
    # Handling: which round (1, then 2 after a dissatisfied evaluation).
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    evaluation_due = models.DateField(_("evaluate by"), null=True, blank=True)
    # Supervision (督办).
    is_key = models.BooleanField(_("key proposal"), default=False)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supervising leader"),
    )
    excellent_year = models.PositiveSmallIntegerField(
        _("excellent proposal of"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "term", "number"],
                condition=models.Q(number__isnull=False),
                name="unique_proposal_number",
            )
        ]
        indexes = [
            models.Index(fields=["committee", "status", "created_at"]),
            models.Index(fields=["committee", "term", "number"]),
            models.Index(fields=["committee", "category"]),
            models.Index(fields=["committee", "excellent_year"]),
            # The office's list in its order (selectors.office_proposals): the
            # database reads a page off the index instead of sorting them all.
            # PostgreSQL's DESC is NULLS FIRST already, as the list sorts (SQLite
            # refuses NULLS FIRST in an index; a county's list is small).
            models.Index(
                F("committee"),
                F("number").desc(),
                F("submitted_at").desc(),
                F("id").desc(),
                name="proposal_office_list_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number_label(self) -> str:
        if self.number is None:
            return ""
        return f"第{self.number:04d}号"

    @property
    def is_plenary(self) -> bool:
        return self.session_id is not None


class CoSigner(models.Model):
    """附议人: a member invited to co-sign a joint proposal; confirms or refuses."""

    class State(models.TextChoices):
        INVITED = "invited", _("invited")
        CONFIRMED = "confirmed", _("confirmed")
        REFUSED = "refused", _("refused")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners")
    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="cosigned", verbose_name=_("member")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.INVITED
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("co-signer")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="unique_cosigner")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.member_id} {self.get_state_display()}"


# The event models keep WorkflowEvent's Meta (its ordering); the admin, the
# only reader of a model's verbose name, is not mounted.


class ProposalEvent(WorkflowEvent):
    """提案流程记录: one step of a proposal's timeline; append-only."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.action}"


class CoSignerEvent(WorkflowEvent):
    """附议记录: a co-signer's answer to the invitation; append-only."""

    cosigner = models.ForeignKey(CoSigner, on_delete=models.CASCADE, related_name="events")


class Assignment(CommitteeScoped):
    """交办: a proposal given to a handling unit as lead, co- or split unit, with deadlines."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead unit")
        CO = "co", _("co-unit")
        SPLIT = "split", _("split handling")

    class State(models.TextChoices):
        ACTIVE = "active", _("in progress")
        REPLIED = "replied", _("replied")
        WITHDRAWN = "withdrawn", _("reassigned away")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "org.HandlingUnit",
        on_delete=models.PROTECT,
        related_name="proposal_assignments",
        verbose_name=_("handling unit"),
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ACTIVE)
    assigned_on = models.DateField(_("assigned on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    reassignment_due = models.DateField(_("ask for reassignment by"))
    precontact_due = models.DateField(_("contact the proposer by"))
    reply_due = models.DateField(_("reply by"))
    # Co-units only: their opinion to the lead unit (会办意见) is due by then.
    co_opinion_due = models.DateField(_("send the co-unit opinion by"), null=True, blank=True)
    extended_due = models.DateField(_("extended to"), null=True, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)

    class Meta:
        ordering = ["reply_due", "id"]
        verbose_name = _("assignment")
        indexes = [
            models.Index(fields=["committee", "state", "reply_due"]),
            models.Index(fields=["unit", "state", "reply_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.unit_id} ({self.get_role_display()})"

    @property
    def due(self) -> date:
        return self.extended_due or self.reply_due

    @property
    def replies_to_proposer(self) -> bool:
        return self.role in (self.Role.LEAD, self.Role.SPLIT)

    @property
    def is_open(self) -> bool:
        """Still to be handled by the unit (not replied, not taken away)."""
        return self.state == self.State.ACTIVE

    @property
    def is_withdrawn(self) -> bool:
        return self.state == self.State.WITHDRAWN


class AssignmentEvent(WorkflowEvent):
    """交办记录: one step of an assignment (replied, taken away, reopened); append-only."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")


class Recorded(models.Model):
    """A row someone wrote at a moment: the user (kept as null if the account
    goes) and the time."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        abstract = True


class DecisionRequest(Recorded):
    """A unit's request to the office (more time, to be relieved): pending
    until the office approves or refuses it (EXTENSION_FLOW, REASSIGNMENT_FLOW)."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("request", "pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    reason = models.CharField(_("reason"), max_length=NOTE_MAX)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class PreContact(Recorded):
    """办前面商: the unit's contact with the proposer before replying."""

    class Way(models.TextChoices):
        VISIT = "visit", _("visit in person")
        MEETING = "meeting", _("meeting")
        PHONE = "phone", _("telephone")
        ONLINE = "online", _("online")
        SURVEY = "survey", _("joint survey")
        LETTER = "letter", pgettext_lazy("contact way", "letter")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("date"))
    way = models.CharField(_("way"), max_length=16, choices=Way.choices)
    summary = models.TextField(_("summary"))

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("pre-reply contact")

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.date}"


MESSAGE_MAX = 2000


class AssignmentMessage(CommitteeScoped):
    """办理沟通: a message on one assignment between the assigned unit and the
    proposers (the lead proposer and the confirmed co-signers); append-only.
    A unit's message may be its 办前面商 record: then ``precontact`` is the
    PreContact row it made (the way and date are kept on both)."""

    class Side(models.TextChoices):
        UNIT = "unit", _("handling unit")
        PROPOSER = "proposer", _("proposer")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(_("from"), max_length=16, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The name shown (the unit's or the member's), kept as written.
    author_name = models.CharField(_("written by"), max_length=100)
    text = models.TextField(_("message"))
    precontact = models.OneToOneField(
        PreContact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="message",
        verbose_name=_("pre-reply contact"),
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("assignment message")
        indexes = [models.Index(fields=["assignment", "created_at"])]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.side}"

    @property
    def from_unit(self) -> bool:
        return self.side == self.Side.UNIT


class CoUnitOpinion(Recorded):
    """会办意见: a co-unit's opinion sent to the lead unit."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="opinions")
    text = models.TextField(_("opinion"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("co-unit opinion")

    def __str__(self) -> str:
        return f"{self.assignment_id}"


class Reply(Recorded):
    """答复: a unit's reply to the proposer, with its class and signed letter.

    The class is a code of the committee's answer-class scheme
    (settings_defs.ANSWER_CLASSES); its label and whether it counts as solved
    are copied when the reply is made (or its class changed on review), so a
    later change of the scheme leaves this reply as it was."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="replies")
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    text = models.TextField(_("reply"))
    reply_class = models.CharField(_("class"), max_length=CLASS_CODE_MAX)
    class_label = models.CharField(_("class label"), max_length=CLASS_LABEL_MAX, blank=True)
    solved = models.BooleanField(_("counts as solved"), default=False)
    # The class the unit gave, kept when staff change it on review.
    unit_class = models.CharField(_("class given by the unit"), max_length=CLASS_CODE_MAX)
    unit_class_label = models.CharField(
        _("label of the class given by the unit"), max_length=CLASS_LABEL_MAX, blank=True
    )
    class_change_reason = models.CharField(
        _("reason for changing the class"), max_length=NOTE_MAX, blank=True
    )
    created_at = models.DateTimeField(_("replied at"), auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("reply")

    def __str__(self) -> str:
        return f"{self.assignment_id} r{self.round} {self.reply_class}"

    @property
    def class_changed(self) -> bool:
        """The office changed the class the unit gave."""
        return self.unit_class != self.reply_class


class ExtensionRequest(DecisionRequest):
    """延期申请: a unit asks for more time to reply (up to 6 months in all)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extension_requests"
    )
    requested_due = models.DateField(_("new reply date"))

    class Meta(DecisionRequest.Meta):
        verbose_name = _("extension request")

    def __str__(self) -> str:
        return f"{self.assignment_id} → {self.requested_due}"


class ExtensionRequestEvent(WorkflowEvent):
    """延期审批记录: the decision on an extension request; append-only."""

    request = models.ForeignKey(ExtensionRequest, on_delete=models.CASCADE, related_name="events")


class ReassignmentRequest(DecisionRequest):
    """退办申请: a unit asks to be relieved of an assignment (within 10 working days)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reassignment_requests"
    )

    class Meta(DecisionRequest.Meta):
        verbose_name = _("reassignment request")

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.reason[:20]}"


class ReassignmentRequestEvent(WorkflowEvent):
    """退办审批记录: the decision on a reassignment request; append-only."""

    request = models.ForeignKey(
        ReassignmentRequest, on_delete=models.CASCADE, related_name="events"
    )


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASIC = "basic", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class Evaluation(models.Model):
    """满意度测评: one proposer's evaluation of a reply (or "not evaluated" by the deadline)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evaluations")
    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    contact = models.CharField(
        _("contact before replying"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    attitude = models.CharField(
        _("attitude"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    result = models.CharField(_("result"), max_length=16, choices=Satisfaction.choices, blank=True)
    comments = models.CharField(_("comments"), max_length=NOTE_MAX, blank=True)
    not_evaluated = models.BooleanField(_("not evaluated in time"), default=False)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("evaluation")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "member", "round"], name="unique_evaluation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.member_id} r{self.round}"


class QualityRating(Recorded):
    """提案质量评价: the handling unit's rating of the proposal (two-way review)."""

    class Rating(models.TextChoices):
        GOOD = "good", _("good")
        FAIR = "fair", _("fair")
        POOR = "poor", _("poor")

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="quality_rating"
    )
    rating = models.CharField(_("quality"), max_length=8, choices=Rating.choices)
    comments = models.CharField(_("comments"), max_length=NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("quality rating")

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.get_rating_display()}"


class SupervisionNote(models.Model):
    """督办意见: a leader's or the office's note urging the units on a proposal."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supervision_notes"
    )
    text = models.CharField(_("note"), max_length=NOTE_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("supervision note")

    def __str__(self) -> str:
        return self.text[:30]


class ExcellentList(CommitteeScoped):
    """优秀提案名单: the published list of a year's excellent proposals."""

    year = models.PositiveSmallIntegerField(_("year"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("excellent proposals list")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="unique_excellent_list")
        ]

    def __str__(self) -> str:
        return str(self.year)
