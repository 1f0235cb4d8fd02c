"""示例提案: two years (last year and this year) of invented proposals in
every state for the demo committees, spread over their handling units.

Called by ``manage.py seed_demo`` after the organisation's demo. The plan is
built from a random generator with a fixed seed, so it is the same on every
run; each proposal carries a token derived from its plan index and is
skipped when it exists, so a second run changes nothing. Dates of finished
proposals are fixed in the plan; the open ones (assigned, in handling) are
dated back from the day of seeding so the unit inbox and the supervision
board show every deadline colour.

Rows are written directly (with the timeline and duty records the services
would write) rather than through the services, because the history needs
past dates and actors of units that have no demo login.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from lvzhi.duties.models import DutyKind
from lvzhi.duties.services import duty_record, ledger_batch
from lvzhi.org.models import Committee, HandlingUnit, Member, PlenarySession
from lvzhi.org.selectors import current_term
from lvzhi.proposals import services, workflow
from lvzhi.proposals.models import (
    Assignment,
    AssignmentMessage,
    CoSigner,
    DeclineGround,
    Evaluation,
    NumberCounter,
    PreContact,
    Proposal,
    ProposalCategory,
    ProposalEvent,
    QualityRating,
    Reply,
    Satisfaction,
    SupervisionNote,
)
from lvzhi.proposals.services._common import share_of
from lvzhi.proposals.settings_defs import answer_class, answer_classes

SEED = 20260301
NAMESPACE = uuid.UUID("6f1c3a52-9d1e-4b7a-8f3e-2a9d7c1b5e40")
S = Proposal.Status


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


TOPICS = {
    "经济建设": [
        "关于优化营商环境、支持民营经济发展的建议",
        "关于加快建设{p}数字经济产业园的建议",
        "关于完善中小微企业融资担保体系的建议",
        "关于推动{p}夜间经济规范发展的建议",
        "关于加强老字号品牌保护与传承的建议",
    ],
    "政治建设": [
        "关于深化基层协商民主实践的建议",
        "关于推进{p}政务服务“一网通办”的建议",
        "关于加强社区网格员队伍建设的建议",
    ],
    "文化建设": [
        "关于加强{p}非物质文化遗产保护的建议",
        "关于推动公共图书馆延时开放的建议",
        "关于活化利用历史街区的建议",
        "关于发展乡村文化旅游的建议",
    ],
    "社会建设": [
        "关于加强校园周边交通安全管理的建议",
        "关于完善社区居家养老服务体系的建议",
        "关于推进老旧小区加装电梯的建议",
        "关于缓解{p}中心城区停车难的建议",
        "关于加强青少年心理健康教育的建议",
        "关于完善困难群众医疗救助机制的建议",
        "关于扩大普惠性托育服务供给的建议",
    ],
    "生态文明建设": [
        "关于加强{p}河道综合治理的建议",
        "关于推进生活垃圾分类提质增效的建议",
        "关于建设城市绿道网络的建议",
        "关于加强农村面源污染治理的建议",
    ],
    "其他": ["关于加强应急避难场所建设的建议", "关于完善志愿服务激励机制的建议"],
}
REASONS = (
    "近年来{p}在这方面做了大量工作，但调研发现仍存在统筹不够、标准不一、群众获得感不强等问题。",
    "据调研，相关问题群众反映集中，部门之间衔接不畅，政策落实存在“最后一公里”问题。",
)
SUGGESTIONS = (
    "一、加强统筹协调，明确牵头部门；二、完善政策措施，加大资金保障；三、建立考核评估机制。",
    "一、开展专项调研，摸清底数；二、试点先行，总结推广；三、引导社会力量参与。",
)
REPLY_TEXT = (
    "您提出的建议对做好相关工作很有帮助。经认真研究，现答复如下：我单位已将有关建议"
    "纳入年度工作计划，并会同相关部门推进落实。感谢您对我们工作的关心和支持。"
)

# Finished states for last year; every state for this year (weights).
LAST_YEAR = ((S.CLOSED, 30), (S.EVALUATED, 4), (S.DECLINED, 6), (S.MERGED, 3), (S.WITHDRAWN, 1))
THIS_YEAR = (
    (S.DRAFT, 3),
    (S.SUBMITTED, 6),
    (S.RETURNED, 2),
    (S.WITHDRAWN, 1),
    (S.REGISTERED, 4),
    (S.DECLINED, 4),
    (S.MERGED, 2),
    (S.ASSIGNED, 6),
    (S.IN_HANDLING, 10),
    (S.REPLIED, 5),
    (S.REHANDLING, 2),
    (S.EVALUATED, 5),
    (S.CLOSED, 8),
)
# How far along the path each state lies.
PATH = [
    "submit",
    "register",
    "assign",
    "accept",
    "precontact",
    "reply",
    "evaluate",
    "close",
]
DEPTH: dict[str, int] = {
    S.DRAFT: 0,
    S.SUBMITTED: 1,
    S.RETURNED: 1,
    S.WITHDRAWN: 1,
    S.DECLINED: 1,
    S.MERGED: 1,
    S.REGISTERED: 2,
    S.ASSIGNED: 3,
    S.IN_HANDLING: 5,
    S.REPLIED: 6,
    S.REHANDLING: 7,
    S.EVALUATED: 7,
    S.CLOSED: 8,
}


@dataclass
class Spec:
    index: int
    year: int
    state: str
    title: str
    category: str
    kind: str
    proposer: int  # index into the members
    cosigners: list[int] = field(default_factory=list)
    units: list[int] = field(default_factory=list)  # lead first, then co-units
    reply_class: str = "B"
    satisfaction: str = "satisfied"
    rehandled: bool = False
    key: bool = False
    excellent: bool = False
    converted: bool = False


def build_plan(
    rng: random.Random, *, n_last: int, n_this: int, members: int, units: int, year: int, place: str
) -> list[Spec]:
    plan: list[Spec] = []
    categories = list(TOPICS)
    for i in range(n_last + n_this):
        this_year = i >= n_last
        weights = THIS_YEAR if this_year else LAST_YEAR
        state = rng.choices([s for s, _w in weights], [w for _s, w in weights])[0]
        category = rng.choice(categories)
        kind = rng.choices(["individual", "joint", "sector", "party"], [60, 25, 8, 7])[0]
        chosen_units = rng.sample(range(units), k=min(units, rng.choice([1, 1, 2, 3])))
        spec = Spec(
            index=i,
            year=year if this_year else year - 1,
            state=state,
            title=rng.choice(TOPICS[category]).format(p=place),
            category=category,
            kind=kind,
            proposer=rng.randrange(members),
            units=chosen_units,
            reply_class=rng.choices("ABC", [45, 40, 15])[0],
            satisfaction=rng.choices(["satisfied", "basic", "dissatisfied"], [70, 25, 5])[0],
            rehandled=rng.random() < 0.08,
            key=rng.random() < 0.08,
            excellent=not this_year and state == S.CLOSED and rng.random() < 0.15,
            converted=state == S.DECLINED and rng.random() < 0.5,
        )
        if kind == "joint":
            spec.cosigners = rng.sample(
                [m for m in range(members) if m != spec.proposer], k=rng.choice([1, 2, 3])
            )
        plan.append(spec)
    return plan


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class Builder:
    def __init__(self, committee: Committee, *, today: date, actors: dict[str, Any]) -> None:
        self.committee = committee
        self.today = today
        self.actors = actors
        term = current_term(committee)
        assert term is not None  # checked by _seed_committee
        self.term = term
        self.members = list(
            Member.objects.filter(
                committee=committee, term=self.term, status=Member.Status.IN_OFFICE
            )
            .select_related("person")
            .order_by("id")
        )
        self.units = list(
            HandlingUnit.objects.filter(committee=committee, is_active=True).order_by("id")
        )
        self.categories = {c.name: c for c in ProposalCategory.objects.filter(committee=committee)}
        self.grounds = list(DeclineGround.objects.filter(committee=committee).order_by("order"))
        self.sessions = {
            s.year: s for s in PlenarySession.objects.filter(committee=committee, term=self.term)
        }
        self.next_number = (
            Proposal.objects.filter(committee=committee, term=self.term).aggregate(m=Max("number"))[
                "m"
            ]
            or 0
        )
        self.last_registered: Proposal | None = None

    def thread(
        self, p: Proposal, lead: Assignment, contact: PreContact, unit_user: Any, when: datetime
    ) -> None:
        """办理沟通: the unit's message that was its pre-contact, and the proposer's answer."""
        unit_name = f"{lead.unit.name} {getattr(unit_user, 'display_name', '')}".strip()
        AssignmentMessage.objects.create_dated(
            when,
            committee_id=p.committee_id,
            assignment=lead,
            side=AssignmentMessage.Side.UNIT,
            author=unit_user,
            author_name=unit_name[:100],
            text="您好，我单位已承办您的提案，想就办理思路听取您的意见，方便时请回复。",
            precontact=contact,
        )
        AssignmentMessage.objects.create_dated(
            when + timedelta(hours=2),
            committee_id=p.committee_id,
            assignment=lead,
            side=AssignmentMessage.Side.PROPOSER,
            author=p.proposer.person.user,
            author_name=p.proposer.person.name[:100],
            text="感谢联系，建议重点关注基层落实情况，欢迎实地调研时通知我。",
        )

    def event(
        self,
        p: Proposal,
        action: str,
        frm: str,
        to: str,
        when: datetime,
        actor: Any,
        note: str = "",
    ) -> None:
        # Demo history is written with its date: event rows can never be
        # changed afterwards (the database refuses it, core.append_only).
        ProposalEvent.objects.create_dated(
            when, proposal=p, from_state=frm, to_state=to, action=action, actor=actor, note=note
        )

    def dates(self, spec: Spec) -> tuple[date, date]:
        """Submission day and the latest day the history may reach."""
        if spec.year < self.today.year:
            start = date(spec.year, 1, 5) + timedelta(days=(spec.index * 7) % 200)
            return start, date(spec.year, 12, 20)
        depth = DEPTH[spec.state]
        if spec.state in (S.ASSIGNED, S.IN_HANDLING):
            # Open work: assigned 20–110 days ago, so deadlines fall on every colour.
            back = 20 + (spec.index * 13) % 91
            return self.today - timedelta(days=back + 20), self.today
        span = max(30, depth * 25)
        start = self.today - timedelta(days=span + (spec.index * 5) % 60)
        return max(start, date(spec.year, 1, 3)), self.today

    def build(self, spec: Spec) -> bool:
        token = uuid.uuid5(NAMESPACE, f"{self.committee.code}:{spec.index}")
        if Proposal.objects.filter(create_token=token).exists():
            return False
        staff, leader = self.actors.get("staff"), self.actors.get("leader")
        proposer = self.members[spec.proposer % len(self.members)]
        submitted_on, end = self.dates(spec)
        session = self.sessions.get(spec.year) if spec.index % 3 == 0 else None
        place = self.committee.short_name[:3]
        p = Proposal.objects.create(
            committee=self.committee,
            term=self.term,
            session=session,
            title=spec.title,
            category=self.categories.get(spec.category),
            kind=spec.kind if spec.kind != "sector" or proposer.sector else "individual",
            on_behalf_of=(
                proposer.sector.name
                if spec.kind == "sector" and proposer.sector
                else ("民盟" if spec.kind == "party" else "")
            ),
            reason=REASONS[spec.index % 2].format(p=place),
            suggestions=SUGGESTIONS[spec.index % 2],
            proposer=proposer,
            status=S.DRAFT,
            create_token=token,
        )
        Proposal.objects.filter(pk=p.pk).update(created_at=_at(submitted_on - timedelta(days=2), 9))
        user = proposer.person.user
        self.event(p, "create", S.DRAFT, S.DRAFT, _at(submitted_on - timedelta(days=2), 9), user)
        cosigners = []
        for m in spec.cosigners:
            member = self.members[m % len(self.members)]
            if member.pk != proposer.pk and member not in cosigners:
                cosigners.append(member)
        for member in cosigners:
            CoSigner.objects.create(
                proposal=p,
                member=member,
                state=CoSigner.State.CONFIRMED if spec.state != S.DRAFT else CoSigner.State.INVITED,
                answered_at=_at(submitted_on, 8) if spec.state != S.DRAFT else None,
            )
        if spec.state == S.DRAFT:
            return True
        depth = DEPTH[spec.state]
        day = submitted_on
        fields: dict[str, Any] = {"submitted_at": _at(day)}
        self.event(p, "submit", S.DRAFT, S.SUBMITTED, _at(day), user)
        self._filed(p, proposer, cosigners, day)
        status: str = S.SUBMITTED
        if spec.state in (S.RETURNED, S.WITHDRAWN, S.DECLINED, S.MERGED):
            day = min(end, day + timedelta(days=6))
            if spec.state == S.RETURNED:
                fields["return_reason"] = "建议部分过于笼统，请补充具体措施和调研数据。"
                self.event(
                    p, "return", status, S.RETURNED, _at(day), staff, fields["return_reason"]
                )
            elif spec.state == S.WITHDRAWN:
                self.event(p, "withdraw", status, S.WITHDRAWN, _at(day), user, "与他人提案重复")
            elif spec.state == S.DECLINED:
                ground = self.grounds[spec.index % len(self.grounds)]
                fields["decline_ground"] = ground
                self.event(p, "decline", status, S.DECLINED, _at(day), staff, ground.text)
                if spec.converted and self.units:
                    unit = self.units[spec.units[0] % len(self.units)]
                    fields["letter_unit"] = unit
                    self.event(p, "convert", S.DECLINED, S.DECLINED, _at(day, 11), staff, unit.name)
            elif self.last_registered is not None:
                target = self.last_registered
                fields["merged_into"] = target
                self.event(p, "merge", status, S.MERGED, _at(day), staff, target.title)
                self.event(
                    target, "merge_in", target.status, target.status, _at(day), staff, p.title
                )
                duty_record(
                    member=proposer,
                    kind=DutyKind.PROPOSAL_REGISTERED,
                    date=day,
                    source=p,
                    actor=staff,
                    title=p.title,
                )
            else:
                spec.state = S.SUBMITTED
            Proposal.objects.filter(pk=p.pk).update(status=spec.state, **fields)
            return True
        if depth >= 2:
            day = min(end, day + timedelta(days=8))
            self.next_number += 1
            fields.update(number=self.next_number, registered_at=_at(day))
            self.event(p, "register", status, S.REGISTERED, _at(day), staff)
            duty_record(
                member=proposer,
                kind=DutyKind.PROPOSAL_REGISTERED,
                date=day,
                source=p,
                actor=staff,
                title=p.title,
            )
            status = S.REGISTERED
            if spec.key:
                fields.update(is_key=True, supervisor=leader)
                self.event(p, "mark_key", status, status, _at(day, 15), leader, str(leader or ""))
                duty_record(
                    member=proposer,
                    kind=DutyKind.PROPOSAL_KEY,
                    date=day,
                    source=p,
                    actor=leader,
                    title=p.title,
                )
        if depth >= 3:
            status, fields = self._handle(p, spec, status, fields, day, end, user)
        Proposal.objects.filter(pk=p.pk).update(status=status, **fields)
        p.refresh_from_db()
        if depth >= 2:
            self.last_registered = p
        if spec.excellent:
            Proposal.objects.filter(pk=p.pk).update(excellent_year=spec.year)
            duty_record(
                member=proposer,
                kind=DutyKind.PROPOSAL_EXCELLENT,
                date=date(spec.year, 12, 20),
                source=p,
                actor=staff,
                title=p.title,
            )
            for member in cosigners:
                duty_record(
                    member=member,
                    kind=DutyKind.PROPOSAL_EXCELLENT,
                    date=date(spec.year, 12, 20),
                    source=p,
                    actor=staff,
                    share=share_of(len(cosigners)),
                    title=p.title,
                )
        return True

    def _filed(self, p: Proposal, proposer: Member, cosigners: list[Member], day: date) -> None:
        duty_record(
            member=proposer, kind=DutyKind.PROPOSAL_FILED, date=day, source=p, title=p.title
        )
        for member in cosigners:
            duty_record(
                member=member,
                kind=DutyKind.PROPOSAL_FILED,
                date=day,
                source=p,
                share=share_of(len(cosigners)),
                title=p.title,
            )

    def _handle(
        self,
        p: Proposal,
        spec: Spec,
        status: str,
        fields: dict[str, Any],
        day: date,
        end: date,
        user: Any,
    ) -> tuple[str, dict[str, Any]]:
        staff = self.actors.get("staff")
        depth = DEPTH[spec.state]
        if spec.state in (S.ASSIGNED, S.IN_HANDLING):
            assigned_on = self.today - timedelta(days=20 + (spec.index * 13) % 91)
        else:
            assigned_on = min(end, day + timedelta(days=7))
        units = [self.units[u % len(self.units)] for u in spec.units]
        assignments = []
        for n, unit in enumerate(dict.fromkeys(units)):
            assignments.append(
                Assignment.objects.create(
                    committee=self.committee,
                    proposal=p,
                    unit=unit,
                    role=Assignment.Role.LEAD if n == 0 else Assignment.Role.CO,
                    assigned_on=assigned_on,
                    **workflow.assignment_deadlines(assigned_on),
                )
            )
        lead = assignments[0]
        unit_user = self.actors.get("unit") if lead.unit.name.endswith("教育局") else None
        names = "、".join(f"{a.unit.name}（{a.get_role_display()}）" for a in assignments)
        self.event(p, "assign", status, S.ASSIGNED, _at(assigned_on), staff, names)
        status = S.ASSIGNED
        if depth < 4:
            return status, fields
        accepted = min(end, assigned_on + timedelta(days=2))
        Assignment.objects.filter(pk=lead.pk).update(accepted_on=accepted)
        self.event(p, "accept", status, S.IN_HANDLING, _at(accepted), unit_user, lead.unit.name)
        status = S.IN_HANDLING
        contact_day = min(end, assigned_on + timedelta(days=12))
        if spec.index % 4 or depth > 5:
            contact = PreContact.objects.create(
                assignment=lead,
                date=contact_day,
                way=PreContact.Way.PHONE if spec.index % 2 else PreContact.Way.VISIT,
                summary="与提案人沟通办理思路，听取意见。",
            )
            self.event(p, "precontact", status, status, _at(contact_day), unit_user, lead.unit.name)
            self.thread(p, lead, contact, unit_user, _at(contact_day, 15))
        for co in assignments[1:]:
            co_opinion_day = min(end, contact_day + timedelta(days=5))
            co.opinions.create(text="我单位同意主办单位的办理意见，将在职责范围内配合落实。")
            self.event(p, "co_opinion", status, status, _at(co_opinion_day), None, co.unit.name)
        if depth < 6:
            return status, fields
        late = spec.index % 9 == 0
        replied_on = min(
            end,
            lead.reply_due + timedelta(days=6)
            if late
            else assigned_on + timedelta(days=50 + spec.index % 30),
        )
        rounds = 2 if spec.rehandled or spec.state == S.REHANDLING else 1
        chosen = answer_class(p.committee, spec.reply_class) or answer_classes(p.committee)[-1]
        for round_ in range(1, rounds + 1):
            Reply.objects.create(
                assignment=lead,
                round=round_,
                text=REPLY_TEXT,
                reply_class=chosen["code"],
                class_label=chosen["label"],
                solved=chosen["solved"],
                unit_class=chosen["code"],
                unit_class_label=chosen["label"],
            )
            self.event(
                p,
                "reply",
                status,
                S.REPLIED,
                _at(replied_on),
                unit_user,
                f"{lead.unit.name}：{chosen['label']}",
            )
            status = S.REPLIED
            Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(
                state=Assignment.State.REPLIED, replied_on=replied_on
            )
            fields.update(replied_on=replied_on, evaluation_due=workflow.evaluation_due(replied_on))
            if spec.state == S.REPLIED:
                return status, fields
            eval_day = min(end, replied_on + timedelta(days=5))
            last_round = round_ == rounds
            result = "dissatisfied" if not last_round else spec.satisfaction
            if spec.state == S.REHANDLING and last_round:
                result = "dissatisfied"
            Evaluation.objects.create(
                proposal=p,
                member=p.proposer,
                round=round_,
                contact="satisfied",
                attitude="satisfied",
                result=result,
                comments="" if result != "dissatisfied" else "答复未回应核心问题",
            )
            if result == "dissatisfied" and (not last_round or spec.state == S.REHANDLING):
                due = workflow.rehandling_due(eval_day)
                self.event(
                    p, "evaluate_dissatisfied", status, S.REHANDLING, _at(eval_day), user, "不满意"
                )
                status = S.REHANDLING
                fields.update(round=round_ + 1, evaluation_due=None)
                Assignment.objects.filter(pk=lead.pk).update(
                    state=Assignment.State.ACTIVE, reply_due=due, replied_on=None
                )
                if spec.state == S.REHANDLING:
                    return status, fields
                replied_on = min(end, eval_day + timedelta(days=20))
                continue
            # The note reads as the service writes it: who, and the result's label.
            note = f"{p.proposer.person.name}：{Satisfaction(result).label}"
            self.event(p, "evaluate", status, S.EVALUATED, _at(eval_day), user, note)
            status = S.EVALUATED
        QualityRating.objects.create(
            assignment=lead, rating=["good", "good", "fair", "poor"][spec.index % 4]
        )
        if p.is_key or fields.get("is_key"):
            SupervisionNote.objects.create(
                proposal=p,
                text="请主办单位加强与提案人沟通，确保办理质量。",
                author=self.actors.get("leader"),
            )
        if spec.state == S.CLOSED:
            close_day = min(end, replied_on + timedelta(days=15))
            self.event(p, "close", status, S.CLOSED, _at(close_day), staff)
            status = S.CLOSED
        return status, fields


def _seed_committee(
    code: str, *, n_last: int, n_this: int, actors: dict[str, Any], weiyuan: Any
) -> int:
    committee = Committee.objects.filter(code=code).first()
    if committee is None or current_term(committee) is None:
        return 0
    services.defaults_ensure(committee)
    today = timezone.localdate()
    builder = Builder(committee, today=today, actors=actors)
    if not builder.members or not builder.units:
        return 0
    plan = build_plan(
        random.Random(f"{SEED}:{code}"),  # noqa: S311 -- invented demo data, not secrets
        n_last=n_last,
        n_this=n_this,
        members=len(builder.members),
        units=len(builder.units),
        year=today.year,
        place=committee.short_name[:3],
    )
    # The demo member files a proposal in each stage of the chain; the demo
    # unit (示例市教育局) leads several open ones.
    own = next(
        (
            i
            for i, m in enumerate(builder.members)
            if m.person.user_id == getattr(weiyuan, "pk", None)
        ),
        None,
    )
    education = next((i for i, u in enumerate(builder.units) if u.name.endswith("教育局")), None)
    stages = [S.DRAFT, S.SUBMITTED, S.IN_HANDLING, S.REPLIED, S.CLOSED]
    for n, spec in enumerate(s for s in plan if s.year == today.year):
        if own is not None and n < len(stages):
            spec.proposer, spec.state = own, stages[n]
        if (
            education is not None
            and spec.state in (S.ASSIGNED, S.IN_HANDLING, S.REPLIED)
            and n % 2 == 0
        ):
            spec.units = [education, *[u for u in spec.units if u != education]][:2]
    created = sum(builder.build(spec) for spec in plan)
    top = Proposal.objects.filter(committee=committee, term=builder.term).aggregate(m=Max("number"))
    counter, _ = NumberCounter.objects.get_or_create(committee=committee, term=builder.term)
    if (top["m"] or 0) > counter.last_number:
        counter.last_number = top["m"]
        counter.save(update_fields=["last_number"])
    return created


def seed(*, stdout: Writer) -> list[tuple[str, str, str]]:
    # Scores are recounted once at the end, not after every record.
    with ledger_batch():
        return _seed(stdout=stdout)


def _seed(*, stdout: Writer) -> list[tuple[str, str, str]]:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["staff_proposals", "leader", "unit", "weiyuan"]
        )
    }
    actors = {
        "staff": users.get("staff_proposals"),
        "leader": users.get("leader"),
        "unit": users.get("unit"),
    }
    created = _seed_committee(
        "demo-city", n_last=60, n_this=70, actors=actors, weiyuan=users.get("weiyuan")
    )
    created += _seed_committee(
        "demo-district",
        n_last=20,
        n_this=25,
        actors={"staff": None, "leader": None, "unit": None},
        weiyuan=users.get("weiyuan"),
    )
    if created:
        stdout.write(f"proposals: 新建提案 {created} 件\n")
    else:
        stdout.write("proposals: 示例数据已存在，未作改动\n")
    return []
