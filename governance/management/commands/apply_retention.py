"""List the children whose records are due for erasure under the retention
schedule, and prepare them as an erasure list for an administrator to
approve in the portal (docs/information-governance.md, "Retention").

    python manage.py apply_retention [--today YYYY-MM-DD] [--dry-run]

Nothing is erased here: erasure happens only when an administrator approves
the list at /governance/erasure/. Without --dry-run it first deletes the
files of subject access ZIPs kept longer than SUBJECT_ACCESS_KEEP_DAYS.
--dry-run prints the list and saves nothing. The same services as the
monthly Celery beat entry; where there is no Celery, run this from cron once
a month.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from governance import selectors, services


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date like 2031-03-01, not {text!r}") from None


class Command(BaseCommand):
    help = "List the children due for erasure and prepare the list for approval in the portal."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="Run as if today were this date.")
        parser.add_argument("--dry-run", action="store_true", help="Print the list; save nothing.")

    def handle(self, *args, today: str | None, dry_run: bool, **options):
        day = _date(today) if today else timezone.localdate()
        review = selectors.retention_review(today=day)
        # Children are named by their portal id and area only: the output
        # may end up in a cron mail or a log.
        for candidate in review.due:
            child = candidate.child
            self.stdout.write(
                f"due   child {child.pk} ({child.local_authority.name}): "
                f"{candidate.due.reason}, {candidate.due.on}"
            )
        for kept in review.kept:
            child = kept.child
            self.stdout.write(f"kept  child {child.pk} ({child.local_authority.name}): {kept.why}")
        if dry_run:
            self.stdout.write(
                f"Dry run for {day}: {len(review.due)} due, {len(review.kept)} kept; nothing saved."
            )
            return
        deleted = services.expire_subject_access_exports()
        self.stdout.write(
            f"Subject access ZIPs older than {settings.SUBJECT_ACCESS_KEEP_DAYS} days: "
            f"{deleted} deleted."
        )
        batch = services.prepare_retention_batch(today=day)
        if batch is None:
            self.stdout.write(f"Nobody's records are due for erasure on {day}.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{batch} prepared with {batch.candidates.count()} children: an administrator "
                "approves it at /governance/erasure/."
            )
        )
