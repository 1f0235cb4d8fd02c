"""示例数据 for studios and stations: service projects and their activities
over last year and this, station leaders and members' areas, and this
year's sector rotation. Last year's star ratings are computed by
``lvzhi/public/demo.py`` once the citizens' messages exist (they count).

Idempotent: each part is created only where there is none yet (a studio
without projects, a station without leaders, a year without a plan), from
a random generator with a fixed seed. Everything is invented."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from lvzhi.org.models import Committee, Member, PlenarySession, Station, Studio
from lvzhi.studios import services
from lvzhi.studios.models import (
    Activity,
    MemberArea,
    RotationPlan,
    ServiceProject,
    StationLeader,
)

SEED = 20260606
COMMITTEES = ("demo-city", "demo-district")

PROJECTS = (
    ("每月法律咨询日", "每月第一个周六上午，律师委员现场解答群众法律问题。"),
    ("健康义诊进社区", "医药卫生界委员定期到社区开展义诊和健康讲座。"),
    ("企业服务直通车", "收集中小企业诉求，协调解决融资和用工难题。"),
    ("课后托管志愿服务", "组织志愿者为双职工家庭孩子提供课后看护。"),
    ("农技专家田间行", "农业专家委员下田指导特色种植和病虫害防治。"),
    ("非遗进校园", "邀请非遗传承人走进中小学开展体验课。"),
    ("老旧小区议事会", "组织居民、物业和社区共同商议小区改造事项。"),
    ("适老化改造咨询", "为老年家庭提供居家适老化改造建议。"),
)
ACTIVITY_TITLES = {
    Activity.Kind.RECEPTION: ("委员接待日", "群众来访接待", "进社区听民意"),
    Activity.Kind.SERVICE: ("上门服务", "集中服务活动", "志愿服务"),
    Activity.Kind.RESEARCH: ("专题调研", "走访企业", "实地察看"),
    Activity.Kind.MEETING: ("有事好商量议事会", "座谈交流会", "工作推进会"),
}


def _day(rng: random.Random, year: int, today: date) -> date:
    end = min(today, date(year, 12, 31))
    start = date(year, 1, 1)
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _activities(
    rng: random.Random,
    committee: Committee,
    owner: Studio | Station,
    members: list[Member],
    projects: list[ServiceProject],
    today: date,
) -> int:
    created = 0
    for year in (today.year - 1, today.year):
        for _ in range(rng.randint(2, 14) if year < today.year else rng.randint(1, 6)):
            kind = rng.choice(list(ACTIVITY_TITLES))
            activity = Activity.objects.create(
                committee=committee,
                studio=owner if isinstance(owner, Studio) else None,
                station=owner if isinstance(owner, Station) else None,
                project=rng.choice(projects)
                if projects and kind == Activity.Kind.SERVICE
                else None,
                kind=kind,
                date=_day(rng, year, today),
                title=rng.choice(ACTIVITY_TITLES[kind]),
                people_served=rng.randint(5, 80) if kind != Activity.Kind.RESEARCH else 0,
            )
            if members:
                activity.participants.set(
                    rng.sample(members, k=min(len(members), rng.randint(1, 3)))
                )
            created += 1
    return created


def seed(*, stdout: Any) -> list[tuple[str, str, str]]:
    rng = random.Random(SEED)  # noqa: S311 -- deterministic demo data
    today = timezone.localdate()
    counts = {"projects": 0, "activities": 0, "leaders": 0, "areas": 0, "plans": 0}
    for code in COMMITTEES:
        committee = Committee.objects.filter(code=code).first()
        if committee is None:
            continue
        for studio in Studio.objects.filter(committee=committee).order_by("id"):
            members = list(studio.members.order_by("id"))
            if not ServiceProject.objects.filter(studio=studio).exists():
                for title, text in rng.sample(PROJECTS, k=2):
                    ServiceProject.objects.create(
                        committee=committee, studio=studio, title=title, description=text
                    )
                    counts["projects"] += 1
            if not Activity.objects.filter(studio=studio).exists():
                projects = list(ServiceProject.objects.filter(studio=studio).order_by("id"))
                counts["activities"] += _activities(
                    rng, committee, studio, members, projects, today
                )
        leaders = list(
            Member.objects.filter(
                committee=committee,
                term__is_current=True,
                position__in=[Member.Position.VICE_CHAIR, Member.Position.CHAIR],
            ).order_by("id")
        )
        for index, station in enumerate(Station.objects.filter(committee=committee).order_by("id")):
            members = list(station.members.order_by("id"))
            if leaders and not StationLeader.objects.filter(station=station).exists():
                StationLeader.objects.create(
                    committee=committee,
                    station=station,
                    member=leaders[index % len(leaders)],
                    duty=f"联系{station.area or station.name}",
                )
                counts["leaders"] += 1
            for member in members:
                if station.area and not MemberArea.objects.filter(member=member).exists():
                    MemberArea.objects.create(committee=committee, member=member, area=station.area)
                    counts["areas"] += 1
            if not Activity.objects.filter(station=station).exists():
                counts["activities"] += _activities(rng, committee, station, members, [], today)
        if not RotationPlan.objects.filter(committee=committee, year=today.year).exists():
            plan = services.rotation_plan_create(
                committee=committee, year=today.year, rounds=4, actor=None
            )
            session = PlenarySession.objects.filter(committee=committee, year=today.year).first()
            if session is not None and session.start_date.year == today.year:
                services.blocked_week_add(
                    plan=plan, week_start=session.start_date, reason="全体会议", actor=None
                )
            services.rotation_generate(plan=plan, actor=None)
            counts["plans"] += 1
    stdout.write(
        "委员工作室和联络站：服务项目 {projects}，活动 {activities}，联系领导 {leaders}，"
        "委员片区 {areas}，界别轮值安排 {plans}（新建）".format(**counts)
    )
    return []
