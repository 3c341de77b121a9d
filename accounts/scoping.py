"""Who may see what: ``accounts`` resolves a user into the scope that
:mod:`core.scoping` defines (docs/architecture.md, "Access").

Designated officers, practitioners and LA officers are scoped by the local
areas listed on their account; a commissioner by the areas their
commissioning body is linked to today; administrators see everything;
anyone else nothing. :func:`scope_of_user` is registered with ``core`` at
start-up (``accounts.apps``), so querysets on lower floors can ask for a
user's scope without importing this module.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.roles import AREA_SCOPED_ROLES, Role, role_of
from commissioning.models import CommissioningLink, LocalAuthority
from core.scoping import UserScope


def local_authority_ids_for(user, on: datetime.date | None = None):
    """The ids of the local authorities in the user's scope, as a lazy
    queryset to use in ``pk__in`` (a subquery, not an extra round trip).

    ``None`` means "all of them" (administrators). Designated officers,
    practitioners and LA officers are scoped by the areas listed on their
    account; a commissioner by the areas their commissioning body is linked
    to on ``on`` (default today); anyone else by nothing.
    """
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return None
    if role in AREA_SCOPED_ROLES:
        return user.local_authorities.values("pk")
    if role == Role.COMMISSIONER and user.commissioning_body_id:
        return (
            CommissioningLink.objects.active_on(on or timezone.localdate())
            .filter(commissioning_body_id=user.commissioning_body_id)
            .values("local_authority_id")
        )
    return LocalAuthority.objects.none().values("pk")


def scope_of_user(user) -> UserScope | None:
    """The :class:`~core.scoping.UserScope` of ``user`` today; None for a
    user with no role (anonymous, inactive). Makes no query: the local
    authority ids are a lazy subquery."""
    role = role_of(user)
    if role is None:
        return None
    if role == Role.ADMINISTRATOR:
        return UserScope(everything=True)
    return UserScope(
        local_authority_ids=local_authority_ids_for(user),
        commissioning_body_id=user.commissioning_body_id if role == Role.COMMISSIONER else None,
    )
