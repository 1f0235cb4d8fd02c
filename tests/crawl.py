"""One crawl of the seeded demo per role, shared by the tests that judge it.

Two properties are checked over every page a role reaches by GET: nothing
but the session is written (tests/test_no_get_writes.py, DESIGN §5) and no
page shows a code or English (tests/test_words_crawl.py, DESIGN §12). Both
need the same walk, which is most of their cost, so it is made once per role
and test process (``crawl_as``); one test per login judges both
(tests/test_demo_crawl.py), so the walk is made once whichever test process
runs it.

The walk: every demo login (and an anonymous visitor on the public pages,
and the logins of a committee the demo never configured) goes breadth-first
from the home page of every committee it works in, through every same-site
``<a href>`` and ``hx-get`` of every HTML page, following redirects, at most
``PER_SHAPE`` URLs per view and query shape (``/proposals/3/`` and
``/proposals/4/`` are one shape) and ``PAGES_PER_ROLE`` pages in all. An
auditor's walk adds the audit trail filtered by each action in it, whatever
the shape, so every kind of row is read. Logout, file downloads (exports
write an audit row on purpose) and list pages beyond ``MAX_PAGE`` are not
followed.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlsplit

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
PER_SHAPE = 2
MAX_PAGE = 2
ANONYMOUS = "anonymous"

# Every login the demo prints (lvzhi/org/demo.py), in the order of its table;
# the tests check the list against the printed table, so a new role is not missed.
DEMO_LOGINS = [
    "weiyuan",
    "convener",
    *(f"staff_{area.value}" for area in Area if area.value),
    "district_staff",
    "leader",
    "unit",
    "gov_leader",
    "sysadmin",
    "secadmin",
    "auditor",
    "district_duties",
]

# Staff, a leader and a member of a committee the demo never configured, so a
# page that creates its settings row on first sight is caught (the demo's own
# committees have every such row already).
FRESH = "fresh_"
FRESH_LOGINS = [
    *(f"{FRESH}staff_{area.value}" for area in Area if area.value),
    f"{FRESH}leader",
    f"{FRESH}member",
    f"{FRESH}{ANONYMOUS}",
]

# Every login whose walk is judged.
CRAWLED_LOGINS = [*DEMO_LOGINS, ANONYMOUS, *FRESH_LOGINS]

# Not followed: leaving the session, and file downloads.
SKIPPED_URL_NAMES = {"accounts:logout"}
SKIPPED_NAME_WORDS = ("export", "download", "attachment", "evidence", "photo", "template")
SKIPPED_SUFFIXES = (".xlsx", ".csv", ".docx", ".pdf", ".svg", ".png", ".jpg", ".zip")
FILE_FORMATS = {"xlsx", "csv", "docx", "pdf"}

WRITE_SQL = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[\"`]?(\w+)",
    re.IGNORECASE,
)


# --- What a page holds ----------------------------------------------------------------


class PageParser(HTMLParser):
    """The visible text (text nodes outside <script>, <style>, <template>,
    <noscript>; no attributes), apart from it what a screen reader or a
    tooltip reads out (``READ_OUT`` attributes), and the link targets
    (``<a href>`` but downloads, and ``hx-get``) of a page."""

    HIDDEN = {"script", "style", "template", "noscript"}
    READ_OUT = ("aria-label", "title", "alt", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.read_out: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        values = dict(attrs)
        if tag == "a" and values.get("href") and "download" not in values:
            self.links.append(values["href"] or "")
        if values.get("hx-get"):
            self.links.append(values["hx-get"] or "")
        if not self._hidden:
            self.read_out += [v for name in self.READ_OUT if (v := values.get(name))]
        # Block elements separate words.
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


# --- Which links are followed --------------------------------------------------------


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


def is_file_or_far_page(path: str) -> bool:
    """A download by its path or format, or a list page past ``MAX_PAGE``."""
    parts = urlsplit(path)
    if parts.path.lower().endswith(SKIPPED_SUFFIXES):
        return True
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if query.get("format") in FILE_FORMATS:
        return True
    page = query.get("page", "1")
    return not page.isdigit() or int(page) > MAX_PAGE


def shape(path: str, name: str) -> tuple[str, tuple[str, ...]]:
    query = urlsplit(path).query
    keys = sorted({pair.split("=", 1)[0] for pair in query.split("&") if pair})
    return name, tuple(keys)


@contextmanager
def writes_recorded() -> Iterator[list[str]]:
    """The tables every INSERT/UPDATE/DELETE inside the block writes ("INSERT t")."""
    tables: list[str] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        match = WRITE_SQL.match(sql)
        if match:
            tables.append(f"{match[0].split()[0].upper()} {match[1]}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield tables


# --- The walk --------------------------------------------------------------------------


@dataclass
class Visit:
    path: str
    name: str
    status: int
    writes: list[str]  # "INSERT table", in the order run
    text: str | None = None  # the visible text of an HTML page answered 200
    read_out: list[str] = field(default_factory=list)  # its attributes read out

    @property
    def readable(self) -> str:
        """All the words a user meets on the page: seen, and read out."""
        return " ".join([self.text or "", *self.read_out])


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)

    @property
    def visited(self) -> list[str]:
        return [v.path for v in self.visits]

    def pages(self) -> Iterator[Visit]:
        """The HTML pages answered 200."""
        return (v for v in self.visits if v.text is not None)


Shape = Callable[[str, str], tuple[str, tuple[str, ...]]]


def crawl(
    client: Client,
    starts: Iterable[str],
    result: Crawl | None = None,
    always: Iterable[str] = (),
    *,
    per_shape: int = PER_SHAPE,
    shape_of: Shape = shape,
) -> Crawl:
    """Walk from the start pages (each visited, whatever its shape); the
    ``always`` URLs are visited whatever their shape too. ``shape_of(path,
    view name)`` says which URLs are alike; at most ``per_shape`` of each are
    visited."""
    result = result or Crawl()
    every = {*starts, *always}
    queue: deque[str] = deque([*starts, *always])
    seen: set[str] = set()
    visits: dict[tuple[str, tuple[str, ...]], int] = {}
    budget = len(result.visits) + PAGES_PER_ROLE + len(every)
    while queue and len(result.visits) < budget:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        name = url_name(path)
        if name is None or is_skipped(name) or is_file_or_far_page(path):
            continue
        key = shape_of(path, name)
        if visits.get(key, 0) >= per_shape and path not in every:
            continue
        visits[key] = visits.get(key, 0) + 1
        with writes_recorded() as tables:
            response = client.get(path)
        visit = Visit(path, name, response.status_code, tables)
        result.visits.append(visit)
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
        page = parse(response.content.decode("utf-8", "replace"))
        visit.text = page.text
        visit.read_out = page.read_out
        for href in page.links:
            target = same_site_path(href)
            if target and target not in seen:
                queue.append(target)
    return result


# --- Who walks --------------------------------------------------------------------------


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


def audit_urls(user: User) -> list[str]:
    """The audit trail filtered by each action in it, for a user who may read it:
    the details of every kind of row, not only the newest two pages."""
    from lvzhi.accounts.selectors import audit_actions_for

    for committee in Committee.objects.order_by("pk"):
        if user.has_perm("core.view_audit", committee):
            url = reverse("accounts:audit_list")
            # The user's first committee; the other's actions are alike.
            return [f"{url}?action={code}" for code in audit_actions_for(committee)]
    return []


def fresh_committee() -> Committee:
    """A committee with a term, a sector, a studio, a station and a room, and
    the logins of FRESH_LOGINS; none of the rows the demo configures."""
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


# The demo is the same in every test of a process (rolled back after each), so
# a role's walk is too.
_crawls: dict[str, Crawl] = {}


def crawl_as(username: str) -> Crawl:
    """The walk of one login over the seeded demo (call it from a demo test)."""
    if username not in _crawls:
        result = Crawl()
        for _client, part in walks_of(username):
            result.visits += part.visits
        _crawls[username] = result
    return _crawls[username]


def walks_of(
    username: str, *, audit_actions: bool = True, **options: Any
) -> Iterator[tuple[Client, Crawl]]:
    """The walk of one login, one committee at a time: the client (its session
    working in that committee, until the next is asked for) and what it
    visited there. ``audit_actions``: an auditor reads the trail once per
    action too; ``options`` go to ``crawl``."""
    if username.startswith(FRESH):
        fresh = fresh_committee()
    client = client_for(username)
    if username == ANONYMOUS:
        yield client, crawl(client, anonymous_starts(Venue.objects.order_by("pk")), **options)
    elif username == f"{FRESH}{ANONYMOUS}":
        venues = Venue.objects.filter(committee=fresh)
        yield client, crawl(client, anonymous_starts(venues), **options)
    else:
        # Every committee the user works in (the demo member and the
        # administrators work in two), each from its home page.
        user = User.objects.get(username=username)
        always = audit_urls(user) if audit_actions else []
        for committee in committees_for(user):
            work_in(client, committee)
            yield client, crawl(client, ["/"], always=always, **options)
            always = []


def demo_logins(seed_output: str) -> list[str]:
    """The usernames of the login table seed_demo printed, in its order."""
    names = []
    for line in seed_output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2] == org_demo.PASSWORD:
            names.append(cells[1])
    return names


def links_of(html: str) -> list[str]:
    """The link targets of a page (``<a href>`` but downloads, ``hx-get``)."""
    return parse(html).links
