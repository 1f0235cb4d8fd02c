"""Sets ``request.committee``: the committee the user is working in now.

A person may work in several committees (the city's and the county's); the
choice is kept in the session and changed with the committee switcher."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lvzhi.org.selectors import working_committees

SESSION_KEY = "lvzhi_committee_id"


class CurrentCommitteeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.committee = None  # type: ignore[attr-defined]
        request.available_committees = []  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            available = working_committees(request.user)
            chosen_id = request.session.get(SESSION_KEY)
            current = next((c for c in available if c.pk == chosen_id), None)
            if current is None and available:
                current = available[0]
                request.session[SESSION_KEY] = current.pk
            request.committee = current  # type: ignore[attr-defined]
            request.available_committees = available  # type: ignore[attr-defined]
        return self.get_response(request)
