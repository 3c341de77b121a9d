"""Every EHC service called directly with plain values: no form, no client."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from ehc import services
from ehc.models import (
    Advice,
    Child,
    Contribution,
    HealthAdviceRequest,
    MediationCase,
    PersonalHealthBudget,
    QualityReview,
    RequestStatus,
    ReviewInput,
    Section23Notice,
    TribunalCase,
)
from tests import factories as f
from tests.ehc.helpers import (
    ADVICE,
    ROW,
    child_values,
    covering_service,
    edit_values,
    refused,
    request_values,
)

pytestmark = pytest.mark.django_db

D = datetime.date


# --- Children -------------------------------------------------------------------------


def test_create_child_records_who_added_them(area):
    child = services.create_child(by=area.officer, **child_values(area))
    assert Child.objects.get() == child
    assert child.created_by == area.officer


def test_create_child_refuses_over_25_and_a_bad_nhs_number(area):
    old = child_values(area, date_of_birth=D(1990, 1, 1))
    refused(lambda: services.create_child(by=area.officer, **old), "date_of_birth", "up to 25")
    bad = child_values(area, nhs_number="9434765918")
    refused(lambda: services.create_child(by=area.officer, **bad), "nhs_number", "NHS number")
    assert not Child.objects.exists()


def test_update_child_saves_and_refuses_a_stale_edit(area, case):
    child, _, _ = case
    opened = child.version
    services.update_child(
        child=child, values={"given_name": "Robin"}, by=area.officer, expected_version=opened
    )
    assert Child.objects.get(pk=child.pk).given_name == "Robin"
    with pytest.raises(services.StaleEdit):
        services.update_child(
            child=Child.objects.get(pk=child.pk),
            values={"given_name": "Old copy"},
            by=area.officer,
            expected_version=opened,
        )
    assert Child.objects.get(pk=child.pk).given_name == "Robin"


def test_update_child_cannot_move_a_child_with_requests(area, case):
    child, _, _ = case
    elsewhere = f.LocalAuthorityFactory()
    area.officer.local_authorities.add(elsewhere)
    refused(
        lambda: services.update_child(
            child=child,
            values={"local_authority": elsewhere},
            by=area.officer,
            expected_version=child.version,
        ),
        "local_authority",
        "already has requests",
    )


# --- Requests ---------------------------------------------------------------------------


def test_log_request_asks_each_service_and_records_the_author(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    request = services.log_request(
        by=area.officer, services=[area.service], asked_on=None, **request_values(child)
    )
    assert request.created_by == area.officer
    assert request.local_authority == child.local_authority
    assert request.status == RequestStatus.AWAITING
    contribution = request.contributions.get()
    assert (contribution.service, contribution.asked_on) == (area.service, D(2026, 9, 2))
    assert contribution.due_on == request.due_on
    assert contribution.created_by == area.officer


@pytest.mark.parametrize(
    "overrides, field, text",
    [
        ({"received_on": D(2026, 8, 31)}, "received_on", "on or after the date the LA sent"),
        ({"sent_on": D(2013, 9, 1), "received_on": D(2013, 9, 2)}, "sent_on", "2014"),
        ({"asked_on": D(2026, 8, 1)}, "asked_on", "cannot be asked before"),
    ],
    ids=["received before sent", "before EHC plans", "asked before sent"],
)
def test_log_request_refuses_dates_out_of_order(area, overrides, field, text):
    child = f.ChildFactory(local_authority=area.local_authority)
    values = request_values(child, **overrides)
    refused(lambda: services.log_request(by=area.officer, **values), field, text)
    assert not HealthAdviceRequest.objects.exists()


def test_log_request_refuses_a_young_person_over_25(area):
    child = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2000, 1, 1))
    values = request_values(child, sent_on=D(2026, 1, 1), received_on=D(2026, 1, 2))
    refused(lambda: services.log_request(by=area.officer, **values), "received_on", "over 25")


def test_ask_services_adds_contributions(area):
    request = f.HealthAdviceRequestFactory(child__local_authority=area.local_authority)
    created = services.ask_services(
        request=request, services=[area.service], asked_on=D(2026, 9, 3), by=area.officer
    )
    assert [c.service for c in created] == [area.service]
    assert created[0].due_on == request.due_on


def test_add_contribution_and_its_rules(area, case):
    _, request, _ = case
    service = covering_service(area)
    contribution = services.add_contribution(
        request=request, service=service, asked_on=D(2026, 9, 5), by=area.officer
    )
    assert contribution.created_by == area.officer
    assert contribution.due_on == request.due_on
    refused(
        lambda: services.add_contribution(
            request=request,
            service=covering_service(area),
            asked_on=D(2026, 8, 1),
            by=area.officer,
        ),
        "asked_on",
        "1 September 2026",
    )
    request.status = RequestStatus.CLOSED
    with pytest.raises(ValidationError, match="Reopen it"):
        services.add_contribution(
            request=request, service=covering_service(area), asked_on=D(2026, 9, 5), by=area.officer
        )


def test_update_request_moves_every_due_date(area, case):
    _, request, contribution = case
    services.update_request(
        request=request,
        values=edit_values(request, received_on=D(2026, 9, 1)),
        status="open",
        by=area.officer,
        expected_version=request.version,
    )
    contribution.refresh_from_db()
    assert contribution.due_on == contribution.working_due_on == request.due_on == D(2026, 10, 13)


def test_update_request_refuses_a_stale_edit(area, case):
    _, request, _ = case
    opened = request.version
    services.update_request(
        request=request,
        values=edit_values(request, notes="First"),
        status="open",
        by=area.officer,
        expected_version=opened,
    )
    stale = HealthAdviceRequest.objects.get(pk=request.pk)
    with pytest.raises(services.StaleEdit):
        services.update_request(
            request=stale,
            values=edit_values(stale, notes="Second"),
            status="open",
            by=area.officer,
            expected_version=opened,
        )
    assert HealthAdviceRequest.objects.get(pk=request.pk).notes == "First"


def test_a_closed_request_cannot_be_received_after_it_closed(area, case):
    _, request, _ = case
    request.status, request.closed_on = RequestStatus.CLOSED, D(2026, 9, 20)
    request.save()
    refused(
        lambda: services.update_request(
            request=request,
            values=edit_values(request, received_on=D(2026, 9, 25)),
            status=RequestStatus.CLOSED,
            by=area.officer,
            expected_version=request.version,
        ),
        "received_on",
        "was closed on 20 September 2026",
    )


def test_change_status_closes_and_reopens(area, case):
    _, request, _ = case
    services.change_status(
        request=request, to=RequestStatus.WITHDRAWN, by=area.officer, expected_version=1
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert request.closed_on is not None
    services.change_status(request=request, to="open", by=area.officer, expected_version=2)
    request.refresh_from_db()
    assert (request.status, request.closed_on) == (RequestStatus.AWAITING, None)
    refused(
        lambda: services.change_status(
            request=request, to="lost", by=area.officer, expected_version=3
        ),
        "status",
    )


def test_refresh_status_saves_through_the_model_and_is_audited(area, case):
    _, request, contribution = case
    Contribution.objects.filter(pk=contribution.pk).update(
        returned_on=D(2026, 9, 10), outcome="not_known"
    )
    services.refresh_status(request=request, by=area.officer)
    request.refresh_from_db()
    assert request.status == RequestStatus.RETURNED
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(HealthAdviceRequest),
        object_pk=str(request.pk),
        action=LogEntry.Action.UPDATE,
    )
    assert any("status" in (entry.changes_dict or {}) for entry in entries)


# --- Contributions ---------------------------------------------------------------------------


def test_record_return_saves_and_refreshes_the_request(area, case):
    _, request, contribution = case
    services.record_return(
        contribution=contribution,
        returned_on=D(2026, 9, 20),
        outcome="no_health_needs",
        declined_reason="ignored unless declined",
        by=area.practitioner,
        expected_version=contribution.version,
    )
    contribution.refresh_from_db()
    request.refresh_from_db()
    assert (contribution.outcome, contribution.declined_reason) == ("no_health_needs", "")
    assert request.status == RequestStatus.RETURNED


@pytest.mark.parametrize(
    "values, field",
    [
        ({"returned_on": D(2026, 10, 20), "outcome": "not_known"}, "late_reason"),
        (
            {"returned_on": D(2026, 10, 20), "outcome": "not_known", "late_reason": "other"},
            "late_note",
        ),
        ({"returned_on": D(2026, 9, 20), "outcome": "declined"}, "declined_reason"),
        ({"returned_on": D(2026, 9, 1), "outcome": "not_known"}, "returned_on"),
    ],
    ids=["late, no reason", "other, no note", "declined, no reason", "before asked"],
)
def test_record_return_rules(area, case, values, field):
    _, _, contribution = case
    refused(
        lambda: services.record_return(
            contribution=contribution,
            by=area.practitioner,
            expected_version=contribution.version,
            **values,
        ),
        field,
    )
    assert Contribution.objects.get(pk=contribution.pk).returned_on is None


def test_record_return_refuses_a_stale_edit(area, case):
    _, _, contribution = case
    with pytest.raises(services.StaleEdit):
        services.record_return(
            contribution=contribution,
            returned_on=D(2026, 9, 20),
            outcome="not_known",
            by=area.practitioner,
            expected_version=contribution.version + 1,
        )


def test_record_exception_records_who_and_clears(area, case):
    _, _, contribution = case
    services.record_exception(
        contribution=contribution,
        exception="absent_from_area",
        evidence="Away five weeks.",
        exception_on=D(2026, 9, 10),
        by=area.officer,
        expected_version=contribution.version,
    )
    contribution.refresh_from_db()
    assert contribution.exception_recorded_by == area.officer
    assert contribution.exception_recorded_at is not None
    refused(
        lambda: services.record_exception(
            contribution=contribution,
            exception="missed_appointment",
            evidence=" ",
            by=area.officer,
            expected_version=contribution.version,
        ),
        "exception_evidence",
    )
    contribution.refresh_from_db()
    services.record_exception(
        contribution=contribution,
        exception="",
        evidence="ignored",
        by=area.officer,
        expected_version=contribution.version,
    )
    contribution.refresh_from_db()
    assert (contribution.exception, contribution.exception_evidence) == ("", "")
    assert contribution.exception_recorded_by is None


# --- Advice and quality -------------------------------------------------------------------------


def test_save_advice_saves_rows_and_records_the_return(area, case):
    _, request, contribution = case
    advice = services.save_advice(
        contribution=contribution, values=ADVICE, provision=[ROW], by=area.practitioner
    )
    assert advice.created_by == area.practitioner
    assert [p.description for p in advice.provision.all()] == ["Language group"]
    contribution.refresh_from_db()
    assert (contribution.returned_on, contribution.outcome) == (D(2026, 10, 1), "advice_given")
    request.refresh_from_db()
    assert request.status == RequestStatus.RETURNED


def test_save_advice_adds_rows_after_and_removes_rows(area, case):
    _, _, contribution = case
    advice = f.AdviceFactory(contribution=contribution)
    first = f.ProvisionItemFactory(advice=advice, position=1)
    second = f.ProvisionItemFactory(advice=advice, position=2)
    services.save_advice(
        contribution=contribution,
        values={},
        provision=[{"id": first.pk, "delete": True}, ROW],
        by=area.practitioner,
        expected_version=advice.version,
    )
    rows = list(advice.provision.order_by("position"))
    assert [(r.pk, r.position) for r in rows[:1]] == [(second.pk, 2)]
    assert (rows[1].description, rows[1].position) == ("Language group", 3)


def test_save_advice_rules(area, case):
    _, _, contribution = case
    late = ADVICE | {"written_on": contribution.due_on + datetime.timedelta(days=1)}
    refused(
        lambda: services.save_advice(contribution=contribution, values=late, by=area.practitioner),
        "written_on",
        "Record the return first",
    )
    Contribution.objects.filter(pk=contribution.pk).update(
        returned_on=D(2026, 9, 5), outcome="not_known"
    )
    contribution.refresh_from_db()
    with pytest.raises(ValidationError, match="Advice given"):
        services.save_advice(contribution=contribution, values=ADVICE, by=area.practitioner)
    assert not Advice.objects.exists()


def test_save_review_scores_rates_and_records_the_reviewer(area, case):
    _, _, contribution = case
    advice = f.AdviceFactory(contribution=contribution)
    met = ["dated_recently", "author_named", "jargon_free", "child_views", "outcomes_smart"]
    review = services.save_review(
        advice=advice, reviewed_on=D(2026, 10, 5), criteria=met, by=area.officer
    )
    assert (review.score, review.rating, review.reviewer) == (5, "amber", area.officer)
    refused(
        lambda: services.save_review(
            advice=advice,
            reviewed_on=D(2026, 9, 1),
            criteria=[],
            by=area.officer,
            expected_version=review.version,
        ),
        "reviewed_on",
        "before the advice was written",
    )
    assert QualityReview.objects.get().score == 5


# --- Records about a child ---------------------------------------------------------


def test_save_child_record_section_23_age_rule(area, case):
    child, _, _ = case  # school age from 1 September 2021
    values = {
        "provider": area.provider,
        "professional_name": "Health visitor",
        "parent_told_on": D(2022, 1, 10),
    }
    refused(
        lambda: services.save_child_record(
            record=Section23Notice(), child=child, values=values, by=area.officer
        ),
        "parent_told_on",
        "compulsory school age",
    )
    values["parent_told_on"] = D(2020, 1, 10)
    notice = services.save_child_record(
        record=Section23Notice(), child=child, values=values, by=area.officer
    )
    assert (notice.child, notice.created_by) == (child, area.officer)


@pytest.mark.parametrize(
    "model, values, field",
    [
        (
            Section23Notice,
            {
                "professional_name": "HV",
                "parent_told_on": D(2020, 1, 10),
                "la_notified_on": D(2020, 1, 9),
            },
            "la_notified_on",
        ),
        (
            ReviewInput,
            {"meeting_on": D(2026, 3, 1), "invited_on": D(2026, 3, 2)},
            "invited_on",
        ),
        (
            ReviewInput,
            {"meeting_on": datetime.date.today() + datetime.timedelta(days=9), "attended": True},
            "attended",
        ),
        (
            MediationCase,
            {
                "requested_on": D(2026, 3, 2),
                "body_notified_on": D(2026, 3, 1),
                "health_issues": "x",
            },
            "body_notified_on",
        ),
        (
            MediationCase,
            {"requested_on": D(2026, 3, 2), "arranged_on": D(2026, 3, 1), "health_issues": "x"},
            "arranged_on",
        ),
        (
            TribunalCase,
            {"registered_on": D(2026, 3, 2), "decision_on": D(2026, 3, 1), "health_issues": "x"},
            "decision_on",
        ),
        (
            TribunalCase,
            {
                "registered_on": D(2017, 1, 2),
                "decision_on": D(2018, 1, 1),
                "health_issues": "x",
                "recommendations": "More therapy",
            },
            "recommendations",
        ),
        (
            TribunalCase,
            {
                "registered_on": D(2026, 1, 2),
                "health_issues": "x",
                "response_sent_on": D(2026, 3, 1),
            },
            "recommendations_received_on",
        ),
        (
            TribunalCase,
            {
                "registered_on": D(2026, 1, 2),
                "health_issues": "x",
                "recommendations_received_on": D(2026, 3, 2),
                "response_sent_on": D(2026, 3, 1),
            },
            "response_sent_on",
        ),
    ],
)
def test_save_child_record_date_rules(area, case, model, values, field):
    child, _, _ = case
    if model is Section23Notice:
        values = values | {"provider": area.provider}
    refused(
        lambda: services.save_child_record(
            record=model(), child=child, values=values, by=area.officer
        ),
        field,
    )
    assert not model.objects.exists()


def test_save_child_record_edit_is_versioned(area, case):
    child, _, _ = case
    budget = services.save_child_record(
        record=PersonalHealthBudget(),
        child=child,
        values={"considered_on": D(2026, 1, 5)},
        by=area.officer,
    )
    assert budget.created_by == area.officer
    services.save_child_record(
        record=budget,
        child=child,
        values={"outcome": "agreed"},
        by=area.officer,
        expected_version=1,
    )
    with pytest.raises(services.StaleEdit):
        services.save_child_record(
            record=budget, child=child, values={"notes": "old"}, by=area.officer, expected_version=1
        )
    assert PersonalHealthBudget.objects.get().outcome == "agreed"


def test_save_versioned_marks_the_author_and_refuses_a_stale_edit(area, case):
    child, _, _ = case
    mediation = services.save_versioned(
        instance=MediationCase(child=child),
        values={"requested_on": D(2026, 2, 27), "health_issues": "Speech"},
        by=area.officer,
    )
    assert mediation.created_by == area.officer
    with pytest.raises(services.StaleEdit):
        services.save_versioned(
            instance=mediation, values={"outcome": "x"}, by=area.officer, expected_version=None
        )
