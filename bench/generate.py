#!/usr/bin/env python
"""A county-sized dataset for the benchmarks (DESIGN §7): one committee,
bench-county, with about 400 members in each of 5 terms (25 years, a plenary
session each year), 18 sectors, 8 special committees, 25 handling units,
12 studios and 10 stations, and an office-staff login ``bench_staff``.

It reuses the demo's generator (lvzhi/org/demo.py), so the people are just
as fictional (ID region 99xxxx), and it is idempotent: a second run adds
nothing. The data go into the database the settings point to; bench/run.py
points them at var/bench/ so the demo database is never touched.

    python bench/generate.py          # LVZHI_VAR_DIR defaults to var/bench
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_CODE = "bench-county"
BENCH_USERNAME = "bench_staff"
MEMBERS_PER_TERM = 400
TERMS = 5


def setup_django() -> None:
    """Settings for a bench run: the project on sys.path and var/bench/."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    os.environ.setdefault("LVZHI_VAR_DIR", str(ROOT / "var" / "bench"))
    import django

    django.setup()


def bench_spec() -> Any:
    from lvzhi.org import demo
    from lvzhi.org.models import Committee

    # The demo's sector mix scaled to MEMBERS_PER_TERM seats.
    total = sum(demo.CITY_SIZES.values())
    sizes = {k: max(2, round(v * MEMBERS_PER_TERM / total)) for k, v in demo.CITY_SIZES.items()}
    sizes["经济界"] += MEMBERS_PER_TERM - sum(sizes.values())
    terms = []
    for i in range(TERMS):
        number = 9 - i
        start = date(2023 - 5 * i, 1, 6)
        end = None if i == 0 else date(2028 - 5 * i, 1, 5)
        terms.append(demo.TermSpec(number, start, end, i == 0, demo._openings(start, 5), 3))
    return demo.CommitteeSpec(
        code=BENCH_CODE,
        name="中国人民政治协商会议基准县委员会",
        short_name="基准县政协",
        level=Committee.Level.COUNTY,
        place="基准县",
        parent_code=None,
        terms=tuple(terms),
        sector_sizes=sizes,
        vice_chairs=6,
        standing=40,
        resigned=6,
        court="基准县人民法院",
        lower_unit="基准县城关镇人民政府",
    )


def generate(stdout: Any = sys.stdout) -> dict[str, int]:
    """Create what is missing of the bench dataset; returns the row counts."""
    from django.db import transaction

    from lvzhi.accounts.models import Area, Role
    from lvzhi.org import demo
    from lvzhi.org.models import Committee, Member, Person

    started = time.monotonic()
    with transaction.atomic():
        rng = random.Random(demo.SEED + 1)  # benchmark data, not security
        # Own ID region (9902xx) and mobile block, apart from the demo's.
        pool = demo.PersonPool(rng, region="9902", mobile="1399")
        seeder = demo.Seeder(stdout)
        seeded = demo.seed_committee(bench_spec(), seeder=seeder, pool=pool)
        user = seeder.user(BENCH_USERNAME, "基准测试工作人员")
        # Staff of every area a measured page belongs to (bench/run.py CASES).
        for area in (Area.ORG, Area.PROPOSALS, Area.PUBLIC, Area.DUTIES):
            seeder.role(user, seeded.committee, Role.STAFF, area=area)
    committee = Committee.objects.get(code=BENCH_CODE)
    counts = {
        "members (all terms)": Member.objects.filter(committee=committee).count(),
        "members (current term)": Member.objects.filter(
            committee=committee, term__is_current=True
        ).count(),
        "persons": Person.objects.filter(memberships__committee=committee).distinct().count(),
    }
    made = ", ".join(f"{k} {v}" for k, v in seeder.created.items()) or "nothing new"
    stdout.write(f"generate: {made} in {time.monotonic() - started:.1f} s\n")
    return counts


def main() -> None:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    for label, count in generate().items():
        print(f"{label:>24}: {count}")


if __name__ == "__main__":
    main()
