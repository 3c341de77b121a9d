"""Who may use the dashboard and the reports: anonymous, wrong role, right
role and other area for every URL, and POST where a report takes one
(tests/access.py).

Reports are aggregate: another area's officer or commissioner may use them,
but choosing this area's local authority is refused (400), as a record
outside their scope would be a 404.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from core import periods
from tests.access import AccessCase, access_data, access_tests  # noqa: F401

READERS = frozenset({"administrator", "officer", "commissioner"})
QUARTER = "?period=2026-q1"
YEAR = f"?period={periods.financial_year_of(timezone.localdate()) - 1}"


def this_area(period: str):
    def query(d) -> str:
        return f"{period}&local_authority={d.area.local_authority.pk}"

    return query


CASES = [
    AccessCase("reports:dashboard", allowed=READERS, query=this_area(QUARTER), other_area=400),
    AccessCase("reports:quarterly", allowed=READERS, query=this_area(QUARTER), other_area=400),
    AccessCase("reports:quarterly_pdf", allowed=READERS, query=this_area(QUARTER), other_area=400),
    AccessCase("reports:quarterly_csv", allowed=READERS, query=this_area(QUARTER), other_area=400),
    AccessCase("reports:annual", allowed=READERS, query=this_area(YEAR), other_area=400),
    # POST is "try again" after a failed build: it redirects back to the GET.
    AccessCase(
        "reports:annual_pdf", allowed=READERS, query=this_area(YEAR), other_area=400, post={}
    ),
    AccessCase("reports:inspection", allowed=READERS, query=this_area(QUARTER), other_area=400),
    AccessCase("reports:inspection_pdf", allowed=READERS, query=this_area(QUARTER), other_area=400),
]


@pytest.fixture(autouse=True)
def annual_report_in_the_request(settings, monkeypatch):
    """The annual PDF is built in the request, as without Redis, so its
    allowed status is the same whether or not this run has REDIS_URL set.
    Work started "after commit" starts at once: a real request runs outside
    a transaction, but this test's transaction never commits."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


test_access = access_tests(CASES)
