#!/usr/bin/env python
"""``make bench-assist``: latency of the search page and of the similar-
proposal fragment on a province-sized index (issue 15: p95 ≤ 100 ms).

The dataset is the generated county history (lvzhi/assist/corpus.py, ~370
proposals over five years) loaded with its own seed into each of
``--committees`` committees — one province and the counties below it — so
the texts vary between committees as they do between real counties, bulk
inserted by ``corpus_load``, then indexed (``indexing.rebuild``). Each case
is then requested ``--runs`` times through Django's test Client, cycling
through varied queries or drafts (and the search page with no query, the
floor), and p50 / p95 / max of the wall clock, p50 / p95 of this process's
CPU time and the SQL queries of one request are printed, with the load
average before and after (the figures mean little without it on a shared
machine). Times include the whole request (middleware, the page's fixed
queries, rendering), not only the engine. On PostgreSQL the tables are
analyzed after loading.

Uses its own database: LVZHI_VAR_DIR (default var/bench-assist/, SQLite) or
DATABASE_URL when set (point it at a scratch PostgreSQL database). A second
run reuses what the first built.

``--province`` builds nothing and measures the province dataset
(bench/province.py, which writes the proposals' search entries) in
DATABASE_URL as it is, with its bench logins: the province's and a
county's proposal staff, a member of each.

    python bench/assist_latency.py [--committees 140] [--runs 60]
    DATABASE_URL=postgres://… python bench/assist_latency.py --province
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # bench/generate.py, next to this file: the Django setup

VAR_DIR = generate.ROOT / "var" / "bench-assist"  # not bench/run.py's database
PREFIX = "bench-assist"
PROVINCE = f"{PREFIX}-province"
MEMBERS = 12  # per committee; the corpus spreads its proposals over them
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
GIVEN = [
    "志远",
    "海燕",
    "建国",
    "秀兰",
    "晓东",
    "丽华",
    "振宇",
    "春梅",
    "立新",
    "雪松",
    "文静",
    "国栋",
]
QUERIES = [
    "校门口 交通",
    "农村公路",
    "养老服务",
    "村卫生室",
    "拖欠工资",
    "停车难",
    "垃圾分类",
    "饮用水 安全",
    "学校",
    "建议",
    "关于加强农村公路养护的建议",
    "赵志远",
]


def _committee(code: str, name: str, level: str, parent: Any) -> Any:
    from lvzhi.org.models import Committee, Member, Person, Term

    committee = Committee.objects.create(code=code, name=name, level=level, parent=parent)
    term = Term.objects.create(
        committee=committee,
        number=1,
        name="第一届",
        start_date=dt.date(2020, 1, 1),
        is_current=True,
    )
    people = Person.objects.bulk_create(
        [
            Person(name=SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)], gender="M")
            for i in range(MEMBERS)
        ]
    )
    Member.objects.bulk_create(
        [
            Member(committee=committee, term=term, person=p, start_date=dt.date(2020, 1, 1))
            for p in people
        ]
    )
    return committee


def build(committees: int) -> None:
    """Create the committees still missing, each with its own corpus seed."""
    from lvzhi.assist.corpus_load import corpus_load
    from lvzhi.org.models import Committee

    province = Committee.objects.filter(code=PROVINCE).first()
    if province is None:
        province = _committee(PROVINCE, "基准省政协", Committee.Level.PROVINCIAL, None)
        corpus_load(province, seed=1000)
    have = Committee.objects.filter(parent=province).count()
    for i in range(have + 1, committees):
        county = _committee(
            f"{PREFIX}-{i:03d}", f"基准省第{i}县政协", Committee.Level.COUNTY, province
        )
        corpus_load(county, seed=1000 + i)


def users() -> dict[str, Any]:
    """A county's proposal staff, a county member with proposals of their
    own, and the province's proposal staff (whose similar list spans the
    province and every county below)."""
    from lvzhi.accounts.models import Area, Role, RoleAssignment, User
    from lvzhi.org.models import Committee, Member

    county = Committee.objects.get(code=f"{PREFIX}-001")
    province = Committee.objects.get(code=PROVINCE)
    found = {}
    for key, committee in (("county staff", county), ("province staff", province)):
        user, made = User.objects.get_or_create(username=f"{PREFIX}-{committee.pk}-staff")
        if made:
            RoleAssignment.objects.create(
                user=user, committee=committee, role=Role.STAFF, area=Area.PROPOSALS
            )
        found[key] = (user, committee)
    member = Member.objects.filter(committee=county).select_related("person").order_by("id")[0]
    if member.person.user is None:
        member.person.user = User.objects.create(username=f"{PREFIX}-member")
        member.person.save(update_fields=["user"])
    found["county member"] = (member.person.user, county)
    return found


def province_users() -> dict[str, Any]:
    """The province dataset's logins (bench/province.py), each in its committee."""
    import province

    from lvzhi.accounts.models import RoleAssignment, User
    from lvzhi.org.models import Member

    found = {}
    for key, name in (
        ("county staff", province.COUNTY_STAFF),
        ("province staff", province.PROVINCE_STAFF),
    ):
        role = RoleAssignment.objects.select_related("user", "committee").filter(
            user__username=name
        )[0]  # one per area, all in the one committee
        found[key] = (role.user, role.committee)
    for key, name in (
        ("county member", province.COUNTY_MEMBER),
        ("province member", province.PROVINCE_MEMBER),
    ):
        seat = Member.objects.select_related("committee").get(
            person__user__username=name, term__is_current=True
        )
        found[key] = (User.objects.get(username=name), seat.committee)
    return found


