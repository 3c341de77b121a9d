"""Who must sign in with a second factor, and what a signed-in user must do
before anything else (docs/information-governance.md, "Two-factor sign-in").

``OTP_REQUIRED_ROLES`` (config/settings.py) lists the roles that must set
up an authenticator app: by default every role that sees identifiable data
when ``DEBUG`` is off, nobody when it is on. A user of another role who has
set one up anyway is asked for a code too: having a device is a promise the
portal keeps.

Whether the user has a device is read once, when they sign in, and kept in
the session, so an ordinary page costs no query for it.
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import role_of

# Session key: the user had a confirmed authenticator app when they signed in
# (or set one up since).
HAS_DEVICE_SESSION_KEY = "two_factor_has_device"


class Step(StrEnum):
    """What a signed-in user must do before any other page."""

    VERIFY = "verify"  # give a code from their app (or a recovery code)
    ENROL = "enrol"  # set up an app: their role requires one and they have none


def is_required_for(user) -> bool:
    """Whether ``user``'s role must sign in with a second factor."""
    role = role_of(user)
    return role is not None and role in settings.OTP_REQUIRED_ROLES


def authenticator_for(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    """How many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_step(request) -> Step | None:
    """The step the signed-in user of ``request`` must take before anything
    else, or None when they may go on (anonymous users included).

    Costs no query for a user whose role does not require a second factor
    and who had no device at sign-in; one (their devices) while a step is
    pending. A user who had a device at sign-in but has none now (an
    administrator reset it) is sent to set one up if their role requires it,
    and otherwise let through.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    required = is_required_for(user)
    if not required and not request.session.get(HAS_DEVICE_SESSION_KEY):
        return None
    if is_verified(user):
        return None
    if authenticator_for(user) is not None:
        request.session[HAS_DEVICE_SESSION_KEY] = True
        return Step.VERIFY
    request.session.pop(HAS_DEVICE_SESSION_KEY, None)
    return Step.ENROL if required else None


def is_verified(user) -> bool:
    """django-otp's middleware gives ``request.user`` an ``is_verified()``;
    a user without it (no middleware) is not verified."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def remember_device_at_sign_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: note in the new session whether the user
    has an authenticator app, so that :func:`pending_step` asks for a code
    without a query on every page."""
    session = getattr(request, "session", None)
    if session is not None:
        session[HAS_DEVICE_SESSION_KEY] = authenticator_for(user) is not None
