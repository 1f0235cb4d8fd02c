"""Roster pages: download the import template, import a filled-in file,
export the filtered roster. Thin views: ``roster.py`` reads, checks and writes."""

from __future__ import annotations

import io
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from lvzhi.accounts.audit import EXPORT
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import XLSX_CONTENT_TYPE, xlsx_response
from lvzhi.core.input import raw_body
from lvzhi.core.web import committee_for, form_page
from lvzhi.org import roster, selectors
from lvzhi.org.filters import MemberFilter
from lvzhi.org.http import AuthedRequest
from lvzhi.org.roster_forms import FullExportForm, RosterUploadForm

# Errors shown on the page at most; the count says how many there are.
MAX_PROBLEMS_SHOWN = 500
# Room for the multipart envelope and the CSRF field around the file itself.
MULTIPART_OVERHEAD = 1024 * 1024
_TOO_LARGE_ATTR = "_roster_upload_too_large"
EXPORT_FILTERS = ("q", "term", "sector", "special_committee", "position", "status", "party")


class _SizeLimitUploadHandler(FileUploadHandler):
    """Stops keeping an uploaded file once it passes the limit: the rest of
    the body is read and dropped, never stored in memory or on disk."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            setattr(self.request, _TOO_LARGE_ATTR, True)
            # connection_reset=False: the browser still gets our page.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _declared_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD


@csrf_exempt  # checked by _roster_import once the upload handler is in place
@raw_body  # the cells are cleaned as they are read (org/roster/reading.py)
@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: check the whole file, then import it."""
    req = cast(AuthedRequest, request)
    committee_for(request, "org.import_roster")
    if request.method == "POST":
        if _declared_too_large(request):
            # Refused from the headers alone: the body is never parsed.
            form = RosterUploadForm(data={}, files={})
            form.refuse(roster.too_large_message())
            return _import_page(req, form)
        # Must be set before anything reads request.POST (hence csrf_exempt
        # above); the setter raises if the body was already parsed.
        request.upload_handlers = [
            _SizeLimitUploadHandler(request, settings.UPLOAD_MAX_BYTES),
            *request.upload_handlers,
        ]
    return _roster_import(request)


@csrf_protect
def _roster_import(request: HttpRequest) -> HttpResponse:
    req = cast(AuthedRequest, request)
    if request.method != "POST":
        return _import_page(req, RosterUploadForm())
    form = RosterUploadForm(request.POST, request.FILES)
    if getattr(request, _TOO_LARGE_ATTR, False):
        form.refuse(roster.too_large_message())
        return _import_page(req, form)
    if not form.is_valid():
        return _import_page(req, form)
    try:
        result = roster.roster_import(
            actor=req.user,
            committee=req.committee,
            file=form.cleaned_data["file"],
        )
    except roster.RosterInvalid as error:
        # Problems of the whole file go under the field; row problems in the table.
        file_problems = [p for p in error.problems if p.row is None]
        row_problems = [p for p in error.problems if p.row is not None]
        if file_problems:
            form.refuse(file_problems[0].message)
            for problem in file_problems[1:]:
                form.add_error("file", problem.message)
        return _import_page(req, form, problems=row_problems)
    except DomainError as error:
        form.refuse(error.message)
        return _import_page(req, form)
    return render(request, "org/roster_import_result.html", {"result": result})


def _import_page(
    request: AuthedRequest,
    form: RosterUploadForm,
    *,
    problems: list[roster.RosterProblem] | None = None,
) -> HttpResponse:
    problems = problems or []
    context: dict[str, Any] = {
        "form": form,
        "term": selectors.current_term(request.committee),
        "failed": bool(problems or (form.is_bound and form.errors)),
        "problems": problems[:MAX_PROBLEMS_SHOWN],
        "problem_count": len(problems),
        "problems_cut": len(problems) > MAX_PROBLEMS_SHOWN,
        "can_export": request.user.has_perm("org.export_roster", request.committee),
    }
    return render(request, "org/roster_import.html", context)


@login_required
@require_GET
def roster_template(request: HttpRequest) -> HttpResponseBase:
    """The .xlsx template with this committee's sectors and special committees."""
    req = cast(AuthedRequest, request)
    committee_for(request, "org.import_roster")
    content = roster.template_workbook(req.committee)
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename="委员名册导入模板.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
    return response


@login_required
@require_GET
def roster_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered roster as .xlsx, ID and mobile numbers masked; the full
    numbers only through ``roster_export_full``. Every export is audited
    with its filter and row count."""
    committee_for(request, "org.export_roster")
    return _export(cast(AuthedRequest, request), full=False)


@login_required
@require_http_methods(["GET", "POST"])
def roster_export_full(request: HttpRequest) -> HttpResponseBase:
    """A bulk export of full ID and mobile numbers: its own permission (org
    staff), a stated purpose and a confirmation first; audited with the
    purpose; the sheet is named after the exporter and the time."""
    committee_for(request, "org.export_full_personal_data")
    form = FullExportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        return _export(
            cast(AuthedRequest, request), full=True, purpose=form.cleaned_data["purpose"]
        )
    query = request.GET.urlencode()
    return form_page(
        request,
        form,
        title=_("Export the roster with full numbers"),
        cancel_url=reverse("org:member_list") + (f"?{query}" if query else ""),
        submit_label=_("Download"),
        intro=_(
            "The file will hold the full ID and mobile numbers of every member in the list. "
            "The export is recorded with your name, the time and the purpose."
        ),
    )


def _export(req: AuthedRequest, *, full: bool, purpose: str = "") -> HttpResponseBase:
    request = cast(HttpRequest, req)
    # The same filters as the member list, so the file is what the list shows.
    members = MemberFilter(
        request.GET, queryset=selectors.member_list(req.committee), committee=req.committee
    ).qs
    count = 0

    def counted() -> Any:
        nonlocal count
        for row in roster.export_rows(members, full=full):
            count += 1
            yield row

    now = timezone.localtime()
    sheet = roster.SHEET_TITLE
    if full:
        # Who took the numbers out, and when, travels with the file.
        sheet = f"{str(req.user)[:12]} {now:%Y%m%d %H%M} 导出"
    response = xlsx_response(f"委员名册_{now:%Y%m%d}.xlsx", sheet, roster.HEADERS, counted())
    # The file is complete here (xlsx_response writes it before returning).
    extra: dict[str, Any] = {"purpose": purpose} if full else {}
    audit_log(
        action=EXPORT,
        committee=req.committee,
        what="roster",
        # As text, readable on the auditor's page: "position=standing, q=钱".
        filter=", ".join(f"{k}={request.GET[k]}" for k in EXPORT_FILTERS if request.GET.get(k)),
        rows=count,
        full_personal_data=full,
        **extra,
    )
    response["Cache-Control"] = "private, no-store"
    return response
