"""办理沟通: the thread of one assignment between its unit and the proposers;
the proposal office and the leaders read it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.permissions import has_perm
from lvzhi.core.web import acting_user, committee_for, form_page, object_for, posted
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.views._common import detail_url


@login_required
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request)
    assignment = object_for(
        request,
        selectors.thread_assignments(committee),
        perm="proposals.view_assignment_thread",
        pk=pk,
    )
    proposal = assignment.proposal
    user = request.user
    may_write = (
        not assignment.is_withdrawn
        and proposal.status != Proposal.Status.CLOSED
        and has_perm(user, "proposals.write_assignment_message", assignment)
    )
    title = _("Messages with the proposers")
    context: dict[str, Any] = {
        "assignment": assignment,
        "proposal": proposal,
        "thread": list(selectors.thread_messages(assignment)),
        "proposers": selectors.thread_proposers(proposal),
        "contact_due": assignment.replies_to_proposer
        and assignment.is_open
        and not assignment.contacts.exists(),
        "today": timezone.localdate(),
        "breadcrumbs": [(proposal.title, detail_url(proposal))],
    }
    if not may_write:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "proposals/thread.html", {"title": title, **context})
    form = forms.MessageForm(
        posted(request),
        with_contact=has_perm(user, "proposals.handle_assignment", assignment),
    )
    return form_page(
        request,
        form,
        title=title,
        cancel_url=detail_url(proposal),
        save=lambda d: services.assignment_message_add(
            actor=acting_user(request), assignment=assignment, **d
        ),
        success=services.thread_url(assignment) + "#thread-end",
        message=_("Your message has been sent."),
        template="proposals/thread.html",
        submit_label=_("Send"),
        form_id="message-form",
        **context,
    )
