"""Every page a login reaches by GET in the seeded demo writes nothing but the
session (DESIGN §5) and shows no code and no English (DESIGN §12).

One walk per login (tests/crawl.py) serves both checks, which are written
beside their own tests: the writes in tests/test_no_get_writes.py, the words
in tests/test_words_crawl.py. A login's walk is most of the cost, so both are
judged in one test per login rather than walked twice.
"""

from __future__ import annotations

import time

import pytest

from tests.crawl import CRAWLED_LOGINS, crawl_as
from tests.test_no_get_writes import KNOWN_GET_WRITES, report, writes_of
from tests.test_words_crawl import problems_of, words_check

pytestmark = pytest.mark.usefixtures("demo")


@pytest.mark.parametrize("login", CRAWLED_LOGINS)
def test_no_page_a_login_reaches_by_get_writes_anything_or_shows_a_code_or_english(
    login: str,
) -> None:
    started = time.monotonic()
    result = crawl_as(login)
    pages = sum(1 for _ in result.pages())
    took = time.monotonic() - started
    print(f"\ncrawl: {login} {len(result.visits)} requests, {pages} pages in {took:.1f} s")

    assert len(result.visited) > 3 and pages > 1, result.visited
    writes = writes_of(result, KNOWN_GET_WRITES)
    words = problems_of(result, login, words_check())
    assert not writes, f"GET requests of {login} that write:\n{report(writes)}"
    assert not words, f"{len(words)} problems:\n" + "\n".join(words)
