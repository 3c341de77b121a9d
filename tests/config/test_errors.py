import json

import pytest
from django.test import RequestFactory

from config import errors


def test_500_page_renders_without_database_or_request_context():
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Sorry, there is a problem with the service" in content
    assert "Skip to main content" in content


@pytest.mark.django_db
def test_403_page_is_styled(client, area):
    client.force_login(area.commissioner)
    response = client.get("/officer/")
    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()


@pytest.mark.django_db
def test_404_page_is_styled(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_an_api_address_that_matches_no_route_answers_in_the_apis_error_shape(client):
    response = client.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": "Not found: there is no such address.",
    }


@pytest.mark.django_db
def test_an_api_body_past_the_size_limit_answers_in_the_apis_error_shape(client, settings, area):
    from tests.api.conftest import token_client

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = token_client(area.la_officer).post(
        "/api/v1/requests/", {"la_reference": "x" * 5000}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] in ("bad_request", "parse_error")


def test_an_api_server_error_answers_in_the_apis_error_shape():
    response = errors.server_error(RequestFactory().get("/api/v1/requests/"))
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"
