"""Forms for a child, a request, and each service's part in it: asking,
its return, a reg 8(2) exception. They parse input; the rules are in
the models and :mod:`ehc.services`."""

from __future__ import annotations

from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.layout import (
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fieldset,
    Size,
)
from django import forms
from django.template.loader import render_to_string

from accounts.models import User
from accounts.roles import Role
from commissioning.models import LocalAuthority, Service
from core.forms import (
    DateField,
    ModelErrorsMixin,
    ModelMultipleChoiceField,
    VersionedForm,
    dates,
    helper,
)
from core.submissions import OnceForm
from ehc.identifiers import normalise_nhs_number
from ehc.models import (
    OPEN_STATUSES,
    Child,
    Contribution,
    HealthAdviceRequest,
    Outcome,
    Process,
    Reg8Exception,
    RequestStatus,
)

# --- Children ----------------------------------------------------------------------


class ChildForm(OnceForm, VersionedForm):
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
            "continuing_care",
            "year_group",
            "date_of_death",
        ]
        field_classes = dates("date_of_birth", "date_of_death")
        help_texts = {
            "primary_need": "The SEN2 code, if the LA has recorded one.",
            "date_of_death": "Only if the child or young person has died, for example 27 3 "
            "2026. Their records are then kept for 8 years after the death.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A date of death is recorded on an existing child's record, by a
        # designated officer or an administrator (ehc.checks.death_problems).
        if self.instance.pk is None or user is None or not user.has_perm("portal.manage_caseload"):
            del self.fields["date_of_death"]
        areas = LocalAuthority.objects.visible_to(user)
        self.fields["local_authority"].queryset = areas
        self.fields["local_authority"].empty_label = None
        self.fields["local_authority"].error_messages["invalid_choice"] = (
            "Choose a local authority from the list"
        )
        self.fields["given_name"].error_messages["required"] = "Enter the first name"
        self.fields["family_name"].error_messages["required"] = "Enter the last name"
        self.fields["date_of_birth"].error_messages["required"] = "Enter the date of birth"
        self.fields["year_group"].label = "Year group, if not the one for their age"
        self.fields["year_group"].choices = [("", "The year group for their age")] + [
            choice for choice in self.fields["year_group"].choices if choice[0] != ""
        ]
        self.helper = helper(
            Field.text("given_name", field_width=20),
            Field.text("family_name", field_width=20),
            Field("date_of_birth"),
            Field.text("nhs_number", field_width=10),
            Field.text("la_reference", field_width=20),
            Field.select("local_authority"),
            Field.select("primary_need"),
            Field.select("year_group"),
            Fieldset(
                Field.checkbox("looked_after", small=True),
                Field.checkbox("electively_home_educated", small=True),
                Field.checkbox("known_to_youth_justice", small=True),
                Field.checkbox("continuing_care", small=True),
                legend="Circumstances to be aware of",
                legend_size=Size.SMALL,
            ),
            *([Field("date_of_death")] if "date_of_death" in self.fields else []),
            button="Save",
        )

    def clean_nhs_number(self):
        """Without the spaces and hyphens people type; the checksum is the
        model's rule (:meth:`ehc.models.Child.clean`)."""
        return normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))


# --- Requests -------------------------------------------------------------------------


