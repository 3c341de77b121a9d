"""The two-factor pages: set up an app, give a code, see recovery codes
(docs/information-governance.md, "Two-factor sign-in").

Thin views over :mod:`accounts.two_factor.services`. Each page carries
``next`` (where the user was going when the middleware stopped them) and
sends them on there at the end. None is cached: they show keys and codes.
"""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from accounts.two_factor import policy, services
from accounts.two_factor.forms import EnrolForm, VerifyForm
from core.forms import add_errors
from core.views import render_form_page

# Session key: recovery codes just issued, shown once by the next page.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"


def _next_url(request) -> str:
    """Where to go afterwards: ``next`` when it is a page of this site, else home.
    Only a path counts: a bare word would be taken for a URL name by
    ``redirect()`` (a server error when no URL has that name)."""
    candidate = request.GET.get("next", "")
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("accounts:home")


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _verified_with(request, device) -> None:
    """The session is now verified by ``device``: a new session key, as at
    any change of privilege, and the device noted for the middleware."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[policy.HAS_DEVICE_SESSION_KEY] = True


def qr_code(device) -> str:
    """The device's ``otpauth://`` address as a QR code: an SVG data URI
    for an ``<img>``, allowed by the CSP (``img-src data:``), no script."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4)


def readable_key(device) -> str:
    """The key as authenticator apps take it when typed: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
@never_cache
def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the key),
    then give the code the app shows. A user who already has an app may
    replace it only from a verified session."""
    user = request.user
    replacing = policy.authenticator_for(user) is not None
    next_url = _next_url(request)
    if replacing and not policy.is_verified(user):
        # Someone holding only the password must not swap the app for their own.
        return redirect(_with_next("accounts:two_factor_verify", next_url))
    device = services.start_enrolment(user=user, by=user)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            device, codes = services.confirm_enrolment(
                user=user, token=form.cleaned_data["token"], by=user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            _verified_with(request, device)
            request.session[NEW_CODES_SESSION_KEY] = codes
            return redirect(_with_next("accounts:two_factor_recovery_codes", next_url))
    return render_form_page(
        request,
        form,
        heading="Change your authenticator app" if replacing else "Set up two-factor sign-in",
        template="accounts/two_factor/enrol.html",
        extra={
            "qr_code": qr_code(device),
            "key": readable_key(device),
            "replacing": replacing,
            "required": policy.is_required_for(user),
        },
    )


@login_required
@never_cache
def verify(request):
    """Give the code from the app, or a recovery code, after the password."""
    user = request.user
    next_url = _next_url(request)
    if policy.is_verified(user):
        return redirect(next_url)
    if policy.authenticator_for(user) is None:
        request.session.pop(policy.HAS_DEVICE_SESSION_KEY, None)
        if policy.is_required_for(user):
            return redirect(_with_next("accounts:two_factor_enrol", next_url))
        return redirect(next_url)
    form = VerifyForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            verified = services.verify(user=user, code=form.cleaned_data["code"], by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            _verified_with(request, verified.device)
            left = verified.recovery_codes_left
            if left is not None:
                messages.info(
                    request,
                    f"You signed in with a recovery code. You have {left} left: get new ones, "
                    "or set up your app on a new phone, from Your settings.",
                )
            return redirect(next_url)
    return render_form_page(
        request, form, heading="Enter your code", template="accounts/two_factor/verify.html"
    )


@login_required
@never_cache
def recovery_codes(request):
    """New recovery codes, shown once; and the way to get a new set."""
    user = request.user
    next_url = _next_url(request)
    if policy.authenticator_for(user) is None:
        return redirect(_with_next("accounts:two_factor_enrol", next_url))
    if not policy.is_verified(user):
        return redirect(_with_next("accounts:two_factor_verify", request.get_full_path()))
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = services.new_recovery_codes(user=user, by=user)
        return redirect(_with_next("accounts:two_factor_recovery_codes", next_url))
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None) or []
    return render(
        request,
        "accounts/two_factor/recovery_codes.html",
        {
            # In two halves, easier to copy: "abcd efgh" (spaces are ignored when typed).
            "codes": [f"{code[:4]} {code[4:]}" for code in codes],
            "left": policy.recovery_codes_left(user),
            "next_url": next_url,
        },
    )
