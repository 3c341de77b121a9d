"""Helpers for login hardening (django-axes)."""

from __future__ import annotations


def lockout_username(request, credentials: dict | None) -> str | None:
    """The name failures are counted against: the email address, lower-cased,
    so that "Dco@Example.org" and "dco@example.org" share one counter."""
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    if not value and request is not None:
        value = request.POST.get("username")
    return value.strip().lower() if value else None
