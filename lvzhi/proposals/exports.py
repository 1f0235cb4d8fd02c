"""The proposals app's exports (core.exports): the office's list as filtered,
with what staff need in the sheet — units (lead first), the reply deadline,
the latest reply's class, the proposers' satisfaction and the co-signers —
in a fixed number of queries however many rows (prefetched in chunks)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Prefetch
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.exports import ExportSpec, register_export
from lvzhi.proposals import selectors
from lvzhi.proposals.audit import EXPORT
from lvzhi.proposals.filters import ProposalFilter
from lvzhi.proposals.models import Assignment, CoSigner, Evaluation, Proposal, Reply

_ROLE_ORDER: dict[str, int] = {
    Assignment.Role.LEAD: 0,
    Assignment.Role.SPLIT: 1,
    Assignment.Role.CO: 2,
}


def office_list(committee: Any, params: QueryDict) -> ProposalFilter:
    """The office's list as filtered by ``params`` (the page and its export)."""
    return ProposalFilter(
        params, queryset=selectors.office_proposals(committee), committee=committee
    )


def _units(proposal: Proposal) -> tuple[str, Any, str]:
    """The units (lead first, with their roles), the lead's due date and the
    class of the latest reply."""
    live = [a for a in proposal.assignments.all() if not a.is_withdrawn]
    live.sort(key=lambda a: (_ROLE_ORDER.get(a.role, 9), a.pk))
    names = "、".join(f"{a.unit.name}（{a.get_role_display()}）" for a in live)
    answering = [a for a in live if a.replies_to_proposer]
    due = answering[0].due if answering else ""
    replies = [r for a in answering for r in a.replies.all()]
    if not replies:
        return names, due, ""
    latest = max(replies, key=lambda r: (r.round, r.pk))
    return names, due, latest.class_label or latest.reply_class


def _satisfaction(proposal: Proposal) -> str:
    labels = []
    for evaluation in proposal.evaluations.all():
        if evaluation.not_evaluated:
            labels.append(f"{evaluation.member.person.name}：{_('not evaluated in time')}")
        elif evaluation.result:
            labels.append(f"{evaluation.member.person.name}：{evaluation.get_result_display()}")
    return "；".join(labels)


@register_export("proposals", permission="proposals.export")
def proposals_export(user: Any, committee: Any, params: QueryDict) -> ExportSpec:
    proposals = office_list(committee, params).qs
    rows_qs = proposals.prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("unit").prefetch_related(
                Prefetch("replies", queryset=Reply.objects.order_by("round", "id"))
            ),
        ),
        Prefetch(
            "cosigners",
            queryset=CoSigner.objects.filter(state=CoSigner.State.CONFIRMED).select_related(
                "member__person"
            ),
        ),
        Prefetch(
            "evaluations",
            queryset=Evaluation.objects.select_related("member__person").order_by("round", "id"),
        ),
    )

    def rows() -> Iterator[Sequence[Any]]:
        for p in rows_qs.iterator(chunk_size=1000):
            units, due, answer_class = _units(p)
            yield (
                p.number_label,
                p.session.name if p.session else p.term.name,
                p.title,
                p.category.name if p.category else "",
                p.get_kind_display(),
                p.proposer.person.name,
                "、".join(c.member.person.name for c in p.cosigners.all()),
                p.get_status_display(),
                timezone.localtime(p.submitted_at).date() if p.submitted_at else "",
                _("yes") if p.is_key else "",
                units,
                due,
                answer_class,
                _satisfaction(p),
            )

    return ExportSpec(
        filename=f"proposals-{timezone.localdate():%Y%m%d}.xlsx",
        title=str(_("Proposals")),
        headers=[
            _("Number"),
            _("Session"),
            _("Title"),
            _("Category"),
            _("Kind"),
            _("Lead proposer"),
            _("Co-signers"),
            _("Status"),
            _("Submitted at"),
            _("Key proposal"),
            _("Handling units"),
            _("Reply by"),
            _("Class"),
            _("Satisfaction"),
        ],
        total=proposals.count(),
        rows=rows(),
        audit_action=EXPORT,
        audit_detail={"what": "list"},
    )
