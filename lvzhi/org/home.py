"""The home page (首页): where every user lands after login.

It fits the roles the user holds in the current committee: a member sees
their seat, office staff the pages of their functional area, each
administrator the page of their duty. Shortcuts name a URL and a permission;
one whose URL does not exist (yet) or whose permission the user lacks is
left out, so the page never breaks while other parts are being built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.models import Area, Role, RoleAssignment
from lvzhi.accounts.roles import assignments_of
from lvzhi.org.http import AuthedRequest
from lvzhi.org.models import Committee, HandlingUnit, Member, Sector
from lvzhi.org.selectors import member_committee_ids, member_of_user


@dataclass(frozen=True)
class Shortcut:
    label: str | Promise
    url_name: str
    permission: str | None = None  # None: anyone who sees the section
    icon: str = "arrow-right-circle"


@dataclass
class Section:
    """One card of the home page: a role the user holds and its shortcuts."""

    key: str
    title: str | Promise
    icon: str
    description: str | Promise = ""
    details: list[str] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)


HOLIDAYS = Shortcut(_("Holiday calendar"), "core:holiday_list", None, "calendar3")
ROSTER = Shortcut(_("Member roster"), "org:member_list", "org.view_roster", "people")
STRUCTURE = (
    Shortcut(_("Terms and sessions"), "org:structure", "org.view_structure", "calendar-range"),
    Shortcut(_("Sector clusters"), "org:cluster_list", "org.view_structure", "grid"),
    Shortcut(_("Sectors"), "org:sector_list", "org.view_structure", "diagram-3"),
    Shortcut(
        _("Special committees"), "org:special_committee_list", "org.view_structure", "collection"
    ),
    Shortcut(_("Handling units"), "org:unit_list", "org.view_structure", "building"),
    Shortcut(_("Studios"), "org:studio_list", "org.view_structure", "house-heart"),
    Shortcut(_("Liaison stations"), "org:station_list", "org.view_structure", "geo-alt"),
)

MEMBER_SHORTCUTS = (
    Shortcut(_("My profile"), "org:my_profile", "org.view_own_profile", "person-vcard"),
)
# Per functional area of office staff; areas whose apps do not exist yet add
# their queues here when they are built.
STAFF_AREA_SHORTCUTS: dict[str, tuple[Shortcut, ...]] = {
    Area.ORG: (
        ROSTER,
        Shortcut(
            _("Import the roster"),
            "org:roster_import",
            "org.import_roster",
            "file-earmark-arrow-up",
        ),
        Shortcut(_("Add a member"), "org:member_create", "org.change_roster", "person-plus"),
        *STRUCTURE,
    ),
}
STAFF_SHORTCUTS = (ROSTER, HOLIDAYS)
LEADER_SHORTCUTS = (ROSTER, *STRUCTURE)
SYSADMIN_SHORTCUTS = (
    Shortcut(_("Holiday calendar"), "core:holiday_list", "core.change_holiday", "calendar3"),
)
SECADMIN_SHORTCUTS = (
    Shortcut(
        _("User accounts and roles"), "accounts:user_list", "accounts.manage_roles", "person-gear"
    ),
)
AUDITOR_SHORTCUTS = (
    Shortcut(_("Audit trail"), "accounts:audit_list", "core.view_audit", "journal-text"),
)

# Shortcuts that later apps add from their AppConfig.register(), by section key:
# "member", "staff", "staff:<area>", "leader", "unit", "gov_leader",
# "sysadmin", "secadmin", "auditor".
_registered: dict[str, list[Shortcut]] = {}


def register_shortcuts(section: str, *shortcuts: Shortcut) -> None:
    """Add shortcuts to a section of the home page (called in AppConfig.register)."""
    bucket = _registered.setdefault(section, [])
    bucket.extend(s for s in shortcuts if s not in bucket)


ROLE_ORDER = [
    Role.STAFF,
    Role.LEADER,
    Role.UNIT,
    Role.GOV_LEADER,
    Role.SYSADMIN,
    Role.SECADMIN,
    Role.AUDITOR,
]


def _links(
    request: AuthedRequest, shortcuts: tuple[Shortcut, ...], *sections: str
) -> list[dict[str, Any]]:
    """The shortcuts the user may follow, each URL once, unknown URL names
    skipped; the registered shortcuts of ``sections`` come first."""
    links: list[dict[str, Any]] = []
    seen: set[str] = set()
    registered = [s for key in sections for s in _registered.get(key, ())]
    for shortcut in (*registered, *shortcuts):
        if shortcut.permission and not request.user.has_perm(
            shortcut.permission, request.committee
        ):
            continue
        try:
            url = reverse(shortcut.url_name)
        except NoReverseMatch:
            continue  # that page is not built yet
        if url in seen or any(link["label"] == shortcut.label for link in links):
            continue
        seen.add(url)
        links.append({"label": shortcut.label, "url": url, "icon": shortcut.icon})
    return links


def _member_section(request: AuthedRequest, member: Member) -> Section:
    section = Section(
        key="member",
        title=_("My seat"),
        icon="person-badge",
        links=_links(request, MEMBER_SHORTCUTS, "member"),
    )
    convened = list(Sector.objects.filter(conveners=member).values_list("name", flat=True))
    if convened:
        section.details.append(
            str(_("Convener of: %(sectors)s") % {"sectors": "、".join(convened)})
        )
    return section


def _role_sections(
    request: AuthedRequest, assignments: list[RoleAssignment], committee: Committee
) -> list[Section]:
    by_role: dict[str, list[RoleAssignment]] = {}
    for assignment in assignments:
        by_role.setdefault(assignment.role, []).append(assignment)
    sections: list[Section] = []
    for role in ROLE_ORDER:
        held = by_role.get(role)
        if not held:
            continue
        label = Role(role).label
        if role == Role.STAFF:
            areas = [a.area for a in held if a.area]
            shortcuts: tuple[Shortcut, ...] = ()
            for area in areas:
                shortcuts += STAFF_AREA_SHORTCUTS.get(area, ())
            section = Section(
                key="staff",
                title=label,
                icon="briefcase",
                description=_("The work queues of your functional area."),
                links=_links(
                    request, (*shortcuts, *STAFF_SHORTCUTS), *[f"staff:{a}" for a in areas], "staff"
                ),
            )
            if areas:
                names = "、".join(str(Area(a).label) for a in areas)
                section.details.append(str(_("Functional area: %(areas)s") % {"areas": names}))
        elif role == Role.LEADER:
            section = Section(
                key="leader",
                title=label,
                icon="eye",
                description=_("You can read all the work of the committee and give approvals."),
                links=_links(request, LEADER_SHORTCUTS, "leader"),
            )
        elif role == Role.UNIT:
            unit_ids = {a.unit_id for a in held if a.unit_id}
            units = HandlingUnit.objects.filter(committee=committee, pk__in=unit_ids).values_list(
                "name", flat=True
            )
            section = Section(
                key="unit",
                title=label,
                icon="building",
                description=_(
                    "Proposals and consultation outcomes assigned to your unit appear here."
                ),
                links=_links(request, (), "unit"),
            )
            if unit_ids:
                section.details.append(
                    str(_("You act for: %(units)s") % {"units": "、".join(units)})
                )
        elif role == Role.GOV_LEADER:
            section = Section(
                key="gov_leader",
                title=label,
                icon="flag",
                description=_(
                    "Reports sent to you, topics you propose and your instructions appear here."
                ),
                links=_links(request, (), "gov_leader"),
            )
        elif role == Role.SYSADMIN:
            section = Section(
                key="sysadmin",
                title=label,
                icon="gear",
                description=_("You keep the configuration: the holiday calendar and settings."),
                links=_links(request, SYSADMIN_SHORTCUTS, "sysadmin"),
            )
        elif role == Role.SECADMIN:
            section = Section(
                key="secadmin",
                title=label,
                icon="shield-lock",
                description=_("You manage user accounts, role assignments and password resets."),
                links=_links(request, SECADMIN_SHORTCUTS, "secadmin"),
            )
        else:  # auditor
            section = Section(
                key="auditor",
                title=label,
                icon="journal-text",
                description=_("You read the audit trail of the platform."),
                links=_links(request, AUDITOR_SHORTCUTS, "auditor"),
            )
        sections.append(section)
    return sections


@login_required
def home(request: HttpRequest) -> HttpResponse:
    req = cast(AuthedRequest, request)
    committee: Committee | None = getattr(req, "committee", None)
    if committee is None:
        # Logged in but holding no role and no seat anywhere: say whom to ask.
        return render(request, "org/home.html", {"committee": None, "sections": []})
    member = None
    if committee.pk in member_committee_ids(req.user):
        member = member_of_user(req.user, committee)
        if member is not None and member.status != Member.Status.IN_OFFICE:
            member = None
    assignments = [a for a in assignments_of(req.user) if a.committee_id == committee.pk]
    sections = _role_sections(req, assignments, committee)
    member_section = _member_section(req, member) if member is not None else None
    context = {
        "committee": committee,
        "member": member,
        "member_section": member_section,
        "sections": sections,
    }
    return render(request, "org/home.html", context)
