"""Template filters for GOV.UK forms: ``{% load core_forms %}``.

``error_target``: where an error summary link for a field goes
(:func:`core.forms.error_target`). The project's copy of crispy-forms-gds's
error summary (``templates/gds/layout/error_summary.html``) uses it, so every
``{% error_summary form %}`` links to the first box of a date and the first
of a set of radios or checkboxes.
"""

from __future__ import annotations

from django import template

from core import forms

register = template.Library()


@register.filter
def error_target(bound_field) -> str:
    """The id (no ``#``) of the first control of ``bound_field``."""
    return forms.error_target(bound_field)


@register.filter
def error_link(bound_field, field_id: str) -> str:
    """The id a summary link goes to for errors ``field_id`` names:
    crispy-forms-gds names a date's box itself (``id_x_1`` for a month
    error) or the field (``id_x``), which becomes its first control."""
    if field_id and field_id != bound_field.auto_id:
        return field_id
    return forms.error_target(bound_field)
