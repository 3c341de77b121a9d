"""Writes to a user's own account (docs/architecture.md, "Services and forms").

Keyword-only plain values; the acting user is ``by``. Changes to users are
audited by django-auditlog (``accounts.apps``), which names the actor of the
request; outside a request the actor is the system.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import User


def set_reminder_preference(*, user: User, receive_digests: bool, by: User) -> User:
    """Turn ``user``'s daily deadline-reminder digest on or off.

    Only the user may change their own setting: the area's overdue
    escalations to designated officers are sent whatever it says
    (docs/reminders.md). Raises PermissionDenied when ``by`` is someone
    else. Saves only the one field, so nothing else on the account moves.
    """
    if by.pk != user.pk:
        raise PermissionDenied("Only the user may change their own reminder setting.")
    # Always saved: a bound ModelForm may already have set the attribute on
    # this instance. django-auditlog compares with the stored row, so saving
    # an unchanged value leaves no entry.
    user.receive_digests = receive_digests
    user.save(update_fields=["receive_digests"])
    return user
