"""Forms for information governance, in GOV.UK Design System markup. They
parse only: the rules are the services' (``governance/services.py``)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from core.forms import helper
from core.submissions import OnceForm


class SubjectAccessForm(OnceForm, forms.Form):
    """Ask for a subject access ZIP: only the one-time token, so a double
    click asks once (core.submissions)."""


class ReasonForm(forms.Form):
    """One reason, for a legal hold or an erasure on request."""

    reason = forms.CharField(widget=forms.Textarea, max_length=1000)

    def __init__(self, *args, label: str, hint: str = "", button: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label = label
        field.help_text = hint
        field.error_messages["required"] = "Say why"
        self.helper = helper(Field.textarea("reason", rows=4), button=button)


class ApproveForm(forms.Form):
    """The administrator confirms they have checked an erasure list."""

    confirm = forms.BooleanField(
        label="I have checked this list. Erase these children's records and files.",
        error_messages={"required": "Confirm that you have checked the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field.checkbox("confirm"), button=None)
