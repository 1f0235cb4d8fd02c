"""The hub of a committee's settings pages (设置总览) on the system page:
each page that edits a committee's settings or rules-as-data, with the
permission that opens it and who keeps it. The system administrator sees
every page, a link on those they may open and who keeps the others.

Core names the pages by URL name and permission, strings only (it imports
no app); a page not built (yet) is left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.core.permissions import has_perm


@dataclass(frozen=True)
class SettingsPage:
    label: str | Promise
    url_name: str
    permission: str
    keeper: str | Promise  # who keeps it, shown to those who may not open it


_pages: list[SettingsPage] = []


def register_settings_pages(*pages: SettingsPage) -> None:
    for page in pages:
        if page not in _pages:
            _pages.append(page)


register_settings_pages(
    SettingsPage(
        _("Holiday calendar"),
        "core:holiday_list",
        "core.change_holiday",
        _("the system administrator of the top committee"),
    ),
    SettingsPage(
        _("Proposal settings"),
        "proposals:settings",
        "proposals.configure",
        _("the proposals office"),
    ),
    SettingsPage(
        _("Opinion report settings"),
        "opinions:settings",
        "opinions.configure",
        _("the opinions office"),
    ),
    SettingsPage(
        _("Consultation settings"),
        "consultations:settings",
        "consultations.configure",
        _("the consultations office"),
    ),
    SettingsPage(_("Duty settings"), "duties:settings", "duties.configure", _("the duties office")),
    SettingsPage(
        _("Points policies"), "points:policy_list", "points.manage", _("the duties office")
    ),
    SettingsPage(
        _("Public channel settings"),
        "public:settings",
        "public.configure",
        _("the public-liaison office"),
    ),
)


def settings_pages_for(user: Any, committee: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for page in _pages:
        try:
            url = reverse(page.url_name)
        except NoReverseMatch:
            continue
        may_open = has_perm(user, page.permission, committee)
        rows.append({"label": page.label, "url": url, "may_open": may_open, "keeper": page.keeper})
    return rows
