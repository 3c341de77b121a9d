"""Contract tests of the API's other resources: children, contributions
and returns, advice and its document, organisations, figures; and how it
answers without a good token (docs/api.md)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import tokens
from accounts.models import ApiToken
from accounts.roles import AccountKind
from ehc.models import AccessEvent, Contribution
from tests import factories as f
from tests.api.conftest import token_client
from tests.ehc.helpers import pdf_bytes

pytestmark = pytest.mark.django_db
CHILD_URLS = ("/api/v1/children/", "/api/v1/requests/", "/api/v1/contributions/", "/api/v1/advice/")


def test_a_child_and_its_fields(area):
    child = f.ChildFactory(local_authority=area.local_authority, la_reference="LA-9")
    body = token_client(area.officer).get(f"/api/v1/children/{child.pk}/").json()
    assert body == {
        "id": child.pk,
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth": "2016-05-14",
        "nhs_number": "",
        "la_reference": "LA-9",
        "local_authority": area.local_authority.pk,
        "primary_need": "ASD",
        "looked_after": False,
        "electively_home_educated": False,
        "known_to_youth_justice": False,
        "continuing_care": False,
        "year_group": None,
        "date_of_death": None,
        "version": 1,
        "updated_at": body["updated_at"],
    }


def test_the_child_search_is_the_pages(area):
    wanted = f.ChildFactory(local_authority=area.local_authority, family_name="Quintero")
    f.ChildFactory(local_authority=area.local_authority, family_name="Other")
    body = token_client(area.la_officer).get("/api/v1/children/?q=quinter").json()
    assert [row["id"] for row in body["results"]] == [wanted.pk]


def test_a_commissioners_token_reads_no_child(area):
    advice = f.AdviceFactory(
        contribution__request__child__local_authority=area.local_authority,
        contribution__service=area.service,
    )
    client = token_client(area.commissioner)
    for url in CHILD_URLS:
        assert client.get(url).status_code == 403, url
    child = advice.contribution.request.child
    for url in (
        f"/api/v1/children/{child.pk}/",
        f"/api/v1/requests/{advice.contribution.request_id}/",
        f"/api/v1/advice/{advice.pk}/",
        f"/api/v1/advice/{advice.pk}/document/",
    ):
        response = client.get(url)
        assert response.status_code == 403 and child.family_name not in response.content.decode()
    assert not AccessEvent.objects.exists()


def test_a_practitioner_records_a_return_as_the_form_does(area):
    contribution = f.ContributionFactory(
        request__child__local_authority=area.local_authority, service=area.service
    )
    client = token_client(area.practitioner)
    url = f"/api/v1/contributions/{contribution.pk}/return/"
    # Late without a reason is the model's rule, with the form's message.
    late = client.post(
        url,
        {"version": 1, "returned_on": str(timezone.localdate()), "outcome": "advice_given"},
        format="json",
    )
    assert late.status_code == 400 and set(late.json()["errors"]) == {"late_reason"}
    response = client.post(
        url, {"version": 1, "returned_on": "2026-10-01", "outcome": "advice_given"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["returned_on"] == "2026-10-01"
    assert Contribution.objects.get(pk=contribution.pk).returned_on == datetime.date(2026, 10, 1)
    stale = client.post(
        url, {"version": 1, "returned_on": "2026-10-02", "outcome": "advice_given"}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"


def test_advice_with_its_provision_and_document(area, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    advice = f.AdviceFactory(
        contribution__request__child__local_authority=area.local_authority,
        contribution__service=area.service,
        document="advice/a.pdf",
        document_name="Advice for Sam.pdf",
    )
    (tmp_path / "advice").mkdir()
    (tmp_path / "advice" / "a.pdf").write_bytes(pdf_bytes("advice"))
    f.ProvisionItemFactory(advice=advice)
    client = token_client(area.la_officer, name="Hub")
    body = client.get("/api/v1/advice/").json()["results"][0]
    assert body["provision"] == [
        {
            "description": "Speech and language therapy programme",
            "delivered_by": "Teaching assistant trained by a therapist",
            "frequency": "Three times a week",
            "duration": "One year",
            "section": "F",
            "available": True,
        }
    ]
    assert body["document"] == f"http://testserver/api/v1/advice/{advice.pk}/document/"
    assert "review" not in body  # the quality review is health's own
    download = client.get(body["document"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert 'filename="Advice for Sam.pdf"' in download["Content-Disposition"]
    assert AccessEvent.objects.filter(page="API: advice document (token 'Hub')").exists()


def test_organisations(area, other_area):
    client = token_client(area.la_officer)
    las = client.get("/api/v1/organisations/local-authorities/").json()["results"]
    assert [la["id"] for la in las] == [area.local_authority.pk]
    services = client.get(
        f"/api/v1/organisations/services/?local_authority={area.local_authority.pk}"
    ).json()["results"]
    assert [s["id"] for s in services] == [area.service.pk]
    bad = client.get("/api/v1/organisations/services/?local_authority=x")
    assert bad.status_code == 400 and "local_authority" in bad.json()["errors"]


def test_figures_are_suppressed_for_commissioners_as_on_their_pages(area):
    for _ in range(3):
        f.HealthAdviceRequestFactory(child__local_authority=area.local_authority)
    query = "?period=2026-q2"  # July to September 2026: the factories' requests
    officer = token_client(area.officer).get(f"/api/v1/figures/{query}").json()
    commissioner = token_client(area.commissioner).get(f"/api/v1/figures/{query}").json()
    requests = {row["key"]: row for row in officer["indicators"]}["requests"]
    assert requests["current"]["value"] == 3 and not officer["selection"]["suppressed"]
    requests = {row["key"]: row for row in commissioner["indicators"]}["requests"]
    assert requests["current"] == {"value": "*", "text": "*"}
    assert commissioner["selection"]["suppressed"]
    bad = token_client(area.commissioner).get("/api/v1/figures/?period=nonsense")
    assert bad.status_code == 400 and "period" in bad.json()["errors"]


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer a b", "Basic dXNlcjpwYXNz", "Bearer sendp_unknown", "bearer x"],
)
def test_without_a_good_token_the_answer_is_401(header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/requests/")
    assert response.status_code == 401  # another scheme (Basic) is no token either
    body = response.json()
    assert set(body) == {"status", "code", "detail"} and body["status"] == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_revoked_token_stops_at_once(area):
    client = token_client(area.la_officer)
    assert client.get("/api/v1/requests/").status_code == 200
    tokens.revoke_token(token=client.token, by=area.la_officer)
    assert client.get("/api/v1/requests/").status_code == 401


def test_a_service_account_only_from_its_addresses(area):
    system = f.LAOfficerFactory(
        kind=AccountKind.SYSTEM,
        local_authorities=[area.local_authority],
        allowed_addresses="192.0.2.0/24",
    )
    client = token_client(system)
    assert client.get("/api/v1/requests/", REMOTE_ADDR="192.0.2.5").status_code == 200
    assert client.get("/api/v1/requests/", REMOTE_ADDR="198.51.100.5").status_code == 401


def test_each_token_has_its_own_rate_limit(area, settings):
    from rest_framework.settings import api_settings

    from api.throttling import TokenRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "token": "3/minute"}
    TokenRateThrottle.THROTTLE_RATES = rates
    try:
        busy, calm = token_client(area.la_officer), token_client(area.la_officer)
        codes = [busy.get("/api/v1/organisations/services/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = busy.get("/api/v1/organisations/services/")
        assert limited.json()["code"] == "throttled" and "Retry-After" in limited
        assert calm.get("/api/v1/organisations/services/").status_code == 200
    finally:
        TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def test_tokens_last_use_is_noted(area):
    client = token_client(area.la_officer)
    client.get("/api/v1/organisations/services/")
    assert ApiToken.objects.get(pk=client.token.pk).last_used_at is not None


def test_a_child_is_changed_with_its_version(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    client = token_client(area.la_officer)
    url = f"/api/v1/children/{child.pk}/"
    changed = client.patch(url, {"version": 1, "family_name": "Renamed"}, format="json")
    assert changed.status_code == 200 and changed.json()["family_name"] == "Renamed"
    assert changed.json()["version"] == 2 and changed.json()["given_name"] == child.given_name
    stale = client.patch(url, {"version": 1, "family_name": "Again"}, format="json")
    assert stale.status_code == 409
    unversioned = client.patch(url, {"family_name": "Again"}, format="json")
    assert unversioned.json()["errors"] == {"version": ["Send the version of the child you read"]}
    # A date of death is a designated officer's to record (ehc.checks.death_problems).
    refused = client.patch(url, {"version": 2, "date_of_death": "2026-11-01"}, format="json")
    assert refused.status_code == 400 and "date_of_death" in refused.json()["errors"]
    assert client.put(url, {}, format="json").status_code == 405


def test_a_practitioner_records_advice_with_its_provision(area):
    contribution = f.ContributionFactory(
        request__child__local_authority=area.local_authority, service=area.service
    )
    client = token_client(area.practitioner)
    url = f"/api/v1/contributions/{contribution.pk}/advice/"
    body = {
        "written_on": "2026-10-01",
        "author_name": "Dr C Example",
        "author_profession": "Community paediatrician",
        "needs": "Sensory processing needs.",
        "provision": [
            {
                "description": "Sensory diet",
                "delivered_by": "Occupational therapist",
                "frequency": "Daily",
                "duration": "Two terms",
                "section": "F",
            },
            {
                "description": "Review of equipment",
                "delivered_by": "Occupational therapist",
                "frequency": "Termly",
                "duration": "A year",
                "section": "G",
                "available": False,
            },
        ],
    }
    made = client.post(url, body, format="json")
    assert made.status_code == 201, made.json()
    assert [row["description"] for row in made.json()["provision"]] == [
        "Sensory diet",
        "Review of equipment",
    ]
    # Advice for a contribution not yet returned records the return on its date.
    returned = Contribution.objects.get(pk=contribution.pk)
    assert returned.returned_on == datetime.date(2026, 10, 1)
    assert returned.outcome == "advice_given"
    # A change needs the version read, and replaces the rows.
    body["provision"] = body["provision"][:1]
    assert client.post(url, body, format="json").status_code == 400
    body["version"] = made.json()["version"]
    changed = client.post(url, body, format="json")
    assert changed.status_code == 200 and len(changed.json()["provision"]) == 1


def test_advice_dated_after_its_due_date_gets_the_pages_message(area):
    contribution = f.ContributionFactory(
        request__child__local_authority=area.local_authority, service=area.service
    )
    response = token_client(area.practitioner).post(
        f"/api/v1/contributions/{contribution.pk}/advice/",
        {
            "written_on": str(timezone.localdate()),
            "author_name": "Dr C Example",
            "author_profession": "Paediatrician",
        },
        format="json",
    )
    assert response.status_code == 400
    [message] = response.json()["errors"]["written_on"]
    assert message.startswith("This advice is dated after it was due")


@pytest.mark.parametrize("url", ["/api/v1/children/", "/api/v1/contributions/", "/api/v1/advice/"])
def test_lists_take_a_fixed_number_of_queries(
    area, url, django_assert_max_num_queries, cache_in_memory
):
    for _ in range(5):
        f.ProvisionItemFactory(
            advice__contribution__request__child__local_authority=area.local_authority,
            advice__contribution__service=area.service,
        )
    client = token_client(area.officer)
    client.get(url)  # the token's first use is noted
    with django_assert_max_num_queries(9):
        assert len(client.get(url).json()["results"]) == 5


def test_answers_about_children_are_never_cached(area):
    f.HealthAdviceRequestFactory(child__local_authority=area.local_authority)
    response = token_client(area.la_officer).get("/api/v1/requests/")
    assert "no-store" in response["Cache-Control"]
    assert response["Permissions-Policy"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "parse_error"),
        (
            "process=needs_assessment",
            "application/x-www-form-urlencoded",
            415,
            "unsupported_media_type",
        ),
        ("[1, 2]", "application/json", 400, "invalid"),
    ],
)
def test_what_is_not_a_json_object_gets_the_one_error_shape(area, body, content_type, status, code):
    response = token_client(area.la_officer).post(
        "/api/v1/requests/", body, content_type=content_type
    )
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["status"] == status
    assert token_client(area.la_officer).delete("/api/v1/requests/").json()["code"] == (
        "method_not_allowed"
    )


def test_continuing_care_is_sent_and_recorded_like_the_other_groups(area):
    """A child's continuing-care flag (a group the reports count) is read and
    written through the API as on the child's form."""
    from ehc.models import Child
    from tests.api.conftest import token_client

    client = token_client(area.la_officer)
    body = {
        "given_name": "Cara",
        "family_name": "Lee",
        "date_of_birth": "2015-01-02",
        "continuing_care": True,
    }
    made = client.post("/api/v1/children/", body, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["continuing_care"] is True
    assert Child.objects.get(pk=made.json()["id"]).continuing_care is True
