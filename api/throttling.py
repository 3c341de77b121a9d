"""Rate limits per token (``API_THROTTLE_RATE``, default 600 a minute):
one busy client cannot slow the portal for everyone else. Counted in the
cache every worker shares (Redis in production)."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is None or getattr(token, "pk", None) is None:
            return None  # anonymous calls are refused before they cost anything
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
