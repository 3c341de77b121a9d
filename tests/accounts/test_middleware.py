"""Session limits: 8 hours for everyone, 30 idle minutes for the roles that
see identifiable data (accounts.middleware)."""

import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.middleware import LAST_SEEN, SIGNED_IN_AT, SessionLimitsMiddleware

pytestmark = pytest.mark.django_db

IDLE_MESSAGE = "You were signed out after 30 minutes without activity"
ABSOLUTE_MESSAGE = "You were signed out because you had been signed in for 8 hours"


def set_clocks(client, *, signed_in_ago=0, last_seen_ago=0):
    now = int(time.time())
    session = client.session
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[LAST_SEEN] = now - last_seen_ago
    session.save()


def home(user):
    return user.get_home_url()


def assert_signed_out_with(client, response, user, message):
    login = reverse("accounts:login")
    assert response.status_code == 302
    assert response["Location"] == f"{login}?next={home(user)}"
    page = client.get(response["Location"])
    assert message in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated
    # Signed out for good: the next page asks for a sign-in, with no message.
    again = client.get(home(user))
    assert again.status_code == 302 and again["Location"].startswith(login)


@pytest.mark.parametrize("role", ["administrator", "officer", "practitioner", "la_officer"])
def test_roles_seeing_identifiable_data_are_signed_out_after_30_idle_minutes(client, area, role):
    user = area.user(role)
    client.force_login(user)
    set_clocks(client, signed_in_ago=3600, last_seen_ago=30 * 60 + 1)
    assert_signed_out_with(client, client.get(home(user)), user, IDLE_MESSAGE)


def test_activity_keeps_the_session_open(client, area):
    client.force_login(area.officer)
    set_clocks(client, signed_in_ago=3 * 3600, last_seen_ago=29 * 60)
    assert client.get(home(area.officer)).status_code == 200
    # The request counted as activity: the idle clock starts again.
    assert int(time.time()) - client.session[LAST_SEEN] < 5


def test_activity_is_written_at_most_once_a_minute(client, area):
    client.force_login(area.officer)
    set_clocks(client, last_seen_ago=20)
    before = client.session[LAST_SEEN]
    assert client.get(home(area.officer)).status_code == 200
    assert client.session[LAST_SEEN] == before


def test_commissioners_keep_the_absolute_limit_only(client, area):
    client.force_login(area.commissioner)
    set_clocks(client, signed_in_ago=7 * 3600, last_seen_ago=5 * 3600)
    assert client.get(home(area.commissioner)).status_code == 200


def test_the_idle_limit_can_cover_commissioners_and_be_shortened(client, area, settings):
    settings.SESSION_IDLE_ROLES = [*settings.SESSION_IDLE_ROLES, "commissioner"]
    settings.SESSION_IDLE_TIMEOUT = 10 * 60
    client.force_login(area.commissioner)
    set_clocks(client, last_seen_ago=10 * 60 + 1)
    response = client.get(home(area.commissioner))
    assert_signed_out_with(
        client, response, area.commissioner, "signed out after 10 minutes without activity"
    )


@pytest.mark.parametrize("role", ["administrator", "officer", "commissioner"])
def test_everyone_is_signed_out_8_hours_after_signing_in(client, area, role):
    user = area.user(role)
    client.force_login(user)
    set_clocks(client, signed_in_ago=8 * 3600 + 1, last_seen_ago=10)
    assert_signed_out_with(client, client.get(home(user)), user, ABSOLUTE_MESSAGE)


def test_signing_in_starts_both_clocks(client, area):
    response = client.post(
        reverse("accounts:login"),
        {"username": area.officer.email, "password": "a-long-test-password"},
    )
    assert response.status_code == 302
    now = int(time.time())
    assert now - client.session[SIGNED_IN_AT] < 5
    assert now - client.session[LAST_SEEN] < 5


def test_a_session_from_before_the_limits_starts_its_clocks_now(client, area):
    client.force_login(area.officer)
    session = client.session
    for key in (SIGNED_IN_AT, LAST_SEEN):
        session.pop(key, None)
    session.save()
    assert client.get(home(area.officer)).status_code == 200
    assert int(time.time()) - client.session[SIGNED_IN_AT] < 5


def test_anonymous_requests_are_untouched(client):
    assert client.get(reverse("accessibility")).status_code == 200
    assert SIGNED_IN_AT not in client.session


def test_an_unknown_role_in_the_setting_stops_start_up(settings):
    settings.SESSION_IDLE_ROLES = ["designated_officer", "dco"]
    with pytest.raises(ImproperlyConfigured, match=r"unknown roles \['dco'\]"):
        SessionLimitsMiddleware(lambda request: None)
