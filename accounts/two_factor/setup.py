"""Connected once at start-up from ``accounts.apps``: the configuration
checks, the audit of devices and the note taken at sign-in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import checks

from accounts.permissions import ROLE_PERMISSIONS
from accounts.roles import Role

# The roles that see identifiable data: production requires a second factor
# of each of them (the default of OTP_REQUIRED_ROLES when DEBUG is off).
IDENTIFIABLE_ROLES = tuple(
    role
    for role, permissions in ROLE_PERMISSIONS.items()
    if "portal.view_identifiable_records" in permissions
)


def connect() -> None:
    from auditlog.registry import auditlog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor.policy import remember_device_at_sign_in

    # Setting up, confirming and removing a device are audited by its name
    # and state: never its key, and recovery codes (StaticToken) not at all.
    # Each sign-in's bookkeeping (last code step, failures) is left out.
    auditlog.register(TOTPDevice, include_fields=["user", "name", "confirmed"])
    auditlog.register(StaticDevice, include_fields=["user", "name", "confirmed"])
    user_logged_in.connect(remember_device_at_sign_in, dispatch_uid="two_factor_at_sign_in")
    checks.register(check_required_roles)
    checks.register(check_identifiable_roles_required, checks.Tags.security, deploy=True)


def check_required_roles(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every entry of OTP_REQUIRED_ROLES must name a role."""
    unknown = sorted(set(settings.OTP_REQUIRED_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        checks.Error(
            f"OTP_REQUIRED_ROLES names {', '.join(unknown)}, which is not a role.",
            hint=f"Use role values ({', '.join(Role.values)}) separated by commas, or none.",
            id="accounts.E101",
        )
    ]


def check_identifiable_roles_required(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``check --deploy``: warn when a role that sees identifiable data may
    sign in with a password alone."""
    exempt = [role for role in IDENTIFIABLE_ROLES if role not in settings.OTP_REQUIRED_ROLES]
    if not exempt:
        return []
    return [
        checks.Warning(
            "These roles see identifiable data but may sign in without a second factor: "
            f"{', '.join(exempt)}.",
            hint="Leave OTP_REQUIRED_ROLES unset in production, or list these roles in it.",
            id="accounts.W101",
        )
    ]
