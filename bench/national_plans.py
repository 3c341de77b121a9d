"""Why the slow measures are slow: the query plans of their slowest statements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/send_portal_national make bench-national-plans
    BENCH_PLANS=worklist,dashboard_icb_quarter make bench-national-plans

Runs on a database ``make bench-national`` built (it never builds one).
For each measure named in BENCH_PLANS (default: every one), runs it once
recording its statements, times each statement alone, and prints
``EXPLAIN (ANALYZE, BUFFERS)`` of the BENCH_TOP slowest (default 2) that
took more than BENCH_OVER ms (default 20); a statement that runs past
BENCH_TIMEOUT (60 s) gets its plan without ANALYZE. The output also goes to
``bench/results/national-plans.txt``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

# First: importing national sets Django up with DEBUG off.
from national import TIMEOUT, PageFailed, Recorder, targets

TOP = int(os.environ.get("BENCH_TOP", "2"))
OVER = float(os.environ.get("BENCH_OVER", "20"))
OUTPUT = Path(__file__).resolve().parent / "results" / "national-plans.txt"


def _timed_statements(statements) -> list[tuple[float, str, object]]:
    from django.db import DatabaseError, connection, transaction

    timed = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            for sql, params, many in statements:
                if many or not sql.lstrip().lstrip("(").upper().startswith(("SELECT", "WITH")):
                    continue
                start = time.perf_counter()
                try:
                    with transaction.atomic():
                        cursor.execute(sql, params)
                        cursor.fetchall()
                except DatabaseError:  # past the statement timeout
                    timed.append((float("inf"), sql, params))
                    continue
                timed.append(((time.perf_counter() - start) * 1000, sql, params))
        transaction.set_rollback(True)
    return sorted(timed, key=lambda t: -t[0])


def main() -> None:
    from django.db import DatabaseError, connection

    options = connection.settings_dict.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c statement_timeout={TIMEOUT * 1000}"
    connection.close()
    comment = ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        comment = cursor.fetchone()[0] or ""
    if not comment.startswith("bench-national"):
        raise SystemExit("Run `make bench-national` first: this database was not built by it.")
    scale, measures = targets()
    wanted = [n for n in os.environ.get("BENCH_PLANS", "").split(",") if n] or list(measures)
    lines = [f"{comment}; {scale}"]
    for name in wanted:
        run, before = measures[name]
        recorder = Recorder()
        for record in (False, True):  # a warm-up, then the run recorded
            if before:
                before()
            try:
                if record:
                    with connection.execute_wrapper(recorder):
                        run()
                else:
                    run()
            except DatabaseError:  # past the statement timeout
                connection.close()
            except PageFailed:  # the annual PDF failed (past the timeout): its statements stay
                pass
        slowest = [t for t in _timed_statements(recorder.statements)[:TOP] if t[0] > OVER]
        lines.append(f"\n=== {name}: {len(recorder.statements)} statements")
        for ms, sql, params in slowest:
            # A statement past the timeout gets its plan without running it.
            explain = "EXPLAIN " if ms == float("inf") else "EXPLAIN (ANALYZE, BUFFERS) "
            with connection.cursor() as cursor:
                cursor.execute(explain + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                shown = _shorten(cursor.mogrify(sql, params))
            took = f"past {TIMEOUT} s" if ms == float("inf") else f"{ms:.0f} ms"
            lines.append(f"\n--- {took}:\n{shown}\n{plan}")
        for line in lines[-(1 + len(slowest)) :]:
            print(line, flush=True)
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text("\n".join(lines) + "\n")  # after each measure
    print(f"\nWritten {OUTPUT}")


def _shorten(sql: str, limit: int = 1500) -> str:
    return sql if len(sql) <= limit else sql[:limit] + " ..."


if __name__ == "__main__":
    main()
