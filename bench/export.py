#!/usr/bin/env python
"""``make bench-export``: time and peak memory of writing an export workbook
(core.excel.write_workbook) of 10,000 and 100,000 audit-like rows of ten
columns, each size in a fresh process so the peak is its own.

    python bench/export.py [--rows 10000 100000]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # bench/generate.py, next to this file

HEADERS = ["时间", "操作人", "操作", "结果", "对象", "政协", "IP", "浏览器", "请求号", "详情"]


def rows(count: int):  # type: ignore[no-untyped-def]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(count):
        yield [
            start + timedelta(seconds=n),
            f"用户{n % 500}",
            "登录成功",
            "成功",
            f"提案 {n}",
            "测试市政协",
            f"10.0.{n % 250}.{n % 200}",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
            f"{n:032x}",
            "原因：密码正确；第二因素：无",
        ]


def one(count: int) -> None:
    generate.setup_django()
    from lvzhi.core.excel import write_workbook

    started = time.perf_counter()
    with tempfile.TemporaryFile() as file:
        write_workbook(file, "审计记录", HEADERS, rows(count))
        size = file.tell()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count:>8,} rows  {seconds:>6.1f} s  peak {peak_mb:>5.0f} MB  {size:>11,} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one)
        return
    for count in args.rows:
        # Our own interpreter and script, a number: nothing untrusted.
        subprocess.run([sys.executable, __file__, "--one", str(count)], check=True)  # noqa: S603


if __name__ == "__main__":
    main()
