"""Two-factor sign-in for tests: codes computed from a device's key, an app
set up through the services, and a client whose session is verified.

The suite runs with the requirement off (``OTP_REQUIRED_ROLES=none`` in
pyproject.toml), so ``client.force_login`` keeps working everywhere; tests of
two-factor sign-in turn it on with the ``two_factor_required`` fixture
(tests/conftest.py) and use these helpers.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP, totp

from accounts.two_factor import services


def app_code(device) -> str:
    """The code the user's authenticator app shows: computed from the
    device's key with ``django_otp.oath.totp``. Each code is accepted once,
    so when this step's code is used up this is the next step's (the
    device accepts one step either side of its clock)."""
    device.refresh_from_db()
    clock_t = TOTP(device.bin_key, device.step, device.t0, device.digits).t()
    device_t = clock_t + device.drift
    t = max(device_t, device.last_t + 1)
    assert t <= device_t + device.tolerance, "no unused code left in this time step"
    code = totp(device.bin_key, device.step, device.t0, device.digits, drift=t - clock_t)
    return f"{code:0{device.digits}d}"


def set_up_app(user):
    """Set up an authenticator app for ``user`` as the set-up page does;
    returns the confirmed device and the recovery codes."""
    waiting = services.start_enrolment(user=user, by=user)
    return services.confirm_enrolment(user=user, token=app_code(waiting), by=user)


def verified_client(user, device=None) -> Client:
    """A client signed in as ``user`` with the second factor given (the
    user's app is set up first when ``device`` is None)."""
    if device is None:
        device, _codes = set_up_app(user)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": app_code(device)})
    assert response.status_code == 302, response.content.decode()
    return client
