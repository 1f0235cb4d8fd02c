#!/usr/bin/env python
"""Time a points recalculation against the raw GROUP BY it rests on.

On the county dataset of bench/generate.py (its own database, var/bench/ by
default), each member in office gets ``--records`` duty records of the year
(once; joint works of three members among them, so the slower grouped read
with places in work runs too). Then, ``--runs`` times each:

* the raw read: one GROUP BY of the year's live records over member, kind
  and share (what any score needs at the least);
* ``scoring.recalculate`` of the year under the Tongcheng 2019 scheme (roles
  in joint work) — the grouped reads, the evaluation per member in exact
  fractions, one INSERT and one UPDATE — inside a transaction rolled back.

It prints the medians and their ratio; the target is at most 2×, and exits
1 above it.

    python bench/points_recompute.py [--records 100] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # bench/generate.py, next to this file

YEAR = 2026
TARGET = 2.0


def _median(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _records(committee, per_member: int) -> None:
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
    members = list(scored_members(committee.pk).values_list("pk", flat=True))
    source_type = ContentType.objects.get_for_model(committee)
    rows = []
    for i, member_id in enumerate(members):
        for j in range(per_member):
            kind = kinds[j % len(kinds)]
            # Proposals: joint works of three members (one source per triple).
            if kind == DutyKind.PROPOSAL_FILED:
                source_id = 10**9 + (i // 3) * per_member + j
            else:
                source_id = i * per_member + j
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
    DutyRecord.objects.bulk_create(rows, batch_size=5000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    generate.setup_django()
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Count

    call_command("migrate", verbosity=0)
    generate.generate()
    from lvzhi.duties.models import DutyRecord
    from lvzhi.org.models import Committee
    from lvzhi.points import presets, scoring, services

    committee = Committee.objects.get(code=generate.BENCH_CODE)
    _records(committee, args.records)
    policy = services.policy_import(
        committee=committee, year=YEAR, actor=None, document=presets.scheme_preset("tongcheng-2019")
    )

    def raw() -> object:
        return list(
            DutyRecord.objects.filter(
                committee=committee, withdrawn_at__isnull=True, date__year=YEAR
            )
            .order_by()
            .values_list("member_id", "kind", "share")
            .annotate(n=Count("id"))
        )

    def recompute() -> object:
        with transaction.atomic():
            count = scoring.recalculate(policy)
            transaction.set_rollback(True)
        return count

    records = DutyRecord.objects.filter(committee=committee, date__year=YEAR).count()
    raw_time = _median(raw, args.runs)
    recompute_time = _median(recompute, args.runs)
    ratio = recompute_time / raw_time if raw_time else float("inf")
    print(f"records of {YEAR}: {records}")
    print(f"raw GROUP BY     {raw_time * 1000:9.1f} ms")
    print(f"recalculation    {recompute_time * 1000:9.1f} ms  ({ratio:.2f}× the raw read)")
    policy.delete()
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
