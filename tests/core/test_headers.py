"""Response headers (core.headers): no-store wherever personal data may be
shown, and a Permissions-Policy on every page."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from core.headers import PrivacyHeadersMiddleware, permissions_policy
from tests import factories as f

NO_STORE = "no-store"


def cache_control(response) -> str:
    return response.headers.get("Cache-Control", "")


@pytest.mark.django_db
def test_every_page_a_signed_in_user_sees_is_not_stored(client, area):
    child = f.ChildFactory(local_authority=area.local_authority)
    client.force_login(area.officer)
    for url in (
        area.officer.get_home_url(),
        reverse("ehc:child_list"),
        reverse("ehc:child_detail", args=[child.pk]),
        reverse("accessibility"),  # public, but shown to a signed-in user
        reverse("ehc:child_detail", args=[999999]),  # an error page
    ):
        response = client.get(url)
        assert NO_STORE in cache_control(response), url
        assert "private" in cache_control(response), url
        assert "public" not in cache_control(response), url


@pytest.mark.django_db
def test_signing_out_is_not_stored_either(client, area):
    client.force_login(area.officer)
    response = client.post(reverse("accounts:logout"))
    assert NO_STORE in cache_control(response)


@pytest.mark.django_db
def test_public_pages_for_anonymous_visitors_are_left_alone(client):
    response = client.get(reverse("accessibility"))
    assert NO_STORE not in cache_control(response)


def test_a_download_is_never_stored_whoever_asks():
    def download(request):
        response = HttpResponse(b"name,dob\n", content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="children.csv"'
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = RequestFactory().get("/download/")
    response = PrivacyHeadersMiddleware(download)(request)  # no user at all
    assert NO_STORE in cache_control(response)
    assert "max-age=0" in cache_control(response)
    assert "public" not in cache_control(response)


@pytest.mark.django_db
def test_every_page_switches_off_browser_features(client, area):
    client.force_login(area.commissioner)
    for response in (
        client.get(area.commissioner.get_home_url()),
        client.get(reverse("healthz")),
        client.get("/no-such-page/"),
    ):
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy
    assert "Permissions-Policy" in client.get(reverse("accounts:login")).headers


def test_the_policy_allows_each_feature_to_no_origin(settings):
    settings.PERMISSIONS_POLICY = ["camera", "usb"]
    assert permissions_policy() == "camera=(), usb=()"
