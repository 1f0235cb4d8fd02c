"""The queue's FilterSet: a known value filters, a wrong value is ignored,
and the category choice offers only the committee's categories."""

from __future__ import annotations

from collections.abc import Callable

from lvzhi.opinions import selectors
from lvzhi.opinions.filters import ReportFilter
from lvzhi.opinions.models import Category, Report
from lvzhi.org.models import Committee


def _filter(committee: Committee, **data: str) -> ReportFilter:
    return ReportFilter(data, queryset=selectors.queue(committee), committee=committee)


def test_status_and_search_filter_the_queue(
    committee: Committee, submitted: Callable[..., Report]
) -> None:
    lift = submitted(title="关于加快老旧小区加装电梯的建议")
    parking = submitted(title="关于缓解医院周边停车难的建议")
    assert set(_filter(committee, status="submitted").qs) == {lift, parking}
    assert not _filter(committee, status="used").qs.exists()
    assert list(_filter(committee, q="停车").qs) == [parking]


def test_a_wrong_value_is_ignored(committee: Committee, submitted: Callable[..., Report]) -> None:
    submitted()
    found = _filter(committee, status="nonsense", year="abc")
    assert found.qs.count() == 1
    assert found.form.errors


def test_the_category_choice_is_the_committee_s(
    committee: Committee, other_committee: Committee
) -> None:
    ours = Category.objects.create(committee=committee, name="经济发展")
    theirs = Category.objects.create(committee=other_committee, name="社会民生")
    choices = list(_filter(committee).filters["category"].queryset)
    assert ours in choices
    assert theirs not in choices
    assert _filter(committee, category=str(theirs.pk)).form.errors
