"""Pages of the shared kernel: the holiday calendar and the error pages.

Thin views: selectors read, rules decide (``core.change_holiday`` for every
change), services write and audit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_POST

from lvzhi.core import selectors, services
from lvzhi.core.audit import PERMISSION_DENIED, audit_log
from lvzhi.core.forms import HolidayForm
from lvzhi.core.models import AuditEvent, Holiday
from lvzhi.core.notifications import notifications_mark_read
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import committee_for, object_for, paginate, posted, run_action, save_form

CHANGE_HOLIDAY = services.CHANGE_HOLIDAY


def _list_url(year: int) -> str:
    return f"{reverse('core:holiday_list')}?year={year}"


# --- Holiday calendar (节假日安排) -------------------------------------------


@login_required
def holiday_list(request: HttpRequest) -> HttpResponse:
    # Anyone logged in may read the calendar: it is the State Council's public
    # schedule, and deadlines everywhere are counted with it.
    year = selectors.parse_year(request.GET.get("year"))
    page_obj = paginate(request, selectors.holidays_in_year(year))
    context: dict[str, Any] = {
        "year": year,
        "years": selectors.holiday_years(),
        "page_obj": page_obj,
        "can_change": has_perm(request.user, CHANGE_HOLIDAY, getattr(request, "committee", None)),
    }
    return render(request, "core/holiday_list.html", context)


def _holiday_form(request: HttpRequest, holiday: Holiday | None, message: str) -> HttpResponse:
    """Add a day (``holiday`` None) or change one; back to its year when saved."""
    committee = committee_for(request, CHANGE_HOLIDAY)
    form = HolidayForm(posted(request), instance=holiday)

    def save(data: dict[str, Any]) -> Holiday:
        values = {"day": data["date"], "kind": data["kind"], "name": data["name"]}
        if holiday is None:
            return services.holiday_create(actor=request.user, committee=committee, **values)
        return services.holiday_update(
            actor=request.user, committee=committee, holiday=holiday, **values
        )

    saved = save_form(request, form, save, message)
    if saved is not None:
        return redirect(_list_url(saved.date.year))
    return render(request, "core/holiday_form.html", {"form": form, "holiday": holiday})


@login_required
def holiday_create(request: HttpRequest) -> HttpResponse:
    return _holiday_form(request, None, _("The day has been added to the holiday calendar."))


@login_required
def holiday_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee_for(request, CHANGE_HOLIDAY)
    holiday = object_for(request, Holiday.objects.all(), pk=pk)
    return _holiday_form(request, holiday, _("The holiday calendar has been updated."))


@login_required
@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, CHANGE_HOLIDAY)
    holiday = object_for(request, Holiday.objects.all(), pk=pk)
    return run_action(
        request,
        lambda: services.holiday_delete(actor=request.user, committee=committee, holiday=holiday),
        _("The day has been removed from the holiday calendar."),
        _list_url(holiday.date.year),
    )


# --- Error pages (wired as handler403/404/500 in lvzhi/urls.py) ---------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's in-app notifications, newest first, across committees."""
    page_obj = paginate(request, selectors.notifications_of(request.user))
    return render(request, "core/inbox.html", {"page_obj": page_obj})


@login_required
def minimal_page(request: HttpRequest) -> HttpResponse:
    """The logged-in baseline of the benchmark (bench/run.py, docs/performance.md):
    the same middleware, menu and header as every page, and a one-line body, so
    a page's cost above it is the page's own."""
    return render(request, "core/minimal.html")


@login_required
@require_POST
def inbox_mark_read(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    notifications_mark_read(user=request.user, ids=ids or None)
    return redirect("core:inbox")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: every refusal is written to the audit trail (DESIGN §5, §9)."""
    audit_log(
        action=PERMISSION_DENIED,
        result=AuditEvent.Result.DENIED,
        path=request.path[:500],
        method=request.method or "",
    )
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check is a refusal like any other: audited, then 403."""
    audit_log(
        action=PERMISSION_DENIED,
        result=AuditEvent.Result.DENIED,
        path=request.path[:500],
        method=request.method or "",
        reason=f"csrf: {reason}"[:200],
    )
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    # 500.html stands alone: it renders without context processors or the database.
    return defaults.server_error(request, template_name="500.html")
