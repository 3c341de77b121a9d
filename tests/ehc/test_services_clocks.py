"""Each contribution's own clock, the internal return-by date, review
requests due before their meeting, the left-outstanding marker, the dates a
reg 8(2) exception needs, and the date cross-checks (issue: figures a board
can trust). Hand-worked dates throughout: the case's request was sent on 1
September 2026 and received on Wednesday 2 September, so it is due on
Wednesday 14 October 2026."""

from __future__ import annotations

import datetime

import pytest

from ehc import services
from ehc.models import (
    Child,
    Contribution,
    HealthAdviceRequest,
    LeftOutstanding,
    Outcome,
    RequestStatus,
    ReviewInput,
)
from tests import factories as f
from tests.ehc.helpers import covering_service, edit_values, refused, request_values

pytestmark = pytest.mark.django_db

D = datetime.date


def _fresh(model, pk):
    return model.objects.get(pk=pk)


# --- Each service's own due date ---------------------------------------------------------


def test_a_service_the_la_asked_directly_is_due_six_weeks_from_its_own_receipt(area, case):
    _, request, first = case
    later = services.add_contribution(
        request=request,
        service=covering_service(area),
        asked_on=D(2026, 9, 28),
        received_on=D(2026, 9, 30),
        by=area.officer,
    )
    assert first.due_on == request.due_on == D(2026, 10, 14)
    assert later.due_on == later.working_due_on == D(2026, 11, 11)


def test_a_later_service_health_asked_shares_the_request_due_date(area, case):
    _, request, _ = case
    later = services.add_contribution(
        request=request, service=covering_service(area), asked_on=D(2026, 9, 28), by=area.officer
    )
    assert later.due_on == D(2026, 10, 14)


def test_health_cannot_ask_before_it_received_the_request(area, case):
    _, request, _ = case
    service = covering_service(area)
    refused(
        lambda: services.add_contribution(
            request=request, service=service, asked_on=D(2026, 9, 1), by=area.officer
        ),
        "asked_on",
        "before it received the request",
    )
    # The LA itself may have asked the service the day it sent the request.
    direct = services.add_contribution(
        request=request,
        service=service,
        asked_on=D(2026, 9, 1),
        received_on=D(2026, 9, 1),
        by=area.officer,
    )
    assert direct.due_on == D(2026, 10, 13)


def test_a_service_cannot_receive_the_request_before_it_was_asked(area, case):
    _, request, _ = case
    refused(
        lambda: services.add_contribution(
            request=request,
            service=covering_service(area),
            asked_on=D(2026, 9, 10),
            received_on=D(2026, 9, 9),
            by=area.officer,
        ),
        "received_on",
        "before it was asked",
    )


def test_the_return_by_date_is_between_asking_and_the_due_date(area, case):
    _, request, contribution = case

    def ask(return_by):
        return services.update_asking(
            contribution=_fresh(Contribution, contribution.pk),
            values={"return_by": return_by},
            by=area.officer,
            expected_version=_fresh(Contribution, contribution.pk).version,
        )

    refused(lambda: ask(D(2026, 10, 15)), "return_by", "on or before the statutory due date")
    refused(lambda: ask(D(2026, 9, 1)), "return_by", "on or after the day it was asked")
    saved = ask(D(2026, 10, 7))
    assert (saved.return_by, saved.working_due_on, saved.due_on) == (
        D(2026, 10, 7),
        D(2026, 10, 7),
        D(2026, 10, 14),
    )
    # Taking it away puts the working date back on the due date.
    assert ask(None).working_due_on == D(2026, 10, 14)


