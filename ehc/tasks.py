"""Celery tasks: thin, they take ids and call a service (docs/architecture.md, "Thin tasks")."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from ehc import reminders, summary
from ehc.caseload_import import jobs

# Retries of a refused digest: 30 s, 60 s, 120 s, ... capped at 5 minutes, 6 in
# all (about 15 minutes). Each countdown stays below the broker's visibility
# timeout (config/settings.py), so a waiting retry is not handed out twice.
DIGEST_RETRIES = 6
DIGEST_BACKOFF_MAX = 300


@shared_task(name="ehc.send_deadline_reminders")
def send_deadline_reminders() -> dict:
    """The daily beat entry (07:00 Europe/London): claim today's reminders
    and queue one digest per recipient."""
    result = reminders.run_reminders(today=timezone.localdate())
    return {"run": result.run.pk, "claimed": result.run.claimed}


@shared_task(name="ehc.recover_reminder_digests")
def recover_reminder_digests() -> dict:
    """The recovery beat entry (every 10 minutes): take over stale claims,
    released failures and uncertain deliveries due a resend."""
    run = reminders.recover_reminders()
    return {"run": run.pk if run else None, "claimed": run.claimed if run else 0}


@shared_task(bind=True, name="ehc.send_reminder_digest", max_retries=DIGEST_RETRIES)
def send_reminder_digest(self, run_id: int, recipient: str) -> int:
    """Send one recipient's digest under the run's claim. A refused digest
    is retried with backoff under the same claim, and released for the next
    run on the last try; an uncertain delivery is never retried here."""
    final = self.request.retries >= self.max_retries
    try:
        return reminders.send_digest(run_id=run_id, recipient=recipient, final=final)
    except reminders.DigestFailed as error:
        if final:
            return 0
        countdown = min(DIGEST_BACKOFF_MAX, 30 * 2**self.request.retries)
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(name="ehc.compact_england", ignore_result=True)
def compact_england() -> int:
    """The nightly beat entry (02:30 Europe/London): fold England's month
    rows into one row per key (ehc.summary.compact_england)."""
    return summary.compact_england()


@shared_task(name="ehc.fill_overdue", ignore_result=True)
def fill_overdue() -> int:
    """The nightly beat entry (00:20 Europe/London): fill England's overdue
    on the month ends before today not filled yet, normally only after a
    month has ended (ehc.summary.fill_overdue_month_ends)."""
    return summary.fill_overdue_month_ends()


# The caseload import (ehc/caseload_import/jobs.py queues these by name for
# large files). No automatic retry: a file that fails once fails the same
# way again, and the job records why.


@shared_task(name="ehc.check_caseload_import", ignore_result=True)
def check_caseload_import(job_id: int) -> str:
    return jobs.check_job(job_id=job_id)


@shared_task(name="ehc.run_caseload_import", ignore_result=True)
def run_caseload_import(job_id: int) -> str:
    return jobs.import_job(job_id=job_id)
