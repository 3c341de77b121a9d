"""Nothing is reachable between the password and the second factor but the
pages that lead through it (docs/information-governance.md, "Two-factor
sign-in").

After django-otp's ``OTPMiddleware`` (which says whether the session is
verified): a signed-in user with a step pending (:func:`policy.pending_step`)
is sent to give a code, or to set up an app, and brought back afterwards.
Allowed meanwhile: signing in and out, the two-factor pages, static files,
the health check and the accessibility statement.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts.two_factor import policy

STEP_URLS = {
    policy.Step.VERIFY: "accounts:two_factor_verify",
    policy.Step.ENROL: "accounts:two_factor_enrol",
}
ALLOWED_URLS = (
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor_verify",
    "accounts:two_factor_enrol",
    "healthz",
    "accessibility",
)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed: frozenset[str] | None = None

    def allowed(self, path: str) -> bool:
        if self._allowed is None:  # the URLconf is loaded by the first request
            self._allowed = frozenset(reverse(name) for name in ALLOWED_URLS)
        return path in self._allowed or path.startswith(settings.STATIC_URL)

    def __call__(self, request):
        step = policy.pending_step(request)
        # Read by the navigation: no menu of pages that cannot be reached yet.
        request.two_factor_step = step
        if step is not None and not self.allowed(request.path):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(STEP_URLS[step])}?{query}")
        return self.get_response(request)
