"""/api/v1/requests/: an LA system sends requests and reads them back
(docs/api.md, "Sending a request")."""

from __future__ import annotations

import datetime
import uuid
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ehc.models import AccessEvent, Child, Contribution, HealthAdviceRequest
from tests import factories as f
from tests.access import date_data
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/requests/"


def new_request(area, **extra) -> dict:
    body = {
        "child": {
            "given_name": "Ann",
            "family_name": "Lee",
            "date_of_birth": "2015-01-02",
            "nhs_number": "943 476 5919",
            "la_reference": "CH-1",
        },
        "process": "needs_assessment",
        "la_reference": "EHC-1",
        "sent_on": str(timezone.localdate() - datetime.timedelta(days=3)),
        "services": [area.service.pk],
    }
    body.update(extra)
    return body


def test_an_la_system_sends_a_request_and_gets_its_due_dates(area):
    client = token_client(area.la_officer)
    response = client.post(URL, new_request(area), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    today = timezone.localdate()
    due = today + datetime.timedelta(weeks=6)
    assert body["received_on"] == str(today)  # the day the portal received it
    assert body["child"]["nhs_number"] == "9434765919"
    assert body["local_authority"] == area.local_authority.pk
    assert [c["service"] for c in body["contributions"]] == [area.service.pk]
    request = HealthAdviceRequest.objects.get(pk=body["id"])
    assert body["reference"] == request.reference
    assert body["due_on"] == str(request.due_on)
    # The 6-week clock runs from today; a weekend or bank holiday moves the date on.
    assert due <= request.due_on <= due + datetime.timedelta(days=4)
    assert body["contributions"][0]["due_on"] == str(request.due_on)
    assert request.created_by == area.la_officer


def test_the_write_is_audited_with_the_user(area):
    from auditlog.models import LogEntry

    client = token_client(area.la_officer)
    body = client.post(URL, new_request(area), format="json").json()
    entry = LogEntry.objects.get_for_object(HealthAdviceRequest.objects.get(pk=body["id"]))
    assert entry.filter(action=LogEntry.Action.CREATE, actor=area.la_officer).exists()


def test_a_retry_with_the_same_la_reference_creates_one_request(area):
    client = token_client(area.la_officer)
    first = client.post(URL, new_request(area), format="json")
    again = client.post(URL, new_request(area), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert HealthAdviceRequest.objects.count() == 1
    assert Child.objects.count() == 1 and Contribution.objects.count() == 1


def test_a_retry_with_the_same_idempotency_key_creates_one_request(area):
    client = token_client(area.la_officer)
    key = str(uuid.uuid4())
    body = new_request(area, la_reference="")
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert HealthAdviceRequest.objects.count() == 1
    # Another key is another request (for the same, already recorded, child).
    other = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="another")
    assert other.status_code == 201 and other.json()["child"]["id"] == first.json()["child"]["id"]


def test_the_same_key_with_another_body_is_refused_and_creates_nothing(area):
    client = token_client(area.la_officer)
    key = str(uuid.uuid4())
    body = new_request(area, la_reference="")
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    changed = {**body, "sent_on": str(timezone.localdate() - datetime.timedelta(days=4))}
    reused = client.post(URL, changed, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, reused.status_code) == (201, 422)
    assert reused.json()["code"] == "idempotency_key_reused"
    assert "different request" in reused.json()["detail"]
    assert HealthAdviceRequest.objects.count() == 1
    # The first body sent again is still a retry.
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_a_key_another_user_used_is_a_conflict_not_their_request(area):
    key = "shared-key"
    token_client(area.la_officer).post(
        URL, new_request(area), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    other = f.LAOfficerFactory(local_authorities=[area.local_authority])
    response = token_client(other).post(
        URL, new_request(area, la_reference="EHC-2"), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    # Keys are per user: the other user's request is made.
    assert response.status_code == 201


def test_a_refused_request_leaves_no_child_behind(area):
    client = token_client(area.la_officer)
    response = client.post(URL, new_request(area, sent_on="2013-01-01"), format="json")
    assert response.status_code == 400
    assert "sent_on" in response.json()["errors"]
    assert not Child.objects.exists()


def test_only_a_designated_officer_sets_the_received_date(area):
    received = str(timezone.localdate() - datetime.timedelta(days=2))
    refused = token_client(area.la_officer).post(
        URL, new_request(area, received_on=received), format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "received_on": [
            "Only a designated officer can set the date health received the request. Leave "
            "it out: it is the day the portal receives the request"
        ]
    }
    corrected = token_client(area.officer).post(
        URL, new_request(area, received_on=received), format="json"
    )
    assert corrected.status_code == 201 and corrected.json()["received_on"] == received


def test_a_child_already_recorded_is_not_recorded_twice(area):
    child = f.ChildFactory(
        local_authority=area.local_authority,
        nhs_number="9434765919",
        date_of_birth=datetime.date(2015, 1, 2),
    )
    response = token_client(area.la_officer).post(URL, new_request(area), format="json")
    assert response.status_code == 201 and response.json()["child"]["id"] == child.pk
    assert Child.objects.count() == 1


def test_a_different_child_with_the_same_nhs_number_is_refused_as_the_form_does(area):
    f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    response = token_client(area.la_officer).post(URL, new_request(area), format="json")
    assert response.status_code == 400
    [message] = response.json()["errors"]["child.nhs_number"]
    assert message.startswith("A child with this NHS number is already recorded in")


def test_a_child_by_id(area, other_area):
    child = f.ChildFactory(local_authority=area.local_authority)
    body = {"child_id": child.pk, "process": "reassessment", "sent_on": "2026-11-02"}
    assert token_client(area.officer).post(URL, body, format="json").status_code == 201
    refused = token_client(other_area.la_officer).post(URL, body, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"child_id": ["Choose a child or young person you can see"]}


def form_errors(client, url, data) -> dict:
    response = client.post(url, data)
    assert response.status_code == 400
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def test_bad_input_gets_the_forms_messages(area):
    """The same refusals through the portal's pages and through the API."""
    page = Client()
    page.force_login(area.officer)
    api = token_client(area.officer)
    child = f.ChildFactory(local_authority=area.local_authority)
    # A request's rules (ehc.services.log_request): sent before September 2014;
    # a review without its meeting date.
    for process, sent in (("needs_assessment", "2014-08-01"), ("annual_review", "2026-11-02")):
        on_page = form_errors(
            page,
            reverse("ehc:request_create", kwargs={"child_pk": child.pk}),
            {
                "process": process,
                **date_data("sent_on", sent),
                **date_data("received_on", "2026-11-03"),
                "services": [area.service.pk],
            },
        )
        on_api = api.post(
            URL,
            {
                "child_id": child.pk,
                "process": process,
                "sent_on": sent,
                "received_on": "2026-11-03",
                "services": [area.service.pk],
            },
            format="json",
        ).json()["errors"]
        assert on_api == on_page, process
    # A child's rules (the model's checks): a mistyped NHS number.
    on_page = form_errors(
        page,
        reverse("ehc:child_create"),
        {
            "given_name": "Ann",
            "family_name": "Lee",
            **date_data("date_of_birth", "2015-01-02"),
            "nhs_number": "943 476 5918",
            "local_authority": area.local_authority.pk,
            "primary_need": "NK",
        },
    )
    on_api = api.post(
        "/api/v1/children/",
        {
            "given_name": "Ann",
            "family_name": "Lee",
            "date_of_birth": "2015-01-02",
            "nhs_number": "943 476 5918",
            "local_authority": area.local_authority.pk,
        },
        format="json",
    ).json()["errors"]
    assert on_api == on_page and "nhs_number" in on_api


def test_reading_requests_is_logged_as_an_access_with_the_tokens_name(area):
    request = f.HealthAdviceRequestFactory(child__local_authority=area.local_authority)
    client = token_client(area.la_officer, name="EHC Hub link")
    assert client.get(URL).status_code == 200
    event = AccessEvent.objects.get()
    assert event.user == area.la_officer
    assert event.page == "API: requests list (token 'EHC Hub link')"
    assert list(event.children.all()) == [request.child]
    client.get(f"{URL}{request.pk}/")
    assert AccessEvent.objects.filter(page="API: requests (token 'EHC Hub link')").exists()


def test_since_and_the_cursor_let_a_system_poll(area):
    old = f.HealthAdviceRequestFactory(child__local_authority=area.local_authority)
    HealthAdviceRequest.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=2)
    )
    recent = [
        f.HealthAdviceRequestFactory(child__local_authority=area.local_authority) for _ in range(3)
    ]
    client = token_client(area.la_officer)
    since = quote((timezone.now() - datetime.timedelta(days=1)).isoformat())  # its "+"
    seen, url = [], f"{URL}?page_size=2&since={since}"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == [r.pk for r in recent]
    everything = client.get(URL).json()["results"]
    assert [row["id"] for row in everything][0] == old.pk  # oldest change first


def test_filters_are_the_worklists(area):
    awaiting = f.ContributionFactory(
        request__child__local_authority=area.local_authority, service=area.service
    ).request
    f.HealthAdviceRequestFactory(
        child__local_authority=area.local_authority, process="annual_review"
    )
    client = token_client(area.officer)
    body = client.get(f"{URL}?process=needs_assessment&service={area.service.pk}").json()
    assert [row["id"] for row in body["results"]] == [awaiting.pk]
    refused = client.get(f"{URL}?received_from=31/02/2026&status=zzz")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"received_from", "status"}


