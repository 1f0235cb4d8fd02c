"""The year's statistics (and their export) and the committee's settings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.excel import xlsx_response
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    list_page,
    posted,
    this_year,
    year_param,
)
from lvzhi.opinions import forms, selectors, services
from lvzhi.opinions.models import Level


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "opinions.view_stats")
    year = year_param(request, this_year())
    return list_page(
        request,
        "opinions/stats.html",
        selectors.stats_by_member(committee, year),
        year=year,
        years=selectors.stat_years(committee),
        totals=selectors.stats_totals(committee, year),
        by_sector=selectors.stats_by_sector(committee, year),
        levels=Level.choices,
    )


@login_required
def stats_export(request: HttpRequest) -> HttpResponseBase:
    committee = committee_for(request, "opinions.export")
    year = year_param(request, this_year())
    by_sector = request.GET.get("by") == "sector"
    counts = (
        [_("Submitted"), _("Used")]
        + [str(label) for _v, label in Level.choices]
        + [_("Instructions")]
    )
    keys = selectors.STAT_FIELDS
    if by_sector:
        headers = [_("Sector"), *counts]
        data = selectors.stats_by_sector(committee, year)
        rows = ([r["member__sector__name"] or "—", *[r[k] for k in keys]] for r in data)
    else:
        headers = [_("Member"), _("Sector"), *counts]
        members = selectors.stats_by_member(committee, year)
        rows = (
            [r["member__person__name"], r["member__sector__name"] or "", *[r[k] for k in keys]]
            for r in members.iterator()
        )
    audit_log(
        action="opinions.stats_export",
        committee=committee,
        year=year,
        by="sector" if by_sector else "member",
    )
    return xlsx_response(f"社情民意统计_{year}.xlsx", str(year), headers, rows)


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "opinions.configure")
    names = "\n".join(c.name for c in selectors.categories_of(committee))
    form = forms.SettingsForm(
        posted(request),
        initial={"max_chars": selectors.max_chars_of(committee), "categories": names},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.settings_update(
            actor=acting_user(request),
            committee=committee,
            max_chars=data["max_chars"],
            categories=data["categories"],
        ),
        message=_("The settings have been saved."),
        success=reverse("opinions:settings"),
        title=_("Public-opinion report settings"),
        cancel_url=reverse("home"),
    )
