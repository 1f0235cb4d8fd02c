"""Pages of the duties members record (study notes, services, duty projects),
of what staff register and review (speeches, confirmations, approvals) and
of the committee's duty settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.committee_settings import (
    committee_settings_update,
    form_initial,
    form_values,
    settings_form_class,
)
from lvzhi.core.files import attachment_response, attachments_of
from lvzhi.core.filters import ListFilterSet
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    list_page,
    object_for,
    posted,
    run_action,
    this_year,
)
from lvzhi.duties import filters, forms, selectors, services
from lvzhi.duties.models import (
    Contribution,
    DutyProject,
    PlenarySpeech,
    StudyNote,
)
from lvzhi.duties.views.common import decision_page, my_member
from lvzhi.org.models import Committee, Member

M = TypeVar("M", Contribution, DutyProject, PlenarySpeech)


def _for_review(request: HttpRequest, model: type[M], perm: str, pk: int) -> M:
    """One of the committee's entries, for duties staff who hold ``perm`` on it."""
    committee = committee_for(request, "duties.review_duties")
    return object_for(request, model.objects.filter(committee=committee), perm=perm, pk=pk)


def _review_list(
    request: HttpRequest,
    template: str,
    filter_class: type[ListFilterSet],
    rows: Callable[[Committee], QuerySet[Any]],
) -> HttpResponse:
    """A list duties staff work through: the committee's ``rows``, filtered."""
    committee = committee_for(request, "duties.review_duties")
    filterset = filter_class(request.GET, queryset=rows(committee), committee=committee)
    return list_page(request, template, filterset)


# --- Study notes ----------------------------------------------------------------------


@login_required
def note_list(request: HttpRequest) -> HttpResponse:
    _committee, member = my_member(request)
    return list_page(request, "duties/note_list.html", selectors.study_notes_of(member))


def _note_form(request: HttpRequest, member: Member, note: StudyNote | None) -> HttpResponse:
    initial = {"title": note.title, "text": note.text, "date": note.date} if note else None
    return form_page(
        request,
        forms.StudyNoteForm(posted(request), initial=initial),
        title=_("Change the study note") if note else _("New study note"),
        cancel_url=reverse("duties:note_list"),
        save=lambda data: services.study_note_save(
            member=member, actor=acting_user(request), note=note, **data
        ),
        message=_("Your study note is saved."),
    )


@login_required
def note_create(request: HttpRequest) -> HttpResponse:
    _committee, member = my_member(request)
    return _note_form(request, member, None)


def _own_note(request: HttpRequest, pk: int) -> tuple[Member, StudyNote]:
    _committee, member = my_member(request)
    note = object_for(request, selectors.study_notes_of(member), perm="duties.change_note", pk=pk)
    return member, note


@login_required
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member, note = _own_note(request, pk)
    return _note_form(request, member, note)


@login_required
@require_POST
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _member, note = _own_note(request, pk)
    return run_action(
        request,
        lambda: services.study_note_delete(note=note, actor=acting_user(request)),
        _("The study note is deleted."),
        reverse("duties:note_list"),
    )


# --- Plenary speeches (staff) ----------------------------------------------------------


@login_required
def speech_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.review_duties")
    return list_page(request, "duties/speech_list.html", selectors.speeches_of(committee))


@login_required
def speech_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.review_duties")
    return form_page(
        request,
        forms.SpeechForm(posted(request), committee=committee),
        title=_("Register a plenary speech"),
        cancel_url=reverse("duties:speech_list"),
        save=lambda data: services.speech_register(actor=acting_user(request), **data),
        message=_("The speech is registered."),
    )


@login_required
@require_POST
def speech_delete(request: HttpRequest, pk: int) -> HttpResponse:
    speech = _for_review(request, PlenarySpeech, "duties.remove_speech", pk)
    return run_action(
        request,
        lambda: services.speech_withdraw(speech=speech, actor=acting_user(request)),
        _("The speech is removed and its duty record withdrawn."),
        reverse("duties:speech_list"),
    )


# --- Services and contributions ----------------------------------------------------------


@login_required
def contribution_mine(request: HttpRequest) -> HttpResponse:
    _committee, member = my_member(request)
    qs = Contribution.objects.filter(member=member).order_by("-date", "-id")
    return list_page(request, "duties/contribution_mine.html", qs)


