"""``GET /api/v1/me``: who the caller is, where they work, what is unread.

At the top layer because it reads accounts (roles), org (committees, seats)
and core (the inbox) together; the reads are the pages' own."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from lvzhi.accounts.models import RoleAssignment
from lvzhi.accounts.roles import assignments_of
from lvzhi.core.notifications import unread_count
from lvzhi.org.models import Committee
from lvzhi.org.selectors import committees_for, member_committee_ids

router = Router(tags=["account"])


class CommitteeOut(Schema):
    id: int
    name: str
    short_name: str
    level: str


class RoleOut(Schema):
    committee_id: int
    role: str
    role_label: str
    area: str

    @staticmethod
    def resolve_role_label(obj: RoleAssignment) -> str:
        return str(obj.get_role_display())


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    committee: CommitteeOut | None
    committees: list[CommitteeOut]
    member_of: list[int]
    roles: list[RoleOut]
    unread_notifications: int


@router.get("/me", response=MeOut, summary="Who I am, where I work, what is unread")
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    committee: Committee | None = getattr(request, "committee", None)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "display_name": getattr(user, "display_name", ""),
        "email": getattr(user, "email", ""),
        "committee": committee,
        "committees": list(committees_for(user)),
        "member_of": sorted(member_committee_ids(user)),
        "roles": assignments_of(user),
        "unread_notifications": unread_count(user),
    }
