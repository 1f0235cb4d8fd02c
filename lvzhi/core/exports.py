"""Exports (DESIGN §7): every Excel export streams in constant memory; one
larger than ``settings.EXPORT_BACKGROUND_ROWS`` rows runs as a background
job with a progress bar, and its requester is notified with the download
link when the file is ready.

An app registers each export once, with the permission it needs and a
builder that turns (user, committee, query string) into an ``ExportSpec``:
the file's name, title and headers, the row count (one SQL count) and the
rows (a lazy iterator). The view calls ``export_response``; the job calls the
same builder again with the stored query string, as the requester, after
checking the permission again — so a job never exports more than its
requester may see at the moment it runs."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.context import acting_as
from lvzhi.core.excel import write_workbook, xlsx_response
from lvzhi.core.models import ExportJob
from lvzhi.core.notifications import notify
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import committee_for

logger = logging.getLogger(__name__)
# The job writes its progress at most this often (rows), not on every row.
PROGRESS_STEP = 1000
# Files of finished jobs are removed after this long (the job row stays).
KEEP_FILES = timedelta(days=7)


@dataclass(frozen=True)
class ExportSpec:
    filename: str
    title: str
    headers: Sequence[str]
    total: int
    rows: Iterable[Sequence[Any]]
    # The audit row written once the file is complete: its action and detail.
    audit_action: str
    audit_detail: dict[str, Any] = field(default_factory=dict)


Builder = Callable[[Any, Any, QueryDict], ExportSpec]


@dataclass(frozen=True)
class ExportDef:
    name: str
    permission: str
    build: Builder


_EXPORTS: dict[str, ExportDef] = {}


def register_export(name: str, *, permission: str) -> Callable[[Builder], Builder]:
    """Register ``build`` as the export ``name``, allowed with ``permission``
    on the committee."""

    def register(build: Builder) -> Builder:
        _EXPORTS[name] = ExportDef(name=name, permission=permission, build=build)
        return build

    return register


def _counted(rows: Iterable[Sequence[Any]], seen: list[int]) -> Iterator[Sequence[Any]]:
    for row in rows:
        seen[0] += 1
        yield row


def export_response(request: HttpRequest, name: str) -> HttpResponseBase:
    """The file now, or — past the threshold — a job and its progress page."""
    definition = _EXPORTS[name]
    committee = committee_for(request, definition.permission)
    spec = definition.build(request.user, committee, request.GET)
    if spec.total > settings.EXPORT_BACKGROUND_ROWS:
        job = export_job_start(
            actor=request.user, committee=committee, name=name, params=request.GET, spec=spec
        )
        return redirect("core:export_job", pk=job.pk)
    seen = [0]
    response = xlsx_response(spec.filename, spec.title, spec.headers, _counted(spec.rows, seen))
    # Written once the file is complete, so an audit export never lists itself.
    audit_log(action=spec.audit_action, committee=committee, rows=seen[0], **spec.audit_detail)
    response["Cache-Control"] = "private, no-store"
    return response


def export_job_start(
    *, actor: Any, committee: Any, name: str, params: QueryDict, spec: ExportSpec
) -> ExportJob:
    """Queue the export ``name`` for ``actor``; the job starts after the commit."""
    from lvzhi.core.tasks import export_job_run

    with transaction.atomic():
        job = ExportJob.objects.create(
            committee=committee,
            requested_by=actor,
            export=name,
            params={key: params.getlist(key) for key in params if key != "page"},
            title=spec.title[:200],
            filename=spec.filename[:200],
            rows_total=spec.total,
        )
        transaction.on_commit(lambda: export_job_run(str(job.pk)))
    return job


def export_job_write(job_id: str) -> ExportJob | None:
    """Write the job's file (the background job's body); None when there is
    nothing to do (unknown, or already taken by another worker)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ExportJob.Status.QUEUED:
            return None
        job.status = ExportJob.Status.RUNNING
        job.save(update_fields=["status"])
    user, committee = job.requested_by, job.committee
    definition = _EXPORTS.get(job.export)
    with acting_as(actor=user, channel="job:export"):
        if definition is None or not has_perm(user, definition.permission, committee):
            return _finish(job, error=_("You may no longer export this list."))
        query = QueryDict(mutable=True)
        for key, values in job.params.items():
            query.setlist(key, values)
        try:
            spec = definition.build(user, committee, query)
            written = _write(job, spec)
        except Exception:
            logger.exception("export job %s failed", job.pk)
            return _finish(job, error=_("The file could not be written; please try again."))
        audit_log(
            action=spec.audit_action,
            committee=committee,
            rows=written,
            job=str(job.pk),
            **spec.audit_detail,
        )
    notify(
        recipients=[user],
        title=_("Your export “%(title)s” is ready") % {"title": job.title},
        url=reverse("core:export_job", args=[job.pk]),
        committee=committee,
        dedupe_key=f"export:{job.pk}",
    )
    return job


def _write(job: ExportJob, spec: ExportSpec) -> int:
    """The workbook into a temporary file (constant memory), progress noted
    every PROGRESS_STEP rows, then into the file storage."""
    done = [0]

    def rows() -> Iterator[Sequence[Any]]:
        for row in spec.rows:
            done[0] += 1
            if done[0] % PROGRESS_STEP == 0:
                ExportJob.objects.filter(pk=job.pk).update(rows_done=done[0])
            yield row

    with tempfile.TemporaryFile() as tmp:
        write_workbook(tmp, spec.title, spec.headers, rows())
        tmp.seek(0)
        job.file.save("export.xlsx", File(tmp), save=False)
    job.status, job.rows_done = ExportJob.Status.DONE, done[0]
    job.rows_total = max(job.rows_total, done[0])
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "rows_done", "rows_total", "finished_at"])
    return done[0]


def _finish(job: ExportJob, *, error: str) -> ExportJob:
    job.status, job.error, job.finished_at = ExportJob.Status.FAILED, error, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def export_files_expire(*, now: Any = None) -> int:
    """Remove the files of jobs finished more than KEEP_FILES ago; the rows stay."""
    cutoff = (now or timezone.now()) - KEEP_FILES
    removed = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        removed += 1
    return removed