def test_the_list_takes_a_fixed_number_of_queries(
    area, django_assert_max_num_queries, cache_in_memory
):
    for _ in range(5):
        f.ContributionFactory(
            request__child__local_authority=area.local_authority, service=area.service
        )
    client = token_client(area.la_officer)
    client.get(URL)  # the token's first use is noted
    with django_assert_max_num_queries(10):
        assert len(client.get(URL).json()["results"]) == 5


def test_a_practitioner_sees_only_their_services_part(area):
    request = f.HealthAdviceRequestFactory(child__local_authority=area.local_authority)
    mine = f.ContributionFactory(request=request, service=area.service)
    f.ContributionFactory(
        request=request, service=f.ServiceFactory(local_authorities=[area.local_authority])
    )
    body = token_client(area.practitioner).get(f"{URL}{request.pk}/").json()
    assert [c["id"] for c in body["contributions"]] == [mine.pk]


def test_an_overlong_idempotency_key_is_refused(area):
    response = token_client(area.la_officer).post(
        URL, new_request(area), format="json", HTTP_IDEMPOTENCY_KEY="k" * 201
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "Idempotency-Key": ["Send a key of 200 characters or fewer"]
    }
    assert not HealthAdviceRequest.objects.exists()


def test_an_la_systems_service_account_retries_and_makes_one_request(area):
    from accounts.roles import AccountKind

    system = f.LAOfficerFactory(
        kind=AccountKind.SYSTEM,
        local_authorities=[area.local_authority],
        allowed_addresses="192.0.2.0/24",
    )
    client = token_client(system, name="EHC Hub link")
    body = new_request(area)
    answers = [
        client.post(URL, body, format="json", REMOTE_ADDR="192.0.2.7").status_code for _ in range(3)
    ]
    assert answers == [201, 200, 200]
    assert HealthAdviceRequest.objects.filter(created_by=system).count() == 1
    elsewhere = client.post(URL, body, format="json", REMOTE_ADDR="203.0.113.7")
    assert elsewhere.status_code == 401


