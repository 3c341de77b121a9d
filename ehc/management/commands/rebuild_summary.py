"""Recompute every live row of the reports' summary store (decision 0010;
docs/reports.md, "The summary store"), for repair: after data was changed
outside the services (a restore, a hand-made SQL fix, a bulk load) or a
change of what the store counts.

    python manage.py rebuild_summary
    python manage.py rebuild_summary --compact-england
    python manage.py rebuild_summary --fill-overdue

Recomputes one local authority at a time, each in its own transaction, from
the requests and contributions as they are; the kept counts of erased
children stay. Safe to run at any time and to repeat.

``--compact-england`` only folds England's month rows (one row per key
instead of one per change; ehc.summary.compact_england): what the nightly
beat entry does, for a deployment that runs its schedule from cron.
``--fill-overdue`` only fills England's overdue on the month ends before
today not filled yet (ehc.summary.fill_overdue_month_ends): the other
nightly entry's work, for cron likewise.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from ehc.summary import compact_england, fill_overdue_month_ends, rebuild_summary


class Command(BaseCommand):
    help = "Recompute the reports' summary store from the requests and contributions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--compact-england",
            action="store_true",
            help="Only fold England's month rows into one row per key (nightly).",
        )
        parser.add_argument(
            "--fill-overdue",
            action="store_true",
            help="Only fill England's overdue on month ends not filled yet (nightly).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["compact_england"]:
            rows = compact_england()
            seconds = time.perf_counter() - started
            self.stdout.write(f"England's month rows: {rows:,} left ({seconds:.1f} s).")
            return
        if options["fill_overdue"]:
            months = fill_overdue_month_ends()
            seconds = time.perf_counter() - started
            self.stdout.write(f"England's overdue: {months} month ends filled ({seconds:.1f} s).")
            return
        rows = rebuild_summary()
        seconds = time.perf_counter() - started
        self.stdout.write(f"The summary store holds {rows:,} live rows ({seconds:.1f} s).")
