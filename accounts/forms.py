"""Sign-in and password forms, rendered with GOV.UK Design System markup."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib.auth import forms as auth_forms

from core.forms import DateField, helper
from core.submissions import OnceForm


class SignInForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password. "
        "Both are case-sensitive except the email address.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = helper(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            button="Sign in",
        )

    def confirm_login_allowed(self, user):
        """A service account is another system: it uses API tokens and
        never signs in (docs/api.md, "Service accounts")."""
        super().confirm_login_allowed(user)
        if getattr(user, "is_service_account", False):
            raise forms.ValidationError(
                "This is a service account for another system: it cannot sign in. It uses "
                "the API with tokens an administrator issues.",
                code="service_account",
            )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.text("old_password", field_width=20),
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            button="Change password",
        )


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.helper = helper(Field.text("email", field_width=20), button="Send reset link")


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            button="Set password",
        )


class PreferencesForm(forms.ModelForm):
    class Meta:
        from accounts.models import User

        model = User
        fields = ["receive_digests"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.checkbox("receive_digests"), Button("submit", "Save"))


class ApiTokenForm(OnceForm, forms.Form):
    """Name a new personal API token and choose when it expires; the rules
    are :func:`accounts.tokens.token_problems`."""

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so you can tell your tokens apart. For example: "
        "'Monthly figures script'.",
        error_messages={"required": "Enter a name for the token"},
    )
    expires_on = DateField(
        label="Expires on",
        not_future=False,
        help_text="The token stops working at the end of this day, at most a year ahead. "
        "For example, 31 3 2027.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].error_messages["required"] = "Enter the date the token expires"
        self.helper = helper(
            Field.text("name", field_width=20),
            Field("expires_on"),
            button="Create token",
        )
