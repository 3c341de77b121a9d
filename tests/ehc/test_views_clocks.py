"""The clocks through the browser's forms: a review request with its meeting
date, a service the LA asked directly with a return-by date, closing with
advice outstanding, and a recorded year group. Each error is shown beside
its field and nothing already saved is lost."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ehc.models import Child, Contribution, HealthAdviceRequest, LeftOutstanding, RequestStatus
from tests import factories as f
from tests.ehc.helpers import case_in, date_data, login

pytestmark = pytest.mark.django_db

D = datetime.date


def _log(client, child, **extra):
    return client.post(
        reverse("ehc:request_create", args=[child.pk]),
        {
            "process": "annual_review",
            **date_data("sent_on", D(2026, 10, 28)),
            **date_data("received_on", D(2026, 10, 30)),
            **date_data("asked_on", None),
            **date_data("return_by", None),
            **extra,
        },
    )


def test_a_review_request_is_logged_with_its_meeting_date(client, area):
    child = f.ChildFactory(local_authority=area.local_authority)
    login(client, area.officer)
    response = _log(client, child, **date_data("meeting_on", None))
    assert response.status_code == 400
    assert "due 2 weeks before it" in str(response.context["form"].errors["meeting_on"])
    response = _log(
        client, child, services=[area.service.pk], **date_data("meeting_on", D(2026, 12, 10))
    )
    assert response.status_code == 302
    request = HealthAdviceRequest.objects.get(child=child)
    assert request.review.meeting_on == D(2026, 12, 10)
    assert request.due_on == D(2026, 11, 26)
    response = client.get(response["Location"])
    assert "26 November 2026" in response.content.decode()


def test_a_service_the_la_asked_directly_gets_its_own_due_date(client, area, case):
    _, request, _ = case
    service = f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
    login(client, area.officer)
    url = reverse("ehc:contribution_add", args=[request.pk])
    data = {
        "service": service.pk,
        **date_data("asked_on", D(2026, 9, 28)),
        **date_data("received_on", D(2026, 9, 30)),
        **date_data("return_by", D(2026, 11, 12)),  # a day after its due date
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "11 November 2026" in str(response.context["form"].errors["return_by"])
    data |= date_data("return_by", D(2026, 11, 4))
    assert client.post(url, data).status_code == 302
    added = Contribution.objects.get(service=service)
    assert (added.due_on, added.working_due_on) == (D(2026, 11, 11), D(2026, 11, 4))


def test_the_asking_page_changes_the_return_by_date(client, area, case):
    _, _, contribution = case
    login(client, area.officer)
    url = reverse("ehc:contribution_asking", args=[contribution.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": contribution.version,
            **date_data("asked_on", D(2026, 9, 2)),
            **date_data("received_on", None),
            **date_data("return_by", D(2026, 10, 7)),
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.working_due_on == D(2026, 10, 7)


def test_closing_with_advice_outstanding_needs_the_box_ticked(client, area, case):
    _, request, contribution = case
    login(client, area.officer)
    url = reverse("ehc:request_edit", args=[request.pk])
    data = {
        "version": request.version,
        "process": request.process,
        "state": "closed",
        "notes": "The plan is final.",
        **date_data("sent_on", request.sent_on),
        **date_data("received_on", request.received_on),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    errors = response.context["form"].errors["confirm_outstanding"]
    assert contribution.service.name in str(errors)
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING
    response = client.post(url, data | {"confirm_outstanding": "on"})
    assert response.status_code == 302
    request.refresh_from_db()
    contribution.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert request.notes == "The plan is final."
    assert contribution.left_outstanding == LeftOutstanding.CLOSED


def test_an_exception_for_a_missed_appointment_takes_its_date(client, area, case):
    _, _, contribution = case
    login(client, area.officer)
    response = client.post(
        reverse("ehc:contribution_exception", args=[contribution.pk]),
        {
            "version": contribution.version,
            "exception": "missed_appointment",
            "exception_evidence": "Did not attend clinic.",
            **date_data("exception_on", D(2026, 9, 21)),
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.exception_on == D(2026, 9, 21)


def test_a_year_group_is_recorded_on_the_child(client, area):
    child = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2012, 10, 1))
    login(client, area.officer)
    response = client.post(
        reverse("ehc:child_edit", args=[child.pk]),
        {
            "version": child.version,
            "given_name": child.given_name,
            "family_name": child.family_name,
            "local_authority": area.local_authority.pk,
            "primary_need": child.primary_need,
            "year_group": "8",
            **date_data("date_of_birth", child.date_of_birth),
        },
    )
    assert response.status_code == 302
    child = Child.objects.get(pk=child.pk)
    assert child.year_group == 8
    assert child.year_group_recorded_on is not None


def test_a_return_by_date_ahead_of_today_is_accepted(client, area):
    today = timezone.localdate()
    _, request, contribution = case_in(
        area, sent_on=today - datetime.timedelta(days=2), received_on=today
    )
    login(client, area.officer)
    ahead = today + datetime.timedelta(days=28)
    response = client.post(
        reverse("ehc:contribution_asking", args=[contribution.pk]),
        {
            "version": contribution.version,
            **date_data("asked_on", today),
            **date_data("received_on", None),
            **date_data("return_by", ahead),
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert (contribution.working_due_on, contribution.due_on) == (ahead, request.due_on)
