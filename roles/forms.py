"""Forms for the post-holder's record, in GOV.UK Design System markup."""

from __future__ import annotations

import datetime

from crispy_forms_gds.layout import Field
from django import forms
from django.core.exceptions import ValidationError

from core.forms import DateField, helper
from roles.models import CPDEntry, Membership, Post, TrainingSession

EARLIEST = datetime.date(2010, 1, 1)  # before any designated officer role existed


class RecordDateField(DateField):
    """A date in the post-holder's record: not in the future (unless told)
    and not before the role existed."""

    def validate(self, value):
        super().validate(value)
        if value and value < EARLIEST:
            raise ValidationError("Enter a date from 2010 onwards")


class MembershipForm(forms.ModelForm):
    since = RecordDateField(label="Member since", required=False)
    until = RecordDateField(
        label="Member until",
        required=False,
        not_future=False,
        help_text="Leave blank while you still sit on it.",
    )

    class Meta:
        model = Membership
        fields = ["kind", "name", "role_on_board", "since", "until"]
        labels = {"kind": "Type of board or committee", "name": "Name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.select("kind"),
            Field.text("name"),
            Field.text("role_on_board", field_width=20),
            Field("since"),
            Field("until"),
        )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date must be on or after the start date")
        return data


class TrainingForm(forms.ModelForm):
    delivered_on = RecordDateField(label="Date delivered")

    class Meta:
        model = TrainingSession
        fields = ["title", "audience", "delivered_on", "attendees"]
        labels = {"title": "Title or topic", "attendees": "Number of people who attended"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].widget = forms.TextInput(attrs={"inputmode": "numeric"})
        self.fields["attendees"].error_messages.update(
            {
                "invalid": "Enter the number of attendees as a whole number, for example 25",
                "min_value": "Enter 0 or more attendees",
                "max_value": "Enter 100,000 attendees or fewer",
            }
        )
        self.helper = helper(
            Field.text("title"),
            Field.text("audience"),
            Field("delivered_on"),
            Field.text("attendees", field_width=5),
        )


class CPDForm(forms.ModelForm):
    completed_on = RecordDateField(label="Date completed")

    class Meta:
        model = CPDEntry
        fields = ["activity", "completed_on", "points"]
        labels = {"activity": "Activity", "points": "CPD points"}
        help_texts = {"points": "In half points, for example 1 or 1.5."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.fields["points"].error_messages.update(
            {
                "invalid": "Enter the points as a number, for example 1.5",
                "max_decimal_places": "Enter the points to one decimal place, for example 1.5",
                "max_digits": "Enter 50 points or fewer",
                "max_whole_digits": "Enter 50 points or fewer",
                "max_value": "Enter 50 points or fewer",
                "min_value": "Enter at least half a point",
            }
        )
        self.helper = helper(
            Field.text("activity"),
            Field("completed_on"),
            Field.text("points", field_width=5),
        )

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points is not None and (points * 2) % 1:
            raise ValidationError("Enter the points in halves, for example 1 or 1.5")
        return points


class AppraisalForm(forms.ModelForm):
    last_appraisal_on = RecordDateField(label="Date of your last appraisal")

    class Meta:
        model = Post
        fields = ["last_appraisal_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_appraisal_on"].required = True
        self.helper = helper(Field("last_appraisal_on"), button="Save")
