"""core.forms: the GOV.UK date field, and a service's errors shown on a form."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import DateField, add_errors


class _DateForm(forms.Form):
    when = DateField(label="When")
    later = DateField(label="Later", not_future=False, required=False)


def _date(prefix: str, value: datetime.date | None) -> dict:
    if value is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"when_0": "31", "when_1": "2", "when_2": "2024"}, "Enter a real date"),
        ({"when_0": "1", "when_1": "1", "when_2": "24"}, "Enter the year as 4 digits"),
        ({"when_0": "", "when_1": "", "when_2": ""}, "Enter the day, month and year"),
    ],
)
def test_date_field_says_what_to_fix(data, message):
    form = _DateForm(data)
    assert not form.is_valid()
    assert message in form.errors["when"][0]


def test_date_field_refuses_the_future_unless_told():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = _DateForm({**_date("when", tomorrow), **_date("later", tomorrow)})
    assert not form.is_valid()
    assert form.errors["when"] == ["The date cannot be in the future"]
    assert "later" not in form.errors


def test_date_field_gives_a_date():
    form = _DateForm(_date("when", datetime.date(2026, 3, 27)))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == datetime.date(2026, 3, 27)


class _NameForm(forms.Form):
    name = forms.CharField()


def test_add_errors_puts_keyed_messages_beside_their_field_and_the_rest_on_top():
    form = _NameForm({"name": "x"})
    assert form.is_valid()
    add_errors(
        form,
        ValidationError(
            {"name": "Choose another name", "asked_on": "A field this form does not have"}
        ),
    )
    assert form.errors["name"] == ["Choose another name"]
    assert form.non_field_errors() == ["A field this form does not have"]


def test_add_errors_puts_an_unkeyed_error_on_top():
    form = _NameForm({"name": "x"})
    form.is_valid()
    add_errors(form, ValidationError("Someone else saved this record first"))
    assert form.non_field_errors() == ["Someone else saved this record first"]


class _ChoicesForm(forms.Form):
    when = DateField(label="When")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    tags = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField()


def test_error_summary_links_go_to_the_first_control_of_each_field():
    from django.template import Context, Template

    from core.forms import error_target, helper

    form = _ChoicesForm(data={}, prefix="step")
    form.helper = helper("when", "kind", "tags", "note")
    assert not form.is_valid()
    assert error_target(form["when"]) == "id_step-when_0"  # the day box
    assert error_target(form["kind"]) == "id_step-kind_1"  # the first radio
    assert error_target(form["tags"]) == "id_step-tags_1"  # the first checkbox
    assert error_target(form["note"]) == "id_step-note"

    # The summary links to ids the rendered form has.
    html = Template(
        "{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}{% crispy form %}"
    ).render(Context({"form": form}))
    for target in ("id_step-when_0", "id_step-kind_1", "id_step-tags_1", "id_step-note"):
        assert f'href="#{target}"' in html
        assert f'id="{target}"' in html
