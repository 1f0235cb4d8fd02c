"""Proposal pages. Thin: selectors read, rules decide, services write.

Objects are loaded through querysets filtered by the current committee, so
another committee's proposal answers 404; a proposal the user may not see
answers 404 too (its existence is not revealed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.roles import has_role, unit_ids_of
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import DomainError, ValidationFailed
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.core.files import attachment_response, attachments_of
from lvzhi.core.models import Attachment
from lvzhi.org.models import Committee
from lvzhi.org.selectors import member_of_user
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.models import (
    Assignment,
    CoSigner,
    DeclineGround,
    Evaluation,
    ExcellentList,
    ExtensionRequest,
    Proposal,
    ProposalCategory,
    ProposalEvent,
    ReassignmentRequest,
    Reply,
    SupervisionNote,
)

PAGE_SIZE = 25
S = Proposal.Status


# --- Helpers -------------------------------------------------------------------------


def _committee(request: HttpRequest, perm: str | None = None) -> Committee:
    committee = getattr(request, "committee", None)
    if committee is None:
        raise PermissionDenied
    if perm and not request.user.has_perm(perm, committee):
        raise PermissionDenied
    return cast(Committee, committee)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    """A proposal of the current committee the user may see; else 404."""
    committee = _committee(request)
    proposal = get_object_or_404(selectors.proposal_detail_qs(committee), pk=pk)
    if not request.user.has_perm("proposals.view_proposal", proposal):
        raise Http404
    return proposal


def _form_errors(form: BaseForm) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def _flash_error(request: HttpRequest, error: DomainError) -> None:
    if isinstance(error, ValidationFailed) and len(error.errors) > 1:
        messages.error(request, "；".join(str(e) for e in error.errors))
    else:
        messages.error(request, str(error.message))


def _form_error(form: BaseForm, error: DomainError) -> None:
    found = [error.message]
    if isinstance(error, ValidationFailed) and error.errors:
        found = list(error.errors)
    for message in found:
        form.add_error(None, message)


def _detail(proposal: Proposal) -> HttpResponse:
    return redirect("proposals:detail", pk=proposal.pk)


# --- 提: the member's pages ------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "proposals.file")
    page_obj = _page(request, selectors.my_proposals(committee, request.user))
    pending = selectors.cosign_invitations(committee, request.user).filter(
        state=CoSigner.State.INVITED
    )
    return render(
        request,
        "proposals/mine.html",
        {"page_obj": page_obj, "pending_invitations": pending.count()},
    )


def _draft_form(request: HttpRequest, proposal: Proposal | None) -> HttpResponse:
    committee = _committee(request, "proposals.file")
    services.defaults_ensure(committee)  # first use: the default categories
    proposer = proposal.proposer if proposal else member_of_user(request.user, committee)
    initial: dict[str, Any] = {}
    if proposal is not None:
        initial = {
            "title": proposal.title,
            "category": proposal.category_id,
            "kind": proposal.kind,
            "on_behalf_of": proposal.on_behalf_of,
            "session": proposal.session_id,
            "reason": proposal.reason,
            "suggestions": proposal.suggestions,
            "cosigners": [c.member_id for c in proposal.cosigners.all()],
        }
    form = forms.ProposalForm(
        request.POST or None,
        request.FILES or None,
        committee=committee,
        proposer=proposer,
        keep_category=proposal.category_id if proposal else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.proposal_draft_save(
                actor=request.user,
                committee=committee,
                proposal=proposal,
                title=data["title"],
                category=data["category"],
                kind=data["kind"],
                on_behalf_of=data["on_behalf_of"],
                session=data["session"],
                reason=data["reason"],
                suggestions=data["suggestions"],
                cosigners=list(data["cosigners"]),
                attachments=[data["attachment"]] if data.get("attachment") else [],
                token=data.get("token") if proposal is None else None,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            if "autosave" in request.POST:
                return HttpResponse(status=204)
            if "submit" not in request.POST:
                messages.success(request, _("The draft has been saved."))
                return _detail(saved)
            try:
                services.proposal_submit(actor=request.user, proposal=saved)
            except DomainError as error:
                if proposal is None:
                    # The new draft exists now: go on editing it there.
                    messages.info(request, _("The draft has been saved."))
                    _flash_error(request, error)
                    return redirect("proposals:edit", pk=saved.pk)
                _form_error(form, error)
            else:
                messages.success(request, _("The proposal has been submitted."))
                return _detail(saved)
    if "autosave" in request.POST:
        return HttpResponse(status=400)
    attachments = attachments_of(proposal, services.ATTACHMENT_PURPOSE) if proposal else []
    return render(
        request,
        "proposals/form.html",
        {"form": form, "proposal": proposal, "attachments": attachments},
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    return _draft_form(request, None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    if not services._is_proposer(request.user, proposal) or proposal.status not in (
        S.DRAFT,
        S.RETURNED,
    ):
        raise PermissionDenied
    return _draft_form(request, proposal)


@login_required
def cosign_inbox(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "proposals.file")
    page_obj = _page(request, selectors.cosign_invitations(committee, request.user))
    return render(request, "proposals/cosign_inbox.html", {"page_obj": page_obj})


# --- The detail page and its actions ---------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    committee = _committee(request)
    user = _actor(request)
    is_staff = has_role(user, committee, Role.STAFF, Area.PROPOSALS)
    is_leader = has_role(user, committee, Role.LEADER)
    is_proposer = services._is_proposer(user, proposal)
    cosigners = list(proposal.cosigners.select_related("member__person", "member__sector"))
    my_cosign = next((c for c in cosigners if c.member.person.user_id == user.pk), None)
    assignments = list(selectors.assignments_of(proposal))
    units = unit_ids_of(user, committee)
    my_assignments = [
        a for a in assignments if a.unit_id in units and a.state != Assignment.State.WITHDRAWN
    ]
    evaluations = list(
        Evaluation.objects.filter(proposal=proposal).select_related("member__person")
    )
    my_member_ids = {
        m.pk
        for m in [proposal.proposer, *(c.member for c in cosigners)]
        if m.person.user_id == user.pk
    }
    evaluated_now = any(
        e.member_id in my_member_ids and e.round == proposal.round for e in evaluations
    )
    can_evaluate = not evaluated_now and (
        (is_proposer and proposal.status == S.REPLIED)
        or (
            my_cosign is not None
            and my_cosign.state == CoSigner.State.CONFIRMED
            and proposal.status in (S.REPLIED, S.EVALUATED, S.REHANDLING)
        )
    )
    replies = [r for a in assignments for r in a.replies.all()]
    letters = {
        a.owner_id: a
        for a in Attachment.objects.filter(
            owner_type__model="reply",
            owner_type__app_label="proposals",
            owner_id__in=[r.pk for r in replies],
        )
    }
    for reply in replies:
        reply.letter = letters.get(reply.pk)  # type: ignore[attr-defined]
    pending_extensions = [
        r
        for a in assignments
        for r in a.extension_requests.all()
        if r.state == ExtensionRequest.State.PENDING
    ]
    pending_reassignments = [
        r
        for a in assignments
        for r in a.reassignment_requests.all()
        if r.state == ReassignmentRequest.State.PENDING
    ]
    context: dict[str, Any] = {
        "proposal": proposal,
        "events": ProposalEvent.objects.filter(proposal=proposal).select_related("actor"),
        "cosigners": cosigners,
        "my_cosign": my_cosign,
        "assignments": assignments,
        "my_assignments": my_assignments,
        "evaluations": evaluations,
        "attachments": attachments_of(proposal, services.ATTACHMENT_PURPOSE),
        "merged_proposals": proposal.merged_proposals.select_related("proposer__person"),
        "notes": SupervisionNote.objects.filter(proposal=proposal).select_related("author"),
        "replies": replies,
        "pending_extensions": pending_extensions,
        "pending_reassignments": pending_reassignments,
        "is_staff": is_staff,
        "is_leader": is_leader,
        "is_proposer": is_proposer,
        "can_edit": is_proposer and proposal.status in (S.DRAFT, S.RETURNED),
        "can_evaluate": can_evaluate,
        "today": timezone.localdate(),
    }
    if is_staff:
        context.update(
            decline_form=forms.DeclineForm(committee=committee),
            convert_form=forms.ConvertForm(committee=committee),
            return_form=forms.ReasonForm(),
            merge_form=forms.MergeForm(committee=committee, proposal=proposal),
            assign_form=forms.AssignForm(committee=committee),
            review_form=forms.ReviewReplyForm(),
            excellent_form=forms.ExcellentForm(initial={"year": timezone.localdate().year}),
            note_form=forms.NoteForm(),
        )
    if is_leader:
        context["key_form"] = forms.KeyForm(
            committee=committee,
            initial={
                "supervisor": proposal.supervisor_id,
                "is_key": "0" if proposal.is_key else "1",
            },
        )
    if is_leader or is_staff:
        context["supervise_form"] = forms.TextForm()
    if can_evaluate:
        context["evaluation_form"] = forms.EvaluationForm()
    if my_assignments:
        context.update(
            precontact_form=forms.PreContactForm(),
            opinion_form=forms.TextForm(),
            reply_form=forms.ReplyForm(),
            extension_form=forms.ExtensionForm(),
            reassign_form=forms.ReasonForm(),
            quality_form=forms.QualityForm(),
        )
    return render(request, "proposals/detail.html", context)


ProposalHandler = Callable[[HttpRequest, Proposal, Committee], Any]


def _with_form(
    form_class: Callable[..., BaseForm], call: Callable[..., Any], **form_kwargs: Any
) -> ProposalHandler:
    def handler(request: HttpRequest, proposal: Proposal, committee: Committee) -> Any:
        kwargs = {
            k: (committee if v == "committee" else proposal if v == "proposal" else v)
            for k, v in form_kwargs.items()
        }
        form = form_class(request.POST, request.FILES, **kwargs)
        if not form.is_valid():
            raise ValidationFailed(_form_errors(form))
        return call(request, proposal, form.cleaned_data)

    return handler


def _reply_of(proposal: Proposal, reply_id: int) -> Reply:
    return get_object_or_404(Reply, pk=reply_id, assignment__proposal=proposal)


PROPOSAL_ACTIONS: dict[str, tuple[ProposalHandler, Any]] = {
    "submit": (
        lambda r, p, c: services.proposal_submit(actor=r.user, proposal=p),
        gettext_lazy("The proposal has been submitted."),
    ),
    "withdraw": (
        _with_form(
            forms.NoteForm,
            lambda r, p, d: services.proposal_withdraw(actor=r.user, proposal=p, reason=d["note"]),
        ),
        gettext_lazy("The proposal has been withdrawn."),
    ),
    "cosign": (
        lambda r, p, c: services.cosigner_answer(
            actor=r.user, proposal=p, confirm=r.POST.get("answer") == "confirm"
        ),
        gettext_lazy("Your answer has been recorded."),
    ),
    "register": (
        _with_form(
            forms.NoteForm,
            lambda r, p, d: services.proposal_register(actor=r.user, proposal=p, note=d["note"]),
        ),
        gettext_lazy("The proposal has been registered."),
    ),
    "decline": (
        _with_form(
            forms.DeclineForm,
            lambda r, p, d: services.proposal_decline(
                actor=r.user,
                proposal=p,
                ground=d["ground"],
                note=d["note"],
                letter_unit=d["letter_unit"],
            ),
            committee="committee",
        ),
        gettext_lazy("The proposal has been declined."),
    ),
    "convert": (
        _with_form(
            forms.ConvertForm,
            lambda r, p, d: services.proposal_convert(actor=r.user, proposal=p, unit=d["unit"]),
            committee="committee",
        ),
        gettext_lazy("The suggestion letter has been forwarded."),
    ),
    "return": (
        _with_form(
            forms.ReasonForm,
            lambda r, p, d: services.proposal_return(actor=r.user, proposal=p, reason=d["reason"]),
        ),
        gettext_lazy("The proposal has been returned to the proposer."),
    ),
    "merge": (
        _with_form(
            forms.MergeForm,
            lambda r, p, d: services.proposal_merge(
                actor=r.user, proposal=p, into=d["into"], note=d["note"]
            ),
            committee="committee",
            proposal="proposal",
        ),
        gettext_lazy("The proposal has been merged."),
    ),
    "assign": (
        _with_form(
            forms.AssignForm,
            lambda r, p, d: services.proposal_assign(
                actor=r.user,
                proposal=p,
                lead=d["lead"],
                co_units=list(d["co_units"]),
                split_units=list(d["split_units"]),
            ),
            committee="committee",
        ),
        gettext_lazy("The proposal has been assigned."),
    ),
    "review_reply": (
        _with_form(
            forms.ReviewReplyForm,
            lambda r, p, d: services.reply_review(
                actor=r.user,
                reply=_reply_of(p, d["reply"]),
                reply_class=d["reply_class"],
                reason=d["reason"],
            ),
        ),
        gettext_lazy("The class of the reply has been changed."),
    ),
    "decide_extension": (
        _with_form(
            forms.DecisionForm,
            lambda r, p, d: services.extension_decide(
                actor=r.user,
                request=get_object_or_404(
                    ExtensionRequest, pk=d["request"], assignment__proposal=p
                ),
                approve=d["approve"],
            ),
        ),
        gettext_lazy("The request has been decided."),
    ),
    "decide_reassignment": (
        _with_form(
            forms.DecisionForm,
            lambda r, p, d: services.reassignment_decide(
                actor=r.user,
                request=get_object_or_404(
                    ReassignmentRequest, pk=d["request"], assignment__proposal=p
                ),
                approve=d["approve"],
            ),
        ),
        gettext_lazy("The request has been decided."),
    ),
    "evaluate": (
        _with_form(
            forms.EvaluationForm,
            lambda r, p, d: services.proposal_evaluate(actor=r.user, proposal=p, **d),
        ),
        gettext_lazy("Thank you, your evaluation has been recorded."),
    ),
    "close": (
        _with_form(
            forms.NoteForm,
            lambda r, p, d: services.proposal_close(actor=r.user, proposal=p, note=d["note"]),
        ),
        gettext_lazy("The proposal has been closed."),
    ),
    "key": (
        _with_form(
            forms.KeyForm,
            lambda r, p, d: services.proposal_mark_key(
                actor=r.user, proposal=p, supervisor=d["supervisor"], is_key=d["is_key"]
            ),
            committee="committee",
        ),
        gettext_lazy("The key proposal setting has been saved."),
    ),
    "supervise": (
        _with_form(
            forms.TextForm,
            lambda r, p, d: services.supervision_note_add(actor=r.user, proposal=p, text=d["text"]),
        ),
        gettext_lazy("The supervision note has been sent to the units."),
    ),
    "excellent": (
        _with_form(
            forms.ExcellentForm,
            lambda r, p, d: services.excellent_select(
                actor=r.user, proposal=p, year=d["year"], selected=d["selected"]
            ),
        ),
        gettext_lazy("The excellent proposals selection has been saved."),
    ),
}


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in PROPOSAL_ACTIONS:
        raise Http404
    proposal = _proposal(request, pk)
    handler, success = PROPOSAL_ACTIONS[action]
    try:
        handler(request, proposal, _committee(request))
    except DomainError as error:
        _flash_error(request, error)
    else:
        messages.success(request, success)
    return _detail(proposal)


AssignmentHandler = Callable[[HttpRequest, Assignment], Any]


def _assignment_form(
    form_class: Callable[..., BaseForm], call: Callable[..., Any]
) -> AssignmentHandler:
    def handler(request: HttpRequest, assignment: Assignment) -> Any:
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            raise ValidationFailed(_form_errors(form))
        return call(request, assignment, form.cleaned_data)

    return handler


ASSIGNMENT_ACTIONS: dict[str, tuple[AssignmentHandler, Any]] = {
    "accept": (
        lambda r, a: services.assignment_accept(actor=r.user, assignment=a),
        gettext_lazy("Your unit has accepted the proposal."),
    ),
    "precontact": (
        _assignment_form(
            forms.PreContactForm,
            lambda r, a, d: services.assignment_precontact(
                actor=r.user, assignment=a, when=d["date"], way=d["way"], summary=d["summary"]
            ),
        ),
        gettext_lazy("The contact has been recorded."),
    ),
    "opinion": (
        _assignment_form(
            forms.TextForm,
            lambda r, a, d: services.assignment_co_opinion(
                actor=r.user, assignment=a, text=d["text"]
            ),
        ),
        gettext_lazy("Your opinion has been sent to the lead unit."),
    ),
    "reply": (
        _assignment_form(
            forms.ReplyForm,
            lambda r, a, d: services.assignment_reply(
                actor=r.user,
                assignment=a,
                text=d["text"],
                reply_class=d["reply_class"],
                letter=d.get("letter"),
            ),
        ),
        gettext_lazy("The reply has been sent."),
    ),
    "extension": (
        _assignment_form(
            forms.ExtensionForm,
            lambda r, a, d: services.extension_request(
                actor=r.user, assignment=a, requested_due=d["requested_due"], reason=d["reason"]
            ),
        ),
        gettext_lazy("The request has been sent to the proposal office."),
    ),
    "reassignment": (
        _assignment_form(
            forms.ReasonForm,
            lambda r, a, d: services.reassignment_request(
                actor=r.user, assignment=a, reason=d["reason"]
            ),
        ),
        gettext_lazy("The request has been sent to the proposal office."),
    ),
    "quality": (
        _assignment_form(
            forms.QualityForm,
            lambda r, a, d: services.quality_rate(
                actor=r.user, assignment=a, rating=d["rating"], comments=d["comments"]
            ),
        ),
        gettext_lazy("Your rating has been recorded."),
    ),
}


@login_required
@require_POST
def assignment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ASSIGNMENT_ACTIONS:
        raise Http404
    committee = _committee(request)
    assignment = get_object_or_404(
        Assignment.objects.select_related("proposal"), pk=pk, committee=committee
    )
    if assignment.unit_id not in unit_ids_of(request.user, committee):
        raise Http404
    handler, success = ASSIGNMENT_ACTIONS[action]
    try:
        handler(request, assignment)
    except DomainError as error:
        _flash_error(request, error)
    else:
        messages.success(request, success)
    return _detail(assignment.proposal)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Serve an attachment of a proposal or a reply letter, after the permission check."""
    committee = _committee(request)
    attachment = get_object_or_404(
        Attachment.objects.select_related("owner_type"), pk=pk, committee=committee
    )
    owner_model = attachment.owner_type.model
    if owner_model == "proposal":
        proposal_id = attachment.owner_id
    elif owner_model == "reply":
        reply = get_object_or_404(
            Reply.objects.select_related("assignment"), pk=attachment.owner_id
        )
        proposal_id = reply.assignment.proposal_id
    else:
        raise Http404
    if attachment.owner_type.app_label != "proposals":
        raise Http404
    _proposal(request, proposal_id)
    return attachment_response(attachment)