def drafts() -> list[dict[str, str]]:
    """Drafts nobody filed: the same generator with a seed no committee has."""
    from lvzhi.assist import corpus

    rows = corpus.generate(first_year=dt.date.today().year, seed=7)[::9][:40]
    return [{"title": r.title, "reason": r.reason, "suggestions": r.suggestions} for r in rows]


def measure(
    client: Any, request: Any, payloads: list[Any], runs: int
) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU milliseconds of each request, and the queries of one.
    The CPU time is this process's only (Django, and SQLite, which runs in
    it; not the PostgreSQL server's): on a shared machine it moves less with
    the other jobs than the wall clock does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lvzhi.assist.tokens import forget_lines

    request(client, payloads[0])  # warm: the session's first request stores its clocks
    timings, cpu = [], []
    for n in range(runs):
        forget_lines()  # the drafts recur every 40 requests: each is cut afresh
        started, started_cpu = time.perf_counter(), time.process_time()
        response = request(client, payloads[n % len(payloads)])
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        request(client, payloads[0])
    return timings, cpu, len(queries)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--committees", type=int, default=140, help="province + counties")
    parser.add_argument("--runs", type=int, default=60, help="requests per case")
    parser.add_argument(
        "--province",
        action="store_true",
        help="measure the province dataset in DATABASE_URL (bench/province.py); build nothing",
    )
    args = parser.parse_args()
    os.environ.setdefault("LVZHI_VAR_DIR", str(VAR_DIR))
    generate.setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from lvzhi.assist import indexing
    from lvzhi.assist.models import Kind, SearchEntry
    from lvzhi.proposals.models import Proposal

    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)

    started = time.monotonic()
    if args.province:
        import province

        province.refuse_sqlite()
        if not province.exists():
            raise SystemExit("no province dataset here: build it with bench/province.py")
        province.tune_like_deploy()  # the planner settings run_province.py measures with
    else:
        build(args.committees)
    proposals = Proposal.objects.count()
    print(f"dataset: {proposals:,} proposals ({time.monotonic() - started:.0f} s)")
    if not args.province and SearchEntry.objects.filter(kind=Kind.PROPOSAL).count() != proposals:
        started = time.monotonic()
        indexing.rebuild([Kind.PROPOSAL])
        print(f"index: {time.monotonic() - started:.0f} s")
    print(f"index: {SearchEntry.objects.filter(kind=Kind.PROPOSAL).count():,} proposal entries")
    if connection.vendor == "postgresql" and not args.province:
        # Planner statistics for the bulk-loaded tables, as autovacuum would
        # gather them on a live server (it is off on the shared test server).
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"analyze: {time.monotonic() - started:.0f} s")

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # quiets whitenoise
    setup_test_environment()  # lets the test Client in whatever ALLOWED_HOSTS says
    search_url, similar_url = reverse("assist:search"), reverse("assist:similar")

    def search(client: Any, q: str) -> Any:
        return client.get(search_url, {"q": q})

    def similar(client: Any, draft: dict[str, str]) -> Any:
        return client.post(similar_url, draft)

    texts = drafts()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"\n{'case':<34} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
        f" {'cpu p50':>8} {'cpu p95':>8} {'queries':>8}"
    )
    cases = (
        ("search", search, QUERIES),
        ("similar", similar, texts),
        # The floor: the same page with no query (middleware, the page's
        # fixed queries, rendering), so what the search itself costs shows.
        ("no query", search, [""]),
    )
    for who, (user, _committee) in (province_users() if args.province else users()).items():
        client = Client()
        client.force_login(user)
        for label, request, payloads in cases:
            timings, cpu, queries = measure(client, request, payloads, args.runs)
            print(
                f"{label + ', ' + who:<34} {statistics.median(timings):>7.0f} {p95(timings):>7.0f}"
                f" {max(timings):>7.0f} {statistics.median(cpu):>8.0f} {p95(cpu):>8.0f}"
                f" {queries:>8}"
            )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
