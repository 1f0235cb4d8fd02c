"""The duty record: the one ledger of what a member did (DESIGN §5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.models import CommitteeScoped, WorkflowEvent, user_link

# The colour of a state's badge (Bootstrap ``text-bg-*``), by state value; the
# pages read ``obj.state_style`` and never compare a state with a literal.
STATE_STYLES: dict[str, str] = {
    "published": "primary",
    "signed_up": "primary",
    "approved": "primary",
    "confirmed": "primary",
    "closed": "success",
    "attended": "success",
    "cancelled": "danger",
    "absent": "danger",
    "leave_refused": "danger",
    "rejected": "danger",
    "returned": "danger",
    "leave_requested": "warning",
    "declared": "warning",
    "submitted": "warning",
}


def member_link(related_name: str) -> Any:
    """The member a row is about; a member with duties on file is never deleted."""
    return models.ForeignKey(
        "org.Member",
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=_("member"),
    )


def optional_link(model: str, label: Any) -> Any:
    """An optional link to an organisational unit (an organiser, who is invited)."""
    return models.ForeignKey(
        model,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=label,
    )


class Reviewed(models.Model):
    """What staff note when they decide on a member's entry."""

    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    reviewed_by = user_link()

    class Meta:
        abstract = True


class StateStyled:
    """A model with a ``state`` whose badge colour the pages show."""

    @property
    def state_style(self) -> str:
        return STATE_STYLES.get(str(getattr(self, "state", "")), "secondary")


class DutyCategory(models.TextChoices):
    """Groups of duty kinds; a points policy caps points per category."""

    MEETINGS = "meetings", _("meetings")
    PROPOSALS = "proposals", _("proposals")
    OPINIONS = "opinions", _("public-opinion reports")
    ACTIVITIES = "activities", _("research, inspection, consultation and training")
    SPEECHES = "speeches", _("speeches")
    PUBLIC_SERVICE = "public_service", _("services to the public")
    STUDY = "study", _("study")
    CONTRIBUTION = "contribution", _("investment and talent")
    OTHER = "other", _("other duties")


class DutyKind(models.TextChoices):
    """What a member did. Every app records its duties under one of these."""

    PLENARY_ATTENDED = "plenary_attended", _("plenary session attended")
    PLENARY_EXCUSED = "plenary_excused", _("plenary session, excused absence")
    PLENARY_ABSENT = "plenary_absent", _("plenary session, unexcused absence")
    STANDING_ATTENDED = "standing_attended", _("standing committee meeting attended")
    STANDING_EXCUSED = "standing_excused", _("standing committee meeting, excused absence")
    STANDING_ABSENT = "standing_absent", _("standing committee meeting, unexcused absence")
    PROPOSAL_FILED = "proposal_filed", _("proposal filed")
    PROPOSAL_REGISTERED = "proposal_registered", _("proposal registered")
    PROPOSAL_KEY = "proposal_key", _("key proposal")
    PROPOSAL_EXCELLENT = "proposal_excellent", _("excellent proposal")
    OPINION_SUBMITTED = "opinion_submitted", _("public-opinion report submitted")
    OPINION_ADOPTED_COUNTY = "opinion_adopted_county", _("report adopted by the county")
    OPINION_ADOPTED_CITY = "opinion_adopted_city", _("report adopted by the city")
    OPINION_ADOPTED_PROVINCIAL = "opinion_adopted_provincial", _("report adopted by the province")
    OPINION_ADOPTED_NATIONAL = "opinion_adopted_national", _("report adopted nationally")
    OPINION_INSTRUCTION = "opinion_instruction", _("leader's instruction on a report")
    RESEARCH = "research", _("research trip")
    INSPECTION = "inspection", _("inspection")
    CONSULTATION = "consultation", _("consultation")
    TRAINING = "training", _("training")
    PLENARY_SPEECH = "plenary_speech", _("plenary speech")
    PUBLIC_SERVICE = "public_service", _("service to the public")
    STUDY_NOTE = "study_note", _("study note")
    INVESTMENT_OR_TALENT = "investment_or_talent", _("investment project or talent introduced")
    OTHER = "other", _("other duty")


