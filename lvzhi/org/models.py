"""The organisation: committees, terms, sectors, members, units, studios, stations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.models import EncryptedMobile, sealed
from lvzhi.core import crypto
from lvzhi.core.models import CommitteeScoped, WorkflowEvent


class Committee(models.Model):
    """政协组织: one committee; committees form a tree and each is a tenant."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        CITY = "city", _("city")
        COUNTY = "county", _("county/district")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("upper committee"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("committee")

    def __str__(self) -> str:
        return self.short_name or self.name


class OrderedName(CommitteeScoped):
    """A sector cluster, sector or special committee: a name unique in the
    committee (each model's constraint), listed in the order staff give."""

    name = models.CharField(_("name"), max_length=64)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["committee", "order", "id"]

    def __str__(self) -> str:
        return self.name


class ActiveName(CommitteeScoped):
    """A handling unit, studio or station: a name unique in the committee
    (each model's constraint); deactivated, never deleted, so what refers to
    it stays."""

    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Term(CommitteeScoped):
    """届次: a five-year term of a committee (e.g. 第十五届)."""

    number = models.PositiveSmallIntegerField(_("term number"))
    name = models.CharField(_("name"), max_length=50)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_current = models.BooleanField(_("current term"), default=False)

    class Meta:
        ordering = ["committee", "-number"]
        verbose_name = _("term")
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="unique_term_number")
        ]

    def __str__(self) -> str:
        return self.name


class PlenarySession(CommitteeScoped):
    """全体会议: the n-th plenary session of a term (e.g. 十五届二次会议)."""

    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("term")
    )
    number = models.PositiveSmallIntegerField(_("session number"))
    name = models.CharField(_("name"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    start_date = models.DateField(_("opening date"))
    end_date = models.DateField(_("closing date"))
    # Plenary proposals (大会提案) are accepted inside this window only.
    proposal_window_start = models.DateField(_("proposal window opens"))
    proposal_window_end = models.DateField(_("proposal window closes"))

    class Meta:
        ordering = ["committee", "-start_date"]
        verbose_name = _("plenary session")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "term", "number"], name="unique_session_number"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SectorCluster(OrderedName):
    """界别联组: a group of sectors that meets and works together."""

    class Meta(OrderedName.Meta):
        verbose_name = _("sector cluster")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_cluster_name")
        ]


class Sector(OrderedName):
    """界别: the sector a member represents (e.g. 经济界, 教育界)."""

    cluster = models.ForeignKey(
        SectorCluster,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sectors",
        verbose_name=_("sector cluster"),
    )
    conveners: models.ManyToManyField[Member, models.Model] = models.ManyToManyField(
        "Member", blank=True, related_name="convened_sectors", verbose_name=_("conveners")
    )

    class Meta(OrderedName.Meta):
        verbose_name = _("sector")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_sector_name")
        ]


class SpecialCommittee(OrderedName):
    """专门委员会: a special committee (e.g. 提案委员会)."""

    class Meta(OrderedName.Meta):
        verbose_name = _("special committee")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"], name="unique_special_committee_name"
            )
        ]


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Party(models.TextChoices):
    """政治面貌: the CPC, the eight democratic parties, non-party, the masses."""

    CPC = "cpc", _("CPC")
    RCCK = "rcck", _("RCCK")
    CDL = "cdl", _("CDL")
    CNDCA = "cndca", _("CNDCA")
    CAPD = "capd", _("CAPD")
    CPWDP = "cpwdp", _("CPWDP")
    CZGP = "czgp", _("China Zhi Gong Party")
    JS = "js", _("Jiusan Society")
    TDSL = "tdsl", _("Taiwan Democratic Self-Government League")
    NONPARTY = "nonparty", _("non-party")
    MASSES = "masses", _("the masses")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("doctorate")
    MASTER = "master", _("master")
    BACHELOR = "bachelor", _("bachelor")
    COLLEGE = "college", _("college")
    SECONDARY = "secondary", _("secondary or below")


