"""Personal API tokens: issuing, revoking and recognising them
(docs/api.md, "Tokens"; docs/information-governance.md, "API tokens").

A token is ``sendp_`` followed by 43 URL-safe characters (32 random bytes,
256 bits). It is shown once, when issued; the portal keeps its SHA-256
digest and its first characters (:class:`accounts.models.ApiToken`). A
token acts as its user, with the user's role and scope.

Who may issue one:

- a person, for themselves, from their settings page; where their role
  must sign in with a second factor (``OTP_REQUIRED_ROLES``), only in a
  session that has given it, so a stolen password alone cannot mint a
  token;
- an administrator, for a service account (another system acting as an LA
  SEND officer of one local authority), which never signs in itself;
- ``manage.py create_api_token`` (``by`` None: someone at the server).
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.addresses import networks
from accounts.models import ApiToken, User
from accounts.roles import Role, role_of
from accounts.two_factor import policy as two_factor
from core.audit import service_write
from core.text import control_character_problem

PREFIX = "sendp_"
LONGEST_LIFE_DAYS = 365  # a token lasts at most a year: the owner renews it on purpose
SHOWN_CHARACTERS = 12  # of the token, kept to tell tokens apart in lists
TOUCH_EVERY = datetime.timedelta(minutes=1)  # last use written at most once a minute


def digest_of(raw: str) -> str:
    """The SHA-256 hex digest kept in place of the token ``raw``."""
    return hashlib.sha256(raw.encode()).hexdigest()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The moment ``day`` ends in the portal's time zone (midnight after it)."""
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(start)


def token_problems(*, user: User, name: str, expires_on: datetime.date | None) -> dict:
    """Field-keyed messages for a new token of ``user`` named ``name``,
    valid through ``expires_on`` (a date, inclusive): the name is needed,
    100 characters at most and not the name of another of the user's live
    tokens; the expiry is after today and within :data:`LONGEST_LIFE_DAYS`
    days; no hidden control character in the name (core.text). Empty when
    all is well."""
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = "Enter a name for the token"
    elif len(name) > 100:
        errors["name"] = "The name must be 100 characters or fewer"
    elif control_character_problem(name):
        errors["name"] = control_character_problem(name)
    elif user.api_tokens.live().filter(name__iexact=name).exists():
        errors["name"] = "You already have a token with this name. Choose another name"
    today = timezone.localdate()
    if expires_on is None:
        errors["expires_on"] = "Enter the date the token expires"
    elif expires_on <= today:
        errors["expires_on"] = "The expiry date must be in the future"
    elif expires_on > today + datetime.timedelta(days=LONGEST_LIFE_DAYS):
        errors["expires_on"] = f"The expiry date must be within {LONGEST_LIFE_DAYS} days of today"
    return errors


def may_issue(*, user: User, by: User | None, second_factor_verified: bool) -> None:
    """Raise PermissionDenied (with the reason) unless ``by`` may issue a
    token for ``user``: see the module's docstring. ``by`` None is the
    server's own command line."""
    if not user.is_active:
        raise PermissionDenied("This account is switched off.")
    if user.is_service_account:
        if user.local_authorities.count() != 1:
            raise PermissionDenied("A service account must cover exactly one local authority.")
        if by is not None and role_of(by) != Role.ADMINISTRATOR:
            raise PermissionDenied("Only an administrator issues a service account's tokens.")
        return
    if by is None:
        return
    if by.pk != user.pk:
        raise PermissionDenied("People create their own API tokens.")
    if two_factor.is_required_for(user) and not second_factor_verified:
        raise PermissionDenied(
            "Sign in with your second factor (your authenticator app) before creating a token."
        )


@service_write
def issue_token(
    *,
    user: User,
    name: str,
    expires_on: datetime.date,
    by: User | None,
    second_factor_verified: bool = False,
) -> tuple[ApiToken, str]:
    """Make a token for ``user`` named ``name``, working through the end of
    ``expires_on`` (a date, the portal's time zone). Returns the saved token
    and the token itself, which is never shown again.

    Raises PermissionDenied (:func:`may_issue`) or ValidationError keyed
    ``name`` or ``expires_on`` (:func:`token_problems`).
    """
    may_issue(user=user, by=by, second_factor_verified=second_factor_verified)
    errors = token_problems(user=user, name=name, expires_on=expires_on)
    if errors:
        raise ValidationError(errors)
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=raw[:SHOWN_CHARACTERS],
        digest=digest_of(raw),
        created_by=by if getattr(by, "pk", None) else None,
        expires_at=end_of_day(expires_on),
    )
    return token, raw


@service_write
def revoke_token(*, token: ApiToken, by: User) -> ApiToken:
    """Stop ``token`` working now. Its owner or an administrator may;
    anyone else gets PermissionDenied. Revoking a revoked token changes
    nothing."""
    if by.pk != token.user_id and role_of(by) != Role.ADMINISTRATOR:
        raise PermissionDenied("Only the token's owner or an administrator may revoke it.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def address_allowed(user: User, address: str | None) -> bool:
    """Whether a call from ``address`` (the trusted client address,
    core.client_address) may use ``user``'s tokens: always for a person and
    for a service account with no allow-list; otherwise only from an
    address or network on its list (accounts.addresses; a line that is not
    an address allows nothing, so a typo refuses rather than allows)."""
    if not user.is_service_account or not user.allowed_addresses.strip():
        return True
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(client in network for network in networks(user.allowed_addresses))


def token_for(raw: str, *, address: str | None) -> ApiToken | None:
    """The live token ``raw`` of an active user, allowed from ``address``,
    with its user; None otherwise (unknown, revoked, expired, the user
    switched off, an address not on a service account's list). Notes the
    time of use at most once a minute. One query, two when noting."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.live()
        .select_related("user")
        .filter(digest=digest_of(raw), user__is_active=True)
        .first()
    )
    if token is None or not address_allowed(token.user, address):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