KIND_CATEGORY: dict[str, str] = {
    DutyKind.PLENARY_ATTENDED: DutyCategory.MEETINGS,
    DutyKind.PLENARY_EXCUSED: DutyCategory.MEETINGS,
    DutyKind.PLENARY_ABSENT: DutyCategory.MEETINGS,
    DutyKind.STANDING_ATTENDED: DutyCategory.MEETINGS,
    DutyKind.STANDING_EXCUSED: DutyCategory.MEETINGS,
    DutyKind.STANDING_ABSENT: DutyCategory.MEETINGS,
    DutyKind.PROPOSAL_FILED: DutyCategory.PROPOSALS,
    DutyKind.PROPOSAL_REGISTERED: DutyCategory.PROPOSALS,
    DutyKind.PROPOSAL_KEY: DutyCategory.PROPOSALS,
    DutyKind.PROPOSAL_EXCELLENT: DutyCategory.PROPOSALS,
    DutyKind.OPINION_SUBMITTED: DutyCategory.OPINIONS,
    DutyKind.OPINION_ADOPTED_COUNTY: DutyCategory.OPINIONS,
    DutyKind.OPINION_ADOPTED_CITY: DutyCategory.OPINIONS,
    DutyKind.OPINION_ADOPTED_PROVINCIAL: DutyCategory.OPINIONS,
    DutyKind.OPINION_ADOPTED_NATIONAL: DutyCategory.OPINIONS,
    DutyKind.OPINION_INSTRUCTION: DutyCategory.OPINIONS,
    DutyKind.RESEARCH: DutyCategory.ACTIVITIES,
    DutyKind.INSPECTION: DutyCategory.ACTIVITIES,
    DutyKind.CONSULTATION: DutyCategory.ACTIVITIES,
    DutyKind.TRAINING: DutyCategory.ACTIVITIES,
    DutyKind.PLENARY_SPEECH: DutyCategory.SPEECHES,
    DutyKind.PUBLIC_SERVICE: DutyCategory.PUBLIC_SERVICE,
    DutyKind.STUDY_NOTE: DutyCategory.STUDY,
    DutyKind.INVESTMENT_OR_TALENT: DutyCategory.CONTRIBUTION,
    DutyKind.OTHER: DutyCategory.OTHER,
}


