"""How fast the reviews worklist (/ehc/reviews/) answers at national scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/reviews_worklist.py
    BENCH_CHILDREN=100000 ...   # smaller and quicker

PostgreSQL only (rows are made with ``INSERT ... SELECT generate_series``).
Builds a throwaway database (never your own): 150 local authorities,
BENCH_CHILDREN children (default 600,000, England's children with plans and
those being assessed) spread evenly over them and over ages 0 to 25; a
first final plan for 85% of them, issued over the last three years; an
amended plan for one in four of those; a review held a year after the plan
for half, with the LA's decision; a meeting arranged in the coming weeks
for one in ten. Then, for a designated officer of two areas (about 8,000
children) and for an administrator (everyone), it prints the median and
least time of BENCH_RUNS requests of the page (default sort, page 1), of
a filter and of a sort, and their number of queries. Figures are printed,
not asserted: the tests guard query counts, this measures time.
"""

from __future__ import annotations

import os
import statistics
import time

from _bench import throwaway_database  # first: it sets Django up
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

CHILDREN = int(os.environ.get("BENCH_CHILDREN", "600000"))
RUNS = int(os.environ.get("BENCH_RUNS", "10"))
EXPLAIN = os.environ.get("BENCH_EXPLAIN", "") not in ("", "0")
USERS = os.environ.get("BENCH_USERS", "officer,administrator").split(",")
AREAS = 150


def build() -> tuple:
    from django.utils import timezone

    from tests import factories as f

    las = [f.LocalAuthorityFactory() for _ in range(AREAS)]
    officer = f.DesignatedOfficerFactory(local_authorities=las[:2])
    admin = f.AdministratorFactory()
    today = timezone.localdate()
    ids = [la.pk for la in las]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO ehc_child (version, created_at, updated_at, nhs_number, la_reference,
                given_name, family_name, date_of_birth, primary_need, looked_after,
                electively_home_educated, known_to_youth_justice, continuing_care,
                local_authority_id)
            SELECT 1, now(), now(), '', '', 'Bench', 'Child' || i,
                %s::date - (365 + (i * 37) %% (365 * 25))::int, 'ASD', false, false, false, false,
                (%s::int[])[1 + i %% %s]
            FROM generate_series(1, %s) i
            """,
            [today, ids, AREAS, CHILDREN],
        )
        cursor.execute(
            """
            INSERT INTO ehc_ehcplan (version, created_at, updated_at, child_id, kind,
                issued_on, la_reference)
            SELECT 1, now(), now(), id, 'final', %s::date - ((id * 13) %% 1095)::int, ''
            FROM ehc_child WHERE id %% 20 < 17
            """,
            [today],
        )
        cursor.execute(
            """
            INSERT INTO ehc_ehcplan (version, created_at, updated_at, child_id, kind,
                issued_on, la_reference)
            SELECT 1, now(), now(), child_id, 'amended', issued_on + 100, ''
            FROM ehc_ehcplan WHERE child_id %% 4 = 0 AND issued_on + 100 <= %s
            """,
            [today],
        )
        cursor.execute(
            """
            INSERT INTO ehc_reviewinput (version, created_at, updated_at, child_id,
                local_authority_id, phase_transfer, meeting_on, professional_name, decision_on)
            SELECT 1, now(), now(), p.child_id, c.local_authority_id, false,
                p.issued_on + 350, '', p.issued_on + 365
            FROM ehc_ehcplan p JOIN ehc_child c ON c.id = p.child_id
            WHERE p.kind = 'final' AND p.child_id %% 2 = 0 AND p.issued_on + 365 <= %s
            """,
            [today],
        )
        cursor.execute(
            """
            INSERT INTO ehc_reviewinput (version, created_at, updated_at, child_id,
                local_authority_id, phase_transfer, meeting_on, professional_name)
            SELECT 1, now(), now(), id, local_authority_id, false, %s::date + (id %% 50)::int, ''
            FROM ehc_child WHERE id %% 10 = 3
            """,
            [today],
        )
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM ehc_ehcplan")
        plans = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM ehc_reviewinput")
        reviews = cursor.fetchone()[0]
    print(f"{CHILDREN:,} children, {plans:,} plans, {reviews:,} reviews in {AREAS} areas")
    return officer, admin


def measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    if EXPLAIN:
        for query in captured.captured_queries:
            if query["sql"].startswith("SELECT") and "ehc_ehcplan" in query["sql"]:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    print("\n".join(row[0] for row in cursor.fetchall()))
    return statistics.median(times), min(times), len(captured.captured_queries)


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: set DATABASE_URL to a PostgreSQL server.")
    with throwaway_database():
        start = time.perf_counter()
        officer, admin = build()
        print(f"built in {time.perf_counter() - start:.0f} s")
        urls = [
            "/ehc/reviews/",
            "/ehc/reviews/?when=overdue",
            "/ehc/reviews/?preparing_for_adulthood=on&sort=child",
            "/ehc/reviews/?page=20",
        ]
        users = {
            "officer": ("officer (2 areas)", officer),
            "administrator": ("administrator (all)", admin),
        }
        for who, user in (users[name] for name in USERS):
            client = Client()
            client.force_login(user)
            for url in urls:
                median, least, queries = measure(client, url)
                print(
                    f"{who:22} {url:55} median {median:7.1f} ms  least {least:7.1f} ms  "
                    f"{queries} queries"
                )


if __name__ == "__main__":
    main()
