"""How fast the DCO worklist answers at scale, and the plans of its reads.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-worklist
    BENCH_COPIES=5 BENCH_BIG_LA=10000 make bench-worklist     # smaller and quicker

PostgreSQL only (the data set is grown with ``INSERT ... SELECT
generate_series``). Builds a throwaway database (never your own), loads
``seed_demo --size national`` (153 local authorities, about 10,000
requests), then grows it in SQL: every request, its child and its
contributions copied BENCH_COPIES times with dates moved back by a few
weeks each time, and the demo DCO's first area (the "largest LA") copied
again until it holds about BENCH_BIG_LA requests. The stored worklist keys
are then recomputed for every row (``refresh_urgency``), which is timed too.

For each worklist URL (the DCO's whole scope, one large LA, page 200, every
sortable column, the filters) it prints the median and 95th percentile time
of BENCH_RUNS requests through the test client (and the least, the
steadiest figure on a shared machine), the number of queries, and the
median time of the same reads run straight on the connection (``raw ms``:
what the page costs beyond its SQL is the difference). ``BENCH_EXPLAIN=1``
prints EXPLAIN ANALYZE of each query of the slowest pages. Figures are
printed, not asserted: the tests guard query counts, this measures time.
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

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
COPIES = int(os.environ.get("BENCH_COPIES", "20"))
BIG_LA = int(os.environ.get("BENCH_BIG_LA", "30000"))
EXPLAIN = os.environ.get("BENCH_EXPLAIN", "") not in ("", "0")
REUSE = os.environ.get("BENCH_REUSE", "")

# Ids of copy n are the original's plus n * OFFSET (far above the demo's).
OFFSET = 10_000_000


def grow(copies: range, local_authorities: list[int] | None = None) -> None:
    """Copy every child, request and contribution (of ``local_authorities``
    only, when given) once per number in ``copies``, with new ids and dates
    moved back ``7 * (n % 52)`` days; NHS numbers and LA references are left
    blank on copies (they are unique per area)."""
    where = ""
    params: list = [copies.start, copies.stop - 1]
    if local_authorities:
        where = "AND c.local_authority_id = ANY(%s)"
        params.append(local_authorities)
    shift = "(n %% 52) * 7"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO ehc_child (id, version, created_at, updated_at, nhs_number, la_reference,
                given_name, family_name, date_of_birth, primary_need, looked_after,
                electively_home_educated, known_to_youth_justice, continuing_care, created_by_id,
                local_authority_id, year_group, year_group_recorded_on, date_of_death)
            SELECT c.id + n * {OFFSET}, 1, c.created_at, c.updated_at, '', '', c.given_name,
                c.family_name, c.date_of_birth, c.primary_need, c.looked_after,
                c.electively_home_educated, c.known_to_youth_justice, c.continuing_care,
                c.created_by_id,
                c.local_authority_id, c.year_group, c.year_group_recorded_on, c.date_of_death
            FROM ehc_child c, generate_series(%s, %s) n
            WHERE c.id < {OFFSET} {where}
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO ehc_healthadvicerequest (id, version, created_at, updated_at,
                la_reference, process, sent_on, received_on, due_on, status, closed_on, notes,
                child_id, created_by_id, local_authority_id, owner_id, review_id)
            SELECT r.id + n * {OFFSET}, 1, r.created_at, r.updated_at, '', r.process,
                r.sent_on - {shift}, r.received_on - {shift}, r.due_on - {shift}, r.status,
                r.closed_on - {shift}, '', r.child_id + n * {OFFSET}, r.created_by_id,
                r.local_authority_id, r.owner_id, NULL
            FROM ehc_healthadvicerequest r
            JOIN ehc_child c ON c.id = r.child_id, generate_series(%s, %s) n
            WHERE r.id < {OFFSET} {where}
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO ehc_contribution (id, version, created_at, updated_at, asked_on, due_on,
                returned_on, outcome, declined_reason, late_reason, late_note, exception,
                exception_evidence, exception_recorded_at, created_by_id,
                exception_recorded_by_id, service_id, request_id, exception_on,
                left_outstanding, received_on, return_by, working_due_on)
            SELECT k.id + n * {OFFSET}, 1, k.created_at, k.updated_at, k.asked_on - {shift},
                k.due_on - {shift}, k.returned_on - {shift}, k.outcome, k.declined_reason,
                k.late_reason, k.late_note, k.exception, k.exception_evidence,
                k.exception_recorded_at, k.created_by_id, k.exception_recorded_by_id,
                k.service_id, k.request_id + n * {OFFSET}, k.exception_on - {shift},
                k.left_outstanding, k.received_on - {shift}, k.return_by - {shift},
                k.working_due_on - {shift}
            FROM ehc_contribution k
            JOIN ehc_healthadvicerequest r ON r.id = k.request_id
            JOIN ehc_child c ON c.id = r.child_id, generate_series(%s, %s) n
            WHERE k.id < {OFFSET} {where}
            """,
            params,
        )
        for table in ("ehc_child", "ehc_healthadvicerequest", "ehc_contribution"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )


def measure(client: Client, url: str) -> tuple[float, float, float, int, float, list[str]]:
    """(median ms, p95 ms, least ms, queries, raw SQL median ms, the SQL) of
    ``url``. On a shared machine the least time is the steadiest figure."""
    client.get(url)  # warm caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    sql = [q["sql"] for q in captured.captured_queries]
    reads = [_read(statement) for statement in sql if _read(statement)]
    raw = []
    for _ in range(RUNS):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for statement in reads:  # the access event's and session's writes left out
                cursor.execute(statement)
                if cursor.description:
                    cursor.fetchall()
        raw.append((time.perf_counter() - start) * 1000)
    times.sort()
    return (
        statistics.median(times),
        times[max(int(len(times) * 0.95) - 1, 0)],
        times[0],
        len(sql),
        statistics.median(raw),
        sql,
    )


