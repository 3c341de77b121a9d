"""How fast the daily reminder run finds what is due, and how it finds it.

    make bench-reminders                               # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-reminders
    BENCH_CLOSED=500000 make bench-reminders           # more closed history
    BENCH_REQUESTS=200000 DATABASE_URL=postgres://... make bench-reminders  # at scale

Builds a throwaway test database (never touches your own), loads
``seed_demo --size large``, then:

1. times ``ehc.reminders.select_due`` (median and 95th percentile of
   BENCH_RUNS runs) and counts its queries;
2. prints the query plan of each of its reads (EXPLAIN), and whether each
   starts from the index meant for it;
3. adds BENCH_CLOSED closed requests (with returned contributions) of
   earlier years, refreshes the planner's statistics, and does 1 and 2 again.

The selection reads only outstanding work, so its time should not change
with closed history.

With BENCH_REQUESTS (PostgreSQL), step 3 instead adds that many requests
shaped as at national scale (bench/_scale.py: closed history, withdrawn
requests with services left outstanding, long-overdue and recent work),
and every step times both selections: reading everything due
(``select_due(today)``, the first run and after a policy change) and
reading only what changed since yesterday's finished run
(``select_due(today, since=...)``, every other day), with the plans of
the reads the latter makes. Figures are printed, not asserted.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import time

from _bench import throwaway_database  # first: it sets Django up
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

SIZE = os.environ.get("BENCH_SIZE", "large")
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
CLOSED = int(os.environ.get("BENCH_CLOSED", "200000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "0"))
# The index each read should start from (PostgreSQL names; SQLite reports
# the same names in "USING INDEX").
# Outstanding contributions may start from the partial index on the working
# date or from the index on returned_on (IS NULL): either reads unreturned
# rows only, never closed history.
EXPECTED_INDEX = {
    "contributions": ("contribution_outstanding_work", "contribution_returned"),
    "unasked": ("request_",),
}


def yesterdays_run(today):
    """A finished daily run for yesterday under today's policy: the base a
    run today reads changes since."""
    from ehc.models import ReminderPolicy, ReminderRun

    started = timezone.now() - datetime.timedelta(days=1)
    ReminderRun.objects.create(
        run_for=today - datetime.timedelta(days=1),
        started_at=started,
        finished_at=started,
        policy_key=ReminderPolicy.current().key,
    )


def time_selection(today, changes: bool = False) -> tuple[float, float, int, int]:
    from ehc.models import ReminderPolicy
    from ehc.reminders import select_due
    from ehc.reminders.runs import changes_since

    policy = ReminderPolicy.current()
    since = changes_since(today, policy) if changes else None
    if changes and since is None:
        raise SystemExit("No finished run to read changes since")
    select_due(today, policy, since=since)  # warm caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        found = select_due(today, policy, since=since)
        times.append((time.perf_counter() - start) * 1000)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        select_due(today, policy, since=since)
    print("   query times (ms): " + ", ".join(f"{float(q['time']) * 1000:.1f}" for q in queries))
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries), len(found)


def print_plans(today) -> None:
    from ehc.models import ReminderPolicy
    from ehc.reminders.casework import due_querysets

    for kind, queryset in due_querysets(today, ReminderPolicy.current()).items():
        plan = queryset.explain()
        expected = EXPECTED_INDEX[str(kind)]
        verdict = "uses" if any(name in plan for name in expected) else "DOES NOT USE"
        print(f"\n-- {kind}: {verdict} an index named {' or '.join(expected)}*")
        for line in plan.splitlines():
            print(f"   {line}")


def add_closed_history(count: int) -> None:
    """Closed requests of earlier years, each with two returned contributions."""
    from commissioning.models import Service
    from ehc.models import Child, Contribution, HealthAdviceRequest, Outcome, Process, RequestStatus

    rng = random.Random(7)
    children = list(Child.objects.values_list("pk", "local_authority_id"))
    services = list(Service.objects.values_list("pk", flat=True))
    first = datetime.date(2015, 4, 1)
    batch = 5000
    made = 0
    while made < count:
        size = min(batch, count - made)
        requests = []
        for _ in range(size):
            child_id, la_id = rng.choice(children)
            received = first + datetime.timedelta(days=rng.randrange(0, 3000))
            requests.append(
                HealthAdviceRequest(
                    child_id=child_id,
                    local_authority_id=la_id,
                    process=Process.NEEDS_ASSESSMENT,
                    sent_on=received,
                    received_on=received,
                    due_on=received + datetime.timedelta(weeks=6),
                    working_due_on=received + datetime.timedelta(weeks=6),
                    status=RequestStatus.CLOSED,
                    closed_on=received + datetime.timedelta(days=60),
                )
            )
        HealthAdviceRequest.objects.bulk_create(requests)
        if requests[0].pk is None:  # backends that do not return ids
            requests = list(HealthAdviceRequest.objects.order_by("-pk")[:size])
        contributions = []
        for request in requests:
            for service_id in rng.sample(services, 2):
                contributions.append(
                    Contribution(
                        request_id=request.pk,
                        local_authority_id=request.local_authority_id,
                        service_id=service_id,
                        asked_on=request.received_on,
                        due_on=request.due_on,
                        working_due_on=request.due_on,
                        returned_on=request.received_on + datetime.timedelta(days=30),
                        outcome=Outcome.ADVICE_GIVEN,
                    )
                )
        Contribution.objects.bulk_create(contributions)
        made += size
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def print_change_plans(today) -> None:
    """The plans of the reads a run makes when it reads changes only."""
    from ehc.models import Contribution, HealthAdviceRequest, ReminderPolicy, RequestStatus
    from ehc.reminders import casework
    from ehc.reminders.runs import changes_since

    policy = ReminderPolicy.current()
    since = changes_since(today, policy)
    changed = casework.due_querysets(
        today,
        policy,
        contributions=casework.changed_contributions(today, policy, since),
        requests=casework.changed_requests(today, policy, since),
    )
    reads = {
        "services' lines: contributions changed": changed["contributions"],
        "owners' and areas' lines: requests changed": changed["requests"],
    }
    awaiting = HealthAdviceRequest.objects.filter(status=RequestStatus.AWAITING)
    print(
        f"\n{changed['requests'].count():,} requests and {changed['contributions'].count():,} "
        f"contributions changed since {since.day} (of {awaiting.count():,} awaiting, "
        f"{Contribution.objects.outstanding().count():,} outstanding contributions)"
    )
    for kind, queryset in reads.items():
        print(f"\n-- {kind}:")
        for line in queryset.explain(analyze=True, costs=False).splitlines():
            print(f"   {line[:160]}{'...' if len(line) > 160 else ''}")


def report(label: str, today) -> float:
    from ehc.models import Contribution, HealthAdviceRequest, RequestStatus

    median, p95, queries, found = time_selection(today)
    closed = HealthAdviceRequest.objects.exclude(status=RequestStatus.AWAITING).count()
    print(
        f"\n{label}: {HealthAdviceRequest.objects.count():,} requests "
        f"({closed:,} not awaiting), {Contribution.objects.count():,} contributions"
    )
    print(
        f"select_due, everything due: median {median:.1f} ms, p95 {p95:.1f} ms, "
        f"{queries} queries, {found:,} reminders due"
    )
    print_plans(today)
    changed, p95, queries, found = time_selection(today, changes=True)
    print(
        f"\nselect_due, changes since yesterday's run: median {changed:.1f} ms, "
        f"p95 {p95:.1f} ms, {queries} queries, {found:,} reminders due"
    )
    if connection.vendor == "postgresql":
        print_change_plans(today)
    return median


def main() -> None:
    with throwaway_database():
        call_command("seed_demo", size=SIZE, force=True, stdout=open(os.devnull, "w"))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        today = timezone.localdate()
        print(f"{connection.vendor}, seed_demo --size {SIZE}, {RUNS} runs, today {today}")
        yesterdays_run(today)
        before = report("Demo data", today)
        started = time.perf_counter()
        if REQUESTS:
            from _scale import add_casework

            add_casework(REQUESTS, today)
            label = f"With {REQUESTS:,} more requests at national shape"
        else:
            add_closed_history(CLOSED)
            label = f"With {CLOSED:,} more closed requests"
        print(f"\n(added in {time.perf_counter() - started:.0f} s)")
        after = report(label, today)
        print(f"\nselect_due median: {before:.1f} ms before, {after:.1f} ms after closed history")


if __name__ == "__main__":
    main()
