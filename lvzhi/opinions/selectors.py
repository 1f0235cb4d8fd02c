"""Reads of public-opinion reports, always scoped to the committee the user
works in (another committee's object answers 404) and to what the user may see."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from lvzhi.core.committee_settings import setting_value
from lvzhi.core.permissions import has_perm
from lvzhi.duties.models import DutyRecord
from lvzhi.opinions.models import (
    Adoption,
    Category,
    EditedItem,
    Forwarding,
    Instruction,
    Issue,
    IssueStatus,
    Level,
    Report,
    ReportEvent,
    ReportStatus,
    ReportSubmitter,
)
from lvzhi.opinions.settings_defs import MAX_CHARS
from lvzhi.org.models import Committee, Member


def max_chars_of(committee: Committee) -> int:
    """The committee's length limit of a report (a committee setting; no write)."""
    return int(setting_value(committee, MAX_CHARS))


def categories_of(committee: Committee, *, active: bool | None = True) -> QuerySet[Category]:
    qs = Category.objects.filter(committee=committee)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("order", "id")


def _submitters_prefetch() -> Prefetch:
    return Prefetch(
        "submitter_rows",
        queryset=ReportSubmitter.objects.select_related(
            "member__person", "member__sector"
        ).order_by("order", "id"),
    )


def reports_of(committee: Committee) -> QuerySet[Report]:
    """Every report of the committee, with what a list shows."""
    return (
        Report.objects.filter(committee=committee)
        .select_related("category", "author__person", "item__issue", "sector", "special_committee")
        .prefetch_related(_submitters_prefetch())
    )


def reports_of_user(committee: Committee, user: Any) -> QuerySet[Report]:
    """Reports the user is named on as a submitter (drafts included)."""
    mine = ReportSubmitter.objects.filter(report=OuterRef("pk"), member__person__user=user)
    return reports_of(committee).filter(Exists(mine)).order_by("-created_at", "-id")


def queue(committee: Committee) -> QuerySet[Report]:
    """The staff queue: submitted reports (never drafts), the latest first;
    ``opinions.filters.ReportFilter`` narrows it."""
    return reports_of(committee).exclude(status=ReportStatus.DRAFT).order_by("-submitted_at", "-id")


def report_detail(committee: Committee) -> QuerySet[Report]:
    return reports_of(committee).prefetch_related(
        Prefetch("events", queryset=ReportEvent.objects.select_related("actor"))
    )


def items_of(committee: Committee) -> QuerySet[EditedItem]:
    return (
        EditedItem.objects.filter(committee=committee)
        .select_related("issue")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.select_related("category").prefetch_related(
                    _submitters_prefetch()
                ),
            )
        )
    )


def items_in_editing(committee: Committee) -> QuerySet[EditedItem]:
    """Items not yet published: in no issue, or in a draft issue."""
    return items_of(committee).exclude(issue__status=IssueStatus.PUBLISHED).order_by("-id")


def items_ready(committee: Committee) -> QuerySet[EditedItem]:
    """Items that may go into an issue: in no issue yet."""
    return items_of(committee).filter(issue__isnull=True).order_by("id")


def item_detail(committee: Committee) -> QuerySet[EditedItem]:
    return items_of(committee).prefetch_related(
        Prefetch("forwardings", queryset=Forwarding.objects.order_by("date", "id")),
        Prefetch("adoptions", queryset=Adoption.objects.order_by("date", "id")),
        Prefetch("instructions", queryset=Instruction.objects.order_by("date", "id")),
    )


def adoptions_of(committee: Committee) -> QuerySet[Adoption]:
    return Adoption.objects.filter(committee=committee).select_related("item")


def last_leader_title(user: Any) -> str:
    """The title a leader signed their last instruction with (to prefill the next)."""
    title: str | None = (
        Instruction.objects.filter(created_by=user)
        .order_by("-id")
        .values_list("leader_title", flat=True)
        .first()
    )
    return title or ""


def instructions_of(committee: Committee) -> QuerySet[Instruction]:
    return Instruction.objects.filter(committee=committee).select_related("item")


def merge_candidates(item: EditedItem) -> QuerySet[Report]:
    """Reports that may be merged into the item: submitted or in editing
    elsewhere (in an item not yet published)."""
    return (
        Report.objects.filter(
            committee_id=item.committee_id,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_EDITING],
        )
        .exclude(item=item)
        .exclude(item__issue__status=IssueStatus.PUBLISHED)
        .select_related("author__person")
        .order_by("-submitted_at", "-id")
    )


def issues_of(committee: Committee, user: Any = None) -> QuerySet[Issue]:
    qs = Issue.objects.filter(committee=committee).annotate(item_count=Count("items"))
    if user is not None and not has_perm(user, "opinions.view_queue", committee):
        # Party and government leaders: the published issues sent to them.
        qs = qs.filter(status=IssueStatus.PUBLISHED).filter(
            Q(to_party=True) | Q(to_government=True)
        )
    return qs.order_by("-year", "-date", "-number", "-id")


def issue_detail(committee: Committee) -> QuerySet[Issue]:
    return Issue.objects.filter(committee=committee).prefetch_related(
        Prefetch(
            "items",
            queryset=EditedItem.objects.order_by("position", "id").prefetch_related(
                Prefetch(
                    "reports",
                    queryset=Report.objects.prefetch_related(_submitters_prefetch()).order_by("id"),
                ),
                Prefetch(
                    "instructions",
                    queryset=Instruction.objects.filter(withdrawn_at__isnull=True).order_by(
                        "date", "id"
                    ),
                    to_attr="live_instructions",
                ),
            ),
        )
    )


