"""How fast the commissioner's dashboard and the annual report PDF are.

    make bench-reports                              # SQLite, large demo data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-reports

Builds a throwaway database (never your own), loads ``seed_demo --size
large``, then, as the demo commissioner (one commissioning body):

- the dashboard for the last complete quarter: median and 95th percentile
  server time over BENCH_RUNS requests, and its query count (aim: under
  300 ms);
- the annual report PDF for the last complete financial year, rendered from
  scratch each time (its cache emptied first): median of BENCH_PDF_RUNS
  (aim: under 5 s);
- the same PDF once stored: the whole request, and the check alone
  (``request_file``: the data versions of the body's authorities, then the
  stored row), median of BENCH_RUNS (aim: under 50 ms).

BENCH_REQUESTS (PostgreSQL) first adds that many requests shaped as at
national scale (bench/_scale.py), so the figures run over that history.

Figures are printed, not asserted; the tests guard query counts.
"""

from __future__ import annotations

import os
import statistics
import time

# Render in-process: time the work, not a queue.
os.environ.pop("REDIS_URL", None)

from _bench import throwaway_database  # first: it sets Django up
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

SIZE = os.environ.get("BENCH_SIZE", "large")
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
PDF_RUNS = int(os.environ.get("BENCH_PDF_RUNS", "3"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "0"))


def timed(client: Client, url: str, runs: int, before=None) -> tuple[float, float, int]:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    if before:
        before()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)], len(queries)


def main() -> None:
    from accounts.models import User
    from core import periods
    from ehc.models import HealthAdviceRequest
    from reports.filters import default_period

    with throwaway_database():
        call_command("seed_demo", size=SIZE, force=True, stdout=open(os.devnull, "w"))
        today = timezone.localdate()
        if REQUESTS:
            from _scale import add_casework

            add_casework(REQUESTS, today)
        commissioner = User.objects.get(email="commissioner@example.org")
        quarter = default_period(today)
        year = periods.financial_year_of(today) - 1
        print(
            f"{connection.vendor}, seed_demo --size {SIZE}: "
            f"{HealthAdviceRequest.objects.count():,} requests; body "
            f"{commissioner.commissioning_body}; quarter {quarter.label}, year {year}"
        )
        client = Client()
        client.force_login(commissioner)
        url = f"/reports/dashboard/?period={quarter.slug}"
        client.get(url)  # warm
        median, p95, queries = timed(client, url, RUNS)
        print(
            f"dashboard: median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, {queries} queries"
        )

        try:
            from reports.models import AnnualReportFile
        except ImportError:
            print("annual report PDF: not built yet")
            return

        def empty_cache():
            AnnualReportFile.objects.all().delete()

        pdf = f"/reports/annual/report.pdf?period={year}"
        median, p95, queries = timed(client, pdf, PDF_RUNS, before=empty_cache)
        size = len(client.get(pdf).content)
        print(
            f"annual report PDF: median {median:.2f} s, max {p95:.2f} s over {PDF_RUNS} renders, "
            f"{size / 1024:.0f} KiB"
        )
        median, p95, queries = timed(client, pdf, RUNS)
        print(
            f"annual report PDF, stored: median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
            f"{queries} queries"
        )
        time_check(commissioner, year, today)


def time_check(user, year: int, today) -> None:
    """``request_file`` for a stored PDF: what a request for it costs
    beyond sign-in and sending the bytes."""
    from core import periods
    from reports import services
    from reports.filters import Selection
    from reports.indicators import Scope

    body = user.commissioning_body
    selection = Selection(
        scope=Scope(label=body.name, body_id=body.pk),
        period=periods.financial_year(year),
        exact=False,
        body=body,
        local_authority=None,
        provider=None,
    )
    services.request_file(selection=selection, by=user, today=today)  # built once
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        services.request_file(selection=selection, by=user, today=today)
        times.append(time.perf_counter() - start)
    times.sort()
    with CaptureQueriesContext(connection) as queries:
        services.request_file(selection=selection, by=user, today=today)
    print(
        f"stored PDF check (request_file): median {statistics.median(times) * 1000:.1f} ms, "
        f"{len(queries)} queries"
    )


if __name__ == "__main__":
    main()