# --- 立: the office's pages ------------------------------------------------------------------


@login_required
def review(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "proposals.review")
    page_obj = _page(request, selectors.review_queue(committee))
    return render(
        request,
        "proposals/review.html",
        {
            "page_obj": page_obj,
            "can_configure": request.user.has_perm("proposals.configure", committee),
        },
    )


# --- Settings: the committee's categories and decline grounds ------------------------------

CONFIG_LISTS: dict[str, type[ProposalCategory] | type[DeclineGround]] = {
    "categories": ProposalCategory,
    "grounds": DeclineGround,
}


def _config_model(kind: str) -> type[ProposalCategory] | type[DeclineGround]:
    if kind not in CONFIG_LISTS:
        raise Http404
    return CONFIG_LISTS[kind]


def _settings_page(
    request: HttpRequest, committee: Committee, bound: dict[str, BaseForm] | None = None
) -> HttpResponse:
    bound = bound or {}
    lists = []
    for kind, model in CONFIG_LISTS.items():
        lists.append(
            {
                "kind": kind,
                "title": _("Proposal categories")
                if model is ProposalCategory
                else _("Grounds for declining"),
                "rows": list(selectors.config_rows(committee, model)),
                "field": services.config_field(model)[0],
                "limit": services.config_field(model)[1],
                "form": bound.get(kind) or forms.ConfigRowForm(committee=committee, model=model),
            }
        )
    return render(request, "proposals/settings.html", {"lists": lists})


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "proposals.configure")
    services.defaults_ensure(committee)  # first use: the default lists
    return _settings_page(request, committee)


