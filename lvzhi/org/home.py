"""The home page (首页): where every user lands after login.

It fits the roles the user holds in the current committee: a member sees
their seat, office staff the pages of their functional area, each
administrator the page of their duty. Shortcuts name a URL and a permission;
one whose URL does not exist (yet) or whose permission the user lacks is
left out, so the page never breaks while other parts are being built.

Above the shortcuts each section shows its to-dos (DESIGN §12: every role's
home page is its to-do list): counts registered by the domain apps
(``register_todos``), each linking to the queue filtered to those rows. The
counts a page shows are taken in one SQL statement (``count_together``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.db.models import IntegerField, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.models import Area, Role, RoleAssignment
from lvzhi.accounts.roles import assignments_of
from lvzhi.core.models import EmailOutbox
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
    todos: list[dict[str, Any]] = field(default_factory=list)
    # The keys its registered shortcuts and to-dos are filed under.
    keys: list[str] = field(default_factory=list)


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
    Shortcut(_("System status"), "core:system", "core.view_system", "activity"),
    Shortcut(_("Committee settings pages"), "core:settings_hub", "core.view_system", "sliders"),
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


# --- To-dos -------------------------------------------------------------------------------

# What a to-do counts: the waiting rows as a queryset (preferred: the page
# counts all of them in one statement) or a number already counted.
Countable = int | QuerySet[Any]


@dataclass(frozen=True)
class Todo:
    """待办: a count of the rows waiting for the user, linking to the queue of them.

    ``count(request)`` returns the rows (a queryset scoped to
    ``request.committee`` and ``request.user``) or their number; it runs only
    when the user holds ``permission`` (checked on the committee). ``query``
    is the queue's filter query string, e.g. ``"state=submitted"`` (or a
    callable of the request, for a filter naming the user); ``anchor`` a
    part of the queue page (``"upcoming"``). ``urgent``: shown in red when
    there are any (overdue items)."""

    label: str | Promise
    url_name: str
    count: Callable[[AuthedRequest], Countable]
    permission: str | None = None
    query: str | Callable[[AuthedRequest], str] = ""
    icon: str = "inbox"
    urgent: bool = False
    anchor: str = ""


@dataclass(frozen=True)
class Figure:
    """A figure of the user's own standing shown with the to-dos (this year's
    points, the required duties done): ``value(request)`` is the text shown,
    or None to leave the figure out (no policy this year)."""

    label: str | Promise
    url_name: str
    value: Callable[[AuthedRequest], str | None]
    permission: str | None = None
    query: str | Callable[[AuthedRequest], str] = ""
    icon: str = "graph-up"


# To-dos and figures the domain apps add from their AppConfig.register(), by
# the same section keys as the shortcuts.
_registered_todos: dict[str, list[Todo | Figure]] = {}


def register_todos(section: str, *todos: Todo | Figure) -> None:
    """Add to-dos (and figures) to a section of the home page (in AppConfig.register)."""
    bucket = _registered_todos.setdefault(section, [])
    bucket.extend(t for t in todos if t not in bucket)


class CountOf(Subquery):
    """The number of rows of a queryset, as a scalar subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) todo_rows)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet[Any]) -> None:
        # Distinct: a selector's joins must not count a row twice.
        super().__init__(queryset.order_by().values("pk").distinct())


def count_together(committee: Committee, querysets: list[QuerySet[Any]]) -> list[int]:
    """Count every queryset in one SQL statement (a scalar subquery each, on
    the committee's row); no query at all for an empty list."""
    if not querysets:
        return []
    names = {f"n{index}": CountOf(qs) for index, qs in enumerate(querysets)}
    row = Committee.objects.filter(pk=committee.pk).annotate(**names).values_list(*names)
    return [int(n or 0) for n in row.get()]  # an empty queryset (.none()) counts as NULL


T = TypeVar("T")
_MEMO_ATTR = "_lvzhi_home_memo"


def per_request(fn: Callable[[AuthedRequest], T]) -> Callable[[AuthedRequest], T]:
    """Run ``fn`` once per request, so several figures share one read."""

    def memoised(request: AuthedRequest) -> T:
        memo: dict[Any, Any] = request.__dict__.setdefault(_MEMO_ATTR, {})
        if fn not in memo:
            memo[fn] = fn(request)
        return cast(T, memo[fn])

    return memoised


def _target(request: AuthedRequest, item: Todo | Figure) -> str | None:
    try:
        url = reverse(item.url_name)
    except NoReverseMatch:
        return None  # that page is not built yet
    query = item.query(request) if callable(item.query) else item.query
    if query:
        url = f"{url}?{query}"
    if isinstance(item, Todo) and item.anchor:
        url = f"{url}#{item.anchor}"
    return url


def _todos(request: AuthedRequest, sections: list[Section]) -> None:
    """Fill each section's ``todos``: the registered to-dos and figures of its
    keys the user may see (permission first), each with its count or value;
    the counts of the whole page in one statement."""
    pending: list[tuple[dict[str, Any], QuerySet[Any]]] = []
    for section in sections:
        seen: set[tuple[str, str]] = set()
        for key in section.keys:
            for item in _registered_todos.get(key, ()):
                if item.permission and not request.user.has_perm(
                    item.permission, request.committee
                ):
                    continue
                url = _target(request, item)
                if url is None or (str(item.label), url) in seen:
                    continue
                seen.add((str(item.label), url))
                entry: dict[str, Any] = {"label": item.label, "url": url, "icon": item.icon}
                if isinstance(item, Figure):
                    value = item.value(request)
                    if value is None:
                        continue
                    entry.update(figure=True, value=value)
                else:
                    entry.update(figure=False, urgent=item.urgent)
                    counted = item.count(request)
                    if isinstance(counted, QuerySet):
                        pending.append((entry, counted))
                    else:
                        entry["count"] = int(counted)
                section.todos.append(entry)
    numbers = count_together(request.committee, [qs for _entry, qs in pending])
    for (entry, _qs), number in zip(pending, numbers, strict=True):
        entry["count"] = number
    for section in sections:
        for entry in section.todos:
            if not entry["figure"]:
                entry["alert"] = entry["urgent"] and entry["count"] > 0
                entry["muted"] = entry["count"] == 0


def _failed_emails(_request: AuthedRequest) -> QuerySet[Any]:
    return EmailOutbox.objects.filter(status=EmailOutbox.Status.FAILED)


def _unsent_emails(_request: AuthedRequest) -> QuerySet[Any]:
    return EmailOutbox.objects.filter(status=EmailOutbox.Status.PENDING)


# The system administrator's to-dos: the outbox as the system page shows it.
SYSADMIN_TODOS = (
    Todo(
        _("E-mails that failed"),
        "core:system",
        _failed_emails,
        "core.view_system",
        icon="envelope-exclamation",
        urgent=True,
        anchor="health-outbox",
    ),
    Todo(
        _("E-mails waiting to be sent"),
        "core:system",
        _unsent_emails,
        "core.view_system",
        icon="envelope",
        anchor="health-outbox",
    ),
)
register_todos("sysadmin", *SYSADMIN_TODOS)


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
        keys=["member"],
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
                keys=keys,
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
    _todos(req, [*([member_section] if member_section else []), *sections])
    context = {
        "committee": committee,
        "member": member,
        "member_section": member_section,
        "sections": sections,
    }
    return render(request, "org/home.html", context)
