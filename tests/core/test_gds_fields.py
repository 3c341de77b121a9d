"""core.gds_fields: GOV.UK form groups written in Python are the markup
crispy-forms-gds writes for the same layout, blank, filled in and with
errors (compared as HTML: attribute order and whitespace aside)."""

import pytest
from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django import forms
from django.test.html import parse_html

from core.forms import DateField
from core.gds_fields import Row, form_group, form_groups


class _Form(forms.Form):
    q = forms.CharField(label="Name or reference", required=False)
    days = forms.IntegerField(label="Days", required=False, min_value=0, help_text="Up to a year")
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any"), ("a", "Apples & pears"), ("b", "<Bananas>"), (3, "Three")],
    )
    late = forms.BooleanField(label="Late only", required=False)
    flag = forms.BooleanField(label="Flagged", required=False, help_text="Marked by hand")
    start = DateField(
        label="Start", required=False, not_future=False, help_text="For example 1 4 2026"
    )
    end = DateField(label="End", required=False, not_future=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].widget = forms.TextInput(attrs={"inputmode": "numeric"})
        self.fields["kind"].widget.attrs["class"] = "govuk-!-width-full"

    def clean(self):
        data = super().clean()
        if data.get("q") == "twice":
            self.add_error("q", "First problem")
            self.add_error("q", "Second problem")
        return data


ROWS = (
    Row("q", css_class="govuk-!-width-full"),
    Row("days", css_class="govuk-input--width-3"),
    Row("kind"),
    Row("late", small=True),
    Row("flag"),
    Row("start"),
    Row("end"),
)


def _crispy(form) -> str:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        Field.text("q", field_width=Fluid.FULL),
        Field.text("days", field_width=3),
        Field.select("kind"),
        Field.checkbox("late", small=True),
        Field.checkbox("flag"),
        Field("start"),
        Field("end"),
        Button("submit", "Apply filters"),
    )
    form.helper = helper
    return render_crispy_form(form)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"q": "a <b> & 'c'", "days": "12", "kind": "b", "late": "on", "flag": "on"},
        {"kind": "3", "start_0": "1", "start_1": "4", "start_2": "2026"},
        # Errors: not a number, a choice not offered, a date in part, a date not real.
        {"days": "many", "kind": "zzz", "start_0": "5", "end_0": "31", "end_1": "2", "end_2": "x"},
        {"days": "-1", "start_0": "31", "start_1": "2", "start_2": "2026", "end_2": "1999"},
        {"q": "twice", "start_0": "", "start_1": "7", "start_2": ""},
        # A checkbox sent with a value it does not know still shows as ticked.
        {"late": "yes", "flag": "false"},
    ],
)
def test_the_form_groups_are_crispy_forms_gds_markup(data):
    ours = _Form(data)
    theirs = _Form(data)
    if data is not None:
        ours.is_valid()
        theirs.is_valid()
    written = form_groups(ours, ROWS, button="Apply filters")
    assert parse_html(written) == parse_html(_crispy(theirs))


def test_errors_are_marked_and_described():
    form = _Form({"days": "many", "kind": "zzz", "q": "twice"})
    assert not form.is_valid()
    days = form_group(form["days"], css_class="govuk-input--width-3")
    assert "govuk-form-group--error" in days
    assert 'aria-describedby="id_days_hint id_days_1_error"' in days
    assert 'aria-invalid="true"' in days
    assert "Enter a whole number." in days
    q = form_group(form["q"])
    assert 'aria-describedby="id_q_1_error id_q_2_error"' in q
    assert q.index("First problem") < q.index("Second problem")


def test_values_and_options_are_escaped_and_the_first_match_selected():
    form = _Form({"q": '"><script>', "kind": "b"})
    form.is_valid()
    q = form_group(form["q"])
    assert "<script>" not in q
    assert 'value="&quot;&gt;&lt;script&gt;"' in q
    kind = form_group(form["kind"])
    assert '<option value="b" selected>&lt;Bananas&gt;</option>' in kind
    assert "Apples &amp; pears" in kind
    assert kind.count(" selected") == 1


def test_a_widget_it_does_not_write_is_left_to_crispy_forms_gds():
    class Other(forms.Form):
        notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)

    written = form_group(Other({"notes": "a<b"})["notes"])
    assert 'class="govuk-textarea"' in written
    assert "a&lt;b" in written
