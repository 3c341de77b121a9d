"""Django admin's site: a user whose role must give a second factor uses it
only once the session is verified (django-otp's ``OTPAdminSite`` asks the
same of everyone, which would lock the demo administrator out of
``make run``). The middleware already stops an unverified session at the
door; this holds even where the middleware is left out."""

from __future__ import annotations

from django.contrib.admin import AdminSite

from accounts.two_factor import policy


class PortalAdminSite(AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and policy.pending_step(request) is None
