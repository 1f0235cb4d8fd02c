"""The demo seeded once per session (root conftest): demo tests share it, a
change one of them makes is rolled back, and it never leaks into other tests."""

from __future__ import annotations

import pytest

from lvzhi.org.models import Committee

DEMO_CODES = {"demo-city", "demo-district"}


def test_a_demo_test_sees_both_demo_committees(demo: str) -> None:
    assert set(Committee.objects.values_list("code", flat=True)) == DEMO_CODES
    assert "示例数据就绪" in demo


def test_a_demo_test_may_change_the_demo(demo: str) -> None:
    Committee.objects.filter(code="demo-district").update(short_name="改过的名字")
    assert Committee.objects.get(code="demo-district").short_name == "改过的名字"


def test_the_next_demo_test_sees_the_demo_as_seeded(demo: str) -> None:
    # Runs after the test above (same module, order kept): its change is gone.
    assert Committee.objects.get(code="demo-district").short_name == "示例区政协"


@pytest.mark.django_db
def test_a_database_test_without_the_fixture_sees_an_empty_database() -> None:
    assert not Committee.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_after_the_demo_tests_sees_an_empty_database() -> None:
    # Transactional tests run after every demo test: the shared demo was
    # rolled back before this one started.
    assert not Committee.objects.exists()


def test_demo_tests_run_together_after_the_other_rolled_back_database_tests(
    request: pytest.FixtureRequest,
) -> None:
    items = request.session.items
    groups = [
        ("demo" if item.get_closest_marker("demo") else "db", item)
        for item in items
        if item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ())
    ]
    kinds = [kind for kind, _item in groups if not _is_transactional(_item)]
    if "demo" in kinds:
        first = kinds.index("demo")
        assert all(kind == "demo" for kind in kinds[first:]), "a database test runs after the demo"
        last_demo = max(i for i, item in enumerate(items) if item.get_closest_marker("demo"))
        assert not any(_is_transactional(item) for item in items[: last_demo + 1]), (
            "a transactional test runs before a demo test"
        )


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return True
    return bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )
