"""Who may call an API view: the same portal permissions as the pages
(accounts.permissions), named per action on the view.

A view says ``required_permission`` (every action) or
``action_permissions`` ({action: permission}, falling back to
``required_permission``). Objects are then loaded from the user's scoped
querysets (``visible_to``), so a record outside scope is a 404, as on the
pages.
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission


def permission_for(view) -> str:
    action = getattr(view, "action", None) or view.request.method.lower()
    return getattr(view, "action_permissions", {}).get(action) or view.required_permission


class PortalPermission(BasePermission):
    message = "Your role may not use this part of the API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False  # DRF answers 401: the authenticator names a scheme
        return user.has_perm(permission_for(view))