def _settings_url(kind: str) -> str:
    return f"{reverse('proposals:settings')}#{kind}"


@login_required
@require_POST
def settings_add(request: HttpRequest, kind: str) -> HttpResponse:
    committee = _committee(request, "proposals.configure")
    model = _config_model(kind)
    form = forms.ConfigRowForm(request.POST, committee=committee, model=model)
    if form.is_valid():
        try:
            services.config_row_add(
                actor=request.user, committee=committee, model=model, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Added."))
            return redirect(_settings_url(kind))
    return _settings_page(request, committee, {kind: form})


CONFIG_ACTIONS = {"rename", "deactivate", "activate", "up", "down", "delete"}


@login_required
@require_POST
def settings_action(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    committee = _committee(request, "proposals.configure")
    model = _config_model(kind)
    if action not in CONFIG_ACTIONS:
        raise Http404
    row = cast(
        ProposalCategory | DeclineGround,
        get_object_or_404(model.objects.filter(committee=committee), pk=pk),  # type: ignore[attr-defined]
    )
    actor = _actor(request)
    try:
        if action == "rename":
            form = forms.ConfigRowForm(request.POST, committee=committee, model=model, row=row)
            if not form.is_valid():
                messages.error(request, _form_errors(form))
                return redirect(_settings_url(kind))
            services.config_row_rename(actor=actor, row=row, name=form.cleaned_data["name"])
            done = _("Renamed.")
        elif action in ("deactivate", "activate"):
            services.config_row_set_active(actor=actor, row=row, active=action == "activate")
            done = _("Reactivated.") if action == "activate" else _("Deactivated.")
        elif action in ("up", "down"):
            services.config_row_move(actor=actor, row=row, up=action == "up")
            done = _("The order has been changed.")
        else:
            services.config_row_delete(actor=actor, row=row)
            done = _("Deleted.")
    except DomainError as error:
        _flash_error(request, error)
    else:
        messages.success(request, done)
    return redirect(_settings_url(kind))


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "proposals.view_all")
    form = forms.FilterForm(request.GET or None, committee=committee)
    page_obj = _page(request, selectors.office_proposals(committee, **form.filters()))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "proposals/list.html",
        {
            "page_obj": page_obj,
            "filter_form": form,
            "query": query.urlencode(),
            "can_review": request.user.has_perm("proposals.review", committee),
            "can_configure": request.user.has_perm("proposals.configure", committee),
        },
    )


