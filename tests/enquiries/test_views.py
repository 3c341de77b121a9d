"""The enquiries pages through the test client: logging once, the stale
edit, the worklist's follow-ups and filters, access events and query
counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ehc.models import AccessEvent
from enquiries.models import Enquiry, EnquiryStatus
from tests import factories as f
from tests.access import date_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, area):
    client.force_login(area.officer)
    return client


def form_data(area, **overrides) -> dict:
    data = {
        "local_authority": str(area.local_authority.pk),
        **date_data("received_on", "2026-02-03"),
        "source": "school",
        "organisation": "Birch Academy",
        "topic": "medical_conditions",
        "question": "Can staff give rescue medication?",
        "advice_given": "Yes, with an individual healthcare plan and training.",
        "minutes_spent": "25",
        "status": "open",
    }
    data.update(overrides)
    return data


def token_of(client, url: str) -> str:
    return client.get(url).context["form"]["submission"].value()


def test_logging_twice_with_one_form_saves_once(officer_client, area):
    url = reverse("enquiries:enquiry_create")
    data = form_data(area, submission=token_of(officer_client, url))
    first = officer_client.post(url, data)
    second = officer_client.post(url, data)
    enquiry = Enquiry.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == enquiry.get_absolute_url()
    assert enquiry.created_by == area.officer and enquiry.minutes_spent == 25


def test_a_bad_form_shows_each_message_beside_its_field(officer_client, area):
    url = reverse("enquiries:enquiry_create")
    response = officer_client.post(url, form_data(area, question="", minutes_spent="lots"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["question"] == ["Enter what they asked"]
    assert errors["minutes_spent"] == [
        "Enter the time spent as a whole number of minutes, for example 45"
    ]
    assert not Enquiry.objects.exists()


def test_an_enquiry_about_a_child_takes_the_childs_area(officer_client, area):
    child = f.ChildFactory(local_authority=area.local_authority)
    url = reverse("enquiries:enquiry_create_for_child", args=[child.pk])
    data = form_data(area)
    del data["local_authority"]
    response = officer_client.post(url, data)
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302
    assert enquiry.child == child and enquiry.local_authority == area.local_authority
    officer_client.get(enquiry.get_absolute_url())
    assert AccessEvent.objects.filter(children=child, page="Enquiry").count() == 1


def test_a_stale_edit_is_refused_with_a_message(officer_client, area):
    enquiry = f.EnquiryFactory(local_authority=area.local_authority)
    url = reverse("enquiries:enquiry_edit", args=[enquiry.pk])
    data = form_data(area, version="1")
    del data["local_authority"]
    Enquiry.objects.filter(pk=enquiry.pk).update(version=2)  # someone else saved meanwhile
    response = officer_client.post(url, data)
    assert response.status_code == 400
    assert "Someone else saved changes" in response.content.decode()
    assert Enquiry.objects.get(pk=enquiry.pk).organisation == "Oak Primary School"


def test_the_worklist_shows_open_enquiries_and_follow_ups_due(officer_client, area):
    today = timezone.localdate()
    due = f.EnquiryFactory(
        local_authority=area.local_authority,
        received_on=today - datetime.timedelta(days=5),
        follow_up_on=today - datetime.timedelta(days=1),
    )
    closed = f.EnquiryFactory(
        local_authority=area.local_authority, status=EnquiryStatus.CLOSED, organisation="Shut"
    )
    response = officer_client.get(reverse("enquiries:enquiry_list"))
    assert list(response.context["due"]) == [due]
    assert list(response.context["enquiries"]) == [due]
    response = officer_client.get(reverse("enquiries:enquiry_list"), {"show": "closed"})
    assert list(response.context["enquiries"]) == [closed]


def test_an_invalid_filter_is_a_message_not_an_error(officer_client):
    response = officer_client.get(reverse("enquiries:enquiry_list"), {"topic": "nonsense"})
    assert response.status_code == 400
    assert "Choose an option from the list" in response.content.decode()


def test_the_worklist_reads_a_fixed_number_of_queries(
    officer_client, area, django_assert_max_num_queries
):
    url = reverse("enquiries:enquiry_list")
    for _ in range(3):
        f.EnquiryFactory(
            local_authority=area.local_authority,
            child=f.ChildFactory(local_authority=area.local_authority),
        )
    with django_assert_max_num_queries(20) as few:
        officer_client.get(url)
    for _ in range(10):
        f.EnquiryFactory(
            local_authority=area.local_authority,
            child=f.ChildFactory(local_authority=area.local_authority),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        officer_client.get(url)


def test_an_enquirys_page_reads_a_fixed_number_of_queries(
    officer_client, area, django_assert_max_num_queries
):
    child = f.ChildFactory(local_authority=area.local_authority)
    enquiry = f.EnquiryFactory(
        local_authority=area.local_authority, child=child, created_by=area.officer
    )
    # Session and user, the enquiry with its area, child and author, the
    # scope check, the access event and its link to the child.
    with django_assert_max_num_queries(8):
        response = officer_client.get(enquiry.get_absolute_url())
    assert response.status_code == 200
    assert child.full_name in response.content.decode()
