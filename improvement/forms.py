"""The improvement plan forms. They parse input only: the rules are in
:mod:`improvement.models` and :mod:`improvement.services`."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.db.models import Q

from accounts.models import User
from commissioning.models import CommissioningBody, LocalAuthority
from core.forms import DateField, ModelErrorsMixin, VersionedForm, dates, helper
from core.submissions import OnceForm
from improvement.models import (
    ActionStatus,
    EvidenceLink,
    ImprovementAction,
    ImprovementPlan,
    PlanArea,
    PlanKind,
    ProgressNote,
    Rating,
)
from improvement.selectors import owner_candidates
from improvement.services import ACTION_FIELDS, PLAN_FIELDS

# "No override" is stored as "" but sent as a word: a radio's empty value
# reads as "on" to some clients.
NO_OVERRIDE = ("none", "No override: use the rating worked out from the status and due date")


class PlanForm(VersionedForm):
    """Change a plan: everything but its local authority."""

    starts_on = DateField(not_future=False, label="Start date", help_text="For example, 1 9 2026")
    ends_on = DateField(
        required=False,
        not_future=False,
        label="End date (optional)",
        help_text="When the plan is due to be completed, for example 31 8 2028",
    )

    class Meta:
        model = ImprovementPlan
        fields = list(PLAN_FIELDS)
        field_classes = dates("inspected_on")
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PlanKind.choices
        body = self.fields["commissioning_body"]
        body.queryset = CommissioningBody.objects.visible_to(user).order_by("name")
        body.empty_label = "None named"
        body.label = "Partner commissioning body (optional)"
        body.error_messages["invalid_choice"] = "Choose a commissioning body from the list"
        self.fields["inspected_on"].label = "Date of the inspection (optional)"
        self.fields[
            "inspected_on"
        ].help_text = "The area SEND inspection the plan answers, if any, for example 14 3 2026"
        messages = {
            "title": "Enter the title of the plan",
            "kind": "Choose the kind of plan",
            "starts_on": "Enter the start date",
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
        self.helper = helper(*self.layout(), button="Save")

    def layout(self) -> list:
        return [
            Field.text("title"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.select("commissioning_body"),
            Field("inspected_on"),
            Field("starts_on"),
            Field("ends_on"),
            Field.textarea("summary", rows=4),
        ]


class CreatePlanForm(OnceForm, PlanForm):
    """Start a plan for one of the user's local authorities."""

    class Meta(PlanForm.Meta):
        fields = ["local_authority", *PLAN_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["local_authority"]
        field.queryset = LocalAuthority.objects.visible_to(user).order_by("name")
        field.empty_label = None
        field.error_messages["invalid_choice"] = "Choose a local authority from the list"
        field.error_messages["required"] = "Choose the local authority"
        self.helper = helper(Field.select("local_authority"), *self.layout(), button="Save plan")


class ActionForm(VersionedForm):
    """Change an action: everything but its plan."""

    due_on = DateField(not_future=False, label="Due date", help_text="For example, 31 3 2027")
    completed_on = DateField(
        required=False,
        label="Date completed (if complete)",
        help_text="The day it was done, if that was before today. Leave blank for today.",
    )

    class Meta:
        model = ImprovementAction
        fields = list(ACTION_FIELDS)
        widgets = {
            "status": forms.RadioSelect,
            # Drawn as a text area (the layout below): it may run to two lines.
            "title": forms.Textarea,
        }

    def __init__(self, *args, plan: ImprovementPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["plan_area"].choices = [("", "Choose an area"), *PlanArea.choices]
        self.fields["status"].choices = ActionStatus.choices
        self.fields["rag_override"] = forms.TypedChoiceField(
            label="RAG rating override",
            choices=[NO_OVERRIDE, *Rating.choices],
            coerce=lambda value: "" if value == NO_OVERRIDE[0] else value,
            empty_value="",
            required=False,
            widget=forms.RadioSelect,
        )
        self.initial["rag_override"] = self.instance.rag_override or NO_OVERRIDE[0]
        self.fields["rag_override"].error_messages["invalid_choice"] = (
            "Choose a rating from the list, or no override"
        )
        self.fields["rag_override"].help_text = (
            "Only for an action that is not overdue or closed: an overdue action is always "
            "red. Agree a new due date instead, with a progress note."
        )
        self.fields["rag_reason"].label = "Reason for the override (if you chose one)"
        owner = self.fields["owner_user"]
        # The area's people, and whoever owns it now (who may have left since).
        owner.queryset = User.objects.filter(
            Q(pk__in=owner_candidates(plan).values("pk")) | Q(pk=self.instance.owner_user_id)
        ).order_by("full_name", "email")
        owner.empty_label = "Not a portal user"
        owner.label = "Owner's portal account (optional)"
        owner.label_from_instance = lambda u: u.full_name or u.email
        owner.error_messages["invalid_choice"] = "Choose a person from the list"
        self.fields["number"].label = "Action number (optional)"
        self.fields["success_measure"].label = "What success looks like (optional)"
        messages = {
            "plan_area": "Choose the area of the plan",
            "title": "Enter the action",
            "owner": "Enter who owns the action",
            "due_on": "Enter the due date",
            "status": "Choose the status",
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
        self.fields["plan_area"].error_messages["invalid_choice"] = (
            "Choose an area of the plan from the list"
        )
        self.helper = helper(*self.layout(), button="Save")

    def _get_validation_exclusions(self):
        # The service keeps the completion date in step with the status (a
        # blank date on a complete action becomes the day held, or today),
        # so the table's constraint on the two is judged after it, not here.
        exclude = super()._get_validation_exclusions()
        exclude.add("completed_on")
        return exclude

    def layout(self) -> list:
        return [
            Field.text("number", field_width=5),
            Field.select("plan_area"),
            Field.textarea("title", rows=2),
            Field.textarea("success_measure", rows=3),
            Field.text("owner", field_width=20),
            Field.select("owner_user"),
            Field("due_on"),
            Field.radios("status", legend_size=Size.SMALL),
            Field("completed_on"),
            Field.radios("rag_override", legend_size=Size.SMALL),
            Field.textarea("rag_reason", rows=2),
        ]


class AddActionForm(OnceForm, ActionForm):
    """Add an action to a plan."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(*self.layout(), button="Save action")


class NoteForm(OnceForm, ModelErrorsMixin, forms.ModelForm):
    """Add a dated progress note."""

    class Meta:
        model = ProgressNote
        fields = ["written_on", "text"]
        field_classes = dates("written_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["written_on"].label = "Date of the update"
        self.fields["written_on"].help_text = "For example, 27 3 2026"
        self.fields["text"].label = "Progress"
        self.fields[
            "text"
        ].help_text = (
            "What has been done, what is next and any risk. Do not name children or families."
        )
        self.fields["written_on"].error_messages["required"] = "Enter the date of the update"
        self.fields["text"].error_messages["required"] = "Enter the progress made"
        self.helper = helper(
            Field("written_on"), Field.textarea("text", rows=5), button="Save progress note"
        )


class EvidenceForm(OnceForm, ModelErrorsMixin, forms.ModelForm):
    """Link evidence in the portal to an action."""

    class Meta:
        model = EvidenceLink
        fields = ["label", "path"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].help_text = "For example, Quarterly report Q1 2026/27: timeliness"
        self.fields["label"].error_messages["required"] = "Enter what the evidence shows"
        self.fields["path"].error_messages["required"] = "Enter the address of the page"
        self.helper = helper(Field.text("label"), Field.text("path"), button="Save evidence link")
