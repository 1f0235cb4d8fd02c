"""Writes of the studios app: service projects and activities, the star
rating, station leaders and member areas, and the sector rotation.

Every service checks its named permission first (``studios/rules.py``) and
writes an audit row; a service project's status changes through the table
of ``studios/workflow.py``."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Count, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.committee_settings import committee_settings_update, setting_values
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm, user_or_none
from lvzhi.core.workflow import transition
from lvzhi.org.models import Committee, Member, Sector, SectorCluster, Station, Studio
from lvzhi.studios import rating, rotation
from lvzhi.studios.models import (
    Activity,
    BlockedWeek,
    DutyWeek,
    MemberArea,
    RotationPlan,
    RoundTableLead,
    ServiceProject,
    StarRating,
    StationLeader,
)
from lvzhi.studios.settings_defs import PREFIX as CRITERIA_PREFIX

M = TypeVar("M", bound=Model)

# --- Service projects and activities -------------------------------------------------


def service_project_create(
    *, studio: Studio, title: str, description: str = "", actor: Any
) -> ServiceProject:
    require_perm(actor, "studios.create_service_project", studio)
    title = title.strip()
    if not title:
        raise ValidationFailed(_("Give the service project a title."))
    with transaction.atomic():
        project = ServiceProject.objects.create(
            committee_id=studio.committee_id,
            studio=studio,
            title=title[:100],
            description=description.strip(),
            created_by=user_or_none(actor),
        )
        audit_log(
            action="studios.service_project_create",
            actor=actor,
            obj=project,
            committee=studio.committee,
        )
    return project


def service_project_finish(*, project: ServiceProject, actor: Any) -> ServiceProject:
    return transition(project, "finish", actor=actor)


def activity_record(
    *,
    committee: Committee,
    kind: str,
    day: date,
    title: str,
    actor: Any,
    studio: Studio | None = None,
    station: Station | None = None,
    project: ServiceProject | None = None,
    note: str = "",
    people_served: int = 0,
    participants: Iterable[Member] = (),
) -> Activity:
    if (studio is None) == (station is None):
        raise ValidationFailed(_("An activity belongs to one studio or one station."))
    owner = studio or station
    assert owner is not None
    require_perm(actor, "studios.record_activity", owner)
    if owner.committee_id != committee.pk:
        raise ValidationFailed(_("The studio or station belongs to another committee."))
    if project is not None and (studio is None or project.studio_id != studio.pk):
        raise ValidationFailed(_("The service project belongs to another studio."))
    if kind not in Activity.Kind.values:
        raise ValidationFailed(_("Choose the kind of activity."))
    if day > timezone.localdate():
        raise ValidationFailed(_("An activity is recorded once it has taken place."))
    participants = list(participants)
    if any(m.committee_id != committee.pk for m in participants):
        raise ValidationFailed(_("Only members of this committee can take part."))
    with transaction.atomic():
        activity = Activity.objects.create(
            committee=committee,
            studio=studio,
            station=station,
            project=project,
            kind=kind,
            date=day,
            title=title.strip()[:100],
            note=note.strip(),
            people_served=people_served,
            created_by=user_or_none(actor),
        )
        if participants:
            activity.participants.set(participants)
        audit_log(
            action="studios.activity_record",
            actor=actor,
            obj=activity,
            committee=committee,
            participants=len(participants),
        )
    return activity


# --- Star rating -----------------------------------------------------------------------


@dataclass(frozen=True)
class StarCriteria:
    """星级评定标准: a committee's criteria, read from its settings (settings_defs)."""

    target_activities: int
    target_services: int
    weight_activities: int
    weight_on_time: int
    weight_satisfaction: int
    weight_services: int
    two_stars: int
    three_stars: int
    four_stars: int
    five_stars: int
    floor_stars: int

    def stars_for(self, score: float) -> int:
        for stars, threshold in (
            (5, self.five_stars),
            (4, self.four_stars),
            (3, self.three_stars),
            (2, self.two_stars),
        ):
            if score >= threshold:
                return stars
        return 1


