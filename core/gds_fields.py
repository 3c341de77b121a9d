"""GOV.UK form groups written in Python, for forms drawn on every page view.

A list's filter panel is drawn each time the list is shown, and drawing it
through crispy-forms-gds costs a template (and a widget template, and one
more per ``<option>``) for every field: about 1 ms a field, most of a
worklist page's Python (docs/performance.md, "The worklist"). The
functions here write the same markup as crispy-forms-gds's ``gds`` pack
(``gds/field.html`` with the ``crispy_gds_field`` tag: ids, classes, hint,
error messages, ``aria-describedby`` and ``aria-invalid``) with
``format_html``, for the widgets a filter panel uses: a text input, a
select and a single checkbox. A field with any other widget (the date
input's three boxes) is drawn by crispy-forms-gds itself, so its markup
is crispy's by construction. ``tests/core/test_gds_fields.py`` compares
both renderings, valid and with errors.

Labels and hints are the form's own words (code, not input) and are
written as given, as crispy-forms-gds writes them; values and error
messages are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.forms.utils import flatatt
from django.template import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# The GOV.UK class each widget type starts with (crispy-forms-gds's converters).
_WIDGET_CLASS = {
    forms.TextInput: "govuk-input",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
}
_ERROR_CLASS = "govuk-input--error"  # crispy-forms-gds marks a select with it too


@dataclass(frozen=True)
class Row:
    """One field of a panel, in its order: ``name`` of the form field,
    ``css_class`` added to its input (a GOV.UK width such as
    ``govuk-input--width-3``; a select's width is in its widget's attrs),
    ``small`` for a small checkbox."""

    name: str
    css_class: str = ""
    small: bool = False


def form_groups(form: forms.Form, rows: Sequence[Row], *, button: str = "") -> SafeString:
    """The GOV.UK form groups of ``rows`` of ``form`` (bound or not), in
    order, then a submit button named ``submit`` saying ``button`` (none
    when empty): the markup ``{% crispy form %}`` writes for a layout of
    ``Field.text``, ``Field.select``, ``Field.checkbox`` and ``Field``
    rows. A form-level error is not shown (crispy-forms-gds's helper
    leaves it to the error summary too). No ``<form>`` tag and no CSRF
    token: the template writes the form around it."""
    form.use_required_attribute = False  # as crispy-forms-gds: no browser validation
    parts = [form_group(form[row.name], css_class=row.css_class, small=row.small) for row in rows]
    if button:
        parts.append(
            format_html(
                '<button name="submit" class="govuk-button" id="id_submit" '
                'data-module="govuk-button">{}</button>',
                button,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 (each part is escaped above)


def form_group(field: forms.BoundField, *, css_class: str = "", small: bool = False) -> SafeString:
    """One field's GOV.UK form group: ``<div class="govuk-form-group">``
    with its label, hint, error messages and input. Text inputs, selects
    and single checkboxes are written here; any other widget is drawn by
    crispy-forms-gds."""
    widget = field.field.widget
    if isinstance(widget, DateInputWidget) and not css_class:
        return _date_group(field)
    kind = next((k for k in _WIDGET_CLASS if type(widget) is k), None)
    if kind is None:
        return _crispy_field(field, css_class)
    errors = field.errors
    auto_id = field.auto_id
    attrs = {**widget.attrs}
    classes = [_WIDGET_CLASS[kind]]
    classes += [c for c in f"{attrs.pop('class', '')} {css_class}".split() if c not in classes]
    described_by = [f"{auto_id}_hint"] if field.help_text else []
    if errors:
        if kind is not forms.CheckboxInput:
            classes.append(_ERROR_CLASS)
        described_by += [f"{auto_id}_{n}_error" for n in range(1, len(errors) + 1)]
        attrs["aria-invalid"] = "true"
    attrs["class"] = " ".join(classes)
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    attrs["id"] = auto_id
    messages = _hint_and_errors(field)
    group_class = "govuk-form-group govuk-form-group--error" if errors else "govuk-form-group"
    if kind is forms.CheckboxInput:
        size = " govuk-checkboxes--small" if small else ""
        body = format_html(
            '{}<div class="govuk-checkboxes{}"><div class="govuk-checkboxes__item">{}'
            '<label class="govuk-label govuk-checkboxes__label" for="{}">{}</label></div></div>',
            messages,
            size,
            _checkbox(field, attrs),
            field.id_for_label,
            mark_safe(field.label),  # noqa: S308 (the form's own words, as crispy writes them)
        )
    else:
        control = _select(field, attrs) if kind is forms.Select else _text_input(field, attrs)
        body = format_html(
            '<label for="{}" class="govuk-label">{}</label>{}{}',
            field.id_for_label,
            mark_safe(field.label),  # noqa: S308 (the form's own words, as crispy writes them)
            messages,
            control,
        )
    return format_html('<div id="div_{}" class="{}">{}</div>', auto_id, group_class, body)


def _hint_and_errors(field: forms.BoundField) -> SafeString:
    hint = (
        format_html(
            '<div id="{}_hint" class="govuk-hint">{}</div>',
            field.auto_id,
            mark_safe(field.help_text),  # noqa: S308 (the form's own words)
        )
        if field.help_text
        else ""
    )
    errors = format_html_join(
        "",
        '<span id="{}_{}_error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> {}</span>',
        ((field.auto_id, n, error) for n, error in enumerate(field.errors, start=1)),
    )
    return format_html("{}{}", hint, errors)


def _text_input(field: forms.BoundField, attrs: dict) -> SafeString:
    value = field.field.widget.format_value(field.value())
    shown = {"type": "text", "name": field.html_name}
    if value is not None:
        shown["value"] = value
    return format_html("<input{}>", flatatt(shown | attrs))


def _checkbox(field: forms.BoundField, attrs: dict) -> SafeString:
    widget = field.field.widget
    value = field.value()
    shown = {"type": "checkbox", "name": field.html_name}
    formatted = widget.format_value(value)
    if formatted is not None:
        shown["value"] = formatted
    shown |= attrs
    if widget.check_test(value):
        shown["checked"] = True
    return format_html("<input{}>", flatatt(shown))


def _select(field: forms.BoundField, attrs: dict) -> SafeString:
    """A ``<select>`` with its options, the first option equal to the
    field's value selected (Django's ``Select``; no option groups)."""
    chosen = field.field.widget.format_value(field.value())
    options = []
    selected = False
    for value, label in field.field.choices:
        text = "" if value is None else str(value)
        mark = not selected and text in chosen
        selected = selected or mark
        options.append(
            format_html(
                '<option value="{}"{}>{}</option>', text, " selected" if mark else "", label
            )
        )
    return format_html(
        "<select{}>{}</select>",
        flatatt({"name": field.html_name} | attrs),
        mark_safe("".join(options)),  # noqa: S308 (each option is escaped above)
    )


def _date_group(field: forms.BoundField) -> SafeString:
    """A date's form group: a fieldset whose legend is the label, then
    the hint, the errors and the day, month and year boxes. With errors,
    the boxes the date field blamed are marked (``widget.errors`` on its
    day, month and year fields, set when it was cleaned), or all three
    when it blamed none."""
    auto_id, errors = field.auto_id, field.errors
    described_by = ""
    if field.help_text or errors:
        described_by = f"{auto_id}_hint" if field.help_text else ""
        described_by += "".join(f" {auto_id}_{n}_error" for n in range(1, len(errors) + 1))
    blamed = [getattr(part.widget, "errors", None) or [] for part in field.field.fields]
    boxes = field.field.widget.widgets
    values = field.value()
    if not isinstance(values, (list, tuple)):
        values = field.field.widget.decompress(values)
    items = []
    for index, (box, value) in enumerate(zip(boxes, values, strict=False)):
        attrs = {**box.attrs}
        label = attrs.pop("label", "")
        classes = ["govuk-input"]
        classes += [c for c in attrs.pop("class", "").split() if c not in classes]
        if errors:
            if not any(blamed) or blamed[index]:
                classes.append(_ERROR_CLASS)
            if not field.help_text:
                attrs["aria-describedby"] = ""
            mine = [
                f"{auto_id}_{n}_error"
                for n, error in enumerate(errors, start=1)
                if error in blamed[index]
            ]
            if mine:
                attrs["aria-describedby"] = " ".join(
                    filter(None, [attrs.get("aria-describedby"), *mine])
                )
            attrs["aria-invalid"] = "true"
        shown = {"type": "text", "name": f"{field.html_name}_{index}"}
        formatted = box.format_value(value)
        if formatted is not None:
            shown["value"] = formatted
        shown |= attrs
        shown["class"] = " ".join(classes)
        shown["id"] = f"{auto_id}_{index}"
        items.append(
            format_html(
                '<div class="govuk-date-input__item"><div class="govuk-form-group">'
                '<label class="govuk-label govuk-date-input__label" for="{}">{}</label>'
                "<input{}></div></div>",
                shown["id"],
                label,
                flatatt(shown),
            )
        )
    fieldset_attrs = flatatt({"aria-describedby": described_by}) if described_by else ""
    group_class = "govuk-form-group govuk-form-group--error" if errors else "govuk-form-group"
    return format_html(
        '<div id="div_{}" class="{}"><fieldset class="govuk-fieldset"{}>'
        '<legend class="govuk-fieldset__legend">{}</legend>{}'
        '<div class="govuk-date-input" id="{}">{}</div></fieldset></div>',
        auto_id,
        group_class,
        fieldset_attrs,
        mark_safe(field.label),  # noqa: S308 (the form's own words, as crispy writes them)
        _hint_and_errors(field),
        auto_id,
        mark_safe("".join(items)),  # noqa: S308 (each box is escaped above)
    )


def _crispy_field(field: forms.BoundField, css_class: str) -> SafeString:
    """A field crispy-forms-gds draws (``Field(name)`` in a layout)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(Field(field.name, css_class=css_class) if css_class else field.name)
    context = Context(helper.get_attributes(template_pack="gds"))
    return mark_safe(helper.render_layout(field.form, context, template_pack="gds"))  # noqa: S308
