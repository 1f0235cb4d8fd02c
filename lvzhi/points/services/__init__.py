"""Writes of the points app: policies, assessments, bulletins. Scores are
written by ``scoring`` (the ledger listener and the recalculation).

Every service checks its named permission first (``points/rules.py``);
status changes go through the tables of ``points/workflow.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.notifications import notify
from lvzhi.core.permissions import require_perm, user_or_none
from lvzhi.core.workflow import refuse_state, transition
from lvzhi.duties.models import Activity, DutyCategory, DutyKind, DutyRecord, Invitation
from lvzhi.points import language, presets, schemefile, scoring
from lvzhi.points.models import (
    Assessment,
    Bulletin,
    Grade,
    MemberScore,
    Policy,
    PolicyCategoryCap,
    PolicyEntry,
    PolicyKindPoints,
    Requirement,
    RequirementSet,
)

# The convener's follow-up lives in its own module; re-exported for callers.
from lvzhi.points.services.talks import talk_record_add as talk_record_add
from lvzhi.points.workflow import ASSESSMENT_FLOW, BULLETIN_FLOW, POLICY_FLOW

# --- Requirement sets and policies ----------------------------------------------------


def requirement_presets_ensure(committee: Any, *, actor: Any = None) -> list[RequirementSet]:
    """Create the shipped "六个一" and "五个一" sets of a committee if missing."""
    require_perm(actor, "points.manage", committee)
    sets, made = [], []
    with transaction.atomic():
        for (code, name), requirements in presets.REQUIREMENT_SETS:
            rset, created = RequirementSet.objects.get_or_create(
                committee=committee, code=code, defaults={"name": name}
            )
            if created:
                made.append(code)
                Requirement.objects.bulk_create(
                    [
                        Requirement(
                            requirement_set=rset, label=label, kinds=list(kinds), count=1, order=i
                        )
                        for i, (label, kinds) in enumerate(requirements)
                    ]
                )
            sets.append(rset)
        if made:
            audit_log(
                action="points.requirement_sets_ensure", actor=actor, committee=committee, sets=made
            )
    return sets


def policy_errors(data: Mapping[str, Any]) -> list[str]:
    """Every problem of a policy's numbers, in Chinese; empty when it is sound."""
    errors = []
    max_score = data.get("max_score", presets.DEFAULT_MAX)
    if max_score is None or max_score <= 0:
        errors.append(_("The maximum score must be more than 0."))
    base = data.get("base_score", Decimal(0))
    if base is not None and (base < 0 or (max_score and base > max_score)):
        errors.append(_("The base score must be between 0 and the maximum score."))
    excellent, competent = data.get("excellent_threshold"), data.get("competent_threshold")
    if (
        excellent is not None
        and competent is not None
        and not (0 <= competent < excellent <= (max_score or 0))
    ):
        errors.append(
            _("The grade thresholds are out of order: 0 ≤ competent < excellent ≤ maximum score.")
        )
    for category, cap in (data.get("caps") or {}).items():
        if cap is not None and cap < 0:
            errors.append(
                _("The cap of %(category)s cannot be negative.")
                % {"category": DutyCategory(category).label}
            )
    for kind in data.get("points") or {}:
        if kind not in DutyKind.values:
            errors.append(_("Unknown duty kind."))
    return errors


def _write_rules(
    policy: Policy, points: Mapping[str, Decimal], caps: Mapping[str, Decimal | None]
) -> None:
    PolicyKindPoints.objects.filter(policy=policy).delete()
    PolicyCategoryCap.objects.filter(policy=policy).delete()
    PolicyKindPoints.objects.bulk_create(
        [
            PolicyKindPoints(policy=policy, kind=k, points=v)
            for k, v in points.items()
            if v is not None
        ]
    )
    PolicyCategoryCap.objects.bulk_create(
        [
            PolicyCategoryCap(policy=policy, category=c, cap=v)
            for c, v in caps.items()
            if v is not None
        ]
    )


