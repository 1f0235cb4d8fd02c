"""What the duties pages share: the user's own seat, the one form page and
the note typed with a decision."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lvzhi.core.web import committee_for, form_status
from lvzhi.duties import forms
from lvzhi.org.models import Committee, Member
from lvzhi.org.selectors import member_of_user


def my_member(request: HttpRequest) -> tuple[Committee, Member]:
    """The committee and the user's own seat in it; 403 for a non-member."""
    committee = committee_for(request, "duties.take_part")
    member = member_of_user(request.user, committee)
    if member is None:
        raise PermissionDenied
    return committee, member


def form_page(
    request: HttpRequest, form: BaseForm, *, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    """The one form page of the app (400 when the form came back with errors)."""
    context = {"form": form, "title": title, "cancel_url": cancel_url, **extra}
    return render(request, "duties/form.html", context, status=form_status(form))


def note_of(request: HttpRequest) -> str:
    """The optional note posted with a decision button (empty when too long)."""
    form = forms.NoteForm(request.POST)
    return str(form.cleaned_data["note"]) if form.is_valid() else ""
