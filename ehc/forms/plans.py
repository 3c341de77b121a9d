"""Forms for EHC plans: recording a plan, auditing its health sections
(C and G) and recording its section G provision with whether it is
delivered. They parse input; the rules are in :mod:`ehc.models.plans` and
:mod:`ehc.services.plans`."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone

from commissioning.models import Service
from core.forms import ModelMultipleChoiceField, VersionedForm, dates, helper
from core.submissions import OnceForm
from ehc import plan_checklist
from ehc.forms.casework import _RevealedBy, _RevealingRadios
from ehc.models import (
    Child,
    EHCPlan,
    HealthAdviceRequest,
    PlanAnswer,
    PlanAudit,
    PlanKind,
    PlanProvision,
    ProvisionStatus,
)
from ehc.services.plans import PLAN_FIELDS, PROVISION_FIELDS

# --- The plan --------------------------------------------------------------------------------


class _InformingRequests(ModelMultipleChoiceField):  # refuses ids past the integer key
    def label_from_instance(self, obj: HealthAdviceRequest) -> str:
        return f"{obj.reference}: {obj.get_process_display()}, received {obj.received_on:%-d %B %Y}"


class PlanForm(VersionedForm):
    """Change a plan: its kind, date, the LA's reference and which requests
    for health advice informed it (the child's own, in the user's scope)."""

    informed_by = _InformingRequests(
        queryset=HealthAdviceRequest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which requests for health advice informed this plan?",
        help_text="Tick each request whose advice the LA used. Leave all unticked if none is "
        "recorded in the portal.",
    )

    class Meta:
        model = EHCPlan
        fields = [*PLAN_FIELDS, "informed_by"]
        field_classes = dates("issued_on")
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, child: Child, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.child = child
        self.fields["kind"].choices = PlanKind.choices
        self.fields["kind"].label = "Kind of plan"
        self.fields["kind"].error_messages["required"] = (
            "Choose whether it is a final or amended plan"
        )
        self.fields["issued_on"].error_messages["required"] = "Enter the date the plan was issued"
        self.fields["issued_on"].help_text = "The date on the plan, for example 27 3 2026."
        self.fields["informed_by"].queryset = (
            HealthAdviceRequest.objects.visible_to(user)
            .filter(child=child)
            .order_by("-received_on", "-pk")
        )
        self.fields["informed_by"].error_messages["invalid_choice"] = (
            "Choose requests about this child from the list"
        )
        self.helper = helper(
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field("issued_on"),
            Field.text("la_reference", field_width=20),
            Field.checkboxes("informed_by", legend_size=Size.SMALL, small=True),
            button=self.button,
        )

    button = "Save"


class NewPlanForm(OnceForm, PlanForm):
    """Record a plan for a child: sent twice, saved once."""

    button = "Save plan"


# --- The audit of sections C and G -----------------------------------------------------------


class PlanAuditForm(VersionedForm):
    """The checklist: one answer per criterion (yes, partly, no, not
    applicable), the date and notes for the LA's plan writers."""

    class Meta:
        model = PlanAudit
        fields = ["audited_on", *plan_checklist.CRITERIA_NAMES, "notes"]
        field_classes = dates("audited_on")

    def __init__(self, *args, suggested: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audited_on"].error_messages["required"] = "Enter the date of the audit"
        for name, label, hint in plan_checklist.PLAN_CRITERIA:
            field = self.fields[name]
            field.required = True
            field.choices = PlanAnswer.choices
            field.widget = forms.RadioSelect(choices=PlanAnswer.choices)
            field.label = label
            field.help_text = hint
            field.error_messages["required"] = f"Answer: {label[0].lower()}{label[1:]}"
            field.error_messages["invalid_choice"] = "Choose yes, partly, no or not applicable"
        if not self.instance.pk:
            # A new audit starts unanswered, apart from what the portal can
            # tell from the section G rows.
            self.initial["audited_on"] = timezone.localdate()
            for name in plan_checklist.CRITERIA_NAMES:
                self.initial[name] = (suggested or {}).get(name)
        self.helper = helper(
            Field("audited_on"),
            *[
                Field.radios(name, legend_size=Size.SMALL, inline=True, small=True)
                for name in plan_checklist.CRITERIA_NAMES
            ],
            Field.textarea("notes", rows=4),
            button=self.button,
        )

    button = "Save audit"

    def answers(self) -> dict[str, str]:
        """The valid form's answers, as :func:`ehc.services.save_plan_audit` takes them."""
        return {name: self.cleaned_data[name] for name in plan_checklist.CRITERIA_NAMES}


class NewPlanAuditForm(OnceForm, PlanAuditForm):
    """A plan's first audit: sent twice, saved once."""


# --- Section G provision ---------------------------------------------------------------------


class PlanProvisionForm(VersionedForm):
    """One piece of section G provision: what the plan says, who delivers
    it, whether it is specific and quantified, and whether it is in place,
    waited for (since when, revealed under "Waiting") or not available."""

    class Meta:
        model = PlanProvision
        fields = list(PROVISION_FIELDS)
        field_classes = dates("waiting_since", "checked_on")

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        service = self.fields["service"]
        service.queryset = (
            Service.objects.filter(local_authorities=child.local_authority_id, is_active=True)
            .select_related("provider")
            .order_by("name", "provider__name")
        )
        service.empty_label = "Not a service in the portal"
        service.error_messages["invalid_choice"] = (
            "Choose a service that covers the child's local authority"
        )
        service.label = "Health service"
        self.fields["description"].error_messages["required"] = "Enter what the plan says"
        self.fields["description"].help_text = (
            "The provision as section G words it, for example 'Continence review by the school "
            "nurse each term'."
        )
        self.fields["specific"].label = "It is specific: it says exactly what will be provided"
        self.fields["quantified"].label = "It is quantified: it says how often and for how long"
        for name in ("specific", "quantified"):
            self.fields[name].help_text = ""  # the label says it
        status = self.fields["status"]
        status.choices = ProvisionStatus.choices
        status.widget = forms.RadioSelect(choices=ProvisionStatus.choices)
        status.label = "Is it being delivered?"
        status.error_messages["required"] = (
            "Choose whether it is in place, waiting or not available"
        )
        self.fields["waiting_since"].label = "Waiting since"
        self.fields["waiting_since"].error_messages["required"] = "Enter the date the wait started"
        self.fields["checked_on"].error_messages["required"] = "Enter the date you checked"
        if not self.instance.pk:
            self.initial["checked_on"] = timezone.localdate()
        self.helper = helper(
            Field.text("description"),
            Field.select("service"),
            Field.text("delivered_by", field_width=20),
            Field.checkbox("specific", small=True),
            Field.checkbox("quantified", small=True),
            _RevealingRadios(
                "status",
                *[
                    _RevealedBy(label, Field("waiting_since"))
                    if value == ProvisionStatus.WAITING
                    else str(label)
                    for value, label in ProvisionStatus.choices
                ],
            ),
            Field("checked_on"),
            button=self.button,
        )

    button = "Save"


class NewPlanProvisionForm(OnceForm, PlanProvisionForm):
    """Add a piece of provision: sent twice, saved once."""

    button = "Save provision"
