"""No GET request writes anything but the session (DESIGN §5).

With the demo seeded, every demo login (and an anonymous visitor on the public
venue pages, and the logins of a committee the demo never configured) walks
the site breadth-first (the walk is tests/crawl.py's, shared with the words
crawl). Every INSERT, UPDATE or DELETE a GET runs, other than to the session
table, is a failure naming the URL and the table.

A write already known may be listed in ``KNOWN_GET_WRITES`` by URL name (it
is empty: every write the crawl found has been fixed); the crawl leaves such
URLs out of its verdict, so an entry goes there only with its fix planned.
"""

from __future__ import annotations

from lvzhi.org.models import Committee
from tests.crawl import (
    Crawl,
    is_file_or_far_page,
    is_skipped,
    links_of,
    same_site_path,
    shape,
    writes_recorded,
)

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

# Known GET writes, by URL name: (the role whose crawl reaches it, reason).
# The integrator deletes an entry once the app's fix is merged. (A row made on
# first sight is written by whichever page a crawl reaches first, so one defect
# may have several entries.)
KNOWN_GET_WRITES: dict[str, tuple[str, str]] = {}


def writes_of(result: Crawl, known: dict[str, tuple[str, str]]) -> dict[str, list[str]]:
    """path -> the tables its GET wrote that it may not, outside the known writes."""
    found: dict[str, list[str]] = {}
    for visit in result.visits:
        if visit.name in known:
            continue
        allowed = ALLOWED_TABLES
        if visit.status == 403 or visit.name in PERSONAL_DATA_VIEWS:
            allowed = ALLOWED_TABLES | REFUSAL_TABLES
        written = sorted({t for t in visit.writes if t.split()[1] not in allowed})
        if written:
            found[visit.path] = sorted({*found.get(visit.path, []), *written})
    return found


def report(writes: dict[str, list[str]]) -> str:
    return "\n".join(f"GET {path} -> {', '.join(tables)}" for path, tables in writes.items())


# --- Tests ---------------------------------------------------------------------------


def test_the_write_detector_sees_inserts_updates_and_deletes(db: None) -> None:
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
    assert is_file_or_far_page("/proposals/?page=3") and is_file_or_far_page("/x/list.xlsx")
    assert not is_file_or_far_page("/proposals/?page=2")
    assert shape("/proposals/?page=2&q=x", "proposals:list") == ("proposals:list", ("page", "q"))
