"""A caseload import as a job: upload, check (the preview), confirm, import
(docs/caseload-import.md, "On the portal").

A file of up to :data:`WORKER_ROWS` rows, or any file when no broker is
configured (``REDIS_URL`` unset), is checked and imported in the web
request. A larger one is handed to a Celery worker once the job row is
committed (:func:`core.dispatch.dispatch`, by the task's name: see
``ehc/tasks.py``), and the job's page refreshes to show its progress.
Each step claims the job with a conditional UPDATE of its status, so a
second click, a retried task or a second worker does nothing twice. The
uploaded file is deleted as soon as it cannot be imported any more.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict
from pathlib import Path

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from core.dispatch import dispatch, has_broker
from ehc.caseload_import import apply, reading
from ehc.caseload_import.plan import Plan, Problem, build_plan
from ehc.models import IMPORT_BUSY, ImportJob, ImportStatus

logger = logging.getLogger(__name__)

# More rows than this go to a worker when there is one. New records are
# written in bulk (bench/caseload_import.py: about 2 ms a row), but a row that
# changes a record held goes through its service one by one (10 to 150 ms a
# row, by machine and load), and the job is sent before the file is planned,
# so a few hundred such rows would already take most of gunicorn's 30-second
# request timeout.
WORKER_ROWS = 200
UPLOAD_DIR = "caseload-imports"
KEPT_FOR = timezone.timedelta(days=2)  # an unconfirmed upload is deleted after this
MAX_PROBLEMS = 1000  # kept on the job and shown; the count says how many more
CHECK_TASK = "ehc.check_caseload_import"
IMPORT_TASK = "ehc.run_caseload_import"
WENT_WRONG = (
    "Something went wrong while the file was being read. Nothing has been imported: "
    "try again, and tell your administrator if it happens again"
)


def _progress_key(job_id: int) -> str:
    return f"caseload-import-progress:{job_id}"


def progress_of(job: ImportJob) -> int:
    """Per cent done: what the worker last reported (kept in the cache,
    since its own writes are not visible until it commits), else what the
    job row says."""
    reported = cache.get(_progress_key(job.pk)) if job.busy else None
    return max(job.progress, reported or 0)


def _reporter(job_id: int, share: tuple[int, int]):
    start, end = share

    def report(done: int, total: int) -> None:
        cache.set(_progress_key(job_id), start + (end - start) * done // max(total, 1), 3600)

    return report


def in_worker(rows: int) -> bool:
    return rows > WORKER_ROWS and has_broker()


def start(*, by, name: str, data: bytes) -> ImportJob:
    """Keep the uploaded file (``name``, its bytes ``data``) and check it
    as ``by``: in this request for a small file, else in a worker. Returns
    the job. Raises :class:`ehc.caseload_import.reading.FileProblem` when
    the file cannot be read at all (nothing is kept)."""
    sheet = reading.read(data, name)
    suffix = Path(name).suffix.lower()
    path = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}", ContentFile(data))
    job = ImportJob.objects.create(
        created_by=by, file_name=Path(name).name[:255], file_path=path, rows=len(sheet.rows)
    )
    purge_stale()
    if in_worker(job.rows):
        dispatch(CHECK_TASK, run=check_job, on_queue_error=_queue_failed(job.pk), job_id=job.pk)
    else:
        check_job(job_id=job.pk, sheet=sheet)
    job.refresh_from_db()
    return job


def _queue_failed(job_id: int):
    def failed(error: Exception) -> None:
        _finish(job_id, ImportStatus.FAILED, problems=[Problem(1, "", WENT_WRONG)])

    return failed


def _read(job: ImportJob) -> reading.Sheet:
    with default_storage.open(job.file_path, "rb") as handle:
        return reading.read(handle.read(), job.file_name)


def _problem_rows(problems: list[Problem]) -> list[list]:
    return [[p.line, p.column, p.message] for p in problems[:MAX_PROBLEMS]]


def _finish(job_id: int, status: str, *, problems: list[Problem], **fields) -> None:
    """Record the end of a step; delete the upload (and clear the conflicts)
    unless the job is checked and may still be imported."""
    job = ImportJob.objects.get(pk=job_id)
    keep = status == ImportStatus.CHECKED and not problems
    if not keep:
        _delete_file(job)
        fields["conflicts"] = []
        fields["finished_at"] = timezone.now()
    counts = fields.pop("counts", job.counts)
    counts["problems"] = len(problems)
    ImportJob.objects.filter(pk=job_id).update(
        status=status,
        progress=100,
        problems=_problem_rows(problems),
        counts=counts,
        file_path=job.file_path if keep else "",
        **fields,
    )
    cache.delete(_progress_key(job_id))


def _delete_file(job: ImportJob) -> None:
    if job.file_path:
        default_storage.delete(job.file_path)


def check_job(*, job_id: int, sheet: reading.Sheet | None = None) -> str:
    """The preview: read the file, plan it and run it through the services
    without keeping anything. Returns "checked", "failed" or "skipped"
    (claimed already). Never raises: a failure is recorded on the job."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.CHECKING
    ):
        return "skipped"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        plan = build_plan(sheet or _read(job), user=job.created_by, today=timezone.localdate())
        problems = apply.run(
            plan, by=job.created_by, dry_run=True, progress=_reporter(job_id, (5, 100))
        )
    except reading.FileProblem as error:
        _finish(job_id, ImportStatus.CHECKED, problems=[Problem(1, "", str(error))])
        return "checked"
    except Exception:
        logger.exception("The caseload import %s could not be checked", job_id)
        _finish(job_id, ImportStatus.FAILED, problems=[Problem(1, "", WENT_WRONG)])
        return "failed"
    _finish(
        job_id,
        ImportStatus.CHECKED,
        problems=problems,
        counts=apply.counts(plan),
        unknown_columns=plan.unknown_columns,
        conflicts=[asdict(conflict) for conflict in plan.conflicts] if not problems else [],
    )
    return "checked"


