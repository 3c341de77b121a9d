"""The two-factor forms, in GOV.UK markup. They take the code as typed;
the services check it (accounts.two_factor.services)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from accounts.two_factor.services import RESET_REASON_MAX, is_app_code, normalise
from core.forms import helper

CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "spellcheck": "false",
    "autocapitalize": "none",
}


class EnrolForm(forms.Form):
    token = forms.CharField(
        label="Code from your app",
        help_text="The 6 digits the app shows for the SEND health portal, like 123456.",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code your app shows"},
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.text("token", field_width=10), button="Continue")

    def clean_token(self) -> str:
        token = normalise(self.cleaned_data["token"])
        if not is_app_code(token):
            raise forms.ValidationError("The code must be 6 digits, like 123456")
        return token


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code your authenticator app shows now, or one of your "
        "recovery codes.",
        max_length=40,
        error_messages={"required": "Enter the code from your app, or a recovery code"},
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.text("code", field_width=10), button="Continue")


class ResetForm(forms.Form):
    """The administrator's reason for resetting a user's two-factor sign-in
    (Django admin's own markup: the page is in admin)."""

    reason = forms.CharField(
        label="Reason for the reset",
        help_text="For example: lost phone, reported by phone on 3 March; identity checked by "
        "calling the number on their staff record. Kept in the audit log and shown in the "
        "user's security history.",
        max_length=RESET_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": "Say why the two-factor sign-in is being reset"},
    )
