"""The mixed load: 16 designated clinical officers and 4 commissioners.

Run by ``bench/load.py`` (``make bench-load``), which starts gunicorn on
loopback, signs the users in (sessions made in the database: no password
hashing in the measured minute) and writes the plan this file reads:

- BENCH_LOAD_PLAN: a JSON file with the session cookies, the request and
  child ids the officers open and the report periods;
- BENCH_THINK: "1" for 0.5 to 2 s think time between pages, "0" for none;
- BENCH_LOAD_OUT: where each request's page group, time and success go
  when the run ends, for exact percentiles per group;
- BENCH_REPORTS_HOST: where the commissioners' report pages go when the
  reports have a gunicorn pool of their own (as a proxy routing
  ``/reports/`` to it would send them); unset, the one pool (``--host``).

Request names start with the page group ("dco:" or "reports:").
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

from locust import HttpUser, between, constant, events, task

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text())
WAIT = between(0.5, 2) if os.environ.get("BENCH_THINK", "1") == "1" else constant(0)
SAMPLES: list[tuple[str, float, bool]] = []
WINDOW: dict[str, float] = {}


@events.request.add_listener
def _record(name, response_time, exception, **_):
    SAMPLES.append((name, response_time, exception is None))


@events.test_start.add_listener
def _started(**_):
    WINDOW["start"] = time.time()


@events.quitting.add_listener
def _write(**_):
    WINDOW.setdefault("stop", time.time())
    Path(os.environ["BENCH_LOAD_OUT"]).write_text(
        json.dumps({"window": WINDOW, "samples": SAMPLES})
    )


@events.test_stop.add_listener
def _stopped(**_):
    WINDOW["stop"] = time.time()


def _quarter() -> str:
    """One of the last four complete quarters, as a commissioner might ask."""
    return random.choice(PLAN["quarters"])


class _Signed(HttpUser):
    abstract = True
    wait_time = WAIT
    role = ""

    def on_start(self):
        self.client.cookies.set("sessionid", PLAN["sessions"][self.role].pop())

    def get(self, url: str, name: str, content_type: str = "text/html"):
        """A failure unless the page answers 200 with ``content_type`` (the
        annual PDF answers 200 with a page when it could not be prepared)."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif not response.headers.get("Content-Type", "").startswith(content_type):
                response.failure(f"answered {response.headers.get('Content-Type')}")


class Officer(_Signed):
    """A designated clinical officer working through the worklist."""

    fixed_count = 16
    role = "dco"

    @task(3)
    def worklist(self):
        self.get("/ehc/requests/", "dco: worklist")

    @task(1)
    def overdue(self):
        self.get("/ehc/requests/?overdue=on", "dco: worklist overdue")

    @task(1)
    def later_page(self):
        self.get(f"/ehc/requests/?page={random.randint(2, 20)}", "dco: worklist page 2-20")

    @task(4)
    def request_page(self):
        self.get(f"/ehc/requests/{random.choice(PLAN['requests'])}/", "dco: request")

    @task(2)
    def child_page(self):
        self.get(f"/ehc/children/{random.choice(PLAN['children'])}/", "dco: child")

    @task(1)
    def home(self):
        self.get("/officer/", "dco: officer home")


class Commissioner(_Signed):
    """A commissioner running the reports of their ICB."""

    fixed_count = 4
    role = "commissioner"
    if os.environ.get("BENCH_REPORTS_HOST"):
        host = os.environ["BENCH_REPORTS_HOST"]

    @task(3)
    def dashboard(self):
        self.get(f"/reports/dashboard/?period={_quarter()}", "reports: dashboard")

    @task(1)
    def quarterly(self):
        self.get(f"/reports/quarterly/?period={_quarter()}", "reports: quarterly")

    @task(1)
    def quarterly_csv(self):
        self.get(
            f"/reports/quarterly/tables.csv?period={_quarter()}",
            "reports: quarterly CSV",
            "text/csv",
        )

    @task(1)
    def quarterly_pdf(self):
        self.get(
            f"/reports/quarterly/report.pdf?period={_quarter()}",
            "reports: quarterly PDF",
            "application/pdf",
        )

    @task(1)
    def annual_pdf(self):
        self.get(
            f"/reports/annual/report.pdf?period={PLAN['year']}",
            "reports: annual PDF",
            "application/pdf",
        )
