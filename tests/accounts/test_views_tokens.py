"""The API tokens page (accounts.views.api_tokens) and the sign-in refusal
of service accounts."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken
from accounts.roles import AccountKind
from tests import factories as f
from tests.access import date_data
from tests.two_factor import set_up_app, verified_client

pytestmark = pytest.mark.django_db
URL = "/accounts/settings/api-tokens/"


def expiry(days: int = 30) -> dict:
    return date_data("expires_on", str(timezone.localdate() + datetime.timedelta(days=days)))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_new_token_is_shown_once_and_works():
    user = f.LAOfficerFactory()
    client = signed_in(user)
    response = client.post(URL, {"name": "Monthly script", **expiry()})
    assert response.status_code == 200
    raw = response.context["created_raw"]
    assert raw.startswith("sendp_") and raw in response.content.decode()
    assert tokens.token_for(raw, address=None).user == user
    again = client.get(URL).content.decode()
    assert raw not in again and "Monthly script" in again


def test_a_resent_form_does_not_make_a_second_token():
    client = signed_in(f.LAOfficerFactory())
    submission = client.get(URL).context["form"]["submission"].value()
    data = {"name": "Once", "submission": str(submission), **expiry()}
    assert client.post(URL, data).status_code == 200
    response = client.post(URL, data)
    assert response.status_code == 302
    assert ApiToken.objects.filter(name="Once").count() == 1


def test_bad_input_is_shown_beside_the_fields():
    client = signed_in(f.LAOfficerFactory())
    response = client.post(
        URL, {"name": "", "expires_on_0": "31", "expires_on_1": "2", "expires_on_2": "2027"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "name": ["Enter a name for the token"],
        "expires_on": ["Enter a real date, for example 27 3 2026"],
    }
    response = client.post(URL, {"name": "Long", **expiry(400)})
    assert response.context["form"].errors == {
        "expires_on": ["The expiry date must be within 365 days of today"]
    }
    assert not ApiToken.objects.exists()


def test_the_rule_refuses_a_past_expiry_beside_its_field():
    client = signed_in(f.LAOfficerFactory())
    response = client.post(URL, {"name": "Late", **expiry(-1)})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "expires_on": ["The expiry date must be in the future"]
    }


def test_revoking_ones_own_token_and_nobody_elses():
    owner, other = f.LAOfficerFactory(), f.LAOfficerFactory()
    token, raw = tokens.issue_token(
        user=owner, name="A", expires_on=timezone.localdate() + datetime.timedelta(days=3), by=owner
    )
    signed_in(other).post(URL, {"revoke": str(token.pk)})
    assert tokens.token_for(raw, address=None) is not None
    response = signed_in(owner).post(URL, {"revoke": str(token.pk)})
    assert response.status_code == 302
    assert tokens.token_for(raw, address=None) is None
    for junk in ("", "x", "-1", "9" * 40):
        assert signed_in(owner).post(URL, {"revoke": junk}).status_code == 302


def test_a_role_needing_a_second_factor_creates_tokens_only_after_giving_it(
    two_factor_required,
):
    officer = f.DesignatedOfficerFactory()
    device, _codes = set_up_app(officer)
    # Signed in with the password alone, the page is not reached at all.
    assert signed_in(officer).get(URL).status_code == 302
    client = verified_client(officer, device)
    response = client.post(URL, {"name": "Verified", **expiry()})
    assert response.status_code == 200 and response.context["created_raw"]


def test_the_settings_page_links_to_the_tokens():
    response = signed_in(f.CommissionerFactory()).get(reverse("accounts:preferences"))
    assert reverse("accounts:api_tokens") in response.content.decode()


def test_a_service_account_cannot_sign_in():
    la = f.LocalAuthorityFactory()
    f.LAOfficerFactory(email="hub@example.org", kind=AccountKind.SYSTEM, local_authorities=[la])
    response = Client().post(
        reverse("accounts:login"),
        {"username": "hub@example.org", "password": "a-long-test-password"},
    )
    assert response.status_code == 200
    assert "service account for another system" in response.content.decode()
    assert "_auth_user_id" not in Client().session
