"""The inbox's FilterSet: a known status filters, a wrong value is ignored,
and the venue choice offers only the committee's venues."""

from __future__ import annotations

from collections.abc import Callable

from lvzhi.org.models import Committee
from lvzhi.public import services
from lvzhi.public.filters import MessageFilter
from lvzhi.public.models import Message, Venue
from lvzhi.public.tests.factories import VenueFactory


def _filter(committee: Committee, **data: str) -> MessageFilter:
    return MessageFilter(
        data, queryset=Message.objects.filter(committee=committee), committee=committee
    )


def test_a_status_filters_the_messages(
    committee: Committee, submit: Callable[..., services.Submitted]
) -> None:
    submit()
    closed = submit(text="已经解决的问题，谢谢。").message
    Message.objects.filter(pk=closed.pk).update(status=Message.Status.CLOSED)
    assert list(_filter(committee, status="closed").qs) == [closed]
    assert closed not in _filter(committee, status="open").qs


def test_a_wrong_status_is_ignored(
    committee: Committee, submit: Callable[..., services.Submitted]
) -> None:
    submit()
    found = _filter(committee, status="nonsense")
    assert found.qs.count() == 1
    assert found.form.errors


def test_the_venue_choice_is_the_committee_s(
    committee: Committee, other_committee: Committee, venue: Venue
) -> None:
    elsewhere = VenueFactory(committee=other_committee)
    choices = list(_filter(committee).filters["venue"].queryset)
    assert venue in choices
    assert elsewhere not in choices
    assert _filter(committee, venue=str(elsewhere.pk)).form.errors
