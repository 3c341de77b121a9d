"""Forms for the post-holder's record and the local agreement on a post's
time, in GOV.UK Design System markup.

They parse input only: the record's rules (dates from 2010, an end after its
start, CPD points in halves) are the models' own (``roles.models.records``),
the agreement's (all three answers or none, not in the future, up to full
time) the post's (``roles.models.posts``), and each shows beside the field
it concerns."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from core.forms import DateField, ModelErrorsMixin, helper
from roles.models import CPDEntry, Membership, Post, TrainingSession


class MembershipForm(forms.ModelForm):
    since = DateField(label="Member since", required=False)
    until = DateField(
        label="Member until",
        required=False,
        not_future=False,
        help_text="Leave blank while you still sit on it.",
    )

    class Meta:
        model = Membership
        fields = ["kind", "name", "role_on_board", "since", "until"]
        labels = {"kind": "Type of board or committee", "name": "Name"}
        error_messages = {
            "kind": {"required": "Choose the type of board or committee"},
            "name": {"required": "Enter the name of the board or committee"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Words, not Django's dashes, for the empty choice.
        self.fields["kind"].choices = [("", "Choose a type")] + [
            choice for choice in self.fields["kind"].choices if choice[0] != ""
        ]
        self.helper = helper(
            Field.select("kind"),
            Field.text("name"),
            Field.text("role_on_board", field_width=20),
            Field("since"),
            Field("until"),
        )


class TrainingForm(forms.ModelForm):
    delivered_on = DateField(label="Date delivered")

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
    completed_on = DateField(label="Date completed")

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


class AppraisalForm(forms.ModelForm):
    last_appraisal_on = DateField(label="Date of your last appraisal")

    class Meta:
        model = Post
        fields = ["last_appraisal_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_appraisal_on"].required = True
        self.helper = helper(Field("last_appraisal_on"), button="Save")


class LocalAgreementForm(ModelErrorsMixin, forms.ModelForm):
    """The local agreement on a post's time; all three answers blank clears it."""

    local_agreement_on = DateField(label="Date the agreement was made", required=False)

    class Meta:
        model = Post
        fields = ["local_agreement_on", "local_agreement_parties", "local_agreement_pas"]
        labels = {
            "local_agreement_parties": "Who agreed it",
            "local_agreement_pas": "PAs a week agreed",
        }
        help_texts = {
            "local_agreement_parties": "For example 'NHS Testshire ICB and Testshire "
            "Community Health Trust'.",
            "local_agreement_pas": "The post's time a week under the agreement, in PAs "
            "(2 PAs is a day; 10 is full time). It need not be the pro-rata figure.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_agreement_pas"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.fields["local_agreement_pas"].error_messages.update(
            {
                "invalid": "Enter the PAs as a number, for example 3 or 2.5",
                "max_decimal_places": "Enter the PAs to two decimal places at most, for "
                "example 2.5",
                "max_digits": "Enter at most 10 PAs a week (10 is full time)",
                "max_whole_digits": "Enter at most 10 PAs a week (10 is full time)",
            }
        )
        self.helper = helper(
            Field("local_agreement_on"),
            Field.text("local_agreement_parties"),
            Field.text("local_agreement_pas", field_width=5),
            button="Save",
        )