def item_credits(item: EditedItem) -> list[Member]:
    """The distinct members credited for an item: the submitters of every
    report in it (merged reports included), first submitters first."""
    rows = (
        ReportSubmitter.objects.filter(report__item=item)
        .select_related("member__person")
        .order_by("report_id", "order", "id")
    )
    seen: dict[int, Member] = {}
    for row in rows:
        seen.setdefault(row.member_id, row.member)
    return list(seen.values())


def duty_records_for(report: Report, *, member: Member | None = None) -> QuerySet[DutyRecord]:
    """Duty records earned by a report: its submission and the adoptions and
    instructions of its edited item (withdrawn ones included, marked)."""
    sources = Q(source_type=ContentType.objects.get_for_model(Report), source_id=report.pk)
    if report.item_id:
        adoption_ids = list(
            Adoption.objects.filter(item_id=report.item_id).values_list("pk", flat=True)
        )
        instruction_ids = list(
            Instruction.objects.filter(item_id=report.item_id).values_list("pk", flat=True)
        )
        sources |= Q(
            source_type=ContentType.objects.get_for_model(Adoption), source_id__in=adoption_ids
        )
        sources |= Q(
            source_type=ContentType.objects.get_for_model(Instruction),
            source_id__in=instruction_ids,
        )
    qs = DutyRecord.objects.filter(committee_id=report.committee_id).filter(sources)
    if member is not None:
        qs = qs.filter(member=member)
    return qs.select_related("member__person").order_by("date", "id")


# --- Statistics (SQL aggregation) ----------------------------------------------------

LEVELS = [level.value for level in Level]


def _stat_annotations(path: str) -> dict[str, Any]:
    """Counts per group: reports submitted and used, live adoptions by level,
    live instructions. ``path`` leads from the grouped row to the report
    ("" when the rows are reports)."""
    report = path or "pk"
    r = f"{path}__" if path else ""
    published = Q(**{f"{r}item__issue__status": IssueStatus.PUBLISHED})
    annotations: dict[str, Any] = {
        "submitted": Count(report, distinct=True),
        "used": Count(report, distinct=True, filter=published),
        "instructions": Count(
            f"{r}item__instructions",
            distinct=True,
            filter=Q(**{f"{r}item__instructions__withdrawn_at__isnull": True}),
        ),
    }
    for level in LEVELS:
        annotations[f"adopted_{level}"] = Count(
            f"{r}item__adoptions",
            distinct=True,
            filter=Q(
                **{
                    f"{r}item__adoptions__level": level,
                    f"{r}item__adoptions__withdrawn_at__isnull": True,
                }
            ),
        )
    return annotations


STAT_FIELDS = ["submitted", "used", *[f"adopted_{lv}" for lv in LEVELS], "instructions"]


def _submitted_in(committee: Committee, year: int, path: str) -> Q:
    r = f"{path}__" if path else ""
    return Q(**{f"{r}committee": committee, f"{r}year": year}) & ~Q(
        **{f"{r}status": ReportStatus.DRAFT}
    )


def stats_totals(committee: Committee, year: int) -> dict[str, Any]:
    return Report.objects.filter(_submitted_in(committee, year, "")).aggregate(
        **_stat_annotations("")
    )


def stats_by_sector(committee: Committee, year: int) -> list[Any]:
    """Per sector of the submitters: a joint report of two members of one
    sector counts once for the sector."""
    return list(
        ReportSubmitter.objects.filter(_submitted_in(committee, year, "report"))
        .values("member__sector_id", "member__sector__name")
        .annotate(**_stat_annotations("report"))
        .order_by("member__sector__order", "member__sector_id")
    )


def stats_by_member(committee: Committee, year: int) -> QuerySet[Any]:
    return (
        ReportSubmitter.objects.filter(_submitted_in(committee, year, "report"))
        .values("member_id", "member__person__name", "member__sector__name")
        .annotate(**_stat_annotations("report"))
        .order_by("-submitted", "member__sector__order", "member_id")  # type: ignore[misc]
    )


def stat_years(committee: Committee) -> list[int]:
    years: set[int] = set(
        Report.objects.filter(committee=committee, year__isnull=False)
        .values_list("year", flat=True)
        .distinct()  # type: ignore[arg-type]
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


# --- What waits for whom (the home page's to-dos) --------------------------------


def drafts_of_user(committee: Committee, user: Any) -> QuerySet[Report]:
    """Reports the user is named on that are still drafts."""
    return reports_of_user(committee, user).filter(status=ReportStatus.DRAFT)


def waiting_for_editing(committee: Committee) -> QuerySet[Report]:
    """Submitted reports the editing desk has not taken up yet."""
    return queue(committee).filter(status=ReportStatus.SUBMITTED)


def issues_awaiting_instruction(committee: Committee, user: Any) -> QuerySet[Issue]:
    """Issues the user may read (for a party or government leader: those sent
    to them) none of whose items has an instruction (批示) recorded yet."""
    return awaiting_instruction(issues_of(committee, user))


def awaiting_instruction(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    """The published ones of ``issues`` with no live instruction on any item."""
    instructed = Instruction.objects.filter(item__issue=OuterRef("pk"), withdrawn_at__isnull=True)
    return issues.filter(status=IssueStatus.PUBLISHED).exclude(Exists(instructed))