@login_required
def export_list(request: HttpRequest) -> HttpResponseBase:
    committee = _committee(request, "proposals.export")
    form = forms.FilterForm(request.GET or None, committee=committee)
    rows = selectors.office_proposals(committee, **form.filters())
    audit_log(action="proposal.export", request=request, committee=committee, what="list")
    headers = [
        _("Number"),
        _("Session"),
        _("Title"),
        _("Category"),
        _("Kind"),
        _("Lead proposer"),
        _("Status"),
        _("Submitted at"),
        _("Key proposal"),
    ]
    return xlsx_response(
        f"proposals-{today_stamp()}.xlsx",
        str(_("Proposals")),
        headers,
        (
            (
                p.number_label,
                p.session.name if p.session else p.term.name,
                p.title,
                p.category.name if p.category else "",
                p.get_kind_display(),
                p.proposer.person.name,
                p.get_status_display(),
                timezone.localtime(p.submitted_at).date() if p.submitted_at else "",
                _("yes") if p.is_key else "",
            )
            for p in rows.iterator(chunk_size=1000)
        ),
    )


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "proposals.view_all")
    year = _year(request)
    rows = selectors.unit_statistics(committee, year=year)
    return render(request, "proposals/stats.html", {"rows": rows, "year": year or ""})


@login_required
def export_stats(request: HttpRequest) -> HttpResponseBase:
    committee = _committee(request, "proposals.export")
    year = _year(request)
    audit_log(action="proposal.export", request=request, committee=committee, what="stats")
    rows = selectors.unit_statistics(committee, year=year)
    headers = [
        _("Handling unit"),
        _("Assigned"),
        _("Replied"),
        _("Replied on time"),
        _("On-time rate (%)"),
        _("Class A (%)"),
        _("Class B (%)"),
        _("Class C (%)"),
        _("Satisfied"),
        _("Basically satisfied"),
        _("Dissatisfied"),
        _("Satisfaction rate (%)"),
    ]
    return xlsx_response(
        f"proposal-units-{today_stamp()}.xlsx",
        str(_("Handling statistics")),
        headers,
        (
            (
                r["unit__name"],
                r["total"],
                r["replied"],
                r["on_time"],
                r["on_time_rate"],
                r["a_share"],
                r["b_share"],
                r["c_share"],
                r["satisfied"],
                r["basic"],
                r["dissatisfied"],
                r["satisfaction_rate"],
            )
            for r in rows
        ),
    )


