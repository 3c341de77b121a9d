"""The API in the browser: an LA SEND officer creates a personal API token
on their settings page (one mistake first), copies it once, uses it, then
revokes it; the API's documentation loads from the portal under the strict
CSP. Every page passes axe-core at WCAG 2.2 AA (the documentation with the
portal's fixes to Swagger UI: static/css/api-docs.css, static/js/api-docs.js)."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import ApiToken
from tests import factories as f
from tests.access import make_area
from tests.functional.conftest import assert_accessible
from tests.functional.test_ehc_journey import fill_date, new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def test_la_officer_creates_uses_and_revokes_a_token(new_page):  # noqa: F811
    area = make_area()
    f.HealthAdviceRequestFactory(
        child=f.ChildFactory(local_authority=area.local_authority, family_name="Tokenchild")
    )
    officer = new_page()
    sign_in(officer, area.la_officer)
    officer.goto("/accounts/settings/")
    officer.get_by_role("link", name="Manage your API tokens").click()
    expect(officer.locator("body")).to_contain_text("You have no API tokens.")
    assert_accessible(officer)

    # No name: the message is beside the field, the date is kept.
    expires = datetime.date.today() + datetime.timedelta(days=30)
    fill_date(officer, "Expires on", expires)
    officer.get_by_role("button", name="Create token").click()
    expect(officer.locator("body")).to_contain_text("Enter a name for the token")
    assert officer.get_by_role("alert").is_visible()
    assert_accessible(officer)
    officer.get_by_label("Name").fill("EHC Hub test link")
    officer.get_by_role("button", name="Create token").click()
    expect(officer.locator("body")).to_contain_text("Token created")
    raw = officer.locator("#new-token code").inner_text().strip()
    assert ApiToken.objects.get().name == "EHC Hub test link"
    assert_accessible(officer)

    # The token reads the officer's requests, and nothing without it.
    api = officer.context.request
    answer = api.get("/api/v1/requests/", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status == 200 and "Tokenchild" in answer.text()
    assert api.get("/api/v1/requests/").status == 401

    # Shown once: not on the page again; revoked, it stops working.
    officer.goto("/accounts/settings/api-tokens/")
    assert raw not in officer.content()
    officer.get_by_role("button", name="Revoke EHC Hub test link").click()
    expect(officer.locator("body")).to_contain_text("revoked. It no longer works.")
    assert_accessible(officer)
    answer = api.get("/api/v1/requests/", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status == 401


def test_the_documentation_loads_under_the_csp(new_page):  # noqa: F811
    page = new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/api/v1/docs/")
    expect(page.locator("body")).to_contain_text("SEND health portal API", timeout=20_000)
    expect(page.locator("body")).to_contain_text("/api/v1/requests/")
    assert_accessible(page)
    # Opened, an operation shows its parameters and examples: still accessible.
    page.locator("#operations-requests-requests_create button.opblock-summary-control").click()
    expect(page.locator("body")).to_contain_text("Idempotency-Key")
    page.locator("#operations-requests-requests_list button.opblock-summary-control").click()
    expect(page.locator("body")).to_contain_text("since")
    assert_accessible(page)
    assert not refused, refused  # no script or style refused