def test_a_body_nested_too_deeply_is_a_parse_error_not_a_server_error(area):
    body = "[" * 100_000 + "]" * 100_000
    response = token_client(area.la_officer).post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert not HealthAdviceRequest.objects.exists()


def test_a_reference_reused_for_another_child_is_a_409(area):
    client = token_client(area.la_officer)
    assert client.post(URL, new_request(area), format="json").status_code == 201
    other = new_request(area)
    other["child"] = {**other["child"], "date_of_birth": "2012-05-06"}
    response = client.post(URL, other, format="json")
    assert response.status_code == 409
    assert "already used for another child" in response.json()["detail"]
    assert HealthAdviceRequest.objects.count() == 1


def test_an_unknown_list_parameter_is_refused_not_ignored(area):
    """A misspelt filter would otherwise list everything."""
    f.HealthAdviceRequestFactory(child__local_authority=area.local_authority)
    client = token_client(area.la_officer)
    response = client.get(URL, {"stauts": "open"})
    assert response.status_code == 400
    message = response.json()["errors"]["stauts"][0]
    assert "does not take this parameter" in message and "status" in message
    assert client.get(URL, {"status": "open", "page_size": 10}).status_code == 200
    contributions = client.get("/api/v1/contributions/", {"service": area.service.pk})
    assert contributions.status_code == 400 and "service" in contributions.json()["errors"]
