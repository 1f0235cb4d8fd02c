#!/usr/bin/env python
"""``make bench-load``: 200 concurrent users on the province dataset, through
nginx and gunicorn on loopback, driven by locust (DESIGN §7, issue 16).

What it does, all on this host:

1. collects the static files (served by nginx, as in deploy/nginx.conf);
2. logs in sessions for the bench logins of bench/province.py (as many per
   login as its share of the users) and resolves each login's pages from
   bench/run_province.py's cases — the same pages ``make bench-province``
   times one by one — plus the two baselines;
3. starts gunicorn (deploy/gunicorn.conf.py, ``--workers``) on 127.0.0.1 and
   nginx in front of it (bench/load/nginx.conf.template);
4. runs locust headless: ``--users`` users spawned at ``--spawn-rate`` a
   second, each waiting ``--think`` seconds between pages, for ``--time``;
   statistics are reset once every user is running, so ramp-up is not counted;
5. prints per page: requests, failures, median, p95, requests/s, and each
   page's requests/s relative to the logged-in minimal page; then stops
   nginx and gunicorn.

    DATABASE_URL=postgres://…/h_prov python bench/run_load.py [--users 200] [--time 120]

Needs nginx (``apt-get install nginx-light``) and locust
(bench/requirements-load.txt); ``make bench-load`` installs both."""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # bench/generate.py: the Django setup
import province  # bench/province.py: the logins
import run  # bench/run.py: the baselines' labels
import run_province  # bench/run_province.py: the pages

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

# Share of the simulated users per bench login (the rest are anonymous).
MIX = {
    province.PROVINCE_MEMBER: 0.30,
    province.COUNTY_MEMBER: 0.10,
    province.PROVINCE_STAFF: 0.30,
    province.COUNTY_STAFF: 0.15,
    province.PROVINCE_UNIT: 0.05,
    province.PROVINCE_LEADER: 0.03,
    province.PROVINCE_AUDITOR: 0.02,
}


