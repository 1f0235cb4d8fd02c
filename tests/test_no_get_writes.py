"""No GET request writes anything but the session (DESIGN §5).

With the demo seeded, every demo login (and an anonymous visitor on the public
venue pages) walks the site breadth-first from the home page: every same-site
link and ``hx-get`` of every page it reaches, following redirects, up to
``PAGES_PER_ROLE`` pages and ``PER_PATTERN`` URLs per view and query shape
(``/proposals/3/`` and ``/proposals/4/`` are one shape), in every committee
the user works in. Logout and file
downloads are not followed. Every INSERT, UPDATE or DELETE a GET runs, other
than to the session table, is a failure naming the URL and the table.

A write already known may be listed in ``KNOWN_GET_WRITES`` by URL name (it
is empty: every write the crawl found has been fixed); the crawl leaves such
URLs out of its verdict, so an entry goes there only with its fix planned.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from lvzhi.org import demo as org_demo
from lvzhi.org.middleware import SESSION_KEY as COMMITTEE_SESSION_KEY
from lvzhi.org.models import Committee
from lvzhi.org.selectors import committees_for
from lvzhi.org.tests.factories import (
    CommitteeFactory,
    MemberFactory,
    PersonFactory,
    StationFactory,
    StudioFactory,
    TermFactory,
)
from lvzhi.public.models import Venue

PAGES_PER_ROLE = 400
PER_PATTERN = 2
ANONYMOUS = "anonymous"

# Every login the demo prints (lvzhi/org/demo.py); a test below checks the
# list against the printed table, so a new role is not missed.
DEMO_USERNAMES = [
    "weiyuan",
    "convener",
    *(f"staff_{area.value}" for area in Area if area.value),
    "district_staff",
    "district_duties",
    "leader",
    "unit",
    "gov_leader",
    "sysadmin",
    "secadmin",
    "auditor",
]

# Staff, a leader and a member of a committee the demo never configured, so a
# page that creates its settings row on first sight is caught (the demo's own
# committees have every such row already).
FRESH = "fresh_"
FRESH_USERNAMES = [
    *(f"{FRESH}staff_{area.value}" for area in Area if area.value),
    f"{FRESH}leader",
    f"{FRESH}member",
    f"{FRESH}{ANONYMOUS}",
]

# The session table is the one a GET may write (login time, last seen, the
# committee chosen).
ALLOWED_TABLES = {"django_session"}
# A refused request (403) writes its audit row on purpose (DESIGN §5: every
# permission denial is audited), with the audit chain's head it moves on
# (core.audit_chain); nothing else.
REFUSAL_TABLES = {"core_auditevent", "core_auditchainhead"}
# Pages that show one person's full record write the audit row DESIGN §5/§9
# asks for (a view of full personal data); they may write that row, nothing else.
PERSONAL_DATA_VIEWS = {"points:duty_file"}

# Not followed: leaving the session, and file downloads (exports write an audit
# row on purpose, attachments are files).
SKIPPED_URL_NAMES = {"accounts:logout"}
SKIPPED_NAME_WORDS = ("export", "download", "attachment", "evidence", "photo", "template")

# Known GET writes, by URL name: (the role whose crawl reaches it, reason).
# The integrator deletes an entry once the app's fix is merged. (A row made on
# first sight is written by whichever page a crawl reaches first, so one defect
# may have several entries.)
KNOWN_GET_WRITES: dict[str, tuple[str, str]] = {}

WRITE_SQL = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[\"`]?(\w+)",
    re.IGNORECASE,
)


# --- The crawl -------------------------------------------------------------------


class LinkParser(HTMLParser):
    """The targets of ``<a href>`` (but downloads) and ``hx-get`` in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href") and "download" not in values:
            self.links.append(values["href"] or "")
        if values.get("hx-get"):
            self.links.append(values["hx-get"] or "")


