"""Row-level scope: the base every scoped queryset builds on.

Every list in the portal starts from ``Model.objects.visible_to(user)``
(docs/architecture.md, "Access"). A model's queryset subclasses
:class:`ScopedQuerySet` and says, in ``scoped_for(user)``, which rows a
user who is neither anonymous nor an administrator sees.

``core`` knows nothing of roles or organisations. Who a user is and which
local authorities they cover is worked out above, in ``accounts``, which
registers a resolver at start-up (:func:`register_scope_resolver`). Apps
below ``accounts`` (``commissioning``) read the resolved :class:`UserScope`
through :func:`scope_of` instead of importing upward.

Single objects are loaded with :func:`get_object_for_user`: outside scope
is a 404 (we do not confirm that a record exists), in scope but not
writable is a 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404


@dataclass(frozen=True)
class UserScope:
    """What one signed-in user may see, resolved by ``accounts``.

    - ``everything``: administrators see every row; the other fields are then
      not used.
    - ``local_authority_ids``: the local authorities in scope, as ids or a lazy
      ``values("pk")`` queryset usable in an ``__in`` lookup (a subquery, not
      an extra round trip).
    - ``commissioning_body_id``: the body a commissioner works for, else None.
    """

    everything: bool = False
    local_authority_ids: Iterable[Any] | models.QuerySet = field(default=())
    commissioning_body_id: int | None = None


ScopeResolver = Callable[[Any], "UserScope | None"]
_resolver: ScopeResolver | None = None


def register_scope_resolver(resolver: ScopeResolver) -> None:
    """Install the function that turns a user into a :class:`UserScope`
    (``None`` for a user who may see nothing). ``accounts`` calls this from
    its ``AppConfig.ready``; calling it again replaces the resolver."""
    global _resolver
    _resolver = resolver


def scope_of(user) -> UserScope | None:
    """The user's resolved scope; ``None`` when they may see nothing
    (anonymous, inactive, no role).

    Raises ImproperlyConfigured if no resolver has been registered (the
    ``accounts`` app is not installed).
    """
    if _resolver is None:
        raise ImproperlyConfigured("No scope resolver registered: is 'accounts' installed?")
    return _resolver(user)


class ScopedQuerySet(models.QuerySet):
    """Base for querysets that know what each user may see."""

    def visible_to(self, user):
        """Rows ``user`` may see: none for a user with no scope, all for an
        administrator, otherwise what the model's ``scoped_for`` says."""
        scope = scope_of(user)
        if scope is None:
            return self.none()
        if scope.everything:
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
