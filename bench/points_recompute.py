#!/usr/bin/env python
"""Time a points recalculation against the raw GROUP BY it rests on.

Committee-year (the default): on the county dataset of bench/generate.py
(its own database, var/bench/ by default), each member in office gets
``--records`` duty records of the year (once; joint works of three members
among them, so the grouped read's lookup of places in work runs too).

Province-year (``--committees N``): N more committees (bench-prov-001 …)
of ``--members`` members in office each (one chair, a tenth standing
members), every member with the same ``--records`` records of the year
(once), and a policy per committee.

Then, ``--runs`` times each (taking turns), after ANALYZE:

* the raw read: one GROUP BY of the year's live records of those
  committees over member, kind and share (what any score needs at the
  least), fetched into Python;
* the recalculation: ``scoring.recalculate`` of each committee's year under
  the Tongcheng 2019 scheme (roles in joint work; ``--scheme`` another
  shipped one) — the grouped read, the evaluation over the grouped rows,
  one INSERT … ON CONFLICT DO UPDATE — inside one transaction rolled back.

It prints the medians and their ratio (the target is at most 2×, DESIGN §7;
the best times' ratio beside it), how the recalculation's time divides
(reads, evaluation, write; one run) and the load average of the machine,
and exits 1 above the target. Figures: docs/points.md, "Recomputation
speed".

    python bench/points_recompute.py [--records 100] [--runs 9]
    python bench/points_recompute.py --committees 100 [--members 500]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # bench/generate.py, next to this file

YEAR = 2026
TARGET = 2.0
SCHEME = "tongcheng-2019"
PROVINCE_PREFIX = "bench-prov-"


def _timed(actions: list[Callable[[], object]], runs: int) -> list[list[float]]:
    """Each action's times, the actions taking turns (the machine is shared:
    a burst of load falls on both alike)."""
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(runs):
        for action, spent in zip(actions, times, strict=True):
            start = time.perf_counter()
            action()
            spent.append(time.perf_counter() - start)
    return times


def _records(committee: Any, per_member: int) -> None:
    """``per_member`` records of the year for each member in office (once)."""
    import datetime as dt
    from decimal import Decimal

    from django.contrib.contenttypes.models import ContentType

    from lvzhi.duties.models import DutyKind, DutyRecord
    from lvzhi.points.scoring import scored_members

    if DutyRecord.objects.filter(committee=committee, date__year=YEAR).exists():
        return
    kinds = [
        DutyKind.RESEARCH,
        DutyKind.PLENARY_ATTENDED,
        DutyKind.OPINION_SUBMITTED,
        DutyKind.STANDING_EXCUSED,
        DutyKind.PROPOSAL_FILED,
    ]
    members = list(scored_members(committee.pk).order_by("pk").values_list("pk", flat=True))
    source_type = ContentType.objects.get_for_model(committee)
    # The county committee keeps its first numbering; each other committee
    # its own range, so no two committees share a work.
    offset = 0 if committee.code == generate.BENCH_CODE else committee.pk * 10**10
    rows = []
    for i, member_id in enumerate(members):
        for j in range(per_member):
            kind = kinds[j % len(kinds)]
            # Proposals: joint works of three members (one source per triple).
            if kind == DutyKind.PROPOSAL_FILED:
                source_id = offset + 10**9 + (i // 3) * per_member + j
            else:
                source_id = offset + i * per_member + j
            rows.append(
                DutyRecord(
                    committee=committee,
                    member_id=member_id,
                    kind=kind,
                    date=dt.date(YEAR, 1 + j % 12, 1 + j % 28),
                    share=Decimal("0.3333") if kind == DutyKind.PLENARY_ATTENDED else Decimal(1),
                    source_type=source_type,
                    source_id=source_id,
                )
            )
    from django.db import connection

    if connection.vendor != "postgresql":
        DutyRecord.objects.bulk_create(rows, batch_size=5000)
        return
    # PostgreSQL: COPY, several times faster for a province of records.
    now = dt.datetime.now(dt.UTC)
    columns = "committee_id, member_id, kind, date, share, title, source_type_id, source_id, "
    columns += "created_at, withdrawn_reason"
    with connection.cursor() as cursor:
        copy_sql = f"COPY {DutyRecord._meta.db_table} ({columns}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for r in rows:
                copy.write_row(
                    (
                        r.committee_id,
                        r.member_id,
                        r.kind,
                        r.date,
                        r.share,
                        "",
                        r.source_type_id,
                        r.source_id,
                        now,
                        "",
                    )
                )


def _province(count: int, members: int, per_member: int) -> list[Any]:
    """``count`` committees of ``members`` members in office each, with
    their records of the year (what is missing of them)."""
    import datetime as dt

    from django.db import transaction

    from lvzhi.org.models import Committee, Member, Person, Sector, Term

    committees = []
    for n in range(1, count + 1):
        code = f"{PROVINCE_PREFIX}{n:03d}"
        with transaction.atomic():
            committee, created = Committee.objects.get_or_create(
                code=code,
                defaults={"name": f"基准省第{n}委员会", "level": Committee.Level.COUNTY},
            )
            if created:
                term = Term.objects.create(
                    committee=committee,
                    number=1,
                    name="第一届",
                    start_date=dt.date(2023, 1, 6),
                    is_current=True,
                )
                sector = Sector.objects.create(committee=committee, name="基准界")
                people = Person.objects.bulk_create(
                    [
                        Person(name=f"省基准{n}-{i}", gender="F", party="nonparty")
                        for i in range(members)
                    ],
                    batch_size=2000,
                )
                Member.objects.bulk_create(
                    [
                        Member(
                            committee=committee,
                            term=term,
                            person=person,
                            sector=sector,
                            start_date=dt.date(2023, 1, 6),
                            position=(
                                Member.Position.CHAIR
                                if i == 0
                                else Member.Position.STANDING
                                if i % 10 == 0
                                else Member.Position.MEMBER
                            ),
                        )
                        for i, person in enumerate(people)
                    ],
                    batch_size=2000,
                )
            _records(committee, per_member)
        committees.append(committee)
    return committees


def _policy(committee: Any, scheme: str) -> Any:
    """The committee's draft policy of a shipped scheme for the year (made once)."""
    from lvzhi.points import presets, services
    from lvzhi.points.models import Policy

    document = presets.scheme_preset(scheme)
    existing = (
        Policy.objects.filter(committee=committee, year=YEAR, name__startswith=document["name"])
        .order_by("-version")
        .first()
    )
    if existing is not None:
        return existing
    return services.policy_import(committee=committee, year=YEAR, actor=None, document=document)


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--committees", type=int, default=0, help="province-year: this many committees"
    )
    parser.add_argument("--members", type=int, default=500, help="members per committee")
    parser.add_argument("--scheme", default=SCHEME, help="the shipped scheme to score with")
    args = parser.parse_args()
    generate.setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count

    call_command("migrate", verbosity=0)
    from lvzhi.duties.models import DutyRecord
    from lvzhi.org.models import Committee
    from lvzhi.points import language, scoring

    started = time.perf_counter()
    if args.committees:
        committees = _province(args.committees, args.members, args.records)
    else:
        generate.generate()
        committees = [Committee.objects.get(code=generate.BENCH_CODE)]
        _records(committees[0], args.records)
    policies = [_policy(c, args.scheme) for c in committees]
    _analyze()
    print(f"dataset ready in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    ids = [c.pk for c in committees]
    year_records = DutyRecord.objects.filter(
        committee_id__in=ids, withdrawn_at__isnull=True, date__year=YEAR
    )

    def raw() -> object:
        return list(
            year_records.order_by()
            .values_list("member_id", "kind", "share")
            .annotate(n=Count("id"))
        )

    def recompute() -> object:
        with transaction.atomic():
            count = sum(scoring.recalculate(policy) for policy in policies)
            transaction.set_rollback(True)
        return count

    # Where the recalculation's time goes: its reads, the evaluation over
    # the grouped rows and the write (once each, outside the medians).
    schemes = [scoring.scheme_of(p) for p in policies]
    tick = time.perf_counter()
    years = [
        scoring.member_years(s, p.committee_id, p.year)
        for s, p in zip(schemes, policies, strict=True)
    ]
    read_time = time.perf_counter() - tick
    members = sum(len(y) for y in years)
    split = ""
    if hasattr(language, "outcomes"):  # not before the set-based evaluation
        tick = time.perf_counter()
        results = [language.outcomes(s, y) for s, y in zip(schemes, years, strict=True)]
        evaluate_time = time.perf_counter() - tick
        with transaction.atomic():
            tick = time.perf_counter()
            for policy, result in zip(policies, results, strict=True):
                scoring._store(policy, result)
            write_time = time.perf_counter() - tick
            transaction.set_rollback(True)
        split = (
            f"  once: reads {read_time * 1000:.1f} ms, evaluation {evaluate_time * 1000:.1f} ms, "
            f"write {write_time * 1000:.1f} ms\n"
        )

    load_before = os.getloadavg()
    raw_times, recompute_times = _timed([raw, recompute], args.runs)
    load_after = os.getloadavg()
    raw_time, recompute_time = map(statistics.median, (raw_times, recompute_times))
    ratio = recompute_time / raw_time if raw_time else float("inf")
    best = min(recompute_times) / min(raw_times)
    print(
        f"{args.scheme}: {len(committees)} committee(s), {members} scored members, "
        f"{year_records.count()} records of {YEAR}"
    )
    print(
        f"raw GROUP BY     {raw_time * 1000:9.1f} ms  "
        f"(median of {args.runs}; best {min(raw_times) * 1000:.1f} ms)"
    )
    print(
        f"recalculation    {recompute_time * 1000:9.1f} ms  ({ratio:.2f}× the raw read; "
        f"best {min(recompute_times) * 1000:.1f} ms, {best:.2f}×)"
    )
    print(split, end="")
    print(
        "load average     "
        + " → ".join(" ".join(f"{x:.2f}" for x in load) for load in (load_before, load_after))
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