class DutyRecord(CommitteeScoped):
    """履职记录: one thing a member did, linked to the object that earned it."""

    member = member_link("duty_records")
    kind = models.CharField(_("kind"), max_length=32, choices=DutyKind.choices)
    date = models.DateField(_("date"))
    # Joint work is shared: each of n co-authors gets a share of the points.
    share = models.DecimalField(
        _("share"), max_digits=5, decimal_places=4, default=Decimal("1.0000")
    )
    title = models.CharField(_("description"), max_length=200, blank=True)
    source_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = user_link(_("recorded by"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("duty record")
        constraints = [
            # One live record per member, kind and source: recording twice is a no-op.
            models.UniqueConstraint(
                fields=["member", "kind", "source_type", "source_id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="unique_live_duty_record",
            )
        ]
        indexes = [
            models.Index(fields=["committee", "date"]),
            models.Index(fields=["member", "date"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.get_kind_display()} {self.date}"

    @property
    def category(self) -> str:
        return KIND_CATEGORY.get(self.kind, DutyCategory.OTHER)


# --- Duty activities (履职活动) ------------------------------------------------------


class ActivityKind(models.TextChoices):
    PLENARY = "plenary", _("plenary session (half-day)")
    STANDING = "standing", _("standing committee meeting")
    CHAIRPERSONS = "chairpersons", _("chairpersons' meeting")
    RESEARCH = "research", _("research trip")
    INSPECTION = "inspection", _("inspection")
    CONSULTATION = "consultation", _("consultation")
    TRAINING = "training", _("training")
    STUDY = "study", _("study session")
    PUBLIC_SERVICE = "public_service", _("service to the public")
    REPORT_BACK = "report_back", _("report-back meeting")
    OTHER = "other", _("other activity")


# Which duty record each outcome of an activity writes when it is closed.
# Kinds missing from a mapping write nothing for that outcome.
ATTENDED_KIND: dict[str, str] = {
    ActivityKind.PLENARY: DutyKind.PLENARY_ATTENDED,
    ActivityKind.STANDING: DutyKind.STANDING_ATTENDED,
    ActivityKind.CHAIRPERSONS: DutyKind.OTHER,
    ActivityKind.RESEARCH: DutyKind.RESEARCH,
    ActivityKind.INSPECTION: DutyKind.INSPECTION,
    ActivityKind.CONSULTATION: DutyKind.CONSULTATION,
    ActivityKind.TRAINING: DutyKind.TRAINING,
    ActivityKind.STUDY: DutyKind.TRAINING,
    ActivityKind.PUBLIC_SERVICE: DutyKind.PUBLIC_SERVICE,
    ActivityKind.REPORT_BACK: DutyKind.OTHER,
    ActivityKind.OTHER: DutyKind.OTHER,
}
EXCUSED_KIND: dict[str, str] = {
    ActivityKind.PLENARY: DutyKind.PLENARY_EXCUSED,
    ActivityKind.STANDING: DutyKind.STANDING_EXCUSED,
}
ABSENT_KIND: dict[str, str] = {
    ActivityKind.PLENARY: DutyKind.PLENARY_ABSENT,
    ActivityKind.STANDING: DutyKind.STANDING_ABSENT,
}


# The fields of an activity staff fill in (its scope members aside).
ACTIVITY_FIELDS = (
    "kind",
    "title",
    "description",
    "start_at",
    "end_at",
    "place",
    "session_half_days",
    "organiser_kind",
    "organiser_special_committee",
    "organiser_sector",
    "organiser_studio",
    "organiser_station",
    "scope",
    "scope_sector",
    "scope_special_committee",
    "capacity",
)
# Who is invited is fixed when the activity is published.
SCOPE_FIELDS = ("scope", "scope_sector", "scope_special_committee")


class Activity(StateStyled, CommitteeScoped):
    """履职活动: a meeting, trip, training or service members are invited to."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", pgettext_lazy("made public", "published")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    class Organiser(models.TextChoices):
        OFFICE = "office", _("committee office")
        SPECIAL_COMMITTEE = "special_committee", _("special committee")
        SECTOR = "sector", _("sector")
        STUDIO = "studio", _("studio")
        STATION = "station", _("liaison station")

    class Scope(models.TextChoices):
        ALL = "all", _("all members")
        STANDING = "standing", _("standing committee members")
        SECTOR = "sector", _("members of a sector")
        SPECIAL_COMMITTEE = "special_committee", _("members of a special committee")
        LIST = "list", _("chosen members")

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_at = models.DateTimeField(_("starts at"))
    end_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    # A plenary session is recorded by half-day: each half-day is one activity
    # and earns 1/n of a whole session's points (n = half-days of the session).
    session_half_days = models.PositiveSmallIntegerField(
        _("half-days of the plenary session"), default=1
    )
    organiser_kind = models.CharField(
        _("organiser"), max_length=20, choices=Organiser.choices, default=Organiser.OFFICE
    )
    organiser_special_committee = optional_link(
        "org.SpecialCommittee", _("organising special committee")
    )
    organiser_sector = optional_link("org.Sector", _("organising sector"))
    organiser_studio = optional_link("org.Studio", _("organising studio"))
    organiser_station = optional_link("org.Station", _("organising station"))
    scope = models.CharField(
        _("who is invited"), max_length=20, choices=Scope.choices, default=Scope.ALL
    )
    scope_sector = optional_link("org.Sector", _("invited sector"))
    scope_special_committee = optional_link("org.SpecialCommittee", _("invited special committee"))
    scope_members = models.ManyToManyField(
        "org.Member", blank=True, related_name="+", verbose_name=_("invited members")
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    created_by = user_link(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-start_at", "-id"]
        verbose_name = _("duty activity")
        indexes = [
            models.Index(fields=["committee", "state", "start_at"]),
            models.Index(fields=["committee", "kind", "start_at"]),
            # The staff's list in its order (selectors.activities_for_staff).
            models.Index(
                F("committee"), F("start_at").desc(), F("id").desc(), name="activity_list_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_plenary(self) -> bool:
        return self.kind == ActivityKind.PLENARY

    @property
    def organiser_name(self) -> str:
        link = (
            self.organiser_special_committee
            or self.organiser_sector
            or self.organiser_studio
            or self.organiser_station
        )
        label = str(self.Organiser(self.organiser_kind).label)
        return f"{label}·{link}" if link is not None else label


class ActivityEvent(WorkflowEvent):
    """活动日志: one step of an activity (created, published, changed, closed…); append-only."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="events")


class Invitation(StateStyled, CommitteeScoped):
    """活动邀请: one member's invitation to an activity and what became of it."""

    class State(models.TextChoices):
        INVITED = "invited", _("invited")
        SIGNED_UP = "signed_up", _("signed up")
        LEAVE_REQUESTED = "leave_requested", _("leave requested")
        LEAVE_APPROVED = "leave_approved", _("leave approved")
        LEAVE_REFUSED = "leave_refused", _("leave refused")
        ATTENDED = "attended", _("attended")
        EXCUSED = "excused", _("excused")
        ABSENT = "absent", _("absent")

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        MANUAL = "manual", _("marked by staff")
        CLOSING = "closing", _("at closing")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("activity")
    )
    member = member_link("invitations")
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.INVITED
    )
    leave_reason = models.CharField(_("reason for leave"), max_length=500, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    attendance_method = models.CharField(
        _("how attendance was recorded"), max_length=16, choices=Method.choices, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("invitation")
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="unique_invitation")
        ]
        indexes = [
            models.Index(fields=["member", "state"]),
            # The per-state counts of an activity (selectors._invitations).
            models.Index(fields=["activity", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.member_id} {self.get_state_display()}"

    @property
    def checked_in_shown(self) -> Any:
        """The check-in time, shown only while the member counts as present
        (a scan stays on file when attendance is corrected afterwards)."""
        return self.checked_in_at if self.state == self.State.ATTENDED else None


class InvitationEvent(WorkflowEvent):
    """邀请日志: one change of an invitation (sign-up, leave, check-in…); append-only."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="events")


# --- Duties members record themselves ----------------------------------------------


class StudyNote(CommitteeScoped):
    """学习心得: a member's note on what they studied."""

    member = member_link("study_notes")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    date = models.DateField(_("date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("study note")

    def __str__(self) -> str:
        return self.title


class PlenarySpeech(CommitteeScoped):
    """大会发言: a speech a member gave at a plenary session, registered by staff."""

    member = member_link("speeches")
    session = optional_link("org.PlenarySession", _("plenary session"))
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    created_by = user_link()
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("plenary speech")

    def __str__(self) -> str:
        return self.title


class Contribution(StateStyled, Reviewed, CommitteeScoped):
    """为民服务 / 招商引资引才: a service or investment item a member reports with evidence."""

    class Kind(models.TextChoices):
        PUBLIC_SERVICE = "public_service", _("service to the public")
        INVESTMENT_OR_TALENT = "investment_or_talent", _("investment project or talent introduced")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("not confirmed")

    member = member_link("contributions")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    date = models.DateField(_("date"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SUBMITTED
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("service or contribution")
        indexes = [models.Index(fields=["committee", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def duty_kind(self) -> str:
        return (
            DutyKind.PUBLIC_SERVICE
            if self.kind == self.Kind.PUBLIC_SERVICE
            else (DutyKind.INVESTMENT_OR_TALENT)
        )


class ContributionEvent(WorkflowEvent):
    """服务记录日志: one step of a reported service (submitted, confirmed…); append-only."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="events")


class DutyProject(StateStyled, Reviewed, CommitteeScoped):
    """年度履职项目: a topic a member declares for the year and follows to a proposal or report."""

    class State(models.TextChoices):
        DECLARED = "declared", _("awaiting approval")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned for revision")

    member = member_link("duty_projects")
    year = models.PositiveSmallIntegerField(_("year"))
    topic = models.CharField(_("topic"), max_length=200)
    planned_steps = models.TextField(
        _("planned steps"),
        help_text=_("From study through research and consultation to a proposal or report."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DECLARED
    )
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("annual duty project")

    def __str__(self) -> str:
        return self.topic


class DutyProjectEvent(WorkflowEvent):
    """项目日志: one step of a duty project (declared, approved, work linked…); append-only."""

    project = models.ForeignKey(DutyProject, on_delete=models.CASCADE, related_name="events")


class DutyProjectLink(models.Model):
    """项目进展: an activity, proposal or report a member links to their duty project."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("activity")
        PROPOSAL = "proposal", _("proposal")
        REPORT = "report", _("public-opinion report")
        OTHER = "other", _("other")

    project = models.ForeignKey(DutyProject, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A free reference (number or id) to a proposal or report: duties sits
    # below those apps and does not import them.
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("project link")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference or self.activity_id}"


# --- Summary rows (履职统计), kept in step by ``duties.tally`` ------------------------


class MemberYear(CommitteeScoped):
    """A summary row of one member's year (the tallies below)."""

    # Reports read a member's rows from the member (``member.dutytally_rows``).
    member = models.ForeignKey(
        "org.Member",
        on_delete=models.CASCADE,
        related_name="%(class)s_rows",
        verbose_name=_("member"),
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["committee", "year"])]


class DutyTally(MemberYear):
    """履职统计: a member's live duty records of a year of one kind (how many, their shares)."""

    kind = models.CharField(_("kind"), max_length=32, choices=DutyKind.choices)
    records = models.PositiveIntegerField(_("records"))
    shares = models.DecimalField(_("shares"), max_digits=9, decimal_places=4)

    class Meta(MemberYear.Meta):
        verbose_name = _("duty tally")
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "kind"], name="unique_duty_tally")
        ]


class InvitationTally(MemberYear):
    """出勤统计: a member's invitations to the activities of one kind starting in a year."""

    activity_kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    invited = models.PositiveIntegerField(_("invited"))
    attended = models.PositiveIntegerField(_("attended"))

    class Meta(MemberYear.Meta):
        verbose_name = _("invitation tally")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "activity_kind"], name="unique_invitation_tally"
            )
        ]
