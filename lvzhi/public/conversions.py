"""三听三转: turning citizens' messages into work — the extension point.

A *converter* knows how to create one kind of target (a proposal lead, an
opinion report draft, a consultation topic, a studio service project) from
one or several messages. Converters are registered by kind key; the page
offers those whose permission the user holds. ``conversion_create`` calls
the converter and records a ``Conversion`` row that links the messages and
the created object both ways (generic FK + the messages M2M), so the
citizen's tracking page shows "已转为…" and the target can list its messages
(``messages_of_target``).

Each converter calls the target app's own service (public sits above the
proposals, opinions and consultations apps, so it may): the target app
checks its own rules, writes its own history and notifies its own people.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.accounts.audit import register_detail_labels
from lvzhi.consultations import services as consultation_services
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.permissions import has_perm, require_perm
from lvzhi.core.web import this_year
from lvzhi.core.workflow import transition
from lvzhi.opinions import services as opinion_services
from lvzhi.org.models import Committee, Member
from lvzhi.proposals import services as proposal_services
from lvzhi.public import audit
from lvzhi.public.models import Conversion, Message, Venue
from lvzhi.public.workflow import MESSAGE_FLOW


@dataclass(frozen=True)
class ConversionInput:
    """What the conversion form collects; a converter uses what it needs."""

    committee: Committee
    messages: Sequence[Message]
    title: str
    body: str
    actor: Any
    member: Member | None = None  # the member a proposal lead or report draft is for


@dataclass(frozen=True)
class Converter:
    kind: str
    label: str | Promise  # what staff choose: "Proposal lead"
    done_label: str | Promise  # what citizens read: "Became a proposal lead" (已转为提案线索)
    permission: str  # rules permission, checked against each message
    create: Callable[[ConversionInput], models.Model]
    needs_member: bool = False
    order: int = 100


_registry: dict[str, Converter] = {}


def register(converter: Converter) -> None:
    _registry[converter.kind] = converter
    # The audit trail shows a conversion's kind by its label.
    register_detail_labels({}, {"kind": {converter.kind: converter.label}})


def unregister(kind: str) -> None:
    _registry.pop(kind, None)


def get(kind: str) -> Converter | None:
    return _registry.get(kind)


def registered() -> list[Converter]:
    return sorted(_registry.values(), key=lambda c: (c.order, c.kind))


def available_for(user: Any, messages: Sequence[Message]) -> list[Converter]:
    """The converters the user may apply to all these messages now."""
    if not messages or not all(
        MESSAGE_FLOW.allowed(m, "convert") and has_perm(user, "public.convert_message", m)
        for m in messages
    ):
        return []
    return [c for c in registered() if all(has_perm(user, c.permission, m) for m in messages)]


def conversion_create(
    *,
    kind: str,
    messages: Sequence[Message],
    title: str,
    body: str,
    actor: Any,
    member: Member | None = None,
) -> Conversion:
    """Create the target through its converter and link it with the messages."""
    converter = _registry.get(kind)
    if converter is None:
        raise ValidationFailed(_("Choose what to turn the messages into."))
    messages = list(messages)
    if not messages:
        raise ValidationFailed(_("Choose at least one message."))
    committee_ids = {m.committee_id for m in messages}
    if len(committee_ids) != 1:
        raise ValidationFailed(_("The messages belong to different committees."))
    if not all(MESSAGE_FLOW.allowed(m, "convert") for m in messages):
        raise ValidationFailed(_("A message held for review cannot be converted."))
    for m in messages:
        require_perm(
            actor,
            converter.permission,
            m,
            message=_("You may not convert these messages into this."),
        )
    title = title.strip()
    if not title:
        raise ValidationFailed(_("Give the new item a title."))
    if converter.needs_member and member is None:
        raise ValidationFailed(_("Choose the member it is for."))
    if member is not None and member.committee_id not in committee_ids:
        raise ValidationFailed(_("The member belongs to another committee."))
    committee = messages[0].committee
    with transaction.atomic():
        locked = list(Message.objects.select_for_update().filter(pk__in=[m.pk for m in messages]))
        target = converter.create(
            ConversionInput(
                committee=committee,
                messages=locked,
                title=title[:200],
                body=body.strip(),
                actor=actor,
                member=member,
            )
        )
        conversion = Conversion.objects.create(
            committee=committee,
            target_kind=converter.kind,
            target_label=str(converter.done_label)[:50],
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
            target_title=title[:200],
            created_by=actor,
        )
        conversion.messages.set(locked)
        # Each message's timeline shows what it became (the status stays).
        for m in locked:
            transition(
                m,
                "convert",
                actor=actor,
                note=f"{converter.done_label}: {title}"[:300],
                data={"kind": converter.kind, "conversion": conversion.pk},
            )
        audit_log(
            action=audit.CONVERSION_CREATE,
            actor=actor,
            obj=conversion,
            committee=committee,
            kind=converter.kind,
            messages=",".join(str(m.pk) for m in locked),
        )
    return conversion


def conversions_of_target(target: models.Model) -> models.QuerySet[Conversion]:
    return Conversion.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    )


def messages_of_target(target: models.Model) -> models.QuerySet[Message]:
    """The messages an item was made from (the link back from the target)."""
    return Message.objects.filter(
        conversions__target_type=ContentType.objects.get_for_model(target),
        conversions__target_id=target.pk,
    ).distinct()


# --- The converters ----------------------------------------------------------------------------


def _service_project(data: ConversionInput) -> models.Model:
    from lvzhi.studios.services import service_project_create

    studios = {m.venue.studio_id for m in data.messages if m.venue.kind == Venue.Kind.STUDIO}
    if len(studios) != 1 or any(m.venue.kind != Venue.Kind.STUDIO for m in data.messages):
        raise ValidationFailed(_("A service project is made from messages sent to one studio."))
    studio = data.messages[0].venue.studio
    assert studio is not None
    return service_project_create(
        studio=studio, title=data.title, description=data.body, actor=data.actor
    )


def _member_draft(create_from_public: Callable[..., Any]) -> Callable[[ConversionInput], Any]:
    """A converter writing a draft for the chosen member (a proposal lead, a
    report): the target app's ``*_create_from_public`` service."""

    def create(data: ConversionInput) -> Any:
        assert data.member is not None  # needs_member
        return create_from_public(
            committee=data.committee,
            member=data.member,
            title=data.title,
            body=data.body,
            actor=data.actor,
        )

    return create