def _read(statement: str) -> str:
    """A statement that reads, as a plain SELECT (the form's choices are read
    through server-side cursors: DECLARE ... FOR SELECT), else ""."""
    text = statement.lstrip()
    if text.upper().startswith("DECLARE"):
        text = text[text.upper().index(" FOR ") + 5 :]
    return text if text.upper().startswith("SELECT") else ""


def explain(sql: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in sql:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            if "ehc_healthadvicerequest" in statement:
                print("   ", statement[:160].replace("\n", " "), "...")
                print("\n".join("      " + line for line in plan.splitlines()))


def pages(big_la: int) -> dict[str, str]:
    base = "/ehc/requests/"
    la = f"?local_authority={big_la}"
    return {
        "scope (5 LAs), urgency": base,
        "scope, page 200": base + "?page=200",
        "scope, open": base + "?status=open",
        "big LA, urgency": base + la,
        "big LA, page 200": base + la + "&page=200",
        "big LA, last page": base + la + "&page=99999",  # past the end: the last page
        "big LA, 100 a page, page 100": base + la + "&per_page=100&page=100",
        "big LA, -urgency": base + la + "&sort=-urgency",
        "big LA, due": base + la + "&sort=due",
        "big LA, -due page 200": base + la + "&sort=-due&page=200",
        "big LA, reference": base + la + "&sort=-reference",
        "big LA, child": base + la + "&sort=child",
        "big LA, child page 200": base + la + "&sort=child&page=200",
        "big LA, la": base + la + "&sort=la",
        "big LA, process": base + la + "&sort=process",
        "big LA, open": base + la + "&status=open",
        "big LA, awaiting": base + la + "&status=awaiting",
        "big LA, overdue": base + la + "&overdue=on",
        "big LA, due within 14": base + la + "&due_within=14",
        "big LA, lawful exception": base + la + "&lawful_exception=on",
        "big LA, search smith": base + la + "&q=smith",
        "big LA, process + need": base + la + "&process=needs_assessment&primary_need=ASD",
        "big LA, received 2026": base + la + "&received_from=2026-01-01",
        "big LA, service": base + la + "&service={service}",
    }


def build() -> None:
    """Seed the national demo and grow it (see the module's docstring)."""
    from accounts.models import User
    from ehc.models import HealthAdviceRequest

    call_command("seed_demo", size="national", force=True, stdout=open(os.devnull, "w"))
    dco = User.objects.get(email="dco@example.org")
    big_la = dco.local_authorities.order_by("pk").first().pk
    started = time.perf_counter()
    grow(range(1, COPIES))
    per_copy = HealthAdviceRequest.objects.filter(local_authority=big_la, pk__lt=OFFSET).count()
    more = max(BIG_LA // max(per_copy, 1) - COPIES, 0)
    if more:
        grow(range(COPIES, COPIES + more), [big_la])
    grown = time.perf_counter() - started
    print(f"grown in {grown:.1f} s; stored keys refreshed in {refresh_all()}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def report() -> None:
    """Time each worklist page as the demo DCO."""
    from accounts.models import User
    from ehc.models import Contribution, HealthAdviceRequest

    dco = User.objects.get(email="dco@example.org")
    big_la = dco.local_authorities.order_by("pk").first().pk
    visible = HealthAdviceRequest.objects.visible_to(dco)
    print(
        f"{HealthAdviceRequest.objects.count():,} requests, "
        f"{Contribution.objects.count():,} contributions; "
        f"{visible.count():,} in the DCO's scope, "
        f"{visible.filter(local_authority=big_la).count():,} in the big LA ({big_la}); "
        f"{RUNS} runs per page"
    )
    _serve_templates_plainly()
    client = Client()
    client.force_login(dco)
    print(f"{'page':<32}{'median ms':>10}{'p95 ms':>10}{'least ms':>10}{'raw ms':>9}{'queries':>9}")
    only = os.environ.get("BENCH_ONLY", "")
    from commissioning.models import Service

    service = Service.objects.filter(local_authorities=big_la).order_by("pk").first().pk
    for name, url in pages(big_la).items():
        url = url.format(service=service)
        if only and only not in name:
            continue
        median, p95, least, queries, raw, sql = measure(client, url)
        print(f"{name:<32}{median:>10.1f}{p95:>10.1f}{least:>10.1f}{raw:>9.1f}{queries:>9}")
        if EXPLAIN and median > 25:
            explain(sql)


def _serve_templates_plainly() -> None:
    """Render templates as a server does: the test environment's renderer
    signals every template (each form widget's too) to the test client,
    which copies its context, and that costs more than the page's SQL."""
    from django.template import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("bench/worklist.py grows its data set in PostgreSQL: set DATABASE_URL")
    if REUSE:
        # A database grown before (by this script with BENCH_REUSE=build):
        # quicker while tuning; it is the DATABASE_URL database itself.
        if REUSE == "build":
            build()
        _settings_for_pages()
        report()
        return
    with throwaway_database():
        build()
        report()


def _settings_for_pages() -> None:
    """What throwaway_database sets for timing pages, on a kept database."""
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.OTP_REQUIRED_ROLES = []


def refresh_all() -> str:
    """Recompute every request's stored keys, if this checkout stores them."""
    from django.core.management import get_commands

    if "refresh_urgency" not in get_commands():
        return "(not stored)"
    started = time.perf_counter()
    call_command("refresh_urgency", stdout=open(os.devnull, "w"))
    return f"{time.perf_counter() - started:.1f} s"


if __name__ == "__main__":
    main()
