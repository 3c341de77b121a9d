"""Hidden control characters are refused with a message, never stored and
never a server error (core/text.py), on both databases."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.text import MESSAGE, ControlCharacterValidator, control_character_problem
from ehc.models import Child
from tests import factories as f
from tests.ehc.helpers import child_post


@pytest.mark.parametrize("text", ["\x00", "a\x01b", "x\x1b[31m", "\x7f", "=\x00cmd"])
def test_control_characters_are_refused(text):
    assert control_character_problem(text) == MESSAGE
    with pytest.raises(ValidationError) as error:
        ControlCharacterValidator()(text)
    assert error.value.code == "control_character"


@pytest.mark.parametrize("text", ["", "Plain", "Two\r\nlines", "A\ttab", "Zoë – naïve", 42, None])
def test_tab_newlines_and_other_text_pass(text):
    assert control_character_problem(text) == ""


def test_every_form_text_field_refuses_them():
    class AnyForm(forms.Form):
        name = forms.CharField()
        notes = forms.CharField(widget=forms.Textarea)

    form = AnyForm({"name": "Sam\x01", "notes": "Line one\r\nLine two"})
    assert not form.is_valid()
    assert form.errors["name"] == [MESSAGE]
    assert "notes" not in form.errors


@pytest.mark.django_db
def test_a_child_named_with_a_control_character_is_refused_beside_the_field(client, area):
    client.force_login(area.officer)
    response = client.post(reverse("ehc:child_create"), child_post(area, given_name="Al\x0bex"))
    assert response.status_code == 400
    assert response.context["form"].errors["given_name"] == [MESSAGE]
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_a_search_for_a_nul_byte_is_a_message_not_a_crash(client, area):
    f.ChildFactory(local_authority=area.local_authority)
    client.force_login(area.officer)
    response = client.get(reverse("ehc:child_list"), {"q": "Sam\x00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-message" in page and "hidden control character" in page
    assert len(response.context["children"]) == 1  # the list, unfiltered


def test_a_single_line_field_refuses_tabs_and_line_breaks_a_text_area_keeps_them():
    from django import forms

    class Form(forms.Form):
        name = forms.CharField()
        notes = forms.CharField(widget=forms.Textarea)
        password = forms.CharField(widget=forms.PasswordInput)

    form = Form({"name": "Sam\tLee", "notes": "One\r\nTwo\tthree", "password": "a\tb"})
    assert not form.is_valid()
    assert list(form.errors) == ["name"]
    assert "fit on one line" in form.errors["name"][0]
    # Django strips them at either end, so a trailing newline is no error.
    assert Form({"name": "Sam Lee\n", "notes": "x", "password": "x"}).is_valid()
