"""Run today's deadline reminders without Celery (for cron on the embedded
default), or show exactly what a run now would send.

    python manage.py send_deadline_reminders [--today YYYY-MM-DD] [--dry-run]
    python manage.py send_deadline_reminders --recover

The same service as the Celery beat task (ehc/reminders/runs.py): reminders
are claimed before they are sent, so running this twice, or alongside the
beat, sends nothing twice. A refused digest is retried within the command
(REMINDER_RETRY_DELAYS) and a rerun the same day picks up what still
failed. --dry-run prints, per recipient, the reminders and digests a real
run at this moment would send (stale claims it would take over, and an
officer told about a request both as its owner and as one of the area's
officers, included once). --recover only takes over what earlier runs left.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ehc import reminder_stages
from ehc.models import ReminderKind
from ehc.reminders import recover_reminders, run_reminders
from ehc.reminders.claims import Plan

REASONS = {
    "new": "",
    "stale claim": " - taken over from a run that did not finish",
    "failed": " - failed earlier, tried again",
    "uncertain": " - delivery uncertain earlier: resent, marked as a possible repeat",
}


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date like 2026-11-23, not {text!r}") from None


def _as(kinds) -> str:
    labels = {
        ReminderKind.SERVICE: "service contact",
        ReminderKind.OWNER: "owner",
        ReminderKind.AREA_OVERDUE: "area's designated officer",
    }
    return " and ".join(labels.get(kind, str(kind)) for kind in kinds)


class Command(BaseCommand):
    help = "Send (or, with --dry-run, list) today's health advice deadline reminders."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="Run as if today were this date.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would get what; send nothing."
        )
        parser.add_argument(
            "--recover",
            action="store_true",
            help="Only take over and send what earlier runs left unsent.",
        )

    def handle(self, *args, today: str | None, dry_run: bool, recover: bool, **options):
        if recover:
            run = recover_reminders()
            taken = run.taken_over if run else 0
            self.stdout.write(f"Recovery: {taken} reminder(s) taken over and handed on.")
            return
        day = _date(today) if today else timezone.localdate()
        result = run_reminders(today=day, dry_run=dry_run)
        run = result.run
        if dry_run:
            self.stdout.write(f"Dry run for {day}: nothing sent.")
            digests = 0
            for recipient, items in sorted(result.by_recipient.items()):
                count = Plan.digests(items)
                digests += count
                self.stdout.write(f"{recipient}: {len(items)} reminder(s) in {count} digest(s)")
                for item in sorted(items, key=lambda i: (i.due_on, i.target)):
                    ref = f"HA-{item.request_id:06d}" if item.request_id else item.target
                    stage = reminder_stages.describe(item.stage).lower()
                    self.stdout.write(
                        f"  {ref} {stage} (by {item.due_on}), as {_as(item.kinds)}"
                        f"{REASONS[item.reason]}"
                    )
            self.stdout.write(
                f"{run.claimed} reminder(s) in {digests} digest(s) to {run.recipients} "
                f"recipient(s) would be sent ({run.taken_over} taken over from earlier runs)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Reminders for {day}: {run.claimed} claimed for {run.recipients} "
                f"recipient(s); {run.sent} sent, {run.failed} digest(s) failed, "
                f"{run.uncertain} uncertain."
            )
        )