def confirm(*, job: ImportJob, chosen: list[str]) -> bool:
    """Start importing a checked job, changing the conflicts in ``chosen``
    (their keys) to the file's values. False when it was not waiting for
    confirmation (a second click: nothing happens twice)."""
    known = {conflict["key"] for conflict in job.conflicts}
    claimed = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.CHECKED, problems=[], file_path__gt=""
    ).update(
        status=ImportStatus.IMPORT_QUEUED,
        chosen=[key for key in chosen if key in known],
        progress=0,
    )
    if not claimed:
        return False
    if in_worker(job.rows):
        dispatch(IMPORT_TASK, run=import_job, on_queue_error=_queue_failed(job.pk), job_id=job.pk)
    else:
        import_job(job_id=job.pk)
    return True


def import_job(*, job_id: int) -> str:
    """Import a confirmed job, all or nothing, as the user who uploaded it.
    Returns "imported", "failed" or "skipped". Never raises."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.IMPORT_QUEUED).update(
        status=ImportStatus.IMPORTING
    ):
        return "skipped"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    plan: Plan | None = None
    try:
        plan = build_plan(_read(job), user=job.created_by, today=timezone.localdate())
        problems = apply.run(
            plan, by=job.created_by, chosen=job.chosen, progress=_reporter(job_id, (5, 100))
        )
    except Exception:
        logger.exception("The caseload import %s failed", job_id)
        _finish(job_id, ImportStatus.FAILED, problems=[Problem(1, "", WENT_WRONG)])
        return "failed"
    status = ImportStatus.FAILED if problems else ImportStatus.IMPORTED
    _finish(job_id, status, problems=problems, counts=apply.counts(plan, job.chosen))
    return str(status)


def purge_stale() -> int:
    """Two days (:data:`KEPT_FOR`) after an upload, delete its file if it
    is still kept (checked, never confirmed) and clear what the job shows
    of the file's contents: the conflicts (what is held about children) and
    the problems (which may quote a cell). The counts stay. Returns how
    many jobs were tidied."""
    stale = (
        ImportJob.objects.filter(created_at__lt=timezone.now() - KEPT_FOR)
        .exclude(status__in=IMPORT_BUSY)
        .exclude(file_path="", conflicts=[], problems=[])
    )
    count = 0
    for job in stale:
        _delete_file(job)
        ImportJob.objects.filter(pk=job.pk).update(
            file_path="", conflicts=[], problems=[], finished_at=job.finished_at or timezone.now()
        )
        count += 1
    return count
