#!/usr/bin/env python
"""``make bench-province``: the key pages on the province dataset, each as its
proper role, against the two baselines (DESIGN §7, issue 16).

PostgreSQL only: DATABASE_URL must point at the database bench/province.py
builds (it is built first when the province committee is missing; pass
``--fraction`` for a smaller one). Each case is requested once to warm up,
once to count its SQL queries, then ``--runs`` times for the median and the
95th percentile, with bench/run.py's ``measure`` (whole requests through
Django's test Client, as the user the case names).

    DATABASE_URL=postgres://… python bench/run_province.py [--runs 20] [--fraction 1.0]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # bench/generate.py: the Django setup
import province  # bench/province.py: the dataset
import run  # bench/run.py: Case, measure, print_results


def cases() -> list[run.Case]:
    """The cases with the objects of the province they show (largest first)."""
    from django.db.models import Count

    from lvzhi.duties.models import Activity
    from lvzhi.org.models import Committee, Member
    from lvzhi.proposals.models import Proposal

    committee = Committee.objects.get(code=province.PROVINCE_CODE)
    proposal = (
        Proposal.objects.filter(committee=committee, status=Proposal.Status.CLOSED)
        .annotate(units=Count("assignments"))
        .order_by("-units", "-id")
        .first()
    )
    activity = (
        Activity.objects.filter(committee=committee, kind="plenary", state="closed")
        .order_by("-start_at")
        .first()
    )
    member = Member.objects.get(
        person__user__username=province.PROVINCE_MEMBER, term__is_current=True
    )
    staff, county = province.PROVINCE_STAFF, province.COUNTY_STAFF
    C = run.Case
    assert proposal is not None and activity is not None
    return [
        C(run.LOGIN_BASELINE, "accounts:login", anonymous=True),
        C(run.MINIMAL_BASELINE, "core:minimal", user=staff),
        C("home page (province staff)", "home", user=staff),
        C("proposal list (province office)", "proposals:list", user=staff),
        C("proposal list, search (province office)", "proposals:list", "q=养老", user=staff),
        C("proposal detail, closed, co-units", "proposals:detail", args=(proposal.pk,), user=staff),
        C("proposal statistics", "proposals:stats", user=staff),
        C("supervision board", "proposals:supervision", user=staff),
        C("unit inbox (handling unit)", "proposals:unit_inbox", user=province.PROVINCE_UNIT),
        C("activity list (province)", "duties:activity_list", user=staff),
        C(
            "activity detail, plenary half-day",
            "duties:activity_detail",
            args=(activity.pk,),
            user=staff,
        ),
        C("member list, current term", "org:member_list", user=staff),
        C("member list, all terms, last page", "org:member_list", "term=&page=9999", user=staff),
        C("member detail", "org:member_detail", args=(member.pk,), user=staff),
        C("points ranking", "points:ranking", user=staff),
        C("duty file of a member (staff)", "points:duty_file", args=(member.pk,), user=staff),
        C("public inbox", "public:inbox", user=staff),
        C("audit list (auditor)", "accounts:audit_list", user=province.PROVINCE_AUDITOR),
        C("my proposals (member)", "proposals:mine", user=province.PROVINCE_MEMBER),
        C("my duties (member)", "duties:my_duties", user=province.PROVINCE_MEMBER),
        C("my points (member)", "points:my_points", user=province.PROVINCE_MEMBER),
        C("my duty file (member)", "points:duty_file_mine", user=province.PROVINCE_MEMBER),
        C("proposal list (county office)", "proposals:list", user=county),
        C("activity list (county)", "duties:activity_list", user=county),
        C("member list (county)", "org:member_list", user=county),
        *assist_cases(proposal.pk),
        *report_cases(),
    ]


def assist_cases(proposal: int) -> list[run.Case]:
    """Search and similar proposals (issue 15) on the proposals' search
    entries bench/province.py writes: the office of the province and of a
    county, and a member (bench/assist_latency.py --province cycles through
    more queries and drafts)."""
    staff, county, member = province.PROVINCE_STAFF, province.COUNTY_STAFF, province.PROVINCE_MEMBER
    C = run.Case
    similar = f"proposal={proposal}"
    return [
        C("search 养老服务 (province staff)", "assist:search", "q=养老服务", user=staff),
        C("search 养老服务 (county staff)", "assist:search", "q=养老服务", user=county),
        C("search 养老服务 (member)", "assist:search", "q=养老服务", user=member),
        C(
            "similar proposals of a closed one (province staff)",
            "assist:similar",
            similar,
            user=staff,
        ),
    ]


def report_cases() -> list[run.Case]:
    """The reports pages (issue 13) for the year of the dataset's today: the
    leader's dashboard, each section, the roll-up, the year in words (and the
    report on proposals, the quarterly bulletin), the exports; a member's
    履职画像 and a unit's record."""
    from lvzhi.core.web import this_year
    from lvzhi.reports.figures import SECTIONS

    year = f"year={this_year()}"
    leader, staff, county = province.PROVINCE_LEADER, province.PROVINCE_STAFF, province.COUNTY_STAFF
    C = run.Case

    def q(*parts: str) -> str:
        return "&".join(p for p in (year, *parts) if p)

    return [
        C("reports: dashboard (leader)", "reports:dashboard", q(), user=leader),
        C("reports: dashboard (province staff)", "reports:dashboard", q(), user=staff),
        C("reports: dashboard (county staff)", "reports:dashboard", q(), user=county),
        *(
            C(f"reports: section {key} (leader)", "reports:section", q(), args=(key,), user=leader)
            for key in SECTIONS
        ),
        C("reports: roll-up (leader)", "reports:rollup", q(), user=leader),
        C("reports: year in words (leader)", "reports:year", q(), user=leader),
        C("reports: report on proposals", "reports:year", q("text=proposals"), user=leader),
        C("reports: quarterly bulletin", "reports:year", q("quarter=3"), user=leader),
        C("reports: year .docx", "reports:year_export", q(), user=leader),
        C(
            "reports: export .xlsx (by unit)",
            "reports:export",
            q("table=proposals.by_unit"),
            user=leader,
        ),
        C("reports: 履职画像 (member)", "reports:me", q(), user=province.PROVINCE_MEMBER),
        C("reports: unit record (unit)", "reports:unit", q(), user=province.PROVINCE_UNIT),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per case")
    parser.add_argument("--fraction", type=float, default=1.0, help="if the dataset is built")
    parser.add_argument(
        "--only", default="", help="only the cases whose label holds this (and the baselines)"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("bench/run_province.py needs DATABASE_URL=postgres://… (see --help)")
    generate.setup_django()
    province.refuse_sqlite()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from lvzhi.accounts.models import User

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if not province.exists():
        province.print_report(province.build(args.fraction))
    province.tune_like_deploy()
    print(f"database: {settings.DATABASES['default']['NAME']}; load average: {load()}")
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # quiets whitenoise
    setup_test_environment()  # lets the test Client in whatever ALLOWED_HOSTS says
    clients: dict[str, Any] = {"": Client()}
    results = []
    started = time.monotonic()
    chosen = [
        c
        for c in cases()
        if args.only in c.label or c.label in (run.LOGIN_BASELINE, run.MINIMAL_BASELINE)
    ]
    for case in chosen:
        if case.user not in clients:
            client = Client()
            client.force_login(User.objects.get(username=case.user))
            clients[case.user] = client
        results.append(run.measure(clients[case.user], case, args.runs))
    print(f"measured in {time.monotonic() - started:.0f} s; load average: {load()}\n")
    run.print_results(results)
    over = [r for r in results if r.status == "ok" and (r.p95_ms > 100 or r.queries > 15)]
    if over:
        print("\nover budget (p95 > 100 ms or > 15 queries):")
        for r in over:
            print(f"  {r.label}: p95 {r.p95_ms:.0f} ms, {r.queries} queries")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
