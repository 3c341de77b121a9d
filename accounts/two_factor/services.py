"""Writes to a user's two-factor sign-in (docs/architecture.md, "Services
and forms"; docs/information-governance.md, "Two-factor sign-in").

Keyword-only plain values; the acting user is ``by``. A user sets up,
uses and renews only their own; an administrator resets anyone's.

The authenticator app is django-otp's ``TOTPDevice`` (RFC 6238: 6 digits,
30-second steps, one step either side accepted, each code accepted once);
recovery codes are a ``StaticDevice`` of single-use tokens. Both are
audited by django-auditlog (``setup``) by name and state, never the key or
a code; a reset also writes an entry on the user. A wrong code is counted
against the device (django-otp's throttling: 1, 2, 4, 8... seconds before
the next try), and the count is kept even though the service then raises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role, role_of
from core.audit import acting_as, service_write

APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
APP_CODE_DIGITS = 6

WRONG_APP_CODE = "The code is not right: enter the code your app shows now"
WRONG_CODE = (
    "The code is not right: enter the code your app shows now, or a recovery code you have not used"
)
NOTHING_WAITING = "Start again: reload this page and scan the code it shows"


@dataclass(frozen=True)
class Verified:
    """The device that accepted a code; ``recovery_codes_left`` is None when
    the code came from the app, else how many recovery codes remain."""

    device: Device
    recovery_codes_left: int | None


def normalise(code: str) -> str:
    """A code as typed, without spaces or hyphens, in lower case: "123 456"
    is 123456, "ABCD-EFGH" is abcdefgh."""
    return "".join(code.split()).replace("-", "").lower()


def is_app_code(code: str) -> bool:
    """Six digits: from the app. Recovery codes are 8 letters and digits."""
    return len(code) == APP_CODE_DIGITS and code.isdigit()


def _own(user, by) -> None:
    if by is None or getattr(by, "pk", None) != user.pk:
        raise PermissionDenied("Only the user may set up or use their own two-factor sign-in.")


def _throttled(device: Device) -> str | None:
    """The message for a device that must not be tried yet, or None."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    seconds = (data["locked_until"] - timezone.now()).total_seconds()
    if seconds > 60:
        count, unit = math.ceil(seconds / 60), "minute"
    else:
        count, unit = max(1, math.ceil(seconds)), "second"
    return f"Too many wrong codes: wait {count} {unit}{'' if count == 1 else 's'}, then try again"


@service_write
def start_enrolment(*, user, by) -> TOTPDevice:
    """The user's app in waiting: an unconfirmed ``TOTPDevice`` whose key the
    set-up page shows (as a QR code and as text). The same one is returned
    until it is confirmed, so reloading the page shows the same key."""
    _own(user, by)
    waiting = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if waiting is None:
        waiting = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return waiting


def confirm_enrolment(*, user, token: str, by) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app in waiting with a code it shows now; return it and a
    new set of :data:`RECOVERY_CODE_COUNT` recovery codes, in plain text, to
    be shown once.

    Any app set up before is removed (a verified user moving to a new phone),
    and so are the old recovery codes. Raises ValidationError keyed
    ``token``: nothing waiting (start again), too many wrong codes (wait),
    or a wrong code.
    """
    _own(user, by)
    token = normalise(token)
    with transaction.atomic(), acting_as(by):
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            refusal = NOTHING_WAITING
        else:
            refusal = _throttled(device)
            if refusal is None and not device.verify_token(token):
                refusal = WRONG_APP_CODE
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _issue_recovery_codes(user)
    # Outside the transaction, so a wrong code's count is kept.
    if refusal is not None:
        raise ValidationError({"token": refusal})
    return device, codes


def verify(*, user, code: str, by) -> Verified:
    """Check a code from the user's app, or one of their recovery codes
    (which is then used up). Returns the device that accepted it.

    Raises ValidationError keyed ``code``: a wrong code, or too many wrong
    codes (wait). Six digits are tried against the app, anything else
    against the recovery codes.
    """
    _own(user, by)
    code = normalise(code)
    model = TOTPDevice if is_app_code(code) else StaticDevice
    refusal = WRONG_CODE
    matched = None
    left = None
    with transaction.atomic(), acting_as(by):
        # Locked, so two tries at once cannot both use one recovery code.
        devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
        for device in devices:
            waiting = _throttled(device)
            if waiting is not None:
                refusal = waiting
            elif device.verify_token(code):
                matched = device
                break
        if isinstance(matched, StaticDevice):
            left = matched.token_set.count()
    if matched is None:
        raise ValidationError({"code": refusal})
    return Verified(device=matched, recovery_codes_left=left)


@service_write
def new_recovery_codes(*, user, by) -> list[str]:
    """Replace the user's recovery codes with a new set, returned in plain
    text to be shown once. Raises ValidationError when the user has no
    authenticator app (codes stand in for it; alone they mean nothing)."""
    _own(user, by)
    if not TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        raise ValidationError("Set up an authenticator app first.")
    return _issue_recovery_codes(user)


def _issue_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    codes_in_order = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes_in_order)
    return codes_in_order


RESET_REASON_MAX = 500


@service_write
def reset(*, user, by, reason: str) -> bool:
    """An administrator removes ``user``'s authenticator app and recovery
    codes (a lost phone): the user must set up an app again at their next
    sign-in if their role requires one. Returns whether anything was set up.

    ``reason`` (required, at most :data:`RESET_REASON_MAX` characters) says
    why, for example how the administrator checked who was asking: it is
    kept in the audit entry on the user (``additional_data["reason"]``),
    which the user's security history shows.

    Audited: each device's removal, and an entry on the user naming ``by``
    with the reason. Raises PermissionDenied unless ``by`` is an
    administrator; ValidationError keyed ``reason`` when it is blank or too
    long.
    """
    if role_of(by) != Role.ADMINISTRATOR:
        raise PermissionDenied("Only an administrator may reset two-factor sign-in.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the two-factor sign-in is being reset"})
    if len(reason) > RESET_REASON_MAX:
        raise ValidationError(
            {"reason": f"The reason must be {RESET_REASON_MAX} characters or fewer"}
        )
    had_app = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # One by one, so each removal reaches the audit log.
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user):
            device.delete()
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"two-factor sign-in": ["set up" if had_app else "not set up", "reset"]},
        additional_data={"reason": reason},
    )
    return had_app
