"""Thin views of assist: the search page; the similar-proposal, unit and
draft-check fragments the proposal pages load with htmx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lvzhi.assist import selectors
from lvzhi.assist.highlight import excerpt, highlight
from lvzhi.assist.models import Kind
from lvzhi.core.input import clean_text
from lvzhi.core.web import committee_for, paginate, query_without_page, year_param

QUERY_FIELD_MAX = 200


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