def star_criteria(committee: Committee) -> StarCriteria:
    """The committee's criteria (the defaults until staff change them); never writes."""
    values = setting_values(committee, CRITERIA_PREFIX)
    return StarCriteria(**{key.removeprefix(CRITERIA_PREFIX): v for key, v in values.items()})


def star_criteria_errors(values: Mapping[str, Any]) -> list[str]:
    """What is wrong with a set of criteria as a whole (keys without the prefix)."""
    errors = []
    thresholds = [values.get(k) for k in ("two_stars", "three_stars", "four_stars", "five_stars")]
    if all(t is not None for t in thresholds) and (
        not all(a < b for a, b in itertools.pairwise(thresholds))  # type: ignore[operator]
        or thresholds[-1] > 100  # type: ignore[operator]
    ):
        errors.append(_("The scores for two to five stars must rise and stay within 100."))
    weights = [
        values.get(k)
        for k in ("weight_activities", "weight_on_time", "weight_satisfaction", "weight_services")
    ]
    if all(w is not None for w in weights) and sum(weights) == 0:  # type: ignore[arg-type]
        errors.append(_("At least one weight must be above zero."))
    return errors


def star_criteria_update(
    *, committee: Committee, actor: Any, values: Mapping[str, Any]
) -> dict[str, Any]:
    """Change the criteria (setting keys with their prefix); each change is audited."""
    require_perm(actor, "studios.configure", committee)
    merged = {**star_criteria(committee).__dict__}
    merged.update({k.removeprefix(CRITERIA_PREFIX): v for k, v in values.items()})
    errors = star_criteria_errors(merged)
    if errors:
        raise ValidationFailed(errors[0], errors)
    return committee_settings_update(actor=actor, committee=committee, values=values)


def _ratio(part: float, whole: float) -> Decimal:
    if whole <= 0:
        return Decimal("0")
    return min(Decimal("1"), Decimal(str(part)) / Decimal(str(whole)))


def star_score(policy: StarCriteria, row: StarRating) -> Decimal:
    """The 0–100 score of a rating row under the policy (docs/studios.md)."""
    total_weight = (
        policy.weight_activities
        + policy.weight_on_time
        + policy.weight_satisfaction
        + policy.weight_services
    ) or 1
    weighted = (
        policy.weight_activities * _ratio(row.activities, policy.target_activities)
        + policy.weight_on_time * _ratio(row.on_time, row.messages)
        + policy.weight_satisfaction * _ratio(float(row.satisfied), row.rated)
        + policy.weight_services * _ratio(row.services, policy.target_services)
    )
    score = weighted * Decimal("100") / Decimal(total_weight)
    return score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def star_ratings_compute(*, committee: Committee, year: int, actor: Any) -> list[StarRating]:
    """Compute every active studio's rating for ``year`` from the data.

    Activities and services are counted in one grouped query, the message
    figures come from the registered metric sources (one grouped query
    each). Staff adjustments of earlier runs are kept; the flag is set when
    the rating is below the floor this year and the year before."""
    require_perm(actor, "studios.rate", committee)
    policy = star_criteria(committee)
    in_year = Q(activities__date__year=year)
    studios = list(
        Studio.objects.filter(committee=committee, is_active=True)
        .annotate(
            n_activities=Count("activities", filter=in_year, distinct=True),
            n_services=Count(
                "activities",
                filter=in_year & Q(activities__kind=Activity.Kind.SERVICE),
                distinct=True,
            ),
        )
        .order_by("id")
    )
    figures = rating.message_figures(committee, year, [s.pk for s in studios])
    previous = {
        r.studio_id: r for r in StarRating.objects.filter(committee=committee, year=year - 1)
    }
    results: list[StarRating] = []
    with transaction.atomic():
        existing = {
            r.studio_id: r
            for r in StarRating.objects.select_for_update().filter(committee=committee, year=year)
        }
        for studio in studios:
            row = existing.get(studio.pk) or StarRating(
                committee=committee, studio=studio, year=year
            )
            numbers = figures.get(studio.pk, {})
            row.activities = studio.n_activities  # type: ignore[attr-defined]
            row.services = studio.n_services  # type: ignore[attr-defined]
            row.messages = int(numbers.get("messages", 0))
            row.on_time = int(numbers.get("on_time", 0))
            row.rated = int(numbers.get("rated", 0))
            row.satisfied = Decimal(str(numbers.get("satisfied", 0))).quantize(Decimal("0.1"))
            row.score = star_score(policy, row)
            row.computed_stars = policy.stars_for(float(row.score))
            row.flagged = _below_floor_twice(policy, row, previous.get(studio.pk))
            row.save()
            results.append(row)
        audit_log(
            action="studios.star_ratings_compute",
            actor=actor,
            committee=committee,
            year=year,
            studios=len(results),
        )
    return results


