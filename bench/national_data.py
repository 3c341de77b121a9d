"""Build (or reuse) the national benchmark database on PostgreSQL.

    build_or_reuse("send_portal_national", requests=1_000_000, seed=1)

Steps, each timed and printed:

1. create the database (dropping an older one of that name) and migrate it;
2. seed the national demo organisations, users and posts (``portal/demo``:
   42 ICBs, 153 local authorities, the demo accounts scoped to the first
   ICB, whose first authority is made the largest);
3. drop the casework tables' secondary indexes, unique and foreign key
   constraints (check constraints stay, so every row is checked as it
   loads);
4. generate the casework (``bench/national_casework.py``) as COPY text,
   in BENCH_JOBS processes (default 2), each with its own id ranges;
5. ``COPY ... FROM STDIN`` every file, two connections at a time;
6. recreate the indexes and constraints (this validates every foreign key
   and unique rule), move the id sequences past the loaded rows, and
   ``VACUUM ANALYZE``.

A database of that name that this benchmark did not build (no
``bench-national`` comment) is never dropped: the run stops instead. One
whose build stopped half-way (``bench-national unfinished``) is rebuilt. The
database is reused when its comment says it was built for the same
number of requests and seed and it has every migration of this checkout;
``BENCH_REBUILD=1`` forces a rebuild. Its data is dated relative to the
day it was built (in the comment).
"""

from __future__ import annotations

import datetime
import math
import multiprocessing
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from national_casework import COLUMNS, TABLES, Authority, Casework, Ids

MARKER = "bench-national"
# The comment of a database being built: ours, so rebuilt if the build stopped.
UNFINISHED = f"{MARKER} unfinished"
SKEW = 13.0  # largest authority's requests over the median authority's
# Upper bounds of rows per request, for each worker's id ranges.
ROWS_PER_REQUEST = {
    "ehc_child": 1,
    "ehc_reviewinput": 1,
    "ehc_healthadvicerequest": 1,
    "ehc_contribution": 6,
    "ehc_advice": 6,
    "ehc_provisionitem": 18,
    "ehc_qualityreview": 6,
    "ehc_section23notice": 1,
    "ehc_mediationcase": 1,
    "ehc_tribunalcase": 1,
    "ehc_personalhealthbudget": 1,
}


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _conninfo(dbname: str) -> str:
    s = connection.settings_dict
    parts = {
        "dbname": dbname,
        "host": s.get("HOST") or "",
        "port": s.get("PORT") or "",
        "user": s.get("USER") or "",
        "password": s.get("PASSWORD") or "",
    }
    return " ".join(f"{k}='{v}'" for k, v in parts.items() if v)


def use_database(name: str) -> None:
    """Point Django's default connection at database ``name``."""
    connection.close()
    connection.settings_dict["NAME"] = name


