"""示例数据: a year of consultation and supervision work for 示例市政协.

Called by ``manage.py seed_demo`` after the organisation's demo. Everything is
written through the services (events, duty records and notifications come
with it) by the demo's consultation staff. Idempotent: when the year's plan
exists the whole seed is skipped, so a second run changes nothing; choices
come from a random generator with a fixed seed."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, Protocol

from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.consultations import services, workflow
from lvzhi.consultations.models import (
    Consultation,
    ConsultationFormat,
    ConsultationPlan,
    EvaluationCriterion,
    Finding,
    OutcomeItem,
    SupervisionItem,
    Topic,
)
from lvzhi.org.models import Committee, HandlingUnit, Member, Sector, SectorCluster

SEED = 20260505
CITY = "demo-city"

CRITERIA = (
    ("选题精准", "议题聚焦党政中心工作和群众关切", 20),
    ("调研充分", "会前调研、情况通报扎实", 20),
    ("协商互动", "委员、部门、群众代表充分互动", 20),
    ("成果质量", "建议具体、可操作", 20),
    ("成果转化", "建议被采纳落实、回头看到位", 20),
)
TOPICS = (
    # (source, title, rationale, format, month)
    (
        "government",
        "优化营商环境、激发市场主体活力",
        "市委点题：对标先进地区，查找审批服务短板。",
        ConsultationFormat.STANDING_MEETING,
        3,
    ),
    (
        "government",
        "推进城市更新和老旧小区改造",
        "市政府点题：改造中的资金筹措与群众参与。",
        ConsultationFormat.SPECIAL_MEETING,
        4,
    ),
    (
        "member",
        "促进“双减”后课后服务提质",
        "委员调研发现农村学校课后服务供给不足。",
        ConsultationFormat.COUNTERPART,
        5,
    ),
    (
        "public",
        "缓解老城区停车难",
        "群众通过码上商多次反映老城区夜间停车难。",
        ConsultationFormat.GOOD_TALK,
        6,
    ),
    (
        "member",
        "发展银发经济、完善社区养老服务",
        "委员联名建议把社区嵌入式养老作为协商议题。",
        ConsultationFormat.ROUND_TABLE,
        7,
    ),
    (
        "office",
        "城市公园绿地开放共享",
        "政协选题：回应市民对公园开放时间的关切。",
        ConsultationFormat.ONLINE,
        8,
    ),
    (
        "office",
        "推动重点提案“基层医疗人才”办理",
        "重点提案办理协商，邀请卫健部门面对面。",
        ConsultationFormat.PROPOSAL_HANDLING,
        9,
    ),
    (
        "office",
        "数字政府建设中的数据共享",
        "请你来协商：邀请数据管理部门负责人。",
        ConsultationFormat.INVITED,
        10,
    ),
    (
        "member",
        "加强界别协商、发挥界别优势",
        "教育界委员建议开展界别协商。",
        ConsultationFormat.SECTOR,
        11,
    ),
)
DECLINED = ("public", "在市区建设大型游乐园", "个别群众建议，条件不成熟。")


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


def _members(committee: Committee) -> list[Member]:
    return list(
        Member.objects.filter(
            committee=committee, status=Member.Status.IN_OFFICE, term__is_current=True
        )
        .select_related("person")
        .order_by("id")
    )


def _advance(
    consultation: Consultation,
    *,
    staff: User,
    until: str,
    members: list[Member],
    units: list[HandlingUnit],
    unit_user: User | None,
    today: date,
    rng: random.Random,
) -> Consultation:
    """Take a consultation through the stages up to ``until``, as staff would."""
    stages = [str(s) for s in workflow.CONSULTATION_STAGES]
    target = stages.index(until)

    def at(stage: str) -> bool:
        return target >= stages.index(stage)

    if not at("preparation"):
        return consultation
    services.consultation_prepare(actor=staff, consultation=consultation)
    services.preparation_add(
        actor=staff,
        consultation=consultation,
        kind="research",
        title=f"围绕“{consultation.title[:20]}”赴基层调研",
        date=today - timedelta(days=40),
    )
    services.preparation_add(
        actor=staff, consultation=consultation, kind="briefing", title="相关部门情况通报会"
    )
    if not at("meeting"):
        return consultation
    services.consultation_convene(
        actor=staff,
        consultation=consultation,
        meeting_date=consultation.meeting_date or today - timedelta(days=30),
    )
    chosen = rng.sample(members, 4)
    participants = [
        services.participant_add(actor=staff, consultation=consultation, kind="member", member=m)
        for m in chosen
    ]
    services.participant_add(
        actor=staff,
        consultation=consultation,
        kind="official",
        name="部门负责同志",
        organisation=units[0].name,
    )
    services.participant_add(actor=staff, consultation=consultation, kind="public", name="群众代表")
    if consultation.is_online:
        return consultation
    for participant in participants[:2]:
        services.speech_record(
            actor=staff,
            consultation=consultation,
            speaker=participant,
            title=f"{participant.name}关于{consultation.title[:12]}的发言",
        )
    if not at("outcomes"):
        return consultation
    services.consultation_hold(actor=staff, consultation=consultation)
    services.outcome_add(
        actor=staff,
        consultation=consultation,
        text="建立部门联动工作机制，明确责任分工。",
        recipient="unit",
        unit=units[0],
    )
    services.outcome_add(
        actor=staff,
        consultation=consultation,
        text="将相关经费纳入年度财政预算统筹保障。",
        recipient="party_government",
    )
    if not at("sent"):
        return consultation
    services.consultation_send(
        actor=staff,
        consultation=consultation,
        feedback_deadline=today + timedelta(days=45),
    )
    if not at("feedback"):
        return consultation
    for outcome in consultation.outcomes.order_by("number"):
        actor = unit_user if outcome.unit_id and unit_user is not None else staff
        services.outcome_feedback_give(
            actor=actor, outcome=outcome, feedback="已研究采纳，正在推进落实。"
        )
    if not at("review"):
        return consultation
    services.consultation_review(
        actor=staff,
        consultation=consultation,
        review_note="回头看：建议已落实，群众满意。",
    )
    if not at("closed"):
        return consultation
    services.consultation_close(actor=staff, consultation=consultation)
    return consultation


def seed(*, stdout: Writer) -> list[tuple[str, str, str]]:
    committee = Committee.objects.filter(code=CITY).first()
    staff = User.objects.filter(username="staff_consultations").first()
    if committee is None or staff is None:
        stdout.write("consultations: 未找到示例市政协，跳过\n")
        return []
    today = timezone.localdate()
    year = today.year
    if ConsultationPlan.objects.filter(committee=committee, year=year).exists():
        stdout.write("consultations: 示例数据已存在，未作改动\n")
        return []
    rng = random.Random(SEED)  # noqa: S311 -- deterministic demo data, not security
    members = _members(committee)
    units = list(HandlingUnit.objects.filter(committee=committee, is_active=True).order_by("id"))
    education = next((u for u in units if u.name == "示例市教育局"), units[0])
    units = [education, *[u for u in units if u != education]]
    gov_leader = User.objects.filter(username="gov_leader").first()
    weiyuan = User.objects.filter(username="weiyuan").first()
    unit_user = User.objects.filter(username="unit").first()
    weiyuan_seat = services.seat_of(weiyuan, committee) if weiyuan else None

    for name, description, max_score in CRITERIA:
        services.criterion_save(
            actor=staff,
            committee=committee,
            name=name,
            description=description,
            max_score=max_score,
        )

    # Topics from the four sources, the shortlist and the plan.
    topics: list[tuple[Topic, str, int]] = []
    for source, title, rationale, planned_format, month in TOPICS:
        actor = staff
        if source == "government" and gov_leader is not None:
            actor = gov_leader
        elif source == "member" and weiyuan_seat is not None and weiyuan is not None:
            actor = weiyuan
        elif source == "member":
            source = "office"
        topic = services.topic_create(
            actor=actor,
            committee=committee,
            year=year,
            source=source,
            title=title,
            rationale=rationale,
            proposer_name="市民留言汇总" if source == "public" else "",
        )
        services.topic_shortlist(actor=staff, topic=topic)
        topics.append((topic, planned_format, month))
    declined = services.topic_create_from_public(
        committee=committee,
        year=year,
        title=DECLINED[1],
        rationale=DECLINED[2],
        proposer_name="一位市民",
        public_reference="MSS-DEMO-0001",
        actor=staff,
    )
    services.topic_decline(actor=staff, topic=declined, note="条件暂不成熟")
    plan = services.plan_create(
        actor=staff, committee=committee, year=year, title=f"示例市政协{year}年度协商计划"
    )
    items = {
        topic.pk: services.plan_item_add(
            actor=staff, plan=plan, topic=topic, format=format, month=month, lead="市政协办公室"
        )
        for topic, format, month in topics
    }
    leader = User.objects.filter(username="leader").first() or staff
    services.plan_approve(actor=leader, plan=plan, note="主席会议审议通过")
    services.plan_publish(actor=staff, plan=plan)

    # One consultation per format, the formats spread over every stage.
    stage_of: dict[str, str] = {
        ConsultationFormat.STANDING_MEETING: "closed",
        ConsultationFormat.SPECIAL_MEETING: "review",
        ConsultationFormat.COUNTERPART: "sent",
        ConsultationFormat.GOOD_TALK: "feedback",
        ConsultationFormat.ROUND_TABLE: "outcomes",
        ConsultationFormat.ONLINE: "meeting",
        ConsultationFormat.PROPOSAL_HANDLING: "preparation",
        ConsultationFormat.INVITED: "topic",
        ConsultationFormat.SECTOR: "closed",
    }
    sector = Sector.objects.filter(committee=committee, name="教育界").first()
    cluster = SectorCluster.objects.filter(committee=committee).order_by("order", "id").first()
    now = timezone.now()
    made: dict[str, Consultation] = {}
    for topic, format, _month in topics:
        extra: dict[str, Any] = {}
        if format == ConsultationFormat.GOOD_TALK:
            extra = {"first_convener": weiyuan_seat or members[0], "department": education}
        elif format in (ConsultationFormat.COUNTERPART, ConsultationFormat.INVITED):
            extra = {
                "department": education if format == ConsultationFormat.COUNTERPART else units[1]
            }
        elif format == ConsultationFormat.SECTOR:
            extra = {"sector": sector}
        elif format == ConsultationFormat.ROUND_TABLE:
            extra = {"sector_cluster": cluster}
        elif format == ConsultationFormat.PROPOSAL_HANDLING:
            extra = {"proposal_reference": f"{year}-0015"}
        elif format == ConsultationFormat.ONLINE:
            extra = {"opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=14)}
        consultation = services.consultation_create(
            actor=staff,
            committee=committee,
            year=year,
            title=topic.title,
            format=format,
            plan_item=items[topic.pk],
            description=topic.rationale,
            venue="市政协机关会议室" if format != ConsultationFormat.ONLINE else "",
            **extra,
        )
        made[format] = _advance(
            consultation,
            staff=staff,
            until=stage_of[format],
            members=members,
            units=units,
            unit_user=unit_user,
            today=today,
            rng=rng,
        )

    # The online consultation is open: the demo member takes part and posts.
    online = made[ConsultationFormat.ONLINE]
    if weiyuan_seat is not None and weiyuan is not None:
        if not online.participants.filter(member=weiyuan_seat).exists():
            services.participant_add(
                actor=staff, consultation=online, kind="member", member=weiyuan_seat
            )
        first = services.post_create(
            actor=weiyuan, consultation=online, text="建议公园早晚错峰开放，方便上班族锻炼。"
        )
        other = (
            online.participants.filter(member__isnull=False).exclude(member=weiyuan_seat).first()
        )
        if other is not None and other.member is not None and other.member.person.user is not None:
            services.post_create(
                actor=other.member.person.user,
                consultation=online,
                text="赞同，并建议增加夜间照明。",
                parent=first,
            )
    # An overdue example: the counterpart consultation's feedback is late.
    OutcomeItem.objects.filter(consultation=made[ConsultationFormat.COUNTERPART]).update(
        feedback_deadline=today - timedelta(days=3)
    )
    criteria = list(EvaluationCriterion.objects.filter(committee=committee, is_active=True))
    for format in (ConsultationFormat.STANDING_MEETING, ConsultationFormat.SECTOR):
        services.evaluation_save(
            actor=staff,
            consultation=made[format],
            scores={c.pk: c.max_score - rng.randint(0, 4) for c in criteria},
            note="协商组织规范，成果转化较好。",
        )

    # A round of democratic supervision.
    splan = services.supervision_plan_create(
        actor=staff, committee=committee, year=year, title=f"示例市政协{year}年度民主监督计划"
    )
    inspect = services.supervision_item_add(
        actor=staff,
        plan=splan,
        title="义务教育“双减”政策落实情况",
        form=SupervisionItem.Form.INSPECTION,
        month=4,
        subjects=[education],
        description="视察课后服务、作业管理和校外培训治理。",
    )
    services.supervision_item_add(
        actor=staff,
        plan=splan,
        title="生态环境保护督察整改",
        form=SupervisionItem.Form.SPECIAL,
        month=6,
        subjects=units[1:3],
    )
    services.supervision_item_add(
        actor=staff,
        plan=splan,
        title="民生实事项目推进",
        form=SupervisionItem.Form.MEETING,
        month=9,
        subjects=units[:2],
    )
    services.supervision_plan_publish(actor=staff, plan=splan)
    inspection = services.inspection_create(
        actor=staff,
        item=inspect,
        title="视察城区和乡镇学校课后服务",
        date=today - timedelta(days=20),
        participants=rng.sample(members, 5),
        place="示例市第一中学等",
    )
    services.inspection_hold(
        actor=staff, inspection=inspection, report="课后服务覆盖率较高，农村学校师资不足。"
    )
    done = services.finding_create(
        actor=staff,
        item=inspect,
        inspection=inspection,
        unit=education,
        text="部分学校课后服务内容单一。",
        deadline=today + timedelta(days=60),
    )
    services.finding_report(
        actor=unit_user or staff, finding=done, rectification="已引入科技、体育类课程。"
    )
    services.finding_confirm(actor=staff, finding=done)
    reported = services.finding_create(
        actor=staff,
        item=inspect,
        inspection=inspection,
        unit=education,
        text="农村学校课后服务师资不足。",
        deadline=today + timedelta(days=60),
    )
    services.finding_report(
        actor=unit_user or staff, finding=reported, rectification="已安排城区教师轮岗支援。"
    )
    late = services.finding_create(
        actor=staff,
        item=inspect,
        inspection=inspection,
        unit=education,
        text="校外培训机构监管存在盲区。",
        deadline=today + timedelta(days=30),
    )
    # An overdue example: the department has not reported in time.
    Finding.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=5))

    stdout.write(
        f"consultations: 新建 协商议题 {len(topics) + 1} 个，协商活动 {len(made)} 个，"
        f"民主监督事项 {splan.items.count()} 项\n"
    )
    return []
