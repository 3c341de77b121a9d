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

from accounts.roles import AREA_SCOPED_ROLES, Role


def is_administrator(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "role", None) == Role.ADMINISTRATOR)
    )


def local_authority_ids_for(user, on: datetime.date | None = None) -> set[int] | None:
    """The ids of the local authorities in the user's scope.

    ``None`` means "all of them" (administrators). Designated officers,
    practitioners and LA officers are scoped by the areas listed on their
    account; a commissioner by the areas their commissioning body is linked
    to on ``on`` (default today).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if is_administrator(user):
        return None
    cache_key = ("_la_scope", on)
    cache = user.__dict__.setdefault("_scope_cache", {})
    if cache_key in cache:
        return cache[cache_key]
    from commissioning.models import CommissioningLink

    if user.role in AREA_SCOPED_ROLES:
        ids = set(user.local_authorities.values_list("pk", flat=True))
    elif user.role == Role.COMMISSIONER and user.commissioning_body_id:
        ids = set(
            CommissioningLink.objects.active_on(on or timezone.localdate())
            .filter(commissioning_body_id=user.commissioning_body_id)
            .values_list("local_authority_id", flat=True)
        )
    else:
        ids = set()
    cache[cache_key] = ids
    return ids


class ScopedQuerySet(models.QuerySet):
    """Base for querysets that know what each user may see."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if is_administrator(user):
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
