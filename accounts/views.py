"""The signed-in user's own pages: the landing redirect and their settings.

The role home pages compose several apps and live in ``portal.views``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from accounts import services, tokens
from accounts.forms import ApiTokenForm, PreferencesForm
from accounts.security import password_reset_allowed
from accounts.two_factor import policy as two_factor
from core.client_address import client_address
from core.forms import add_errors
from core.submissions import AlreadySent, create_once

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
        "live_tokens": request.user.api_tokens.live().count(),
    }
    return render(request, "accounts/preferences.html", context)


@login_required
def api_tokens(request):
    """A person's own API tokens (docs/api.md, "Tokens"): the list, and a
    form to create one, whose value is shown once on the page that answers
    the POST. A service account's tokens are issued in Django admin."""
    user = request.user
    if request.method == "POST" and "revoke" in request.POST:
        return _revoke(request)
    verified = two_factor.is_verified(user)
    try:
        tokens.may_issue(user=user, by=user, second_factor_verified=verified)
        refusal = ""
    except PermissionDenied as error:
        refusal = str(error)
    form = ApiTokenForm(request.POST if request.method == "POST" and not refusal else None)
    created_raw = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        holder = {}

        def create():
            token, holder["raw"] = tokens.issue_token(
                user=user,
                name=data["name"],
                expires_on=data["expires_on"],
                by=user,
                second_factor_verified=verified,
            )
            return token

        try:
            _token, created = create_once(user, form.submission_token, create)
        except ValidationError as error:
            add_errors(form, error)
        except AlreadySent:
            form.add_error(None, AlreadySent.message)
        else:
            if not created:
                messages.info(
                    request, "That token was already created. Its value was shown only once."
                )
                return redirect("accounts:api_tokens")
            created_raw = holder["raw"]
            form = ApiTokenForm()
    rows = list(user.api_tokens.order_by("-created_at", "-pk"))
    context = {
        "form": form,
        "refusal": refusal,
        "created_raw": created_raw,
        "tokens": rows,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/api_tokens.html", context, status=status)


def _revoke(request):
    """Revoke the signed-in user's own token named by the POST's ``revoke``
    (its id); anyone else's, or no such token, changes nothing."""
    token = request.user.api_tokens.filter(pk__in=_ids(request.POST.get("revoke"))).first()
    if token is None:
        messages.error(request, "That token was not found. It may have been revoked already.")
    else:
        tokens.revoke_token(token=token, by=request.user)
        messages.success(request, f"Token '{token.name}' revoked. It no longer works.")
    return redirect("accounts:api_tokens")


def _ids(value) -> list[int]:
    """``[int(value)]`` for a positive whole number below 2**63, else []."""
    text = str(value or "").strip()
    return [int(text)] if text.isdigit() and 0 < int(text) < 2**63 else []


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
