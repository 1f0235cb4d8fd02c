"""Issues: the list, a draft issue filled with items and published, the
printable issue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.web import acting_user, committee_for, form_page, list_page, posted, run_action
from lvzhi.core.workflow import actions_for
from lvzhi.opinions import forms, selectors, services
from lvzhi.opinions.filters import IssueFilter
from lvzhi.opinions.models import EditedItem, Issue
from lvzhi.opinions.views._common import desk, issue_for


def _issue_page(issue: Issue) -> str:
    return reverse("opinions:issue_detail", args=[issue.pk])


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "opinions.view_issues")
    rows = selectors.issues_of(committee, request.user)
    return list_page(
        request, "opinions/issue_list.html", IssueFilter(request.GET, rows, committee=committee)
    )


@login_required
def issue_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "opinions.create_issue")
    form = forms.IssueForm(posted(request))
    return form_page(
        request,
        form,
        save=lambda data: services.issue_create(
            actor=acting_user(request), committee=committee, **data
        ),
        message=_("The issue has been created; now choose its items."),
        success=_issue_page,
        title=_("New issue"),
        cancel_url=reverse("opinions:issue_list"),
    )


@login_required
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    issue = issue_for(request, desk(request), pk)
    initial = {
        "date": issue.date,
        "title": issue.title,
        "to_upper": issue.to_upper,
        "to_party": issue.to_party,
        "to_government": issue.to_government,
    }
    form = forms.IssueForm(posted(request), initial=initial, editing=True)
    return form_page(
        request,
        form,
        save=lambda data: services.issue_update(actor=acting_user(request), issue=issue, **data),
        message=_("The issue has been saved."),
        success=_issue_page(issue),
        title=_("Edit %(issue)s") % {"issue": issue},
        cancel_url=_issue_page(issue),
    )


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "opinions.view_issues")
    issue = issue_for(request, committee, pk)
    may_add = "add_items" in actions_for(issue, request.user)
    context = {
        "issue": issue,
        "items": issue.items.all(),
        "add_form": forms.AddItemsForm(committee=committee) if may_add else None,
    }
    return render(request, "opinions/issue_detail.html", context)


@login_required
@require_POST
def issue_add_items(request: HttpRequest, pk: int) -> HttpResponse:
    committee = desk(request)
    issue = issue_for(request, committee, pk)
    form = forms.AddItemsForm(request.POST, committee=committee)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_issue_page(issue))
    return run_action(
        request,
        lambda: services.issue_add_items(
            actor=acting_user(request), issue=issue, items=list(form.cleaned_data["items"])
        ),
        _("The items have been added to the issue."),
        _issue_page(issue),
    )


def _issue_item(request: HttpRequest, pk: int, item_pk: int) -> tuple[Issue, EditedItem]:
    committee = desk(request)
    issue = issue_for(request, committee, pk)
    item = get_object_or_404(selectors.items_of(committee).filter(issue=issue), pk=item_pk)
    return issue, item


@login_required
@require_POST
def issue_remove_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    issue, item = _issue_item(request, pk, item_pk)
    return run_action(
        request,
        lambda: services.issue_remove_item(actor=acting_user(request), issue=issue, item=item),
        _("The item has been taken out of the issue."),
        _issue_page(issue),
    )


@login_required
@require_POST
def issue_move_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    issue, item = _issue_item(request, pk, item_pk)
    up = request.POST.get("direction") == "up"
    return run_action(
        request,
        lambda: services.issue_move_item(actor=acting_user(request), issue=issue, item=item, up=up),
        _("The order has been changed."),
        _issue_page(issue),
    )


@login_required
@require_POST
def issue_publish(request: HttpRequest, pk: int) -> HttpResponse:
    issue = issue_for(request, desk(request), pk)
    return run_action(
        request,
        lambda: services.issue_publish(actor=acting_user(request), issue=issue),
        _("The issue has been published; the submitters have been told."),
        _issue_page(issue),
    )


@login_required
def issue_print(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "opinions.view_issues")
    issue = issue_for(request, committee, pk)
    return render(
        request,
        "opinions/issue_print.html",
        {"issue": issue, "items": issue.items.all(), "committee": committee},
    )
