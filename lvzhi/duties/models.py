"""The duty record: the one ledger of what a member did (DESIGN §5)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import CommitteeScoped


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

    member = models.ForeignKey(
        "org.Member",
        on_delete=models.PROTECT,
        related_name="duty_records",
        verbose_name=_("member"),
    )
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("duty record")
        verbose_name_plural = _("duty records")
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
        return f"{self.member_id} {self.kind} {self.date}"

    @property
    def category(self) -> str:
        return KIND_CATEGORY.get(self.kind, DutyCategory.OTHER)
