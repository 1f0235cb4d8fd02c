"""示例数据: a year and a half of duty activities (January 2025 – December 2026)
for the demo committees, with sign-ups, leave, attendance, study notes,
services and annual duty projects.

Deterministic (a seeded random generator, fixed dates) and idempotent: an
activity is keyed by its committee and title, a note by its member and
title, a project by its member, year and topic; what exists is left alone.
Activities that ended are closed through the services, so their duty
records are the same rows a real closing writes. The points app seeds its
policies after this, and their activation scores everything at once."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q

from lvzhi.duties import services
from lvzhi.duties.models import (
    Activity,
    ActivityKind,
    Contribution,
    DutyProject,
    Invitation,
    StudyNote,
)
from lvzhi.org.models import Committee, Member, Sector, SpecialCommittee

SEED = 20260601
TZ = ZoneInfo("Asia/Shanghai")
CUTOFF = dt.datetime(2026, 11, 21, tzinfo=TZ)  # the demo's "today": later ones stay open

K = ActivityKind
# (month, day, kind, title, scope) — scope: all / standing / sector:<name> / special:<index>
PLAN: tuple[tuple[int, int, int, str, str, str], ...] = (
    (2025, 1, 13, K.PLENARY, "十届三次全体会议（开幕大会）", "all"),
    (2025, 6, 12, K.RESEARCH, "农村人居环境整治专题调研", "sector:农业界"),
    (2025, 7, 8, K.STANDING, "常委会第十次会议", "standing"),
    (2025, 8, 20, K.INSPECTION, "食品安全民主监督视察", "special:0"),
    (2025, 9, 16, K.TRAINING, "委员履职能力培训班", "special:2"),
    (2025, 10, 22, K.CONSULTATION, "“有事好商量”：老旧小区加装电梯", "sector:社会福利和社会保障界"),
    (2025, 11, 18, K.PUBLIC_SERVICE, "科技下乡为民服务", "sector:科技界"),
    (2025, 12, 9, K.STUDY, "学习全会精神专题学习会", "standing"),
    (2026, 1, 12, K.PLENARY, "十届四次全体会议（开幕大会）", "all"),
    (2026, 3, 17, K.RESEARCH, "优化营商环境专题调研", "sector:经济界"),
    (2026, 4, 14, K.STANDING, "常委会第十二次会议", "standing"),
    (2026, 5, 19, K.CONSULTATION, "“有事好商量”：学校课后服务", "sector:教育界"),
    (2026, 6, 23, K.INSPECTION, "河湖长制落实情况视察", "special:1"),
    (2026, 7, 15, K.RESEARCH, "基层医疗服务能力调研", "sector:医药卫生界"),
    (2026, 8, 26, K.PUBLIC_SERVICE, "义诊进社区", "sector:医药卫生界"),
    (2026, 9, 9, K.TRAINING, "数字政协应用培训", "standing"),
    (2026, 10, 20, K.STANDING, "常委会第十四次会议", "standing"),
    (2026, 11, 20, K.REPORT_BACK, "委员向界别群众述职会", "sector:科技界"),
    (2026, 12, 8, K.RESEARCH, "科技成果转化专题调研", "sector:科技界"),
    (2026, 12, 15, K.CONSULTATION, "“有事好商量”：停车难治理", "sector:科技界"),
)
PLACES = (
    "政协机关三楼会议室",
    "市民中心报告厅",
    "示例镇政府",
    "高新区管委会",
    "东城街道社区服务中心",
)
NOTE_TITLES = ("学习全会精神的体会", "学习统一战线理论心得", "读《政协工作知识》有感")
PROJECT_TOPICS = ("社区居家养老服务提质", "中小企业融资难题", "乡村教师队伍建设", "城市内涝治理")


def _scope(committee: Committee, code: str) -> dict[str, Any]:
    if code == "all":
        return {"scope": Activity.Scope.ALL}
    if code == "standing":
        return {"scope": Activity.Scope.STANDING}
    kind, _sep, value = code.partition(":")
    if kind == "sector":
        return {
            "scope": Activity.Scope.SECTOR,
            "scope_sector": Sector.objects.get(committee=committee, name=value),
            "organiser_kind": Activity.Organiser.SECTOR,
            "organiser_sector": Sector.objects.get(committee=committee, name=value),
        }
    special = SpecialCommittee.objects.filter(committee=committee).order_by("order", "id")[
        int(value)
    ]
    return {
        "scope": Activity.Scope.SPECIAL_COMMITTEE,
        "scope_special_committee": special,
        "organiser_kind": Activity.Organiser.SPECIAL_COMMITTEE,
        "organiser_special_committee": special,
    }


def _activity(committee: Committee, rng: random.Random, staff: Any, item: tuple[Any, ...]) -> int:
    year, month, day, kind, title, scope = item
    start = dt.datetime(year, month, day, 9, 0, tzinfo=TZ)
    if Activity.objects.filter(committee=committee, title=title).exists():
        return 0
    # Its own generator: the plan of one activity never depends on which exist.
    rng = random.Random(f"{SEED}:{committee.code}:{title}")  # noqa: S311
    data = {
        "kind": kind,
        "title": title,
        "description": "",
        "start_at": start,
        "end_at": start + dt.timedelta(hours=3),
        "place": rng.choice(PLACES),
        "session_half_days": 1,
        "organiser_kind": Activity.Organiser.OFFICE,
        "capacity": None,
        **_scope(committee, scope),
    }
    activity = services.activity_save(committee=committee, actor=staff, data=data)
    services.activity_publish(activity=activity, actor=staff)
    invitations = list(
        Invitation.objects.filter(activity=activity).select_related("member__person__user")
    )
    ended = data["end_at"] < CUTOFF
    for invitation in invitations:
        user = invitation.member.person.user
        roll = rng.random()
        if user is None:
            # Members without a login: staff record what happened.
            if ended:
                outcome = "attended" if roll < 0.8 else ("excused" if roll < 0.9 else "absent")
                if outcome != "absent":
                    services.invitation_mark(
                        invitation=invitation, actor=staff, outcome=outcome, reason="会务组登记"
                    )
            continue
        if roll < 0.7:
            if ended:
                services.invitation_mark(
                    invitation=invitation, actor=staff, outcome="attended", reason="会务组登记"
                )
            else:
                services.invitation_sign_up(invitation=invitation, actor=user)
        elif roll < 0.85 and not ended:
            services.invitation_request_leave(invitation=invitation, actor=user, reason="工作冲突")
    if ended:
        services.activity_close(activity=activity, actor=staff)
    return 1


def _own_duties(committee: Committee, rng: random.Random, members: list[Member]) -> int:
    made = 0
    for member in members:
        user = member.person.user
        if user is None:
            continue
        for i, title in enumerate(NOTE_TITLES[: 1 + member.pk % 3]):
            if StudyNote.objects.filter(member=member, title=title).exists():
                continue
            services.study_note_save(
                member=member,
                actor=user,
                title=title,
                text="结合本职工作谈学习体会。",
                date=dt.date(2026, 2 + 3 * i, 10),
            )
            made += 1
        topic = PROJECT_TOPICS[member.pk % len(PROJECT_TOPICS)]
        if not DutyProject.objects.filter(member=member, year=2026, topic=topic).exists():
            services.project_declare(
                member=member,
                actor=user,
                year=2026,
                topic=topic,
                planned_steps="一季度学习相关政策；二季度开展调研；三季度参加协商；四季度形成提案。",
            )
            made += 1
        title = "社区科普志愿服务"
        if not Contribution.objects.filter(member=member, title=title).exists():
            services.contribution_submit(
                member=member,
                actor=user,
                kind=Contribution.Kind.PUBLIC_SERVICE,
                title=title,
                description="在联络站为居民开展科普讲座。",
                date=dt.date(2026, 6, 1),
            )
            made += 1
    return made


def _speeches(committee: Committee, rng: random.Random, staff: Any) -> int:
    """Staff register the plenary speeches of a few members each year."""
    from lvzhi.duties.models import PlenarySpeech

    members = list(
        Member.objects.filter(
            committee=committee, status=Member.Status.IN_OFFICE, term__is_current=True
        ).order_by("id")
    )
    made = 0
    rng = random.Random(f"{SEED}:{committee.code}:speeches")  # noqa: S311
    for year in (2025, 2026):
        for member in rng.sample(members, min(8, len(members))):
            title = f"{year}年大会发言：{rng.choice(PROJECT_TOPICS)}"
            if PlenarySpeech.objects.filter(member=member, title=title).exists():
                continue
            services.speech_register(
                member=member, actor=staff, title=title, date=dt.date(year, 1, 14)
            )
            made += 1
    return made


def _duties_staff(committee: Committee, logins: list[tuple[str, str, str]]) -> Any:
    """The committee's duties staff; a committee of the demo without one gets
    its own login (every write checks its permission, so nobody acts as nobody)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from lvzhi.accounts.models import Area, Role, RoleAssignment, User
    from lvzhi.org.demo import PASSWORD

    found = (
        RoleAssignment.objects.filter(committee=committee, role=Role.STAFF, area=Area.DUTIES)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if found is not None:
        user = found.user
    else:
        username = f"{committee.code.removeprefix('demo-')}_duties"
        user = User.objects.filter(username=username).first() or User.objects.create(
            username=username,
            display_name=f"{committee.short_name}履职活动工作人员",
            password=make_password(PASSWORD),
            password_changed_at=timezone.now(),
        )
        RoleAssignment.objects.get_or_create(
            user=user, committee=committee, role=Role.STAFF, area=Area.DUTIES
        )
    if not user.username.startswith("staff_"):
        logins.append((f"机关工作人员·履职活动（{committee.short_name}）", user.username, PASSWORD))
    return user


def seed(*, stdout: Any) -> list[tuple[str, str, str]]:
    # Scores are recounted once at the end, not after every record.
    with services.ledger_batch():
        return _seed(stdout=stdout)


def _seed(*, stdout: Any) -> list[tuple[str, str, str]]:
    rng = random.Random(SEED)  # noqa: S311 -- deterministic demo data, not security
    logins: list[tuple[str, str, str]] = []
    for committee in Committee.objects.filter(code__in=["demo-city", "demo-district"]).order_by(
        "id"
    ):
        staff = _duties_staff(committee, logins)
        made = sum(_activity(committee, rng, staff, item) for item in PLAN)
        with_login = list(
            Member.objects.filter(
                committee=committee, status=Member.Status.IN_OFFICE, term__is_current=True
            )
            .filter(Q(person__user__isnull=False))
            .select_related("person__user")
            .order_by("id")
        )
        made += _own_duties(committee, rng, with_login)
        made += _speeches(committee, rng, staff)
        if made:
            stdout.write(f"履职活动示例数据（{committee}）：新建 {made} 项")
        else:
            stdout.write(f"履职活动示例数据（{committee}）已存在，未作改动")
    return logins
