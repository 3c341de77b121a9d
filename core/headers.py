"""Response headers that keep personal data out of caches and switch off
browser features (docs/information-governance.md, "Response headers").

- ``Cache-Control: no-store`` (with Django's other never-cache headers) on
  every response to a signed-in user and on every download. Anything a
  signed-in user sees may name a child, so no page is left to a view to
  remember; the back button after signing out then shows nothing either.
  Static files are served by WhiteNoise before this middleware and keep
  their long cache lifetimes.
- ``Permissions-Policy`` turning off every browser feature in
  ``PERMISSIONS_POLICY`` (camera, microphone, geolocation, ...) on every
  response.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def permissions_policy() -> str:
    """``camera=(), microphone=(), ...``: each feature allowed to no origin."""
    return ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)


class PrivacyHeadersMiddleware:
    """Must come after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = permissions_policy()

    def __call__(self, request):
        # Asked before and after the view: signing in or out changes it.
        signed_in = _signed_in(request)
        response = self.get_response(request)
        if signed_in or _signed_in(request) or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)
        if self.policy and not response.has_header("Permissions-Policy"):
            response["Permissions-Policy"] = self.policy
        return response