def _below_floor_twice(policy: StarCriteria, row: StarRating, last: StarRating | None) -> bool:
    return last is not None and row.stars < policy.floor_stars and last.stars < policy.floor_stars


def star_rating_adjust(
    *, rating_row: StarRating, stars: int, reason: str, actor: Any
) -> StarRating:
    """Staff set the stars by hand; the reason is kept with the rating."""
    require_perm(actor, "studios.adjust_rating", rating_row)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for changing the stars."))
    if not 1 <= stars <= 5:
        raise ValidationFailed(_("A studio has one to five stars."))
    policy = star_criteria(rating_row.committee)
    with transaction.atomic():
        row = StarRating.objects.select_for_update().get(pk=rating_row.pk)
        before = row.stars
        row.adjusted_stars = stars
        row.adjust_reason = reason[:300]
        row.adjusted_by = user_or_none(actor)
        row.adjusted_at = timezone.now()
        last = StarRating.objects.filter(studio_id=row.studio_id, year=row.year - 1).first()
        row.flagged = _below_floor_twice(policy, row, last)
        row.save(
            update_fields=[
                "adjusted_stars",
                "adjust_reason",
                "adjusted_by",
                "adjusted_at",
                "flagged",
            ]
        )
        audit_log(
            action="studios.star_rating_adjust",
            actor=actor,
            obj=row,
            committee=row.committee,
            before=before,
            after=stars,
            reason=reason,
        )
    return row


def _create_once(model: type[M], refusal: str, *, defaults: dict[str, Any], **lookup: Any) -> M:
    """A row that must not exist yet: created, or ``Conflict(refusal)`` when it does."""
    row, created = model.objects.get_or_create(defaults=defaults, **lookup)  # type: ignore[attr-defined]
    if not created:
        raise Conflict(refusal)
    return row


# --- Stations ---------------------------------------------------------------------------


def station_leader_add(*, station: Station, member: Member, duty: str, actor: Any) -> StationLeader:
    require_perm(actor, "studios.assign_station_members", station)
    if member.committee_id != station.committee_id:
        raise ValidationFailed(_("The leader must be a member of this committee."))
    with transaction.atomic():
        leader = _create_once(
            StationLeader,
            _("This leader is already in charge of the station."),
            defaults={"duty": duty.strip()[:100]},
            committee_id=station.committee_id,
            station=station,
            member=member,
        )
        audit_log(action="studios.station_leader_add", actor=actor, obj=leader)
    return leader


def station_leader_remove(*, leader: StationLeader, actor: Any) -> None:
    require_perm(actor, "studios.assign_station_members", leader)
    with transaction.atomic():
        audit_log(action="studios.station_leader_remove", actor=actor, obj=leader)
        leader.delete()


