"""The EHC casework screens. Behaviour fixed after review: scope, dates, searches and edge cases."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ehc import clock
from ehc.models import (
    Advice,
    Contribution,
    HealthAdviceRequest,
    QualityReview,
    RequestStatus,
    Section23Notice,
)
from tests import factories as f
from tests.ehc.helpers import advice_post, case_in, child_post, date_data, login

pytestmark = pytest.mark.django_db


# --- Found in review ---------------------------------------------------------------


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


def test_section_23_offers_only_organisations_covering_the_childs_area(
    client, area, other_area, case
):
    child, _, _ = case
    login(client, area.officer)
    url = reverse("ehc:child_record_create", args=[child.pk, "section-23"])
    form = client.get(url).context["form"]
    assert list(form.fields["provider"].queryset) == [area.provider]
    assert list(form.fields["commissioning_body"].queryset) == [area.body]
    data = {
        "commissioning_body": other_area.body.pk,
        "professional_name": "Health visitor",
        **date_data("parent_told_on", datetime.date(2020, 1, 10)),
        **date_data("la_notified_on", None),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert not Section23Notice.objects.exists()


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


def test_worklist_search_with_odd_digits_is_not_an_error(client, area, case):
    login(client, area.officer)
    for query in ("HA-²", "HA-①", "HA-" + "9" * 40):
        assert client.get(reverse("ehc:request_list"), {"q": query}).status_code == 200


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


def test_advice_dated_after_the_due_date_needs_the_late_return_first(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    late = contribution.due_on + datetime.timedelta(days=5)
    data = advice_post(**date_data("written_on", late))
    response = client.post(reverse("ehc:advice_edit", args=[contribution.pk]), data)
    assert response.status_code == 400
    assert "Record the return first" in response.content.decode()
    assert not Advice.objects.exists()


def test_provision_formset_refuses_a_flood_of_forms(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    data = advice_post(**{"provision-TOTAL_FORMS": "1000000"})
    response = client.post(reverse("ehc:advice_edit", args=[contribution.pk]), data)
    assert response.status_code == 400
    assert len(response.context["formset"].forms) <= 30
    assert not Advice.objects.exists()


def test_a_closed_request_cannot_ask_more_services(client, area, case):
    _, request, _ = case
    HealthAdviceRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.CLOSED, closed_on=datetime.date(2026, 10, 1)
    )
    login(client, area.officer)
    response = client.get(reverse("ehc:contribution_add", args=[request.pk]), follow=True)
    assert response.redirect_chain[0][0] == request.get_absolute_url()
    assert "Reopen it to ask another service" in response.content.decode()


def test_child_page_shows_the_health_mediation_deadline(client, area, case):
    from ehc.models import MediationCase

    child, _, _ = case
    notified = datetime.date(2026, 3, 2)
    MediationCase.objects.create(
        child=child,
        requested_on=datetime.date(2026, 2, 27),
        body_notified_on=notified,
        health_only=True,
        health_issues="Speech therapy hours",
    )
    login(client, area.officer)
    page = client.get(child.get_absolute_url()).content.decode()
    assert f"{clock.health_mediation_due(notified):%-d %b %Y}" in page


def test_overdue_filter_and_home_count_agree(client, area):
    long_ago = datetime.date.today() - datetime.timedelta(days=60)
    child = f.ChildFactory(local_authority=area.local_authority)
    nobody_asked = f.HealthAdviceRequestFactory(child=child, sent_on=long_ago, received_on=long_ago)
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list"), {"overdue": "on"}).content.decode()
    assert nobody_asked.reference in page
    assert client.get(reverse("portal:officer_home")).context["caseload"]["overdue"] == 1


def test_due_soon_filter_and_home_count_agree(client, area):
    """The home page's "due in the next 7 days" links to ?due_within=7: both
    leave out a request whose services have all returned."""
    received = datetime.date.today() - datetime.timedelta(days=38)  # due in 4 days
    _, awaiting, _ = case_in(area, sent_on=received, received_on=received)
    _, returned, contribution = case_in(area, sent_on=received, received_on=received)
    Contribution.objects.filter(pk=contribution.pk).update(
        returned_on=received, outcome="not_known"
    )
    HealthAdviceRequest.objects.filter(pk=returned.pk).update(status=RequestStatus.RETURNED)
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list"), {"due_within": "7"}).content.decode()
    assert awaiting.reference in page
    assert returned.reference not in page
    assert client.get(reverse("portal:officer_home")).context["caseload"]["due_soon"] == 1


@pytest.mark.parametrize("outcome", ["not_known", "no_health_needs", "declined"])
def test_no_new_advice_for_a_return_that_gave_none(client, area, case, outcome):
    _, _, contribution = case
    Contribution.objects.filter(pk=contribution.pk).update(
        returned_on=contribution.asked_on, outcome=outcome, declined_reason="Not our service"
    )
    login(client, area.practitioner)
    response = client.post(
        reverse("ehc:advice_edit", args=[contribution.pk]),
        advice_post(**date_data("written_on", contribution.asked_on)),
    )
    assert response.status_code == 400
    assert "Change the return to “Advice given”" in response.content.decode()
    assert not Advice.objects.exists()
    contribution.refresh_from_db()
    assert contribution.outcome == outcome


def test_provision_added_later_comes_after_the_rows_already_there(client, area, case):
    _, _, contribution = case
    advice = f.AdviceFactory(contribution=contribution)
    first = f.ProvisionItemFactory(advice=advice, position=1, description="First")
    second = f.ProvisionItemFactory(advice=advice, position=2, description="Second")
    login(client, area.practitioner)
    data = advice_post(version=advice.version)
    for index, item in enumerate((first, second)):
        for name in ("description", "delivered_by", "frequency", "duration", "section"):
            data[f"provision-{index}-{name}"] = getattr(item, name)
        data[f"provision-{index}-id"] = item.pk
        data[f"provision-{index}-available"] = "on"
    third = {"description": "Third", "delivered_by": "Physio", "frequency": "Weekly"}
    third |= {"duration": "One term", "section": "G"}
    data |= {f"provision-2-{name}": value for name, value in third.items()}
    data |= {"provision-TOTAL_FORMS": "3", "provision-INITIAL_FORMS": "2"}
    response = client.post(reverse("ehc:advice_edit", args=[contribution.pk]), data)
    assert response.status_code == 302, response.context["formset"].errors
    assert [p.description for p in advice.provision.all()] == ["First", "Second", "Third"]


def test_child_search_takes_an_nhs_number_as_people_type_it(client, area):
    child = f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    login(client, area.officer)
    for query in ("943 476 5919", "943-476-5919"):
        page = client.get(reverse("ehc:child_list"), {"q": query}).content.decode()
        assert child.get_absolute_url() in page, query


def test_review_input_takes_a_meeting_ahead_and_shows_it_again(client, area, case):
    from ehc.models import ReviewInput

    child, _, _ = case
    login(client, area.officer)
    url = reverse("ehc:child_record_create", args=[child.pk, "reviews"])
    response = client.post(url, date_data("meeting_on", None))
    assert "Enter the date of the review meeting" in response.content.decode()
    ahead = datetime.date.today() + datetime.timedelta(days=30)
    assert client.post(url, date_data("meeting_on", ahead)).status_code == 302
    review = ReviewInput.objects.get(child=child)
    edit = reverse("ehc:child_record_edit", args=[child.pk, "reviews", review.pk])
    assert client.get(edit).context["form"]["meeting_on"].value() == ahead


def test_worklist_age_filter_puts_a_birthday_today_in_the_new_group(client, area):
    today = datetime.date.today()
    five_today = clock.add_months(today, -60)
    four = f.ChildFactory(
        local_authority=area.local_authority, date_of_birth=five_today + datetime.timedelta(1)
    )
    five = f.ChildFactory(local_authority=area.local_authority, date_of_birth=five_today)
    younger = f.HealthAdviceRequestFactory(child=four, sent_on=today, received_on=today)
    older = f.HealthAdviceRequestFactory(child=five, sent_on=today, received_on=today)
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list"), {"age_group": "under_5"}).content.decode()
    assert younger.reference in page and older.reference not in page
    page = client.get(reverse("ehc:request_list"), {"age_group": "5_10"}).content.decode()
    assert older.reference in page and younger.reference not in page
    assert client.get(reverse("ehc:request_list"), {"age_group": "30_40"}).status_code == 400


def test_a_review_cannot_be_dated_before_the_advice(client, area, case):
    _, _, contribution = case
    advice = f.AdviceFactory(contribution=contribution)
    login(client, area.officer)
    response = client.post(
        reverse("ehc:review_edit", args=[advice.pk]),
        {
            "criteria": ["dated_recently"],
            **date_data("reviewed_on", advice.written_on - datetime.timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    assert "cannot be before the advice was written" in response.content.decode()
    assert not QualityReview.objects.exists()
