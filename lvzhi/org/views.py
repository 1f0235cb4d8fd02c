"""Organisation pages. Thin: selectors read, rules decide, services write."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lvzhi.org.middleware import SESSION_KEY
from lvzhi.org.selectors import member_of_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    committee = request.committee  # type: ignore[attr-defined]
    member = member_of_user(request.user, committee) if committee else None
    return render(request, "org/home.html", {"member": member})


@login_required
@require_POST
def switch_committee(request: HttpRequest) -> HttpResponse:
    available = {c.pk for c in request.available_committees}  # type: ignore[attr-defined]
    try:
        committee_id = int(request.POST.get("committee", ""))
    except ValueError:
        raise Http404 from None
    if committee_id not in available:
        raise Http404
    request.session[SESSION_KEY] = committee_id
    return redirect("home")
