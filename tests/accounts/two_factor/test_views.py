"""The two-factor pages through the test client: signing in with a password
leads to setting up an app or giving a code; errors sit beside the field;
recovery codes are shown once."""

from __future__ import annotations

import re
from base64 import b32decode
from urllib.parse import urlparse

import pytest
import segno
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import policy, services
from tests.two_factor import app_code, set_up_app, verified_client

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests/factories.py
ENROL = reverse("accounts:two_factor_enrol")
VERIFY = reverse("accounts:two_factor_verify")
CODES = reverse("accounts:two_factor_recovery_codes")


def sign_in(client: Client, user, next_url: str = "") -> str:
    """Sign in with the password; returns where the portal sends the user
    after following the redirects up to the first page that is not one."""
    url = reverse("accounts:login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    location = response["Location"]
    while (response := client.get(location)).status_code == 302:
        location = response["Location"]
    return location


def path_of(url: str) -> str:
    return urlparse(url).path


def shown_key(response) -> bytes:
    text = re.search(r'id="setup-key">([A-Z2-7 ]+)<', response.content.decode()).group(1)
    key = text.replace(" ", "")
    return b32decode(key + "=" * (-len(key) % 8))


def test_a_required_role_signs_in_sets_up_an_app_and_sees_recovery_codes(area, two_factor_required):
    client = Client()
    landed = sign_in(client, area.officer, next_url="/ehc/children/")
    assert path_of(landed) == ENROL

    page = client.get(landed)
    content = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    assert "Set up two-factor sign-in" in content
    device = TOTPDevice.objects.get(user=area.officer, confirmed=False)
    # The QR code is the device's otpauth:// address, drawn on the server.
    assert segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4) in content
    assert "otpauth://totp/SEND%20health%20portal" in device.config_url
    # The key shown as text is the device's key: an app typing it in computes
    # the codes the portal expects.
    key = shown_key(page)
    assert key == device.bin_key
    code = f"{totp(key):06d}"

    response = client.post(landed, {"token": code})
    assert path_of(response["Location"]) == CODES
    shown = client.get(response["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", shown.content.decode())
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert 'href="/ehc/children/"' in shown.content.decode()
    # Shown once: a reload gives only the count.
    again = client.get(response["Location"]).content.decode()
    assert codes[0] not in again
    assert "You have 10 recovery codes left" in again
    # The session is verified: the page the user was going to opens.
    assert client.get("/ehc/children/").status_code == 200


def test_a_wrong_code_at_set_up_is_refused_beside_the_field(area, two_factor_required):
    client = Client()
    client.force_login(area.officer)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=area.officer)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"token": wrong})
    content = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in content
    assert re.search(
        r'govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>\s*'
        r"The code is not right",
        content,
    )
    assert "<title>Error:" in content
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Enter the 6-digit code your app shows"), ("12 34", "The code must be 6 digits")],
)
def test_set_up_says_what_to_enter(area, typed, message):
    client = Client()
    client.force_login(area.officer)
    response = client.post(ENROL, {"token": typed})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_signing_in_again_asks_for_a_code_not_a_new_app(area, two_factor_required):
    device, _codes = set_up_app(area.la_officer)
    client = Client()
    landed = sign_in(client, area.la_officer)
    assert path_of(landed) == VERIFY
    page = client.get(landed)
    assert "Enter your code" in page.content.decode()
    response = client.post(landed, {"code": app_code(device)})
    assert response["Location"] == reverse("accounts:home")
    assert path_of(sign_in_landing(client)) == "/local-authority/"


def sign_in_landing(client: Client) -> str:
    response = client.get(reverse("accounts:home"))
    return response["Location"]


def test_a_wrong_code_at_sign_in_is_refused_beside_the_field(area, two_factor_required):
    device, _codes = set_up_app(area.officer)
    client = Client()
    client.force_login(area.officer)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    content = response.content.decode()
    assert response.status_code == 400
    assert re.search(
        r'id="id_code_1_error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>\s*The code is not right',
        content,
    )
    # Straight away again: too many wrong codes, wait.
    response = client.post(VERIFY, {"code": app_code(device)})
    assert "Too many wrong codes: wait 1 second" in response.content.decode()
    assert client.get("/officer/").status_code == 302


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(area, two_factor_required):
    _device, codes = set_up_app(area.officer)
    client = Client()
    client.force_login(area.officer)
    response = client.post(VERIFY, {"code": codes[3]}, follow=True)
    assert response.redirect_chain[-1][0] == "/officer/"
    assert "You signed in with a recovery code. You have 9 left" in response.content.decode()

    again = Client()
    again.force_login(area.officer)
    response = again.post(VERIFY, {"code": codes[3]})
    assert response.status_code == 400
    assert again.get("/officer/").status_code == 302


