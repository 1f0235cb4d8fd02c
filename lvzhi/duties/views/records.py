"""Pages of the duties members record (study notes, services, duty projects),
of what staff register and review (speeches, confirmations, approvals) and
of the committee's duty settings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.committee_settings import (
    committee_settings_update,
    form_initial,
    form_values,
    settings_form_class,
)
from lvzhi.core.files import attachment_response, attachments_of
from lvzhi.core.web import (
    committee_for,
    object_for,
    paginate,
    posted,
    run_action,
    save_form,
)
from lvzhi.duties import forms, selectors, services
from lvzhi.duties.models import (
    Contribution,
    DutyProject,
    PlenarySpeech,
    StudyNote,
)
from lvzhi.duties.views.common import form_page, my_member, note_of
from lvzhi.org.models import Member

# --- Study notes ----------------------------------------------------------------------


@login_required
def note_list(request: HttpRequest) -> HttpResponse:
    _committee, member = my_member(request)
    return render(
        request,
        "duties/note_list.html",
        {"page_obj": paginate(request, selectors.study_notes_of(member))},
    )


def _note_form(request: HttpRequest, member: Member, note: StudyNote | None) -> HttpResponse:
    initial = {"title": note.title, "text": note.text, "date": note.date} if note else None
    form = forms.StudyNoteForm(posted(request), initial=initial)
    saved = save_form(
        request,
        form,
        lambda data: services.study_note_save(member=member, actor=request.user, note=note, **data),
        _("Your study note is saved."),
    )
    if saved:
        return redirect("duties:note_list")
    return form_page(
        request,
        form,
        title=_("Change the study note") if note else _("New study note"),
        cancel_url=reverse("duties:note_list"),
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
        lambda: services.study_note_delete(note=note, actor=request.user),
        _("The study note is deleted."),
        reverse("duties:note_list"),
    )


# --- Plenary speeches (staff) ----------------------------------------------------------


@login_required
def speech_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.review_duties")
    return render(
        request,
        "duties/speech_list.html",
        {"page_obj": paginate(request, selectors.speeches_of(committee))},
    )


@login_required
def speech_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.review_duties")
    form = forms.SpeechForm(posted(request), committee=committee)
    if save_form(
        request,
        form,
        lambda data: services.speech_register(actor=request.user, **data),
        _("The speech is registered."),
    ):
        return redirect("duties:speech_list")
    return form_page(
        request,
        form,
        title=_("Register a plenary speech"),
        cancel_url=reverse("duties:speech_list"),
    )


@login_required
@require_POST
def speech_delete(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "duties.review_duties")
    speech = object_for(
        request,
        PlenarySpeech.objects.filter(committee=committee),
        perm="duties.remove_speech",
        pk=pk,
    )
    return run_action(
        request,
        lambda: services.speech_withdraw(speech=speech, actor=request.user),
        _("The speech is removed and its duty record withdrawn."),
        reverse("duties:speech_list"),
    )


# --- Services and contributions ----------------------------------------------------------


@login_required
def contribution_mine(request: HttpRequest) -> HttpResponse:
    _committee, member = my_member(request)
    qs = Contribution.objects.filter(member=member).order_by("-date", "-id")
    return render(request, "duties/contribution_mine.html", {"page_obj": paginate(request, qs)})


@login_required
def contribution_create(request: HttpRequest) -> HttpResponse:
    _committee, member = my_member(request)
    form = forms.ContributionForm(posted(request), request.FILES or None)
    if save_form(
        request,
        form,
        lambda data: services.contribution_submit(member=member, actor=request.user, **data),
        _("Your item is sent to the office for confirmation."),
    ):
        return redirect("duties:contribution_mine")
    return form_page(
        request,
        form,
        title=_("Report a service or contribution"),
        cancel_url=reverse("duties:contribution_mine"),
        multipart=True,
    )


@login_required
def contribution_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.review_duties")
    state = request.GET.get("state", Contribution.State.SUBMITTED)
    if state not in Contribution.State.values:
        state = ""
    return render(
        request,
        "duties/contribution_list.html",
        {
            "page_obj": paginate(request, selectors.contributions_of(committee, state=state)),
            "state": state,
            "states": Contribution.State.choices,
        },
    )


@login_required
@require_POST
def contribution_review(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "duties.review_duties")
    item = object_for(
        request,
        Contribution.objects.filter(committee=committee),
        perm="duties.review_contribution",
        pk=pk,
    )
    confirm = request.POST.get("decision") == "confirm"
    note = note_of(request)
    return run_action(
        request,
        lambda: services.contribution_review(
            item=item, actor=request.user, confirm=confirm, note=note
        ),
        _("The item is confirmed and recorded.") if confirm else _("The item is not confirmed."),
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
    return render(request, "duties/project_mine.html", {"page_obj": paginate(request, qs)})


def _project_form(
    request: HttpRequest, member: Member, project: DutyProject | None
) -> HttpResponse:
    initial = (
        {"year": project.year, "topic": project.topic, "planned_steps": project.planned_steps}
        if project
        else {"year": timezone.localdate().year}
    )
    form = forms.ProjectForm(posted(request), initial=initial)
    if save_form(
        request,
        form,
        lambda data: services.project_declare(
            member=member, actor=request.user, project=project, **data
        ),
        _("Your duty project is declared and awaits approval."),
    ):
        return redirect("duties:project_mine")
    return form_page(
        request,
        form,
        title=_("Change the duty project") if project else _("Declare an annual duty project"),
        cancel_url=reverse("duties:project_mine"),
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
    form = forms.ProjectLinkForm(posted(request), member=member)
    if save_form(
        request,
        form,
        lambda data: services.project_link(project=project, actor=request.user, **data),
        _("The work is linked to your project."),
    ):
        return redirect("duties:project_mine")
    return form_page(
        request,
        form,
        title=_("Link work to: %(topic)s") % {"topic": project.topic},
        cancel_url=reverse("duties:project_mine"),
    )


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.review_duties")
    state = request.GET.get("state", "")
    if state not in DutyProject.State.values:
        state = ""
    return render(
        request,
        "duties/project_list.html",
        {
            "page_obj": paginate(
                request,
                selectors.project_detail(committee)
                .filter(**({"state": state} if state else {}))
                .order_by("-year", "-id"),
            ),
            "state": state,
            "states": DutyProject.State.choices,
        },
    )


@login_required
@require_POST
def project_review(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "duties.review_duties")
    project = object_for(
        request,
        DutyProject.objects.filter(committee=committee),
        perm="duties.review_project",
        pk=pk,
    )
    approve = request.POST.get("decision") == "approve"
    note = note_of(request)
    return run_action(
        request,
        lambda: services.project_review(
            project=project, actor=request.user, approve=approve, note=note
        ),
        _("The project is approved.") if approve else _("The project is returned for revision."),
        reverse("duties:project_list"),
    )


# --- The committee's duty settings -----------------------------------------------------


@login_required
def duty_settings(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "duties.configure")
    form = settings_form_class("duties.")(
        posted(request), initial=form_initial(committee, "duties.")
    )
    if save_form(
        request,
        form,
        lambda data: committee_settings_update(
            actor=request.user, committee=committee, values=form_values(data)
        ),
        _("The settings are saved."),
    ):
        return redirect("duties:settings")
    return form_page(
        request,
        form,
        title=_("Duty activity settings"),
        cancel_url=reverse("duties:activity_list"),
    )
