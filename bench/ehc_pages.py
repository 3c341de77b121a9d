"""How fast the EHC screens answer on a big data set.

    make bench                      # SQLite, "national" demo casework
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench
    BENCH_SIZE=large make bench     # a smaller data set, quicker

Builds a throwaway test database (never touches your own), loads the demo
data at the chosen size, then requests each page as the demo DCO many times
through Django's test client and prints the median and 95th percentile time
and the number of queries for each. Figures are printed, not asserted: the
tests guard query counts, this measures time.
"""

from __future__ import annotations

import os
import statistics
import time

from _bench import throwaway_database  # first: it sets Django up
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

SIZE = os.environ.get("BENCH_SIZE", "national")
RUNS = int(os.environ.get("BENCH_RUNS", "30"))


def measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    from accounts.models import User
    from ehc.models import Child, HealthAdviceRequest

    with throwaway_database():
        started = time.perf_counter()
        call_command("seed_demo", size=SIZE, force=True, stdout=open(os.devnull, "w"))
        seeded = time.perf_counter() - started
        dco = User.objects.get(email="dco@example.org")
        visible = HealthAdviceRequest.objects.visible_to(dco)
        print(
            f"{connection.vendor}, size {SIZE}: {HealthAdviceRequest.objects.count():,} requests, "
            f"{Child.objects.count():,} children ({visible.count():,} requests in the DCO's "
            f"scope); seeded in {seeded:.1f} s; {RUNS} runs per page"
        )
        client = Client()
        client.force_login(dco)
        request = visible.order_by("-due_on").first()
        pages = {
            "worklist": "/ehc/requests/",
            "worklist, open + filter": "/ehc/requests/?status=open&overdue=on",
            "worklist, last page": "/ehc/requests/?page=last",
            "request page": request.get_absolute_url(),
            "child page": request.child.get_absolute_url(),
            "children search": "/ehc/children/?q=smith",
            "officer home": "/officer/",
        }
        print(f"{'page':<28}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
        for name, url in pages.items():
            median, p95, queries = measure(client, url)
            print(f"{name:<28}{median:>10.1f}{p95:>10.1f}{queries:>9}")


if __name__ == "__main__":
    main()
