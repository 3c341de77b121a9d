"""Creating forms create once (core/submissions.py): a double click, a
resubmitted page or two tabs sending the same form log one request, never a
duplicate and never a server error."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from core.models import FormSubmission
from core.submissions import AlreadySent, create_once
from ehc.models import Child, HealthAdviceRequest
from tests import factories as f
from tests.ehc.helpers import child_post, date_data

D = datetime.date


def _request_post(area, token):
    return {
        "submission": str(token),
        "process": "needs_assessment",
        "services": [area.service.pk],
        **date_data("sent_on", D(2026, 10, 28)),
        **date_data("received_on", D(2026, 10, 30)),
        **date_data("asked_on", None),
        **date_data("return_by", None),
        **date_data("meeting_on", None),
    }


@pytest.mark.django_db
def test_the_form_carries_a_new_token_each_time_it_is_shown(client, area):
    child = f.ChildFactory(local_authority=area.local_authority)
    client.force_login(area.officer)
    url = reverse("ehc:request_create", args=[child.pk])
    first = client.get(url).context["form"]["submission"].value()
    second = client.get(url).context["form"]["submission"].value()
    assert uuid.UUID(str(first)) != uuid.UUID(str(second))


@pytest.mark.django_db
def test_a_double_click_logs_one_request(client, area):
    child = f.ChildFactory(local_authority=area.local_authority)
    client.force_login(area.officer)
    url = reverse("ehc:request_create", args=[child.pk])
    data = _request_post(area, uuid.uuid4())
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert HealthAdviceRequest.objects.filter(child=child).count() == 1
    # A new form (a new token) logs a second request on purpose.
    assert client.post(url, _request_post(area, uuid.uuid4())).status_code == 302
    assert HealthAdviceRequest.objects.filter(child=child).count() == 2


@pytest.mark.django_db
def test_a_refused_submission_releases_its_token(client, area):
    client.force_login(area.officer)
    token = uuid.uuid4()
    bad = child_post(area, given_name="") | {"submission": str(token)}
    assert client.post(reverse("ehc:child_create"), bad).status_code == 400
    assert not FormSubmission.objects.exists()
    good = child_post(area) | {"submission": str(token)}
    assert client.post(reverse("ehc:child_create"), good).status_code == 302
    assert client.post(reverse("ehc:child_create"), good).status_code == 302
    assert Child.objects.count() == 1


@pytest.mark.django_db
def test_another_users_token_is_refused(area):
    token = uuid.uuid4()
    create_once(area.officer, token, lambda: f.ChildFactory(local_authority=area.local_authority))
    with pytest.raises(AlreadySent):
        create_once(area.la_officer, token, lambda: pytest.fail("created twice"))


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_moment_log_one_request(area):
    """Two threads, two database connections, one token: the second waits for
    the first to commit and is sent to its request (PostgreSQL orders them by
    the token's primary key). Run on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database locks whole tables between threads")
    child = f.ChildFactory(local_authority=area.local_authority)
    url = reverse("ehc:request_create", args=[child.pk])
    data = _request_post(area, uuid.uuid4())
    barrier = threading.Barrier(2)
    results: list = []

    def submit():
        try:
            client = Client()
            client.force_login(area.officer)
            barrier.wait()
            response = client.post(url, data)
            results.append((response.status_code, response.get("Location")))
        except Exception as error:  # noqa: BLE001 - reported below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 2, results
    assert all(isinstance(r, tuple) for r in results), results
    assert [status for status, _ in results] == [302, 302]
    assert results[0][1] == results[1][1]
    assert HealthAdviceRequest.objects.filter(child=child).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_adding_the_same_child_at_the_same_moment_get_one_record(area):
    """Two officers, two forms (two tokens), one NHS number, two threads on
    two connections: one child is recorded; the other submission gets the
    page again with a message beside the NHS number, never a server error
    (the unique constraint surfaces as the field's message). PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database locks whole tables between threads")
    from ehc.models import Child
    from tests.ehc.helpers import child_post

    second_officer = f.DesignatedOfficerFactory(local_authorities=[area.local_authority])
    url = reverse("ehc:child_create")
    barrier = threading.Barrier(2)
    results: list = []

    def submit(user):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            response = client.post(url, {**child_post(area), "submission": str(uuid.uuid4())})
            body = response.content.decode() if response.status_code != 302 else ""
            results.append((response.status_code, "NHS number" in body))
        except Exception as error:  # noqa: BLE001 - reported below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(u,)) for u in (area.officer, second_officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 2 and all(isinstance(r, tuple) for r in results), results
    assert sorted(status for status, _ in results) == [302, 400], results
    assert [named for status, named in results if status == 400] == [True]
    assert Child.objects.filter(nhs_number="9434765919").count() == 1
