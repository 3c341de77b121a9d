import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def test_sign_in_page_renders_gov_uk_form(client):
    response = client.get(reverse("accounts:login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-input' in content
    assert "Email address" in content


def test_sign_in_with_email_in_any_case_lands_on_role_home(client, area):
    response = client.post(
        reverse("accounts:login"),
        {"username": area.officer.email.upper(), "password": PASSWORD},
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:officer_home")


def test_wrong_password_shows_error_summary_and_keeps_email(client, area):
    response = client.post(
        reverse("accounts:login"), {"username": area.officer.email, "password": "nope"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Enter a correct email address and password" in content
    assert area.officer.email in content
    assert "<title>Error:" in content


def test_blank_sign_in_says_what_to_enter(client):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    content = response.content.decode()
    assert "Enter your email address" in content
    assert "Enter your password" in content


def test_repeated_failures_lock_the_account(client, area):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": area.officer.email, "password": "wrong"})
    response = client.post(url, {"username": area.officer.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


PROXY = "10.0.0.2"  # the proxy in front of the portal: every request's socket peer


def sign_in_via_proxy(client, email, password, forwarded_for):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_failures_from_one_address_do_not_lock_out_another(client, area, settings):
    """Five wrong passwords for one account from one client behind the proxy
    lock that client out; the account's owner, signing in from another
    address behind the same proxy, gets in."""
    settings.PROXY_COUNT = 1
    email = area.officer.email
    for _ in range(5):
        sign_in_via_proxy(client, email, "wrong", "198.51.100.66")
    owner = sign_in_via_proxy(Client(), email, PASSWORD, "198.51.100.7")
    assert owner.status_code == 302
    assert owner["Location"] == reverse("accounts:home")
    # The attacking address stays locked, even with the right password and
    # whatever it writes into the header itself.
    for forwarded_for in ("198.51.100.66", "198.51.100.7, 198.51.100.66"):
        response = sign_in_via_proxy(Client(), email, PASSWORD, forwarded_for)
        assert response.status_code == 429, forwarded_for


def test_without_a_proxy_a_forged_header_does_not_escape_the_lockout(client, area, settings):
    settings.PROXY_COUNT = 0
    url = reverse("accounts:login")
    for n in range(5):
        client.post(
            url,
            {"username": area.officer.email, "password": "wrong"},
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = client.post(
        url,
        {"username": area.officer.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429


def test_sign_out_is_a_post(client, area):
    client.force_login(area.officer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("portal:officer_home")).status_code == 302


def test_password_change(client, area):
    url = reverse("accounts:password_change")
    assert client.get(url).status_code == 302  # anonymous
    client.force_login(area.officer)
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "brand-new-secret-phrase",
            "new_password2": "brand-new-secret-phrase",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    area.officer.refresh_from_db()
    assert area.officer.check_password("brand-new-secret-phrase")


def test_password_change_errors_sit_by_the_field(client, area):
    client.force_login(area.officer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    content = response.content.decode()
    assert "govuk-error-message" in content
    assert "too short" in content


def test_password_reset_by_email_end_to_end(client, area):
    response = client.post(reverse("accounts:password_reset"), {"email": area.officer.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [area.officer.email]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    response = client.get(link)  # redirects to the set-password form
    form_url = response["Location"]
    response = client.post(
        form_url,
        {"new_password1": "reset-secret-phrase-1", "new_password2": "reset-secret-phrase-1"},
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert User.objects.get(pk=area.officer.pk).check_password("reset-secret-phrase-1")


def test_password_reset_for_unknown_email_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_accessibility_statement_is_public(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "Accessibility statement" in response.content.decode()


def test_navigation_depends_on_role(client, area):
    client.force_login(area.administrator)
    assert "Django admin" in client.get(reverse("portal:admin_home")).content.decode()
    client.force_login(area.commissioner)
    assert "Django admin" not in client.get(reverse("portal:commissioner_home")).content.decode()


def test_pages_send_a_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def ask_for_reset(client, email, address="192.0.2.10"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_is_limited_per_email_address_without_revealing_accounts(
    client, area, settings
):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 100
    for _ in range(3):
        assert ask_for_reset(client, area.officer.email).status_code == 302
        assert ask_for_reset(client, "nobody@example.org").status_code == 302
    assert len(mail.outbox) == 3
    refused = ask_for_reset(client, area.officer.email.upper())  # the same address
    unknown = ask_for_reset(client, "nobody@example.org")
    assert len(mail.outbox) == 3
    # The same answer whether or not the email address has an account.
    for response in (refused, unknown):
        content = response.content.decode()
        assert response.status_code == 429
        assert "There is a problem" in content
        assert "Too many requests to reset a password" in content
        assert "Wait an hour" in content
    # From another address the limit on the email address still holds.
    assert ask_for_reset(client, area.officer.email, "192.0.2.11").status_code == 429
    # Another email address is unaffected.
    assert ask_for_reset(client, area.la_officer.email).status_code == 302
    assert len(mail.outbox) == 4


def test_password_reset_is_limited_per_client_address(client, area, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 100
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 10
    for n in range(10):
        assert ask_for_reset(client, f"someone{n}@example.org").status_code == 302
    assert ask_for_reset(client, area.officer.email).status_code == 429
    assert mail.outbox == []
    # Another client is not held up by the first.
    assert ask_for_reset(client, area.officer.email, "192.0.2.99").status_code == 302
    assert len(mail.outbox) == 1


def test_password_reset_limits_count_the_trusted_address_behind_a_proxy(client, area, settings):
    settings.PROXY_COUNT = 1
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 100
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    url = reverse("accounts:password_reset")
    for n in range(2):
        client.post(
            url,
            {"email": f"someone{n}@example.org"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7",
        )
    blocked = client.post(
        url,
        {"email": area.officer.email},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    other = client.post(
        url,
        {"email": area.officer.email},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert (blocked.status_code, other.status_code) == (429, 302)


def test_an_invalid_reset_form_counts_nothing(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 1
    for _ in range(3):
        assert ask_for_reset(client, "not an email").status_code == 200
    assert ask_for_reset(client, "nobody@example.org").status_code == 302
