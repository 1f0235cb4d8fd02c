"""Staff change a consultation or a topic after it was created (issue 12).

While it is still at its first step (a consultation whose topic is just set,
a topic not yet decided) a change is a plain edit, audited with the values
before and after. Past it, a change is a correction after the fact
(core.corrections): it needs a reason, each changed field keeps its
original beside the record, and the pages show both."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.consultations import audit
from lvzhi.consultations.models import Consultation, ConsultationFormat, Topic
from lvzhi.consultations.services._common import TEXT_MAX, TITLE_MAX, clean_text
from lvzhi.consultations.services.consultations import check_particulars
from lvzhi.core.audit import audit_log
from lvzhi.core.corrections import correction_reason, corrections_record, field_values
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm

# What staff may change after creation (the format, year and planned topic
# decide the steps and the plan, so they stay as created).
CONSULTATION_FIELDS = (
    "title",
    "description",
    "meeting_date",
    "venue",
    "first_convener",
    "department",
    "sector",
    "sector_cluster",
    "proposal_reference",
    "opens_at",
    "closes_at",
)
# A topic's source and year decide who proposed it and which plan takes it.
TOPIC_FIELDS = ("title", "rationale", "proposer_name")


def consultation_in_draft(consultation: Consultation) -> bool:
    """Still at its first step: changed freely, without a correction."""
    return consultation.state == Consultation.State.TOPIC


def topic_in_draft(topic: Topic) -> bool:
    return topic.status == Topic.Status.PROPOSED


@dataclass(frozen=True)
class _Editable:
    """What differs between editing a consultation and a topic: the fields
    staff may change, the test of the first step, the refusal when the row
    passed it (or came back) meanwhile, and the two audit codes."""

    model: type[Consultation] | type[Topic]
    fields: tuple[str, ...]
    in_draft: Callable[[Any], bool]
    moved: Promise
    change_action: str
    correct_action: str

    def reason(self, obj: Any, reason: str) -> str:
        """The reason given; past the first step one is required."""
        return reason if self.in_draft(obj) else correction_reason(reason)

    def lock(self, obj: Any) -> Any:
        """The row, locked, refused if it passed the first step meanwhile."""
        row = self.model._default_manager.select_for_update().get(pk=obj.pk)
        if self.in_draft(row) != self.in_draft(obj):
            raise Conflict(str(self.moved))
        return row

    def apply(self, row: Any, values: Mapping[str, Any], *, actor: Any, reason: str) -> Any:
        """Set ``values`` on the locked ``row``: a plain audited edit in draft,
        a correction (original kept) past it. Nothing changed is refused."""
        before = field_values(row, self.fields)
        for name, value in values.items():
            setattr(row, name, value)
        after = field_values(row, self.fields)
        changed = [name for name in self.fields if before[name] != after[name]]
        if not changed:
            raise ValidationFailed(_("Nothing was changed."))
        row.save(update_fields=changed)
        if self.in_draft(row) and not reason.strip():
            audit_log(
                action=self.change_action,
                actor=actor,
                obj=row,
                changes={name: {"before": before[name], "after": after[name]} for name in changed},
            )
        else:
            corrections_record(
                row, before=before, actor=actor, reason=reason, audit_action=self.correct_action
            )
        return row


CONSULTATIONS = _Editable(
    Consultation,
    CONSULTATION_FIELDS,
    consultation_in_draft,
    gettext_lazy("The consultation has moved on meanwhile; open it again."),
    audit.CONSULTATION_CHANGE,
    audit.CONSULTATION_CORRECT,
)
TOPICS = _Editable(
    Topic,
    TOPIC_FIELDS,
    topic_in_draft,
    gettext_lazy("The topic has been decided meanwhile; open it again."),
    audit.TOPIC_CHANGE,
    audit.TOPIC_CORRECT,
)


def consultation_update(
    *, actor: Any, consultation: Consultation, data: Mapping[str, Any], reason: str = ""
) -> Consultation:
    """Change a consultation's particulars (those of its format; the others are cleared)."""
    require_perm(actor, "consultations.manage_consultation", consultation)
    reason = CONSULTATIONS.reason(consultation, reason)
    fmt = consultation.format
    values: dict[str, Any] = {
        "title": clean_text(data.get("title", ""), label=_("Title"), max_length=TITLE_MAX),
        "description": clean_text(
            data.get("description", ""), label=_("Description"), max_length=TEXT_MAX, required=False
        ),
        "venue": clean_text(
            data.get("venue", ""), label=_("Venue"), max_length=200, required=False
        ),
        "proposal_reference": clean_text(
            data.get("proposal_reference", ""),
            label=_("Proposal number"),
            max_length=50,
            required=False,
        ),
        "meeting_date": data.get("meeting_date"),
        "first_convener": data.get("first_convener")
        if fmt == ConsultationFormat.GOOD_TALK
        else None,
        "department": data.get("department"),
        "sector": data.get("sector") if fmt == ConsultationFormat.SECTOR else None,
        "sector_cluster": data.get("sector_cluster")
        if fmt == ConsultationFormat.ROUND_TABLE
        else None,
        "opens_at": data.get("opens_at") if fmt == ConsultationFormat.ONLINE else None,
        "closes_at": data.get("closes_at") if fmt == ConsultationFormat.ONLINE else None,
    }
    check_particulars(committee=consultation.committee, format=fmt, **_particulars(values))
    with transaction.atomic():
        row = CONSULTATIONS.lock(consultation)
        CONSULTATIONS.apply(row, values, actor=actor, reason=reason)
    return row


def _particulars(values: Mapping[str, Any]) -> dict[str, Any]:
    names = ("first_convener", "department", "sector", "sector_cluster")
    return {name: values[name] for name in names} | {
        "proposal_reference": values["proposal_reference"],
        "opens_at": values["opens_at"],
        "closes_at": values["closes_at"],
    }


def topic_update(*, actor: Any, topic: Topic, data: Mapping[str, Any], reason: str = "") -> Topic:
    """Change a topic's wording (its title, rationale, who raised it)."""
    require_perm(actor, "consultations.edit_topic", topic)
    reason = TOPICS.reason(topic, reason)
    values = {
        "title": clean_text(data.get("title", ""), label=_("Topic"), max_length=TITLE_MAX),
        "rationale": clean_text(data.get("rationale", ""), label=_("Rationale"), max_length=2000),
        "proposer_name": clean_text(
            data.get("proposer_name", ""), label=_("Proposer"), max_length=100, required=False
        ),
    }
    with transaction.atomic():
        row = TOPICS.lock(topic)
        duplicate = (
            Topic.objects.filter(
                committee_id=row.committee_id, year=row.year, title=values["title"]
            )
            .exclude(pk=row.pk)
            .exists()
        )
        if duplicate:
            raise Conflict(
                _("A topic “%(title)s” was already proposed for %(year)d.")
                % {"title": values["title"], "year": row.year}
            )
        TOPICS.apply(row, values, actor=actor, reason=reason)
    return row
