"""ehc.services.create_many: many new records at once under the rules of the
one-by-one services, all or nothing, audited like them, in a number of
queries that does not grow with the records."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehc import services
from ehc.models import Child, Contribution, HealthAdviceRequest, RequestStatus, ReviewInput
from ehc.saving import SAVED_MEANWHILE
from ehc.services import NewChild, NewContribution, NewRequest, Refused
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 15)


@pytest.fixture(autouse=True)
def today(today_is):
    return today_is(TODAY)


def nhs_numbers(count: int, start: int = 400_000_000) -> list[str]:
    """``count`` valid NHS numbers (modulus 11 check digit)."""
    found = []
    base = start
    while len(found) < count:
        digits = str(base)
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            found.append(digits + str(check))
        base += 1
    return found


NUMBERS = nhs_numbers(200, 500_000_000)


def new_child(area, n: int = 0, **values) -> NewChild:
    return NewChild(
        **{
            "local_authority": area.local_authority,
            "given_name": f"Child{n}",
            "family_name": "Bulk",
            "date_of_birth": D(2015, 1, 1),
            "nhs_number": NUMBERS[n],
            "la_reference": f"LA-{n}",
        }
        | values
    )


def new_request(child, **values) -> NewRequest:
    return NewRequest(
        **{
            "child": child,
            "process": "needs_assessment",
            "sent_on": D(2026, 3, 2),
            "received_on": D(2026, 3, 3),
        }
        | values
    )


def new_contribution(request, service, **values) -> NewContribution:
    return NewContribution(
        **{"request": request, "service": service, "asked_on": D(2026, 3, 3)} | values
    )


def case(area, count: int):
    """``count`` children, each with a request asking the area's service,
    every other one returned."""
    children, requests, contributions = [], [], []
    for n in range(count):
        child = new_child(area, n)
        request = new_request(child)
        returned = {"returned_on": D(2026, 4, 1), "outcome": "advice_given"} if n % 2 else {}
        children.append(child)
        requests.append(request)
        contributions.append(new_contribution(request, area.service, **returned))
    return {"children": children, "requests": requests, "contributions": contributions}


def problems_of(refused: Refused) -> list[tuple[object, dict]]:
    return [(record, error.message_dict) for record, error in refused.problems]


# --- What is written ------------------------------------------------------------------------


def test_records_requests_and_services_asked_with_their_clock_and_status(area):
    child = new_child(area)
    assessment = new_request(child, owner=area.officer)
    returned = new_contribution(
        assessment, area.service, returned_on=D(2026, 4, 1), outcome="advice_given"
    )
    created = services.create_many(
        by=area.officer, children=[child], requests=[assessment], contributions=[returned]
    )
    saved = Child.objects.get()
    assert created.children[child] == saved
    assert (saved.nhs_number, saved.created_by) == (child.nhs_number, area.officer)
    request = HealthAdviceRequest.objects.get()
    # 6 weeks from receipt (reg 8(1)), all returned: as the services set them.
    assert (request.due_on, request.status, request.owner) == (
        D(2026, 4, 14),
        RequestStatus.RETURNED,
        area.officer,
    )
    contribution = Contribution.objects.get()
    assert (contribution.due_on, contribution.working_due_on) == (D(2026, 4, 14), D(2026, 4, 14))
    assert contribution.outcome == "advice_given"


def test_new_requests_get_their_stored_worklist_keys(area):
    """The worklist orders by keys stored on the request: the bulk insert
    stores them as the one-by-one services would, so a repair run finds
    nothing to correct."""
    from ehc.services.urgency import refresh_all

    data = case(area, 6)
    excused = new_contribution(
        data["requests"][0],
        f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority]),
        exception="exceptional_circumstances",
        exception_evidence="Clinic flooded",
    )
    data["contributions"].append(excused)
    services.create_many(by=area.officer, **data)
    assert refresh_all() == 0
    outstanding = HealthAdviceRequest.objects.get(la_reference="", child__given_name="Child0")
    assert outstanding.urgency is not None and outstanding.has_lawful_exception


def test_a_request_with_a_service_outstanding_or_none_asked_is_awaiting(area):
    child = new_child(area)
    outstanding = new_request(child)
    nobody = new_request(child, process="reassessment", received_on=D(2026, 3, 4))
    services.create_many(
        by=area.officer,
        children=[child],
        requests=[outstanding, nobody],
        contributions=[new_contribution(outstanding, area.service)],
    )
    assert set(HealthAdviceRequest.objects.values_list("status", flat=True)) == {
        RequestStatus.AWAITING
    }


def test_review_requests_share_the_childs_review_input_for_their_meeting(area):
    held = f.ChildFactory(local_authority=area.local_authority)
    held_review = ReviewInput.objects.create(child=held, meeting_on=D(2026, 7, 20))
    child = new_child(area)
    meeting = {"meeting_on": D(2026, 7, 20)}
    annual = new_request(child, process="annual_review", **meeting)
    transfer = new_request(child, process="phase_transfer", received_on=D(2026, 3, 4), **meeting)
    of_held = new_request(held, process="annual_review", **meeting)
    created = services.create_many(
        by=area.officer, children=[child], requests=[annual, transfer, of_held]
    )
    made = ReviewInput.objects.exclude(pk=held_review.pk).get()
    assert created.requests[annual].review == created.requests[transfer].review == made
    assert created.requests[of_held].review == held_review
    # Due 2 weeks before the meeting (reg 20(4)).
    assert created.requests[annual].due_on == D(2026, 7, 6)


def test_every_record_has_one_created_entry_naming_by_as_the_one_by_one_service_writes(area):
    created = services.create_many(by=area.officer, **case(area, 2))
    one_by_one = services.create_child(
        by=area.officer,
        local_authority=area.local_authority,
        given_name="Child9",
        family_name="Bulk",
        date_of_birth=D(2015, 1, 1),
        nhs_number=NUMBERS[9],
        la_reference="LA-9",
    )

    def entries(record):
        return LogEntry.objects.get_for_object(record).filter(action=LogEntry.Action.CREATE)

    records = [
        *created.children.values(),
        *created.requests.values(),
        *created.contributions.values(),
    ]
    for record in records:
        entry = entries(record).get()
        assert (entry.actor, entry.actor_email) == (area.officer, area.officer.email)
        assert entry.object_repr == str(record)
        assert entry.changes_dict["id"] == ["None", str(record.pk)]
    bulk = entries(next(iter(created.children.values()))).get()
    single = entries(one_by_one).get()
    assert set(bulk.changes_dict) == set(single.changes_dict)
    assert bulk.changes_dict["created_by"] == single.changes_dict["created_by"]
    # The final values: a returned service's return is in its one entry.
    returned = next(c for c in created.contributions.values() if c.returned_on)
    assert entries(returned).get().changes_dict["outcome"] == [
        "None",
        "advice_given",
    ]


# --- The rules, all or nothing ------------------------------------------------------------


def test_every_rule_refuses_its_record_with_the_services_words_and_nothing_is_written(
    area, other_area
):
    held = f.ChildFactory(local_authority=area.local_authority, la_reference="HELD")
    good = new_child(area, 0)
    bad_nhs = new_child(area, 1, nhs_number="9434765918")
    too_old = new_child(area, 2, date_of_birth=D(1990, 5, 14))
    elsewhere = new_child(area, 3, local_authority=other_area.local_authority)
    held_reference = new_child(area, 4, la_reference="HELD")
    request = new_request(good)
    backwards = new_request(good, process="reassessment", received_on=D(2026, 3, 1))
    review = new_request(good, process="annual_review", received_on=D(2026, 3, 5))
    late = new_contribution(
        request, area.service, returned_on=D(2026, 5, 30), outcome="advice_given"
    )
    declined = new_contribution(
        request, other_area.service, returned_on=D(2026, 4, 1), outcome="declined"
    )
    with pytest.raises(Refused) as refused:
        services.create_many(
            by=area.officer,
            children=[good, bad_nhs, too_old, elsewhere, held_reference],
            requests=[request, backwards, review],
            contributions=[late, declined],
        )
    found = dict(problems_of(refused.value))
    assert found[bad_nhs]["nhs_number"][0].startswith("Enter a valid NHS number")
    assert "25" in found[too_old]["date_of_birth"][0]
    assert found[elsewhere] == {"local_authority": ["Choose a local authority from the list"]}
    assert found[held_reference]["la_reference"] == [
        "A child with this LA reference is already recorded."
    ]
    assert found[backwards]["received_on"][0].startswith("The date health received the request")
    assert found[review]["meeting_on"][0].startswith("Enter the date of the review meeting")
    assert found[late] == {"late_reason": ["Choose why the advice was late"]}
    assert found[declined]["declined_reason"] == ["Say why the service declined"]
    assert "does not cover" in found[declined]["service"][0]
    assert good not in found and request not in found
    assert Child.objects.get() == held  # nothing of the call kept
    assert not HealthAdviceRequest.objects.exists()
    assert not LogEntry.objects.filter(object_repr__startswith="Child").exists()


def test_the_records_of_a_refused_record_are_not_checked(area):
    child = new_child(area, nhs_number="9434765918")
    request = new_request(child, received_on=D(2026, 3, 1))  # also wrong, not reported
    with pytest.raises(Refused) as refused:
        services.create_many(
            by=area.officer,
            children=[child],
            requests=[request],
            contributions=[new_contribution(request, area.service)],
        )
    assert [record for record, _ in refused.value.problems] == [child]


def test_an_nhs_number_held_in_the_area_another_area_or_earlier_in_the_call_is_refused(area):
    second_area = f.LocalAuthorityFactory()
    area.officer.local_authorities.add(second_area)
    held_here, held_there, twice = nhs_numbers(3, 600_000_000)
    f.ChildFactory(local_authority=area.local_authority, nhs_number=held_here)
    f.ChildFactory(local_authority=second_area, nhs_number=held_there)
    first = new_child(area, 1, nhs_number=twice)
    repeated = new_child(area, 2, nhs_number=twice[:3] + " " + twice[3:])
    here = new_child(area, 3, nhs_number=held_here)
    there = new_child(area, 4, nhs_number=held_there)
    with pytest.raises(Refused) as refused:
        services.create_many(by=area.officer, children=[first, repeated, here, there])
    codes = {
        record: [e.code for e in error.error_dict["nhs_number"]]
        for record, error in refused.value.problems
    }
    assert codes == {
        repeated: [services.HELD_IN_AREA],
        here: [services.HELD_IN_AREA],
        there: [services.HELD_IN_OTHER_AREA],
    }


def test_a_service_asked_twice_for_one_new_request_is_refused_by_the_constraint(area):
    child = new_child(area)
    request = new_request(child)
    again = new_contribution(request, area.service)
    with pytest.raises(Refused) as refused:
        services.create_many(
            by=area.officer,
            children=[child],
            requests=[request],
            contributions=[new_contribution(request, area.service), again],
        )
    assert problems_of(refused.value) == [
        (again, {"service": ["This service has already been asked for this request."]})
    ]


def test_a_held_child_outside_the_users_scope_cannot_be_given_a_request(area, other_area):
    stranger = f.ChildFactory(local_authority=other_area.local_authority)
    request = new_request(stranger)
    with pytest.raises(Refused) as refused:
        services.create_many(by=area.officer, requests=[request])
    assert problems_of(refused.value) == [
        (request, {"child": ["Choose a child or young person from your own areas"]})
    ]


def test_an_exception_is_recorded_with_who_and_its_date_checked_within_the_six_weeks(area):
    child = new_child(area)
    request = new_request(child)
    fine = new_contribution(
        request,
        area.service,
        exception="missed_appointment",
        exception_evidence="Did not attend",
        exception_on=D(2026, 3, 20),
    )
    outside = f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
    wrong = new_contribution(
        request,
        outside,
        exception="absent_from_area",
        exception_evidence="Away",
        exception_on=D(2026, 1, 1),
    )
    with pytest.raises(Refused) as refused:
        services.create_many(
            by=area.officer, children=[child], requests=[request], contributions=[fine, wrong]
        )
    [(record, messages)] = problems_of(refused.value)
    assert record is wrong and "within the 6 weeks" in messages["exception_on"][0]
    child = new_child(area, 7)
    request = new_request(child)
    fine.request = request
    created = services.create_many(
        by=area.officer, children=[child], requests=[request], contributions=[fine]
    )
    saved = created.contributions[fine]
    assert (saved.exception_recorded_by, saved.exception_on) == (area.officer, D(2026, 3, 20))


def test_children_without_an_nhs_number_are_not_duplicates_of_each_other(area):
    # The constraint holds only for a number given (its condition).
    created = services.create_many(
        by=area.officer,
        children=[new_child(area, 1, nhs_number=""), new_child(area, 2, nhs_number="")],
    )
    assert len(created.children) == 2


def test_a_duplicate_saved_meanwhile_is_a_validation_error_not_a_500(area, monkeypatch):
    """Someone saves the same child between the checks and the insert: the
    database refuses it and the service says so; nothing is kept."""
    f.ChildFactory(local_authority=area.local_authority, la_reference="LA-0", nhs_number="")
    monkeypatch.setattr("ehc.services.bulk.unique_problems", lambda instances: {})
    with pytest.raises(ValidationError) as error:
        services.create_many(by=area.officer, children=[new_child(area, 0)])
    assert error.value.messages == [SAVED_MEANWHILE]
    assert Child.objects.count() == 1


# --- Queries ------------------------------------------------------------------------------


def test_queries_do_not_grow_with_the_number_of_records(area):
    numbers = iter(nhs_numbers(60, 700_000_000))

    def queries(count: int, offset: int) -> int:
        values = case(area, count)
        for n, child in enumerate(values["children"]):
            child.nhs_number = next(numbers)
            child.la_reference = f"Q-{offset + n}"
        with CaptureQueriesContext(connection) as captured:
            services.create_many(by=area.officer, **values)
        return len(captured)

    few, many = queries(10, 0), queries(50, 1000)
    # A few more where SQLite splits an insert (999 parameters to a
    # statement, so 50 wide rows take more statements than 10), never a
    # query per record (that would be 40 more, or several times that).
    assert many - few < 8, (few, many)
    # 19 for the records, 18 for the summary store's buckets (decision 10:
    # one read of the buckets, the area lock, the requests, their
    # contributions, quality reviews and provision, then a delete per table
    # and an insert per table with rows), and up to 22 for the month
    # roll-ups: one read of the months the old rows fell in, then for each
    # month table with months to recompute a delete, a read summed by month
    # and an insert; then England's rows: for each England table whose month
    # rows were recounted, a read of its keys before and after and an insert
    # of what changed, and for England's overdue two reads of the buckets'
    # late rows and an insert (all bounded by the number of tables, not of
    # records). 69 on PostgreSQL since England's rows of services and
    # providers asked (ehc 0035: a read and an insert each).
    assert few <= 72, few
