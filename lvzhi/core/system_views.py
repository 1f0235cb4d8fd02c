"""The system administrator's system page (系统状态) and the hub of the
committee's settings pages. GET only: nothing is written."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lvzhi.core import system
from lvzhi.core.settings_pages import settings_pages_for
from lvzhi.core.web import committee_for


@login_required
@require_GET
def system_page(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "core.view_system")
    context = {
        **system.health(),
        "backup_max_age": system.BACKUP_MAX_AGE,
        "settings_pages": settings_pages_for(request.user, committee),
    }
    return render(request, "core/system.html", context)


@login_required
@require_GET
def settings_hub(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "core.view_system")
    return render(
        request,
        "core/settings_hub.html",
        {"settings_pages": settings_pages_for(request.user, committee)},
    )
