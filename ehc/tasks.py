"""Celery tasks: thin, they take ids and call a service (docs/architecture.md, "Thin tasks")."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.utils import timezone

from ehc import reminders
from ehc.caseload_import import jobs


@shared_task(name="ehc.send_deadline_reminders")
def send_deadline_reminders() -> dict:
    """The daily beat entry (07:00 Europe/London): claim today's reminders
    and queue one digest per recipient."""
    result = reminders.run_reminders(today=timezone.localdate())
    return {"run": result.run.pk, "claimed": result.run.claimed}


@shared_task(
    name="ehc.send_reminder_digest",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_reminder_digest(run_id: int, recipient: str) -> int:
    """Send one recipient's digest; SMTP failures retry with backoff and
    never resend what a previous attempt marked sent."""
    return reminders.send_digest(run_id=run_id, recipient=recipient)


# The caseload import (ehc/caseload_import/jobs.py queues these by name for
# large files). No automatic retry: a file that fails once fails the same
# way again, and the job records why.


@shared_task(name="ehc.check_caseload_import", ignore_result=True)
def check_caseload_import(job_id: int) -> str:
    return jobs.check_job(job_id=job_id)


@shared_task(name="ehc.run_caseload_import", ignore_result=True)
def run_caseload_import(job_id: int) -> str:
    return jobs.import_job(job_id=job_id)
