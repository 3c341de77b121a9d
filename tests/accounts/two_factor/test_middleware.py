"""Between the password and the second factor, nothing is reachable but the
pages that lead through it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from accounts.two_factor import policy
from tests.two_factor import set_up_app, verified_client

pytestmark = pytest.mark.django_db

BLOCKED = [
    "/",
    "/officer/",
    "/ehc/children/",
    "/ehc/requests/",
    "/reports/dashboard/",
    "/accounts/settings/",
    "/accounts/password/change/",
    "/accounts/two-factor/recovery-codes/",
    "/admin/",
    "/admin/accounts/user/",
]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", BLOCKED)
def test_a_user_without_an_app_is_sent_to_set_one_up(area, two_factor_required, url):
    response = signed_in(area.officer).get(url)
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == reverse("accounts:two_factor_enrol")
    assert parse_qs(location.query) == {"next": [url]}


@pytest.mark.parametrize("url", BLOCKED)
def test_a_user_with_an_app_is_asked_for_a_code(area, two_factor_required, url):
    set_up_app(area.administrator)
    response = signed_in(area.administrator).get(url)
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == reverse("accounts:two_factor_verify")


def test_a_post_is_stopped_too_and_writes_nothing(area, two_factor_required):
    response = signed_in(area.officer).post(reverse("accounts:preferences"), {})
    assert response.status_code == 302
    area.officer.refresh_from_db()
    assert area.officer.receive_digests


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/two-factor/set-up/",
        "/accounts/login/",  # sends a signed-in user on, to be stopped again
        "/healthz/",
        "/accessibility/",
        "/static/css/app.css",
    ],
)
def test_the_way_through_stays_open(area, two_factor_required, url):
    response = signed_in(area.officer).get(url)
    assert urlparse(response.get("Location", "")).path != reverse("accounts:two_factor_enrol")


def test_signing_out_stays_open(area, two_factor_required):
    client = signed_in(area.officer)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_no_menu_while_the_code_is_awaited(area, two_factor_required):
    set_up_app(area.officer)
    response = signed_in(area.officer).get(reverse("accounts:two_factor_verify"))
    assert response.status_code == 200
    assert response.context["nav_items"] == []
    assert "Sign out" in response.content.decode()


def test_a_verified_user_goes_anywhere(area, two_factor_required):
    client = verified_client(area.officer)
    assert client.get("/officer/").status_code == 200
    assert client.get("/ehc/children/").status_code == 200


def test_with_the_requirement_off_a_user_without_an_app_goes_anywhere(area):
    client = signed_in(area.officer)
    assert client.get("/officer/").status_code == 200


def test_a_user_with_an_app_is_asked_even_with_the_requirement_off(area):
    set_up_app(area.commissioner)
    client = signed_in(area.commissioner)
    assert client.session[policy.HAS_DEVICE_SESSION_KEY]
    response = client.get("/commissioner/")
    assert urlparse(response["Location"]).path == reverse("accounts:two_factor_verify")
