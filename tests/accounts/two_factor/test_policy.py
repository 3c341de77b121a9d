"""Who must give a second factor, and what a signed-in user must do next."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory

from accounts.two_factor import policy, services
from tests import factories as f
from tests.two_factor import set_up_app

pytestmark = pytest.mark.django_db


def request_for(user, *, has_device=None, verified=False):
    """A request as django-otp's middleware leaves it, without the rest."""
    request = RequestFactory().get("/")
    request.session = SessionStore()
    if has_device is not None:
        request.session[policy.HAS_DEVICE_SESSION_KEY] = has_device
    request.user = user
    user.is_verified = lambda: verified
    return request


@pytest.mark.parametrize(
    ("role", "required"),
    [
        ("administrator", True),
        ("officer", True),
        ("practitioner", True),
        ("la_officer", True),
        ("commissioner", False),
    ],
)
def test_required_of_every_role_that_sees_identifiable_data(
    area, two_factor_required, role, required
):
    assert policy.is_required_for(area.user(role)) is required


def test_configurable_per_role(area, settings):
    settings.OTP_REQUIRED_ROLES = ["commissioner"]
    assert policy.is_required_for(area.commissioner)
    assert not policy.is_required_for(area.officer)
    settings.OTP_REQUIRED_ROLES = []
    assert not any(policy.is_required_for(user) for user in area.everyone())


def test_a_superuser_counts_as_an_administrator(two_factor_required):
    # Unsaved: saving takes superuser status from anyone but an administrator.
    superuser = f.CommissionerFactory.build(is_superuser=True)
    assert policy.is_required_for(superuser)


def test_an_inactive_user_is_not_asked(area, two_factor_required):
    area.officer.is_active = False
    assert not policy.is_required_for(area.officer)


def test_nothing_pending_and_no_query_when_not_required_and_no_app(
    area, two_factor_required, django_assert_num_queries
):
    request = request_for(area.commissioner, has_device=False)
    with django_assert_num_queries(0):
        assert policy.pending_step(request) is None


def test_required_without_an_app_must_set_one_up(area, two_factor_required):
    assert policy.pending_step(request_for(area.officer)) == policy.Step.ENROL


def test_required_with_an_app_must_give_a_code(area, two_factor_required):
    set_up_app(area.officer)
    assert policy.pending_step(request_for(area.officer)) == policy.Step.VERIFY
    assert policy.pending_step(request_for(area.officer, verified=True)) is None


def test_a_commissioner_who_chose_an_app_is_asked_for_a_code(area, two_factor_required):
    set_up_app(area.commissioner)
    request = request_for(area.commissioner, has_device=True)
    assert policy.pending_step(request) == policy.Step.VERIFY


def test_after_a_reset_an_optional_role_is_let_through(area, two_factor_required):
    set_up_app(area.commissioner)
    services.reset(user=area.commissioner, by=area.administrator, reason="Lost phone")
    request = request_for(area.commissioner, has_device=True)
    assert policy.pending_step(request) is None
    assert policy.HAS_DEVICE_SESSION_KEY not in request.session


def test_after_a_reset_a_required_role_sets_up_again(area, two_factor_required):
    set_up_app(area.officer)
    services.reset(user=area.officer, by=area.administrator, reason="Lost phone")
    assert policy.pending_step(request_for(area.officer, has_device=True)) == policy.Step.ENROL


def test_anonymous_has_nothing_pending(two_factor_required):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    assert policy.pending_step(request) is None


def test_signing_in_notes_whether_the_user_has_an_app(area):
    set_up_app(area.officer)
    client = Client()
    client.force_login(area.officer)
    assert client.session[policy.HAS_DEVICE_SESSION_KEY] is True
    client.force_login(area.la_officer)
    assert client.session[policy.HAS_DEVICE_SESSION_KEY] is False


def test_recovery_codes_left(area):
    assert policy.recovery_codes_left(area.officer) == 0
    _device, codes = set_up_app(area.officer)
    services.verify(user=area.officer, code=codes[0], by=area.officer)
    assert policy.recovery_codes_left(area.officer) == 9
