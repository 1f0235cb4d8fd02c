"""Helpers to build duty activities in tests (through the services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lvzhi.accounts.tests.factories import UserFactory
from lvzhi.duties import services
from lvzhi.duties.models import Activity, ActivityKind
from lvzhi.org.models import Committee, Member, Term
from lvzhi.org.tests.factories import MemberFactory, PersonFactory, SectorFactory, TermFactory


def current_term(committee: Committee) -> Term:
    term = Term.objects.filter(committee=committee, is_current=True).first()
    return term or TermFactory(committee=committee)


def make_member(committee: Committee, *, username: str | None = None, **kwargs: Any) -> Member:
    """A member in office in the current term, with a login unless username=""."""
    if username == "":
        user = None
    elif username is None:
        user = UserFactory()
    else:
        user = UserFactory(username=username)
    person = PersonFactory(user=user)
    kwargs.setdefault("sector", SectorFactory(committee=committee))
    return MemberFactory(committee=committee, term=current_term(committee), person=person, **kwargs)


def activity_data(**overrides: Any) -> dict[str, Any]:
    start = overrides.pop("start_at", timezone.now() - dt.timedelta(minutes=10))
    data = {
        "kind": ActivityKind.RESEARCH,
        "title": "乡村振兴专题调研",
        "description": "",
        "start_at": start,
        "end_at": overrides.pop("end_at", start + dt.timedelta(hours=3)),
        "place": "示例镇",
        "session_half_days": 1,
        "organiser_kind": Activity.Organiser.OFFICE,
        "scope": Activity.Scope.ALL,
        "capacity": None,
    }
    data.update(overrides)
    return data


def make_activity(
    committee: Committee, actor: Any = None, *, publish: bool = True, **overrides: Any
) -> Activity:
    members = overrides.pop("scope_members", None)
    data = activity_data(**overrides)
    if members is not None:
        data["scope_members"] = members
    activity = services.activity_save(committee=committee, actor=actor, data=data)
    if publish:
        services.activity_publish(activity=activity, actor=actor)
        activity.refresh_from_db()
    return activity