class Person(EncryptedMobile):
    """人员: a natural person; one person may be a member of several committees.

    Not committee-scoped on purpose: the same person sits on the city's and
    the county's committee with one login. Every read goes through a
    ``Member`` of the viewer's committee, so a committee sees only people
    on its own roster."""

    name = models.CharField(_("name"), max_length=64, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=32, default="汉族")
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    party = models.CharField(
        _("party affiliation"), max_length=16, choices=Party.choices, db_index=True
    )
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    employer = models.CharField(_("employer"), max_length=128, blank=True)
    job_title = models.CharField(_("job title"), max_length=128, blank=True)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("login"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="unique_person_id_number",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def mobile_masked(self) -> str:
        return crypto.mask_mobile(self.mobile)

    @property
    def id_number_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)

    def set_id_number(self, value: str) -> None:
        self.id_number_encrypted, self.id_number_hash = sealed(value)


class Member(CommitteeScoped):
    """委员: a person's seat on one committee for one term."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("chairperson")
        VICE_CHAIR = "vice_chair", _("vice-chairperson")
        SECRETARY_GENERAL = "secretary_general", _("secretary-general")
        STANDING = "standing", _("standing committee member")
        MEMBER = "member", _("member")

    class Status(models.TextChoices):
        IN_OFFICE = "in_office", _("in office")
        RESIGNED = "resigned", _("resigned")
        REMOVED = "removed", _("removed")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="members", verbose_name=_("term")
    )
    sector = models.ForeignKey(
        Sector,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("sector"),
    )
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    special_committees = models.ManyToManyField(
        SpecialCommittee, blank=True, related_name="members", verbose_name=_("special committees")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_OFFICE
    )
    start_date = models.DateField(_("in office from"))
    end_date = models.DateField(_("left office on"), null=True, blank=True)
    # Why the member left (resignation letter, decision of the standing committee…).
    end_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["committee", "sector__order", "id"]
        verbose_name = _("member")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "term", "person"], name="unique_member_per_term"
            )
        ]
        indexes = [
            models.Index(fields=["committee", "term", "status"]),
            models.Index(fields=["committee", "term", "position"]),
        ]

    def __str__(self) -> str:
        return self.person.name

    @property
    def is_standing(self) -> bool:
        return self.position != self.Position.MEMBER

    @property
    def in_office(self) -> bool:
        """For templates, which never compare a status with a literal."""
        return self.status == self.Status.IN_OFFICE


class MemberEvent(WorkflowEvent):
    """委员任职记录: one change of a seat's status (resigned, removed); append-only."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")


class HandlingUnit(ActiveName):
    """承办单位: a government department or body that handles proposals."""

    class Kind(models.TextChoices):
        PARTY = "party", _("party committee department")
        GOVERNMENT = "government", _("government department")
        COURT = "judicial", _("court or procuratorate")
        PEOPLE_ORG = "people_org", _("people's organisation")
        ENTERPRISE = "enterprise", _("state-owned enterprise or institution")
        LOWER = "lower", _("lower-level government")
        OTHER = "other", _("other")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    @property
    def contact_phone_masked(self) -> str:
        """As members' numbers are shown (issue 11): the full number only to
        those who may manage units (org.change_structure)."""
        return crypto.mask_mobile(self.contact_phone.strip())

    class Meta(ActiveName.Meta):
        ordering = ["committee", "kind", "id"]
        verbose_name = _("handling unit")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_unit_name")
        ]
        indexes = [models.Index(fields=["committee", "is_active", "kind"])]


class Studio(ActiveName):
    """委员工作室: a members' studio with a theme and a public QR page."""

    theme = models.CharField(_("theme"), max_length=200, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    lead = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_studios",
        verbose_name=_("lead member"),
    )
    members = models.ManyToManyField(
        Member, blank=True, related_name="studios", verbose_name=_("members")
    )

    class Meta(ActiveName.Meta):
        ordering = ["committee", "id"]
        verbose_name = _("studio")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_studio_name")
        ]


class Station(ActiveName):
    """委员联络站: a liaison station in a town or street where members meet the public."""

    address = models.CharField(_("address"), max_length=200, blank=True)
    area = models.CharField(_("area served"), max_length=100, blank=True)
    master = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mastered_stations",
        verbose_name=_("station master"),
    )
    instructor = models.CharField(_("instructor"), max_length=64, blank=True)
    members = models.ManyToManyField(
        Member, blank=True, related_name="stations", verbose_name=_("members")
    )

    class Meta(ActiveName.Meta):
        ordering = ["committee", "id"]
        verbose_name = _("liaison station")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_station_name")
        ]
