"""Forms for every step of a request, in GOV.UK Design System markup.

Each form says what is wrong next to the field and saves nothing until all
of it is right. Dates use the GOV.UK day/month/year pattern. Forms that edit
an existing record carry the version the user opened (see
:func:`ehc.services.save_versioned`).
"""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms import inlineformset_factory
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from commissioning.models import CommissioningBody, LocalAuthority, Provider, Service
from core.forms import DateField, VersionedForm, dates, helper, model_values
from ehc import quality
from ehc.identifiers import nhs_number_problem, normalise_nhs_number
from ehc.models import (
    ADVICE_DOCUMENT_TYPES,
    OPEN_STATUSES,
    QUALITY_CRITERIA,
    Advice,
    BudgetOutcome,
    Child,
    Contribution,
    HealthAdviceRequest,
    MediationCase,
    Outcome,
    PersonalHealthBudget,
    Process,
    ProvisionItem,
    QualityReview,
    Reg8Exception,
    RequestStatus,
    ReviewInput,
    Section23Notice,
    TribunalCase,
)

# --- Children ----------------------------------------------------------------------


class ChildForm(VersionedForm):
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, for example 943 476 5919. Leave blank if not known.",
    )

    class Meta:
        model = Child
        fields = [
            "given_name",
            "family_name",
            "date_of_birth",
            "nhs_number",
            "la_reference",
            "local_authority",
            "primary_need",
            "looked_after",
            "electively_home_educated",
            "known_to_youth_justice",
        ]
        field_classes = dates("date_of_birth")
        help_texts = {
            "primary_need": "The SEN2 code, if the LA has recorded one.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        areas = LocalAuthority.objects.visible_to(user)
        self.fields["local_authority"].queryset = areas
        self.fields["local_authority"].empty_label = None
        self.fields["local_authority"].error_messages["invalid_choice"] = (
            "Choose a local authority from the list"
        )
        self.fields["given_name"].error_messages["required"] = "Enter the first name"
        self.fields["family_name"].error_messages["required"] = "Enter the last name"
        self.fields["date_of_birth"].error_messages["required"] = "Enter the date of birth"
        self.helper = helper(
            Field.text("given_name", field_width=20),
            Field.text("family_name", field_width=20),
            Field("date_of_birth"),
            Field.text("nhs_number", field_width=10),
            Field.text("la_reference", field_width=20),
            Field.select("local_authority"),
            Field.select("primary_need"),
            Fieldset(
                Field.checkbox("looked_after", small=True),
                Field.checkbox("electively_home_educated", small=True),
                Field.checkbox("known_to_youth_justice", small=True),
                legend="Circumstances to be aware of",
                legend_size=Size.SMALL,
            ),
            button="Save",
        )

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if value:
            problem = nhs_number_problem(value)
            if problem:
                raise ValidationError(problem)
        return value


# --- Requests -------------------------------------------------------------------------


class RequestForm(VersionedForm):
    """Log a new request, choosing the services to ask."""

    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Services to ask for advice",
        help_text="Services covering the child's local authority. You can add more later.",
    )
    asked_on = DateField(
        required=False,
        label="Date the services were asked",
        help_text="Leave blank if they were asked the day health received the request.",
    )

    class Meta:
        model = HealthAdviceRequest
        fields = ["process", "la_reference", "sent_on", "received_on", "owner", "notes"]
        field_classes = dates("sent_on", "received_on")
        help_texts = {
            "received_on": "The 6-week clock starts on this day, even when it is a weekend.",
        }

    def __init__(self, *args, user=None, child: Child | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child or getattr(self.instance, "child", None)
        if self.child is not None and not self.instance.child_id:
            self.instance.child = self.child  # so that the model's rules can see the child
        la_id = self.child.local_authority_id if self.child else None
        self.fields["process"].choices = Process.choices
        self.fields["process"].widget = forms.RadioSelect(choices=Process.choices)
        self.fields["process"].label = "What is the advice for?"
        self.fields["process"].error_messages["required"] = "Choose what the advice is for"
        self.fields["sent_on"].error_messages["required"] = "Enter the date the LA sent the request"
        self.fields["received_on"].error_messages["required"] = (
            "Enter the date health received the request"
        )
        owners = User.objects.filter(
            role=Role.DESIGNATED_OFFICER, is_active=True, local_authorities=la_id
        ).order_by("full_name")
        self.fields["owner"].queryset = owners
        self.fields["owner"].empty_label = "Not assigned yet"
        self.fields["owner"].label_from_instance = lambda u: u.full_name
        if user is not None and user.role == Role.DESIGNATED_OFFICER and not self.instance.pk:
            self.initial["owner"] = self.initial.get("owner") or user.pk
        fields = [
            Field.radios("process", legend_size=Size.SMALL),
            Field.text("la_reference", field_width=20),
            Field("sent_on"),
            Field("received_on"),
            Field.select("owner"),
        ]
        if self.instance.pk:
            del self.fields["services"]
            del self.fields["asked_on"]
        else:
            self.fields["services"].queryset = (
                Service.objects.filter(local_authorities=la_id, is_active=True)
                .select_related("provider")
                .order_by("provider__name", "name")
            )
            fields += [
                Field.checkboxes("services", legend_size=Size.SMALL, small=True),
                Field("asked_on"),
            ]
        fields.append(Field.textarea("notes", rows=3))
        self.helper = helper(*fields, button="Save request")


class RequestEditForm(RequestForm):
    state = forms.ChoiceField(
        label="Status",
        choices=[
            ("open", "Open"),
            (RequestStatus.CLOSED, "Closed: the LA has all the advice it needs"),
            (RequestStatus.WITHDRAWN, "Withdrawn by the LA"),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.instance.status
        self.fields["state"].initial = "open" if status in OPEN_STATUSES else status
        self.helper.layout.insert(
            len(self.helper.layout) - 1, Field.radios("state", legend_size=Size.SMALL)
        )


class AddContributionForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["service", "asked_on"]
        field_classes = dates("asked_on")

    def __init__(self, *args, request: HealthAdviceRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.instance.request = request  # so that the model's rules can see the request
        already = request.contributions.values("service_id")
        self.fields["service"].queryset = (
            Service.objects.filter(local_authorities=request.local_authority_id, is_active=True)
            .exclude(pk__in=already)
            .select_related("provider")
            .order_by("provider__name", "name")
        )
        self.fields["service"].error_messages["required"] = "Choose a service"
        self.fields["service"].error_messages["invalid_choice"] = (
            "Choose a service from the list: it may already have been asked"
        )
        self.fields["asked_on"].error_messages["required"] = "Enter the date the service was asked"
        self.helper = helper(Field.select("service"), Field("asked_on"), button="Ask this service")


class ReturnForm(VersionedForm):
    """The service's return: when, what, and why late if it was."""

    class Meta:
        model = Contribution
        fields = ["returned_on", "outcome", "declined_reason", "late_reason", "late_note"]
        field_classes = dates("returned_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned_on"].required = True
        self.fields["returned_on"].error_messages["required"] = (
            "Enter the date the service returned its answer"
        )
        self.fields["outcome"].required = True
        self.fields["outcome"].error_messages["required"] = "Choose the outcome"
        self.fields["outcome"].choices = Outcome.choices
        self.fields["late_reason"].label = "Why was it late?"
        self.fields["late_reason"].help_text = (
            f"Only needed after the due date ({self.instance.due_on:%-d %B %Y}). A waiting list "
            "does not stop the clock."
        )
        self.helper = helper(
            Field("returned_on"),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("declined_reason", rows=3),
            Field.select("late_reason"),
            Field.textarea("late_note", rows=3),
            button="Save the return",
        )


class ExceptionForm(VersionedForm):
    exception = forms.ChoiceField(
        label="Does a reg 8(2) exception apply?",
        choices=[("", "No exception"), *Reg8Exception.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text="Only these three reasons are lawful exceptions to the 6-week limit. "
        "A waiting list, staff shortage or school holiday is not.",
        error_messages={
            "invalid_choice": "Choose one of the three reg 8(2) reasons, or no exception"
        },
    )

    class Meta:
        model = Contribution
        fields = ["exception", "exception_evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exception_evidence"].help_text = "What shows the exception applies, and when."
        self.helper = helper(
            Field.radios("exception", legend_size=Size.SMALL),
            Field.textarea("exception_evidence", rows=4),
            button="Save",
        )


# --- Advice --------------------------------------------------------------------------------

_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


class AdviceForm(VersionedForm):
    class Meta:
        model = Advice
        fields = [
            "written_on",
            "author_name",
            "author_profession",
            "needs",
            "outcomes",
            "child_views",
            "document",
        ]
        field_classes = dates("written_on")
        widgets = {"document": forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_mb = settings.ADVICE_DOCUMENT_MAX_BYTES // (1024 * 1024)
        self.fields["document"].label = "Advice document (optional)"
        self.fields["document"].help_text = f"PDF or Word, up to {limit_mb} MB."
        self.fields["written_on"].error_messages["required"] = "Enter the date of the advice"
        self.fields["author_name"].error_messages["required"] = "Enter the author's name"
        self.fields["author_profession"].error_messages["required"] = (
            "Enter the author's profession"
        )
        self.helper = helper(
            Field("written_on"),
            Field.text("author_name", field_width=20),
            Field.text("author_profession", field_width=20),
            Field.textarea("needs", rows=4),
            Field.textarea("outcomes", rows=4),
            Field.textarea("child_views", rows=3),
            Field("document"),
            button=None,
        )
        self.helper.disable_csrf = True

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not isinstance(upload, UploadedFile):
            return upload  # nothing new: none, cleared, or the file already stored
        ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if ext not in ADVICE_DOCUMENT_TYPES:
            raise ValidationError(
                "The document must be a PDF or a Word document (.pdf, .doc or .docx)"
            )
        if upload.size > settings.ADVICE_DOCUMENT_MAX_BYTES:
            limit_mb = settings.ADVICE_DOCUMENT_MAX_BYTES // (1024 * 1024)
            raise ValidationError(f"The document must be smaller than {limit_mb} MB")
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(_SIGNATURES[ext]):
            raise ValidationError(f"The file is not a real .{ext} document")
        return upload


class ProvisionForm(forms.ModelForm):
    class Meta:
        model = ProvisionItem
        fields = ["description", "delivered_by", "frequency", "duration", "section", "available"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = self.fields["section"].choices[1:]
        self.fields["section"].widget = forms.RadioSelect(choices=self.fields["section"].choices)
        for name, message in {
            "description": "Say what the provision is",
            "delivered_by": "Say who delivers it",
            "frequency": "Say how often",
            "duration": "Say for how long",
            "section": "Choose section F or G",
        }.items():
            self.fields[name].error_messages["required"] = message

    def has_changed(self):
        """A new row with nothing typed in it is a spare row, not a mistake,
        whatever its 'available' box says."""
        if self.instance.pk is None and not any(
            str(self.data.get(self.add_prefix(name), "")).strip()
            for name in ("description", "delivered_by", "frequency", "duration", "section")
        ):
            return False
        return super().has_changed()


class BaseProvisionFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, form in enumerate(self.forms, start=1):
            form.helper = helper(
                Fieldset(
                    Field.text("description"),
                    Field.text("delivered_by", field_width=20),
                    Field.text("frequency", field_width=20),
                    Field.text("duration", field_width=20),
                    Field.radios("section", legend_size=Size.SMALL, inline=True),
                    Field.checkbox("available", small=True),
                    *([Field.checkbox("DELETE", small=True)] if form.instance.pk else []),
                    legend=f"Provision {index}",
                    legend_size=Size.MEDIUM,
                ),
                button=None,
            )
            form.helper.disable_csrf = True
            if "DELETE" in form.fields:
                form.fields["DELETE"].label = "Remove this provision"


ProvisionFormSet = inlineformset_factory(
    Advice,
    ProvisionItem,
    form=ProvisionForm,
    formset=BaseProvisionFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
    absolute_max=30,
    validate_max=True,
)


class QualityReviewForm(VersionedForm):
    criteria = forms.MultipleChoiceField(
        label="Which of these does the advice do?",
        choices=[(name, label) for name, label, _ in QUALITY_CRITERIA],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick each criterion the advice meets (from the portal's quality checklist).",
    )

    class Meta:
        model = QualityReview
        fields = ["reviewed_on", "notes"]
        field_classes = dates("reviewed_on")

    def __init__(self, *args, suggested: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["criteria"].initial = [
                name for name, _, _ in QUALITY_CRITERIA if getattr(self.instance, name)
            ]
        else:
            self.initial["reviewed_on"] = timezone.localdate()
            self.fields["criteria"].initial = [n for n, ok in (suggested or {}).items() if ok]
        self.fields["reviewed_on"].error_messages["required"] = "Enter the date of the review"
        self.helper = helper(
            Field("reviewed_on"),
            Field.checkboxes("criteria", legend_size=Size.SMALL, small=True),
            Field.textarea("notes", rows=4),
            button="Save review",
        )


def suggested_criteria(advice: Advice, request: HealthAdviceRequest) -> dict[str, bool]:
    """What the portal can check for itself, to pre-tick the review form
    (:func:`ehc.quality.suggested_criteria` for this advice and request)."""
    return quality.suggested_criteria(
        written_on=advice.written_on,
        received_on=request.received_on,
        author_name=advice.author_name,
        needs=advice.needs,
        outcomes=advice.outcomes,
        child_views=advice.child_views,
        provision=advice.provision.all(),
    )


def provision_rows(formset) -> list[dict]:
    """A valid provision formset's rows as :func:`ehc.services.save_advice`
    takes them: changed or new rows with their values (and ``id`` when
    stored), removed stored rows as ``{"id": ..., "delete": True}``."""
    rows = []
    deleted = set(formset.deleted_forms) if formset.can_delete else set()
    for form in formset.forms:
        pk = form.instance.pk
        if form in deleted:
            if pk is not None:
                rows.append({"id": pk, "delete": True})
        elif form.has_changed():
            rows.append({"id": pk, **model_values(form)})
    return rows


class AuditSampleForm(forms.Form):
    start = DateField(label="From")
    end = DateField(label="To")
    size = forms.IntegerField(label="How many", min_value=1, max_value=200, initial=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["size"].error_messages.update(
            {
                "required": "Enter how many to sample",
                "invalid": "Enter a whole number",
                "min_value": "Sample at least 1",
                "max_value": "Sample at most 200",
            }
        )
        self.helper = helper(
            Field("start"), Field("end"), Field.text("size", field_width=3), button="Draw sample"
        )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end date must be on or after the start date")
        return data


# --- Records about a child -------------------------------------------------------------------


class Section23Form(VersionedForm):
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
        ]
        field_classes = dates("invited_on", "advice_sent_on")

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        self.fields["meeting_on"].error_messages["required"] = (
            "Enter the date of the review meeting"
        )
        if self.instance.pk:
            self.initial["attended"] = {True: "yes", False: "no"}.get(self.instance.attended, "")
        self.fields["service"].queryset = Service.objects.filter(
            local_authorities=child.local_authority_id
        ).select_related("provider")
        self.fields["service"].empty_label = "Not known"
        self.helper = helper(
            Field.checkbox("phase_transfer", small=True),
            Field("meeting_on"),
            Field.select("service"),
            Field.text("professional_name", field_width=20),
            Field("invited_on"),
            Field.radios("attended", legend_size=Size.SMALL, inline=True),
            Field("advice_sent_on"),
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