def test_log_request_asks_every_service_to_return_by_one_date(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    request = services.log_request(
        **request_values(child),
        services=[area.service],
        return_by=D(2026, 10, 7),
        by=area.officer,
    )
    contribution = request.contributions.get()
    assert (contribution.working_due_on, contribution.due_on) == (D(2026, 10, 7), D(2026, 10, 14))
    refused(
        lambda: services.log_request(
            **request_values(child, la_reference="R2"),
            services=[area.service],
            return_by=D(2026, 10, 15),
            by=area.officer,
        ),
        "return_by",
        "14 October 2026",
    )


# --- Review requests ----------------------------------------------------------------------


def test_a_review_request_needs_its_meeting_date(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    refused(
        lambda: services.log_request(
            **request_values(child, process="annual_review"), by=area.officer
        ),
        "meeting_on",
        "due 2 weeks before it",
    )
    assert not HealthAdviceRequest.objects.exists()
    assert not ReviewInput.objects.exists()


def test_a_review_request_is_due_two_weeks_before_the_meeting_on_one_review_record(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    first = services.log_request(
        **request_values(child, process="annual_review"),
        meeting_on=D(2026, 11, 26),
        services=[area.service],
        by=area.officer,
    )
    # A second request for the same meeting links to the same review record.
    second = services.log_request(
        **request_values(child, process="annual_review", la_reference="B"),
        meeting_on=D(2026, 11, 26),
        by=area.officer,
    )
    review = ReviewInput.objects.get()
    assert first.review == second.review == review
    assert review.meeting_on == D(2026, 11, 26)
    assert first.due_on == first.contributions.get().due_on == D(2026, 11, 12)


def test_moving_the_review_meeting_moves_the_advice_due_dates(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    request = services.log_request(
        **request_values(child, process="phase_transfer"),
        meeting_on=D(2026, 11, 26),
        services=[area.service],
        by=area.officer,
    )
    review = request.review
    services.save_child_record(
        record=review,
        child=child,
        values={"meeting_on": D(2026, 12, 3)},
        by=area.officer,
        expected_version=review.version,
    )
    request.refresh_from_db()
    assert request.due_on == request.contributions.get().due_on == D(2026, 11, 19)


def test_only_a_review_request_links_a_review(area, case):
    child, request, _ = case
    review = ReviewInput.objects.create(child=child, meeting_on=D(2026, 11, 26))
    request.review = review
    refused(lambda: request.full_clean(), "review", "annual or phase transfer review")


# --- Left outstanding at closure or withdrawal ------------------------------------------------


def _set_status(request, to, by, **kwargs):
    request = _fresh(HealthAdviceRequest, request.pk)
    return services.change_status(
        request=request, to=to, by=by, expected_version=request.version, **kwargs
    )


def test_closing_with_advice_outstanding_asks_for_confirmation_and_marks_it(area, case):
    _, request, contribution = case
    refused(
        lambda: _set_status(request, "closed", area.officer),
        "confirm_outstanding",
        f"Not returned yet: {contribution.service.name}",
    )
    assert _fresh(HealthAdviceRequest, request.pk).status == RequestStatus.AWAITING
    _set_status(request, "closed", area.officer, confirm_outstanding=True)
    assert _fresh(Contribution, contribution.pk).left_outstanding == LeftOutstanding.CLOSED
    assert not Contribution.objects.outstanding().exists()
    _set_status(request, "open", area.officer)
    assert _fresh(Contribution, contribution.pk).left_outstanding == ""
    assert Contribution.objects.outstanding().count() == 1


def test_withdrawal_needs_no_confirmation_and_a_later_return_clears_the_mark(area, case):
    _, request, contribution = case
    _set_status(request, "withdrawn", area.officer)
    contribution = _fresh(Contribution, contribution.pk)
    assert contribution.left_outstanding == LeftOutstanding.WITHDRAWN
    services.record_return(
        contribution=contribution,
        returned_on=D(2026, 10, 1),
        outcome=Outcome.NO_HEALTH_NEEDS,
        by=area.practitioner,
        expected_version=contribution.version,
    )
    assert _fresh(Contribution, contribution.pk).left_outstanding == ""


def test_a_returned_service_is_never_marked(area, case):
    _, request, contribution = case
    services.record_return(
        contribution=contribution,
        returned_on=D(2026, 10, 1),
        outcome=Outcome.NO_HEALTH_NEEDS,
        by=area.practitioner,
        expected_version=contribution.version,
    )
    _set_status(request, "closed", area.officer)  # nothing outstanding: no confirmation
    assert _fresh(Contribution, contribution.pk).left_outstanding == ""


# --- Exceptions -------------------------------------------------------------------------


def _except(contribution, by, exception, exception_on=None):
    contribution = _fresh(Contribution, contribution.pk)
    return services.record_exception(
        contribution=contribution,
        exception=exception,
        evidence="Letter from the family.",
        exception_on=exception_on,
        by=by,
        expected_version=contribution.version,
    )


@pytest.mark.parametrize(
    "exception,what", [("absent_from_area", "the absence began"), ("missed_appointment", "of the")]
)
def test_b_and_c_need_a_date_within_the_six_weeks(area, case, exception, what):
    _, _, contribution = case
    refused(lambda: _except(contribution, area.officer, exception), "exception_on", what)
    refused(
        lambda: _except(contribution, area.officer, exception, D(2026, 10, 15)),
        "exception_on",
        "between 2 September 2026 and 14 October 2026",
    )
    refused(
        lambda: _except(contribution, area.officer, exception, D(2026, 9, 1)),
        "exception_on",
        "within the 6 weeks",
    )
    saved = _except(contribution, area.officer, exception, D(2026, 10, 14))
    assert saved.exception_on == D(2026, 10, 14)


def test_a_needs_no_date_and_keeps_none(area, case):
    _, _, contribution = case
    saved = _except(contribution, area.officer, "exceptional_circumstances", D(2026, 9, 10))
    assert saved.exception_on is None


def test_lawfully_late_once_past_due(area, case):
    _, _, contribution = case
    saved = _except(contribution, area.officer, "missed_appointment", D(2026, 9, 20))
    assert saved.exception_letter == "c"
    assert not saved.lawfully_late(D(2026, 10, 14))
    assert saved.lawfully_late(D(2026, 10, 15))


# --- Dates that cannot be true ----------------------------------------------------------


def test_receipt_cannot_move_after_a_service_health_asked_was_asked(area, case):
    _, request, _ = case
    refused(
        lambda: services.update_request(
            request=request,
            values=edit_values(request, received_on=D(2026, 9, 3)),
            status="open",
            by=area.officer,
            expected_version=request.version,
        ),
        "received_on",
        "Health asked a service for advice on 2 September 2026",
    )


def test_receipt_may_follow_a_service_the_la_asked_directly(area, case):
    _, request, contribution = case
    Contribution.objects.filter(pk=contribution.pk).update(received_on=D(2026, 9, 2))
    request = _fresh(HealthAdviceRequest, request.pk)
    services.update_request(
        request=request,
        values=edit_values(request, received_on=D(2026, 9, 3)),
        status="open",
        by=area.officer,
        expected_version=request.version,
    )
    request.refresh_from_db()
    contribution.refresh_from_db()
    # The request moves; the service the LA asked keeps its own clock.
    assert (request.due_on, contribution.due_on) == (D(2026, 10, 15), D(2026, 10, 14))


def test_a_return_cannot_come_before_the_advice_it_carries(area, case):
    _, _, contribution = case
    f.AdviceFactory(contribution=contribution, written_on=D(2026, 10, 1))
    contribution = _fresh(Contribution, contribution.pk)
    refused(
        lambda: services.record_return(
            contribution=contribution,
            returned_on=D(2026, 9, 30),
            outcome=Outcome.ADVICE_GIVEN,
            by=area.practitioner,
            expected_version=contribution.version,
        ),
        "returned_on",
        "before its advice was written (1 October 2026)",
    )


# --- Reviews and year groups ---------------------------------------------------------------


def test_the_next_review_runs_from_the_la_decision_else_the_meeting(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    review = ReviewInput(child=child, meeting_on=D(2026, 2, 10))
    assert review.next_review_due == D(2027, 2, 9)
    review.decision_on = D(2026, 3, 2)
    assert review.reviewed_on == D(2026, 3, 2)
    assert review.next_review_due == D(2027, 3, 1)
    assert review.decision_due == D(2026, 3, 10)
    review.decision_on = D(2026, 2, 9)
    refused(review.full_clean, "decision_on", "on or after the day of the meeting")


def test_a_recorded_year_group_is_dated_and_moves_up(area):
    child = services.create_child(
        local_authority=area.local_authority,
        given_name="Ana",
        family_name="Example",
        date_of_birth=D(2012, 10, 1),  # year 9 for their age from September 2026
        year_group=8,
        by=area.officer,
    )
    child = _fresh(Child, child.pk)
    assert child.year_group_recorded_on is not None
    recorded = child.year_group_recorded_on
    next_september = D(recorded.year + (recorded.month >= 9), 9, 1)
    assert child.year_group_on(recorded) == 8
    assert not child.preparing_for_adulthood(recorded)
    assert child.year_group_on(next_september) == 9
    assert child.preparing_for_adulthood(next_september)
    child.year_group = None
    child.save()
    assert child.year_group_recorded_on is None
    assert child.year_group_on(D(2026, 9, 1)) == 9
