"""The users of bench/run_load.py: each simulated user takes one of the
prepared sessions (a bench login of the province dataset, logged in by the
runner) and walks its role's pages with a think time between clicks.

Read by locust only: ``LVZHI_LOAD_PLAN`` names the JSON plan the runner wrote
(sessions, cookie name, the pages of each login, the think time)."""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from typing import Any

from locust import HttpUser, between, task

with open(os.environ["LVZHI_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN: dict[str, Any] = json.load(plan_file)
_sessions = itertools.cycle(PLAN["sessions"])
_lock = threading.Lock()
THINK = PLAN["think_seconds"]


class RoleUser(HttpUser):
    """One person at work: their own session, their role's pages, a pause between pages."""

    wait_time = between(THINK[0], THINK[1])

    def on_start(self) -> None:
        with _lock:
            session = next(_sessions)
        self.pages: list[list[str]] = PLAN["pages"][session["login"]]
        if session["cookie"]:
            self.client.cookies.set(PLAN["cookie_name"], session["cookie"])

    @task
    def page(self) -> None:
        label, path = random.choice(self.pages)
        with self.client.get(path, name=label, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif self.pages is not PLAN["pages"][""] and "/accounts/login/" in response.url:
                response.failure("sent to the login page: the session was lost")
