"""Session limits: an absolute one for everyone, an idle one for the roles
that see identifiable data (docs/information-governance.md, "Passwords and
sessions").

- Everyone is signed out ``SESSION_COOKIE_AGE`` (8 hours) after signing in,
  however active they have been.
- The roles in ``SESSION_IDLE_ROLES`` (by default every role that sees a
  child's record: administrators, designated officers, practitioners and LA
  officers) are also signed out after ``SESSION_IDLE_TIMEOUT`` (30 minutes)
  without a request. Commissioners, who see aggregate figures only, keep the
  absolute limit alone unless configured otherwise.

The times are kept in the session itself. The session's own expiry moves
on each time the session is saved, so it cannot be the absolute limit.
Activity is written at most once a minute, so an active user's session is
not saved on every request; an idle limit of 30 minutes may therefore end a
session up to a minute early.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import receiver

from accounts.roles import Role, role_of

SIGNED_IN_AT = "session_signed_in_at"
LAST_SEEN = "session_last_seen"
# Seconds between two writes of the last request's time.
TOUCH_EVERY = 60


def _duration(seconds: int) -> str:
    """'30 minutes', '8 hours', '1 hour'."""
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(seconds // 60, 1)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def idle_message() -> str:
    return (
        f"You were signed out after {_duration(settings.SESSION_IDLE_TIMEOUT)} without "
        "activity. Sign in again to carry on."
    )


def absolute_message() -> str:
    return (
        f"You were signed out because you had been signed in for "
        f"{_duration(settings.SESSION_COOKIE_AGE)}. Sign in again to carry on."
    )


@receiver(user_logged_in, dispatch_uid="session_limits_start")
def start_session_clock(sender, request, user, **kwargs) -> None:
    """Signing in starts both clocks, even when the session survives from
    an earlier sign-in by the same person."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


class SessionLimitsMiddleware:
    """Signs out a user past either limit and sends them to the sign-in page
    with a message saying why. Must come after the session, authentication
    and message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        unknown = sorted(set(settings.SESSION_IDLE_ROLES) - set(Role.values))
        if unknown:
            raise ImproperlyConfigured(
                f"SESSION_IDLE_ROLES names unknown roles {unknown}; choose from "
                f"{sorted(Role.values)}."
            )

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = self.ended(request, user)
            if reason:
                logout(request)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def ended(self, request, user) -> str | None:
        """Why the session has ended (the message to show), or None; starts
        the clocks of a session that has none and records this request."""
        session = request.session
        now = int(time.time())
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            return absolute_message()
        if role_of(user) not in settings.SESSION_IDLE_ROLES:
            return None
        last_seen = session.get(LAST_SEEN, now)
        if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
            return idle_message()
        if LAST_SEEN not in session or now - last_seen >= TOUCH_EVERY:
            session[LAST_SEEN] = now
        return None
