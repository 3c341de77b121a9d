"""A user's security history: what the audit log holds about their account
and their two-factor sign-in, newest first, in words, with the reason an
administrator gave for a reset (docs/information-governance.md,
"Two-factor sign-in"). Read by the user's page in Django admin.

Sources (django-auditlog): the entries on the user themselves (created,
role, scope and status changes, two-factor resets with their reason), and
those on their authenticator apps and recovery code sets, found through the
``user`` each device was created with, so a device since removed is still
listed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# (device model, action) -> words. An update of a device is its confirmation.
DEVICE_WORDS = {
    (TOTPDevice, LogEntry.Action.CREATE): "Began setting up an authenticator app",
    (TOTPDevice, LogEntry.Action.UPDATE): "Authenticator app set up",
    (TOTPDevice, LogEntry.Action.DELETE): "Authenticator app removed",
    (StaticDevice, LogEntry.Action.CREATE): "Recovery codes issued",
    (StaticDevice, LogEntry.Action.UPDATE): "Recovery codes changed",
    (StaticDevice, LogEntry.Action.DELETE): "Recovery codes removed",
}
USER_WORDS = {
    LogEntry.Action.CREATE: "Account created",
    LogEntry.Action.DELETE: "Account deleted",
    LogEntry.Action.ACCESS: "Account looked at",
}
RESET = "two-factor sign-in"


@dataclass(frozen=True)
class Event:
    """One line of the history: when, who acted (empty: the portal itself or
    someone since removed), what happened, and the reason given, if any."""

    when: datetime.datetime
    who: str
    what: str
    reason: str = ""


def _user_words(entry: LogEntry) -> str:
    changes = entry.changes_dict or {}
    if entry.action == LogEntry.Action.UPDATE and RESET in changes:
        return "Two-factor sign-in reset by an administrator"
    if entry.action == LogEntry.Action.UPDATE:
        fields = ", ".join(sorted(name.replace("_", " ") for name in changes)) or "nothing"
        return f"Account changed: {fields}"
    return USER_WORDS.get(entry.action, "Account changed")


def security_history(user, *, limit: int = 200) -> list[Event]:
    """The latest ``limit`` events about ``user``'s account and two-factor
    sign-in, newest first. Three queries whatever the number of entries."""
    types = ContentType.objects.get_for_models(type(user), TOTPDevice, StaticDevice)
    device_types = {types[TOTPDevice].pk: TOTPDevice, types[StaticDevice].pk: StaticDevice}
    # The devices ever created for the user, from their creation entries
    # (the audited "user" field holds the user's key).
    created = LogEntry.objects.filter(
        content_type__in=list(device_types),
        action=LogEntry.Action.CREATE,
        changes__user__1=str(user.pk),
    ).values_list("content_type_id", "object_pk")
    condition = Q(content_type=types[type(user)], object_pk=str(user.pk))
    for type_id, object_pk in created:
        condition |= Q(content_type_id=type_id, object_pk=object_pk)
    entries = (
        LogEntry.objects.filter(condition)
        .select_related("actor")
        .order_by("-timestamp", "-pk")[:limit]
    )
    events = []
    for entry in entries:
        model = device_types.get(entry.content_type_id)
        if model is None:
            what = _user_words(entry)
        else:
            what = DEVICE_WORDS.get((model, entry.action), "Two-factor sign-in changed")
        reason = (entry.additional_data or {}).get("reason", "") if model is None else ""
        who = entry.actor.full_name if entry.actor else ""
        events.append(Event(when=entry.timestamp, who=who, what=what, reason=reason))
    return events
