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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from lvzhi.accounts.models import Area, Role, User
from lvzhi.org.demo.data import (
    CLUSTERS,
    CN_DIGITS,
    DEMOCRATIC_PARTIES,
    EDUCATIONS,
    EMPLOYERS,
    ETHNICITIES,
    FEMALE_CHARS,
    MALE_CHARS,
    OPENING_HOURS,
    PASSWORD,
    RESIGN_REASONS,
    SECTOR_NAMES,
    SECTOR_PARTY,
    SEED,
    SPECIAL_COMMITTEES,
    STREETS,
    STUDIOS,
    SURNAMES,
    UNITS,
    Writer,
    cn_number,
)
from lvzhi.org.demo.plan import (
    CommitteeSpec,
    PersonPool,
    PersonSpec,
    SeatSpec,
    TermSpec,
    build_roster,
)
from lvzhi.org.demo.seeder import Seeder
from lvzhi.org.models import Committee, Gender, HandlingUnit, Member, Sector, Term

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


__all__ = [
    "CITY",
    "CITY_SIZES",
    "CLUSTERS",
    "CN_DIGITS",
    "CONVENER_NAME",
    "DEMOCRATIC_PARTIES",
    "DISTRICT",
    "DISTRICT_SIZES",
    "EDUCATIONS",
    "EMPLOYERS",
    "ETHNICITIES",
    "FEMALE_CHARS",
    "MALE_CHARS",
    "MEMBER_NAME",
    "OPENING_HOURS",
    "PASSWORD",
    "RESIGN_REASONS",
    "SECTOR_NAMES",
    "SECTOR_PARTY",
    "SEED",
    "SPECIAL_COMMITTEES",
    "STREETS",
    "STUDIOS",
    "SURNAMES",
    "UNITS",
    "CommitteeSpec",
    "PersonPool",
    "PersonSpec",
    "SeatSpec",
    "SeededCommittee",
    "Seeder",
    "TermSpec",
    "Writer",
    "build_roster",
    "cn_number",
    "seed",
    "seed_committee",
]
