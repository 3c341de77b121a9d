"""The enquiry forms. They parse input only: the rules are in
:meth:`enquiries.models.Enquiry.clean` and :mod:`enquiries.services`."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms

from commissioning.models import LocalAuthority
from core.forms import DateField, VersionedForm, dates, helper
from core.submissions import OnceForm
from enquiries.models import Enquiry, EnquirySource, EnquiryStatus, EnquiryTopic
from enquiries.services import EDITABLE_FIELDS

FIELDS = list(EDITABLE_FIELDS)  # the services' list: one place says what may be set


class EnquiryForm(VersionedForm):
    """Change an enquiry: everything but its area and child."""

    follow_up_on = DateField(
        required=False,
        not_future=False,  # usually ahead
        label="Follow-up date (optional)",
        help_text="If you need to come back to it, for example 27 3 2026. It reaches your "
        "daily reminder email on the day.",
    )

    class Meta:
        model = Enquiry
        fields = FIELDS
        field_classes = dates("received_on")
        widgets = {
            "source": forms.RadioSelect,
            "status": forms.RadioSelect,
            # Typed as text (GOV.UK: no number input), checked as a number.
            "minutes_spent": forms.TextInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = EnquirySource.choices
        self.fields["status"].choices = EnquiryStatus.choices
        self.fields["topic"].choices = [("", "Choose a topic"), *EnquiryTopic.choices]
        messages = {
            "received_on": "Enter the date of the enquiry",
            "source": "Choose who the enquiry is from",
            "topic": "Choose what the enquiry is about",
            "question": "Enter what they asked",
            "status": "Choose the status",
            "minutes_spent": "Enter the time spent in minutes, for example 45",
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
        self.fields["minutes_spent"].error_messages["invalid"] = (
            "Enter the time spent as a whole number of minutes, for example 45"
        )
        self.fields["minutes_spent"].error_messages["min_value"] = (
            "Enter a time of 0 minutes or more"
        )
        self.fields["topic"].error_messages["invalid_choice"] = "Choose a topic from the list"
        self.helper = helper(*self.layout(), button="Save")

    def layout(self) -> list:
        return [
            Field("received_on"),
            Field.radios("source", legend_size=Size.SMALL),
            Field.text("enquirer_name", field_width=20),
            Field.text("enquirer_contact", field_width=20),
            Field.text("organisation", field_width=20),
            Field.select("topic"),
            Field.textarea("question", rows=3),
            Field.textarea("advice_given", rows=4),
            Field.text("minutes_spent", field_width=4),
            Field("follow_up_on"),
            Field.radios("status", legend_size=Size.SMALL, inline=True),
        ]


class LogEnquiryForm(OnceForm, EnquiryForm):
    """Log a new enquiry: general (choose the local authority from one's
    own) or about a child (the child's local authority, fixed)."""

    class Meta(EnquiryForm.Meta):
        fields = ["local_authority", *FIELDS]

    def __init__(self, *args, user, child=None, **kwargs):
        self.child = child  # before the layout is built
        super().__init__(*args, **kwargs)
        field = self.fields["local_authority"]
        if child is not None:
            self.instance.child = child
            self.instance.local_authority = child.local_authority
            del self.fields["local_authority"]
        else:
            field.queryset = LocalAuthority.objects.visible_to(user).order_by("name")
            field.empty_label = None
            field.error_messages["invalid_choice"] = "Choose a local authority from the list"
            field.error_messages["required"] = "Choose the local authority"
        self.helper = helper(*self.layout(), button="Save enquiry")

    def layout(self) -> list:
        first = [] if self.child is not None else [Field.select("local_authority")]
        return [*first, *super().layout()]
