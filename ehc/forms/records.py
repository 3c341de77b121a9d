"""Forms for the records about a child beyond the requests: Section 23
notices, review input, mediation, tribunal, personal health budgets.
They parse input; the rules are in the models' ``clean()``."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.db.models import Q

from commissioning.models import CommissioningBody, Provider, Service
from core.forms import DateField, VersionedForm, dates, helper
from ehc import clock
from ehc.models import (
    BudgetOutcome,
    Child,
    MediationCase,
    PersonalHealthBudget,
    ReviewInput,
    Section23Notice,
    TribunalCase,
)

# --- Records about a child -------------------------------------------------------------------


class Section23Form(VersionedForm):
    one_choice = (("provider", "commissioning_body"),)  # the trust, or the body

    class Meta:
        model = Section23Notice
        fields = [
            "provider",
            "commissioning_body",
            "professional_name",
            "professional_role",
            "parent_told_on",
            "discussion_offered",
            "la_notified_on",
            "voluntary_organisation",
        ]
        field_classes = dates("parent_told_on", "la_notified_on")

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        self.instance.child = child
        la_id = child.local_authority_id
        self.fields["provider"].queryset = (
            Provider.objects.filter(services__local_authorities=la_id).distinct().order_by("name")
        )
        self.fields["commissioning_body"].queryset = (
            CommissioningBody.objects.filter(links__local_authority=la_id)
            .distinct()
            .order_by("name")
        )
        for name in ("provider", "commissioning_body"):
            self.fields[name].error_messages["invalid_choice"] = (
                "Choose an organisation that covers the child's local authority"
            )
        self.fields["provider"].label = "NHS trust that gave notice"
        self.fields["provider"].empty_label = "Not a trust"
        self.fields["commissioning_body"].label = "Or the commissioning body that gave notice"
        self.fields["commissioning_body"].empty_label = "Not the commissioning body"
        self.fields["professional_name"].error_messages["required"] = (
            "Enter the professional's name"
        )
        self.fields["parent_told_on"].error_messages["required"] = (
            "Enter the date the parent was told"
        )
        # The notice's date is the one the rule is checked on (the model's
        # clean() puts its message here), so the hint says which days qualify.
        school_age_from = clock.compulsory_school_age_start(child.date_of_birth)
        self.fields["parent_told_on"].help_text = (
            "The date of the notice. Section 23 covers children under compulsory school "
            f"age: for {child.given_name}, a day before {school_age_from:%-d %B %Y}."
        )
        self.helper = helper(
            Field.select("provider"),
            Field.select("commissioning_body"),
            Field.text("professional_name", field_width=20),
            Field.text("professional_role", field_width=20),
            Field("parent_told_on"),
            Field.checkbox("discussion_offered", small=True),
            Field("la_notified_on"),
            Field.text("voluntary_organisation"),
            button="Save notice",
        )


class ReviewInputForm(VersionedForm):
    meeting_on = DateField(label="Review meeting date", not_future=False)  # may be ahead
    attended = forms.TypedChoiceField(
        label="Did health attend the meeting?",
        choices=[("", "Not known yet"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ReviewInput
        fields = [
            "phase_transfer",
            "meeting_on",
            "service",
            "professional_name",
            "invited_on",
            "attended",
            "advice_sent_on",
            "decision_on",
        ]
        field_classes = dates("invited_on", "advice_sent_on", "decision_on")

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        self.fields["meeting_on"].error_messages["required"] = (
            "Enter the date of the review meeting"
        )
        if self.instance.pk:
            self.initial["attended"] = {True: "yes", False: "no"}.get(self.instance.attended, "")
        # The services a DCO is offered (active, covering the area), and the
        # one already recorded, whatever has become of it since.
        offered = Q(local_authorities=child.local_authority_id, is_active=True)
        if self.instance.service_id:
            offered |= Q(pk=self.instance.service_id)
        self.fields["service"].queryset = (
            Service.objects.filter(offered).distinct().select_related("provider")
        )
        self.fields["service"].empty_label = "Not known"
        self.helper = helper(
            Field.checkbox("phase_transfer", small=True),
            Field("meeting_on"),
            Field.select("service"),
            Field.text("professional_name", field_width=20),
            Field("invited_on"),
            Field.radios("attended", legend_size=Size.SMALL, inline=True),
            Field("advice_sent_on"),
            Field("decision_on"),
            button="Save review",
        )


class MediationForm(VersionedForm):
    class Meta:
        model = MediationCase
        fields = [
            "requested_on",
            "body_notified_on",
            "health_only",
            "arranged_on",
            "health_issues",
            "outcome",
        ]
        field_classes = dates("requested_on", "body_notified_on", "arranged_on")

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        self.fields["requested_on"].error_messages["required"] = (
            "Enter the date of the mediation request"
        )
        self.fields["health_issues"].error_messages["required"] = (
            "Describe the health issues in dispute"
        )
        self.helper = helper(
            Field("requested_on"),
            Field("body_notified_on"),
            Field.checkbox("health_only", small=True),
            Field("arranged_on"),
            Field.textarea("health_issues", rows=3),
            Field.textarea("outcome", rows=3),
            button="Save mediation",
        )


class TribunalForm(VersionedForm):
    class Meta:
        model = TribunalCase
        fields = [
            "registered_on",
            "decision_on",
            "health_issues",
            "recommendations",
            "recommendations_received_on",
            "response_sent_on",
        ]
        field_classes = dates(
            "registered_on", "decision_on", "recommendations_received_on", "response_sent_on"
        )

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        self.fields["registered_on"].error_messages["required"] = (
            "Enter the date the appeal was registered"
        )
        self.fields["health_issues"].error_messages["required"] = (
            "Describe the health issues in the appeal"
        )
        self.helper = helper(
            Field("registered_on"),
            Field("decision_on"),
            Field.textarea("health_issues", rows=3),
            Field.textarea("recommendations", rows=3),
            Field("recommendations_received_on"),
            Field("response_sent_on"),
            button="Save tribunal case",
        )


class BudgetForm(VersionedForm):
    class Meta:
        model = PersonalHealthBudget
        fields = ["considered_on", "continuing_care", "outcome", "notes"]
        field_classes = dates("considered_on")

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        self.fields["considered_on"].error_messages["required"] = "Enter the date it was considered"
        self.fields["outcome"].choices = BudgetOutcome.choices
        self.helper = helper(
            Field("considered_on"),
            Field.checkbox("continuing_care", small=True),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("notes", rows=3),
            button="Save",
        )
