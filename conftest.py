"""Fixtures shared by every app's tests: a committee with a user per role, and
the demo committees seeded once per test session.

The demo (``manage.py seed_demo``) takes a long while to load, so the tests
that read it share one copy: ask for the ``demo`` fixture (or put
``pytestmark = pytest.mark.usefixtures("demo")`` in the module). The first such
test seeds the demo into the test database inside an outer transaction that
stays open; every demo test runs in a savepoint inside it (pytest-django's
``db``), so whatever a test changes is rolled back and the next one sees the
demo as seeded. After the last demo test the outer transaction is rolled
back, so the demo never leaks into another test.

``pytest_collection_modifyitems`` puts the demo tests together: after every
other test that uses the database in a transaction (most count rows and expect
an empty database) and before the transactional tests (``transaction=True``,
``transactional_db``, ``live_server`` — the browser tests), which commit and
flush and could not run inside an open transaction. A browser test that needs
the demo seeds it itself (``call_command("seed_demo")``) into its committed
database; the flush after the test removes it. Tests that prove seeding is
idempotent still call ``seed_demo`` once more themselves.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.test import Client, override_settings

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from lvzhi.org.models import Committee, Member
from lvzhi.org.tests.factories import CommitteeFactory, MemberFactory, PersonFactory

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_FIXTURE = "demo"


@pytest.fixture(scope="session", autouse=True)
def _kernel_test_tables(django_db_setup: None, django_db_blocker: Any) -> None:
    """The workflow engine's throwaway models (lvzhi/core/tests/workflow_models.py)
    sit in the model registry for the whole run, so deleting a committee or a
    user in any test looks at their tables: create them with the test database."""
    from django.db import connection

    from lvzhi.core.tests.workflow_models import Ticket, TicketEvent

    with django_db_blocker.unblock():
        existing = connection.introspection.table_names()
        with connection.schema_editor() as editor:
            for model in (Ticket, TicketEvent):
                if model._meta.db_table not in existing:
                    editor.create_model(model)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


# --- The demo, seeded once per session ----------------------------------------------


class SharedDemo:
    """The demo committees held in an open transaction on every database."""

    def __init__(self, blocker: Any) -> None:
        self.blocker = blocker
        self.atomics: list[transaction.Atomic] = []
        self.output = ""

    @property
    def is_open(self) -> bool:
        return bool(self.atomics)

    def open(self) -> None:
        if self.is_open:
            return
        with self.blocker.unblock():
            for alias in connections:
                atomic = transaction.atomic(using=alias)
                atomic.__enter__()
                self.atomics.append(atomic)
            try:
                # The same hasher as every test (``_fast_passwords``), so the
                # printed logins authenticate inside the tests.
                with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                    self.output = seed_output()
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        """Roll the demo back: the database is empty again."""
        with self.blocker.unblock():
            while self.atomics:
                atomic = self.atomics.pop()
                transaction.set_rollback(True, using=atomic.using)
                atomic.__exit__(None, None, None)


def seed_output() -> str:
    """Run ``seed_demo`` and return what it printed."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


_shared_demo: SharedDemo | None = None


@pytest.fixture(scope="session")
def _demo_session(django_db_setup: None, django_db_blocker: Any) -> Iterator[SharedDemo]:
    global _shared_demo
    _shared_demo = SharedDemo(django_db_blocker)
    _shared_demo.open()
    yield _shared_demo
    _shared_demo.close()
    _shared_demo = None


@pytest.fixture
def demo(request: pytest.FixtureRequest, _demo_session: SharedDemo, db: None) -> str:
    """The demo committees (``manage.py seed_demo``), seeded once per session.

    Returns what the seed printed (the login table). Changes a test makes are
    rolled back after it. Should a demo test ever run after the shared seed was
    rolled back (the ordering below prevents it), it seeds its own copy inside
    its own transaction: slower, never wrong.
    """
    if _db_group(request.node) == 1:
        pytest.fail(
            "The shared demo is for tests in a rolled-back transaction; a transactional "
            "test seeds its own (call_command('seed_demo')).",
            pytrace=False,
        )
    if _demo_session.is_open:
        return _demo_session.output
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        return seed_output()


def _uses_demo(item: pytest.Item) -> bool:
    return DEMO_FIXTURE in getattr(item, "fixturenames", ())


def _db_group(item: pytest.Item) -> int:
    """0: a test in a rolled-back transaction; 1: a transactional test; 2: no database."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker is not None:
        kwargs = marker.kwargs
        transactional = transactional or bool(
            kwargs.get("transaction", marker.args[0] if marker.args else False)
            or kwargs.get("reset_sequences")
        )
    if transactional:
        return 1
    return 0 if (marker is not None or "db" in fixtures) else 2


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "demo: reads the demo committees seeded once per session (the demo fixture)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the demo tests together, after the other non-transactional database
    tests and before the transactional ones (pytest-django sorted by group
    already; this sort is stable)."""

    def key(item: pytest.Item) -> tuple[int, int]:
        group = _db_group(item)
        demo = _uses_demo(item)
        if demo:
            item.add_marker(pytest.mark.demo)
        return (group, 1 if demo else 0)

    items.sort(key=key)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the last demo test of a run, roll the shared demo back."""
    result = yield
    if (
        _shared_demo is not None
        and _uses_demo(item)
        and (nextitem is None or not _uses_demo(nextitem))
    ):
        _shared_demo.close()
    return result


@pytest.fixture
def committee(db: None) -> Committee:
    return CommitteeFactory(name="测试市政协", short_name="测试市政协", code="test-city")


@pytest.fixture
def other_committee(db: None) -> Committee:
    return CommitteeFactory(name="别处县政协", short_name="别处县政协", code="elsewhere")


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """make_user(role, committee, area="") -> a user holding that role there."""

    def make(role: str, committee: Committee, area: str = "", **kwargs: Any) -> User:
        user = UserFactory(**kwargs)
        RoleAssignmentFactory(user=user, committee=committee, role=role, area=area, **{})
        return user

    return make


@pytest.fixture
def staff_user(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.STAFF, committee, Area.ORG, username="staff")


@pytest.fixture
def member(committee: Committee) -> Member:
    user = UserFactory(username="member")
    person = PersonFactory(user=user, mobile="13800138000", id_number="11010519491231002X")
    return MemberFactory(committee=committee, person=person)


@pytest.fixture
def member_user(member: Member) -> User:
    user = member.person.user
    assert user is not None
    return user


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def client_for(client: Client) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        return login(client, user)

    return make


__all__ = ["PASSWORD"]
