"""The services' waiting-time pages (portal/waits.py): entering a quarter,
the trend on the service's page, suppression for commissioners, stale
edits, messages beside the fields and the list's query count."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import periods
from ehc.forms.waits import ended_quarters
from ehc.models import ServiceWait
from tests import factories as f

pytestmark = pytest.mark.django_db

LAST_QUARTER = ended_quarters(timezone.localdate())[0]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token(html: str) -> str:
    return re.search(r'name="submission" value="([^"]+)"', html).group(1)


def enter(client, service, **values):
    url = reverse("waits:waits_create", args=[service.pk])
    page = client.get(url).content.decode()
    data = {
        "submission": token(page),
        "quarter": LAST_QUARTER.slug,
        "waiting": "42",
        "median_weeks": "14.5",
        "longest_weeks": "51",
        **values,
    }
    return client.post(url, data)


def test_an_officer_enters_a_quarter_and_sees_the_trend(area):
    client = client_for(area.officer)
    detail = reverse("waits:service_detail", args=[area.service.pk])
    response = enter(client, area.service)
    assert response.status_code == 302 and response["Location"] == detail
    wait = ServiceWait.objects.get()
    assert wait.entered_by == area.officer and wait.waiting == 42
    html = client.get(detail).content.decode()
    assert wait.period.label in html
    assert "14.5 weeks" in html and "51 weeks" in html
    assert "Median and longest wait by quarter" in html  # the chart and its data table
    assert "Show the data for this chart" in html
    assert reverse("waits:waits_edit", args=[wait.pk]) in html


def test_a_second_entry_of_the_quarter_changes_it(area):
    enter(client_for(area.officer), area.service)
    enter(client_for(area.practitioner), area.service, waiting="50")
    wait = ServiceWait.objects.get()
    assert wait.waiting == 50 and wait.entered_by == area.practitioner


def test_the_same_form_sent_twice_saves_once(area):
    client = client_for(area.officer)
    url = reverse("waits:waits_create", args=[area.service.pk])
    data = {
        "submission": token(client.get(url).content.decode()),
        "quarter": LAST_QUARTER.slug,
        "waiting": "7",
        "median_weeks": "3",
        "longest_weeks": "5",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert ServiceWait.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"waiting": "lots"}, "Enter the number waiting as a whole number"),
        ({"waiting": ""}, "Enter the number waiting, or 0 if no one was waiting"),
        ({"median_weeks": ""}, "Enter the median wait in weeks"),
        ({"median_weeks": "60"}, "The median wait cannot be longer than the longest wait"),
        ({"longest_weeks": "12.25"}, "to one decimal place"),
        ({"median_weeks": "5.55555"}, "Enter the median wait to one decimal place"),
        ({"notes": "x" * 1001}, "Keep the notes to 1,000 characters or fewer"),
        ({"longest_weeks": "9999"}, "520 weeks (10 years) or fewer"),
        ({"quarter": "2031-q1"}, "Choose a quarter from the list"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(area, values, message):
    response = enter(client_for(area.officer), area.service, **values)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert not ServiceWait.objects.exists()


def test_a_stale_change_is_refused_on_the_form(area):
    wait = f.ServiceWaitFactory(service=area.service)
    url = reverse("waits:waits_edit", args=[wait.pk])
    data = {
        "version": str(wait.version),
        "waiting": "41",
        "median_weeks": "12",
        "longest_weeks": "30",
    }
    assert client_for(area.officer).post(url, data).status_code == 302
    response = client_for(area.practitioner).post(url, {**data, "waiting": "99"})
    assert response.status_code == 400
    assert "Someone else saved changes" in response.content.decode()
    assert ServiceWait.objects.get().waiting == 41


def test_a_commissioner_sees_suppressed_figures_and_cannot_enter(area):
    f.ServiceWaitFactory(
        service=area.service, waiting=5, median_weeks=Decimal(3), longest_weeks=Decimal(4)
    )
    f.ServiceWaitFactory(service=area.service, quarter=3, waiting=12)
    html = (
        client_for(area.commissioner)
        .get(reverse("waits:service_detail", args=[area.service.pk]))
        .content.decode()
    )
    assert "Small numbers are hidden" in html
    assert "Enter waiting times for a quarter" not in html
    assert "3 weeks" not in html and "4 weeks" not in html  # the waits of 5 children
    assert ">10<" in html  # 12 waiting, to the nearest 5
    listing = client_for(area.commissioner).get(reverse("waits:service_list")).content.decode()
    assert f"Q3 {periods.financial_year(2025).label}" in listing


def test_the_list_takes_the_same_queries_for_many_services(area, django_assert_max_num_queries):
    client = client_for(area.officer)
    url = reverse("waits:service_list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        service = f.ServiceFactory(local_authorities=[area.local_authority])
        f.ServiceWaitFactory(service=service)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).content.decode().count("Q2 2025/26") == 5


def test_the_service_page_takes_a_fixed_number_of_queries(area, django_assert_max_num_queries):
    client = client_for(area.officer)
    url = reverse("waits:service_detail", args=[area.service.pk])
    f.ServiceWaitFactory(service=area.service, quarter=1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for quarter in (2, 3, 4):
        f.ServiceWaitFactory(service=area.service, quarter=quarter)
    with django_assert_max_num_queries(len(one)):
        client.get(url)
