"""Forms for every step of a request, in GOV.UK Design System markup.

Each form says what is wrong next to the field and saves nothing until all
of it is right. Dates use the GOV.UK day/month/year pattern. Forms that edit
an existing record carry the version the user opened (see
:func:`ehc.services.save_versioned`).
"""

from __future__ import annotations

import datetime

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
from core.forms import DateField, VersionedForm, dates, helper
from ehc import clock
from ehc.identifiers import nhs_number_problem, normalise_nhs_number
from ehc.models import (
    ADVICE_DOCUMENT_TYPES,
    OPEN_STATUSES,
    QUALITY_CRITERIA,
    TRIBUNAL_HEALTH_RECOMMENDATIONS_FROM,
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


def _long_ago(day: datetime.date) -> bool:
    return day < datetime.date(2014, 9, 1)  # before the EHC system began


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

    def clean_local_authority(self):
        chosen = self.cleaned_data.get("local_authority")
        instance = self.instance
        if (
            chosen
            and instance.pk
            and chosen.pk != instance.local_authority_id
            and instance.requests.exists()
        ):
            raise ValidationError(
                "This child already has requests logged with their local authority, so it "
                "cannot be changed here. Add them again under the new local authority."
            )
        return chosen

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if value:
            problem = nhs_number_problem(value)
            if problem:
                raise ValidationError(problem)
        return value

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and clock.age_on(born, timezone.localdate()) > 25:
            raise ValidationError(
                "The portal records children and young people up to 25. Check the year."
            )
        return born


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

    def clean(self):
        data = super().clean()
        sent, received = data.get("sent_on"), data.get("received_on")
        if sent and received and received < sent:
            self.add_error(
                "received_on",
                "The date health received the request must be on or after the date the LA sent it",
            )
        if sent and _long_ago(sent):
            self.add_error("sent_on", "EHC plans began in September 2014: check the year")
        asked = data.get("asked_on")
        if asked and sent and asked < sent:
            self.add_error("asked_on", "Services cannot be asked before the LA sent the request")
        if received and self.child and clock.age_on(self.child.date_of_birth, received) > 25:
            self.add_error("received_on", "The young person was over 25 on this date")
        return data


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

    def clean(self):
        data = super().clean()
        received, closed_on = data.get("received_on"), self.instance.closed_on
        if (
            data.get("state") in (RequestStatus.CLOSED, RequestStatus.WITHDRAWN)
            and received
            and closed_on
            and received > closed_on
        ):
            self.add_error(
                "received_on",
                f"The request was closed on {closed_on:%-d %B %Y}: health cannot have "
                "received it after that. Reopen it first if the dates were wrong.",
            )
        return data

    def save(self, commit=True):
        state = self.cleaned_data["state"]
        if state == "open":
            if self.instance.status not in OPEN_STATUSES:
                self.instance.status = RequestStatus.AWAITING
        else:
            self.instance.status = state
        return super().save(commit)


class AddContributionForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["service", "asked_on"]
        field_classes = dates("asked_on")

    def __init__(self, *args, request: HealthAdviceRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
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

    def clean_asked_on(self):
        asked = self.cleaned_data["asked_on"]
        if asked and asked < self.request.sent_on:
            raise ValidationError(
                "The service cannot be asked before the LA sent the request "
                f"({self.request.sent_on:%-d %B %Y})"
            )
        return asked


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

    def clean(self):
        data = super().clean()
        returned = data.get("returned_on")
        if returned and returned < self.instance.asked_on:
            self.add_error(
                "returned_on",
                "The return cannot be before the service was asked "
                f"({self.instance.asked_on:%-d %B %Y})",
            )
        if data.get("outcome") == Outcome.DECLINED and not data.get("declined_reason", "").strip():
            self.add_error("declined_reason", "Say why the service declined")
        if data.get("outcome") != Outcome.DECLINED:
            data["declined_reason"] = ""
        if returned and returned > self.instance.due_on:
            if not data.get("late_reason"):
                self.add_error("late_reason", "Choose why the advice was late")
            elif data.get("late_reason") == "other" and not data.get("late_note", "").strip():
                self.add_error("late_note", "Say why the advice was late")
        elif returned:
            data["late_reason"] = ""
        return data


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

    def clean(self):
        data = super().clean()
        if data.get("exception") and not data.get("exception_evidence", "").strip():
            self.add_error("exception_evidence", "Record the evidence for the exception")
        return data


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

    def clean(self):
        data = super().clean()
        contribution = self.instance.contribution
        if (
            self.instance.pk is None
            and contribution.returned_on is not None
            and contribution.outcome != Outcome.ADVICE_GIVEN
        ):
            self.add_error(
                None,
                f"The return from this service says “{contribution.get_outcome_display()}”. "
                "Change the return to “Advice given” before recording advice.",
            )
        return data

    def clean_written_on(self):
        written = self.cleaned_data.get("written_on")
        contribution = self.instance.contribution
        if written and contribution.returned_on is None and written > contribution.due_on:
            raise ValidationError(
                f"This advice is dated after it was due ({contribution.due_on:%-d %B %Y}). "
                "Record the return first, with the reason for the delay, then the advice."
            )
        return written

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

    def clean_reviewed_on(self):
        reviewed = self.cleaned_data.get("reviewed_on")
        written = self.instance.advice.written_on
        if reviewed and reviewed < written:
            raise ValidationError(
                f"The review cannot be before the advice was written ({written:%-d %B %Y})"
            )
        return reviewed

    def save(self, commit=True):
        chosen = set(self.cleaned_data.get("criteria") or [])
        for name, _, _ in QUALITY_CRITERIA:
            setattr(self.instance, name, name in chosen)
        return super().save(commit)


def suggested_criteria(advice: Advice, request: HealthAdviceRequest) -> dict[str, bool]:
    """What the portal can check for itself, to pre-tick the review form."""
    provision = list(advice.provision.all())
    return {
        "dated_recently": advice.written_on >= clock.add_months(request.received_on, -12),
        "author_named": bool(advice.author_name.strip()),
        "provision_quantified": bool(provision)
        and all(p.frequency and p.duration for p in provision),
        "sections_separated": bool(advice.needs.strip() and advice.outcomes.strip()),
        "child_views": bool(advice.child_views.strip()),
    }


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

    def clean(self):
        data = super().clean()
        if data.get("provider") and data.get("commissioning_body"):
            self.add_error(
                "commissioning_body", "Choose the trust or the commissioning body, not both"
            )
        elif (
            not data.get("provider")
            and not data.get("commissioning_body")
            and "provider" not in self.errors
        ):
            self.add_error(
                "provider", "Choose the trust or the commissioning body that gave notice"
            )
        told, la = data.get("parent_told_on"), data.get("la_notified_on")
        if told and la and la < told:
            self.add_error(
                "la_notified_on", "The LA is told on or after the day the parent is told"
            )
        if told and not clock.under_compulsory_school_age(self.child.date_of_birth, told):
            start = clock.compulsory_school_age_start(self.child.date_of_birth)
            self.add_error(
                "parent_told_on",
                "Section 23 notices are only for children under compulsory school age. "
                f"This child reached it on {start:%-d %B %Y}.",
            )
        return data


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

    def clean(self):
        data = super().clean()
        meeting = data.get("meeting_on")
        if meeting and data.get("invited_on") and data["invited_on"] > meeting:
            self.add_error("invited_on", "The invitation must be sent before the meeting")
        if meeting and data.get("attended") is not None and meeting > timezone.localdate():
            self.add_error("attended", "The meeting has not happened yet")
        return data


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

    def clean(self):
        data = super().clean()
        requested, notified, held = (
            data.get("requested_on"),
            data.get("body_notified_on"),
            data.get("arranged_on"),
        )
        if requested and notified and notified < requested:
            self.add_error(
                "body_notified_on", "The commissioning body cannot be told before the request"
            )
        if requested and held and held < requested:
            self.add_error("arranged_on", "Mediation cannot take place before it was requested")
        return data


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

    def clean(self):
        data = super().clean()
        registered, decided = data.get("registered_on"), data.get("decision_on")
        received, responded = data.get("recommendations_received_on"), data.get("response_sent_on")
        if registered and decided and decided < registered:
            self.add_error(
                "decision_on", "The decision cannot come before the appeal was registered"
            )
        if (
            data.get("recommendations", "").strip()
            and decided
            and decided < TRIBUNAL_HEALTH_RECOMMENDATIONS_FROM
        ):
            self.add_error(
                "recommendations",
                "The tribunal could make health recommendations only from 3 April 2018",
            )
        if responded and not received:
            self.add_error("recommendations_received_on", "Enter when the recommendations arrived")
        elif responded and received and responded < received:
            self.add_error(
                "response_sent_on", "The response comes after the recommendations arrive"
            )
        return data


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
