"""The import's new records go through ehc.services.create_many: still every
rule on its line and column, all or nothing with the changes to records
held, one audit entry per record naming the importing officer, and a number
of queries that does not grow with the rows."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehc.caseload_import import apply
from ehc.caseload_import.plan import build_plan
from ehc.models import Child, Contribution, HealthAdviceRequest, RequestStatus
from tests import factories as f
from tests.ehc.caseload_import.helpers import TODAY, VALID_NHS, D, row, sheet
from tests.ehc.test_services_bulk import nhs_numbers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(today_is):
    return today_is(TODAY)


def rows_of(area, count: int, first: int = 0) -> list[dict]:
    """``count`` new children's rows, each a request asking the area's
    service, every other one returned."""
    numbers = nhs_numbers(count, 800_000_000 + first * 100)
    return [
        row(
            area,
            **{
                "NHS number": number,
                "LA reference": f"B-{first + n}",
                "First name": f"Child{first + n}",
            },
            **({"Date returned": "01/04/2026", "Outcome": "Advice given"} if n % 2 else {}),
        )
        for n, number in enumerate(numbers)
    ]


def run(area, rows, *, dry_run=False, progress=None):
    plan = build_plan(sheet(rows), user=area.officer, today=TODAY)
    return plan, [
        str(p) for p in apply.run(plan, by=area.officer, dry_run=dry_run, progress=progress)
    ]


def test_new_rows_are_written_once_each_with_one_audit_entry_naming_the_officer(area):
    before = LogEntry.objects.count()
    calls = []
    _, problems = run(area, rows_of(area, 4), progress=lambda done, total: calls.append(done))
    assert problems == []
    assert (Child.objects.count(), HealthAdviceRequest.objects.count()) == (4, 4)
    assert Contribution.objects.filter(returned_on__isnull=False).count() == 2
    statuses = sorted(HealthAdviceRequest.objects.values_list("status", flat=True))
    assert statuses == [RequestStatus.AWAITING] * 2 + [RequestStatus.RETURNED] * 2
    entries = LogEntry.objects.order_by("pk")[before:]
    assert len(entries) == 12  # a child, a request and a service asked per row
    assert {e.action for e in entries} == {LogEntry.Action.CREATE}
    assert {e.actor_id for e in entries} == {area.officer.pk}
    assert calls[-1] == 3  # the three tables of new records


def test_a_broken_new_row_undoes_the_changes_to_records_held_too(area):
    held = f.ChildFactory(
        local_authority=area.local_authority, nhs_number="9434765919", la_reference=""
    )
    rows = [
        row(area, **{"First name": held.given_name, "Last name": held.family_name}),
        row(
            area,
            **{
                "NHS number": VALID_NHS[1],
                "LA reference": "LA-2",
                "Date returned": "30/05/2026",
                "Outcome": "Advice given",
            },
        ),
    ]
    _, problems = run(area, rows)
    assert problems == ["Line 3, Late reason: Choose why the advice was late"]
    held.refresh_from_db()
    assert held.la_reference == ""  # its fill-in was rolled back with the rest
    assert Child.objects.count() == 1 and not HealthAdviceRequest.objects.exists()


def test_a_new_request_of_a_held_child_keeps_every_rule_on_its_line(area):
    held = f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    cells = {"First name": held.given_name, "Last name": held.family_name}
    rows = [
        row(area, **cells, **{"Date health received request": "01/03/2026"}),
        row(area, **cells, Process="Annual review", **{"Review meeting date": "20/07/2026"}),
    ]
    _, problems = run(area, rows)
    assert problems == [
        "Line 2, Date health received request: The date health received the request must "
        "be on or after the date the LA sent it"
    ]
    rows[0] = row(area, **cells)
    _, problems = run(area, rows)
    assert problems == []
    review = held.requests.get(process="annual_review")
    assert (review.review.meeting_on, review.due_on) == (D(2026, 7, 20), D(2026, 7, 6))


def test_a_service_asked_for_a_held_request_still_goes_through_the_service(area):
    child = f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    request = f.HealthAdviceRequestFactory(
        child=child, sent_on=D(2026, 3, 2), received_on=D(2026, 3, 3)
    )
    cells = {"First name": child.given_name, "Last name": child.family_name}
    _, problems = run(
        area, [row(area, **cells, **{"Date returned": "01/04/2026", "Outcome": "Advice given"})]
    )
    assert problems == []
    contribution = request.contributions.get()
    assert contribution.outcome == "advice_given"
    request.refresh_from_db()
    assert request.status == RequestStatus.RETURNED
    entries = LogEntry.objects.get_for_object(contribution)
    # add_contribution, then record_return: the one-by-one entries.
    assert list(entries.order_by("pk").values_list("action", flat=True)) == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
    ]


def test_the_import_of_new_rows_asks_no_query_per_row(area):
    def queries(rows):
        plan = build_plan(sheet(rows), user=area.officer, today=TODAY)
        with CaptureQueriesContext(connection) as captured:
            assert apply.run(plan, by=area.officer, dry_run=True) == []
        return len(captured)

    few, many = queries(rows_of(area, 10)), queries(rows_of(area, 50, first=100))
    # A few more where SQLite splits an insert (999 parameters to a
    # statement, so 50 wide rows take more statements than 10), never a
    # query per row (that would be 40 more, or several times that).
    assert many - few < 8, (few, many)


def test_the_preview_runs_the_same_checks_and_keeps_nothing(area):
    rows = rows_of(area, 3)
    rows[2]["Date of birth"] = "14/05/1990"
    _, problems = run(area, rows, dry_run=True)
    assert problems == [
        "Line 4, Date of birth: The portal records children and young people up to 25. "
        "Check the year."
    ]
    _, problems = run(area, rows_of(area, 3), dry_run=True)
    assert (
        problems == []
        and not Child.objects.exists()
        and not LogEntry.objects.filter(content_type__model="child").exists()
    )
