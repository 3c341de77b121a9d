"""The two-factor forms, in GOV.UK markup. They take the code as typed;
the services check it (accounts.two_factor.services)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from accounts.two_factor.services import is_app_code, normalise
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
