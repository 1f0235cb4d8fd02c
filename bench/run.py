#!/usr/bin/env python
"""``make bench``: time the pages that grow with the data, on a county dataset.

Uses its own database (LVZHI_VAR_DIR, default var/bench/; DATABASE_URL, if
set, is used as it is — point it at a scratch database), migrates it,
generates the dataset of bench/generate.py when it is missing, then measures
each case with Django's test Client as the office-staff user ``bench_staff``:
the median, fastest, 95th percentile and slowest of several runs and the
number of SQL queries of one request. The query count is the number to watch: it must stay the same
whatever the size of the data (DESIGN §7).

Two baselines are served in the same run: the anonymous login page and the
logged-in minimal page (``core:minimal``: the same middleware, menu and header
as every page, a one-line body). Each page's ``× minimal`` is its median over
the minimal page's, so what a page costs above the fixed cost is plain.

    python bench/run.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # bench/generate.py, next to this file


@dataclass(frozen=True)
class Case:
    label: str
    url_name: str
    query: str = ""
    anonymous: bool = False
    args: tuple[object, ...] = ()  # the URL's arguments (a detail page's pk)
    user: str = ""  # who requests it (bench/run_province.py); "": the run's default user


LOGIN_BASELINE = "baseline: login page, anonymous"
MINIMAL_BASELINE = "baseline: minimal page, logged in"
CASES = (
    Case(LOGIN_BASELINE, "accounts:login", anonymous=True),
    Case(MINIMAL_BASELINE, "core:minimal"),
    Case("home page", "home"),
    Case("proposal list (office)", "proposals:list"),
    Case("public inbox", "public:inbox"),
    Case("activity list", "duties:activity_list"),
    Case("member list, current term, page 1", "org:member_list"),
    Case("member list, current term, page 8", "org:member_list", "page=8"),
    Case("member list, all terms, page 1", "org:member_list", "term="),
    Case("member list, all terms, last page", "org:member_list", "term=&page=9999"),
    Case("member list, search by surname", "org:member_list", "q=王"),
    Case("member list, standing members only", "org:member_list", "position=standing"),
    Case("roster export .xlsx, current term", "org:roster_export"),
    Case("roster export .xlsx, all terms", "org:roster_export", "term="),
)


@dataclass
class Result:
    label: str
    status: str
    median_ms: float = 0.0
    min_ms: float = 0.0
    max_ms: float = 0.0
    p95_ms: float = 0.0
    queries: int = 0
    size: int = 0


def measure(client: object, case: Case, runs: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(case.url_name, args=case.args)
    except NoReverseMatch:
        return Result(case.label, f"skipped: no URL named {case.url_name} yet")
    if case.query:
        url += "?" + case.query

    def fetch() -> tuple[int, int]:
        response = client.get(url)  # type: ignore[attr-defined]
        streaming = response.streaming
        body = b"".join(response.streaming_content) if streaming else response.content
        return response.status_code, len(body)

    fetch()  # warm caches: templates, the session, the first connection
    with CaptureQueriesContext(connection) as queries:
        status, size = fetch()
    # Read now: the next request clears the connection's query log.
    query_count = len(queries)
    if status != 200:
        return Result(case.label, f"HTTP {status} at {url}", queries=query_count)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fetch()
        timings.append((time.perf_counter() - started) * 1000)
    return Result(
        case.label,
        "ok",
        median_ms=statistics.median(timings),
        min_ms=min(timings),
        max_ms=max(timings),
        p95_ms=p95(timings),
        queries=query_count,
        size=size,
    )


def p95(timings: list[float]) -> float:
    """The 95th percentile (inclusive method: within the measured range)."""
    if len(timings) < 2:
        return timings[0] if timings else 0.0
    return statistics.quantiles(timings, n=20, method="inclusive")[-1]


def print_results(results: list[Result], write: Callable[[str], object] = print) -> None:
    minimal = next((r for r in results if r.label == MINIMAL_BASELINE and r.status == "ok"), None)
    header = (
        f"{'case':<40} {'median ms':>10} {'min':>8} {'p95':>8} {'max':>8} {'queries':>8}"
        f" {'bytes':>9} {'x minimal':>10}"
    )
    write(header)
    write("-" * len(header))
    for r in results:
        if r.status != "ok":
            write(f"{r.label:<40} {r.status}")
            continue
        ratio = f"{r.median_ms / minimal.median_ms:>10.2f}" if minimal else f"{'':>10}"
        write(
            f"{r.label:<40} {r.median_ms:>10.1f} {r.min_ms:>8.1f} {r.p95_ms:>8.1f}"
            f" {r.max_ms:>8.1f} {r.queries:>8} {r.size:>9} {ratio}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case")
    args = parser.parse_args()

    generate.setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from lvzhi.accounts.models import User

    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    print(f"migrate: {time.monotonic() - started:.1f} s")
    for label, count in generate.generate().items():
        print(f"{label:>24}: {count}")

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # quiets whitenoise
    setup_test_environment()  # lets the test Client in whatever ALLOWED_HOSTS says
    client = Client()
    client.force_login(User.objects.get(username=generate.BENCH_USERNAME))
    anonymous = Client()
    results = [measure(anonymous if case.anonymous else client, case, args.runs) for case in CASES]
    print()
    print_results(results)
    skipped = [r for r in results if r.status != "ok"]
    if skipped:
        print(f"\n{len(skipped)} case(s) not measured; see the status column.")


if __name__ == "__main__":
    main()
