"""The signed-in user's own pages: the landing redirect and their settings.

The role home pages compose several apps and live in ``portal.views``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts import services
from accounts.forms import PreferencesForm
from accounts.security import password_reset_allowed
from accounts.two_factor import policy as two_factor
from core.client_address import client_address

TOO_MANY_RESETS = (
    "Too many requests to reset a password have been made. Wait an hour, then try "
    "again. If you still cannot sign in, ask your administrator."
)


def home(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return redirect(request.user.get_home_url())


@login_required
def preferences(request):
    """A signed-in user's own settings: whether to receive reminder digests."""
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        services.set_reminder_preference(
            user=request.user,
            receive_digests=form.cleaned_data["receive_digests"],
            by=request.user,
        )
        messages.success(request, "Your settings have been saved.")
        return redirect("accounts:preferences")
    context = {
        "form": form,
        "authenticator": two_factor.authenticator_for(request.user),
        "recovery_codes_left": two_factor.recovery_codes_left(request.user),
        "two_factor_required": two_factor.is_required_for(request.user),
    }
    return render(request, "accounts/preferences.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's "email me a reset link", limited per client address and per
    email address entered (accounts.security.password_reset_allowed).

    Over a limit, the form is shown again with one message and status 429,
    the same whether or not the email address has an account.
    """

    def form_valid(self, form):
        allowed = password_reset_allowed(
            email=form.cleaned_data["email"], address=client_address(self.request)
        )
        if not allowed:
            form.add_error(None, TOO_MANY_RESETS)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
