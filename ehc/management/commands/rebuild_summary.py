"""Recompute every live row of the reports' summary store (decision 0010;
docs/reports.md, "The summary store"), for repair: after data was changed
outside the services (a restore, a hand-made SQL fix, a bulk load) or a
change of what the store counts.

    python manage.py rebuild_summary

Recomputes one local authority at a time, each in its own transaction, from
the requests and contributions as they are; the kept counts of erased
children stay. Safe to run at any time and to repeat.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from ehc.summary import rebuild_summary


class Command(BaseCommand):
    help = "Recompute the reports' summary store from the requests and contributions."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = rebuild_summary()
        seconds = time.perf_counter() - started
        self.stdout.write(f"The summary store holds {rows:,} live rows ({seconds:.1f} s).")
