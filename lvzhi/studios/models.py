"""Studios, stations and sectors at work: service projects and their
activities, the yearly star rating, station leaders and member areas, and
the sector duty-week rotation. The studios and stations themselves live in
``org``; this app adds behaviour in its own tables that reference them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import CommitteeScoped, WorkflowEvent, user_link


class ServiceProject(CommitteeScoped):
    """特色服务项目: a standing service a studio offers (e.g. free legal advice)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("running")
        FINISHED = "finished", _("finished")

    studio = models.ForeignKey(
        "org.Studio",
        on_delete=models.PROTECT,
        related_name="service_projects",
        verbose_name=_("studio"),
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = user_link(_("created by"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["committee", "studio", "-id"]
        verbose_name = _("service project")
        indexes = [models.Index(fields=["committee", "studio", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED


class ServiceProjectEvent(WorkflowEvent):
    """项目日志: one step of a service project (finished, ...); append-only."""

    project = models.ForeignKey(ServiceProject, on_delete=models.CASCADE, related_name="events")


class Activity(CommitteeScoped):
    """活动记录: one activity held by a studio or a station (the activity log)."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("receiving the public")
        SERVICE = "service", _("service delivered")
        RESEARCH = "research", _("research or visit")
        MEETING = "meeting", _("meeting or consultation")
        OTHER = "other", _("other activity")

    studio = models.ForeignKey(
        "org.Studio",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("studio"),
    )
    station = models.ForeignKey(
        "org.Station",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("liaison station"),
    )
    project = models.ForeignKey(
        ServiceProject,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("service project"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    participants = models.ManyToManyField(
        "org.Member", blank=True, related_name="+", verbose_name=_("members taking part")
    )
    created_by = user_link(_("recorded by"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("activity")
        indexes = [
            models.Index(fields=["committee", "studio", "date"]),
            models.Index(fields=["committee", "station", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(studio__isnull=False) | models.Q(station__isnull=False),
                name="activity_has_studio_or_station",
            )
        ]

    def __str__(self) -> str:
        return self.title


class StarRating(CommitteeScoped):
    """星级评定: a studio's star rating for one year, computed and maybe adjusted."""

    studio = models.ForeignKey(
        "org.Studio",
        on_delete=models.PROTECT,
        related_name="star_ratings",
        verbose_name=_("studio"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    activities = models.PositiveIntegerField(_("activities held"), default=0)
    services = models.PositiveIntegerField(_("services delivered"), default=0)
    messages = models.PositiveIntegerField(_("messages received"), default=0)
    on_time = models.PositiveIntegerField(_("answered on time"), default=0)
    rated = models.PositiveIntegerField(_("replies rated"), default=0)
    satisfied = models.DecimalField(
        _("satisfaction points"), max_digits=8, decimal_places=1, default=0
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=0)
    computed_stars = models.PositiveSmallIntegerField(_("computed stars"), default=1)
    adjusted_stars = models.PositiveSmallIntegerField(_("adjusted stars"), null=True, blank=True)
    adjust_reason = models.CharField(_("reason for the adjustment"), max_length=300, blank=True)
    adjusted_by = user_link(_("adjusted by"), blank=True)
    adjusted_at = models.DateTimeField(_("adjusted at"), null=True, blank=True)
    # Below the floor this year and the year before: review or close the studio.
    flagged = models.BooleanField(_("flagged for review"), default=False)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        ordering = ["committee", "-year", "studio"]
        verbose_name = _("star rating")
        constraints = [
            models.UniqueConstraint(fields=["studio", "year"], name="unique_star_rating_year")
        ]
        indexes = [models.Index(fields=["committee", "year"])]

    def __str__(self) -> str:
        return f"{self.studio} {self.year}"

    @property
    def stars(self) -> int:
        return self.adjusted_stars or self.computed_stars


class StationLeader(CommitteeScoped):
    """联系领导: a leader of the committee in charge of a station's area."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.CASCADE, related_name="leaders", verbose_name=_("station")
    )
    member = models.ForeignKey(
        "org.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("leader")
    )
    duty = models.CharField(_("in charge of"), max_length=100, blank=True)

    class Meta:
        ordering = ["station", "id"]
        verbose_name = _("station leader")
        constraints = [
            models.UniqueConstraint(fields=["station", "member"], name="unique_station_leader")
        ]

    def __str__(self) -> str:
        return f"{self.station}: {self.member}"


class MemberArea(CommitteeScoped):
    """委员所在片区: where a member lives or works, to assign them to a nearby station."""

    member = models.OneToOneField(
        "org.Member",
        on_delete=models.CASCADE,
        related_name="area_profile",
        verbose_name=_("member"),
    )
    area = models.CharField(_("area"), max_length=100, db_index=True)

    class Meta:
        verbose_name = _("member area")

    def __str__(self) -> str:
        return f"{self.member}: {self.area}"


class RotationPlan(CommitteeScoped):
    """界别轮值安排: a year's sector duty weeks and round-table lead rotation."""

    year = models.PositiveSmallIntegerField(_("year"))
    # Round tables each sector cluster holds a year; the lead rotates among its sectors.
    round_tables_per_year = models.PositiveSmallIntegerField(
        _("round tables per cluster a year"), default=4
    )
    created_by = user_link(_("created by"), blank=True)
    generated_at = models.DateTimeField(_("laid out at"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "-year"]
        verbose_name = _("rotation plan")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="unique_rotation_year")
        ]

    def __str__(self) -> str:
        return str(self.year)


class BlockedWeek(CommitteeScoped):
    """不安排周: a week staff keep free of sector duty (e.g. the plenary session)."""

    plan = models.ForeignKey(
        RotationPlan, on_delete=models.CASCADE, related_name="blocked_weeks", verbose_name=_("plan")
    )
    week_start = models.DateField(_("week starting"))
    reason = models.CharField(_("reason"), max_length=100)

    class Meta:
        ordering = ["week_start"]
        verbose_name = _("blocked week")
        constraints = [
            models.UniqueConstraint(fields=["plan", "week_start"], name="unique_blocked_week")
        ]

    def __str__(self) -> str:
        return f"{self.week_start} {self.reason}"


class LaidOut(CommitteeScoped):
    """A row the rotation lays out from the plan (rotation.py); staff may change it by hand."""

    # "dutyweeks", "roundtableleads".
    plan = models.ForeignKey(
        RotationPlan, on_delete=models.CASCADE, related_name="%(class)ss", verbose_name=_("plan")
    )
    edited = models.BooleanField(_("changed by hand"), default=False)

    class Meta:
        abstract = True


class DutyWeek(LaidOut):
    """界别值班周: a sector's duty week at the sector service centre."""

    sector = models.ForeignKey(
        "org.Sector", on_delete=models.CASCADE, related_name="+", verbose_name=_("sector")
    )
    week_start = models.DateField(_("week starting"))

    class Meta:
        ordering = ["week_start", "sector__order", "id"]
        verbose_name = _("sector duty week")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "sector", "week_start"], name="unique_duty_week"
            )
        ]
        indexes = [models.Index(fields=["committee", "sector", "week_start"])]

    def __str__(self) -> str:
        return f"{self.week_start} {self.sector}"


class RoundTableLead(LaidOut):
    """联组圆桌会轮流牵头: which sector leads a cluster's n-th round table of the year."""

    cluster = models.ForeignKey(
        "org.SectorCluster", on_delete=models.CASCADE, related_name="+", verbose_name=_("cluster")
    )
    number = models.PositiveSmallIntegerField(_("round table"))
    sector = models.ForeignKey(
        "org.Sector", on_delete=models.CASCADE, related_name="+", verbose_name=_("lead sector")
    )

    class Meta:
        ordering = ["cluster__order", "cluster_id", "number"]
        verbose_name = _("round-table lead")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "cluster", "number"], name="unique_round_table_lead"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster} #{self.number}: {self.sector}"
