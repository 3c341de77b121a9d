"""Two-factor sign-in in Django admin: devices can be looked at, never
added, edited or read for their key; an administrator resets a user's
two-factor sign-in from the user's page, giving a reason (one service,
audited), and reads the user's security history there.

Imported by ``accounts.admin``, which runs after django-otp's own admin
modules (INSTALLED_APPS order), so the registrations here replace theirs.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import policy, services
from accounts.two_factor.forms import ResetForm
from accounts.two_factor.history import security_history
from core.forms import add_errors


class LookOnlyMixin:
    """Devices are set up by their owner and removed by the reset below:
    admin only lists them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PortalTOTPDeviceAdmin(LookOnlyMixin, TOTPDeviceAdmin):
    """django-otp's pages for a device's key (``<id>/config/``, ``<id>/qrcode/``)
    raised a server error for an id that does not exist: now a 404. For one
    that does they refuse (403), as OTP_ADMIN_HIDE_SENSITIVE_DATA says."""

    def config_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().qrcode_view(request, pk)


class PortalStaticDeviceAdmin(LookOnlyMixin, StaticDeviceAdmin):
    pass


for _model, _model_admin in (
    (TOTPDevice, PortalTOTPDeviceAdmin),
    (StaticDevice, PortalStaticDeviceAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)


class TwoFactorResetMixin:
    """For the user admin: ``<id>/two-factor-reset/`` asks to confirm, with
    a reason (required), then removes the user's app and recovery codes
    (services.reset); ``<id>/security-history/`` lists what the audit log
    holds about the account and its two-factor sign-in, resets with their
    reasons (history.security_history)."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/two-factor-reset/",
                self.admin_site.admin_view(self.two_factor_reset_view),
                name="{}_{}_two_factor_reset".format(*info),
            ),
            path(
                "<int:pk>/security-history/",
                self.admin_site.admin_view(self.security_history_view),
                name="{}_{}_security_history".format(*info),
            ),
            *super().get_urls(),
        ]

    def _context(self, request, user, title: str) -> dict:
        info = self.opts.app_label, self.opts.model_name
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": user,
            "title": title,
            "subtitle": str(user),
            "change_url": reverse("admin:{}_{}_change".format(*info), args=[user.pk]),
        }

    def two_factor_reset_view(self, request, pk: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        user = get_object_or_404(self.model, pk=pk)
        context = self._context(request, user, "Reset two-factor sign-in")
        form = ResetForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                had_app = services.reset(user=user, by=request.user, reason=reason)
            except ValidationError as error:
                add_errors(form, error)
            else:
                self.log_change(request, user, f"Reset two-factor sign-in. Reason: {reason}")
                done = (
                    "Removed the authenticator app and recovery codes of"
                    if had_app
                    else "Nothing was set up for"
                )
                self.message_user(
                    request,
                    f"{done} {user.full_name}. They set up an app at their next sign-in "
                    "if their role requires one.",
                    messages.SUCCESS,
                )
                return redirect(context["change_url"])
        context |= {
            "form": form,
            "authenticator": policy.authenticator_for(user),
            "recovery_codes_left": policy.recovery_codes_left(user),
            "required": policy.is_required_for(user),
        }
        return TemplateResponse(
            request,
            "admin/accounts/user/two_factor_reset.html",
            context,
            status=400 if form.is_bound else 200,
        )

    def security_history_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        user = get_object_or_404(self.model, pk=pk)
        context = self._context(request, user, "Security history")
        context["events"] = security_history(user)
        return TemplateResponse(request, "admin/accounts/user/security_history.html", context)
