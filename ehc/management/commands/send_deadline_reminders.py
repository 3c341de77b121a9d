"""Run today's deadline reminders without Celery (for cron on the embedded
default), or show what they would be.

    python manage.py send_deadline_reminders [--today YYYY-MM-DD] [--dry-run]

The same service as the Celery beat task (ehc/reminders.py): reminders are
claimed before they are sent, so running this twice, or alongside the beat,
sends nothing twice. --dry-run prints who would get what and sends nothing.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ehc import reminder_stages
from ehc.reminders import run_reminders


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date like 2026-11-23, not {text!r}") from None


class Command(BaseCommand):
    help = "Send (or, with --dry-run, list) today's health advice deadline reminders."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="Run as if today were this date.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would get what; send nothing."
        )

    def handle(self, *args, today: str | None, dry_run: bool, **options):
        day = _date(today) if today else timezone.localdate()
        result = run_reminders(today=day, dry_run=dry_run)
        run = result.run
        if dry_run:
            self.stdout.write(f"Dry run for {day}: nothing sent.")
            for recipient, items in sorted(result.by_recipient.items()):
                self.stdout.write(f"{recipient}: {len(items)} reminder(s)")
                for c in sorted(items, key=lambda c: (c.due_on, c.target)):
                    ref = f"HA-{c.request_id:06d}"
                    self.stdout.write(
                        f"  {ref} {c.kind} {reminder_stages.describe(c.stage).lower()} "
                        f"(by {c.due_on})"
                    )
            self.stdout.write(
                f"{run.claimed} reminder(s) to {run.recipients} recipient(s) would be sent."
            )
            return
        run.refresh_from_db()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reminders for {day}: {run.claimed} claimed for {run.recipients} "
                f"recipient(s); {run.sent} sent, {run.failed} digest(s) failed."
            )
        )
