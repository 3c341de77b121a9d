"""Mixed load against gunicorn on loopback: 16 officers and 4 commissioners.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/send_portal_national make bench-load

Uses the national benchmark database named in DATABASE_URL (built first if
it is missing, at BENCH_REQUESTS requests: see ``bench/national.py``), then:

1. starts gunicorn (BENCH_WORKERS sync workers, default 3) on
   127.0.0.1:BENCH_PORT (default 8765) with DEBUG off and no Redis, so
   reports run in the web workers as they do on a one-machine install;
   with BENCH_REPORT_WORKERS (default 0) a second gunicorn of that many
   workers on BENCH_PORT + 1 takes the commissioners' report pages, as a
   proxy routing ``/reports/`` to a pool of its own would (docs/
   performance.md, "Scaling out"), and the first keeps BENCH_WORKERS;
   BENCH_REPORT_NICE (0 to 19) starts that pool under ``nice``, so the
   officers' workers come first for the cores;
2. signs 16 officer and 4 commissioner sessions in (made in the database,
   so no password hashing in the measured minutes) and builds the stored
   annual PDF once;
3. runs ``bench/locustfile.py`` headless twice, BENCH_USERS users (20) for
   BENCH_TIME (60s) each: with 0.5-2 s think time, then with none;
4. prints, per page and per page group, requests, failures (an error
   status, or a PDF or CSV page answering without its file), p50 and p95
   and throughput (requests over the whole window, which includes up to
   30 s for requests still in flight at the end to finish), and writes
   ``bench/results/load.json``;
5. stops gunicorn (only the process it started).

Traffic goes only to 127.0.0.1, and each run stops by itself.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import _production  # noqa: F401  (production settings; sets Django up)
from django.db import connection
from django.test import Client
from national_data import build_or_reuse, log

HERE = Path(__file__).resolve().parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000000"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
REPORT_WORKERS = int(os.environ.get("BENCH_REPORT_WORKERS", "0"))
# With a reports pool: its CPU priority below the officers' pool (nice,
# 0 to 19; default 0, the same), as an operator may run it.
REPORT_NICE = int(os.environ.get("BENCH_REPORT_NICE", "0"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
USERS = int(os.environ.get("BENCH_USERS", "20"))
DURATION = os.environ.get("BENCH_TIME", "60s")
REQUEST_TIMEOUT = int(os.environ.get("BENCH_REQUEST_TIMEOUT", "30"))
OUTPUT = Path(os.environ.get("BENCH_LOAD_OUTPUT", HERE / "results" / "load.json"))


def _plan(folder: Path) -> Path:
    """Sessions, ids and periods for the locust users (see bench/locustfile.py)."""
    from django.core.cache import cache
    from django.utils import timezone

    from accounts.models import User
    from core import periods
    from ehc.models import HealthAdviceRequest
    from reports.filters import default_period
    from reports.models import AnnualReportFile

    today = timezone.localdate()
    dco = User.objects.get(email="dco@example.org")
    commissioner = User.objects.get(email="commissioner@example.org")

    def sessions(user, n):
        cookies = []
        for _ in range(n):
            client = Client()
            client.force_login(user)
            cookies.append(client.cookies["sessionid"].value)
        return cookies

    mine = HealthAdviceRequest.objects.visible_to(dco).order_by("-due_on", "-pk")
    recent = list(mine.values_list("pk", "child_id")[:2000])
    # The annual PDF is built afresh for this run (a copy stored, or one that
    # failed, by an earlier run would hide its cost).
    AnnualReportFile.objects.all().delete()
    # Likewise the figures and quarterly PDFs kept by an earlier run
    # (reports/figures.py): the commissioners' first asks read afresh.
    cache.clear()
    plan = {
        "sessions": {"dco": sessions(dco, USERS), "commissioner": sessions(commissioner, USERS)},
        "requests": [pk for pk, _ in recent],
        "children": sorted({child for _, child in recent}),
        "quarter": default_period(today).slug,
        # The commissioners ask for one of the last four complete quarters,
        # so kept figures (reports/figures.py) serve only a repeat question.
        "quarters": [q.slug for q in periods.recent_quarters(default_period(today).end, 4)],
        "year": periods.financial_year(periods.financial_year_of(today) - 1).slug,
    }
    path = folder / "plan.json"
    path.write_text(json.dumps(plan))
    return path


def _locust() -> str:
    """The locust command: beside this Python (the dev dependencies), else on PATH."""
    beside = Path(sys.executable).with_name("locust")
    found = str(beside) if beside.exists() else shutil.which("locust")
    if not found:
        raise SystemExit("locust is not installed: pip install -r requirements/dev.txt")
    return found


def _wait_until_up(base: str, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer on {base} within {seconds} s")


def _get(base: str, path: str, cookie: str, timeout: int = 600) -> str:
    """The content type of the page at ``path`` (HTTPError past a 4xx or 5xx)."""
    request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={cookie}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        return response.headers.get("Content-Type", "")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(len(ordered) * share) - 1)] if ordered else float("nan")


def _summarise(out: Path) -> dict:
    data = json.loads(out.read_text())
    seconds = data["window"]["stop"] - data["window"]["start"]
    by_name: dict[str, list] = {}
    for name, ms, ok in data["samples"]:
        by_name.setdefault(name, []).append((ms, ok))
    groups: dict[str, list] = {}
    for name, rows in by_name.items():
        groups.setdefault(name.split(":")[0], []).extend(rows)

    def stats(rows):
        times = [ms for ms, _ in rows]
        return {
            "requests": len(rows),
            "failures": sum(1 for _, ok in rows if not ok),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(_percentile(times, 0.95), 1),
            "per_second": round(len(rows) / seconds, 2),
        }

    return {
        "seconds": round(seconds, 1),
        "pages": {name: stats(rows) for name, rows in sorted(by_name.items())},
        "groups": {name: stats(rows) for name, rows in sorted(groups.items())},
    }


def _print(label: str, summary: dict) -> None:
    print(f"\n{label} ({summary['seconds']} s), load average {_loadavg()}")
    print(f"  {'page':<28}{'requests':>9}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'per s':>8}")
    for title, rows in (("", summary["pages"]), ("group ", summary["groups"])):
        for name, s in rows.items():
            print(
                f"  {title + name:<28}{s['requests']:>9}{s['failures']:>8}"
                f"{s['p50_ms']:>9.0f}{s['p95_ms']:>9.0f}{s['per_second']:>8.1f}"
            )


def _errors(path: str) -> int:
    return Path(path).read_text().count("Traceback")


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("The load benchmark needs PostgreSQL: set DATABASE_URL.")
    name = connection.settings_dict["NAME"]
    build_or_reuse(name, requests=REQUESTS, seed=SEED, jobs=int(os.environ.get("BENCH_JOBS", "2")))
    base = f"http://127.0.0.1:{PORT}"
    results = {
        "workers": WORKERS,
        "report_workers": REPORT_WORKERS,
        "report_nice": REPORT_NICE if REPORT_WORKERS else 0,
        "users": USERS,
        "time": DURATION,
    }
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        plan_path = _plan(Path(folder))
        plan = json.loads(plan_path.read_text())
        connection.close()
        # As in production, a request may not run for ever: gunicorn's own
        # default timeout (BENCH_REQUEST_TIMEOUT, 30 s) bounds both the worker
        # and every statement, so a report past it is a failure, not a stall.
        url = os.environ["DATABASE_URL"]
        join = "&" if "?" in url else "?"
        statement_ms = REQUEST_TIMEOUT * 1000
        env = dict(os.environ)
        env["DATABASE_URL"] = f"{url}{join}options=-c%20statement_timeout%3D{statement_ms}"
        server_log = open(Path(folder) / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
        pools = [(PORT, WORKERS, 0)] + (
            [(PORT + 1, REPORT_WORKERS, REPORT_NICE)] if REPORT_WORKERS else []
        )
        servers = [
            subprocess.Popen(
                [
                    *(["nice", "-n", str(niceness)] if niceness else []),
                    str(Path(sys.executable).with_name("gunicorn")),
                    "-c",
                    "config/gunicorn_conf.py",  # as the Docker image runs it
                    "config.wsgi",
                    f"--workers={workers}",
                    f"--bind=127.0.0.1:{port}",
                    f"--timeout={REQUEST_TIMEOUT + 5}",
                    "--log-level=warning",
                ],
                cwd=HERE.parent,
                env=env,
                stderr=server_log,  # tracebacks of the reports past the timeout
            )
            for port, workers, niceness in pools
        ]
        reports_base = f"http://127.0.0.1:{PORT + 1}" if REPORT_WORKERS else base
        try:
            _wait_until_up(base)
            _wait_until_up(reports_base)
            started = time.perf_counter()
            annual = f"/reports/annual/report.pdf?period={plan['year']}"
            try:
                answer = _get(reports_base, annual, plan["sessions"]["commissioner"][0])
            except OSError as error:  # past the timeout: the load shows it failing
                answer = str(error)
            took = time.perf_counter() - started
            if answer.startswith("application/pdf"):
                log(f"gunicorn up; annual PDF stored in {took:.1f} s")
            else:
                log(f"gunicorn up; the annual PDF could not be stored ({answer}, {took:.1f} s)")
            results["annual_pdf"] = {
                "stored": answer.startswith("application/pdf"),
                "seconds": round(took, 1),
            }
            for think in ("1", "0"):
                out = Path(folder) / f"samples-{think}.json"
                label = "with 0.5-2 s think time" if think == "1" else "with no think time"
                finished = subprocess.run(
                    [
                        _locust(),
                        "-f",
                        str(HERE / "locustfile.py"),
                        "--headless",
                        f"--users={USERS}",
                        f"--spawn-rate={USERS}",
                        f"--run-time={DURATION}",
                        f"--host={base}",
                        "--only-summary",
                        "--stop-timeout=30",
                        "--loglevel=WARNING",
                    ],
                    cwd=HERE.parent,
                    env=env
                    | {
                        "BENCH_LOAD_PLAN": str(plan_path),
                        "BENCH_THINK": think,
                        "BENCH_LOAD_OUT": str(out),
                    }
                    | ({"BENCH_REPORTS_HOST": reports_base} if REPORT_WORKERS else {}),
                    check=False,
                    capture_output=True,
                    text=True,
                )
                if not out.exists():
                    raise SystemExit(f"locust wrote no samples:\n{finished.stderr[-3000:]}")
                summary = _summarise(out)
                summary["load_average"] = _loadavg()
                _print(label, summary)
                results["think" if think == "1" else "no_think"] = summary
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            for server in servers:
                server.wait(timeout=60)
            server_log.close()
            print(f"(gunicorn wrote {server_log.name}: {_errors(server_log.name)} errors)")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten {OUTPUT}")


if __name__ == "__main__":
    main()
