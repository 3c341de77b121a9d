"""Two-factor sign-in in the browser: a designated officer sets up an app
(reading the key off the page, as an app would), saves the recovery codes,
then signs in again with a code; every page passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.functional.conftest import assert_accessible
from tests.two_factor import app_code

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"  # tests/factories.py


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_officer_sets_up_an_app_then_signs_in_with_a_code(
    page, live_server, area, two_factor_required
):
    officer = area.officer
    sign_in(page, officer.email)
    page.wait_for_url(re.compile(r"/accounts/two-factor/set-up/"))
    assert page.locator("h1").inner_text() == "Set up two-factor sign-in"
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    assert_accessible(page)

    key = page.locator("#setup-key").inner_text().replace(" ", "")
    code = totp(b32decode(key + "=" * (-len(key) % 8)))
    page.get_by_label("Code from your app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/accounts/two-factor/recovery-codes/"))
    assert page.locator("h1").inner_text() == "Save your recovery codes"
    assert page.locator("#recovery-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/officer/")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    sign_in(page, officer.email)
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    assert page.locator("h1").inner_text() == "Enter your code"
    assert page.locator(".govuk-service-navigation").count() == 0  # no menu yet
    assert_accessible(page)

    device = TOTPDevice.objects.get(user=officer)
    right = app_code(device)
    page.get_by_label("Code").fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Continue").click()
    assert "The code is not right" in page.locator(".govuk-error-message").inner_text()
    assert "The code is not right" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)

    time.sleep(1.1)  # django-otp makes the next try after a wrong code wait a second
    page.get_by_label("Code").fill(right)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/officer/")
    assert "Your local areas" in page.locator("h1").inner_text()