@login_required
def contribution_create(request: HttpRequest) -> HttpResponse:
    _committee, member = my_member(request)
    return form_page(
        request,
        forms.ContributionForm(posted(request), request.FILES or None),
        title=_("Report a service or contribution"),
        cancel_url=reverse("duties:contribution_mine"),
        save=lambda data: services.contribution_submit(
            member=member, actor=acting_user(request), **data
        ),
        message=_("Your item is sent to the office for confirmation."),
        multipart=True,
    )


@login_required
def contribution_list(request: HttpRequest) -> HttpResponse:
    return _review_list(
        request,
        "duties/contribution_list.html",
        filters.ContributionFilter,
        selectors.contributions_of,
    )


@login_required
@require_POST
def contribution_review(request: HttpRequest, pk: int) -> HttpResponse:
    item = _for_review(request, Contribution, "duties.review_contribution", pk)
    return decision_page(
        request,
        "confirm",
        lambda confirm, note: services.contribution_review(
            item=item, actor=acting_user(request), confirm=confirm, note=note
        ),
        (_("The item is confirmed and recorded."), _("The item is not confirmed.")),
        reverse("duties:contribution_list"),
    )


@login_required
def contribution_evidence(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Evidence is served to the member who reported it and to duties staff."""
    committee = committee_for(request)
    item = object_for(
        request,
        Contribution.objects.filter(committee=committee).select_related("member__person"),
        perm="duties.view_contribution",
        pk=pk,
    )
    attachment = get_object_or_404(attachments_of(item, "evidence"), pk=attachment_pk)
    return attachment_response(attachment)


# --- Annual duty projects ---------------------------------------------------------------


@login_required
def project_mine(request: HttpRequest) -> HttpResponse:
    committee, member = my_member(request)
    qs = selectors.project_detail(committee).filter(member=member)
    return list_page(request, "duties/project_mine.html", qs)


def _project_form(
    request: HttpRequest, member: Member, project: DutyProject | None
) -> HttpResponse:
    initial = (
        {"year": project.year, "topic": project.topic, "planned_steps": project.planned_steps}
        if project
        else {"year": this_year()}
    )
    return form_page(
        request,
        forms.ProjectForm(posted(request), initial=initial),
        title=_("Change the duty project") if project else _("Declare an annual duty project"),
        cancel_url=reverse("duties:project_mine"),
        save=lambda data: services.project_declare(
            member=member, actor=acting_user(request), project=project, **data
        ),
        message=_("Your duty project is declared and awaits approval."),
    )


def _own_project(request: HttpRequest, pk: int) -> tuple[Member, DutyProject]:
    _committee, member = my_member(request)
    project = object_for(
        request,
        DutyProject.objects.filter(member=member).select_related("member__person"),
        perm="duties.change_project",
        pk=pk,
    )
    return member, project


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    _committee, member = my_member(request)
    return _project_form(request, member, None)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member, project = _own_project(request, pk)
    return _project_form(request, member, project)


@login_required
def project_link(request: HttpRequest, pk: int) -> HttpResponse:
    member, project = _own_project(request, pk)
    return form_page(
        request,
        forms.ProjectLinkForm(posted(request), member=member),
        title=_("Link work to: %(topic)s") % {"topic": project.topic},
        cancel_url=reverse("duties:project_mine"),
        save=lambda data: services.project_link(
            project=project, actor=acting_user(request), **data
        ),
        message=_("The work is linked to your project."),
    )


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    return _review_list(
        request, "duties/project_list.html", filters.ProjectFilter, selectors.projects_to_review
    )


@login_required
@require_POST
def project_review(request: HttpRequest, pk: int) -> HttpResponse:
    project = _for_review(request, DutyProject, "duties.review_project", pk)
    return decision_page(
        request,
        "approve",
        lambda approve, note: services.project_review(
            project=project, actor=acting_user(request), approve=approve, note=note
        ),
        (_("The project is approved."), _("The project is returned for revision.")),
        reverse("duties:project_list"),
    )


# --- The committee's duty settings -----------------------------------------------------


@login_required
def duty_settings(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.configure")
    return form_page(
        request,
        settings_form_class("duties.")(posted(request), initial=form_initial(committee, "duties.")),
        title=_("Duty activity settings"),
        cancel_url=reverse("duties:activity_list"),
        save=lambda data: committee_settings_update(
            actor=acting_user(request), committee=committee, values=form_values(data)
        ),
        success=reverse("duties:settings"),
        message=_("The settings are saved."),
    )
