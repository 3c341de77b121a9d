"""Helpers for login hardening: django-axes' lockout and the password
reset limits."""

from __future__ import annotations

from django.conf import settings

from core.ratelimit import count_use


def lockout_username(request, credentials: dict | None) -> str | None:
    """The name failures are counted against: the email address, lower-cased,
    so that "Dco@Example.org" and "dco@example.org" share one counter."""
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    if not value and request is not None:
        value = request.POST.get("username")
    return value.strip().lower() if value else None


def password_reset_allowed(*, email: str, address: str | None) -> bool:
    """Count one request for a password reset link and say whether it is
    within the limits: ``PASSWORD_RESET_LIMIT_PER_ADDRESS`` an hour from one
    client address and ``PASSWORD_RESET_LIMIT_PER_EMAIL`` an hour for one
    email address (docs/information-governance.md, "Passwords and sessions").

    Both counters move on every request, and the email address is counted
    whether or not an account has it, so the answer says nothing about
    which addresses have accounts.
    """
    window = settings.PASSWORD_RESET_LIMIT_WINDOW
    from_address = count_use("password-reset", "address", address or "", window=window)
    for_email = count_use("password-reset", "email", email.strip().lower(), window=window)
    return (
        from_address <= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
        and for_email <= settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    )
