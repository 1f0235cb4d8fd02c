"""示例数据: a year of public-opinion reports in the fictional 示例市政协.

Called by ``manage.py seed_demo`` after the organisation's demo. The year is
replayed through the real services (so every report has its history, its
duty records and its notifications) with the clock set to the day each step
happened: reports submitted from January to November, taken into editing,
merged or not used, published in monthly issues and special reports,
forwarded upward, adopted at every level and instructed on by leaders.

Deterministic (a seeded random generator) and idempotent: if the committee
already holds the first demo report, nothing is written. Titles, texts and
leaders are invented.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.opinions import services
from lvzhi.opinions.models import (
    Category,
    EditedItem,
    IssueKind,
    Level,
    NationalMode,
    Report,
    SubmitterKind,
)
from lvzhi.org.models import Committee, Member

SEED = 20260315
CATEGORIES = ("经济发展", "社会民生", "文化教育", "生态环境", "社会治理", "其他")
TOPICS = (
    ("社会民生", "加快老旧小区加装电梯"),
    ("社会民生", "优化社区养老服务供给"),
    ("文化教育", "规范校外培训机构收费"),
    ("经济发展", "降低小微企业融资成本"),
    ("生态环境", "加强城区河道日常保洁"),
    ("社会治理", "治理电动自行车违规充电"),
    ("社会民生", "缓解医院周边停车难"),
    ("文化教育", "推动中小学课后服务提质"),
    ("经济发展", "支持夜间经济规范发展"),
    ("生态环境", "推进生活垃圾分类常态化"),
    ("社会治理", "提升网格员队伍稳定性"),
    ("社会民生", "完善新就业形态劳动者保障"),
    ("经济发展", "助力农产品品牌建设"),
    ("文化教育", "保护利用历史文化街区"),
    ("社会民生", "扩大普惠托育服务供给"),
    ("社会治理", "加强校园周边交通安全"),
    ("生态环境", "加快公共充电设施建设"),
    ("经济发展", "优化营商环境中的涉企检查"),
    ("社会民生", "提高基层医疗机构服务能力"),
    ("文化教育", "加强青少年心理健康教育"),
    ("社会治理", "防范养老诈骗"),
    ("社会民生", "改善农村饮水安全"),
    ("经济发展", "促进县域商业体系建设"),
    ("生态环境", "治理餐饮油烟扰民"),
    ("社会民生", "便利老年人就医挂号"),
    ("文化教育", "推动公共图书馆延时开放"),
    ("社会治理", "规范物业服务收费"),
    ("经济发展", "支持返乡创业"),
    ("社会民生", "加强食品安全快检"),
    ("生态环境", "保护城市古树名木"),
    ("社会治理", "化解邻里矛盾纠纷"),
    ("文化教育", "发展职业教育产教融合"),
    ("社会民生", "完善残疾人无障碍设施"),
    ("经济发展", "引导平台经济规范健康发展"),
    ("社会治理", "加强外卖骑手交通安全管理"),
    ("社会民生", "推进公共场所母婴室建设"),
)
SENTENCES = (
    "近期，不少群众向委员反映{t}方面存在的困难。",
    "经走访社区、企业和相关部门，了解到主要问题集中在政策落实不到位、部门协同不够和资金保障不足。",
    "一是相关标准不够明确，基层执行尺度不一；二是信息沟通渠道不畅，群众办事多头跑；三是监督考核机制有待健全。",
    "为此建议：一、明确牵头部门和工作标准，制定可操作的实施细则；",
    "二、整合数据资源，推行“一件事一次办”，减少群众跑腿；",
    "三、加大财政投入，鼓励社会资本参与，形成长效机制；",
    "四、建立定期评估和群众评议制度，及时回应社会关切。",
)
MEMBER_TOPICS = (
    ("社会民生", "提升社区卫生服务中心夜间服务"),
    ("经济发展", "支持科技型中小企业研发投入"),
    ("文化教育", "推动科普场馆免费开放"),
)
LEADERS = {
    Level.NATIONAL: ("全国政协副主席",),
    Level.PROVINCIAL: ("副省长", "省委常委"),
    Level.CITY: ("市长", "常务副市长", "市委副书记"),
    Level.COUNTY: ("区长",),
}
SHANGHAI = ZoneInfo(settings.TIME_ZONE)


@contextmanager
def _on(day: dt.date, hour: int = 10) -> Iterator[None]:
    """Run services as if it were ``day``: their timestamps, dates and the
    date checks all read django.utils.timezone.now()."""
    moment = dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _working_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _text(topic: str, rng: random.Random) -> str:
    body = [SENTENCES[0].format(t=topic), *SENTENCES[1:3]]
    body += rng.sample(SENTENCES[3:], k=3)
    return "\n".join(body)


def seed(*, stdout: Any) -> list[tuple[str, str, str]]:
    committee = Committee.objects.filter(code="demo-city").first()
    staff = User.objects.filter(username="staff_opinions").first()
    if committee is None or staff is None:
        stdout.write("社情民意示例数据：缺少示例市政协或社情民意工作人员，跳过。")
        return []
    first_title = f"关于{TOPICS[0][1]}的建议"
    if Report.objects.filter(committee=committee, title=first_title).exists():
        stdout.write("社情民意示例数据已存在，未作改动。")
        return []
    rng = random.Random(SEED)  # noqa: S311 -- deterministic demo data, not security
    # The current year up to a week before today (the previous year early in
    # January and February, when the current one holds too little).
    today = timezone.localdate()
    year = today.year if today >= dt.date(today.year, 3, 1) else today.year - 1
    last_day = min(dt.date(year, 11, 20), today - dt.timedelta(days=7))
    start = dt.date(year, 1, 5)

    with _on(start):
        services.settings_update(
            actor=staff, committee=committee, max_chars=1500, categories=list(CATEGORIES)
        )
    categories = {c.name: c for c in Category.objects.filter(committee=committee)}
    members = list(
        Member.objects.filter(
            committee=committee, term__is_current=True, status=Member.Status.IN_OFFICE
        )
        .select_related("person__user", "sector")
        .prefetch_related("special_committees")
        .order_by("id")
    )
    with_login = [m for m in members if m.person.user_id]
    weiyuan = next(
        (m for m in with_login if m.person.user and m.person.user.username == "weiyuan"), None
    )

    # --- Submissions spread over the year --------------------------------------------
    span = (last_day - start).days - 5
    plans: list[tuple[dt.date, Report]] = []
    for index, (category, topic) in enumerate(TOPICS):
        day = _working_day(start + dt.timedelta(days=index * span // len(TOPICS)))
        author = rng.choice(members)
        co: list[Member] = []
        if rng.random() < 0.3:
            co = rng.sample([m for m in members if m.pk != author.pk], k=rng.choice((1, 2)))
        kind = SubmitterKind.MEMBER
        extra: dict[str, Any] = {}
        roll = rng.random()
        if roll < 0.12 and author.sector_id:
            kind = SubmitterKind.SECTOR
        elif roll < 0.2:
            kind = SubmitterKind.GROUP
            extra["group_name"] = rng.choice(
                ("民盟示例市委会", "九三学社示例市委会", "示例市工商联")
            )
        report = _submit(
            author,
            committee,
            day,
            f"关于{topic}的建议",
            _text(topic, rng),
            categories[category],
            kind,
            co,
            extra,
        )
        plans.append((day, report))
    mine: list[Report] = []
    if weiyuan is not None:
        for offset, (category, topic) in enumerate(MEMBER_TOPICS):
            day = _working_day(start + dt.timedelta(days=60 + offset * 90))
            mine.append(
                _submit(
                    weiyuan,
                    committee,
                    day,
                    f"关于{topic}的建议",
                    _text(topic, rng),
                    categories[category],
                    SubmitterKind.MEMBER,
                    [],
                    {},
                    submit=offset < 2,
                )
            )
            if offset < 2:
                plans.append((day, mine[-1]))

    # --- Editing: most taken in, some not used, two merged ----------------------------------
    plans.sort(key=lambda p: (p[0], p[1].pk))
    items: list[tuple[dt.date, EditedItem]] = []
    merge_into: EditedItem | None = None
    for day, report in plans:
        if day > last_day - dt.timedelta(days=20):
            continue  # the latest are still waiting for the office
        edit_day = _working_day(day + dt.timedelta(days=2))
        must_use = report in mine[:1]
        roll = 0.0 if must_use else rng.random()
        with _on(edit_day):
            if roll > 0.88:
                services.report_not_use(
                    actor=staff,
                    report=report,
                    reason=rng.choice(("与已编发信息内容重复", "时效性不足", "建议转为提案办理")),
                )
                continue
            if roll > 0.8 and merge_into is not None:
                services.reports_merge(actor=staff, item=merge_into, reports=[report])
                merge_into = None
                continue
            item = services.report_accept(actor=staff, report=report)
            services.item_update(
                actor=staff,
                item=item,
                title=report.title.removeprefix("关于"),
                text=report.text.replace("近期，不少群众", "据委员反映，近期群众"),
            )
        if merge_into is None and not must_use and rng.random() < 0.15:
            merge_into = item
        items.append((edit_day, item))

    # --- Monthly issues and two special reports ---------------------------------------------
    published: list[tuple[dt.date, EditedItem]] = []
    by_month: dict[int, list[EditedItem]] = {}
    for day, item in items:
        if day > last_day - dt.timedelta(days=25):
            continue  # the latest ones are still in editing
        by_month.setdefault(day.month, []).append(item)
    special_left = 2
    for month in sorted(by_month):
        issue_day = _working_day(dt.date(year, month, 25))
        if issue_day > last_day:
            break
        month_items = by_month[month]
        if special_left and len(month_items) > 2:
            special, month_items = month_items[:1], month_items[1:]
            special_left -= 1
            published += _issue(staff, committee, IssueKind.SPECIAL, issue_day, special, True)
        published += _issue(staff, committee, IssueKind.JOURNAL, issue_day, month_items, False)

    # --- Forwarding, adoptions and instructions --------------------------------------------------
    member_item_id = (
        Report.objects.filter(pk=mine[0].pk).values_list("item_id", flat=True).first()
        if mine
        else None
    )
    for issue_day, item in published:
        is_member_item = item.pk == member_item_id
        later = min(issue_day + dt.timedelta(days=3), last_day)
        with _on(later):
            if is_member_item or rng.random() < 0.6:
                services.item_forward(
                    actor=staff,
                    item=item,
                    target="upper",
                    target_name="示例省政协办公厅",
                    date=later,
                )
        adopt_day = min(_working_day(issue_day + dt.timedelta(days=20)), last_day)
        with _on(adopt_day):
            if rng.random() < 0.45 or is_member_item:
                services.adoption_record(actor=staff, item=item, level=Level.CITY, date=adopt_day)
            if rng.random() < 0.2 or is_member_item:
                services.adoption_record(
                    actor=staff, item=item, level=Level.PROVINCIAL, date=adopt_day
                )
            if rng.random() < 0.03 or is_member_item:
                services.adoption_record(
                    actor=staff,
                    item=item,
                    level=Level.NATIONAL,
                    date=adopt_day,
                    national_mode=rng.choice(NationalMode.values),
                    text="全国政协办公厅《社情民意信息》采用",
                )
            if rng.random() < 0.15 or is_member_item:
                level = rng.choice((Level.CITY, Level.CITY, Level.PROVINCIAL))
                services.instruction_record(
                    actor=staff,
                    item=item,
                    level=level,
                    date=adopt_day,
                    leader_title=rng.choice(LEADERS[level]),
                    text="请有关部门研究办理。",
                )

    stdout.write(
        f"社情民意示例数据：{Report.objects.filter(committee=committee).count()} 篇信息，"
        f"{len(published)} 篇编发。"
    )
    return []


def _submit(
    author: Member,
    committee: Committee,
    day: dt.date,
    title: str,
    text: str,
    category: Category,
    kind: str,
    co: list[Member],
    extra: dict[str, Any],
    *,
    submit: bool = True,
) -> Report:
    """A report written (and submitted) on ``day`` by its author. Most demo
    members have no login: their history rows then name no user."""
    actor = author.person.user or _ProxyActor(author)
    with _on(day, 9):
        report = services.report_save_draft(
            actor=actor,
            committee=committee,
            author=author,
            title=title,
            text=text,
            category=category,
            submitter_kind=kind,
            co_submitters=co,
            **extra,
        )
        if submit:
            report = services.report_submit(actor=actor, report=report)
    return report


class _ProxyActor:
    """Stands for a demo member without a login: it holds the author's
    permissions on that member's own reports and nothing else (the services
    ask it like a user); the history rows then name no user."""

    is_authenticated = False
    is_active = True
    AUTHOR_PERMISSIONS = frozenset({"opinions.edit_report", "opinions.submit_report"})

    def __init__(self, member: Member) -> None:
        self.member = member
        self.pk = member.person.user_id

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return perm in self.AUTHOR_PERMISSIONS and getattr(obj, "author_id", None) == self.member.pk


def _issue(
    staff: User,
    committee: Committee,
    kind: str,
    day: dt.date,
    items: list[EditedItem],
    special: bool,
) -> list[tuple[dt.date, EditedItem]]:
    if not items:
        return []
    with _on(day, 15):
        issue = services.issue_create(
            actor=staff,
            committee=committee,
            kind=kind,
            year=day.year,
            date=day,
            title="专报" if special else "",
            to_upper=True,
            to_party=True,
            to_government=True,
        )
        services.issue_add_items(actor=staff, issue=issue, items=items)
        services.issue_publish(actor=staff, issue=issue)
    return [(day, item) for item in items]
