"""What each searchable kind reads from its app and how it becomes a
``SearchEntry``: the rows, the text, the year, the page it links to, and how
the indexing job finds the rows changed since its last run.

Assist sits above the apps it reads (layer 4), so the apps never call it;
the job polls them instead (``indexing.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet
from django.urls import reverse

from lvzhi.assist.models import Kind
from lvzhi.assist.tokens import content_tokens, index_tokens
from lvzhi.consultations.models import Consultation, Topic
from lvzhi.duties.models import Activity
from lvzhi.opinions.models import Report
from lvzhi.org.models import Member
from lvzhi.proposals.models import Assignment, CoSigner, Proposal
from lvzhi.public.models import Message

BODY_CHARS = 1000  # kept for the highlighted excerpt
TITLE_CHARS = 300


@dataclass(frozen=True)
class Entry:
    committee_id: int
    object_id: int
    year: int | None
    title: str
    body: str
    words: str  # the text cut into tokens (numbers and names added as they are)
    url: str
    terms: str = ""


@dataclass(frozen=True)
class Source:
    kind: str
    model: type[Model]
    rows: Callable[[], QuerySet[Any]]
    entry: Callable[[Any], Entry]
    # The field a change of the row touches (auto_now), if the model has one.
    stamp: str | None = None
    # A child table whose new rows change the text (a proposal's assignments):
    # (model, the foreign key's attribute).
    child: tuple[type[Model], str] | None = None

    def changed(self, *, since: Any, last_id: int, last_child_id: int) -> QuerySet[Any]:
        """Rows new since ``last_id``, touched since ``since``, or with a new child row."""
        q = Q(pk__gt=last_id)
        if self.stamp and since is not None:
            q |= Q(**{f"{self.stamp}__gte": since})
        if self.child:
            model, fk = self.child
            new_children = model._default_manager.filter(pk__gt=last_child_id)  # type: ignore[attr-defined]
            q |= Q(pk__in=new_children.values(fk))
        return self.rows().filter(q)


def _text(*parts: Any) -> str:
    return "\n".join(str(p) for p in parts if p)


def _entry(
    row: Any, *, year: int | None, title: str, text: str, extra: Iterable[str], url: str
) -> Entry:
    words = " ".join([*index_tokens(_text(title, text)), *(w for w in extra if w)])
    return Entry(
        committee_id=row.committee_id,
        object_id=row.pk,
        year=year,
        title=title[:TITLE_CHARS],
        body=text[:BODY_CHARS],
        words=words,
        url=url,
    )


def name_tokens(name: str) -> list[str]:
    """A person's name whole and in its pairs and characters: jieba cuts
    names unpredictably, and a query of the surname or given name must still
    find them."""
    name = "".join(ch for ch in name if ch.isalnum())
    parts = {name, *name, *(name[i : i + 2] for i in range(len(name) - 1))}
    return sorted(p for p in parts if p)


# --- Proposals: number, title, body, proposers, units -------------------------------------


def _proposals() -> QuerySet[Proposal]:
    return Proposal.objects.select_related(
        "proposer__person", "category", "session"
    ).prefetch_related(
        Prefetch("cosigners", queryset=CoSigner.objects.select_related("member__person")),
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit")),
    )


@dataclass(frozen=True)
class ProposalText:
    """What a proposal's entry is made of, read from the ORM (``_proposal``)
    or in bulk (bench/province.py, which writes the entries of a generated
    province by COPY with the same ``proposal_entry``)."""

    pk: int
    committee_id: int
    year: int
    number: int | None
    title: str
    reason: str
    suggestions: str
    on_behalf_of: str
    category: str
    units: list[str]  # the assignments' units, in the assignments' order
    names: list[str]  # the proposer's, then the co-signers' in their order


def _proposal(p: Proposal) -> Entry:
    return proposal_entry(
        ProposalText(
            pk=p.pk,
            committee_id=p.committee_id,
            year=p.session.year if p.session else p.created_at.year,
            number=p.number,
            title=p.title,
            reason=p.reason,
            suggestions=p.suggestions,
            on_behalf_of=p.on_behalf_of,
            category=p.category.name if p.category else "",
            units=[a.unit.name for a in p.assignments.all()],
            names=[p.proposer.person.name, *(c.member.person.name for c in p.cosigners.all())],
        )
    )


def proposal_entry(p: ProposalText) -> Entry:
    extra = [str(p.number) if p.number else "", *(t for n in p.names for t in name_tokens(n))]
    entry = _entry(
        p,
        year=p.year,
        title=p.title,
        text=_text(p.reason, p.suggestions, p.on_behalf_of, p.category, *p.units),
        extra=extra,
        url=reverse("proposals:detail", args=[p.pk]),
    )
    return replace(entry, terms=" ".join(proposal_terms(p.title, p.reason, p.suggestions)))


def proposal_terms(title: str, reason: str, suggestions: str) -> list[str]:
    """What a proposal is about, as similarity and routing see it (the title counts twice)."""
    return content_tokens(_text(title, title, reason, suggestions))


# --- The other kinds -----------------------------------------------------------------------


def _reports() -> QuerySet[Report]:
    return Report.objects.select_related("author__person")


def _report(r: Report) -> Entry:
    author = r.author.person.name if r.author_id else ""
    return _entry(
        r,
        year=r.year or r.created_at.year,
        title=r.title,
        text=_text(r.text, r.group_name),
        extra=[r.code.replace("-", ""), *r.code.split("-"), *name_tokens(author)],
        url=reverse("opinions:report_detail", args=[r.pk]),
    )


def _topic(t: Topic) -> Entry:
    return _entry(
        t,
        year=t.year,
        title=t.title,
        text=_text(t.rationale, t.proposer_name),
        extra=[],
        url=reverse("consultations:topic_list") + f"?year={t.year}",
    )


def _consultation(c: Consultation) -> Entry:
    return _entry(
        c,
        year=c.year,
        title=c.title,
        text=c.description,
        extra=[],
        url=reverse("consultations:consultation_detail", args=[c.pk]),
    )


def _message(m: Message) -> Entry:
    # The citizen's name and phone stay out of the index: personal data.
    entry = _entry(
        m,
        year=m.created_at.year,
        title=m.text[:40],
        text=m.text,
        extra=[],
        url=reverse("public:message_detail", args=[m.pk]),
    )
    return replace(entry, terms=" ".join(content_tokens(m.text)))


def _activity(a: Activity) -> Entry:
    return _entry(
        a,
        year=a.start_at.year,
        title=a.title,
        text=_text(a.description, a.place),
        extra=[],
        url=reverse("duties:activity_detail", args=[a.pk]),
    )


def _member(m: Member) -> Entry:
    name = m.person.name
    return _entry(
        m,
        year=None,
        title=name,
        text=_text(m.person.employer, m.person.job_title),
        extra=name_tokens(name),
        url=reverse("org:member_detail", args=[m.pk]),
    )


SOURCES: dict[str, Source] = {
    s.kind: s
    for s in (
        Source(
            Kind.PROPOSAL,
            Proposal,
            _proposals,
            _proposal,
            "updated_at",
            (Assignment, "proposal_id"),
        ),
        Source(Kind.REPORT, Report, _reports, _report, "updated_at"),
        Source(Kind.TOPIC, Topic, Topic.objects.all, _topic),
        Source(Kind.CONSULTATION, Consultation, Consultation.objects.all, _consultation),
        Source(Kind.MESSAGE, Message, Message.objects.all, _message),
        Source(Kind.ACTIVITY, Activity, Activity.objects.all, _activity, "updated_at"),
        Source(Kind.MEMBER, Member, lambda: Member.objects.select_related("person"), _member),
    )
}