# --- 办 and 督: the unit's and the leader's pages ------------------------------------------------


@login_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "proposals.handle")
    state = request.GET.get("state", "")
    if state not in ("", *Assignment.State.values):
        state = ""
    page_obj = _page(request, selectors.unit_assignments(committee, request.user, state=state))
    letters = selectors.letters_for_units(committee, request.user)[:20]
    return render(
        request,
        "proposals/unit_inbox.html",
        {
            "page_obj": page_obj,
            "letters": letters,
            "state": state,
            "states": Assignment.State.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "proposals.supervise")
    unit = request.GET.get("unit", "")
    unit_id = int(unit) if unit.isdigit() else None
    page_obj = _page(request, selectors.supervision_board(committee, unit=unit_id))
    units = selectors.units_for_assignment(committee)
    return render(
        request,
        "proposals/supervision.html",
        {"page_obj": page_obj, "units": units, "unit_id": unit_id, "today": timezone.localdate()},
    )


# --- 评: excellent proposals ------------------------------------------------------------------


@login_required
def excellent(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "proposals.view_excellent")
    is_staff = has_role(request.user, committee, Role.STAFF, Area.PROPOSALS)
    published = {e.year: e for e in ExcellentList.objects.filter(committee=committee)}
    years = sorted(
        set(published) | set(selectors.excellent_years(committee) if is_staff else []), reverse=True
    )
    year = _year(request) or (years[0] if years else timezone.localdate().year)
    visible = (
        is_staff or request.user.has_perm("proposals.view_all", committee) or year in published
    )
    rows = selectors.excellent_proposals(committee, year) if visible else Proposal.objects.none()
    if not is_staff and year not in published:
        rows = Proposal.objects.none()
    return render(
        request,
        "proposals/excellent.html",
        {
            "page_obj": _page(request, rows),
            "year": year,
            "years": years,
            "published": published.get(year),
            "is_staff": is_staff,
        },
    )


@login_required
@require_POST
def excellent_publish(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "proposals.review")
    year = _year(request) or (
        int(request.POST["year"]) if request.POST.get("year", "").isdigit() else None
    )
    if year is None:
        raise Http404
    try:
        services.excellent_publish(actor=request.user, committee=committee, year=year)
    except DomainError as error:
        _flash_error(request, error)
    else:
        messages.success(request, _("The list has been published."))
    return redirect(f"{reverse('proposals:excellent')}?year={year}")


# --- Printing ---------------------------------------------------------------------------------


@login_required
def print_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    cosigners = proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).select_related(
        "member__person"
    )
    return render(
        request, "proposals/print_proposal.html", {"proposal": proposal, "cosigners": cosigners}
    )


@login_required
def print_reply(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request)
    reply = get_object_or_404(
        Reply.objects.select_related("assignment__unit", "assignment__proposal").prefetch_related(
            Prefetch("assignment__proposal__cosigners")
        ),
        pk=pk,
        assignment__committee=committee,
    )
    proposal = _proposal(request, reply.assignment.proposal_id)
    return render(request, "proposals/print_reply.html", {"reply": reply, "proposal": proposal})