class RequestForm(OnceForm, VersionedForm):
    """Log a new request, choosing the services to ask."""

    services = ModelMultipleChoiceField(
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
    return_by = DateField(
        required=False,
        not_future=False,  # usually ahead
        label="Ask them to return by (optional)",
        help_text="An earlier date than the statutory one, so there is time to check the "
        "advice. Reminders and the worklist use it; the statutory figures never do.",
    )
    meeting_on = DateField(
        required=False,
        not_future=False,  # usually ahead: the advice is due before it
        label="Date of the review meeting",
        help_text="Only for an annual review or a phase transfer review, and needed for "
        "them: the advice is due 2 weeks before the meeting. Leave it blank for anything else.",
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
            del self.fields["return_by"]
            del self.fields["meeting_on"]
        else:
            self.fields["services"].queryset = (
                Service.objects.filter(local_authorities=la_id, is_active=True)
                .select_related("provider")
                .order_by("provider__name", "name")
            )
            fields.insert(1, Field("meeting_on"))
            fields += [
                Field.checkboxes("services", legend_size=Size.SMALL, small=True),
                Field("asked_on"),
                Field("return_by"),
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
    confirm_outstanding = forms.BooleanField(
        required=False,
        label="If closing: close it even if some services have not returned their advice",
        help_text="Those services are recorded as not returned; closing does not stop them "
        "counting as late once past their due date.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.instance.status
        self.fields["state"].initial = "open" if status in OPEN_STATUSES else status
        self.helper.layout.insert(
            len(self.helper.layout) - 1, Field.radios("state", legend_size=Size.SMALL)
        )
        self.helper.layout.insert(
            len(self.helper.layout) - 1, Field.checkbox("confirm_outstanding", small=True)
        )


class AddContributionForm(OnceForm, ModelErrorsMixin, forms.ModelForm):
    return_by = DateField(required=False, not_future=False)  # usually ahead

    class Meta:
        model = Contribution
        fields = ["service", "asked_on", "received_on", "return_by"]
        field_classes = dates("asked_on", "received_on")

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
        self.fields["service"].empty_label = "Choose a service"
        self.fields["service"].error_messages["required"] = "Choose a service"
        self.fields["service"].error_messages["invalid_choice"] = (
            "Choose a service from the list: it may already have been asked"
        )
        self.fields["asked_on"].error_messages["required"] = "Enter the date the service was asked"
        _label_asking(self)
        self.helper = helper(
            Field.select("service"),
            Field("asked_on"),
            Field("received_on"),
            Field("return_by"),
            button="Ask this service",
        )


def _label_asking(form) -> None:
    form.fields[
        "received_on"
    ].label = "If the LA asked this service directly: the date the service received the request"
    form.fields["received_on"].help_text = (
        "Its 6 weeks run from that day (advice for a review is due 2 weeks before the "
        "meeting however it was asked). Leave blank if health asked the service."
    )
    form.fields["return_by"].label = "Ask it to return by (optional)"
    form.fields["return_by"].not_future = False  # usually ahead


class AskingForm(VersionedForm):
    """How a service was asked, and the date it is asked to return by."""

    return_by = DateField(required=False, not_future=False)  # usually ahead

    class Meta:
        model = Contribution
        fields = ["asked_on", "received_on", "return_by"]
        field_classes = dates("asked_on", "received_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked_on"].error_messages["required"] = "Enter the date the service was asked"
        _label_asking(self)
        self.helper = helper(
            Field("asked_on"), Field("received_on"), Field("return_by"), button="Save"
        )


class _RevealedBy(ConditionalQuestion):
    """One radio of :class:`_RevealingRadios`, with the fields it reveals
    when chosen (the GOV.UK "conditional reveal"; without JavaScript they
    are always shown), or none. Its id counts from 1 like every other radio
    in the portal (``id_outcome_1`` ...), so an error summary link and a
    label reach it (the library's own counts from 0), and only a radio that
    reveals something says which element it controls."""

    def render(self, bound_field, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        choices = list(bound_field.field.choices)
        position = [str(label) for _, label in choices].index(str(self.value)) + 1
        content = "".join(
            render_field(field, form, context, template_pack=template_pack, **kwargs)
            for field in self.fields
        )
        context.update(
            {
                "choice": choices[position - 1],
                "field": bound_field,
                "position": position,
                "conditional_content": content,
            }
        )
        template = (
            "ehc/forms/revealing_question.html"
            if self.fields
            else f"{template_pack}/layout/radio_item.html"
        )
        return render_to_string(template, context.flatten())


class _RevealingRadios(ConditionalRadios):
    """Radios where a chosen answer can reveal further fields: each choice
    is a label (nothing revealed) or a :class:`_RevealedBy`. The legend is
    small like the portal's other radios. The page needs
    ``static/js/conditional-reveal.js`` (templates/ehc/form.html loads it)."""

    def get_template_name(self, template_pack):
        return "ehc/forms/revealing_radios.html"

    def __init__(self, field, *choices):
        super().__init__(
            field, *[c if isinstance(c, _RevealedBy) else _RevealedBy(str(c)) for c in choices]
        )

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        context.update({"legend_size": Size.for_legend(Size.SMALL)})
        return super().render(form, context, template_pack, **kwargs)


class ReturnForm(VersionedForm):
    """The service's return: when, what, and why late if it was. The
    reason for declining is asked for only when the outcome is "declined"
    (revealed under that radio); a reason sent with another outcome is
    dropped by :func:`ehc.services.record_return`."""

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
        self.fields["outcome"].widget = forms.RadioSelect(choices=Outcome.choices)
        self.fields["declined_reason"].label = "Why did the service decline?"
        self.fields["late_reason"].label = "Why was it late?"
        self.fields["late_reason"].choices = [("", "Not late, or no reason given")] + [
            choice for choice in self.fields["late_reason"].choices if choice[0] != ""
        ]
        self.fields["late_reason"].help_text = (
            f"Only needed after the due date ({self.instance.due_on:%-d %B %Y}). A waiting list "
            "does not stop the clock."
        )
        self.helper = helper(
            Field("returned_on"),
            _RevealingRadios(
                "outcome",
                *[
                    _RevealedBy(label, Field.textarea("declined_reason", rows=3))
                    if value == Outcome.DECLINED
                    else str(label)
                    for value, label in Outcome.choices
                ],
            ),
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
        fields = ["exception", "exception_evidence", "exception_on"]
        field_classes = dates("exception_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exception_evidence"].help_text = "What shows the exception applies, and when."
        self.fields[
            "exception_on"
        ].label = "For (b) or (c): the date of the absence or missed appointment"
        self.helper = helper(
            Field.radios("exception", legend_size=Size.SMALL),
            Field.textarea("exception_evidence", rows=4),
            Field("exception_on"),
            button="Save",
        )
