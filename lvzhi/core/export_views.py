"""The page of a background export (core.exports): its progress, refreshed
by htmx while the job runs, and the download once the file is ready. Only
the user who asked sees the job; anyone else gets a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from lvzhi.core.excel import XLSX_CONTENT_TYPE
from lvzhi.core.models import ExportJob

PROGRESS = "core/_export_progress.html"


def _own_job(request: HttpRequest, pk: str) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk, requested_by_id=request.user.pk).first()
    if job is None:
        raise Http404
    return job


@login_required
def export_job(request: HttpRequest, pk: str) -> HttpResponse:
    job = _own_job(request, pk)
    template = PROGRESS if request.headers.get("HX-Request") else "core/export_job.html"
    return render(request, template, {"job": job})


@login_required
def export_download(request: HttpRequest, pk: str) -> FileResponse:
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response
