"""The annual report's stored PDF: one row per report, keyed by the
selection and a fingerprint of the data, built in a worker when Redis is
configured (in the request otherwise, through core.dispatch) and reused
until the data changes.

What the report says is built by reports/annual_content.py; this module only
writes (docs/architecture.md, "Services and forms": services take keyword
arguments and the acting user).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from commissioning.models import CommissioningBody, LocalAuthority, Provider
from core import periods
from core.audit import saved_user
from core.dispatch import dispatch, has_broker
from core.pdf import render_pdf
from reports import data_versions
from reports.annual_content import REPORT_VERSION, AnnualReport, build, file_name
from reports.filters import Selection
from reports.indicators import Scope
from reports.models import AnnualReportFile, FileStatus

logger = logging.getLogger(__name__)

PDF_TEMPLATE = "pdf/annual_report.html"
# A pending build nobody has finished in this time is shown as failed, with
# a way to try again.
STALE_AFTER = datetime.timedelta(minutes=15)


def _params(selection: Selection, as_of: datetime.date) -> dict:
    scope = selection.scope
    return {
        "version": REPORT_VERSION,
        "period": selection.period.slug,
        "exact": selection.exact,
        "label": scope.label,
        "body_id": scope.body_id,
        "la_ids": sorted(scope.la_ids) if scope.la_ids is not None else None,
        "provider_id": scope.provider_id,
        "chosen_body": selection.body.pk if selection.body else None,
        "chosen_la": selection.local_authority.pk if selection.local_authority else None,
        "chosen_provider": selection.provider.pk if selection.provider else None,
        "as_of": as_of.isoformat(),
    }


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def file_keys(selection: Selection, as_of: datetime.date, fingerprint: str) -> tuple[str, str]:
    """(slot, key): the slot names the report (scope, year, exact or not);
    the key adds the day the figures run to and the data fingerprint."""
    params = _params(selection, as_of)
    slot = _digest({k: v for k, v in params.items() if k != "as_of"})
    return slot, _digest({"slot": slot, "as_of": params["as_of"], "data": fingerprint})


def selection_from(params: dict) -> Selection:
    """The selection a stored file was asked for (a chosen body, authority
    or provider deleted since raises DoesNotExist: the build fails)."""

    def load(model, pk):
        return None if pk is None else model.objects.get(pk=pk)

    scope = Scope(
        label=params["label"],
        body_id=params["body_id"],
        la_ids=frozenset(params["la_ids"]) if params["la_ids"] is not None else None,
        provider_id=params["provider_id"],
    )
    return Selection(
        scope=scope,
        period=periods.parse_period(params["period"]),
        exact=params["exact"],
        body=load(CommissioningBody, params["chosen_body"]),
        local_authority=load(LocalAuthority, params["chosen_la"]),
        provider=load(Provider, params["chosen_provider"]),
    )


def is_stale(row: AnnualReportFile, now: datetime.datetime | None = None) -> bool:
    """A pending build nobody has finished within STALE_AFTER."""
    now = now or timezone.now()
    since = row.started_at or row.queued_at
    return row.status == FileStatus.PENDING and since < now - STALE_AFTER


BUILD_TASK = "reports.build_annual_report"  # reports/tasks.py, which calls build_file


def _start(row: AnnualReportFile) -> None:
    """Build the file in this process (no Redis) or queue its build for a
    worker, once the row is committed (core.dispatch: by the task's name, so
    this module never imports reports/tasks.py)."""
    file_id = row.pk

    def queue_failed(error: Exception) -> None:
        # The broker is down: say so now rather than leave "being prepared"
        # showing until the build goes stale.
        AnnualReportFile.objects.filter(pk=file_id, status=FileStatus.PENDING).update(
            status=FileStatus.FAILED, finished_at=timezone.now()
        )

    dispatch(BUILD_TASK, run=build_file, on_queue_error=queue_failed, file_id=file_id)


@transaction.atomic
def _find_or_create(selection: Selection, by, as_of) -> tuple[AnnualReportFile, bool]:
    slot, key = file_keys(selection, as_of, data_versions.fingerprint(selection.scope))
    row, created = AnnualReportFile.objects.get_or_create(
        key=key,
        defaults={
            "slot": slot,
            "params": _params(selection, as_of),
            "filename": file_name(selection),
            "requested_by": saved_user(by),
        },
    )
    if created:
        # Older versions of the same report: the data has moved on.
        AnnualReportFile.objects.filter(slot=slot).exclude(pk=row.pk).delete()
    return row, created


def request_file(*, selection: Selection, by, today: datetime.date) -> AnnualReportFile:
    """The stored PDF for ``selection`` and today's data: created and built
    (or queued) if there is none yet, recording ``by`` (the user asking) as
    ``requested_by``. Returns the row as it now stands."""
    as_of = min(selection.period.end, today)
    row, created = _find_or_create(selection, by, as_of)
    unclaimed = row.status == FileStatus.PENDING and row.started_at is None
    if created or (unclaimed and not has_broker()):
        _start(row)
        row.refresh_from_db()
    return row


def retry_file(*, selection: Selection, by, today: datetime.date) -> AnnualReportFile:
    """Start again a build that failed or went stale; anything else is left
    alone (a second click while it is being built queues nothing)."""
    as_of = min(selection.period.end, today)
    row, created = _find_or_create(selection, by, as_of)
    if not created and (row.status == FileStatus.FAILED or is_stale(row)):
        now = timezone.now()
        reset = AnnualReportFile.objects.filter(pk=row.pk, status=row.status).update(
            status=FileStatus.PENDING,
            content=None,
            started_at=None,
            finished_at=None,
            queued_at=now,
            requested_by=saved_user(by),
        )
        created = bool(reset)
    if created:
        _start(row)
    row.refresh_from_db()
    return row


def render(annual: AnnualReport) -> bytes:
    return render_pdf(PDF_TEMPLATE, {"annual": annual, "service_name": settings.SERVICE_NAME})


def build_file(*, file_id: int) -> str:
    """Claim, build and store one annual report PDF. Returns what happened:
    "ready", "failed" or "skipped" (someone else has it, or it is gone).

    A failure is logged and recorded on the row, never raised: the user sees
    "could not be prepared" with a way to try again.
    """
    claimed = AnnualReportFile.objects.filter(
        pk=file_id, status=FileStatus.PENDING, started_at__isnull=True
    ).update(started_at=timezone.now())
    if not claimed:
        return "skipped"
    began = time.perf_counter()
    try:
        params = AnnualReportFile.objects.values_list("params", flat=True).get(pk=file_id)
        annual = build(
            selection_from(params),
            today=datetime.date.fromisoformat(params["as_of"]),
            produced_on=timezone.localdate(),
        )
        pdf = render(annual)
    except AnnualReportFile.DoesNotExist:
        return "skipped"
    except Exception:
        logger.exception("The annual report PDF %s could not be built", file_id)
        AnnualReportFile.objects.filter(pk=file_id, status=FileStatus.PENDING).update(
            status=FileStatus.FAILED, finished_at=timezone.now()
        )
        return "failed"
    AnnualReportFile.objects.filter(pk=file_id, status=FileStatus.PENDING).update(
        status=FileStatus.READY,
        content=pdf,
        finished_at=timezone.now(),
        render_seconds=round(time.perf_counter() - began, 3),
    )
    return "ready"
