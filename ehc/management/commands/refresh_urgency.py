"""Recompute every request's stored worklist keys (docs/performance.md,
"The worklist"), for repair: after data was changed outside the services
(a restore, a hand-made SQL fix) or a change of the rule.

    python manage.py refresh_urgency

Runs one UPDATE ... FROM an aggregate over every request and prints how
many requests' keys were wrong (0 when all were right). Safe to run at any
time and to repeat.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from ehc.services.urgency import refresh_all


class Command(BaseCommand):
    help = "Recompute every request's stored urgency and earliest date owed (the worklist's keys)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        changed = refresh_all()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{changed} request{'' if changed == 1 else 's'} had keys that were out of date "
            f"and now match the rule ({seconds:.1f} s)."
        )
