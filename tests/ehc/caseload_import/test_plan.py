"""Grouping rows into children, requests and services asked (no database)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from ehc.caseload_import.plan import Plan, group_rows

D = datetime.date
LA = SimpleNamespace(pk=1, name="Testshire")
OTHER_LA = SimpleNamespace(pk=2, name="Elsewhere")
PAEDS = SimpleNamespace(pk=10, name="Paediatrics")
SALT = SimpleNamespace(pk=11, name="Speech and language therapy")
NAMES = {"given_name": "First name", "family_name": "Last name"}


def line(n: int, **cells) -> dict:
    base = {
        "line": n,
        "local_authority": LA,
        "nhs_number": "9434765919",
        "la_reference": "",
        "given_name": "Sam",
        "family_name": "Smith",
        "date_of_birth": D(2016, 5, 14),
        "primary_need": "",
        "process": "needs_assessment",
        "sent_on": D(2026, 3, 2),
        "received_on": D(2026, 3, 3),
        "request_reference": "",
        "notes": "",
        "meeting_on": None,
        "service": PAEDS,
    }
    return base | cells


def grouped(*rows) -> Plan:
    plan = Plan(rows=len(rows))
    group_rows(plan, list(rows), NAMES)
    return plan


def test_rows_of_one_child_process_and_received_date_make_one_request():
    plan = grouped(line(2), line(3, service=SALT), line(4, process="annual_review"))
    [child] = plan.children
    assert [len(r.contributions) for r in child.requests] == [2, 1]
    assert [r.lines for r in child.requests] == [[2, 3], [4]]
    assert plan.problems == []


def test_another_received_date_is_another_request():
    plan = grouped(line(2), line(3, received_on=D(2026, 5, 1), sent_on=D(2026, 5, 1)))
    assert len(plan.children[0].requests) == 2


def test_a_child_is_found_by_nhs_number_else_la_reference_within_the_area():
    plan = grouped(
        line(2, la_reference="LA-1"),
        line(3, nhs_number="", la_reference="LA-1", process="reassessment"),
        line(4, local_authority=OTHER_LA),  # the same number in another area: another child
    )
    assert [c.line for c in plan.children] == [2, 4]
    assert len(plan.children[0].requests) == 2


def test_a_later_row_fills_what_the_first_left_blank_and_must_agree_with_the_rest():
    plan = grouped(
        line(2, primary_need=""),
        line(3, service=SALT, primary_need="ASD"),
        line(4, process="reassessment", date_of_birth=D(2016, 5, 15)),
    )
    assert plan.children[0].values["primary_need"] == "ASD"
    assert [str(p) for p in plan.problems] == [
        "Line 4, Date of birth: Differs from line 2 about the same child (14/05/2016)"
    ]


def test_names_differing_only_in_case_and_spaces_agree():
    plan = grouped(line(2), line(3, service=SALT, family_name=" SMITH "))
    assert plan.problems == []


def test_an_nhs_number_of_one_child_and_la_reference_of_another_is_a_problem():
    plan = grouped(
        line(2, la_reference="A"),
        line(3, nhs_number="4010232137", la_reference="B"),
        line(4, nhs_number="4010232137", la_reference="A"),
    )
    assert [str(p) for p in plan.problems] == [
        "Line 4, LA reference: The NHS number is the child of line 3, the LA reference "
        "the child of line 2: check which is right"
    ]


def test_rows_of_one_request_must_agree_on_its_sent_date_and_their_notes_are_kept():
    plan = grouped(
        line(2, notes="Chased"),
        line(3, service=SALT, notes="Phoned"),
        line(4, service=SimpleNamespace(pk=12), sent_on=D(2026, 3, 1)),
    )
    assert plan.children[0].requests[0].values["notes"] == "Chased\nPhoned"
    assert [str(p) for p in plan.problems] == [
        "Line 4, Date LA sent request: Differs from line 2 about the same request (02/03/2026)"
    ]


def test_a_service_twice_for_one_request_is_a_problem():
    plan = grouped(line(2), line(3))
    assert [str(p) for p in plan.problems] == ["Line 3, Service: Repeats the service of line 2"]
