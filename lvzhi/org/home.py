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


@dataclass(frozen=True)
class RoleCard:
    """The card of a role: its section key (for registered shortcuts), icon,
    description and own shortcuts."""

    key: str
    icon: str
    description: Promise
    shortcuts: tuple[Shortcut, ...] = ()


# The cards in the order of the page.
ROLE_CARDS: dict[str, RoleCard] = {
    Role.STAFF: RoleCard(
        "staff", "briefcase", _("The work queues of your functional area."), STAFF_SHORTCUTS
    ),
    Role.LEADER: RoleCard(
        "leader",
        "eye",
        _("You can read all the work of the committee and give approvals."),
        LEADER_SHORTCUTS,
    ),
    Role.UNIT: RoleCard(
        "unit",
        "building",
        _("Proposals and consultation outcomes assigned to your unit appear here."),
    ),
    Role.GOV_LEADER: RoleCard(
        "gov_leader",
        "flag",
        _("Reports sent to you, topics you propose and your instructions appear here."),
    ),
    Role.SYSADMIN: RoleCard(
        "sysadmin",
        "gear",
        _("You keep the configuration: the holiday calendar and settings."),
        SYSADMIN_SHORTCUTS,
    ),
    Role.SECADMIN: RoleCard(
        "secadmin",
        "shield-lock",
        _("You manage user accounts, role assignments and password resets."),
        SECADMIN_SHORTCUTS,
    ),
    Role.AUDITOR: RoleCard(
        "auditor", "journal-text", _("You read the audit trail of the platform."), AUDITOR_SHORTCUTS
    ),
}


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
    for role, card in ROLE_CARDS.items():
        held = by_role.get(role)
        if not held:
            continue
        shortcuts, keys, details = card.shortcuts, [card.key], []
        if role == Role.STAFF:
            # The queues of each functional area held, then the staff's own.
            areas = [a.area for a in held if a.area]
            shortcuts = (*(s for a in areas for s in STAFF_AREA_SHORTCUTS.get(a, ())), *shortcuts)
            keys = [*(f"staff:{a}" for a in areas), card.key]
            if areas:
                names = "、".join(str(Area(a).label) for a in areas)
                details.append(str(_("Functional area: %(areas)s") % {"areas": names}))
        elif role == Role.UNIT:
            units = HandlingUnit.objects.filter(
                committee=committee, pk__in={a.unit_id for a in held if a.unit_id}
            ).values_list("name", flat=True)
            if units:
                details.append(str(_("You act for: %(units)s") % {"units": "、".join(units)}))
        sections.append(
            Section(
                key=card.key,
                title=Role(role).label,
                icon=card.icon,
                description=card.description,
                details=details,
                links=_links(request, shortcuts, *keys),
            )
        )
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