def links_of(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    return parser.links


def same_site_path(href: str) -> str | None:
    """The path and query of a link to this site, or None."""
    href = urldefrag(href.strip()).url
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return None  # mailto:, tel:, javascript:
    if parts.netloc and parts.netloc != "testserver":
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def is_skipped(name: str) -> bool:
    return name in SKIPPED_URL_NAMES or any(word in name for word in SKIPPED_NAME_WORDS)


def shape(path: str, name: str) -> tuple[str, tuple[str, ...]]:
    query = urlsplit(path).query
    keys = sorted({pair.split("=", 1)[0] for pair in query.split("&") if pair})
    return name, tuple(keys)


@contextmanager
def writes_recorded() -> Iterator[list[str]]:
    """The tables every INSERT/UPDATE/DELETE inside the block writes."""
    tables: list[str] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        match = WRITE_SQL.match(sql)
        if match:
            tables.append(f"{match[0].split()[0].upper()} {match[1]}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield tables


@dataclass
class Crawl:
    writes: dict[str, list[str]] = field(default_factory=dict)  # path -> "INSERT table"
    visited: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # path -> URL name
    refused: list[str] = field(default_factory=list)  # linked pages that answered 403

    def writes_outside(self, known: Iterable[str]) -> dict[str, list[str]]:
        skip = set(known)
        return {path: t for path, t in self.writes.items() if self.names[path] not in skip}

    def writes_of(self, name: str) -> dict[str, list[str]]:
        return {path: t for path, t in self.writes.items() if self.names[path] == name}


def crawl(client: Client, starts: Iterable[str], result: Crawl | None = None) -> Crawl:
    """Walk from the start pages (each visited, whatever its shape)."""
    result = result or Crawl()
    start_paths = list(starts)
    queue: deque[str] = deque(start_paths)
    seen: set[str] = set()
    per_shape: dict[tuple[str, tuple[str, ...]], int] = {}
    budget = len(result.visited) + PAGES_PER_ROLE
    while queue and len(result.visited) < budget:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        name = url_name(path)
        if name is None or is_skipped(name):
            continue
        key = shape(path, name)
        if per_shape.get(key, 0) >= PER_PATTERN and path not in start_paths:
            continue
        per_shape[key] = per_shape.get(key, 0) + 1
        with writes_recorded() as tables:
            response = client.get(path)
        result.visited.append(path)
        result.names[path] = name
        allowed = ALLOWED_TABLES
        if response.status_code == 403:
            result.refused.append(path)
            allowed = ALLOWED_TABLES | REFUSAL_TABLES
        elif name in PERSONAL_DATA_VIEWS:
            allowed = ALLOWED_TABLES | REFUSAL_TABLES
        written = sorted({t for t in tables if t.split()[1] not in allowed})
        if written:
            result.writes.setdefault(path, [])
            result.writes[path] = sorted({*result.writes[path], *written})
        if response.status_code in {301, 302, 303, 307, 308}:
            target = same_site_path(response["Location"])
            if target:
                queue.append(target)
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        if "attachment" in response.get("Content-Disposition", ""):
            continue
        for href in links_of(response.content.decode("utf-8", "replace")):
            target = same_site_path(href)
            if target and target not in seen:
                queue.append(target)
    return result


def report(writes: dict[str, list[str]]) -> str:
    return "\n".join(f"GET {path} -> {', '.join(tables)}" for path, tables in writes.items())


# --- Who crawls ----------------------------------------------------------------------


def client_for(username: str) -> Client:
    client = Client()
    if username.startswith(FRESH):
        if not username.endswith(ANONYMOUS):
            client.force_login(User.objects.get(username=username))
    elif username != ANONYMOUS:
        assert client.login(username=username, password=org_demo.PASSWORD), username
    return client


def work_in(client: Client, committee: Committee) -> None:
    """Switch the client's session to a committee, as the switcher does."""
    session = client.session
    session[COMMITTEE_SESSION_KEY] = committee.pk
    session.save()


def anonymous_starts(venues: Iterable[Venue]) -> list[str]:
    pages = [reverse("public:venue_page", args=[v.code]) for v in venues]
    assert pages, "no public venue pages"
    return ["/", reverse("accounts:login"), reverse("public:track_lookup"), *pages]


def fresh_committee() -> Committee:
    """A committee with a term, a sector, a studio, a station and a room, and
    the logins of FRESH_USERNAMES; none of the rows the demo configures."""
    found = Committee.objects.filter(code="fresh-county").first()
    if found is not None:
        return found
    committee = CommitteeFactory(name="新设县政协", short_name="新设县政协", code="fresh-county")
    term = TermFactory(committee=committee, is_current=True)
    StudioFactory(committee=committee)
    StationFactory(committee=committee)
    Venue.objects.create(committee=committee, kind=Venue.Kind.ROOM, name="协商室", code="freshroom")
    for area in Area:
        if area.value:
            user = UserFactory(username=f"{FRESH}staff_{area.value}")
            RoleAssignmentFactory(user=user, committee=committee, role=Role.STAFF, area=area.value)
    leader = UserFactory(username=f"{FRESH}leader")
    RoleAssignmentFactory(user=leader, committee=committee, role=Role.LEADER)
    person = PersonFactory(user=UserFactory(username=f"{FRESH}member"))
    MemberFactory(committee=committee, term=term, person=person)
    return committee


_crawls: dict[str, Crawl] = {}


def crawl_as(username: str) -> Crawl:
    """The crawl of one role over the seeded demo (kept for the known-writes tests)."""
    if username not in _crawls:
        if username.startswith(FRESH):
            fresh = fresh_committee()
        client = client_for(username)
        if username == ANONYMOUS:
            _crawls[username] = crawl(client, anonymous_starts(Venue.objects.order_by("pk")))
        elif username == f"{FRESH}{ANONYMOUS}":
            venues = Venue.objects.filter(committee=fresh)
            _crawls[username] = crawl(client, anonymous_starts(venues))
        else:
            # Every committee the user works in (the demo member and the
            # administrators work in both), each from its home page.
            result = Crawl()
            user = User.objects.get(username=username)
            for committee in committees_for(user):
                work_in(client, committee)
                crawl(client, ["/"], result)
            _crawls[username] = result
    return _crawls[username]


# --- Tests ---------------------------------------------------------------------------


def test_the_crawl_logs_in_as_every_login_the_demo_prints(demo: str) -> None:
    printed = set(re.findall(r"^\| .+? +\| (\S+) +\| \S+ +\|$", demo, flags=re.MULTILINE))

    assert printed - {"用户名"} == set(DEMO_USERNAMES)


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("username", [*DEMO_USERNAMES, ANONYMOUS, *FRESH_USERNAMES])
def test_no_page_a_demo_user_reaches_by_get_writes_anything_but_the_session(
    username: str,
) -> None:
    result = crawl_as(username)

    assert len(result.visited) > 3, result.visited
    writes = result.writes_outside(KNOWN_GET_WRITES)
    assert not writes, f"GET requests of {username} that write:\n{report(writes)}"


def test_the_write_detector_sees_inserts_updates_and_deletes(db: None) -> None:
    from lvzhi.org.models import Committee

    with writes_recorded() as tables:
        committee = Committee.objects.create(name="甲", short_name="甲", code="detector")
        Committee.objects.filter(pk=committee.pk).update(short_name="乙")
        committee.delete()

    table = Committee._meta.db_table
    assert {f"INSERT {table}", f"UPDATE {table}", f"DELETE {table}"} <= set(tables)


def test_links_are_followed_on_this_site_only_and_never_to_logout_or_downloads() -> None:
    html = (
        '<a href="/proposals/?page=2#top">x</a><a href="https://example.org/">x</a>'
        '<a href="mailto:a@b.c">x</a><a href="/media/f.pdf" download>x</a>'
        '<div hx-get="/core/inbox/"></div><a href="http://testserver/org/me/">x</a>'
    )
    paths = [p for p in map(same_site_path, links_of(html)) if p]

    assert paths == ["/proposals/?page=2", "/core/inbox/", "/org/me/"]
    assert is_skipped("accounts:logout") and is_skipped("proposals:export")
    assert not is_skipped("proposals:list")
    assert shape("/proposals/?page=2&q=x", "proposals:list") == ("proposals:list", ("page", "q"))