def test_verifying_starts_a_new_session_key(area, two_factor_required):
    device, _codes = set_up_app(area.officer)
    client = Client()
    client.force_login(area.officer)
    before = client.session.session_key
    client.post(VERIFY, {"code": app_code(device)})
    assert client.session.session_key != before


def test_next_must_be_a_page_of_the_portal(area, two_factor_required):
    device, _codes = set_up_app(area.officer)
    client = Client()
    client.force_login(area.officer)
    response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": app_code(device)})
    assert response["Location"] == reverse("accounts:home")


@pytest.mark.parametrize("next_url", ["1", "home", "accounts:home"])
def test_a_next_that_is_not_a_path_goes_home(area, next_url):
    # Found by tests/test_fuzz.py: redirect() took a bare word for a URL name
    # and failed with a server error (NoReverseMatch).
    client = Client()
    client.force_login(area.officer)
    response = client.get(VERIFY, {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")


def test_with_only_the_password_the_app_cannot_be_swapped(area, two_factor_required):
    set_up_app(area.officer)
    client = Client()
    client.force_login(area.officer)
    response = client.get(ENROL)
    assert path_of(response["Location"]) == VERIFY
    response = client.post(ENROL, {"token": "123456"})
    assert path_of(response["Location"]) == VERIFY
    assert TOTPDevice.objects.filter(user=area.officer).count() == 1


def test_a_verified_user_changes_their_app(area, two_factor_required):
    old, _codes = set_up_app(area.officer)
    client = verified_client(area.officer, old)
    page = client.get(ENROL)
    assert "Change your authenticator app" in page.content.decode()
    new = TOTPDevice.objects.get(user=area.officer, confirmed=False)
    response = client.post(ENROL, {"token": app_code(new)})
    assert path_of(response["Location"]) == CODES
    assert list(TOTPDevice.objects.filter(user=area.officer)) == [new]


def test_new_recovery_codes_from_a_verified_session(area, two_factor_required):
    device, old = set_up_app(area.officer)
    client = verified_client(area.officer, device)
    response = client.post(CODES)
    shown = client.get(response["Location"]).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{4}) ([a-z2-7]{4})</code></li>", shown)
    assert len(new) == 10
    assert {"".join(pair) for pair in new}.isdisjoint(old)


def test_recovery_codes_without_an_app_lead_to_set_up(area):
    client = Client()
    client.force_login(area.commissioner)
    response = client.post(CODES)
    assert path_of(response["Location"]) == ENROL


def test_recovery_codes_need_a_verified_session(area, settings):
    """The middleware stops an unverified session first; without it (a user
    who set up an app in another session, say) the view refuses too."""
    set_up_app(area.commissioner)
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "accounts.two_factor.middleware.TwoFactorMiddleware"
    ]
    client = Client()
    client.force_login(area.commissioner)
    before = policy.recovery_codes_left(area.commissioner)
    response = client.post(CODES)
    assert path_of(response["Location"]) == VERIFY
    response = client.post(ENROL, {"token": "123456"})
    assert path_of(response["Location"]) == VERIFY
    assert policy.recovery_codes_left(area.commissioner) == before


def test_a_commissioner_signs_in_with_a_password_and_may_choose_an_app(area, two_factor_required):
    client = Client()
    assert path_of(sign_in(client, area.commissioner)) == "/commissioner/"
    settings_page = client.get(reverse("accounts:preferences")).content.decode()
    assert "Two-factor sign-in is off" in settings_page
    assert "You can add a code from an authenticator app" in settings_page

    client.get(ENROL)
    device = TOTPDevice.objects.get(user=area.commissioner)
    client.post(ENROL, {"token": app_code(device)})
    settings_page = client.get(reverse("accounts:preferences")).content.decode()
    assert "Two-factor sign-in is on" in settings_page
    assert "you have 10 recovery codes left" in settings_page

    # Having chosen an app, the next sign-in asks for a code.
    client.post(reverse("accounts:logout"))
    assert path_of(sign_in(client, area.commissioner)) == VERIFY


def test_verify_without_an_app_sends_the_user_on(area, two_factor_required):
    client = Client()
    client.force_login(area.commissioner)
    assert client.get(VERIFY)["Location"] == reverse("accounts:home")
    client.force_login(area.officer)
    assert path_of(client.get(VERIFY)["Location"]) == ENROL
