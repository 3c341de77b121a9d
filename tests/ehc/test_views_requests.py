"""The EHC casework screens. Adding a child and logging, changing and closing a request."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ehc import clock
from ehc.models import (
    Child,
    Contribution,
    HealthAdviceRequest,
    RequestStatus,
)
from tests import factories as f
from tests.ehc.helpers import child_post, date_data, login

pytestmark = pytest.mark.django_db


# --- Logging a request -------------------------------------------------------------------------


def test_officer_adds_a_child_then_logs_a_request(client, area):
    login(client, area.officer)
    response = client.post(reverse("ehc:child_create"), child_post(area))
    child = Child.objects.get(family_name="Example")
    assert response.status_code == 302
    assert response["Location"] == reverse("ehc:request_create", args=[child.pk])
    assert child.nhs_number == "9434765919"
    assert child.created_by == area.officer

    received = datetime.date(2026, 10, 30)
    response = client.post(
        reverse("ehc:request_create", args=[child.pk]),
        {
            "process": "needs_assessment",
            "services": [area.service.pk],
            "owner": area.officer.pk,
            **date_data("sent_on", datetime.date(2026, 10, 28)),
            **date_data("received_on", received),
            **date_data("asked_on", None),
        },
    )
    request = HealthAdviceRequest.objects.get(child=child)
    assert response.status_code == 302
    assert request.due_on == clock.health_advice_due(received) == datetime.date(2026, 12, 11)
    contribution = request.contributions.get()
    assert contribution.service == area.service
    assert contribution.asked_on == received
    assert contribution.due_on == request.due_on
    assert request.status == RequestStatus.AWAITING


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", "NHS number"),
        ({"given_name": ""}, "given_name", "Enter the first name"),
        (date_data("date_of_birth", datetime.date(1990, 1, 1)), "date_of_birth", "up to 25"),
        (
            {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2020"},
            "date_of_birth",
            "real date",
        ),
        (
            {"date_of_birth_0": "x", "date_of_birth_1": "y", "date_of_birth_2": "z"},
            "date_of_birth",
            "",
        ),
        (
            date_data("date_of_birth", datetime.date.today() + datetime.timedelta(days=3)),
            "date_of_birth",
            "future",
        ),
        ({"local_authority": "999999"}, "local_authority", "Choose a local authority"),
    ],
    ids=["nhs checksum", "no name", "over 25", "31 February", "letters", "future", "other LA"],
)
def test_child_form_refuses_bad_input(client, area, other_area, overrides, field, message):
    login(client, area.officer)
    response = client.post(reverse("ehc:child_create"), child_post(area, **overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not Child.objects.exists()


def test_child_form_refuses_another_areas_local_authority(client, area, other_area):
    login(client, area.officer)
    data = child_post(area, local_authority=other_area.local_authority.pk)
    assert client.post(reverse("ehc:child_create"), data).status_code == 400
    assert not Child.objects.exists()


def test_same_nhs_number_twice_in_one_la_is_refused(client, area):
    f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    login(client, area.officer)
    response = client.post(reverse("ehc:child_create"), child_post(area))
    assert response.status_code == 400
    assert Child.objects.count() == 1
    assert "already recorded" in response.context["form"].errors["nhs_number"][0]


def test_the_sent_date_cannot_move_after_a_service_was_asked(client, area, case):
    _, request, _ = case  # asked on 2 September 2026
    login(client, area.officer)
    response = client.post(
        reverse("ehc:request_edit", args=[request.pk]),
        {
            "version": request.version,
            "process": request.process,
            "state": "open",
            **date_data("sent_on", datetime.date(2026, 9, 5)),
            **date_data("received_on", datetime.date(2026, 9, 5)),
        },
    )
    assert response.status_code == 400
    assert "2 September 2026" in response.context["form"].errors["sent_on"][0]
    request.refresh_from_db()
    assert request.sent_on == datetime.date(2026, 9, 1)


def test_request_received_before_sent_is_refused(client, area, case):
    child, _, _ = case
    login(client, area.officer)
    response = client.post(
        reverse("ehc:request_create", args=[child.pk]),
        {
            "process": "needs_assessment",
            **date_data("sent_on", datetime.date(2026, 10, 28)),
            **date_data("received_on", datetime.date(2026, 10, 27)),
        },
    )
    assert response.status_code == 400
    assert "on or after the date the LA sent it" in response.content.decode()
    assert child.requests.count() == 1


def test_changing_receipt_moves_every_due_date(client, area, case):
    _, request, contribution = case
    login(client, area.officer)
    new_receipt = datetime.date(2026, 9, 1)
    response = client.post(
        reverse("ehc:request_edit", args=[request.pk]),
        {
            "version": request.version,
            "process": request.process,
            "state": "open",
            **date_data("sent_on", request.sent_on),
            **date_data("received_on", new_receipt),
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    contribution.refresh_from_db()
    assert request.due_on == contribution.due_on == clock.health_advice_due(new_receipt)


def test_a_stale_edit_is_refused_and_nothing_is_lost(client, area, case):
    _, request, _ = case
    login(client, area.officer)
    opened_version = request.version
    data = {
        "version": opened_version,
        "process": request.process,
        "state": "open",
        "notes": "First person's note",
        **date_data("sent_on", request.sent_on),
        **date_data("received_on", request.received_on),
    }
    assert client.post(reverse("ehc:request_edit", args=[request.pk]), data).status_code == 302
    data["notes"] = "Second person's note, from the old copy"
    response = client.post(reverse("ehc:request_edit", args=[request.pk]), data)
    assert response.status_code == 400
    assert "Someone else saved changes" in response.content.decode()
    request.refresh_from_db()
    assert request.notes == "First person's note"


def test_closing_a_request_records_the_date(client, area, case):
    _, request, _ = case
    login(client, area.officer)
    client.post(
        reverse("ehc:request_edit", args=[request.pk]),
        {
            "version": request.version,
            "process": request.process,
            "state": "withdrawn",
            **date_data("sent_on", request.sent_on),
            **date_data("received_on", request.received_on),
        },
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert request.closed_on == datetime.date.today()


def test_practitioner_sees_only_their_own_services_part_of_a_request(client, area, case):
    _, request, mine = case
    other_service = f.ServiceFactory()
    other_service.local_authorities.set([area.local_authority])
    theirs = f.ContributionFactory(request=request, service=other_service)
    f.AdviceFactory(contribution=theirs, needs="Another service's confidential findings.")
    f.AdviceFactory(contribution=mine, needs="Our own findings.")
    login(client, area.practitioner)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Our own findings." in page
    assert "confidential findings" not in page
    assert other_service.name not in page
    login(client, area.officer)
    assert "confidential findings" in client.get(request.get_absolute_url()).content.decode()


def test_child_with_requests_cannot_move_local_authority(client, area, case):
    child, _, _ = case
    second = f.LocalAuthorityFactory()
    area.officer.local_authorities.add(second)
    login(client, area.officer)
    data = child_post(area, local_authority=second.pk, nhs_number="", version=child.version)
    data.update(date_data("date_of_birth", child.date_of_birth))
    response = client.post(reverse("ehc:child_edit", args=[child.pk]), data)
    assert response.status_code == 400
    assert "already has requests" in response.content.decode()
    child.refresh_from_db()
    assert child.local_authority == area.local_authority


@pytest.mark.parametrize(
    "url_name, method",
    [("ehc:audit_sample", "get"), ("ehc:child_create", "post")],
)
def test_an_absurd_year_is_a_message_not_a_server_error(client, area, url_name, method):
    login(client, area.officer)
    data = {
        "start_0": "1",
        "start_1": "1",
        "start_2": "9" * 25,
        "end_0": "1",
        "end_1": "1",
        "end_2": "2026",
        "size": "3",
        **child_post(area),
        "date_of_birth_2": "9" * 25,
    }
    response = getattr(client, method)(reverse(url_name), data)
    assert response.status_code == 400


@pytest.mark.parametrize("service", [str(2**63), str(-(2**63) - 1)])
def test_a_service_id_beyond_any_key_is_a_message_not_a_server_error(client, area, service):
    # Found by tests/test_fuzz.py: SQLite raised OverflowError on 2**63.
    child = f.ChildFactory(local_authority=area.local_authority)
    login(client, area.officer)
    response = client.post(
        reverse("ehc:request_create", args=[child.pk]),
        {
            "process": "needs_assessment",
            "services": [area.service.pk, service],
            **date_data("sent_on", datetime.date(2026, 10, 28)),
            **date_data("received_on", datetime.date(2026, 10, 30)),
        },
    )
    assert response.status_code == 400
    assert "is not one of the available choices" in response.content.decode()
    assert not HealthAdviceRequest.objects.filter(child=child).exists()


def test_a_closed_request_cannot_be_received_after_it_closed(client, area, case):
    _, request, _ = case
    HealthAdviceRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.CLOSED, closed_on=datetime.date(2026, 9, 20)
    )
    request.refresh_from_db()
    login(client, area.officer)
    response = client.post(
        reverse("ehc:request_edit", args=[request.pk]),
        {
            "version": request.version,
            "process": request.process,
            "state": "closed",
            **date_data("sent_on", request.sent_on),
            **date_data("received_on", datetime.date(2026, 9, 25)),
        },
    )
    assert response.status_code == 400
    assert "was closed on 20 September 2026" in response.content.decode()


def test_a_closed_request_cannot_ask_more_services(client, area, case):
    _, request, _ = case
    HealthAdviceRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.CLOSED, closed_on=datetime.date(2026, 10, 1)
    )
    login(client, area.officer)
    response = client.get(reverse("ehc:contribution_add", args=[request.pk]), follow=True)
    assert response.redirect_chain[0][0] == request.get_absolute_url()
    assert "Reopen it to ask another service" in response.content.decode()


# --- What the request page says about each service's dates ------------------------------


def _text(response) -> str:
    """The page's text with the markup's line breaks and indents squeezed."""
    return " ".join(response.content.decode().split())


def dated_request(area):
    """A needs assessment health received on 5 October 2026 (due 16 November),
    asking two services:

    - ``excepted``: asked by health on 5 October, due 16 November, with a
      reg 8(2)(c) exception (a missed appointment on 20 October);
    - ``direct``: asked by the LA directly on 12 October, received by the
      service on 14 October, so due 25 November (14 October + 6 weeks),
      asked to return by 20 November.
    """
    child = f.ChildFactory(local_authority=area.local_authority)
    request = f.HealthAdviceRequestFactory(
        child=child,
        sent_on=datetime.date(2026, 10, 1),
        received_on=datetime.date(2026, 10, 5),
        owner=area.officer,
    )
    excepted = f.ContributionFactory(
        request=request,
        service=area.service,
        asked_on=datetime.date(2026, 10, 5),
        exception="missed_appointment",
        exception_evidence="Clinic letter: did not attend.",
        exception_on=datetime.date(2026, 10, 20),
    )
    other = f.ServiceFactory(
        provider=area.provider, local_authorities=[area.local_authority], name="Audiology"
    )
    direct = f.ContributionFactory(
        request=request,
        service=other,
        asked_on=datetime.date(2026, 10, 12),
        received_on=datetime.date(2026, 10, 14),
        return_by=datetime.date(2026, 11, 20),
    )
    return request, excepted, direct


def test_request_page_shows_each_services_own_dates(client, area, today_is):
    today_is(datetime.date(2026, 11, 23))
    request, excepted, direct = dated_request(area)
    assert request.due_on == excepted.due_on == datetime.date(2026, 11, 16)
    assert direct.due_on == datetime.date(2026, 11, 25)
    login(client, area.officer)
    page = _text(client.get(request.get_absolute_url()))
    assert "received from the LA on 14 October 2026 (its 6 weeks run from then)" in page
    assert "<strong>25 November 2026</strong>" in page
    assert "Asked to return by 20 November 2026" in page
    # Past the return-by date, not yet past the statutory one: not overdue.
    assert "3 days past return-by" in page
    # Past its due date with reg 8(2)(c) recorded: late, lawfully, not red.
    assert (
        '<strong class="govuk-tag govuk-tag--purple">Late: lawful exception (reg 8(2)(c))</strong>'
        in page
    )
    assert "Missed the appointment on 20 October 2026" in page
    assert "overdue" not in page
    assert "govuk-tag--red" not in page
    # The request's own tag: nothing is overdue without an exception.
    purple = '<strong class="govuk-tag govuk-tag--purple">Late: lawful exception</strong>'
    assert f"Request {request.reference} {purple}" in page
    for contribution in (excepted, direct):
        assert reverse("ehc:contribution_asking", args=[contribution.pk]) in page


def test_a_lawful_exception_stops_only_the_red_tag_not_the_clock(client, area, today_is):
    """Without the exception the same service is 7 days overdue (16 to 23
    November); with it, late: lawful exception."""
    today_is(datetime.date(2026, 11, 23))
    request, excepted, _ = dated_request(area)
    Contribution.objects.filter(pk=excepted.pk).update(exception="", exception_on=None)
    login(client, area.officer)
    page = _text(client.get(request.get_absolute_url()))
    assert '<strong class="govuk-tag govuk-tag--red">7 days overdue</strong>' in page
    assert "Late: lawful exception" not in page


def test_only_designated_officers_can_change_how_a_service_was_asked(client, area, today_is):
    today_is(datetime.date(2026, 11, 23))
    request, excepted, _ = dated_request(area)
    link = reverse("ehc:contribution_asking", args=[excepted.pk])
    for user in (area.practitioner, area.la_officer):
        login(client, user)
        page = client.get(request.get_absolute_url()).content.decode()
        assert link not in page
        assert "Change how it was asked" not in page
    login(client, area.officer)
    assert "Change how it was asked" in client.get(request.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "state, words", [("withdrawn", "withdrawn"), ("closed", "closed")], ids=["withdrawn", "closed"]
)
def test_a_service_left_outstanding_says_so_instead_of_overdue(
    client, area, case, today_is, state, words
):
    today_is(datetime.date(2026, 11, 23))  # 40 days after the due date, 14 October
    _, request, contribution = case
    login(client, area.officer)
    response = client.post(
        reverse("ehc:request_edit", args=[request.pk]),
        {
            "version": request.version,
            "process": request.process,
            "state": state,
            "confirm_outstanding": "on",
            **date_data("sent_on", request.sent_on),
            **date_data("received_on", request.received_on),
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.left_outstanding == state
    page = _text(client.get(request.get_absolute_url()))
    assert f"Not returned: request {words}" in page
    assert "overdue" not in page


def test_closing_with_services_outstanding_shows_the_confirmation_beside_its_error(
    client, area, case
):
    _, request, _ = case
    login(client, area.officer)
    response = client.post(
        reverse("ehc:request_edit", args=[request.pk]),
        {
            "version": request.version,
            "process": request.process,
            "state": "closed",
            **date_data("sent_on", request.sent_on),
            **date_data("received_on", request.received_on),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    # The error summary links to the checkbox itself...
    assert 'href="#id_confirm_outstanding"' in page
    assert 'id="id_confirm_outstanding"' in page
    # ...and the message sits in the checkbox's own group, just before it.
    group = page[page.index('id="div_id_confirm_outstanding"') :]
    group = group[: group.index("</label>")]
    assert "govuk-form-group--error" in group
    assert group.index("Not returned yet: ") < group.index('id="id_confirm_outstanding"')
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING


def test_the_review_meeting_field_says_when_it_is_needed(client, area, case):
    child, _, _ = case
    login(client, area.officer)
    page = _text(client.get(reverse("ehc:request_create", args=[child.pk])))
    assert "Only for an annual review or a phase transfer review, and needed for them" in page
    # It follows the process radios, so it is read with them.
    assert page.index('name="process"') < page.index('name="meeting_on_0"')
    assert page.index('name="meeting_on_0"') < page.index('name="la_reference"')


def test_a_review_request_is_due_two_weeks_before_its_meeting(client, area, case, today_is):
    today_is(datetime.date(2026, 11, 23))
    child, _, _ = case
    login(client, area.officer)
    data = {
        "process": "annual_review",
        "services": [area.service.pk],
        **date_data("sent_on", datetime.date(2026, 10, 1)),
        **date_data("received_on", datetime.date(2026, 10, 2)),
        **date_data("asked_on", None),
        **date_data("meeting_on", None),
    }
    response = client.post(reverse("ehc:request_create", args=[child.pk]), data)
    assert response.status_code == 400
    assert "meeting_on" in response.context["form"].errors
    data |= date_data("meeting_on", datetime.date(2026, 11, 30))
    response = client.post(reverse("ehc:request_create", args=[child.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    request = HealthAdviceRequest.objects.get(child=child, process="annual_review")
    assert request.due_on == datetime.date(2026, 11, 16)  # 30 November less 2 weeks
    page = _text(client.get(request.get_absolute_url()))
    assert "advice due 2 weeks before the meeting on 30 November 2026" in page
    assert f'href="{child.get_absolute_url()}#reviews"' in page
    child_page = client.get(child.get_absolute_url()).content.decode()
    assert 'id="reviews"' in child_page
    # An LA officer reads the meeting but has no reviews table to go to.
    login(client, area.la_officer)
    page = _text(client.get(request.get_absolute_url()))
    assert "advice due 2 weeks before the meeting on 30 November 2026" in page
    assert f"{child.get_absolute_url()}#reviews" not in page


def test_a_return_by_date_ahead_is_taken(client, area, today_is):
    """A return-by date is usually ahead of today (a review meeting too):
    only the dates of what has happened are refused in the future."""
    today_is(datetime.date(2026, 11, 23))
    request, _, direct = dated_request(area)
    login(client, area.officer)
    response = client.post(
        reverse("ehc:contribution_asking", args=[direct.pk]),
        {
            "version": direct.version,
            **date_data("asked_on", direct.asked_on),
            **date_data("received_on", direct.received_on),
            **date_data("return_by", datetime.date(2026, 11, 24)),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    direct.refresh_from_db()
    assert direct.return_by == direct.working_due_on == datetime.date(2026, 11, 24)
    service = f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
    response = client.post(
        reverse("ehc:contribution_add", args=[request.pk]),
        {
            "service": service.pk,
            **date_data("asked_on", datetime.date(2026, 11, 20)),
            **date_data("received_on", datetime.date(2026, 11, 21)),
            **date_data("return_by", datetime.date(2026, 11, 30)),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    added = request.contributions.get(service=service)
    # Asked directly by the LA: 6 weeks from 21 November 2026.
    assert added.due_on == datetime.date(2027, 1, 2)
    assert added.working_due_on == datetime.date(2026, 11, 30)