def plan(users: int, think: tuple[float, float]) -> dict[str, Any]:
    """Sessions and pages for locust (bench/load/locustfile.py)."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from lvzhi.accounts.models import User

    pages: dict[str, list[list[str]]] = {}
    for case in run_province.cases():
        url = reverse(case.url_name, args=case.args) + (f"?{case.query}" if case.query else "")
        login = "" if case.anonymous else case.user
        if case.label == run.MINIMAL_BASELINE:
            # The minimal page is every login's baseline, so the ratio compares like with like.
            for who in MIX:
                pages.setdefault(who, []).append([case.label, url])
            continue
        pages.setdefault(login, []).append([case.label, url])
    # Members of a county see their own pages; the cases name the province member's.
    member_pages = pages.get(province.PROVINCE_MEMBER, [])
    pages.setdefault(province.COUNTY_MEMBER, []).extend(
        [label.replace("(member)", "(county member)"), url]
        for label, url in member_pages
        if label != run.MINIMAL_BASELINE
    )
    for who in (province.PROVINCE_LEADER, province.COUNTY_MEMBER):
        pages.setdefault(who, [])
    pages[province.PROVINCE_LEADER] += [["home page (leader)", reverse("home")]]
    sessions: list[dict[str, str]] = []
    for login, share in MIX.items():
        user = User.objects.get(username=login)
        for _ in range(max(1, round(users * share))):
            client = Client()
            client.force_login(user)
            sessions.append(
                {"login": login, "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value}
            )
    while len(sessions) < users:
        sessions.append({"login": "", "cookie": ""})
    # Interleave the logins, so every role is running when the spawn ends.
    sessions.sort(key=lambda s: hash(s["cookie"]))
    return {
        "sessions": sessions[:users] if len(sessions) > users else sessions,
        "pages": pages,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "think_seconds": list(think),
    }


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 -- loopback only
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"nothing answered at {url}")


def results(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        return list(csv.DictReader(stats))


def _number(cell: str) -> float:
    """A locust statistic ("N/A" where a page had too few requests)."""
    try:
        return float(cell)
    except ValueError:
        return 0.0


def print_table(rows: list[dict[str, str]]) -> None:
    minimal = next((r for r in rows if r["Name"] == run.MINIMAL_BASELINE), None)
    base_rps = float(minimal["Requests/s"]) if minimal else 0.0
    # Per-page requests/s follows the mix; the ratio that matters is the
    # time a request takes, so the table gives both.
    print("| Page | Requests | Failures | Median ms | p95 ms | Requests/s | median × minimal |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    base_median = _number(minimal["Median Response Time"]) if minimal else 0.0
    for row in sorted(rows, key=lambda r: (r["Name"] != "Aggregated", r["Name"])):
        median = _number(row["Median Response Time"])
        ratio = f"{median / base_median:.2f}" if base_median else "–"
        p95 = _number(row["95%"])
        print(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{median:.0f} | {p95:.0f} | {_number(row['Requests/s']):.1f} | {ratio} |"
        )
    if base_rps:
        print(f"\nminimal page: {base_rps:.1f} requests/s in the mix")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--time", default="120s", help="how long to run after the spawn")
    parser.add_argument("--think", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8480, help="nginx")
    parser.add_argument("--app-port", type=int, default=8481, help="gunicorn")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("bench/run_load.py needs DATABASE_URL=postgres://… (the province dataset)")
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        raise SystemExit("bench/run_load.py needs nginx: apt-get install -y nginx-light")
    generate.setup_django()
    province.refuse_sqlite()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    if not province.exists():
        raise SystemExit("build the province dataset first: python bench/province.py")
    province.tune_like_deploy()  # before gunicorn opens its connections
    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    rundir = Path(settings.VAR_DIR) / "load"
    shutil.rmtree(rundir, ignore_errors=True)
    rundir.mkdir(parents=True)
    plan_file = rundir / "plan.json"
    plan_file.write_text(json.dumps(plan(args.users, tuple(args.think))), encoding="utf-8")
    conf = (BENCH / "load" / "nginx.conf.template").read_text(encoding="utf-8")
    for key, value in {
        "@RUN@": str(rundir),
        "@PORT@": str(args.port),
        "@APP_PORT@": str(args.app_port),
        "@STATIC@": str(settings.STATIC_ROOT),
    }.items():
        conf = conf.replace(key, value)
    (rundir / "nginx.conf").write_text(conf, encoding="utf-8")

    env = dict(os.environ, GUNICORN_BIND=f"127.0.0.1:{args.app_port}")
    env["GUNICORN_WORKERS"] = str(args.workers)
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    venv_bin = Path(sys.executable).parent
    gunicorn = subprocess.Popen(  # noqa: S603 -- our own command line
        [str(venv_bin / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=open(rundir / "gunicorn.log", "w"),  # noqa: SIM115 -- lives as long as the process
        stderr=subprocess.STDOUT,
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    try:
        wait_for(f"http://127.0.0.1:{args.app_port}/accounts/login/")
        subprocess.run([nginx, "-c", str(rundir / "nginx.conf"), "-p", str(rundir)], check=True)  # noqa: S603
        host = f"http://127.0.0.1:{args.port}"
        wait_for(f"{host}/accounts/login/")
        print(
            f"{args.users} users, think {args.think[0]:g}–{args.think[1]:g} s, "
            f"{args.workers} gunicorn workers, load average {run_province.load()}"
        )
        prefix = rundir / "result"
        locust_env = dict(os.environ, LVZHI_LOAD_PLAN=str(plan_file))
        subprocess.run(  # noqa: S603
            [
                str(venv_bin / "locust"),
                "-f",
                str(BENCH / "load" / "locustfile.py"),
                "--headless",
                "--only-summary",
                "--reset-stats",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                args.time,
                "--host",
                host,
                "--csv",
                str(prefix),
            ],
            env=locust_env,
            check=False,
        )
        print(f"\nload average at the end: {run_province.load()}\n")
        print_table(results(prefix))
    finally:
        stop = [nginx, "-c", str(rundir / "nginx.conf"), "-p", str(rundir), "-s", "stop"]
        subprocess.run(stop, check=False)  # noqa: S603
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)


if __name__ == "__main__":
    main()
