"""The forms for a service's quarterly waiting times (docs/waits.md). They
parse only: the rules are :meth:`ehc.models.ServiceWait.clean` and
:mod:`ehc.services.waits`."""

from __future__ import annotations

import datetime

from crispy_forms_gds.layout import Field
from django import forms
from django.core.validators import MaxLengthValidator

from core import periods
from core.forms import VersionedForm, helper
from core.submissions import OnceForm
from ehc.models import ServiceWait
from ehc.services.waits import WAIT_FIGURES

# How many ended quarters the entry form offers, newest first: two years,
# enough to catch up on a missed return.
QUARTERS_OFFERED = 8
# Notes say how a list is counted; more than this is a report, not a note.
NOTES_MAX = 1000
WEEKS_HINT = "In weeks, for example 12 or 12.5. Leave blank if no one is waiting."


def ended_quarters(today: datetime.date, n: int = QUARTERS_OFFERED) -> list[periods.Period]:
    """The ``n`` financial-year quarters that ended before ``today``, newest first."""
    last = periods.quarter_containing(today).previous()
    return list(reversed(periods.recent_quarters(last.start, n)))


def quarter_choice_label(period: periods.Period) -> str:
    """ "Q2 2026/27 (July to September 2026)"."""
    return f"{period.label} ({period.start:%B} to {period.end:%B %Y})"


class WaitsForm(VersionedForm):
    """Change one quarter's figures (the service and quarter stay)."""

    class Meta:
        model = ServiceWait
        fields = list(WAIT_FIGURES)
        widgets = {
            # Typed as text (GOV.UK: no number input), checked as a number.
            "waiting": forms.TextInput(attrs={"inputmode": "numeric"}),
            "median_weeks": forms.TextInput(attrs={"inputmode": "decimal"}),
            "longest_weeks": forms.TextInput(attrs={"inputmode": "decimal"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "waiting": "Children and young people on the waiting list on the quarter's "
            "last day. Enter 0 if no one was waiting.",
            "median_weeks": "How long the middle person on the list had waited. " + WEEKS_HINT,
            "longest_weeks": "How long the person waiting longest had waited. " + WEEKS_HINT,
            "notes": "Optional. For example, a change in how the list is counted. "
            "Commissioners read these notes: do not name or describe individual children.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["waiting"].error_messages.update(
            {
                "required": "Enter the number waiting, or 0 if no one was waiting",
                "invalid": "Enter the number waiting as a whole number, for example 42",
                "min_value": "Enter 0 or more",
                "max_value": "Enter 100,000 or fewer: check the number waiting",
            }
        )
        fields["notes"].max_length = NOTES_MAX
        fields["notes"].validators.append(MaxLengthValidator(NOTES_MAX))
        fields["notes"].error_messages["max_length"] = (
            f"Keep the notes to {NOTES_MAX:,} characters or fewer"
        )
        for name, what in (("median_weeks", "median"), ("longest_weeks", "longest")):
            fields[name].error_messages.update(
                {
                    "invalid": f"Enter the {what} wait as a number of weeks, for example 12.5",
                    "min_value": f"Enter a {what} wait of 0 weeks or more",
                    "max_value": f"Enter a {what} wait of 520 weeks (10 years) or fewer",
                    # 4 digits with 1 decimal place: too many decimals or too many weeks.
                    "max_digits": f"Enter the {what} wait to one decimal place, "
                    "520 weeks (10 years) or fewer",
                    "max_whole_digits": f"Enter a {what} wait of 520 weeks (10 years) or fewer",
                    "max_decimal_places": f"Enter the {what} wait to one decimal place, "
                    "for example 12.5",
                }
            )
        self.helper = helper(*self.layout(), button="Save waiting times")

    def layout(self) -> list:
        return [
            Field.text("waiting", field_width=5),
            Field.text("median_weeks", field_width=5),
            Field.text("longest_weeks", field_width=5),
            Field.textarea("notes", rows=3),
        ]


class NewWaitsForm(OnceForm, WaitsForm):
    """Enter a quarter's figures for a service: the quarter chosen from the
    last two years' ended quarters. A quarter already entered is changed
    (:func:`ehc.services.record_waits`)."""

    quarter = forms.ChoiceField(label="Quarter")

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        offered = ended_quarters(today)
        field = self.fields["quarter"]
        field.choices = [(p.slug, quarter_choice_label(p)) for p in offered]
        field.initial = offered[0].slug
        field.help_text = (
            "The figures are as at the quarter's last day. A quarter already entered is "
            "replaced by these figures."
        )
        field.error_messages["required"] = "Choose the quarter"
        field.error_messages["invalid_choice"] = "Choose a quarter from the list"
        self.order_fields(["quarter", *WAIT_FIGURES])
        self.helper = helper(*self.layout(), button="Save waiting times")

    def layout(self) -> list:
        return [Field.select("quarter"), *super().layout()]

    def clean_quarter(self) -> periods.Period:
        return periods.parse_period(self.cleaned_data["quarter"])