def _comment(name: str) -> str | None:
    with psycopg.connect(_conninfo("postgres"), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return None if row is None else (row[0] or "")


def _up_to_date() -> bool:
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def build_or_reuse(name: str, *, requests: int, seed: int, jobs: int) -> datetime.date:
    """The database ``name`` holding about ``requests`` requests; returns the
    day its data is dated from (today when built now)."""
    wanted = f"{MARKER} requests={requests} seed={seed}"
    comment = _comment(name)
    if comment is not None and not comment.startswith(MARKER):
        raise SystemExit(
            f"The database {name} exists and was not built by this benchmark, which drops "
            "and rebuilds its databases: name another one in DATABASE_URL."
        )
    if comment and comment.startswith(wanted + " ") and os.environ.get("BENCH_REBUILD") != "1":
        use_database(name)
        if _up_to_date():
            built = datetime.date.fromisoformat(comment.rsplit("built=", 1)[1])
            log(f"reusing {name} ({comment})")
            return built
        log(f"{name} lacks migrations of this checkout: rebuilding")
    build(name, requests=requests, seed=seed, jobs=jobs)
    return datetime.date.today()


def build(name: str, *, requests: int, seed: int, jobs: int) -> dict[str, int]:
    started = time.perf_counter()
    today = datetime.date.today()
    use_database("postgres")
    with psycopg.connect(_conninfo("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        # Ours from now on: a build that stops half-way is rebuilt next time.
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{UNFINISHED}'")
    use_database(name)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    log(f"created and migrated {name} ({time.perf_counter() - started:.0f} s)")
    authorities, dco_id = _organisations(requests, seed)
    log(f"organisations and users seeded ({time.perf_counter() - started:.0f} s)")
    connection.close()
    with psycopg.connect(_conninfo(name), autocommit=True) as conn:
        deferred = _drop_indexes_and_keys(conn)
    with tempfile.TemporaryDirectory(prefix="bench-national-") as folder:
        counts, by_status = _generate(
            Path(folder), authorities, today=today, seed=seed, jobs=jobs, dco_id=dco_id
        )
        log(
            f"generated {counts['ehc_healthadvicerequest']:,} requests, "
            f"{counts['ehc_contribution']:,} contributions ({time.perf_counter() - started:.0f} s)"
        )
        _load(name, Path(folder))
    log(f"loaded ({time.perf_counter() - started:.0f} s)")
    _recreate(name, deferred)
    log(f"indexes and constraints recreated ({time.perf_counter() - started:.0f} s)")
    # The worklist's stored keys, from the rows as loaded (the rule's one writer).
    from ehc.services.urgency import refresh_all

    with connection.cursor() as cursor:
        # One UPDATE over every request: not measured, so not bounded by
        # the statement timeout the measures run under (BENCH_TIMEOUT).
        cursor.execute("SET statement_timeout = 0")
    refresh_all(touch=False)  # each row keeps the day it was last edited
    log(f"worklist keys stored ({time.perf_counter() - started:.0f} s)")
    # The reports' summary store, likewise (its one writer, area by area).
    from ehc.summary import rebuild_summary

    rebuild_summary()
    connection.close()
    log(f"summary store filled ({time.perf_counter() - started:.0f} s)")
    with psycopg.connect(_conninfo(name), autocommit=True) as conn:
        for table in TABLES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        conn.execute("VACUUM ANALYZE")
        conn.execute(
            f'COMMENT ON DATABASE "{name}" IS \'{MARKER} requests={requests} seed={seed} '
            f"built={today.isoformat()}'"
        )
    statuses = ", ".join(f"{n:,} {s}" for s, n in sorted(by_status.items()))
    log(f"vacuumed and analysed; built in {time.perf_counter() - started:.0f} s ({statuses})")
    return counts


# --- Organisations ---------------------------------------------------------------------


def _organisations(requests: int, seed: int) -> tuple[list[Authority], int]:
    """Seed the demo organisations, users and posts; plan the requests of
    each authority (population raised to the power that makes the largest
    about SKEW times the median, the largest moved to the demo ICB)."""
    from accounts.models import User
    from accounts.roles import OfficerKind, Role
    from commissioning.models import ChildPopulation, Service
    from portal.demo.organisations import seed_organisations
    from portal.demo.posts import seed_posts
    from portal.demo.users import seed_users

    orgs = seed_organisations("national", seed)
    seed_users(orgs, password=settings.DEMO_PASSWORD)
    seed_posts(orgs, seed=seed)
    las = orgs.local_authorities
    population = dict(
        ChildPopulation.objects.filter(
            year=max(p.year for p in ChildPopulation.objects.all())
        ).values_list("local_authority_id", "aged_0_17")
    )
    sizes = [population.get(la.pk, 1) for la in las]
    ratio = max(sizes) / statistics.median(sizes)
    power = math.log(SKEW) / math.log(ratio) if ratio > 1 else 1.0
    weights = [s**power for s in sizes]
    top = weights.index(max(weights))
    weights[0], weights[top] = weights[top], weights[0]  # the demo ICB's first authority
    total = sum(weights)
    services: dict[int, list[tuple[int, str]]] = {}
    for la_id, sid, stype in Service.local_authorities.through.objects.order_by(
        "localauthority_id", "service_id"
    ).values_list("localauthority_id", "service_id", "service__service_type"):
        services.setdefault(la_id, []).append((sid, stype))
    providers: dict[int, list[int]] = {}
    for body in orgs.bodies:
        providers[body.pk] = [p.pk for p in orgs.providers if p.ods_code.startswith(body.ods_code)]
    officers: dict[int, list[int]] = {}
    for user in User.objects.filter(
        role=Role.DESIGNATED_OFFICER, officer_kind=OfficerKind.DCO, is_active=True
    ).prefetch_related("local_authorities"):
        for la in user.local_authorities.all():
            officers.setdefault(la.pk, []).append(user.pk)
    authorities = [
        Authority(
            id=la.pk,
            gss_code=la.gss_code,
            body_id=la.demo_body.pk,
            requests=max(1, round(requests * w / total)),
            services=services.get(la.pk, []),
            providers=providers.get(la.demo_body.pk, []),
            officers=officers.get(la.pk, []),
        )
        for la, w in zip(las, weights, strict=True)
    ]
    dco = User.objects.get(email="dco@example.org")
    return [a for a in authorities if a.services], dco.pk


# --- Indexes and constraints -----------------------------------------------------------


def _drop_indexes_and_keys(conn) -> list[str]:
    """Drop the casework tables' foreign keys, unique constraints and
    secondary indexes; the statements that recreate them, indexes first."""
    tables = list(TABLES)
    constraints = conn.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
        FROM pg_constraint c
        WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('f', 'u')
        """,
        [tables],
    ).fetchall()
    indexes = conn.execute(
        """
        SELECT i.tablename, i.indexname, i.indexdef
        FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [tables],
    ).fetchall()
    recreate = [definition for _, _, definition in indexes]
    recreate += [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition, kind in sorted(constraints, key=lambda c: c[3] != "u")
    ]
    for table, name, _, _ in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _, name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return recreate


def _in_parallel(name: str, statements: list[str], threads: int = 2) -> None:
    """Run ``statements`` on ``threads`` connections; the first error is raised."""
    pending = list(statements)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        with psycopg.connect(_conninfo(name), autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '256MB'")
            conn.execute("SET synchronous_commit = off")
            while True:
                with lock:
                    if not pending or errors:
                        return
                    statement = pending.pop(0)
                try:
                    if callable(statement):
                        statement(conn)
                    else:
                        conn.execute(statement)
                except BaseException as error:  # reported by the caller
                    errors.append(error)
                    return

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]


def _recreate(name: str, statements: list[str]) -> None:
    indexes = [s for s in statements if not s.startswith("ALTER TABLE")]
    uniques = [s for s in statements if " UNIQUE " in s and s.startswith("ALTER TABLE")]
    foreign = [s for s in statements if " FOREIGN KEY " in s]
    _in_parallel(name, indexes + uniques)
    # Foreign keys one at a time: two at once can wait on each other's locks.
    _in_parallel(name, foreign, threads=1)


# --- Generation and loading ------------------------------------------------------------


def _generate(
    folder: Path, authorities: list[Authority], *, today, seed: int, jobs: int, dco_id: int
) -> tuple[dict[str, int], dict[str, int]]:
    """Split the authorities between ``jobs`` processes of about equal work."""
    shares: list[list[Authority]] = [[] for _ in range(jobs)]
    for la in sorted(authorities, key=lambda a: -a.requests):
        min(shares, key=lambda s: sum(a.requests for a in s)).append(la)
    tasks, offsets = [], dict.fromkeys(TABLES, 1)
    nhs_step = 1_000_000 // jobs
    for job, share in enumerate(shares):
        n = sum(a.requests for a in share)
        tasks.append((folder, job, share, today, seed * 1000 + job, dict(offsets), dco_id))
        tasks[-1] += (range(job * nhs_step, (job + 1) * nhs_step),)
        for table in TABLES:
            offsets[table] += ROWS_PER_REQUEST[table] * n + 1
    if jobs == 1:
        results = [_generate_share(*tasks[0])]
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.starmap(_generate_share, tasks)
    counts = dict.fromkeys(TABLES, 0)
    by_status: dict[str, int] = {}
    for share_counts, share_status in results:
        for table, n in share_counts.items():
            counts[table] += n
        for status, n in share_status.items():
            by_status[status] = by_status.get(status, 0) + n
    return counts, by_status


def _generate_share(folder, job, share, today, seed, offsets, dco_id, nhs):
    files = {t: open(folder / f"{t}.{job}.copy", "w", buffering=1 << 20) for t in TABLES}
    try:
        casework = Casework(
            today=today,
            seed=seed,
            ids=Ids(offsets),
            nhs=nhs,
            dco_id=dco_id,
            write=lambda table, line: files[table].write(line + "\n"),
        )
        for la in share:
            casework.authority(la)
    finally:
        for handle in files.values():
            handle.close()
    return casework.counts, casework.by_status


def _load(name: str, folder: Path) -> None:
    """COPY every file, largest first, on two connections."""
    files = sorted(folder.glob("*.copy"), key=lambda p: -p.stat().st_size)

    def loader(path: Path):
        table = path.name.split(".")[0]

        def load(conn) -> None:
            columns = ", ".join(f'"{c}"' for c in COLUMNS[table])
            with conn.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    with open(path, "rb") as handle:
                        while chunk := handle.read(1 << 20):
                            copy.write(chunk)

        return load

    _in_parallel(name, [loader(p) for p in files if p.stat().st_size])
