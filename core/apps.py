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
