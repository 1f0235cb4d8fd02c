"""What the duties pages share: the user's own seat and the decision
buttons (yes or no, with an optional note) of staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from lvzhi.core.web import committee_for, run_action
from lvzhi.duties import forms
from lvzhi.org.models import Committee, Member
from lvzhi.org.selectors import member_of_user


def my_member(request: HttpRequest, perm: str = "duties.take_part") -> tuple[Committee, Member]:
    """The committee and the user's own seat in it, if ``perm`` holds there;
    403 for a non-member (points' own pages share it with ``points.view_own``)."""
    committee = committee_for(request, perm)
    member = member_of_user(request.user, committee)
    if member is None:
        raise PermissionDenied
    return committee, member


def note_of(request: HttpRequest) -> str:
    """The optional note posted with a decision button (empty when too long)."""
    form = forms.NoteForm(request.POST)
    return str(form.cleaned_data["note"]) if form.is_valid() else ""


def decision_page(
    request: HttpRequest,
    yes: str,
    decide: Callable[[bool, str], Any],
    messages: tuple[str, str],
    next_url: str,
) -> HttpResponse:
    """A staff decision posted as ``decision=<yes>`` (anything else is no) with
    an optional note: ``decide(yes, note)``, its message, back to ``next_url``."""
    accepted = request.POST.get("decision") == yes
    return run_action(
        request,
        lambda: decide(accepted, note_of(request)),
        messages[0] if accepted else messages[1],
        next_url,
    )
