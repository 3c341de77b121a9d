"""The password rules as configured (AUTH_PASSWORD_VALIDATORS): Django's own
validators plus accounts.passwords."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.passwords import NotCurrentPasswordValidator, VarietyValidator
from tests import factories as f

CURRENT = "a-long-test-password"  # what the factories give every user


def errors(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


def person():
    """An unsaved user: the rules about who they are need no database."""
    return User(email="dana.cole@nhs.example.org", full_name="Alexandra Richardson")


@pytest.mark.parametrize(
    "password,code",
    [
        ("short-pass1", "password_too_short"),  # 11 characters
        ("aaaaaaaaaaaa", "password_too_repetitive"),
        ("abababababab", "password_too_repetitive"),
        ("121212343434", "password_too_repetitive"),
        ("abcdefghijkl", "password_sequence"),
        ("ZYXWVUTSRQPO", "password_sequence"),
        ("890123456789", "password_sequence"),
        ("qwertyuiopas", "password_sequence"),
        ("123456789012", "password_entirely_numeric"),
        ("passwordpassword", "password_too_repetitive"),
        ("Summer24Summer24", "password_too_repetitive"),
        ("password1234", "password_too_common"),
        ("alexandrarichardson", "password_too_similar"),  # the full name
        ("Richardson-Alexandra", "password_too_similar"),
        ("dana.cole@nhs.example.org", "password_too_similar"),  # the email address
    ],
)
def test_weak_passwords_are_refused(password, code):
    assert code in errors(password, person())


@pytest.mark.parametrize(
    "password", ["correct horse battery", "Tide-Lantern-Oak-42", "send-demo-password"]
)
def test_good_passwords_pass(password):
    assert errors(password, person()) == []


def test_every_rule_explains_itself():
    assert "5 different characters" in VarietyValidator().get_help_text()
    assert "different from your current" in NotCurrentPasswordValidator().get_help_text()


@pytest.mark.django_db
def test_the_current_password_is_refused_only_for_its_owner():
    user = f.UserFactory()
    assert "password_unchanged" in errors(CURRENT, user)
    assert errors(CURRENT, f.UserFactory.build()) == []  # not yet saved: nothing to repeat
    assert errors(CURRENT, None) == []


@pytest.mark.django_db
def test_changing_to_the_same_password_is_refused_on_the_form(client):
    user = f.UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": CURRENT, "new_password1": CURRENT, "new_password2": CURRENT},
    )
    assert response.status_code == 200
    assert "Choose a password different from your current one" in response.content.decode()


@pytest.mark.django_db
def test_a_reset_link_refuses_a_password_like_the_users_name(client, settings):
    import re

    from django.core import mail

    user = f.UserFactory(full_name="Alexandra Richardson")
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    form_url = client.get(link.group(1))["Location"]
    response = client.post(
        form_url,
        {"new_password1": "alexandrarichardson", "new_password2": "alexandrarichardson"},
    )
    assert response.status_code == 200
    assert "too similar to the full name" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(CURRENT)
