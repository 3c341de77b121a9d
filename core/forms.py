"""GOV.UK Design System form pieces that know nothing of the domain.

A :class:`DateField` with messages a person can act on, a crispy-forms
:func:`helper` that leaves the ``<form>`` tag to the template, :func:`dates`
for a ModelForm's ``field_classes``, :func:`error_target` (where an
error summary link goes), :class:`ModelErrorsMixin`, which
shows a model's errors on a form that lacks the field they name, and
:class:`VersionedForm`, which carries the version of the record the user
opened so that a service can refuse a save based on an out-of-date copy.
"""

from __future__ import annotations

import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models
from django.utils import timezone


class DateField(DateInputField):
    """GOV.UK date input (day, month, year boxes) giving a ``datetime.date``.

    ``not_future`` (default True) refuses a date after today. Years outside
    1900-2100 are refused as mistyped.
    """

    def __init__(self, *, not_future: bool = True, **kwargs):
        self.not_future = not_future
        super().__init__(**kwargs)
        self.error_messages["required"] = "Enter the day, month and year"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError("Enter a real date, for example 27 3 2026") from None
        if not 1900 <= value.year <= 2100:
            raise ValidationError("Enter the year as 4 digits, for example 2026")
        return value

    def validate(self, value):
        super().validate(value)
        if value and self.not_future and value > timezone.localdate():
            raise ValidationError("The date cannot be in the future")


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id too large for the database's integer key as
    an invalid choice. Django guards one id (``pk=``) against overflow but
    not a list (``pk__in=``): SQLite then raises OverflowError, a server
    error, for a posted id such as 2**63."""

    def _check_values(self, value):
        model = self.queryset.model
        key = (
            model._meta.pk
            if self.to_field_name is None
            else model._meta.get_field(self.to_field_name)
        )
        if isinstance(key, models.IntegerField):
            ops = connections[self.queryset.db].ops
            low, high = ops.integer_field_range(key.get_internal_type())
            for item in value or ():
                try:
                    number = int(str(item))
                except ValueError:
                    continue  # Django's own check refuses it
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super()._check_values(value)


def helper(*fields, button: str | None = "Save") -> FormHelper:
    """A helper that leaves the <form> tag to the template and always renders
    hidden fields (the version a user opened, a formset row's id).

    ``button`` is the submit button's words; None for no button (a form
    shown inside another, such as a formset row)."""
    form_helper = FormHelper()
    form_helper.form_tag = False
    form_helper.render_hidden_fields = True
    form_helper.layout = Layout(*fields, *([Button("submit", button)] if button else []))
    return form_helper


def dates(*names: str) -> dict:
    """``{name: DateField}`` for each name: a ModelForm's ``field_classes``."""
    return {name: DateField for name in names}


class ModelErrorsMixin:
    """For a ModelForm: the model's ``clean()`` and constraints may name a
    field the form does not have (a rule about the whole record); such a
    message goes to the top of the form instead of raising ValueError. A
    field that already failed the form's own checks (a choice not offered,
    a date not real) keeps that one message: the model's message about the
    same field, which saw no value, is not added beside it. ``one_choice``
    names groups of fields that are one choice between them (a trust or a
    body): when one of a group failed, the model's messages about the
    others are left out too."""

    one_choice: tuple[tuple[str, ...], ...] = ()

    def _answered(self, name: str) -> bool:
        """Whether the form already said what is wrong with ``name``'s choice."""
        group = next((g for g in self.one_choice if name in g), (name,))
        return any(member in self._errors for member in group)

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            kept: dict = {}
            for name, messages in errors.error_dict.items():
                if name in self.fields:
                    if self._answered(name):
                        continue
                    key = name
                else:
                    key = NON_FIELD_ERRORS
                kept.setdefault(key, []).extend(messages)
            if not kept:
                return
            errors = ValidationError(kept)
        super()._update_errors(errors)


class VersionedForm(ModelErrorsMixin, forms.ModelForm):
    """Carries the version of the record the user opened (a hidden field)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    @property
    def expected_version(self) -> int | None:
        """The version the user opened, or None (a new record, or a form
        posted without it)."""
        return self.cleaned_data.get("version")


def error_target(bound_field) -> str:
    """The id an error summary link for ``bound_field`` goes to: the first
    thing a person can type in or pick, so following the link puts the
    cursor there (GOV.UK error summary: "link to the first field of a
    question").

    - a date (any ``MultiWidget``): its first box, the day (``id_x_0``),
      not the wrapper ``<div id="id_x">``;
    - radios and checkboxes: the first choice. crispy-forms-gds numbers
      choices from 1 as ``id_<html name>_<n>`` (``gds/layout/radio_item.html``
      and ``checkboxes.html``), so the first is ``id_<html name>_1``,
      whatever Django's own numbering;
    - anything else: the field's own id.

    Returns a string without the ``#``; empty for a field with no id."""
    auto_id = bound_field.auto_id
    if not auto_id:
        return ""
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return f"{auto_id}_0"
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"id_{bound_field.html_name}_1"
    return auto_id


def add_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: messages keyed by a
    field the form has go beside that field, the rest at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.error_dict.items():
        form.add_error(name if name in form.fields else None, ValidationError(messages))


def model_values(form, *, leave_out: tuple[str, ...] = ()) -> dict:
    """``{field name: cleaned value}`` for a valid ModelForm's model fields
    (its ``Meta.fields``), without those in ``leave_out``: the plain values
    a service takes."""
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name in form.cleaned_data and name not in leave_out
    }
