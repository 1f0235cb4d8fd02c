"""协商成果 and 反馈: the recommendations of a consultation, the departments'
feedback on them, and the quality evaluation of the consultation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.consultations import audit
from lvzhi.consultations.models import (
    Consultation,
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    OutcomeItem,
)
from lvzhi.consultations.services._common import (
    TEXT_MAX,
    active_unit,
    clean_text,
    locked,
    one_of,
    same_committee,
    save_fields,
)
from lvzhi.consultations.workflow import CONSULTATION_FLOW, EVALUATION_STATES
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.org.models import Committee, HandlingUnit

MANAGE = "consultations.manage_consultation"


def _drafting(consultation: Consultation, message: str) -> Consultation:
    row: Consultation = locked(Consultation, consultation.pk)
    if row.state != Consultation.State.OUTCOMES:
        raise Conflict(message)
    return row


def outcome_add(
    *,
    actor: Any,
    consultation: Consultation,
    text: str,
    recipient: str,
    unit: HandlingUnit | None = None,
) -> OutcomeItem:
    """One recommendation of the consultation, for party and government or a department."""
    require_perm(actor, MANAGE, consultation)
    with transaction.atomic():
        consultation = _drafting(
            consultation, _("Outcomes are written after the meeting and before they are sent.")
        )
        text = clean_text(text, label=_("Recommendation"), max_length=TEXT_MAX)
        one_of(recipient, OutcomeItem.Recipient, _("Choose where the outcome is sent."))
        if recipient == OutcomeItem.Recipient.UNIT:
            if unit is None:
                raise ValidationFailed(_("Choose the department the outcome is sent to."))
            active_unit(unit, consultation.committee)
        else:
            unit = None
        if consultation.outcomes.filter(text=text).exists():
            raise Conflict(_("This recommendation has been written already."))
        number = (consultation.outcomes.aggregate(n=Max("number"))["n"] or 0) + 1
        outcome = OutcomeItem.objects.create(
            committee=consultation.committee,
            consultation=consultation,
            number=number,
            text=text,
            recipient=recipient,
            unit=unit,
        )
        audit_log(action=audit.OUTCOME_ADD, actor=actor, obj=outcome, number=number)
    return outcome


def outcome_remove(*, actor: Any, outcome: OutcomeItem) -> None:
    require_perm(actor, MANAGE, outcome.consultation)
    with transaction.atomic():
        consultation = _drafting(
            outcome.consultation, _("Outcomes can be removed only before they are sent.")
        )
        number = outcome.number
        outcome.delete()
        audit_log(action=audit.OUTCOME_REMOVE, actor=actor, obj=consultation, number=number)


def outcome_feedback_give(*, actor: Any, outcome: OutcomeItem, feedback: str) -> OutcomeItem:
    """The department's feedback on one outcome (its unit user, or staff for
    it). When every outcome has feedback the consultation moves on."""
    require_perm(
        actor,
        "consultations.answer_outcome",
        outcome,
        message=_("Only the department concerned or the office staff may answer."),
    )
    feedback = clean_text(feedback, label=_("Feedback"), max_length=TEXT_MAX)
    with transaction.atomic():
        consultation = locked(Consultation, outcome.consultation_id)
        outcome = locked(OutcomeItem, outcome.pk)
        if outcome.sent_at is None or not CONSULTATION_FLOW.allowed(consultation, "feedback"):
            raise Conflict(
                _("Feedback is given on outcomes that have been sent and not yet answered.")
            )
        if outcome.feedback_at is not None:
            raise Conflict(_("Feedback on this outcome has been given already."))
        save_fields(outcome, feedback=feedback, feedback_at=timezone.now(), feedback_by=actor)
        transition(
            consultation,
            "feedback",
            actor=actor,
            note=_("Outcome %(number)d answered") % {"number": outcome.number},
            data={"outcome": outcome.number},
            outcome=outcome.number,
        )
        if CONSULTATION_FLOW.find(consultation.state, "feedback_complete") and (
            not consultation.outcomes.filter(feedback_at__isnull=True).exists()
        ):
            transition(consultation, "feedback_complete", actor=actor)
    return outcome


# --- Quality evaluation ----------------------------------------------------------------


def criterion_save(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    max_score: int,
    description: str = "",
    order: int = 0,
    is_active: bool = True,
    criterion: EvaluationCriterion | None = None,
) -> EvaluationCriterion:
    """Add or change a criterion of the committee's evaluation standard."""
    require_perm(actor, "consultations.configure_evaluation", committee)
    name = clean_text(name, label=_("Criterion"), max_length=100)
    description = clean_text(description, label=_("Description"), max_length=300, required=False)
    if not 1 <= int(max_score) <= 100:
        raise ValidationFailed(_("The maximum score must be between 1 and 100."))
    taken = EvaluationCriterion.objects.filter(committee=committee, name=name)
    if criterion is not None:
        same_committee(criterion, committee, _("The criterion does not belong to this committee."))
        taken = taken.exclude(pk=criterion.pk)
    if taken.exists():
        raise Conflict(_("The criterion “%(name)s” exists already.") % {"name": name})
    with transaction.atomic():
        if criterion is None:
            criterion = EvaluationCriterion(committee=committee)
        criterion.name = name
        criterion.description = description
        criterion.max_score = max_score
        criterion.order = order
        criterion.is_active = is_active
        criterion.save()
        audit_log(
            action=audit.CRITERION_SAVE,
            actor=actor,
            obj=criterion,
            max_score=max_score,
            is_active=is_active,
        )
    return criterion


def evaluation_save(
    *, actor: Any, consultation: Consultation, scores: Mapping[int, int], note: str = ""
) -> Evaluation:
    """Score a consultation against the committee's standard (every active
    criterion, each at most its maximum); saving again replaces the scores."""
    require_perm(actor, "consultations.evaluate_consultation", consultation)
    with transaction.atomic():
        consultation = locked(Consultation, consultation.pk)
        if consultation.state not in EVALUATION_STATES:
            raise Conflict(_("A consultation is evaluated once the feedback has come in."))
        criteria = list(
            EvaluationCriterion.objects.filter(committee=consultation.committee, is_active=True)
        )
        if not criteria:
            raise ValidationFailed(_("The committee has no evaluation standard yet."))
        errors = []
        for criterion in criteria:
            score = scores.get(criterion.pk)
            if score is None:
                errors.append(_("Give a score for “%(name)s”.") % {"name": criterion.name})
            elif not 0 <= int(score) <= criterion.max_score:
                errors.append(
                    _("The score for “%(name)s” must be between 0 and %(max)d.")
                    % {"name": criterion.name, "max": criterion.max_score}
                )
        if errors:
            raise ValidationFailed(
                " ".join(str(e) for e in errors), errors=[str(e) for e in errors]
            )
        note = clean_text(note, label=_("Comment"), max_length=2000, required=False)
        evaluation, _created = Evaluation.objects.get_or_create(
            consultation=consultation, defaults={"committee": consultation.committee}
        )
        evaluation.scores.all().delete()
        EvaluationScore.objects.bulk_create(
            EvaluationScore(
                evaluation=evaluation,
                criterion=c,
                criterion_name=c.name,
                max_score=c.max_score,
                score=int(scores[c.pk]),
            )
            for c in criteria
        )
        evaluation.total = sum(int(scores[c.pk]) for c in criteria)
        evaluation.max_total = sum(c.max_score for c in criteria)
        evaluation.note = note
        evaluation.evaluated_by = actor
        evaluation.save()
        audit_log(
            action=audit.EVALUATION_SAVE, actor=actor, obj=consultation, total=evaluation.total
        )
    return evaluation
