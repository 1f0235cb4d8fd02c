"""Thin views of assist: the search page; the similar-proposal, unit and
draft-check fragments the proposal pages load with htmx."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from lvzhi.assist import advice, grouping, selectors
from lvzhi.assist.checks import check_draft
from lvzhi.assist.coverage import coverage as reply_coverage
from lvzhi.assist.highlight import excerpt, highlight
from lvzhi.assist.models import Kind
from lvzhi.assist.similarity import DUPLICATE_OVERLAP
from lvzhi.core.input import clean_text
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import (
    committee_for,
    int_param,
    object_for,
    paginate,
    query_without_page,
    require,
    year_param,
)
from lvzhi.proposals.models import Assignment, Proposal
from lvzhi.proposals.selectors import proposal_detail_qs

QUERY_FIELD_MAX = 200
DRAFT_FIELD_MAX = 20000  # longer than any proposal form allows


@login_required
def search(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "assist.search")
    query = clean_text(request.GET.get("q", ""))[:QUERY_FIELD_MAX].strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    year = year_param(request)
    entries, tokens = selectors.search(request.user, committee, query, kind=kind, year=year)
    page_obj = paginate(request, entries) if query else None
    rows = [
        {
            "entry": entry,
            "title": highlight(entry.title, tokens),
            "excerpt": excerpt(entry.body, tokens),
        }
        for entry in (page_obj.object_list if page_obj else [])
    ]
    return render(
        request,
        "assist/search.html",
        {
            "q": query,
            "kind": kind,
            "year": year,
            "kinds": Kind.choices,
            "years": selectors.years_of(committee),
            "page_obj": page_obj,
            "rows": rows,
            "query": query_without_page(request),
        },
    )


# --- Fragments for the proposal pages (htmx) ------------------------------------------


def _draft_text(request: HttpRequest) -> tuple[str, str, str]:
    data = request.POST
    return tuple(
        clean_text(data.get(f, ""))[:DRAFT_FIELD_MAX] for f in ("title", "reason", "suggestions")
    )  # type: ignore[return-value]


def _proposal(request: HttpRequest, committee: Any) -> Proposal:
    pk = int_param(request.GET.get("proposal"))
    return object_for(
        request, proposal_detail_qs(committee), perm="proposals.view_proposal", pk=pk or 0
    )


@login_required
@require_http_methods(["GET", "POST"])
def similar(request: HttpRequest) -> HttpResponse:
    """GET ?proposal=<id>: the proposal's similar past proposals, and for the
    office its suspected duplicates this year; POST title/reason/suggestions:
    the same for a draft being typed, with the draft check."""
    committee = committee_for(request, "assist.view_similar")
    context: dict[str, Any] = {"duplicates": [], "findings": []}
    if request.method == "POST":
        title, reason, suggestions = _draft_text(request)
        words = advice.draft_terms(title, reason, suggestions)
        context["findings"] = (
            check_draft(title, reason, suggestions) if any((title, reason, suggestions)) else []
        )
        exclude = int_param(request.POST.get("proposal"))
    else:
        proposal = _proposal(request, committee)
        words = advice.terms_of(proposal)
        exclude = proposal.pk
        context["findings"] = check_draft(proposal.title, proposal.reason, proposal.suggestions)
        if has_perm(request.user, "proposals.review", committee):
            context["duplicates"] = advice.duplicates_this_year(request.user, proposal)
            context["proposal"] = proposal
    context["similar"] = advice.similar_past(request.user, committee, words, exclude=exclude)
    # 内容已经办理: a past proposal this close was handled already.
    context["handled_before"] = [s for s in context["similar"] if s.overlap >= DUPLICATE_OVERLAP]
    return render(request, "assist/_similar.html", context)


@login_required
def units(request: HttpRequest) -> HttpResponse:
    """At assignment: the three most likely lead units, with the reason."""
    committee = committee_for(request, "assist.suggest_units")
    proposal = _proposal(request, committee)
    return render(
        request,
        "assist/_units.html",
        {"suggestions": advice.units_suggested(committee, advice.terms_of(proposal))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def coverage(request: HttpRequest) -> HttpResponse:
    """GET ?assignment=<id>: the latest reply against the suggestions (staff
    reviewing it); POST assignment and text: the reply being written (the unit)."""
    committee = committee_for(request)
    data = request.POST if request.method == "POST" else request.GET
    assignment = object_for(
        request,
        Assignment.objects.filter(committee=committee).select_related("proposal"),
        pk=int_param(data.get("assignment")) or 0,
    )
    if request.method == "POST":
        require(request, "proposals.reply_assignment", assignment)
        text = clean_text(request.POST.get("text", ""))[:DRAFT_FIELD_MAX]
    else:
        require(request, "proposals.review", committee)
        reply = assignment.replies.order_by("-round", "-id").first()
        text = reply.text if reply else ""
    points = reply_coverage(assignment.proposal.suggestions, text) if text else []
    return render(
        request,
        "assist/_coverage.html",
        {"points": points, "unanswered": [p for p in points if not p.answered]},
    )


@login_required
def message_groups(request: HttpRequest) -> HttpResponse:
    """Citizens' messages that say the same thing, for converting them together."""
    committee = committee_for(request, "assist.group_messages")
    return render(
        request,
        "assist/message_groups.html",
        {"groups": grouping.message_groups(request.user, committee)},
    )