def member_areas_set(*, committee: Committee, areas: dict[int, str], actor: Any) -> int:
    """Set the area of each member (by id); an empty area removes it."""
    require_perm(actor, "studios.assign_station_members", committee)
    members = {m.pk: m for m in Member.objects.filter(committee=committee, pk__in=areas)}
    changed = 0
    with transaction.atomic():
        for member_id, area in areas.items():
            member = members.get(member_id)
            if member is None:
                continue
            area = area.strip()[:100]
            if not area:
                changed += MemberArea.objects.filter(member=member).delete()[0]
                continue
            _row, _created = MemberArea.objects.update_or_create(
                member=member, defaults={"committee": committee, "area": area}
            )
            changed += 1
        if changed:
            audit_log(
                action="studios.member_areas_set",
                actor=actor,
                committee=committee,
                members=changed,
            )
    return changed


def station_members_assign(
    *, station: Station, members: Iterable[Member], actor: Any
) -> list[Member]:
    """Set the members of a station (the assignment page suggests those nearby)."""
    require_perm(actor, "studios.assign_station_members", station)
    chosen = list(members)
    if any(m.committee_id != station.committee_id for m in chosen):
        raise ValidationFailed(_("Only members of this committee can be assigned."))
    with transaction.atomic():
        Station.objects.select_for_update().filter(pk=station.pk).first()
        station.members.set(chosen)
        audit_log(
            action="studios.station_members_assign",
            actor=actor,
            obj=station,
            committee=station.committee,
            members=len(chosen),
        )
    return chosen


def station_roster_save(
    *, station: Station, areas: dict[int, str], members: Iterable[Member], actor: Any
) -> list[Member]:
    """The assignment page's one save: members' areas and the station's members, together."""
    # Checked before the transaction, so a refusal's audit row is not rolled back.
    require_perm(actor, "studios.assign_station_members", station)
    with transaction.atomic():
        member_areas_set(committee=station.committee, areas=areas, actor=actor)
        return station_members_assign(station=station, members=members, actor=actor)


# --- Sector rotation ---------------------------------------------------------------------


def rotation_plan_create(
    *, committee: Committee, year: int, rounds: int, actor: Any
) -> RotationPlan:
    require_perm(actor, "studios.plan_rotation", committee)
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Give a year between 2000 and 2100."))
    if not 1 <= rounds <= 12:
        raise ValidationFailed(_("A cluster holds between 1 and 12 round tables a year."))
    with transaction.atomic():
        plan = _create_once(
            RotationPlan,
            _("There is already a rotation plan for this year."),
            defaults={"round_tables_per_year": rounds, "created_by": user_or_none(actor)},
            committee=committee,
            year=year,
        )
        audit_log(action="studios.rotation_plan_create", actor=actor, obj=plan, rounds=rounds)
    return plan


def blocked_week_add(
    *, plan: RotationPlan, week_start: date, reason: str, actor: Any
) -> BlockedWeek:
    require_perm(actor, "studios.plan_rotation", plan)
    monday = week_start - timedelta(days=week_start.weekday())
    if monday.year != plan.year:
        raise ValidationFailed(_("The week is not in the plan's year."))
    if not reason.strip():
        raise ValidationFailed(_("Say why the week is blocked."))
    with transaction.atomic():
        blocked = _create_once(
            BlockedWeek,
            _("That week is already blocked."),
            defaults={"reason": reason.strip()[:100]},
            committee_id=plan.committee_id,
            plan=plan,
            week_start=monday,
        )
        audit_log(action="studios.blocked_week_add", actor=actor, obj=blocked, week=monday)
    return blocked