def _consultation_topic(data: ConversionInput) -> models.Model:
    # 群众出题: the topic names the citizens' messages it came from.
    codes = "、".join(f"#{m.pk}" for m in data.messages)
    created: models.Model = consultation_services.topic_create_from_public(
        committee=data.committee,
        year=this_year(),
        title=data.title,
        rationale=data.body or data.messages[0].text,
        proposer_name="",
        public_reference=codes[:100],
        actor=data.actor,
    )
    return created


# The four conversions of 三听三转: kind, what staff choose, what citizens
# read (已转为…), the permission, the converter, then whether it needs a member.
DEFAULT_CONVERTERS = (
    Converter(
        "proposal",
        gettext_lazy("Proposal lead for a member"),
        gettext_lazy("Became a proposal lead"),
        "public.convert_to_proposal",
        _member_draft(proposal_services.proposal_draft_create_from_public),
        needs_member=True,
        order=10,
    ),
    Converter(
        "opinion",
        gettext_lazy("Public-opinion report draft"),
        gettext_lazy("Became a public-opinion report"),
        "public.convert_to_opinion",
        _member_draft(opinion_services.report_draft_create_from_public),
        needs_member=True,
        order=20,
    ),
    Converter(
        "consultation_topic",
        gettext_lazy("Consultation topic raised by the public"),
        gettext_lazy("Became a consultation topic"),
        "public.convert_to_consultation_topic",
        _consultation_topic,
        order=30,
    ),
    Converter(
        "service_project",
        gettext_lazy("Studio service project"),
        gettext_lazy("Became a service project"),
        "public.convert_to_service_project",
        _service_project,
        order=40,
    ),
)


def register_defaults() -> None:
    """Called from PublicConfig.ready(): the four conversions of 三听三转.
    A new target (say, a service project of a station) registers its own."""
    for converter in DEFAULT_CONVERTERS:
        register(converter)
