"""Importing through the services: every rule with its line and column, all
or nothing, matching what is held, conflicts, idempotence, the audit."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from ehc.caseload_import import apply, reading
from ehc.caseload_import.plan import build_plan
from ehc.models import Child, Contribution, HealthAdviceRequest
from tests import factories as f
from tests.ehc.caseload_import.helpers import TODAY, VALID_NHS, D, csv_bytes, row, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(today_is):
    return today_is(TODAY)


def run(area, rows, *, user=None, chosen=(), dry_run=False, **kwargs):
    user = user or area.officer
    plan = build_plan(sheet(rows, **kwargs), user=user, today=TODAY)
    problems = apply.run(plan, by=user, chosen=chosen, dry_run=dry_run)
    return plan, [str(p) for p in problems]


def test_rows_of_one_child_process_and_date_make_one_request_with_a_service_each(area):
    second = f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
    rows = [
        row(area, **{"Date returned": "01/04/2026", "Outcome": "Advice given"}),
        row(area, Service=second.name, **{"NHS number": "", "LA reference": "LA-1"}),
        row(area, Process="Annual review", **{"Review meeting date": "20/07/2026"}),
    ]
    plan, problems = run(area, rows)
    assert problems == []
    child = Child.objects.get()
    assert (child.nhs_number, child.la_reference, child.primary_need) == (
        "9434765919",
        "LA-1",
        "ASD",
    )
    review, assessment = child.requests.order_by("process")
    assert review.process == "annual_review" and review.review.meeting_on == D(2026, 7, 20)
    assert assessment.owner == area.officer  # the importing officer follows them
    contributions = {c.service_id: c for c in assessment.contributions.all()}
    assert contributions[area.service.pk].returned_on == D(2026, 4, 1)
    assert contributions[area.service.pk].outcome == "advice_given"
    assert contributions[second.pk].returned_on is None
    assert apply.counts(plan) == {
        "children": {"create": 1, "update": 0, "unchanged": 0},
        "requests": {"create": 2, "update": 0, "unchanged": 0},
        "services": {"create": 3, "update": 0, "unchanged": 0},
    }


def test_every_write_is_audited_with_the_importing_officer_as_actor(area):
    before = LogEntry.objects.count()
    run(area, [row(area, **{"Date returned": "01/04/2026", "Outcome": "Advice given"})])
    entries = LogEntry.objects.order_by("pk")[before:]
    assert {e.content_type.model for e in entries} >= {
        "child",
        "healthadvicerequest",
        "contribution",
    }
    assert {e.actor_id for e in entries} == {area.officer.pk}


def test_the_same_file_twice_changes_nothing(area):
    rows = [
        row(area, **{"Date returned": "01/04/2026", "Outcome": "Declined", "Decline reason": "No"}),
        row(area, Process="Reassessment", **{"Date health received request": "04/03/2026"}),
    ]
    run(area, rows)
    before = (LogEntry.objects.count(), Child.objects.count(), Contribution.objects.count())
    plan, problems = run(area, rows)
    assert problems == []
    assert (LogEntry.objects.count(), Child.objects.count(), Contribution.objects.count()) == before
    assert apply.counts(plan) == {
        "children": {"create": 0, "update": 0, "unchanged": 1},
        "requests": {"create": 0, "update": 0, "unchanged": 2},
        "services": {"create": 0, "update": 0, "unchanged": 2},
    }


def test_a_child_held_is_matched_by_nhs_number_else_la_reference_never_added_twice(area):
    by_nhs = f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    by_ref = f.ChildFactory(local_authority=area.local_authority, la_reference="LA-9")
    rows = [
        row(area, **{"First name": by_nhs.given_name, "Last name": by_nhs.family_name}),
        row(
            area,
            **{
                "NHS number": "",
                "LA reference": "LA-9",
                "First name": by_ref.given_name.upper(),  # case is not a difference
                "Last name": by_ref.family_name,
            },
        ),
    ]
    plan, problems = run(area, rows)
    assert problems == []
    assert Child.objects.count() == 2
    assert set(HealthAdviceRequest.objects.values_list("child_id", flat=True)) == {
        by_nhs.pk,
        by_ref.pk,
    }
    by_nhs.refresh_from_db()
    assert by_nhs.la_reference == "LA-1"  # a gap filled, not a conflict
    assert plan.conflicts == []


def test_a_row_that_disagrees_with_what_is_held_is_a_conflict_changed_only_if_chosen(area):
    held = f.ChildFactory(
        local_authority=area.local_authority, nhs_number="9434765919", given_name="Robyn"
    )
    rows = [row(area, **{"Last name": held.family_name})]
    plan, problems = run(area, rows)
    assert problems == []
    [conflict] = plan.conflicts
    assert (conflict.key, conflict.kind, conflict.line) == ("child-2", "child", 2)
    assert conflict.differences == [("First name", "Robyn", "Robin")]
    held.refresh_from_db()
    assert held.given_name == "Robyn"  # kept: not chosen
    plan, problems = run(area, rows, chosen=["child-2"])
    held.refresh_from_db()
    assert held.given_name == "Robin"
    assert LogEntry.objects.filter(object_pk=str(held.pk), action=LogEntry.Action.UPDATE).exists()


def test_a_held_request_and_service_are_updated_only_where_empty_or_chosen(area):
    child = f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    request = f.HealthAdviceRequestFactory(
        child=child, sent_on=D(2026, 3, 1), received_on=D(2026, 3, 3)
    )
    contribution = f.ContributionFactory(request=request, service=area.service)
    cells = {"First name": child.given_name, "Last name": child.family_name}
    rows = [row(area, **cells, **{"Date returned": "10/04/2026", "Outcome": "Advice given"})]
    plan, problems = run(area, rows)
    assert problems == []
    contribution.refresh_from_db()
    assert contribution.returned_on == D(2026, 4, 10)  # filled in: it was outstanding
    [conflict] = plan.conflicts  # the sent date: 1 March held, 2 March in the file
    assert conflict.key == "request-2"
    assert conflict.differences == [("Date LA sent request", "01/03/2026", "02/03/2026")]
    run(area, rows, chosen=["request-2"])
    request.refresh_from_db()
    assert request.sent_on == D(2026, 3, 2)


RULES = [
    ({"NHS number": "943 476 5918"}, "Line 2, NHS number: Enter a valid NHS number"),
    ({"NHS number": "", "LA reference": ""}, "Line 2, NHS number: Give the NHS number or"),
    (
        {"Date health received request": "01/03/2026"},
        "Line 2, Date health received request: The date health received the request "
        "must be on or after the date the LA sent it",
    ),
    ({"Date of birth": "14/05/1990"}, "Line 2, Date of birth: The portal records"),
    ({"Date LA sent request": "31/02/2026"}, "Line 2, Date LA sent request: “31/02/2026”"),
    (
        {"Date returned": "30/05/2026", "Outcome": "Advice given"},
        "Line 2, Late reason: Choose why the advice was late",
    ),
    (
        {"Date returned": "30/05/2026", "Outcome": "Advice given", "Late reason": "Other"},
        "Line 2, Late note: Say why the advice was late",
    ),
    ({"Date returned": "01/04/2026"}, "Line 2: Give both the date returned and the outcome"),
    ({"Outcome": "Declined", "Date returned": "01/04/2026"}, "Line 2, Decline reason: Say"),
    (
        {"Exception": "b", "Exception evidence": "Away in Spain"},
        "Line 2, Exception date: Give the date the absence began",
    ),
    (
        {"Exception": "(c)", "Exception evidence": "DNA", "Exception date": "01/01/2026"},
        "Line 2, Exception date: The date of the missed appointment must fall within",
    ),
    ({"Exception": "d"}, "Line 2, Exception: “d” is not a reg 8(2) exception"),
    ({"Exception evidence": "A letter"}, "Line 2, Exception: Choose the exception"),
    ({"Process": "Annual review"}, "Line 2, Review meeting date: Enter the date of the"),
    ({"Process": "Lunch"}, "Line 2, Process: “Lunch” is not a process the portal knows"),
    ({"Primary need": "XYZ"}, "Line 2, Primary need: “XYZ” is not a primary need"),
    ({"Service": "Astrology"}, "Line 2, Service: No service called “Astrology” covers"),
    ({"Return by": "01/01/2027"}, "Line 2, Return by: The return-by date must be on or"),
    ({"First name": "Ro\x00bin"}, "Line 2, First name: Remove the hidden control character"),
    ({"First name": ""}, "Line 2, First name: Enter the first name"),
]


def test_every_rule_of_the_forms_applies_with_its_line_and_column(area):
    """One file, one broken row per rule (each about its own child), every
    problem reported on its own line, nothing written."""
    rows = [
        row(area, **{"NHS number": "", "LA reference": f"R{n}"} | cells)
        for n, (cells, _) in enumerate(RULES)
    ]
    _, problems = run(area, rows)
    for line, (_, expected) in enumerate(RULES, start=2):
        expected = expected.replace("Line 2", f"Line {line}")
        assert any(p.startswith(expected) for p in problems), (expected, problems)
    assert not Child.objects.exists()


def test_a_local_authority_outside_the_officers_scope_is_an_error_on_its_line(area, other_area):
    rows = [row(area), row(area, **{"Local authority": other_area.local_authority.gss_code})]
    _, problems = run(area, rows)
    assert problems == [
        f"Line 3, Local authority: “{other_area.local_authority.gss_code}” is not one of "
        "your local authorities"
    ]
    assert not Child.objects.exists()


def test_a_service_not_covering_the_area_is_refused_by_the_services_rule(area, other_area):
    _, problems = run(area, [row(area, Service=other_area.service.name)])
    assert problems == [
        f"Line 2, Service: {other_area.service.name} does not cover the child's local authority"
    ]


def test_one_broken_row_means_nothing_is_written(area):
    rows = [row(area), row(area, **{"NHS number": VALID_NHS[1], "Date of birth": "31/31/2015"})]
    before = LogEntry.objects.count()
    _, problems = run(area, rows)
    assert problems == [
        "Line 3, Date of birth: “31/31/2015” is not a real date: check the day and month"
    ]
    assert not Child.objects.exists() and LogEntry.objects.count() == before


def test_a_preview_writes_nothing_but_finds_every_problem(area):
    rows = [
        row(area),
        row(
            area, **{"NHS number": VALID_NHS[1], "LA reference": "LA-2", "Date returned": "1/4/26"}
        ),
        row(area, **{"NHS number": VALID_NHS[2], "LA reference": "LA-3", "Last name": "Other"}),
    ]
    plan, problems = run(area, rows, dry_run=True)
    assert problems == ["Line 3: Give both the date returned and the outcome."]
    assert not Child.objects.exists()
    assert apply.counts(plan)["children"] == {"create": 3, "update": 0, "unchanged": 0}


def test_rows_about_one_child_must_agree(area):
    rows = [row(area), row(area, Process="Reassessment", **{"Date of birth": "15/05/2016"})]
    _, problems = run(area, rows)
    assert problems == [
        "Line 3, Date of birth: Differs from line 2 about the same child (14/05/2016)"
    ]


def test_a_service_listed_twice_for_one_request_is_an_error(area):
    _, problems = run(area, [row(area), row(area)])
    assert problems == ["Line 3, Service: Repeats the service of line 2"]


def test_a_byte_order_mark_trailing_blank_lines_and_two_digit_years_are_fine(area):
    rows = [row(area, **{"Date of birth": "14/5/16", "Date LA sent request": "2/3/26"})]
    data = reading.read_csv(csv_bytes(rows, bom=True) + b",,,\r\n\r\n\r\n")
    assert len(data.rows) == 1
    plan = build_plan(data, user=area.officer, today=TODAY)
    assert apply.run(plan, by=area.officer) == []
    assert Child.objects.get().date_of_birth == D(2016, 5, 14)


def test_an_officer_of_one_area_may_leave_the_local_authority_out(area):
    headers = ["NHS number", "Name", "DOB", "Process", "Date LA sent request"]
    headers += ["Date health received request"]
    cells = row(area) | {"Name": "Smith, Sam", "DOB": "14/05/2016"}
    _, problems = run(area, [cells], headers=headers)
    assert problems == []
    child = Child.objects.get()
    assert (child.given_name, child.family_name, child.local_authority) == (
        "Sam",
        "Smith",
        area.local_authority,
    )


def test_an_administrator_imports_into_any_area(area):
    _, problems = run(area, [row(area)], user=area.administrator)
    assert problems == []
    assert HealthAdviceRequest.objects.get().owner is None


def test_a_child_held_in_another_of_the_officers_areas_is_not_added_again_by_a_file(area):
    # The form asks the officer to confirm it is the same child; a file
    # cannot, so the line says how to, and nothing is written.
    second = f.LocalAuthorityFactory(name="Southby")
    area.officer.local_authorities.add(second)
    f.ChildFactory(local_authority=second, nhs_number="9434765919")
    plan, problems = run(area, [row(area)])
    assert len(problems) == 1
    assert problems[0].startswith("Line 2")
    assert apply.HELD_ELSEWHERE in problems[0]
    assert Child.objects.count() == 1


def test_the_continuing_care_column_sets_new_children_and_fills_held_ones(area):
    held = f.ChildFactory(
        local_authority=area.local_authority,
        nhs_number="4010232137",
        given_name="Robin",
        family_name="Tracker",
    )
    rows = [
        row(area, **{"Continuing care": "Yes"}),
        row(area, **{"NHS number": VALID_NHS[1], "LA reference": "", "Continuing care": "Y"}),
    ]
    plan, problems = run(area, rows)
    assert problems == [] and plan.conflicts == []
    assert Child.objects.get(nhs_number="9434765919").continuing_care is True
    held.refresh_from_db()
    assert held.continuing_care is True  # not eligible was the default: filled in


def test_a_file_saying_no_for_a_child_held_as_eligible_is_a_conflict(area):
    held = f.ChildFactory(
        local_authority=area.local_authority,
        nhs_number="9434765919",
        given_name="Robin",
        family_name="Tracker",
        continuing_care=True,
    )
    plan, problems = run(area, [row(area, **{"Continuing care": "No"})])
    assert problems == []
    [conflict] = plan.conflicts
    assert conflict.differences == [("Continuing care", "Yes", "No")]
    held.refresh_from_db()
    assert held.continuing_care is True  # kept: not chosen


def test_a_continuing_care_cell_that_is_not_yes_or_no_is_on_its_line(area):
    _, problems = run(area, [row(area, **{"Continuing care": "pending"})])
    assert problems == [
        "Line 2, Continuing care: “pending” is not Yes or No: write Yes, No or leave it blank"
    ]
