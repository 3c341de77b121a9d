"""The national benchmark: every page at about 10,000 and at 1,000,000 requests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/send_portal_national make bench-national
    BENCH_REQUESTS=50000 make bench-national        # a quick check (minutes)

PostgreSQL only. Two databases are built (or reused, see
``bench/national_data.py``) from the name in DATABASE_URL: ``<name>_10k``
with BENCH_SMALL requests (default 10,000) and ``<name>`` with
BENCH_REQUESTS (default 1,000,000), from the same generator with the same
proportions. The small one is a separate database rather than a scope of
the big one, so that "growth" compares the same page over the same kind of
scope (the demo ICB, the largest authority, England) as the history grows
a hundredfold, not a small scope with a large one.

Each page is requested through Django's test client with DEBUG off (signed
in with ``force_login``; two-factor sign-in and HTTPS redirects off),
rendered in-process (no Redis, so PDFs are built during the request). For
each: one warm-up, then up to BENCH_RUNS runs (default 15) or BENCH_SECONDS
(default 20 s; at least 3 runs), median and 95th percentile; the queries
of one more run, counted and replayed straight on the database cursor
(``raw_sql_ms``, median of up to 3 replays inside a transaction that is
rolled back): what is left of the page's time is Python, ORM and
templates. No statement may run past BENCH_TIMEOUT (60 s): a measure that
would is reported as timed out (its figures None) instead of holding the
run for hours. Results go to ``bench/results/national.json`` (BENCH_OUTPUT).
Figures are printed, not asserted.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import statistics
import time
from pathlib import Path

# The report measures read their figures every time, as the goals ask (a
# figure kept from an earlier request, reports/figures.py, is measured
# apart: the "_kept" measures).
os.environ.setdefault("REPORT_FIGURES_SECONDS", "0")

import _production  # noqa: E402, F401  (production settings; sets Django up)
from django.db import DatabaseError, connection, transaction
from django.test import Client
from national_data import build_or_reuse, log

# A page past the statement timeout is reported in the table, not as a
# traceback (set after Django has configured logging).
logging.getLogger("django.request").setLevel(logging.CRITICAL)

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000000"))
SMALL = int(os.environ.get("BENCH_SMALL", "10000"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
JOBS = int(os.environ.get("BENCH_JOBS", "2"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
# No statement may run longer than this (seconds): a page that would
# is reported as timed out rather than holding the run for an hour.
TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "60"))
# BENCH_ONLY=dashboard_icb_quarter,quarterly_csv measures only those (while
# iterating; a run to commit measures everything).
ONLY = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
OUTPUT = Path(
    os.environ.get("BENCH_OUTPUT", Path(__file__).resolve().parent / "results" / "national.json")
)
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


class PageFailed(Exception):
    """A page answered, but not with what it was asked for."""


class Recorder:
    """Every statement the code under measure runs, with its parameters."""

    def __init__(self):
        self.statements: list[tuple[str, object, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def _replay(statements) -> float | None:
    """Milliseconds to run ``statements`` straight on a cursor (rows
    fetched), in a transaction rolled back; SELECTs only if a write fails."""
    kept = [s for s in statements if not s[0].lstrip().upper().startswith(TRANSACTION_CONTROL)]
    for only_reads in (False, True):
        todo = [s for s in kept if not only_reads or s[0].lstrip().upper().startswith("SELECT")]
        try:
            with transaction.atomic():
                start = time.perf_counter()
                with connection.cursor() as cursor:
                    for sql, params, many in todo:
                        if many:
                            cursor.executemany(sql, params)
                        else:
                            cursor.execute(sql, params)
                        if cursor.description:
                            cursor.fetchall()
                elapsed = (time.perf_counter() - start) * 1000
                transaction.set_rollback(True)
            return elapsed
        except DatabaseError:
            continue
    return None


def measure(run, *, before=None) -> dict:
    """Time ``run`` (a callable); ``before`` runs untimed before each call.
    A statement that runs past BENCH_TIMEOUT ends the measure: its figures
    are then None and ``timed_out_after_s`` says why."""
    failed = {"median_ms": None, "p95_ms": None, "queries": None, "raw_sql_ms": None, "runs": 0}
    try:
        return _measure(run, before)
    except DatabaseError as error:
        if "statement timeout" not in str(error):
            raise
        connection.close()
        return failed | {"timed_out_after_s": TIMEOUT}
    except PageFailed as error:
        return failed | {"failed": str(error)}


def _measure(run, before) -> dict:
    if before:
        before()
    run()  # warm-up
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < RUNS and (len(times) < 3 or time.perf_counter() - started < SECONDS):
        if before:
            before()
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    if before:
        before()
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        run()
    replays: list[float] = []
    replay_started = time.perf_counter()
    while len(replays) < 3 and (not replays or time.perf_counter() - replay_started < SECONDS):
        replays.append(_replay(recorder.statements))
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, round(len(times) * 0.95) - 1)], 1),
        "queries": len(recorder.statements),
        "raw_sql_ms": round(statistics.median(replays), 1) if None not in replays else None,
        "runs": len(times),
    }


def page(client: Client, url: str, content_type: str = "text/html"):
    def run():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if not response["Content-Type"].startswith(content_type):
            # The annual PDF answers 200 with "could not be prepared" when
            # building it failed (for instance past the statement timeout).
            raise PageFailed(f"answered {response['Content-Type']}, not {content_type}")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)

    return run


def kept(run):
    """``run`` with report figures kept for 15 minutes, as production keeps them."""
    from django.test import override_settings

    def run_kept():
        with override_settings(REPORT_FIGURES_SECONDS=900):
            run()

    return run_kept


def targets() -> tuple[dict, dict]:
    """The scale of the database Django is connected to now, and every
    measure on it: name -> (callable to time, callable to run untimed
    before each call or None)."""
    from django.utils import timezone

    from accounts.models import User
    from core import periods
    from ehc.models import Child, Contribution, HealthAdviceRequest, ReminderPolicy
    from ehc.reminders import select_due
    from ehc.reminders.runs import EDIT_MARGIN
    from ehc.reminders.sources import Since
    from reports.filters import default_period
    from reports.models import AnnualReportFile

    today = timezone.localdate()
    dco = User.objects.get(email="dco@example.org")
    commissioner = User.objects.get(email="commissioner@example.org")
    admin = User.objects.get(email="admin@example.org")
    quarter = default_period(today).slug
    year = periods.financial_year(periods.financial_year_of(today) - 1).slug
    mine = HealthAdviceRequest.objects.visible_to(dco)
    largest = (
        mine.values("local_authority_id").order_by().annotate(n=_count()).order_by("-n").first()
    )
    la_id = largest["local_authority_id"]
    # A request with the most services asked, and a child with several requests.
    request = (
        mine.filter(local_authority_id=la_id, status="awaiting")
        .annotate(n=_count("contributions"))
        .order_by("-n", "-pk")
        .first()
    )
    child = (
        Child.objects.filter(local_authority_id=la_id)
        .annotate(n=_count("requests"))
        .order_by("-n", "-pk")
        .first()
    )
    scale = {
        "requests": HealthAdviceRequest.objects.count(),
        "contributions": Contribution.objects.count(),
        "children": Child.objects.count(),
        "requests_in_dco_scope": mine.count(),
        "requests_in_largest_la": largest["n"],
    }
    officer, reporter, everyone = Client(), Client(), Client()
    officer.force_login(dco)
    reporter.force_login(commissioner)
    everyone.force_login(admin)
    policy = ReminderPolicy.current()
    pages = {
        "worklist": (officer, "/ehc/requests/"),
        "worklist_overdue": (officer, "/ehc/requests/?overdue=on"),
        "worklist_largest_la_page_200": (
            officer,
            f"/ehc/requests/?local_authority={la_id}&page=200",
        ),
        "request_page": (officer, request.get_absolute_url()),
        "child_page": (officer, child.get_absolute_url()),
        "officer_home": (officer, "/officer/"),
        # No data at all: what any signed-in page costs (session, user,
        # middleware, the base template), the floor under every page above.
        "signed_in_floor": (officer, "/accessibility/"),
        "dashboard_icb_quarter": (reporter, f"/reports/dashboard/?period={quarter}"),
        "quarterly_page": (reporter, f"/reports/quarterly/?period={quarter}"),
        "quarterly_csv": (reporter, f"/reports/quarterly/tables.csv?period={quarter}"),
        "quarterly_pdf": (reporter, f"/reports/quarterly/report.pdf?period={quarter}"),
        "dashboard_england_year": (everyone, f"/reports/dashboard/?period={year}"),
    }
    if largest["n"] < 200 * 25:
        del pages["worklist_largest_la_page_200"]  # no page 200 at this scale
    types = {"quarterly_csv": "text/csv", "quarterly_pdf": "application/pdf"}
    measures = {
        name: (page(client, url, types.get(name, "text/html")), None)
        for name, (client, url) in pages.items()
    }
    # What the next viewer of the same report waits while the data is
    # unchanged: figures and PDF kept since the warm-up (reports/figures.py).
    for name in ("dashboard_icb_quarter", "quarterly_pdf", "dashboard_england_year"):
        measures[f"{name}_kept"] = (kept(measures[name][0]), None)
    annual = page(reporter, f"/reports/annual/report.pdf?period={year}", "application/pdf")

    def empty_store():
        AnnualReportFile.objects.all().delete()

    measures["annual_pdf_scratch"] = (annual, empty_store)
    measures["annual_pdf_stored"] = (annual, None)
    measures["reminder_selection"] = (lambda: select_due(today, policy), None)
    # The daily run's read: what changed since a run for yesterday that
    # started 24 hours ago (what changes_since gives after it finished).
    since = Since(
        day=today - datetime.timedelta(days=1),
        edited_after=timezone.now() - datetime.timedelta(days=1) - EDIT_MARGIN,
    )
    measures["reminder_selection_changes"] = (
        lambda: select_due(today, policy, since=since),
        None,
    )
    return scale, measures


def measure_all(label: str) -> dict:
    """Every measure on the database Django is connected to now."""
    scale, measures = targets()
    log(
        f"{label}: {scale['requests']:,} requests, {scale['contributions']:,} contributions; "
        f"DCO scope {scale['requests_in_dco_scope']:,}, "
        f"largest LA {scale['requests_in_largest_la']:,}"
    )
    results = {}
    for name, (run, before) in measures.items():
        if ONLY and name not in ONLY:
            continue
        results[name] = measure(run, before=before)
        _show(name, results[name])
    return {"scale": scale, "measures": results}


def _count(field="pk"):
    from django.db.models import Count

    return Count(field)


def _show(name: str, m: dict) -> None:
    if m["median_ms"] is None:
        why = m.get("failed") or f"timed out (a statement ran past {TIMEOUT} s)"
        print(f"    {name:<30}  {why}", flush=True)
        return
    print(
        f"    {name:<30}{m['median_ms']:>10.1f}{m['p95_ms']:>10.1f}"
        f"{m['queries']:>8}{m['raw_sql_ms'] or float('nan'):>10.1f}{m['runs']:>6}",
        flush=True,
    )


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit(
            "The national benchmark needs PostgreSQL: set DATABASE_URL, e.g. "
            "postgres://postgres@127.0.0.1:5432/send_portal_national"
        )
    base = connection.settings_dict["NAME"]
    options = connection.settings_dict.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c statement_timeout={TIMEOUT * 1000}"
    started = time.perf_counter()
    runs = {}
    for name, requests in ((f"{base}_10k", SMALL), (base, REQUESTS)):
        built_on = build_or_reuse(name, requests=requests, seed=SEED, jobs=JOBS)
        print(f"\n{name} (data dated from {built_on}), load average {_load()}")
        print(f"    {'measure':<30}{'median':>10}{'p95':>10}{'queries':>8}", end="")
        print(f"{'raw SQL':>10}{'runs':>6}")
        runs[requests] = measure_all(name)
        runs[requests]["load_average"] = _load()
    small, big = runs[SMALL], runs[REQUESTS]
    growth = {
        name: round(m["median_ms"] / small["measures"][name]["median_ms"], 2)
        if m["median_ms"] is not None
        else None
        for name, m in big["measures"].items()
        if name in small["measures"] and small["measures"][name]["median_ms"]
    }
    print(f"\n{'measure':<30}{'small ms':>10}{'large ms':>10}{'p95':>10}", end="")
    print(f"{'queries':>8}{'raw SQL':>10}{'growth':>8}")
    for name, m in big["measures"].items():
        cells = [small["measures"].get(name, {}).get("median_ms")]
        cells += [m["median_ms"], m["p95_ms"], m["queries"], m["raw_sql_ms"], growth.get(name)]
        shown = ["-" if c is None else f"{c:.1f}" if isinstance(c, float) else c for c in cells]
        widths = (10, 10, 10, 8, 10, 8)
        print(f"{name:<30}" + "".join(f"{c:>{w}}" for c, w in zip(shown, widths, strict=True)))
    result = {
        "scale": {k: big["scale"][k] for k in ("requests", "contributions")},
        "measures": big["measures"],
        "growth": growth,
        "small": small,
        "details": {
            "scale": big["scale"],
            "load_average": {"small": small["load_average"], "large": big["load_average"]},
            "postgresql": _server_settings(),
            "cores": os.cpu_count(),
            "minutes": round((time.perf_counter() - started) / 60, 1),
        },
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWritten {OUTPUT} in {result['details']['minutes']} minutes")


def _server_settings() -> dict:
    """The PostgreSQL version and the settings the plans depend on most."""
    names = ("server_version", "work_mem", "shared_buffers", "max_parallel_workers_per_gather")
    with connection.cursor() as cursor:
        values = {}
        for name in names + ("jit",):
            cursor.execute(f"SHOW {name}")
            values[name] = cursor.fetchone()[0]
    return values


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