def _next_version(committee_id: int, year: int) -> int:
    return (
        Policy.objects.filter(committee_id=committee_id, year=year)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1


def policy_create_default(
    *, committee: Any, year: int, actor: Any, requirement_code: str = "six-ones"
) -> Policy:
    """A draft policy with the default rules of DESIGN §6."""
    require_perm(actor, "points.manage", committee)
    with transaction.atomic():
        sets = {s.code: s for s in requirement_presets_ensure(committee, actor=actor)}
        policy = Policy.objects.create(
            committee=committee,
            year=year,
            version=_next_version(committee.pk, year),
            name=_("Points policy %(year)s") % {"year": year},
            base_score=presets.DEFAULT_BASE,
            max_score=presets.DEFAULT_MAX,
            excellent_threshold=presets.DEFAULT_EXCELLENT,
            competent_threshold=presets.DEFAULT_COMPETENT,
            requirement_set=sets.get(requirement_code),
            created_by=user_or_none(actor),
        )
        _write_rules(policy, presets.DEFAULT_POINTS, presets.DEFAULT_CAPS)
        audit_log(action="points.policy_create", actor=actor, obj=policy, committee=committee)
    return policy


def policy_copy(*, policy: Policy, actor: Any, year: int | None = None) -> Policy:
    """A new draft version from an existing policy (for the same or another year)."""
    require_perm(actor, "points.copy_policy", policy)
    year = year or policy.year
    with transaction.atomic():
        new = Policy.objects.create(
            committee_id=policy.committee_id,
            year=year,
            version=_next_version(policy.committee_id, year),
            name=policy.name,
            base_score=policy.base_score,
            max_score=policy.max_score,
            excellent_threshold=policy.excellent_threshold,
            competent_threshold=policy.competent_threshold,
            requirement_set_id=policy.requirement_set_id,
            scheme=policy.scheme,
            created_by=user_or_none(actor),
        )
        _write_rules(
            new,
            {p.kind: p.points for p in policy.kind_points.all()},
            {c.category: c.cap for c in policy.caps.all()},
        )
        audit_log(
            action="points.policy_copy",
            actor=actor,
            obj=new,
            committee=new.committee,
            source=policy.pk,
        )
    return new


POLICY_FIELDS = (
    "name",
    "base_score",
    "max_score",
    "excellent_threshold",
    "competent_threshold",
    "requirement_set",
)


def policy_update(*, policy: Policy, actor: Any, data: Mapping[str, Any]) -> Policy:
    """Change a draft policy's numbers; bad numbers change nothing."""
    require_perm(actor, "points.change_policy", policy)
    errors = policy_errors(data)
    if errors:
        raise ValidationFailed(errors[0], errors)
    with transaction.atomic():
        policy = transition(
            policy,
            "change",
            actor=actor,
            changes={name: data[name] for name in POLICY_FIELDS if name in data},
        )
        _write_rules(policy, data.get("points") or {}, data.get("caps") or {})
    return policy


def policy_activate(*, policy: Policy, actor: Any) -> int:
    """Make a draft the year's active policy (the previous one is archived) and
    recalculate every score of that year. Returns the number of scores."""
    require_perm(actor, "points.activate_policy", policy)
    if policy.scheme:
        scoring.scheme_of(policy)  # a stored scheme is checked again, errors located
    else:
        errors = policy_errors(
            {
                "max_score": policy.max_score,
                "base_score": policy.base_score,
                "excellent_threshold": policy.excellent_threshold,
                "competent_threshold": policy.competent_threshold,
                "caps": {c.category: c.cap for c in policy.caps.all()},
            }
        )
        if errors:
            raise ValidationFailed(errors[0], errors)
    if not POLICY_FLOW.allowed(policy, "activate"):
        raise refuse_state(POLICY_FLOW, policy)
    with transaction.atomic():
        for previous in Policy.objects.filter(
            committee_id=policy.committee_id, year=policy.year, status=Policy.Status.ACTIVE
        ):
            transition(previous, "archive", actor=actor)
        policy = transition(
            policy, "activate", actor=actor, changes={"activated_at": timezone.now()}
        )
        # Every score of the year follows, in the same transaction.
        count = scoring.recalculate(policy)
    return count


# --- Annual assessment ---------------------------------------------------------------------


def _assessment_for(member: Any, year: int) -> Assessment:
    """The member's assessment of the year, opened if missing (inside a permitted write)."""
    assessment, _created = Assessment.objects.get_or_create(
        member=member, year=year, defaults={"committee_id": member.committee_id}
    )
    return assessment


def assessments_open(*, committee: Any, year: int, actor: Any) -> int:
    """Open the year's assessment of every member in office; returns how many were new."""
    require_perm(actor, "points.manage", committee)
    members = scoring.scored_members(committee.pk).values_list("pk", flat=True)
    with transaction.atomic():
        before = Assessment.objects.filter(committee=committee, year=year).count()
        Assessment.objects.bulk_create(
            [Assessment(committee=committee, member_id=pk, year=year) for pk in members],
            ignore_conflicts=True,
        )
        made = Assessment.objects.filter(committee=committee, year=year).count() - before
        audit_log(
            action="points.assessment_open", actor=actor, committee=committee, year=year, made=made
        )
    return made


def assessment_submit_report(*, member: Any, actor: Any, year: int, text: str) -> Assessment:
    """The member writes (or rewrites) the year's self-report (述职)."""
    # Asked of an unsaved assessment: nothing is opened for someone refused.
    require_perm(
        actor,
        "points.submit_assessment",
        Assessment(member=member, committee_id=member.committee_id, year=year),
    )
    text = text.strip()
    if not text:
        raise ValidationFailed(_("Write your self-report."))
    with transaction.atomic():
        assessment = _assessment_for(member, year)
        return transition(
            assessment,
            "submit",
            actor=actor,
            changes={"self_report": text, "submitted_at": timezone.now()},
        )


def assessment_review(
    *, assessment: Assessment, actor: Any, adjustment: Decimal, reason: str, note: str = ""
) -> Assessment:
    """Staff review; a non-zero adjustment needs its reason (recorded)."""
    require_perm(actor, "points.review_assessment", assessment)
    reason = reason.strip()
    if adjustment != 0 and not reason:
        raise ValidationFailed(_("Give the reason for the adjustment."))
    if abs(adjustment) > 100:
        raise ValidationFailed(_("The adjustment must be between -100 and 100."))
    return transition(
        assessment,
        "review",
        actor=actor,
        note=reason[:500],
        changes={
            "adjustment": adjustment,
            "adjustment_reason": reason[:500],
            "review_note": note.strip()[:500],
            "reviewed_by": user_or_none(actor),
        },
        data={"adjustment": str(adjustment)},
        adjustment=adjustment,
        reason=reason,
    )


def assessment_publish(*, assessment: Assessment, actor: Any) -> Assessment:
    """Fix the year's result: score, adjustment, grade, unmet requirements, flags."""
    require_perm(actor, "points.publish_assessment", assessment)
    if not ASSESSMENT_FLOW.allowed(assessment, "publish"):
        raise Conflict(_("Review the assessment before publishing it."))
    policy = scoring.active_policy(assessment.committee_id, assessment.year)
    if policy is None:
        raise Conflict(_("There is no active points policy for this year."))
    with transaction.atomic():
        assessment = Assessment.objects.select_related("member__person").get(pk=assessment.pk)
        scoring.recalculate(policy, member_ids=[assessment.member_id])
        stored = MemberScore.objects.get(member_id=assessment.member_id, year=assessment.year)
        scheme = scoring.scheme_of(policy)
        final = stored.score + assessment.adjustment
        if scheme.maximum is not None:
            final = min(final, language.rounded(scheme.maximum, scheme.places))
        if scheme.minimum is not None:
            final = max(final, language.rounded(scheme.minimum, scheme.places))
        progress = scoring.progress_of(policy, assessment.member)
        previous = Assessment.objects.filter(
            member__person_id=assessment.member.person_id,
            member__committee_id=assessment.committee_id,
            year=assessment.year - 1,
            state=Assessment.State.PUBLISHED,
        ).first()
        grade = language.grade_for(scheme, Fraction(final))
        lowest = scheme.grades[-1].code if scheme.grades else None
        below = grade == lowest and len(scheme.grades) > 1
        transition(
            assessment,
            "publish",
            actor=actor,
            changes={
                "score": stored.score,
                "final_score": final,
                "grade": grade,
                "grade_label": scheme.grade_label(grade),
                "unmet": [p.requirement.label for p in progress if not p.met],
                "flag_below_competent": below,
                "flag_two_years": bool(
                    below and previous is not None and previous.flag_below_competent
                ),
                "published_at": timezone.now(),
            },
            data={"final_score": str(final), "grade": grade},
            final=final,
            grade=grade,
        )
        user = assessment.member.person.user
        if user is not None:
            notify(
                recipients=[user],
                title=_("Your annual assessment %(year)s is published") % {"year": assessment.year},
                committee=assessment.committee,
                email=False,
            )
    return assessment


# --- Quarterly bulletins -------------------------------------------------------------------


def quarter_range(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def bulletin_figures(committee: Any, year: int, quarter: int) -> dict[str, Any]:
    """Per sector: members, attendance of the quarter's closed activities,
    members with a duty in the quarter, average score, and members short of
    the required duties so far this year. A few grouped queries."""
    start, end = quarter_range(year, quarter)
    policy = scoring.active_policy(committee.pk, year)
    members = scoring.scored_members(committee.pk)
    records = (
        DutyRecord.objects.filter(
            member_id=OuterRef("pk"), withdrawn_at__isnull=True, date__range=(start, end)
        )
        .order_by()
        .values("member_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    attendance = (
        Invitation.objects.filter(
            member__in=members,
            activity__state=Activity.State.CLOSED,
            activity__start_at__date__range=(start, end),
        )
        .values("member__sector_id")
        .annotate(
            invited=Count("id"), attended=Count("id", filter=Q(state=Invitation.State.ATTENDED))
        )
    )
    by_sector_attendance = {row["member__sector_id"]: row for row in attendance}
    requirements, annotated = (
        scoring.members_with_progress(policy, members) if policy else ([], members)
    )
    score = MemberScore.objects.filter(member_id=OuterRef("pk"), year=year).values("score")[:1]
    rows = (
        annotated.annotate(records_in_quarter=Subquery(records), score_value=Subquery(score))
        .select_related("person", "sector")
        .order_by("sector__order", "sector_id", "pk")
    )
    sectors: dict[Any, dict[str, Any]] = {}
    for member in rows:
        key = member.sector_id
        entry = sectors.setdefault(
            key,
            {
                "sector": member.sector.name if member.sector is not None else _("No sector"),
                "members": 0,
                "active_members": 0,
                "records": 0,
                "score_total": Decimal(0),
                "scored": 0,
                "unmet": [],
            },
        )
        entry["members"] += 1
        entry["records"] += member.records_in_quarter or 0
        if member.records_in_quarter:
            entry["active_members"] += 1
        if member.score_value is not None:
            entry["score_total"] += Decimal(member.score_value)
            entry["scored"] += 1
        unmet = scoring.unmet_labels(requirements, member) if requirements else []
        if unmet:
            entry["unmet"].append(
                {"name": member.person.name, "member_id": member.pk, "unmet": unmet}
            )
    result = []
    for key, entry in sectors.items():
        att = by_sector_attendance.get(key, {"invited": 0, "attended": 0})
        result.append(
            {
                "sector": str(entry["sector"]),
                "members": entry["members"],
                "active_members": entry["active_members"],
                "records": entry["records"],
                "invited": att["invited"],
                "attended": att["attended"],
                "attendance_rate": round(100 * att["attended"] / att["invited"], 1)
                if att["invited"]
                else None,
                "average_score": str(
                    (entry["score_total"] / entry["scored"]).quantize(Decimal("0.01"))
                )
                if entry["scored"]
                else None,
                "unmet": entry["unmet"],
            }
        )
    return {
        "period": [start.isoformat(), end.isoformat()],
        "requirement_set": policy.requirement_set.name if policy and policy.requirement_set else "",
        "sectors": result,
    }


def bulletin_generate(*, committee: Any, year: int, quarter: int, actor: Any = None) -> Bulletin:
    """Generate (or regenerate, while not published) a quarter's bulletin."""
    require_perm(actor, "points.generate_bulletin", committee)
    if quarter not in (1, 2, 3, 4):
        raise ValidationFailed(_("The quarter must be 1 to 4."))
    bulletin = Bulletin.objects.filter(committee=committee, year=year, quarter=quarter).first()
    if bulletin is not None and not BULLETIN_FLOW.allowed(bulletin, "regenerate"):
        raise Conflict(_("This bulletin is already published."))
    with transaction.atomic():
        data = bulletin_figures(committee, year, quarter)
        if bulletin is not None:
            return transition(
                bulletin,
                "regenerate",
                actor=actor,
                changes={"data": data, "generated_at": timezone.now()},
            )
        bulletin = Bulletin.objects.create(
            committee=committee, year=year, quarter=quarter, data=data, generated_at=timezone.now()
        )
        audit_log(action="points.bulletin_generate", actor=actor, obj=bulletin, committee=committee)
    return bulletin


def bulletin_publish(*, bulletin: Bulletin, actor: Any, note: str = "") -> Bulletin:
    require_perm(actor, "points.publish_bulletin", bulletin)
    if not BULLETIN_FLOW.allowed(bulletin, "publish"):
        raise Conflict(_("This bulletin is already published."))
    return transition(
        bulletin,
        "publish",
        actor=actor,
        changes={
            "note": note.strip(),
            "published_at": timezone.now(),
            "published_by": user_or_none(actor),
        },
    )


# --- Selections -------------------------------------------------------------------------------


def top_grade(policy: Policy) -> str:
    """The code of the highest grade of the policy's scale (excellent by default)."""
    grades = scoring.scheme_of(policy).grades
    return grades[0].code if grades else Grade.EXCELLENT


def excellent_candidates(policy: Policy) -> list[Any]:
    """Members graded excellent today who meet every required duty, best first."""
    requirements, members = scoring.members_with_progress(
        policy, scoring.scored_members(policy.committee_id)
    )
    score = MemberScore.objects.filter(member_id=OuterRef("pk"), year=policy.year)
    rows = (
        members.annotate(
            score_value=Subquery(score.values("score")[:1]),
            grade_value=Subquery(score.values("grade")[:1]),
        )
        .filter(grade_value=top_grade(policy))
        .select_related("person", "sector")
        .order_by(F("score_value").desc(nulls_last=True), "pk")
    )
    return [m for m in rows if not scoring.unmet_labels(requirements, m)]


# --- Schemes (the policy language) -----------------------------------------------------------


def _scheme_requirement_set(committee: Any, scheme: language.Scheme) -> RequirementSet | None:
    """The committee's requirement set of the scheme's first set's code (the
    progress shown to members), created from the scheme when missing. An
    existing set is left as it is: other policies may show it (the grade is
    capped by the scheme's own items either way)."""
    if not scheme.requirement_sets:
        return None
    first = scheme.requirement_sets[0]
    rset, created = RequirementSet.objects.get_or_create(
        committee=committee, code=first.code, defaults={"name": first.label}
    )
    if created:
        events = {k.code: list(k.events) or [k.code] for k in scheme.kinds}
        Requirement.objects.bulk_create(
            [
                Requirement(
                    requirement_set=rset,
                    label=item.label,
                    kinds=sorted({e for code in item.kinds for e in events.get(code, [code])}),
                    count=item.count,
                    order=i,
                )
                for i, item in enumerate(first.items)
            ]
        )
    return rset


def policy_import(*, committee: Any, year: int, actor: Any, document: Any) -> Policy:
    """A draft policy from a scheme file (parsed JSON); a bad file changes
    nothing and every error names its place in the file."""
    require_perm(actor, "points.manage", committee)
    scheme = schemefile.load(document)
    with transaction.atomic():
        policy = Policy.objects.create(
            committee=committee,
            year=year,
            version=_next_version(committee.pk, year),
            name=scheme.name or _("Points policy %(year)s") % {"year": year},
            scheme=schemefile.dump(scheme),
            requirement_set=_scheme_requirement_set(committee, scheme),
            created_by=user_or_none(actor),
        )
        POLICY_FLOW.log_created(policy, actor=actor, action="import")
        audit_log(action="points.policy_import", actor=actor, obj=policy, committee=committee)
    return policy


def policy_scheme_update(*, policy: Policy, actor: Any, document: Any) -> Policy:
    """Replace a draft's scheme (the editor saves the whole document, checked)."""
    require_perm(actor, "points.change_policy", policy)
    scheme = schemefile.load(document)
    with transaction.atomic():
        return transition(
            policy,
            "change",
            actor=actor,
            changes={
                "scheme": schemefile.dump(scheme),
                "name": scheme.name or policy.name,
                "requirement_set": _scheme_requirement_set(policy.committee, scheme),
            },
        )


def policy_export(*, policy: Policy, actor: Any) -> dict[str, Any]:
    """The policy as a scheme file (audited: schemes travel between offices)."""
    require_perm(actor, "points.manage", policy.committee)
    document = schemefile.dump(scheme_for_export(policy))
    audit_log(action="points.policy_export", actor=actor, obj=policy, committee=policy.committee)
    return document


def scheme_for_export(policy: Policy) -> language.Scheme:
    """A simple policy exports as the scheme it stands for, with its required duties."""
    scheme = scoring.scheme_of(policy)
    if policy.scheme or policy.requirement_set_id is None:
        return scheme
    rset = policy.requirement_set
    assert rset is not None
    kinds = {k.code for k in scheme.kinds}
    items = tuple(
        language.Item(r.label, tuple(k for k in r.kinds if k in kinds), r.count)
        for r in rset.requirements.all()
    )
    return replace(
        scheme,
        requirement_sets=(
            language.RequirementSet(rset.code, rset.name, tuple(i for i in items if i.kinds)),
        ),
    )


# --- Entries staff record by hand ------------------------------------------------------------


def entry_add(
    *,
    member: Any,
    actor: Any,
    year: int,
    entry_type: str,
    reason: str,
    code: str = "",
    points: Decimal = Decimal(0),
    date: dt.date | None = None,
) -> PolicyEntry:
    """Record a staff-recorded duty, an adjustment or a veto item of a member's
    year, with its reason; the member's score follows in the same transaction."""
    require_perm(actor, "points.manage", member.committee)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason."))
    policy = scoring.active_policy(member.committee_id, year)
    scheme = scoring.scheme_of(policy) if policy else None
    if entry_type == PolicyEntry.Type.DUTY:
        kind = scheme.kind(code) if scheme else None
        if kind is None or not kind.manual:
            raise ValidationFailed(_("Choose a kind the scheme has staff record."))
    elif entry_type == PolicyEntry.Type.VETO:
        if scheme is None or code not in {v.code for v in scheme.vetoes}:
            raise ValidationFailed(_("Choose a veto item of the scheme."))
    elif entry_type == PolicyEntry.Type.ADJUSTMENT:
        if points == 0 or abs(points) > 100:
            raise ValidationFailed(_("An adjustment is between −100 and 100 and not 0."))
        code = ""
    else:
        raise ValidationFailed(_("Choose the type."))
    with transaction.atomic():
        entry = PolicyEntry.objects.create(
            committee_id=member.committee_id,
            member=member,
            year=year,
            type=entry_type,
            code=code,
            points=points if entry_type == PolicyEntry.Type.ADJUSTMENT else Decimal(0),
            date=date or timezone.localdate(),
            reason=reason[:200],
            created_by=user_or_none(actor),
        )
        audit_log(
            action="points.entry_add",
            actor=actor,
            obj=entry,
            member=member.pk,
            type=entry_type,
            code=code,
            points=str(entry.points),
            reason=entry.reason,
        )
        if policy is not None:
            scoring.recalculate(policy, member_ids=[member.pk])
    return entry


def entry_remove(*, entry: PolicyEntry, actor: Any) -> None:
    require_perm(actor, "points.manage", entry.member.committee)
    with transaction.atomic():
        audit_log(
            action="points.entry_remove",
            actor=actor,
            obj=entry,
            member=entry.member_id,
            reason=entry.reason,
        )
        member_id, year, committee_id = entry.member_id, entry.year, entry.committee_id
        entry.delete()
        policy = scoring.active_policy(committee_id, year)
        if policy is not None:
            scoring.recalculate(policy, member_ids=[member_id])


def policy_create_preset(*, committee: Any, year: int, actor: Any, preset: str) -> Policy:
    """A draft policy from one of the shipped scheme files."""
    if preset not in presets.PRESET_SCHEMES:
        raise ValidationFailed(_("Choose a shipped scheme."))
    return policy_import(
        committee=committee, year=year, actor=actor, document=presets.scheme_preset(preset)
    )
