"""Two people sending the same creating form at the same moment (issue 15,
"Robustness"): two threads, two database connections, PostgreSQL. Each
race ends with one record and, for the second person, a redirect or the
page again with a message, never a server error and never a duplicate.
(SQLite's test database locks whole tables between threads: these run on
PostgreSQL only; the single-thread versions are in test_services_rules.py.)"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from ehc.models import Advice, Contribution, QualityReview
from tests import factories as f
from tests.ehc.helpers import advice_post, case_in, date_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database locks whole tables between threads")


def race(*posts) -> list[int]:
    """Send ``posts`` (``(user, url, data)``) at the same moment, one thread
    and one connection each; returns their status codes (an exception
    fails the test)."""
    barrier = threading.Barrier(len(posts))
    results: list = []

    def send(user, url, data):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            results.append(client.post(url, data).status_code)
        except Exception as error:  # noqa: BLE001 - reported below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == len(posts) and all(isinstance(r, int) for r in results), results
    assert 500 not in results, results
    return sorted(results)


def _second_officer(area):
    return f.DesignatedOfficerFactory(local_authorities=[area.local_authority])


def test_two_people_asking_the_same_service_at_once_ask_it_once(area):
    _, request, _ = case_in(area)
    service = f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
    url = reverse("ehc:contribution_add", args=[request.pk])
    data = {
        "service": service.pk,
        **date_data("asked_on", request.received_on),
        **date_data("received_on", None),
        **date_data("return_by", None),
    }
    statuses = race((area.officer, url, data), (_second_officer(area), url, data))
    assert statuses[0] == 302 and statuses[1] in (302, 400), statuses
    assert Contribution.objects.filter(request=request, service=service).count() == 1


def test_two_people_writing_the_first_advice_at_once_save_one(area):
    _, _, contribution = case_in(area)
    other = f.PractitionerFactory(
        provider=area.provider, local_authorities=[area.local_authority], services=[area.service]
    )
    url = reverse("ehc:advice_edit", args=[contribution.pk])
    statuses = race((area.practitioner, url, advice_post()), (other, url, advice_post()))
    assert statuses[0] == 302 and statuses[1] in (302, 400, 409), statuses
    assert Advice.objects.filter(contribution=contribution).count() == 1


def test_two_officers_reviewing_the_same_advice_at_once_record_one_review(area):
    _, _, contribution = case_in(area)
    advice = f.AdviceFactory(contribution=contribution)
    url = reverse("ehc:review_edit", args=[advice.pk])
    data = {"criteria": ["dated_recently"], **date_data("reviewed_on", datetime.date.today())}
    statuses = race((area.officer, url, data), (_second_officer(area), url, data))
    assert statuses[0] == 302 and statuses[1] in (302, 400, 409), statuses
    assert QualityReview.objects.filter(advice=advice).count() == 1
