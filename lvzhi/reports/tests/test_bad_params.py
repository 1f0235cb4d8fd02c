"""Bad periods and parameters on every report page answer a clear message,
never a 500: a year with no data, an inverted range, a malformed value, and
a committee the user may not see."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lvzhi.accounts.models import Role
from lvzhi.org.middleware import SESSION_KEY
from lvzhi.org.models import Committee
from lvzhi.reports.figures import SECTIONS
from lvzhi.reports.tests.conftest import YEAR, Known

pytestmark = pytest.mark.django_db
LEADER_PAGES = [
    ("reports:dashboard", []),
    ("reports:rollup", []),
    *(("reports:section", [key]) for key in SECTIONS),
]
TEXT_PAGES = ["reports:year", "reports:year_export"]
BAD = [
    {"since": "2026-05-01", "until": "2026-01-01"},  # inverted
    {"since": "2026-05-01"},  # half a range
    {"since": "yesterday", "until": "2026-01-01"},
    {"year": "abc"},
    {"year": "1850"},
    {"year": str(YEAR), "quarter": "5"},
]


@pytest.fixture
def leader(make_user: Any, committee: Committee) -> Any:
    return make_user(Role.LEADER, committee, username="leader")


@pytest.mark.parametrize("params", BAD)
def test_a_bad_period_on_every_page_is_a_400_with_its_message(
    known: Known, leader: Any, unit_user: Any, member_user: Any, client_for: Any, params: Any
) -> None:
    pages = [
        (leader, name, args) for name, args in LEADER_PAGES + [(n, []) for n in TEXT_PAGES]
    ] + [(unit_user, "reports:unit", []), (member_user, "reports:me", [])]
    for user, name, args in pages:
        page = client_for(user).get(reverse(name, args=args), params)
        assert page.status_code == 400, (name, args, params)
        assert 'id="period-error"' in page.text, (name, args)


def test_a_year_with_no_data_says_so_on_every_page(
    known: Known, leader: Any, unit_user: Any, member_user: Any, client_for: Any
) -> None:
    pages = [(leader, name, args) for name, args in LEADER_PAGES] + [
        (unit_user, "reports:unit", []),
        (member_user, "reports:me", []),
    ]
    for user, name, args in pages:
        page = client_for(user).get(reverse(name, args=args), {"year": 2010})
        assert page.status_code == 200, (name, args)
        assert 'id="no-data"' in page.text, (name, args)
    text = client_for(leader).get(reverse("reports:year"), {"year": 2010})
    assert text.status_code == 200
    assert 'id="no-data"' in text.text
    docx = client_for(leader).get(reverse("reports:year_export"), {"year": 2010})
    assert docx.status_code == 200  # an office may still want the empty frame


def test_a_committee_the_user_may_not_see_is_never_shown(
    known: Known, make_user: Any, client_for: Any, other_committee: Committee
) -> None:
    """The committee comes from the session; one the user holds no role in
    falls back to their own, so the figures are theirs, not the other's."""
    district_leader = make_user(Role.LEADER, other_committee, username="district")
    client = client_for(district_leader)
    session = client.session
    session[SESSION_KEY] = known.committee.pk
    session.save()
    page = client.get(reverse("reports:section", args=["proposals"]), {"year": YEAR})
    assert page.status_code == 200
    assert {f.key: f.value for f in page.context["sections"][0].figures}["received"] == 1
    response = client.post(reverse("org:switch_committee"), {"committee": known.committee.pk})
    assert response.status_code in (403, 404)


def test_a_page_the_role_may_not_read_is_a_403_page(
    known: Known, member_user: Any, unit_user: Any, client_for: Any
) -> None:
    for user, name in ((member_user, "reports:dashboard"), (unit_user, "reports:rollup")):
        page = client_for(user).get(reverse(name), {"year": YEAR})
        assert page.status_code == 403
        assert 'id="error-403"' in page.text
