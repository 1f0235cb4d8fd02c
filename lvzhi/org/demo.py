"""示例数据: the fictional 示例市政协 with 示例区政协 below it.

Called by ``manage.py seed_demo`` (inside one transaction) and reused by
``bench/generate.py``. Everything here is invented: names are random
combinations of common surnames and given-name characters, ID numbers use the
non-existent region code 99xxxx (so no real person's number can come out) and
mobile numbers the 139-0000-xxxx block.

Idempotent: the plan is built from a random generator with a fixed seed, so
it is the same on every run, and it is applied by natural keys (committee
code, term number, names, the ID number's keyed hash, usernames). Rows that
exist are left alone — not even re-saved — so a second run changes nothing,
and staff edits to the demo survive a re-seed. Relations (special committees,
studio and station members, conveners) are set only when their owner is
created. Passwords are set only when a user is created.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from lvzhi.accounts.models import Area, Role, RoleAssignment, User
from lvzhi.core import crypto
from lvzhi.org.models import (
    Committee,
    Education,
    Gender,
    HandlingUnit,
    Member,
    Party,
    Person,
    PlenarySession,
    Sector,
    SectorCluster,
    SpecialCommittee,
    Station,
    Studio,
    Term,
)
from lvzhi.org.validators import make_id_number

# Printed in the README and by seed_demo; satisfies the password policy
# (≥ 8 characters, 4 character classes, not a common password).
PASSWORD = "Demo-2026!"  # noqa: S105 -- the public demo password, documented
SEED = 20260101


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


# --- Invented names ---------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严武戴孔汤"
)
MALE_CHARS = (
    "国建志军平伟勇杰峰超亮刚毅振宏浩博涛斌鹏辉磊强宇航帆林森松柏泉川山波洋哲钧铭彦卓"
    "凯俊智远成永德安庆福瑞祥荣兴盛康源睿"
)
FEMALE_CHARS = (
    "秀丽婷静敏芳红霞燕梅兰英莉雪春秋云玉晓思嘉佳雅欣怡悦晨颖琳洁倩璐蕾若涵宁清文慧萍娟"
    "丹月素桂芬琴彤"
)
ETHNICITIES = (
    ("汉族", 90),
    ("回族", 3),
    ("满族", 2),
    ("蒙古族", 1),
    ("壮族", 1),
    ("土家族", 1),
    ("苗族", 1),
    ("朝鲜族", 1),
)
EDUCATIONS = (
    (Education.DOCTORATE, 10),
    (Education.MASTER, 30),
    (Education.BACHELOR, 45),
    (Education.COLLEGE, 12),
    (Education.SECONDARY, 3),
)

# --- The structure every demo committee shares -----------------------------------

# 18 sectors (界别) in 6 clusters (联组), in the order rosters list them.
CLUSTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("第一联组", ("中共", "共青团", "无党派人士")),
    ("第二联组", ("民革", "民盟", "民建")),
    ("第三联组", ("民进", "农工党", "致公党", "九三学社")),
    ("第四联组", ("工商联", "经济界", "农业界")),
    ("第五联组", ("科技界", "教育界", "文化艺术界")),
    ("第六联组", ("医药卫生界", "社会福利和社会保障界")),
)
SECTOR_NAMES: tuple[str, ...] = tuple(name for _, names in CLUSTERS for name in names)

# Sectors whose members belong to one party by definition.
SECTOR_PARTY = {
    "中共": Party.CPC,
    "民革": Party.RCCK,
    "民盟": Party.CDL,
    "民建": Party.CNDCA,
    "民进": Party.CAPD,
    "农工党": Party.CPWDP,
    "致公党": Party.CZGP,
    "九三学社": Party.JS,
    "无党派人士": Party.NONPARTY,
}
DEMOCRATIC_PARTIES = (Party.RCCK, Party.CDL, Party.CNDCA, Party.CAPD, Party.CPWDP, Party.CZGP)

SPECIAL_COMMITTEES = (
    "提案委员会",
    "经济委员会",
    "农业和农村委员会",
    "人口资源环境委员会",
    "教育科技卫体委员会",
    "文化文史和学习委员会",
    "社会和法制委员会",
    "港澳台侨和外事委员会",
)

# Where members work, by the kind of sector. "{p}" is the committee's place.
_EDUCATION = (
    ("{p}第一中学", ("校长", "副校长", "高级教师")),
    ("{p}实验小学", ("校长", "高级教师")),
    ("示例职业技术学院", ("院长", "教授", "系主任")),
    ("示例大学", ("教授", "副教授", "学院院长")),
)
_MEDICAL = (
    ("{p}人民医院", ("主任医师", "副院长", "科室主任")),
    ("{p}中医院", ("主任医师", "副主任医师")),
    ("{p}妇幼保健院", ("院长", "主任医师")),
    ("{p}疾病预防控制中心", ("副主任", "主任医师")),
)
_SCIENCE = (
    ("示例电子科技有限公司", ("总工程师", "高级工程师")),
    ("{p}农业科学研究所", ("所长", "研究员")),
    ("{p}科学技术协会", ("副主席", "高级工程师")),
    ("示例新材料研究院", ("研究员", "副院长")),
)
_BUSINESS = (
    ("示例实业集团有限公司", ("董事长", "总经理")),
    ("示例食品有限公司", ("董事长", "副总经理")),
    ("示例物流有限公司", ("总经理", "财务总监")),
    ("示例建设集团有限公司", ("董事长", "总工程师")),
    ("示例农村商业银行", ("行长", "副行长")),
    ("示例纺织有限公司", ("总经理", "董事长")),
)
_CULTURE = (
    ("{p}文化馆", ("馆长", "副研究馆员")),
    ("{p}图书馆", ("馆长", "研究馆员")),
    ("{p}博物馆", ("副馆长", "文博研究员")),
    ("示例日报社", ("副总编辑", "高级记者")),
    ("{p}歌舞剧院", ("国家二级演员", "团长")),
)
_FARMING = (
    ("示例果蔬专业合作社", ("理事长",)),
    ("{p}农业技术推广中心", ("高级农艺师", "主任")),
    ("示例茶业有限公司", ("总经理",)),
    ("示例生态家庭农场", ("负责人",)),
)
_WELFARE = (
    ("{p}社会福利院", ("院长",)),
    ("示例养老服务中心", ("主任",)),
    ("{p}慈善总会", ("副会长", "秘书长")),
    ("{p}残疾人联合会", ("副理事长",)),
)
_LAW = (
    ("示例律师事务所", ("主任", "律师")),
    ("示例会计师事务所", ("所长", "注册会计师")),
)
_PARTY_ORGANS = (
    ("中共{p}委党校", ("常务副校长", "教授", "副校长")),
    ("{p}总工会", ("副主席", "党组成员")),
    ("{p}妇女联合会", ("副主席", "党组成员")),
    ("{p}机关事务管理局", ("副局长", "党组成员")),
    ("{p}人民政府办公室", ("副主任", "督查室主任")),
    ("{p}发展和改革委员会", ("副主任", "总经济师")),
    ("{p}教育局", ("副局长", "党组成员")),
    ("{p}卫生健康委员会", ("副主任", "党组成员")),
    ("{p}人民医院", ("党委书记", "党委副书记")),
    ("示例大学", ("党委副书记", "纪委书记")),
    ("{p}科学技术协会", ("党组书记", "副主席")),
    ("{p}融媒体中心", ("主任", "副主任")),
)
_YOUTH = (
    ("共青团{p}委员会", ("书记", "副书记")),
    ("{p}青年联合会", ("副主席",)),
)
_PROFESSIONS = _EDUCATION + _MEDICAL + _SCIENCE + _LAW + _CULTURE
EMPLOYERS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "中共": _PARTY_ORGANS,
    "共青团": _YOUTH,
    "工商联": _BUSINESS,
    "经济界": _BUSINESS,
    "农业界": _FARMING,
    "科技界": _SCIENCE,
    "教育界": _EDUCATION,
    "文化艺术界": _CULTURE,
    "医药卫生界": _MEDICAL,
    "社会福利和社会保障界": _WELFARE,
}

# 25 handling units (承办单位): department name and kind; "{p}" is the place,
# "{court}" and "{lower}" the committee's court and a government below it.
UNITS: tuple[tuple[str, str], ...] = (
    ("中共{p}委宣传部", HandlingUnit.Kind.PARTY),
    ("中共{p}委统战部", HandlingUnit.Kind.PARTY),
    ("{p}发展和改革委员会", HandlingUnit.Kind.GOVERNMENT),
    ("{p}教育局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}科学技术局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}工业和信息化局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}公安局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}民政局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}财政局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}人力资源和社会保障局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}自然资源和规划局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}生态环境局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}住房和城乡建设局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}交通运输局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}农业农村局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}商务局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}文化广电和旅游局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}卫生健康委员会", HandlingUnit.Kind.GOVERNMENT),
    ("{p}市场监督管理局", HandlingUnit.Kind.GOVERNMENT),
    ("{p}医疗保障局", HandlingUnit.Kind.GOVERNMENT),
    ("{court}", HandlingUnit.Kind.COURT),
    ("{p}总工会", HandlingUnit.Kind.PEOPLE_ORG),
    ("{p}残疾人联合会", HandlingUnit.Kind.PEOPLE_ORG),
    ("{p}城市建设投资集团有限公司", HandlingUnit.Kind.ENTERPRISE),
    ("{lower}", HandlingUnit.Kind.LOWER),
)

# 12 studios (委员工作室): name, theme, and the sector its lead comes from.
STUDIOS: tuple[tuple[str, str, str], ...] = (
    ("教育关爱委员工作室", "关爱留守儿童，助力课后服务", "教育界"),
    ("健康守护委员工作室", "义诊咨询，推广健康生活方式", "医药卫生界"),
    ("法律服务委员工作室", "公益法律咨询和矛盾调解", "民盟"),
    ("科技创新委员工作室", "服务中小企业技术攻关", "科技界"),
    ("乡村振兴委员工作室", "特色农业和农民增收", "农业界"),
    ("文化传承委员工作室", "非遗保护和文史资料征集", "文化艺术界"),
    ("民营经济委员工作室", "优化营商环境，服务民营企业", "工商联"),
    ("生态环保委员工作室", "河湖保护和垃圾分类", "九三学社"),
    ("社区治理委员工作室", "老旧小区改造和社区议事", "无党派人士"),
    ("青年发展委员工作室", "青年就业创业", "共青团"),
    ("养老服务委员工作室", "居家养老和适老化改造", "社会福利和社会保障界"),
    ("侨务联络委员工作室", "联系海外侨胞，服务归侨侨眷", "致公党"),
)
# 10 liaison stations (委员联络站) in invented towns and streets.
STREETS = (
    "东城街道",
    "西湖街道",
    "南山镇",
    "北塘镇",
    "青石街道",
    "白沙镇",
    "桃源镇",
    "新港街道",
    "江口镇",
    "云岭街道",
)
OPENING_HOURS = ("每周三 9:00—11:30", "每周五 14:30—17:00", "每月第一个周六 9:00—12:00")

RESIGN_REASONS = (
    "因工作变动，本人申请辞去委员职务，经常委会会议同意",
    "因身体原因，本人申请辞去委员职务，经常委会会议同意",
    "因工作调离本市，经常委会会议决定",
)

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (enough for terms and sessions)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


# --- The plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class TermSpec:
    number: int
    start: date
    end: date | None
    is_current: bool
    openings: tuple[date, ...]  # opening day of the plenary session of each year
    session_days: int = 4


@dataclass(frozen=True)
class CommitteeSpec:
    code: str
    name: str
    short_name: str
    level: str
    place: str  # "示例市": prefix of department and employer names
    parent_code: str | None
    terms: tuple[TermSpec, ...]  # newest (current) first
    sector_sizes: dict[str, int]  # seats per sector in every term
    vice_chairs: int
    standing: int  # 常委 besides the chair, vice-chairs and secretary-general
    resigned: int  # members who resigned, per term
    court: str = ""  # the court among the handling units
    lower_unit: str = ""  # a lower-level government among the handling units
    carry_over: float = 0.6  # share of a term's members who sat in the term before


@dataclass
class PersonSpec:
    index: int
    name: str
    gender: str
    ethnicity: str
    birth_date: date
    party: str
    education: str
    employer: str
    job_title: str
    mobile: str
    id_number: str


@dataclass
class SeatSpec:
    person: PersonSpec
    term_number: int
    sector: str
    position: str = Member.Position.MEMBER
    status: str = Member.Status.IN_OFFICE
    start: date | None = None
    end: date | None = None
    end_reason: str = ""
    special: list[str] = field(default_factory=list)


def _weighted(rng: random.Random, options: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


class PersonPool:
    """Invents people. Numbers come from a running index, so they are unique:
    ID = region (99xxxx, not a real region) + birth date + sequence + check."""

    def __init__(self, rng: random.Random, *, region: str = "9901", mobile: str = "1390") -> None:
        self.rng = rng
        self.region = region
        self.mobile = mobile
        self.count = 0
        self.phones = 0
        self.names: set[str] = set()

    def name(self, gender: str) -> str:
        chars = MALE_CHARS if gender == Gender.MALE else FEMALE_CHARS
        for _attempt in range(50):
            given = self.rng.choice(chars)
            if self.rng.random() < 0.8:
                second = self.rng.choice(chars + (MALE_CHARS + FEMALE_CHARS)[::7])
                if second != given or gender == Gender.FEMALE:  # 婷婷 yes, 智智 no
                    given += second
            name = self.rng.choice(SURNAMES) + given
            if name not in self.names:
                break
        self.names.add(name)
        return name

    def phone(self) -> str:
        """A contact number in the demo block (139-0009-xxxx)."""
        self.phones += 1
        return f"{self.mobile}009{self.phones:04d}"

    def new(self, sector: str, place: str, *, name: str = "", gender: str = "") -> PersonSpec:
        rng = self.rng
        self.count += 1
        index = self.count
        gender = gender or (Gender.FEMALE if rng.random() < 0.35 else Gender.MALE)
        if name:
            self.names.add(name)
        else:
            name = self.name(gender)
        birth = date(1958, 1, 1) + timedelta(days=rng.randrange(365 * 32))
        party = SECTOR_PARTY.get(sector) or _weighted(
            rng,
            (
                (Party.CPC, 40),
                (Party.MASSES, 22),
                (Party.NONPARTY, 10),
                *((p, 4) for p in DEMOCRATIC_PARTIES),
                (Party.JS, 4),
            ),
        )
        employer, titles = rng.choice(EMPLOYERS.get(sector, _PROFESSIONS))
        # Region 99xxxx + birth date + 3-digit sequence (odd for men) + check.
        block, offset = divmod(index, 500)
        sequence = f"{offset * 2 + (1 if gender == Gender.MALE else 0):03d}"
        region = f"{self.region}{block + 1:02d}"
        id_number = make_id_number(f"{region}{birth:%Y%m%d}{sequence}")
        return PersonSpec(
            index=index,
            name=name,
            gender=gender,
            ethnicity=_weighted(rng, ETHNICITIES),
            birth_date=birth,
            party=party,
            education=_weighted(rng, EDUCATIONS),
            employer=employer.format(p=place),
            job_title=rng.choice(titles),
            mobile=f"{self.mobile}{index:07d}",
            id_number=id_number,
        )


def build_roster(
    spec: CommitteeSpec,
    pool: PersonPool,
    *,
    fixed: Sequence[SeatSpec] = (),
) -> list[SeatSpec]:
    """Seats of every term of the committee. ``fixed`` seats (the demo logins,
    people shared with another committee) go into the current term as given
    and are never picked for a position or a resignation."""
    rng = pool.rng
    seats: list[SeatSpec] = []
    newer: dict[str, list[PersonSpec]] = {}
    for term in spec.terms:
        term_seats: list[SeatSpec] = []
        by_sector: dict[str, list[PersonSpec]] = {}
        for sector in SECTOR_NAMES:
            size = spec.sector_sizes.get(sector, 0)
            people: list[PersonSpec] = []
            if term.is_current:
                people += [s.person for s in fixed if s.sector == sector]
            else:
                previous = [p for p in newer.get(sector, []) if p not in people]
                carried = min(len(previous), round(size * spec.carry_over))
                people += rng.sample(previous, carried)
            while len(people) < size:
                people.append(pool.new(sector, spec.place))
            by_sector[sector] = people
            for person in people:
                term_seats.append(SeatSpec(person=person, term_number=term.number, sector=sector))
        newer = by_sector
        _assign_positions(rng, term, term_seats, spec, fixed_people={s.person.index for s in fixed})
        if term.is_current:
            wanted = {s.person.index: s for s in fixed}
            for seat in term_seats:
                if seat.person.index in wanted:
                    seat.position = wanted[seat.person.index].position
        seats += term_seats
    return seats


def _assign_positions(
    rng: random.Random,
    term: TermSpec,
    seats: list[SeatSpec],
    spec: CommitteeSpec,
    *,
    fixed_people: set[int],
) -> None:
    free = [s for s in seats if s.person.index not in fixed_people]
    cpc = [s for s in free if s.sector == "中共"] or free
    chair, secretary = rng.sample(cpc, 2)
    chair.position = Member.Position.CHAIR
    secretary.position = Member.Position.SECRETARY_GENERAL
    # Vice-chairs come from different sectors: the CPC, the parties, business.
    vice_sectors = ["中共", "民革", "民盟", "民建", "民进", "农工党", "九三学社", "工商联"]
    vice_chairs = []
    for sector in vice_sectors[: spec.vice_chairs]:
        candidates = [
            s for s in free if s.sector == sector and s.position == Member.Position.MEMBER
        ]
        if candidates:
            seat = rng.choice(candidates)
            seat.position = Member.Position.VICE_CHAIR
            vice_chairs.append(seat)
    if term.is_current:
        # Today's leaders work for the committee or lead their party's local body.
        committee_office = spec.place + "政协"
        chair.person.employer, chair.person.job_title = committee_office, "主席"
        secretary.person.employer, secretary.person.job_title = committee_office, "秘书长"
        for seat in vice_chairs:
            if seat.sector == "中共":
                seat.person.employer, seat.person.job_title = committee_office, "副主席"
            elif seat.sector == "工商联":
                seat.person.employer = f"{spec.place}工商业联合会"
                seat.person.job_title = "主席"
            else:
                seat.person.employer = f"{seat.sector}{spec.place}委员会"
                seat.person.job_title = "主委"
    plain = [s for s in free if s.position == Member.Position.MEMBER]
    for seat in rng.sample(plain, min(spec.standing, len(plain))):
        seat.position = Member.Position.STANDING
    # Leaders sit on the proposals committee or none; the others on one or two.
    for seat in seats:
        if seat.position == Member.Position.CHAIR:
            continue
        roll = rng.random()
        count = 2 if roll < 0.1 else 1 if roll < 0.85 else 0
        seat.special = rng.sample(SPECIAL_COMMITTEES, count)
    # Start and end dates: everybody from the term's first day, a few joined
    # later (增补) and a few resigned (辞去委员职务).
    term_end = term.end or date(term.start.year + 5, term.start.month, term.start.day)
    for seat in seats:
        seat.start = term.start
        if not term.is_current:
            seat.end = term_end
            seat.end_reason = "任期届满"
    plain = [s for s in free if s.position == Member.Position.MEMBER]
    chosen = rng.sample(plain, min(len(plain), spec.resigned + 3))
    for seat in chosen[: spec.resigned]:
        seat.status = Member.Status.RESIGNED
        seat.end = term.start + timedelta(days=400 + rng.randrange(600))
        seat.end_reason = rng.choice(RESIGN_REASONS)
    for seat in chosen[spec.resigned :]:
        seat.start = term.openings[min(2, len(term.openings) - 1)]


# --- Applying the plan by natural keys -------------------------------------------------


class Seeder:
    """Creates what is missing, leaves what exists untouched; counts what it made."""

    def __init__(self, stdout: Writer) -> None:
        self.stdout = stdout
        self.created: dict[str, int] = {}
        self._password_hash = ""

    def _count(self, label: str, created: bool | int) -> None:
        if created:
            self.created[label] = self.created.get(label, 0) + int(created)

    def committee(self, spec: CommitteeSpec) -> Committee:
        parent = Committee.objects.get(code=spec.parent_code) if spec.parent_code else None
        committee, created = Committee.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "level": spec.level,
                "parent": parent,
            },
        )
        self._count("委员会", created)
        return committee

    def terms(self, committee: Committee, spec: CommitteeSpec) -> dict[int, Term]:
        terms: dict[int, Term] = {}
        for t in spec.terms:
            term, created = Term.objects.get_or_create(
                committee=committee,
                number=t.number,
                defaults={
                    "name": f"第{cn_number(t.number)}届",
                    "start_date": t.start,
                    "end_date": t.end,
                    "is_current": t.is_current,
                },
            )
            self._count("届次", created)
            terms[t.number] = term
            for n, opening in enumerate(t.openings, start=1):
                _, created = PlenarySession.objects.get_or_create(
                    committee=committee,
                    term=term,
                    number=n,
                    defaults={
                        "name": f"第{cn_number(t.number)}届委员会第{cn_number(n)}次会议",
                        "year": opening.year,
                        "start_date": opening,
                        "end_date": opening + timedelta(days=t.session_days - 1),
                        # Plenary proposals: from two months before until the
                        # second day of the session.
                        "proposal_window_start": opening - timedelta(days=60),
                        "proposal_window_end": opening + timedelta(days=1),
                    },
                )
                self._count("全体会议", created)
        return terms

    def sectors(self, committee: Committee) -> tuple[dict[str, Sector], set[str]]:
        sectors: dict[str, Sector] = {}
        new: set[str] = set()
        order = 0
        for c_order, (cluster_name, names) in enumerate(CLUSTERS, start=1):
            cluster, created = SectorCluster.objects.get_or_create(
                committee=committee, name=cluster_name, defaults={"order": c_order}
            )
            self._count("界别联组", created)
            for name in names:
                order += 1
                sector, created = Sector.objects.get_or_create(
                    committee=committee, name=name, defaults={"cluster": cluster, "order": order}
                )
                self._count("界别", created)
                sectors[name] = sector
                if created:
                    new.add(name)
        return sectors, new

    def special_committees(self, committee: Committee) -> dict[str, SpecialCommittee]:
        found: dict[str, SpecialCommittee] = {}
        for order, name in enumerate(SPECIAL_COMMITTEES, start=1):
            obj, created = SpecialCommittee.objects.get_or_create(
                committee=committee, name=name, defaults={"order": order}
            )
            self._count("专委会", created)
            found[name] = obj
        return found

    def units(
        self, committee: Committee, spec: CommitteeSpec, pool: PersonPool
    ) -> dict[str, HandlingUnit]:
        found: dict[str, HandlingUnit] = {}
        place = spec.place
        for n, (pattern, kind) in enumerate(UNITS, start=1):
            name = pattern.format(p=place, court=spec.court, lower=spec.lower_unit)
            contact = pool.name(Gender.MALE if n % 3 else Gender.FEMALE)
            unit, created = HandlingUnit.objects.get_or_create(
                committee=committee,
                name=name,
                defaults={
                    "kind": kind,
                    "contact_name": contact,
                    "contact_phone": pool.phone(),
                    "address": f"{place}人民路{n * 2 + 1}号",
                },
            )
            self._count("承办单位", created)
            found[name] = unit
        return found

    def persons(self, specs: Iterable[PersonSpec]) -> dict[int, Person]:
        """Persons by plan index, found by the keyed hash of the ID number."""
        by_hash: dict[str, PersonSpec] = {}
        for spec in specs:
            by_hash.setdefault(crypto.blind_index(spec.id_number), spec)
        existing = {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=by_hash)}
        missing = []
        for digest, spec in by_hash.items():
            if digest in existing:
                continue
            person = Person(
                name=spec.name,
                gender=spec.gender,
                ethnicity=spec.ethnicity,
                birth_date=spec.birth_date,
                party=spec.party,
                education=spec.education,
                employer=spec.employer,
                job_title=spec.job_title,
            )
            person.set_mobile(spec.mobile)
            person.set_id_number(spec.id_number)
            missing.append(person)
        if missing:
            Person.objects.bulk_create(missing, batch_size=500)
            existing = {
                p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=by_hash)
            }
        self._count("人员", len(missing))
        return {spec.index: existing[digest] for digest, spec in by_hash.items()}

    def members(
        self,
        committee: Committee,
        terms: dict[int, Term],
        seats: list[SeatSpec],
        sectors: dict[str, Sector],
        specials: dict[str, SpecialCommittee],
    ) -> dict[tuple[int, int], Member]:
        """Seats by (term number, person index); only missing seats are created,
        with their special committees."""
        people = self.persons(s.person for s in seats)
        key_of = {(terms[s.term_number].pk, people[s.person.index].pk): s for s in seats}
        existing = {
            (m.term_id, m.person_id): m
            for m in Member.objects.filter(committee=committee, term__in=terms.values())
        }
        new: list[Member] = []
        for (term_id, person_id), seat in key_of.items():
            if (term_id, person_id) in existing:
                continue
            assert seat.start is not None
            new.append(
                Member(
                    committee=committee,
                    term_id=term_id,
                    person_id=person_id,
                    sector=sectors[seat.sector],
                    position=seat.position,
                    status=seat.status,
                    start_date=seat.start,
                    end_date=seat.end,
                    end_reason=seat.end_reason,
                )
            )
        if new:
            Member.objects.bulk_create(new, batch_size=500)
            created_keys = {(m.term_id, m.person_id) for m in new}
            existing = {
                (m.term_id, m.person_id): m
                for m in Member.objects.filter(committee=committee, term__in=terms.values())
            }
            through = Member.special_committees.through
            links = [
                through(member_id=existing[key].pk, specialcommittee_id=specials[name].pk)
                for key in created_keys
                for name in key_of[key].special
            ]
            through._default_manager.bulk_create(links, batch_size=500, ignore_conflicts=True)
        self._count("委员席位", len(new))
        return {
            (seat.term_number, seat.person.index): existing[key] for key, seat in key_of.items()
        }

    def conveners(self, sectors: dict[str, Sector], pairs: list[tuple[str, Member]]) -> None:
        """Conveners of newly created sectors (staff may change them later)."""
        through = Sector.conveners.through
        links = [through(sector_id=sectors[name].pk, member_id=member.pk) for name, member in pairs]
        through._default_manager.bulk_create(links, ignore_conflicts=True)

    def studios(
        self,
        committee: Committee,
        place: str,
        current: list[Member],
        sectors: dict[str, Sector],
        rng: random.Random,
        extra: dict[str, list[Member]],
    ) -> dict[str, Studio]:
        found: dict[str, Studio] = {}
        active = [m for m in current if m.status == Member.Status.IN_OFFICE]
        for n, (name, theme, sector_name) in enumerate(STUDIOS, start=1):
            sector_id = sectors[sector_name].pk
            in_sector = [m for m in active if m.sector_id == sector_id] or active
            lead = rng.choice(in_sector)
            others = rng.sample([m for m in active if m.pk != lead.pk], rng.randint(3, 6))
            studio, created = Studio.objects.get_or_create(
                committee=committee,
                name=name,
                defaults={
                    "theme": theme,
                    "venue": f"{place}{STREETS[(n - 1) % len(STREETS)]}党群服务中心{n % 3 + 1}楼",
                    "opening_hours": OPENING_HOURS[n % len(OPENING_HOURS)],
                    "lead": lead,
                },
            )
            self._count("委员工作室", created)
            if created:
                studio.members.add(lead, *others, *extra.get(name, []))
            found[name] = studio
        return found

    def stations(
        self,
        committee: Committee,
        place: str,
        current: list[Member],
        rng: random.Random,
        pool: PersonPool,
        extra: dict[str, list[Member]],
    ) -> dict[str, Station]:
        found: dict[str, Station] = {}
        active = [m for m in current if m.status == Member.Status.IN_OFFICE]
        masters = rng.sample(active, len(STREETS))
        for street, master in zip(STREETS, masters, strict=True):
            name = f"{street}委员联络站"
            others = rng.sample([m for m in active if m.pk != master.pk], rng.randint(4, 8))
            instructor = pool.name(Gender.FEMALE if rng.random() < 0.4 else Gender.MALE)
            station, created = Station.objects.get_or_create(
                committee=committee,
                name=name,
                defaults={
                    "address": f"{place}{street}便民服务中心",
                    "area": f"{street}全域",
                    "master": master,
                    "instructor": instructor,
                },
            )
            self._count("委员联络站", created)
            if created:
                station.members.add(master, *others, *extra.get(name, []))
            found[name] = station
        return found

    def user(
        self,
        username: str,
        display_name: str,
        *,
        person: Person | None = None,
        mobile: str = "",
    ) -> User:
        """The user by username; created with the demo password if missing."""
        user = User.objects.filter(username=username).first()
        if user is None:
            if not self._password_hash:
                # One hash for all demo users: hashing is slow on purpose.
                self._password_hash = make_password(PASSWORD)
            user = User(
                username=username,
                display_name=display_name,
                password=self._password_hash,
                password_changed_at=timezone.now(),
            )
            if mobile:
                user.set_mobile(mobile)
            user.save()
            self._count("用户", True)
        if person is not None and person.user_id is None:
            person.user = user
            person.save(update_fields=["user", "updated_at"])
        return user

    def role(
        self,
        user: User,
        committee: Committee,
        role: str,
        *,
        area: str = "",
        unit: HandlingUnit | None = None,
    ) -> None:
        _, created = RoleAssignment.objects.get_or_create(
            user=user, committee=committee, role=role, area=area, defaults={"unit": unit}
        )
        self._count("角色分配", created)


# --- The two demo committees ------------------------------------------------------------


def _openings(first: date, years: int) -> tuple[date, ...]:
    """The plenary session of each year: same week of January, on a weekday."""
    days = []
    for i in range(years):
        day = date(first.year + i, first.month, first.day)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        days.append(day)
    return tuple(days)


CITY_SIZES = {
    "中共": 20,
    "共青团": 6,
    "无党派人士": 8,
    "民革": 8,
    "民盟": 10,
    "民建": 10,
    "民进": 9,
    "农工党": 9,
    "致公党": 7,
    "九三学社": 9,
    "工商联": 20,
    "经济界": 26,
    "农业界": 14,
    "科技界": 14,
    "教育界": 18,
    "文化艺术界": 12,
    "医药卫生界": 17,
    "社会福利和社会保障界": 13,
}
DISTRICT_SIZES = {
    "中共": 7,
    "共青团": 2,
    "无党派人士": 3,
    "民革": 2,
    "民盟": 3,
    "民建": 3,
    "民进": 3,
    "农工党": 3,
    "致公党": 2,
    "九三学社": 3,
    "工商联": 6,
    "经济界": 8,
    "农业界": 5,
    "科技界": 4,
    "教育界": 5,
    "文化艺术界": 3,
    "医药卫生界": 5,
    "社会福利和社会保障界": 3,
}

CITY = CommitteeSpec(
    code="demo-city",
    name="中国人民政治协商会议示例市委员会",
    short_name="示例市政协",
    level=Committee.Level.CITY,
    place="示例市",
    parent_code=None,
    terms=(
        TermSpec(8, date(2023, 1, 10), None, True, _openings(date(2023, 1, 10), 5)),
        TermSpec(7, date(2018, 1, 9), date(2023, 1, 9), False, _openings(date(2018, 1, 9), 5)),
    ),
    sector_sizes=CITY_SIZES,
    vice_chairs=6,
    standing=30,
    resigned=4,
    court="示例市中级人民法院",
    lower_unit="示例区人民政府",
)
DISTRICT = CommitteeSpec(
    code="demo-district",
    name="中国人民政治协商会议示例市示例区委员会",
    short_name="示例区政协",
    level=Committee.Level.COUNTY,
    place="示例区",
    parent_code="demo-city",
    terms=(
        TermSpec(6, date(2023, 1, 5), None, True, _openings(date(2023, 1, 5), 5), 3),
        TermSpec(5, date(2018, 1, 4), date(2023, 1, 4), False, _openings(date(2018, 1, 4), 5), 3),
    ),
    sector_sizes=DISTRICT_SIZES,
    vice_chairs=4,
    standing=12,
    resigned=2,
    court="示例区人民法院",
    lower_unit="示例区东城街道办事处",
)

# The members behind the member and convener logins (invented names).
MEMBER_NAME = "林思远"
CONVENER_NAME = "许文澜"


@dataclass
class SeededCommittee:
    committee: Committee
    terms: dict[int, Term]
    sectors: dict[str, Sector]
    units: dict[str, HandlingUnit]
    seats: dict[tuple[int, int], Member]
    current: list[Member]


def seed_committee(
    spec: CommitteeSpec,
    *,
    seeder: Seeder,
    pool: PersonPool,
    fixed: Sequence[SeatSpec] = (),
    conveners: dict[str, int] | None = None,
    studio_extra: dict[str, list[int]] | None = None,
    station_extra: dict[str, list[int]] | None = None,
) -> SeededCommittee:
    """One committee with its structure and the roster of every term.
    ``conveners``, ``studio_extra`` and ``station_extra`` name people by plan index."""
    rng = pool.rng
    committee = seeder.committee(spec)
    terms = seeder.terms(committee, spec)
    sectors, new_sectors = seeder.sectors(committee)
    specials = seeder.special_committees(committee)
    units = seeder.units(committee, spec, pool)
    seats = build_roster(spec, pool, fixed=fixed)
    members = seeder.members(committee, terms, seats, sectors, specials)
    current_number = spec.terms[0].number
    current_seats = [s for s in seats if s.term_number == current_number]
    current = [members[(current_number, s.person.index)] for s in current_seats]

    # One convener per sector: a standing member if there is one; fixed ones win.
    pairs: list[tuple[str, Member]] = []
    wanted = conveners or {}
    for name in SECTOR_NAMES:
        in_sector = [
            (s, members[(current_number, s.person.index)])
            for s in current_seats
            if s.sector == name and s.status == Member.Status.IN_OFFICE
        ]
        if not in_sector:
            continue
        if name in wanted:
            pick = members[(current_number, wanted[name])]
        else:
            standing = [m for s, m in in_sector if s.position == Member.Position.STANDING]
            pick = rng.choice(standing or [m for _, m in in_sector])
        # Drawn even for existing sectors: the plan must not depend on the database.
        if name in new_sectors:
            pairs.append((name, pick))
    seeder.conveners(sectors, pairs)

    def by_index(extra: dict[str, list[int]] | None) -> dict[str, list[Member]]:
        return {k: [members[(current_number, i)] for i in v] for k, v in (extra or {}).items()}

    seeder.studios(committee, spec.place, current, sectors, rng, by_index(studio_extra))
    seeder.stations(committee, spec.place, current, rng, pool, by_index(station_extra))
    return SeededCommittee(committee, terms, sectors, units, members, current)


def seed(*, stdout: Writer) -> list[tuple[str, str, str]]:
    """The demo committees, their rosters and one login per role."""
    rng = random.Random(SEED)  # noqa: S311 -- deterministic demo data, not security
    pool = PersonPool(rng)
    seeder = Seeder(stdout)

    # People with a seat on both committees (one login, the committee switcher).
    weiyuan = pool.new("科技界", "示例市", name=MEMBER_NAME, gender=Gender.MALE)
    convener = pool.new("教育界", "示例市", name=CONVENER_NAME, gender=Gender.FEMALE)
    both_a = pool.new("经济界", "示例市")
    both_b = pool.new("医药卫生界", "示例市")
    city_fixed = [
        SeatSpec(person=weiyuan, term_number=8, sector="科技界"),
        SeatSpec(
            person=convener, term_number=8, sector="教育界", position=Member.Position.STANDING
        ),
        SeatSpec(person=both_a, term_number=8, sector="经济界"),
        SeatSpec(person=both_b, term_number=8, sector="医药卫生界"),
    ]
    district_fixed = [
        SeatSpec(person=weiyuan, term_number=6, sector="科技界"),
        SeatSpec(person=both_a, term_number=6, sector="经济界"),
        SeatSpec(person=both_b, term_number=6, sector="医药卫生界"),
    ]
    city = seed_committee(
        CITY,
        seeder=seeder,
        pool=pool,
        fixed=city_fixed,
        conveners={"教育界": convener.index},
        studio_extra={
            "科技创新委员工作室": [weiyuan.index],
            "教育关爱委员工作室": [convener.index],
        },
        station_extra={"东城街道委员联络站": [weiyuan.index]},
    )
    district = seed_committee(
        DISTRICT,
        seeder=seeder,
        pool=pool,
        fixed=district_fixed,
        station_extra={"西湖街道委员联络站": [weiyuan.index]},
    )

    # Logins: one per role. All in the city committee unless said otherwise.
    c, d = city.committee, district.committee
    logins: list[tuple[str, str, str]] = []

    def login(description: str, user: User) -> None:
        logins.append((description, user.username, PASSWORD))

    member_person = city.seats[(8, weiyuan.index)].person
    user = seeder.user(
        "weiyuan", MEMBER_NAME, person=member_person, mobile=weiyuan.mobile
    )  # login by username or by mobile
    login(f"委员（示例市政协、示例区政协，也可用手机号 {weiyuan.mobile} 登录）", user)
    convener_person = city.seats[(8, convener.index)].person
    login(
        "界别召集人（示例市政协教育界，常委）",
        seeder.user("convener", CONVENER_NAME, person=convener_person),
    )

    area_names = {
        Area.PROPOSALS: "提案",
        Area.OPINIONS: "社情民意",
        Area.DUTIES: "履职活动",
        Area.CONSULTATIONS: "协商",
        Area.PUBLIC: "码上商群众意见",
        Area.ORG: "组织和委员名册",
    }
    for area in Area:
        if not area.value:
            continue
        label = area_names.get(area, str(area.label))
        user = seeder.user(f"staff_{area.value}", f"{label}工作人员")
        seeder.role(user, c, Role.STAFF, area=area.value)
        login(f"机关工作人员·{label}（示例市政协）", user)
    user = seeder.user("district_staff", "示例区政协组织工作人员")
    seeder.role(user, d, Role.STAFF, area=Area.ORG)
    login("机关工作人员·组织和委员名册（示例区政协）", user)

    user = seeder.user("leader", "主席会议成员")
    seeder.role(user, c, Role.LEADER)
    login("主席会议成员（示例市政协）", user)

    unit = city.units["示例市教育局"]
    user = seeder.user("unit", f"{unit.name}提案联络员")
    seeder.role(user, c, Role.UNIT, unit=unit)
    login(f"承办单位（{unit.name}）", user)

    user = seeder.user("gov_leader", "党政领导")
    seeder.role(user, c, Role.GOV_LEADER)
    login("党政领导（示例市）", user)

    # The three administrators are three different people (separation of duties)
    # and work in both committees.
    for username, role, label in (
        ("sysadmin", Role.SYSADMIN, "系统管理员"),
        ("secadmin", Role.SECADMIN, "安全管理员"),
        ("auditor", Role.AUDITOR, "审计管理员"),
    ):
        user = seeder.user(username, label)
        seeder.role(user, c, role)
        seeder.role(user, d, role)
        login(f"{label}（示例市政协、示例区政协）", user)

    if seeder.created:
        made = "，".join(f"{label} {n} 个" for label, n in seeder.created.items())
        stdout.write(f"org: 新建 {made}\n")
    else:
        stdout.write("org: 示例数据已存在，未作改动\n")
    return logins