def rotation_generate(*, plan: RotationPlan, actor: Any) -> RotationPlan:
    """Lay out the duty weeks and round-table leads of the year from scratch
    (replacing hand edits; the page asks first). Rules: lvzhi/studios/rotation.py."""
    require_perm(actor, "studios.plan_rotation", plan)
    committee = plan.committee
    sectors = list(Sector.objects.filter(committee=committee).order_by("order", "id"))
    if not sectors:
        raise ValidationFailed(_("The committee has no sectors to plan."))
    blocked = set(BlockedWeek.objects.filter(plan=plan).values_list("week_start", flat=True))
    skipped = blocked | rotation.holiday_weeks(plan.year)
    free = [week for week in rotation.weeks_of_year(plan.year) if week not in skipped]
    if not free:
        raise ValidationFailed(_("Every week of the year is blocked or a holiday week."))
    last_plan = RotationPlan.objects.filter(committee=committee, year=plan.year - 1).first()
    last_sector = None
    last_leads: dict[int, Sector] = {}
    if last_plan is not None:
        last_week = (
            DutyWeek.objects.filter(plan=last_plan)
            .select_related("sector")
            .order_by("-week_start", "-sector__order", "-sector_id")
        ).first()
        last_sector = last_week.sector if last_week else None
        for lead in (
            RoundTableLead.objects.filter(plan=last_plan)
            .select_related("sector")
            .order_by("cluster_id", "number")
        ):
            last_leads[lead.cluster_id] = lead.sector
    clusters = SectorCluster.objects.filter(committee=committee).order_by("order", "id")
    by_cluster: dict[int, list[Sector]] = {}
    for sector in sectors:
        if sector.cluster_id:
            by_cluster.setdefault(sector.cluster_id, []).append(sector)
    with transaction.atomic():
        plan = RotationPlan.objects.select_for_update().get(pk=plan.pk)
        DutyWeek.objects.filter(plan=plan).delete()
        RoundTableLead.objects.filter(plan=plan).delete()
        DutyWeek.objects.bulk_create(
            DutyWeek(committee=committee, plan=plan, sector=sector, week_start=week)
            for sector, week in rotation.assign_duty_weeks(
                rotation.rotate_after(sectors, last_sector), free
            )
        )
        leads = []
        for cluster in clusters:
            ordered = rotation.rotate_after(
                by_cluster.get(cluster.pk, []), last_leads.get(cluster.pk)
            )
            for number, sector in rotation.assign_leads(ordered, plan.round_tables_per_year):
                leads.append(
                    RoundTableLead(
                        committee=committee,
                        plan=plan,
                        cluster=cluster,
                        number=number,
                        sector=sector,
                    )
                )
        RoundTableLead.objects.bulk_create(leads)
        plan.generated_at = timezone.now()
        plan.save(update_fields=["generated_at"])
        audit_log(action="studios.rotation_generate", actor=actor, obj=plan, committee=committee)
    return plan


def duty_week_update(
    *, duty_week: DutyWeek, sector: Sector, week_start: date, actor: Any
) -> DutyWeek:
    """A hand edit of one duty week (another sector or another week)."""
    require_perm(actor, "studios.plan_rotation", duty_week)
    if sector.committee_id != duty_week.committee_id:
        raise ValidationFailed(_("The sector belongs to another committee."))
    monday = week_start - timedelta(days=week_start.weekday())
    if monday.year != duty_week.plan.year:
        raise ValidationFailed(_("The week is not in the plan's year."))
    with transaction.atomic():
        row = DutyWeek.objects.select_for_update().get(pk=duty_week.pk)
        if (
            DutyWeek.objects.filter(plan_id=row.plan_id, sector=sector, week_start=monday)
            .exclude(pk=row.pk)
            .exists()
        ):
            raise Conflict(_("That sector already has duty in that week."))
        row.sector = sector
        row.week_start = monday
        row.edited = True
        row.save(update_fields=["sector", "week_start", "edited"])
        audit_log(action="studios.duty_week_update", actor=actor, obj=row)
    return row


def round_table_lead_update(*, lead: RoundTableLead, sector: Sector, actor: Any) -> RoundTableLead:
    require_perm(actor, "studios.plan_rotation", lead)
    if sector.cluster_id != lead.cluster_id:
        raise ValidationFailed(_("The lead sector must belong to the cluster."))
    with transaction.atomic():
        row = RoundTableLead.objects.select_for_update().get(pk=lead.pk)
        row.sector = sector
        row.edited = True
        row.save(update_fields=["sector", "edited"])
        audit_log(action="studios.round_table_lead_update", actor=actor, obj=row)
    return row
