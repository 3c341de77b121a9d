"""Adding a child after looking for them first (docs/ehc.md, "Find before
adding"): the child form with the confirmation an officer gives when the
NHS number is already recorded in another of their local authorities."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from ehc.forms.casework import ChildForm


class NewChildForm(ChildForm):
    """:class:`~ehc.forms.casework.ChildForm` for a new child. When
    ``ask_to_confirm`` (the NHS number was found in another local authority
    within the user's scope), a box under the NHS number lets the officer
    confirm that the record should be added all the same; the rule itself
    is :func:`ehc.services.children.nhs_number_problems`."""

    other_area_confirmed = forms.BooleanField(
        label="I have checked: add this child to the local authority chosen below as well",
        required=False,
        help_text="For a child who has moved between your areas. If the NHS number was "
        "mistyped, correct it instead.",
    )

    def __init__(self, *args, ask_to_confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_to_confirm:
            del self.fields["other_area_confirmed"]
            return
        layout = self.helper.layout
        position = next(
            i
            for i, item in enumerate(layout.fields)
            if getattr(item, "fields", None) == ["nhs_number"]
        )
        layout.insert(position + 1, Field.checkbox("other_area_confirmed", small=True))

    def _get_validation_exclusions(self):
        # A number already recorded is the service's to refuse (with the
        # child it belongs to), not the table constraint's plain message.
        return {*super()._get_validation_exclusions(), "nhs_number"}
