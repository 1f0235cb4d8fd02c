"""Seeds the holiday table (节假日安排) for 2026 and 2027.

2026 follows the State Council General Office's notice on the 2026 public
holidays (国务院办公厅关于2026年部分节假日安排的通知, 4 November 2025):
every day off (放假) and every make-up working day on a weekend (调休上班).

2027 had not been published when this was written. Its rows follow the
standard pattern under the holiday rules in force since 2025 (元旦 1 day,
春节 4 days from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3, bridged to
the weekend with make-up working days); the 春节 and 劳动节 make-up days are an
informed guess. Staff must check every year's rows against the State
Council notice when it comes out (usually in November) and correct them on
the holiday calendar page (core:holiday_list): the table is editable data,
this migration only gives it a starting point.

The reverse deletes exactly the dates seeded here.
"""

from datetime import date, timedelta

from django.db import migrations

HOLIDAY = "holiday"
WORKDAY = "workday"


def _span(first: date, last: date, name: str) -> list[tuple[date, str, str]]:
    days = (last - first).days + 1
    return [(first + timedelta(days=i), HOLIDAY, name) for i in range(days)]


def _workday(day: date, festival: str) -> tuple[date, str, str]:
    return (day, WORKDAY, f"{festival}调休上班")


SCHEDULE: list[tuple[date, str, str]] = [
    # 2026 — 国务院办公厅通知 (2025-11-04).
    *_span(date(2026, 1, 1), date(2026, 1, 3), "元旦"),
    _workday(date(2026, 1, 4), "元旦"),
    _workday(date(2026, 2, 14), "春节"),
    *_span(date(2026, 2, 15), date(2026, 2, 23), "春节"),
    _workday(date(2026, 2, 28), "春节"),
    *_span(date(2026, 4, 4), date(2026, 4, 6), "清明节"),
    *_span(date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
    _workday(date(2026, 5, 9), "劳动节"),
    *_span(date(2026, 6, 19), date(2026, 6, 21), "端午节"),
    _workday(date(2026, 9, 20), "国庆节"),
    *_span(date(2026, 9, 25), date(2026, 9, 27), "中秋节"),
    *_span(date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
    _workday(date(2026, 10, 10), "国庆节"),
    # 2027 — standard pattern; check against the State Council notice.
    *_span(date(2027, 1, 1), date(2027, 1, 3), "元旦"),
    _workday(date(2027, 1, 31), "春节"),
    *_span(date(2027, 2, 5), date(2027, 2, 13), "春节"),  # 除夕 Fri 5 Feb
    _workday(date(2027, 2, 14), "春节"),
    *_span(date(2027, 4, 3), date(2027, 4, 5), "清明节"),
    *_span(date(2027, 5, 1), date(2027, 5, 5), "劳动节"),
    _workday(date(2027, 5, 8), "劳动节"),
    *_span(date(2027, 6, 9), date(2027, 6, 9), "端午节"),  # Wednesday: one day
    *_span(date(2027, 9, 15), date(2027, 9, 15), "中秋节"),  # Wednesday: one day
    _workday(date(2027, 9, 26), "国庆节"),
    *_span(date(2027, 10, 1), date(2027, 10, 7), "国庆节"),
    _workday(date(2027, 10, 9), "国庆节"),
]


def seed(apps, schema_editor):
    Holiday = apps.get_model("core", "Holiday")
    for day, kind, name in SCHEDULE:
        # A row staff already entered for the day wins: never overwrite it.
        Holiday.objects.get_or_create(date=day, defaults={"kind": kind, "name": name})


def unseed(apps, schema_editor):
    Holiday = apps.get_model("core", "Holiday")
    Holiday.objects.filter(date__in=[day for day, _, _ in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
