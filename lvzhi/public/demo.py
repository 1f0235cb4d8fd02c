"""示例数据 for 码上商: a QR page for every demo studio and station plus a
consultation room per committee, a few months of citizens' messages in
every state (held, received, assigned, replied and rated, closed), messages
turned into studio service projects (三听三转), and last year's studio star
ratings computed from the data.

Idempotent: venues are made only for studios and stations without one;
each message has a fixed form token ("demo-<committee>-<n>"), so a second
run finds it and changes nothing; conversions are made only for messages
not yet converted; ratings only for a year without any. Deterministic: a
random generator with a fixed seed. Texts and names are invented."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.core import calendar
from lvzhi.core.committee_settings import forget_settings, setting_value
from lvzhi.core.models import CommitteeSetting
from lvzhi.org.models import Committee, Member
from lvzhi.public import codes, conversions, selectors, services, settings_defs
from lvzhi.public.models import Message, MessageEvent, Venue
from lvzhi.studios.models import StarRating
from lvzhi.studios.services import star_ratings_compute

SEED = 20260707
COMMITTEES = ("demo-city", "demo-district")
MESSAGES_PER_COMMITTEE = 60

TEXTS = (
    ("suggestion", "建议在小区门口增设一处公交站台，方便老人出行。"),
    ("suggestion", "河道两侧夜间照明不足，建议增设路灯。"),
    ("question", "孩子放学后无人看护，社区能否提供课后托管服务？"),
    ("help", "父亲行动不便，想咨询居家适老化改造有没有补贴。"),
    ("suggestion", "菜市场周边停车难，建议错时开放附近单位停车场。"),
    ("question", "小微企业申请贷款贴息需要准备哪些材料？"),
    ("suggestion", "建议在公园增加儿童游乐设施和遮阳棚。"),
    ("help", "邻里之间因漏水产生纠纷，希望有人帮忙调解。"),
    ("question", "农村电商培训什么时候开班？在哪里报名？"),
    ("suggestion", "老旧小区加装电梯的审批流程希望能简化。"),
    ("other", "感谢委员上次帮忙协调，道路已经修好了。"),
    ("suggestion", "垃圾分类投放点离住户太近，夏天有异味。"),
)
HELD_TEXT = ("other", "低价代开发票，广告合作请联系")
REPLIES = (
    "您好，您反映的问题已转交相关部门，我们会持续跟进。",
    "感谢您的建议，工作室委员已实地察看，将在近期推动解决。",
    "已联系社区负责同志，相关服务下月起开展，欢迎报名。",
    "您咨询的政策请携带身份证到街道便民服务中心办理。",
)
NAMES = ("", "", "", "王先生", "李女士", "张阿姨", "陈师傅")
PROJECT_TITLES = ("社区夜间照明改善", "课后托管志愿服务", "邻里纠纷调解室", "适老化改造咨询")


def _state_for(index: int, age_days: int) -> str:
    """Spread the states: older messages are mostly answered."""
    if index % 17 == 5:
        return Message.Status.HELD
    if age_days < 6:
        return (Message.Status.RECEIVED, Message.Status.ASSIGNED)[index % 2]
    return (
        Message.Status.REPLIED,
        Message.Status.REPLIED,
        Message.Status.CLOSED,
        Message.Status.ASSIGNED,
        Message.Status.RECEIVED,
    )[index % 5]


def _message(
    rng: random.Random,
    committee: Committee,
    venue: Venue,
    index: int,
    staff: User | None,
    reply_days: int,
) -> Message | None:
    token = f"demo-{committee.code}-{index}"
    if Message.objects.filter(form_token=token).exists():
        return None
    now = timezone.now()
    age = rng.randint(1, 150)
    sent = now - timedelta(days=age, hours=rng.randint(0, 8))
    status = _state_for(index, age)
    category, text = HELD_TEXT if status == Message.Status.HELD else rng.choice(TEXTS)
    members = selectors.venue_members(venue)
    member = members[index % len(members)] if members else None
    deadline = (
        None
        if status == Message.Status.HELD
        else calendar.add_working_days(timezone.localtime(sent).date(), reply_days)
    )
    message = Message(
        committee=committee,
        venue=venue,
        category=category,
        text=text,
        name=rng.choice(NAMES),
        tracking_hash=codes.tracking_hash(codes.tracking_code_for(token)),
        form_token=token,
        status=status,
        held_words="代开发票" if status == Message.Status.HELD else "",
        deadline=deadline,
    )
    if index % 7 == 0:
        message.mobile_consent = True
        message.set_mobile(f"1390000{rng.randint(1000, 9999)}")
    if status == Message.Status.ASSIGNED and member is not None:
        message.assigned_to = member
    elif status == Message.Status.ASSIGNED:
        message.status = Message.Status.RECEIVED
    answered = status in (Message.Status.REPLIED, Message.Status.CLOSED)
    replier = member.person.user if member is not None and member.person.user else staff
    if answered:
        replied = sent + timedelta(days=rng.randint(1, 12))
        message.reply = rng.choice(REPLIES)
        message.reply_public = index % 3 != 0
        message.replied_at = min(replied, now)
        message.replied_by = replier
        if index % 4 != 3:
            message.rating = rng.choice(
                [Message.Rating.SATISFIED] * 3 + [Message.Rating.BASIC, Message.Rating.UNSATISFIED]
            )
            message.rated_at = message.replied_at + timedelta(days=1)
    if status == Message.Status.CLOSED:
        message.close_reason = "已答复并办结"
        message.closed_at = message.replied_at
    message.save()
    Message.objects.filter(pk=message.pk).update(created_at=sent)
    MessageEvent.objects.create(message=message, action="submit", to_state=Message.Status.RECEIVED)
    if answered and replier is not None:
        MessageEvent.objects.create(
            message=message,
            action="reply",
            from_state=Message.Status.RECEIVED,
            to_state=Message.Status.REPLIED,
            actor=replier,
        )
    if member is not None and answered and message.replied_by == member.person.user:
        from lvzhi.duties.models import DutyKind
        from lvzhi.duties.services import duty_record

        duty_record(
            member=member,
            kind=DutyKind.PUBLIC_SERVICE,
            date=timezone.localtime(message.replied_at).date()
            if message.replied_at
            else sent.date(),
            source=message,
            title=f"答复群众意见：{text[:20]}",
        )
    return message


def seed(*, stdout: Any) -> list[tuple[str, str, str]]:
    rng = random.Random(SEED)  # noqa: S311 -- deterministic demo data
    staff = User.objects.filter(username="staff_public").first()
    made = {"venues": 0, "messages": 0, "conversions": 0, "ratings": 0}
    sample_codes: list[str] = []
    today = timezone.localdate()
    for code in COMMITTEES:
        committee = Committee.objects.filter(code=code).first()
        if committee is None:
            continue
        # The seeder writes its rows directly (as it writes the messages): the
        # district committee has no public staff to act through the services.
        CommitteeSetting.objects.get_or_create(
            committee=committee,
            key=settings_defs.HELD_WORDS.key,
            defaults={"value": ["代开发票", "广告合作"]},
        )
        forget_settings(committee)
        reply_days = setting_value(committee, settings_defs.REPLY_WORKING_DAYS)
        made["venues"] += services.venues_missing_create(committee)
        if not Venue.objects.filter(committee=committee, kind=Venue.Kind.ROOM).exists():
            room = Venue.objects.create(
                committee=committee,
                kind=Venue.Kind.ROOM,
                name=f"{committee.short_name}委员协商室",
                address="政协机关一楼",
                opening_hours="工作日 9:00—17:00",
                introduction="群众提出的问题，委员和有关部门在这里当面协商。",
                code=codes.new_venue_code(),
            )
            room.members.set(
                Member.objects.filter(committee=committee, term__is_current=True).order_by("id")[:3]
            )
            made["venues"] += 1
        venues = list(
            Venue.objects.filter(committee=committee)
            .select_related("studio", "station")
            .order_by("kind", "id")
        )
        for index in range(MESSAGES_PER_COMMITTEE):
            venue = venues[index % len(venues)]
            message = _message(rng, committee, venue, index, staff, reply_days)
            if message is not None:
                made["messages"] += 1
            if index in (0, 1, 2):
                sample_codes.append(codes.display(codes.tracking_code_for(f"demo-{code}-{index}")))
        # 三听三转: messages of a studio become its service project.
        if staff is not None and committee.code == "demo-city":
            for number, venue in enumerate(v for v in venues if v.kind == Venue.Kind.STUDIO):
                if number >= len(PROJECT_TITLES):
                    break
                chosen = list(
                    Message.objects.filter(venue=venue, conversions__isnull=True)
                    .exclude(status=Message.Status.HELD)
                    .order_by("id")[:2]
                )
                if (
                    not chosen
                    or Message.objects.filter(venue=venue, conversions__isnull=False).exists()
                ):
                    continue
                conversions.conversion_create(
                    kind="service_project",
                    messages=chosen,
                    title=PROJECT_TITLES[number],
                    body="\n".join(m.text for m in chosen),
                    actor=staff,
                )
                made["conversions"] += 1
        # The year before last too, so dynamic management has two years to compare.
        for year in (today.year - 2, today.year - 1):
            if not StarRating.objects.filter(committee=committee, year=year).exists():
                made["ratings"] += len(
                    star_ratings_compute(committee=committee, year=year, actor=None)
                )
    stdout.write(
        "码上商：二维码点位 {venues}，群众留言 {messages}，三听三转 {conversions}，"
        "上年度星级评定 {ratings}（新建）".format(**made)
    )
    if sample_codes:
        stdout.write("示例留言查询码：" + "、".join(sample_codes[:3]))
    return []
