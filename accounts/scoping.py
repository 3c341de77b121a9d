"""Row-level scope: what a user may see (design.md, "Access").

Every list in the portal starts from ``Model.objects.visible_to(user)``.
Each model's queryset subclasses :class:`ScopedQuerySet` and says, in
``scoped_for``, which rows a non-administrator sees. Single objects are
loaded with :func:`get_object_for_user`: outside scope is a 404 (we do not
confirm that a record exists), in scope but not writable is a 403.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import AREA_SCOPED_ROLES, Role, role_of


def local_authority_ids_for(user, on: datetime.date | None = None):
    """The ids of the local authorities in the user's scope, as a lazy
    queryset to use in ``pk__in`` (a subquery, not an extra round trip).

    ``None`` means "all of them" (administrators). Designated officers,
    practitioners and LA officers are scoped by the areas listed on their
    account; a commissioner by the areas their commissioning body is linked
    to on ``on`` (default today); anyone else by nothing.
    """
    from commissioning.models import CommissioningLink, LocalAuthority

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


class ScopedQuerySet(models.QuerySet):
    """Base for querysets that know what each user may see."""

    def visible_to(self, user):
        role = role_of(user)
        if role is None:
            return self.none()
        if role == Role.ADMINISTRATOR:
            return self.all()
        return self.scoped_for(user)

    def scoped_for(self, user):  # pragma: no cover - each model must say
        raise NotImplementedError(f"{type(self).__name__} must define scoped_for(user)")


def get_object_for_user(queryset, user, *, write_permission: str | None = None, **lookup):
    """Load one object through the user's scope.

    Raises Http404 when the object is outside the user's scope (or does not
    exist) and PermissionDenied when ``write_permission`` is given and the
    user may see the object but not change it.
    """
    obj = get_object_or_404(queryset.visible_to(user), **lookup)
    if write_permission and not user.has_perm(write_permission, obj):
        raise PermissionDenied
    return obj
