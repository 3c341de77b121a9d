"""Each demo user signs in through the browser, lands on their own home page,
and every page on the way passes axe-core at WCAG 2.2 AA."""

import pytest
from django.core.management import call_command

from tests.functional.conftest import assert_accessible

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

LANDINGS = [
    ("admin@example.org", "/administration/", "Administration"),
    ("dco@example.org", "/officer/", "Your local areas"),
    ("dmo@example.org", "/officer/", "Your local areas"),
    ("practitioner@example.org", "/practitioner/", "Your services"),
    ("commissioner@example.org", "/commissioner/", "Integrated Care Board"),
    ("la@example.org", "/local-authority/", "Council"),
]


@pytest.fixture
def demo(settings):
    call_command("seed_demo", size="small", force=True)
    return settings.DEMO_PASSWORD


def sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("email,landing,heading", LANDINGS)
def test_demo_user_signs_in_to_their_home_page(page, live_server, demo, email, landing, heading):
    page.goto("/accounts/login/")
    assert_accessible(page)
    sign_in(page, email, demo)
    page.wait_for_url(f"{live_server.url}{landing}")
    assert heading in page.locator("h1").inner_text()
    assert_accessible(page)
    # Signing out returns to the sign-in page.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")


def test_failed_sign_in_shows_an_accessible_error(page, live_server, demo):
    sign_in(page, "dco@example.org", "not the password")
    summary = page.locator(".govuk-error-summary")
    assert "Enter a correct email address and password" in summary.inner_text()
    assert_accessible(page)


def test_public_and_error_pages_are_accessible(page, live_server, demo):
    page.goto("/accessibility/")
    assert "Accessibility statement" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.goto("/accounts/password/reset/")
    assert_accessible(page)
    sign_in(page, "commissioner@example.org", demo)
    page.wait_for_url(f"{live_server.url}/commissioner/")
    response = page.goto("/officer/")
    assert response.status == 403
    assert_accessible(page)
    response = page.goto("/organisations/local-authorities/E06999999/")
    assert response.status == 404
    assert_accessible(page)


def test_officer_browses_organisations(page, live_server, demo):
    sign_in(page, "dco@example.org", demo)
    page.wait_for_url(f"{live_server.url}/officer/")
    page.get_by_role("link", name="Organisations").click()
    page.wait_for_url(f"{live_server.url}/organisations/")
    assert_accessible(page)
    page.locator("table a.govuk-link").first.click()
    assert "Local authority" in page.locator(".govuk-caption-l").inner_text()
    assert_accessible(page)
    # A filter value that is not on the list: a message by the field, not an error page.
    page.goto("/organisations/?commissioning_body=not-a-body")
    assert "Choose a commissioning body" in page.locator(".govuk-error-message").inner_text()
    assert_accessible(page)


def test_javascript_components_start_without_csp_errors(page, live_server, demo):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/accounts/login/")
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    assert errors == []


def test_an_idle_officer_is_signed_out_with_a_message(page, live_server, demo, settings):
    import time

    from django.contrib.sessions.backends.db import SessionStore

    from accounts.middleware import LAST_SEEN

    sign_in(page, "dco@example.org", demo)
    page.wait_for_url(f"{live_server.url}/officer/")
    # 31 minutes pass without a request.
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = SessionStore(session_key=cookie["value"])
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    page.get_by_role("link", name="Children").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/?next=/ehc/children/")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "You were signed out after 30 minutes without activity" in banner
    assert_accessible(page)
    # Signing in again goes back to where they were.
    page.get_by_label("Email address").fill("dco@example.org")
    page.get_by_label("Password").fill(demo)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/ehc/children/")


def test_the_permissions_policy_names_only_features_the_browser_knows(page, live_server, demo):
    messages = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.goto("/accounts/login/")
    sign_in(page, "dco@example.org", demo)
    page.wait_for_url(f"{live_server.url}/officer/")
    assert not [text for text in messages if "Permissions-Policy" in text]
