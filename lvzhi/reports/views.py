"""The report pages: read the period, check the rule, build the figures, render.
A period that cannot be read shows its message instead of the figures (400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import unit_ids_of
from lvzhi.core.audit import audit_log
from lvzhi.core.db_router import reads_from_replica
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import committee_for
from lvzhi.org.selectors import member_of_user
from lvzhi.reports import audit, profile, rollup, unit, year
from lvzhi.reports.figures import SECTIONS, SectionSpec
from lvzhi.reports.figures.base import Section
from lvzhi.reports.period import Period, PeriodError, period_from
from lvzhi.reports.word import year_document

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page(
    request: HttpRequest,
    template: str,
    build: Callable[[Period], list[Section]],
    **context: Any,
) -> HttpResponse:
    try:
        period = period_from(request.GET)
    except PeriodError as error:
        return render(
            request,
            template,
            {"period_error": error.message, "sections": [], **context},
            status=400,
        )
    sections = build(period)
    return render(
        request,
        template,
        {
            "period": period,
            "period_query": urlencode(period.own_query()),
            "sections": sections,
            "empty": not any(s.has_data for s in sections),
            "charts": [t.chart_data() for s in sections for t in s.tables if t.chart],
            **context,
        },
    )


def _sections_for(request: HttpRequest, committee: Any) -> list[SectionSpec]:
    return [
        s for s in SECTIONS.values() if has_perm(request.user, f"reports.view_{s.key}", committee)
    ]


@login_required
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    """The leader's 驾驶舱 (every section's headline and main breakdown); staff
    get the sections of their areas."""
    committee = committee_for(request, "reports.view_dashboard")
    specs = _sections_for(request, committee)
    return _page(
        request,
        "reports/dashboard.html",
        lambda period: [s.build(committee, period, detail=False) for s in specs],
        section_keys=specs,
        exportable=True,
        year_link=True,
    )


Built = tuple[Any, Callable[[Period], list[Section]]]


def _section_built(request: HttpRequest, key: str, *, table: str = "") -> Built:
    """The section, or only its ``table`` when the section builds that one
    alone (SectionSpec.tables: an export reads one table, not the section)."""
    spec = SECTIONS.get(key)
    if spec is None:
        raise Http404
    committee = committee_for(request, f"reports.view_{key}")
    alone = spec.tables.get(table)
    if alone is not None:
        return committee, lambda period: [
            Section(key, spec.title, tables=[alone(committee, period)])
        ]
    return committee, lambda period: [spec.build(committee, period)]


def _rollup_built(request: HttpRequest) -> Built:
    committee = committee_for(request, "reports.view_dashboard")
    keys = [s.key for s in _sections_for(request, committee)]
    return committee, lambda period: [
        Section("rollup", _("Committees below"), tables=[rollup.table(committee, period, keys)])
    ]


def _unit_built(request: HttpRequest) -> Built:
    committee = committee_for(request, "reports.view_unit_record")
    units = unit_ids_of(request.user, committee)
    return committee, lambda period: [unit.record(committee.pk, units, period)]


def _profile_built(request: HttpRequest) -> Built:
    committee = committee_for(request, "reports.view_profile")
    member = member_of_user(request.user, committee)
    if member is None:
        raise Http404
    return committee, lambda period: [profile.profile(member, period.until.year)]


# The pages other than the sections whose tables export (``?table=<page>.<name>``).
EXPORTS: dict[str, Callable[[HttpRequest], Built]] = {
    "rollup": _rollup_built,
    "unit": _unit_built,
    "me": _profile_built,
}


@login_required
@reads_from_replica
def section(request: HttpRequest, key: str) -> HttpResponse:
    committee, build = _section_built(request, key)
    return _page(
        request,
        "reports/dashboard.html",
        build,
        section_keys=_sections_for(request, committee),
        current=key,
        exportable=True,
        year_link=True,
    )


@login_required
@reads_from_replica
def rollup_page(request: HttpRequest) -> HttpResponse:
    """The committee's headline numbers beside those of each committee below it."""
    committee, build = _rollup_built(request)
    return _page(
        request,
        "reports/dashboard.html",
        build,
        section_keys=_sections_for(request, committee),
        current="rollup",
        exportable=True,
    )


@login_required
@reads_from_replica
def unit_record(request: HttpRequest) -> HttpResponse:
    _committee, build = _unit_built(request)
    return _page(request, "reports/dashboard.html", build, exportable=True)


@login_required
@reads_from_replica
def me(request: HttpRequest) -> HttpResponse:
    committee, build = _profile_built(request)
    return _page(
        request,
        "reports/dashboard.html",
        build,
        member=member_of_user(request.user, committee),
        year_only=True,
        exportable=True,
    )


@login_required
@reads_from_replica
def export(request: HttpRequest) -> HttpResponseBase:
    """One table of a report page as an Excel file: ``?table=<page>.<name>``
    (a section's key, or rollup, unit, me) and the period."""
    key = request.GET.get("table", "")
    page = key.split(".", 1)[0]
    if page in SECTIONS:
        committee, build = _section_built(request, page, table=key)
    elif page in EXPORTS:
        committee, build = EXPORTS[page](request)
    else:
        raise Http404
    try:
        period = period_from(request.GET)
    except PeriodError as error:
        return render(
            request,
            "reports/dashboard.html",
            {"period_error": error.message, "sections": []},
            status=400,
        )
    table = next((t for s in build(period) for t in s.tables if t.key == key), None)
    if table is None:
        raise Http404
    audit_log(action=audit.TABLE_EXPORT, committee=committee, table=key, period=period.label)
    name = key.replace(".", "-")
    return xlsx_response(
        f"{name}-{today_stamp()}.xlsx",
        str(table.title),
        [str(h) for h in table.headers],
        table.plain_rows(),
    )


def _year_text(request: HttpRequest) -> tuple[Any, Period, str, list[list[year.Piece]]]:
    """The period's text: every section the user may read, or with
    ``?text=proposals`` the report on proposal handling (proposals' readers)."""
    text = request.GET.get("text", "")
    if text == year.PROPOSAL_REPORT:
        committee = committee_for(request, "reports.view_proposals")
        period = period_from(request.GET)
        return committee, period, text, year.proposal_report(committee, period)
    committee = committee_for(request, "reports.view_dashboard")
    period = period_from(request.GET)
    specs = _sections_for(request, committee)
    return committee, period, "", year.paragraphs(specs, committee, period)


@login_required
@reads_from_replica
def year_page(request: HttpRequest) -> HttpResponse:
    """The year (or a quarter) in a work report's words, printable; every number links."""
    try:
        committee, period, text, paragraphs = _year_text(request)
    except PeriodError as error:
        return render(request, "reports/year.html", {"period_error": error.message}, status=400)
    query = {**period.own_query(), **({"text": text} if text else {})}
    return render(
        request,
        "reports/year.html",
        {
            "period": period,
            "period_query": urlencode(query),
            "text": text,
            "title": year.title(committee, period, text=text),
            "paragraphs": paragraphs,
            "empty": not year.counts_anything(paragraphs),
        },
    )


@login_required
@reads_from_replica
def year_export(request: HttpRequest) -> HttpResponse:
    try:
        committee, period, text, paragraphs = _year_text(request)
    except PeriodError as error:
        return render(request, "reports/year.html", {"period_error": error.message}, status=400)
    title = year.title(committee, period, text=text)
    audit_log(action=audit.YEAR_EXPORT, committee=committee, period=period.label)
    response = HttpResponse(year_document(title, paragraphs), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="year-{today_stamp()}.docx"'
    return response
