from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Domain-free building blocks; one table of its own (creating forms
    submitted, :mod:`core.submissions`)."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        # Every form text field refuses hidden control characters, with its
        # message beside the field (core/text.py). Django gives every
        # CharField a NUL check already; this widens it to C0 controls.
        from django import forms

        from core.text import ControlCharacterValidator

        if not any(
            isinstance(v, ControlCharacterValidator) for v in forms.CharField.default_validators
        ):
            forms.CharField.default_validators = [
                *forms.CharField.default_validators,
                ControlCharacterValidator(),
            ]
        # A single-line field (a name, a reference, a search) refuses tab,
        # CR and LF too; a text area keeps them for paragraphs, and a
        # password box takes what it is given.
        if not getattr(forms.CharField.validate, "refuses_line_breaks", False):
            forms.CharField.validate = _single_line_validate(forms.CharField.validate)


def _single_line_validate(validate):
    from django import forms
    from django.core.exceptions import ValidationError

    from core.text import single_line_problem

    def checked(field, value):
        validate(field, value)
        if isinstance(field.widget, forms.Textarea | forms.PasswordInput):
            return
        if problem := single_line_problem(value):
            raise ValidationError(problem, code="line_break")

    checked.refuses_line_breaks = True
    return checked
