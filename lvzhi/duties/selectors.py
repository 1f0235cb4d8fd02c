"""Reads of the duty ledger."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from lvzhi.duties.models import DutyRecord
from lvzhi.org.models import Committee


def live_records(committee: Committee) -> models.QuerySet[DutyRecord]:
    return DutyRecord.objects.filter(committee=committee, withdrawn_at__isnull=True)


def records_of_source(source: models.Model) -> models.QuerySet[DutyRecord]:
    return DutyRecord.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )


# --- Activities ------------------------------------------------------------------

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402

from lvzhi.duties.models import (  # noqa: E402
    Activity,
    Contribution,
    DutyProject,
    Invitation,
    PlenarySpeech,
    StudyNote,
)
from lvzhi.org.models import Member  # noqa: E402


def eligible_members(committee: Committee) -> QuerySet[Member]:
    """Members who can be invited: in office in the committee's current term."""
    return Member.objects.filter(
        committee=committee, status=Member.Status.IN_OFFICE, term__is_current=True
    )


def scope_members_of(activity: Activity) -> QuerySet[Member]:
    """The members an activity invites, by its scope."""
    members = eligible_members(activity.committee)
    scope = activity.scope
    if scope == Activity.Scope.STANDING:
        members = members.exclude(position=Member.Position.MEMBER)
    elif scope == Activity.Scope.SECTOR:
        members = members.filter(sector=activity.scope_sector)
    elif scope == Activity.Scope.SPECIAL_COMMITTEE:
        members = members.filter(special_committees=activity.scope_special_committee_id)
    elif scope == Activity.Scope.LIST:
        members = members.filter(pk__in=activity.scope_members.values("pk"))
    return members.distinct().order_by("sector__order", "sector_id", "id")


def _invitations(*states: str) -> Coalesce:
    """How many invitations of the row's activity (in ``states``, if given):
    a correlated subquery, not a join with GROUP BY, so a list's database
    counts only the activities of the page it returns, and the paginator's
    count needs no aggregation at all."""
    rows = Invitation.objects.filter(activity=OuterRef("pk"))
    if states:
        rows = rows.filter(state__in=states)
    counted = rows.order_by().values("activity").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def _counted(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    S = Invitation.State
    return qs.annotate(
        invited_count=_invitations(),
        signed_up_count=_invitations(S.SIGNED_UP, S.ATTENDED),
        attended_count=_invitations(S.ATTENDED),
        leave_pending_count=_invitations(S.LEAVE_REQUESTED),
    )


def activities_for_staff(committee: Committee) -> QuerySet[Activity]:
    """The committee's activities with their counts (filters: ``ActivityFilter``)."""
    return _counted(Activity.objects.filter(committee=committee)).order_by("-start_at", "-id")


def activity_for_staff(committee: Committee) -> QuerySet[Activity]:
    return _counted(
        Activity.objects.filter(committee=committee).select_related(
            "organiser_special_committee",
            "organiser_sector",
            "organiser_studio",
            "organiser_station",
            "scope_sector",
            "scope_special_committee",
        )
    )


def invitations_of_activity(activity: Activity) -> QuerySet[Invitation]:
    """The activity's invitations by sector, each with ``corrected_from``: the
    outcome first recorded, when attendance was corrected after closing (a
    correlated subquery, so the page costs the same however many rows)."""
    from lvzhi.core.models import Correction

    first_original = (
        Correction.objects.filter(
            committee_id=activity.committee_id,
            content_type=ContentType.objects.get_for_model(Invitation),
            object_id=OuterRef("pk"),
            field="state",
        )
        .order_by("created_at", "id")
        .values("original")[:1]
    )
    qs = (
        Invitation.objects.filter(activity=activity)
        .select_related("member__person", "member__sector", "activity")
        .annotate(corrected_from=Subquery(first_original))
    )
    return qs.order_by("member__sector__order", "member__sector_id", "member_id")


def open_invitations(member: Member) -> QuerySet[Invitation]:
    """The member's invitations to published activities that have not started,
    which they may still sign up for (not signed up, no leave pending or
    approved), soonest first, each with the places taken."""
    S = Invitation.State
    return (
        Invitation.objects.filter(
            member=member,
            activity__state=Activity.State.PUBLISHED,
            activity__start_at__gt=timezone.now(),
            state__in=[S.INVITED, S.LEAVE_REFUSED],
        )
        .select_related("activity", "member__person")
        .annotate(
            places_taken=Coalesce(
                Subquery(
                    Invitation.objects.filter(
                        activity=OuterRef("activity_id"), state__in=[S.SIGNED_UP, S.ATTENDED]
                    )
                    .order_by()
                    .values("activity")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("activity__start_at", "id")
    )


def invitations_of_member(member: Member, *, with_cancelled: bool = False) -> QuerySet[Invitation]:
    """The member's invitations to published or closed (or cancelled) activities."""
    states = [Activity.State.PUBLISHED, Activity.State.CLOSED]
    if with_cancelled:
        states.append(Activity.State.CANCELLED)
    qs = Invitation.objects.filter(member=member, activity__state__in=states).select_related(
        "activity", "member__person"
    )
    return qs.order_by("-activity__start_at", "-id")


def leave_requests(committee: Committee) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            committee=committee,
            state=Invitation.State.LEAVE_REQUESTED,
            activity__state=Activity.State.PUBLISHED,
        )
        .select_related("activity", "member__person", "member__sector")
        .order_by("activity__start_at", "id")
    )


def study_notes_of(member: Member) -> QuerySet[StudyNote]:
    return StudyNote.objects.filter(member=member).order_by("-date", "-id")


def speeches_of(committee: Committee) -> QuerySet[PlenarySpeech]:
    return (
        PlenarySpeech.objects.filter(committee=committee)
        .select_related("member__person", "session")
        .order_by("-date", "-id")
    )


def contributions_of(committee: Committee) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(committee=committee)
        .select_related("member__person")
        .order_by("-date", "-id")
    )


def project_detail(committee: Committee) -> QuerySet[DutyProject]:
    return (
        DutyProject.objects.filter(committee=committee)
        .select_related("member__person")
        .prefetch_related(Prefetch("links", queryset=_links()))
    )


def projects_to_review(committee: Committee) -> QuerySet[DutyProject]:
    """Every member's projects, the latest year first (filters: ``ProjectFilter``)."""
    return project_detail(committee).order_by("-year", "-id")


def _links() -> QuerySet[Any]:
    from lvzhi.duties.models import DutyProjectLink

    return DutyProjectLink.objects.select_related("activity").order_by("created_at", "id")


# --- What waits for whom (the home page's to-dos) --------------------------------


def upcoming_invitations(committee: Committee, user: Any) -> QuerySet[Invitation]:
    """The user's invitations to published activities not yet over: the
    "upcoming" list of their duties page (whatever their answer)."""
    return Invitation.objects.filter(
        committee=committee,
        member__person__user=user,
        activity__state=Activity.State.PUBLISHED,
        activity__end_at__gte=timezone.now(),
    )


def invitations_to_answer(committee: Committee, user: Any) -> QuerySet[Invitation]:
    """Upcoming invitations the user has neither signed up for nor asked leave from."""
    return upcoming_invitations(committee, user).filter(state=Invitation.State.INVITED)


def contributions_to_confirm(committee: Committee) -> QuerySet[Contribution]:
    """Services members reported, waiting for the office to confirm them."""
    return contributions_of(committee).filter(state=Contribution.State.SUBMITTED)
